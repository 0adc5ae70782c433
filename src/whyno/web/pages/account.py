"""Imports (managers), your API tokens, and the team's users (admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from whyno.accounts.users import add_user, create_token, delete_token, list_tokens, list_users
from whyno.errors import InputError
from whyno.ingest.crm import ImportOptions, ImportRejected
from whyno.web import actions
from whyno.web.auth import Admin, CurrentUser, Manager, State
from whyno.web.pages.render import back, page

router = APIRouter(include_in_schema=False)


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, user: Manager, state: State) -> HTMLResponse:
    return page(request, state, user, "import.html", {"result": None})


@router.post("/import", response_class=HTMLResponse)
def import_file(
    request: Request,
    user: Manager,
    state: State,
    file: Annotated[UploadFile, File()],
    dayfirst: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    context: dict[str, Any] = {"result": None}
    try:
        options = ImportOptions(dayfirst=dayfirst)
        name = file.filename or "upload.csv"
        context["result"] = actions.import_upload(state, user, name, file.file, options)
    except ImportRejected as exc:
        context.update(error=str(exc), problems=exc.result.problems[:200])
    except InputError as exc:
        context["error"] = str(exc)
    status = 400 if context.get("error") else 200
    return page(request, state, user, "import.html", context, status)


def _account(request: Request, user: Any, state: State, **extra: Any) -> HTMLResponse:
    context = {
        "tokens": list_tokens(state.store, user.id),
        "users": list_users(state.store, user.team_id) if user.role == "admin" else [],
        **extra,
    }
    status = 400 if extra.get("error") else 200
    return page(request, state, user, "account.html", context, status)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: CurrentUser, state: State) -> HTMLResponse:
    return _account(request, user, state)


@router.post("/account/tokens", response_class=HTMLResponse)
def new_token(
    request: Request,
    user: CurrentUser,
    state: State,
    name: Annotated[str, Form(max_length=200)] = "script",
) -> HTMLResponse:
    _token_id, token = create_token(state.store, user.id, name)
    return _account(request, user, state, new_token=token)


@router.post("/account/tokens/{token_id}/delete")
def revoke_token(token_id: int, user: CurrentUser, state: State) -> Response:
    delete_token(state.store, user.id, token_id)
    return back("/account")


@router.post("/account/users", response_class=HTMLResponse)
def new_user(
    request: Request,
    user: Admin,
    state: State,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=10)] = "seller",
    seller: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    try:
        add_user(
            state.store,
            username,
            password,
            role=role,
            team=user.team_name,
            seller=seller.strip() or None,
            actor=user.username,
        )
    except InputError as exc:
        return _account(request, user, state, error=str(exc))
    return _account(request, user, state, added=username)
