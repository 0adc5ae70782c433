"""No's, their labels, and deals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from whyno.nos.deals import DealRow, get_deal, list_deals
from whyno.nos.entry import NoEntry
from whyno.nos.queries import Label, NoRow, get_no
from whyno.web import actions, views
from whyno.web.api.schemas import Category, NoOut, Page
from whyno.web.auth import CurrentUser, State
from whyno.web.params import Filter, Limit, Offset

router = APIRouter()


class NoIn(BaseModel):
    """A no, as a seller tells it. Only ``deal`` (a name) or ``deal_id`` is required."""

    deal: str | None = Field(default=None, max_length=500)
    deal_id: int | None = None
    account: str | None = Field(default=None, max_length=300)
    seller: str | None = Field(default=None, max_length=200)
    occurred_on: dt.date | None = None
    stage: str | None = Field(default=None, max_length=200)
    ended_by: str | None = Field(default=None, max_length=10)
    reason: str | None = Field(default=None, max_length=20_000)
    competitor: str | None = Field(default=None, max_length=200)
    understood: bool | None = None
    revisit_after: dt.date | None = None
    amount: float | None = None
    currency: str | None = Field(default=None, max_length=3)
    contact_name: str | None = Field(default=None, max_length=300)
    contact_email: str | None = Field(default=None, max_length=320)
    industry: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=200)
    size: str | None = Field(default=None, max_length=100)
    product: str | None = Field(default=None, max_length=200)


class LabelsIn(BaseModel):
    categories: list[str] = Field(min_length=1, max_length=14)


@router.get("/api/nos", tags=["nos"], response_model=Page[NoRow])
def nos(user: CurrentUser, state: State, f: Filter) -> JSONResponse:
    """The no's you may see, newest first, filtered and paginated: ``{data, count}``."""
    data, count = views.nos_page(state, user, f)
    return JSONResponse({"data": data, "count": count})  # plain JSON types already


@router.post("/api/nos", status_code=201, tags=["nos"], response_model=NoOut)
def log_a_no(body: NoIn, user: CurrentUser, state: State) -> dict[str, Any]:
    """Log a no (a seller's own; managers may name the seller)."""
    no_id = actions.log(state, user, NoEntry(**body.model_dump()))
    return views.no_detail(state, user, no_id)


@router.get("/api/nos/{no_id}", tags=["nos"], response_model=NoOut)
def one_no(no_id: int, user: CurrentUser, state: State) -> dict[str, Any]:
    """One no in full: its deal, its person (withheld when they asked), its reason labels."""
    return views.no_detail(state, user, no_id)


@router.get("/api/nos/{no_id}/labels", tags=["labels"])
def no_labels(no_id: int, user: CurrentUser, state: State) -> Page[Label]:
    """A no's reason labels, the most confident first."""
    labels = get_no(state.store, no_id, user.scope).labels
    return Page(data=labels, count=len(labels))


@router.put("/api/nos/{no_id}/labels", tags=["labels"])
def correct_labels(no_id: int, body: LabelsIn, user: CurrentUser, state: State) -> Page[Label]:
    """Correct a no's reasons: a person's labels replace the model's."""
    actions.relabel(state, user, no_id, body.categories)
    labels = get_no(state.store, no_id, user.scope).labels
    return Page(data=labels, count=len(labels))


@router.get("/api/labels", tags=["labels"])
def taxonomy(user: CurrentUser, state: State) -> Page[Category]:
    """The reason categories a no can be labelled with."""
    data = [
        Category(id=c.id, lever=c.lever, label=c.label, meaning=c.meaning) for c in state.taxonomy
    ]
    return Page(data=data, count=len(data))


@router.get("/api/deals", tags=["deals"])
def deals(
    user: CurrentUser,
    state: State,
    status: str | None = Query(default=None, description="open, won or lost."),
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[DealRow]:
    """The deals you may see, the latest closed first."""
    data, count = list_deals(state.store, user.scope, status, limit, offset)
    return Page(data=data, count=count)


@router.get("/api/deals/{deal_id}", tags=["deals"])
def one_deal(deal_id: int, user: CurrentUser, state: State) -> DealRow:
    return get_deal(state.store, deal_id, user.scope)
