"""The revisit queue and the honest pre-call brief."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from whyno.accounts.users import AuthUser
from whyno.brief.brief import make_brief
from whyno.brief.profile import load_profile
from whyno.store.models import Deal, No
from whyno.web import views
from whyno.web.auth import CurrentUser, State
from whyno.web.pages.render import page
from whyno.web.state import WebState

router = APIRouter(include_in_schema=False)
PROSPECT_FIELDS = ("name", "industry", "size", "region", "needs", "notes")


@router.get("/revisit", response_class=HTMLResponse)
def revisit(request: Request, user: CurrentUser, state: State) -> HTMLResponse:
    queue = views.revisit(state, user, dt.date.today())
    return page(request, state, user, "revisit.html", {"queue": queue, "due": queue.due[:200]})


def _lessons(state: WebState, user: AuthUser, prospect: dict[str, str]) -> tuple[Any, str]:
    """Why similar prospects said no, from the no's this user may see only."""
    conditions, scope = [user.scope.nos()], []
    for name in ("industry", "size"):
        if prospect.get(name):
            conditions.append(getattr(Deal, name) == prospect[name])
            scope.append(f"{name} {prospect[name]}")
    if len(conditions) == 1:
        return [], ""
    query = (
        select(No.main_category)
        .join(Deal, No.deal_id == Deal.id)
        .where(*conditions, No.main_category.is_not(None))
    )
    with state.store.engine.connect() as connection:
        counts = Counter(c for (c,) in connection.execute(query) if c)
    return counts.most_common(5), ", ".join(scope)


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
        result = make_brief(load_profile(state.settings.profile), {**prospect})
        result.lessons, result.lessons_scope = _lessons(state, user, prospect)
        context["brief"] = result
    return page(request, state, user, "brief.html", context)
