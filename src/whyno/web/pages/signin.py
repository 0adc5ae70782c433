"""The sign-in form (with its own CSRF token) and signing out."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from whyno.web.api.session import sign_in
from whyno.web.auth import LOGIN_COOKIE, CurrentUser, State, end_session, new_session, set_session
from whyno.web.errors import ApiError
from whyno.web.pages.render import back, page

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this server (never //host or a full URL)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _form(request: Request, state: State, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(16)
    response = page(
        request,
        state,
        None,
        "login.html",
        {
            "login_token": token,
            "error": error,
            "next": _safe_next(request.query_params.get("next")),
        },
        status,
    )
    response.set_cookie(
        LOGIN_COOKIE, token, max_age=3600, httponly=True, samesite="strict", path="/login"
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, state: State) -> Response:
    return _form(request, state)


@router.post("/login")
def login(
    request: Request,
    state: State,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not csrf_token or not hmac.compare_digest(expected, csrf_token):
        return _form(request, state, "The form expired; please sign in again.", 403)
    try:
        user = sign_in(state, request, username, password)
    except ApiError as exc:
        return _form(request, state, exc.message, exc.status)
    cookie, _csrf = new_session(state, user.id)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session(state, response, cookie)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(_user: CurrentUser) -> Response:
    response = back("/login")
    end_session(response)
    return response
