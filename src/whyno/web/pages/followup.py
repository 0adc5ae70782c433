"""The revisit queue and the honest pre-call brief."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from whyno.brief.brief import make_brief
from whyno.brief.profile import load_profile
from whyno.web import views
from whyno.web.auth import CurrentUser, State
from whyno.web.pages.render import page

router = APIRouter(include_in_schema=False)
PROSPECT_FIELDS = ("name", "industry", "size", "region", "needs", "notes")


@router.get("/revisit", response_class=HTMLResponse)
def revisit(request: Request, user: CurrentUser, state: State) -> HTMLResponse:
    queue = views.revisit(state, user, dt.date.today())
    return page(request, state, user, "revisit.html", {"queue": queue, "due": queue.due[:200]})


@router.get("/brief", response_class=HTMLResponse)
def brief_form(request: Request, user: CurrentUser, state: State) -> HTMLResponse:
    context: dict[str, Any] = {"profile": state.settings.profile, "v": {}, "brief": None}
    return page(request, state, user, "brief.html", context)


@router.post("/brief", response_class=HTMLResponse)
def brief(
    request: Request,
    user: CurrentUser,
    state: State,
    name: Annotated[str, Form(max_length=300)] = "",
    industry: Annotated[str, Form(max_length=200)] = "",
    size: Annotated[str, Form(max_length=100)] = "",
    region: Annotated[str, Form(max_length=200)] = "",
    needs: Annotated[str, Form(max_length=5000)] = "",
    notes: Annotated[str, Form(max_length=20_000)] = "",
) -> HTMLResponse:
    prospect = {k: v.strip() for k, v in dict(locals()).items() if k in PROSPECT_FIELDS}
    context: dict[str, Any] = {"profile": state.settings.profile, "v": prospect, "brief": None}
    if state.settings.profile is not None:
        profile = load_profile(state.settings.profile)
        result = make_brief(profile, {**prospect}, state.store, user.scope)
        context["brief"] = result
    return page(request, state, user, "brief.html", context)
