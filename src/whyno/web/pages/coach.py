"""Calls: upload a transcript for review, list the reviews, read one utterance by utterance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from whyno.coach.stored import get_call, list_calls
from whyno.errors import InputError
from whyno.nos.deals import seller_deals
from whyno.web import actions
from whyno.web.auth import CurrentUser, State
from whyno.web.pages.render import back, page

router = APIRouter(include_in_schema=False)


def _list(request: Request, user: CurrentUser, state: State, error: str = "") -> HTMLResponse:
    rows, count = list_calls(state.store, user.scope, 100, 0)
    context = {
        "rows": rows,
        "count": count,
        "deals": seller_deals(state.store, user.scope),
        "error": error,
    }
    return page(request, state, user, "calls.html", context, 400 if error else 200)


@router.get("/calls", response_class=HTMLResponse)
def calls(request: Request, user: CurrentUser, state: State) -> HTMLResponse:
    return _list(request, user, state)


@router.post("/calls")
def upload(
    request: Request,
    user: CurrentUser,
    state: State,
    file: Annotated[UploadFile, File()],
    deal_id: Annotated[str, Form(max_length=20)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        deal = int(deal_id) if deal_id.strip() else None
        call_id = actions.review_call(
            state, user, file.filename or "call.txt", file.file.read(), deal, title or None
        )
    except (InputError, ValueError) as exc:
        return _list(request, user, state, str(exc))
    return back(f"/calls/{call_id}")


@router.get("/calls/{call_id}", response_class=HTMLResponse)
def one_call(request: Request, call_id: int, user: CurrentUser, state: State) -> HTMLResponse:
    call = get_call(state.store, call_id, user.scope)
    return page(request, state, user, "call.html", {"call": call})
