"""The no's: the list with filters, one no with its labels to correct, and the log form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from whyno.errors import InputError
from whyno.nos.entry import NoEntry
from whyno.values import amount_input
from whyno.web import actions, views
from whyno.web.auth import CurrentUser, State
from whyno.web.pages.render import back, page
from whyno.web.params import Filter

router = APIRouter(include_in_schema=False)
FILTERS = ("since", "until", "seller", "stage", "ended_by", "has_reason", "category")


@router.get("/nos", response_class=HTMLResponse)
def nos(request: Request, user: CurrentUser, state: State, f: Filter) -> HTMLResponse:
    rows, count = views.nos_page(state, user, f)
    kept = {k: v for k, v in request.query_params.items() if k in FILTERS and v}
    pages = {
        "prev": urlencode({**kept, "offset": max(f.offset - (f.limit or 50), 0)})
        if f.offset
        else None,
        "next": urlencode({**kept, "offset": f.offset + (f.limit or 50)})
        if f.offset + len(rows) < count
        else None,
    }
    context = {
        "rows": rows,
        "count": count,
        "f": f,
        "q": kept,
        "pages": pages,
        "taxonomy": list(state.taxonomy),
        "logged": request.query_params.get("logged"),
    }
    return page(request, state, user, "nos.html", context)


@router.get("/nos/{no_id}", response_class=HTMLResponse)
def one_no(request: Request, no_id: int, user: CurrentUser, state: State) -> HTMLResponse:
    no = views.no_detail(state, user, no_id)
    chosen = {label["category"] for label in no["labels"] if label["source"] == "person"}
    context = {"no": no, "taxonomy": list(state.taxonomy), "chosen": chosen}
    return page(request, state, user, "no.html", context)


@router.post("/nos/{no_id}/labels")
async def relabel(no_id: int, request: Request, user: CurrentUser, state: State) -> Response:
    form = await request.form()
    categories = [str(v) for v in form.getlist("category")]
    actions.relabel(state, user, no_id, categories)
    return back(f"/nos/{no_id}?saved=1")


@router.get("/log", response_class=HTMLResponse)
def log_form(request: Request, user: CurrentUser, state: State) -> HTMLResponse:
    return page(request, state, user, "log.html", {"today": dt.date.today().isoformat(), "v": {}})


def _date(value: str, name: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{name}: use a date like 2026-03-31") from None


@router.post("/log")
def log(
    request: Request,
    user: CurrentUser,
    state: State,
    deal: Annotated[str, Form(max_length=500)] = "",
    account: Annotated[str, Form(max_length=300)] = "",
    ended_by: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=20_000)] = "",
    competitor: Annotated[str, Form(max_length=200)] = "",
    stage: Annotated[str, Form(max_length=200)] = "",
    occurred_on: Annotated[str, Form(max_length=20)] = "",
    amount: Annotated[str, Form(max_length=50)] = "",
    contact_name: Annotated[str, Form(max_length=300)] = "",
    contact_email: Annotated[str, Form(max_length=320)] = "",
    seller: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    values = dict(locals())
    try:
        money = amount_input(amount if amount.strip() else None, "amount")
        entry = NoEntry(
            deal=deal.strip() or None,
            account=account.strip() or None,
            seller=seller.strip() or None,
            occurred_on=_date(occurred_on, "date"),
            stage=stage.strip() or None,
            ended_by=ended_by or None,
            reason=reason,
            competitor=competitor.strip() or None,
            amount=money[0],
            currency=money[1],
            contact_name=contact_name.strip() or None,
            contact_email=contact_email.strip() or None,
        )
        no_id = actions.log(state, user, entry)
    except InputError as exc:
        context = {"today": dt.date.today().isoformat(), "error": str(exc), "v": values}
        return page(request, state, user, "log.html", context, 400)
    return RedirectResponse(f"/nos?logged={no_id}", status_code=303)
