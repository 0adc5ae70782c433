"""What every REST route answers, as types: the OpenAPI document shows each one.

Core results that already have the right shape (``NoRow``, ``Label``,
``DealRow``, ``ImportResult``, ``Due``, ``Finding``, ``Share``...) are used as
they are; the models here add only what the API composes from several of
them, so a field is declared once, where the result is made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Generic, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict, create_model

from whyno.coach.analyze import Utterance
from whyno.followup.revisit import Due
from whyno.nos.queries import Label, NoDetail, NoRow
from whyno.trends.gaps import GapShare
from whyno.trends.mix import Share
from whyno.trends.shifts import Finding

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a list, and how many there are in all."""

    data: list[T]
    count: int


class Health(BaseModel):
    status: str
    version: str


class User(BaseModel):
    id: int
    username: str
    display_name: str | None
    role: str
    team: str
    seller: str | None


class SignedIn(BaseModel):
    user: User
    csrf_token: str


class SignedOut(BaseModel):
    signed_out: bool


class NewToken(BaseModel):
    id: int
    name: str
    token: str  # shown once


class Category(BaseModel):
    id: str
    lever: str
    label: str
    meaning: str


def _fields(result: type[Any], leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    hints = get_type_hints(result)
    return {
        f.name: (hints[f.name], None) for f in dataclasses.fields(result) if f.name not in leave_out
    }


# A no in full: the listed fields and the detail's (its deal, contact and labels) side by side.
NoOut: type[BaseModel] = create_model(
    "NoOut",
    **_fields(NoRow),
    **_fields(NoDetail, leave_out=("no", "labels")),
    labels=(list[Label], []),
)


class CallHead(BaseModel):
    """A call as ``whyno.coach.stored.CallHead`` holds it (read from its attributes)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str | None
    deal_id: int | None
    deal: str | None
    created_at: dt.datetime
    do_not_contact: bool


class NoteOut(BaseModel):
    """A coaching note with its time (``Note.at``) spelled out."""

    model_config = ConfigDict(from_attributes=True)

    kind: str
    good: bool
    index: int
    start: float | None
    speaker: str | None
    said: str
    note: str
    better: str | None = None
    at: str


class Call(CallHead):
    """A reviewed call: every utterance tagged, the buyer's reasons, metrics, coaching notes."""

    metrics: dict[str, Any]
    utterances: list[Utterance]
    notes: list[NoteOut]


class Revisit(Page[Due]):
    later: int
    never: int
    do_not_contact: int


class TrendWindow(BaseModel):
    recent: str
    baseline: str


class RecommendationOut(BaseModel):
    rank: int
    category: str
    lever: str
    direction: str
    headline: str
    suggestion: str
    verbatims: list[str]
    competitors: list[tuple[str, int]]
    finding: Finding


class LearningGaps(BaseModel):
    by_seller: list[GapShare]
    by_month: list[GapShare]


class Trends(BaseModel):
    """What changed and what to change (see docs/trends.md for the method)."""

    period: str
    window: TrendWindow | None
    enough_evidence: bool
    tests: int
    not_enough_evidence: list[str]
    unclassified: int
    findings: list[Finding]
    last_complete: str
    partial_periods: list[str]
    mix: list[Share]  # plain counts: every dated no, with intervals
    method: str
    nos: int
    recommendations: list[RecommendationOut]
    series: dict[str, dict[str, tuple[int, int]]]  # period -> reason -> (no's, classified)
    learning_gaps: LearningGaps
