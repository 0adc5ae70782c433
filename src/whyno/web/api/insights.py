"""Imports, trends, reviewed calls (coach results) and the revisit queue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from whyno.coach.stored import get_call, list_calls
from whyno.ingest.crm import ImportOptions, ImportResult
from whyno.trends.recommend import Recommendation
from whyno.web import actions, views
from whyno.web.api.schemas import (
    Call,
    CallHead,
    LearningGaps,
    Page,
    RecommendationOut,
    Revisit,
    Trends,
)
from whyno.web.auth import CurrentUser, Manager, State
from whyno.web.params import Limit, Offset

router = APIRouter()


@router.post("/api/imports", status_code=201, tags=["imports"])
def import_file(
    user: Manager,
    state: State,
    file: Annotated[UploadFile, File(description="A CRM export (CSV).")],
    dialect: Annotated[str | None, Form()] = None,
    dayfirst: Annotated[bool, Form()] = False,
    dry_run: Annotated[bool, Form(description="Check the file, write nothing.")] = False,
) -> ImportResult:
    """Import a CRM export into your team: all rows or none, as ``whyno import``.

    A file with invalid rows answers 422 with every problem (row, column, what
    is wrong) and writes nothing. Importing the same file twice changes nothing.
    """
    options = ImportOptions(dialect=dialect or None, dayfirst=dayfirst, dry_run=dry_run)
    return actions.import_upload(state, user, file.filename or "upload.csv", file.file, options)


def _recommendation(rec: Recommendation) -> RecommendationOut:
    return RecommendationOut(
        rank=rec.rank,
        category=rec.category,
        lever=rec.lever,
        direction=rec.direction,
        headline=rec.headline,
        suggestion=rec.suggestion,
        verbatims=rec.verbatims,
        competitors=rec.competitors,
        finding=rec.finding,
    )


@router.get("/api/trends", tags=["trends"])
def trends(user: CurrentUser, state: State) -> Trends:
    """What changed and what to change, for what you may see (your no's, or your team's)."""
    a = views.dashboard(state, user).analysis
    return Trends(
        **a.trends_json(),
        nos=a.nos,
        recommendations=[_recommendation(r) for r in a.recommendations],
        series=a.series,
        learning_gaps=LearningGaps(by_seller=a.gaps_by_seller, by_month=a.gaps_by_month),
    )


@router.get("/api/calls", tags=["coach"])
def calls(user: CurrentUser, state: State, limit: Limit = 50, offset: Offset = 0) -> Page[CallHead]:
    """Reviewed calls you may see, newest first."""
    data, count = list_calls(state.store, user.scope, limit, offset)
    return Page(data=[CallHead.model_validate(call) for call in data], count=count)


@router.post("/api/calls", status_code=201, tags=["coach"])
def review_a_call(
    user: CurrentUser,
    state: State,
    file: Annotated[UploadFile, File(description="A transcript: .vtt, .srt, .txt or .json.")],
    deal_id: Annotated[int | None, Form()] = None,
    title: Annotated[str | None, Form(max_length=500)] = None,
) -> Call:
    """Review a call: every utterance tagged, the buyer's reasons, talk metrics."""
    call_id = actions.review_call(
        state, user, file.filename or "call.txt", file.file.read(), deal_id, title
    )
    return Call.model_validate(get_call(state.store, call_id, user.scope))


@router.get("/api/calls/{call_id}", tags=["coach"])
def one_call(call_id: int, user: CurrentUser, state: State) -> Call:
    """A reviewed call: tagged utterances and metrics (coach results)."""
    return Call.model_validate(get_call(state.store, call_id, user.scope))


@router.get("/api/revisit", tags=["followup"])
def revisit(user: CurrentUser, state: State, limit: Limit = 50, offset: Offset = 0) -> Revisit:
    """No's due for a revisit today; never a person who asked not to be contacted."""
    queue = views.revisit(state, user, dt.date.today())
    return Revisit(
        data=queue.due[offset : offset + limit],
        count=len(queue.due),
        later=queue.later,
        never=queue.never,
        do_not_contact=queue.do_not_contact,
    )
