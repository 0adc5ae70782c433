"""Signing in and out, who am I, API tokens, and (for admins) the team's users."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from whyno.accounts.users import (
    TokenRow,
    UserRow,
    add_user,
    authenticate,
    create_token,
    delete_token,
    list_tokens,
    list_users,
)
from whyno.web.api.schemas import NewToken, Page, SignedIn, SignedOut, User
from whyno.web.auth import (
    Admin,
    CurrentUser,
    State,
    client_address,
    end_session,
    new_session,
    set_session,
)
from whyno.web.errors import ApiError

router = APIRouter(tags=["session"])


class LoginIn(BaseModel):
    username: str = Field(max_length=100)
    password: str = Field(max_length=1000)


class TokenIn(BaseModel):
    name: str = Field(default="script", max_length=200)


class UserIn(BaseModel):
    username: str = Field(max_length=100)
    password: str = Field(max_length=1000)
    role: str = "seller"
    seller: str | None = Field(default=None, max_length=200)
    display_name: str | None = Field(default=None, max_length=200)


def sign_in(state: State, request: Request, username: str, password: str) -> Any:
    """The user for a username and password, rate-limited per address and username."""
    address = client_address(request)
    wait = state.limiter.retry_after(address, username)
    if wait:
        raise ApiError(
            429,
            f"too many failed sign-ins; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )
    user = authenticate(state.store, username, password)
    if user is None:
        state.limiter.failed(address, username)
        raise ApiError(401, "wrong username or password")
    state.limiter.succeeded(address, username)
    return user


@router.post("/api/login", response_model=SignedIn)
def login(body: LoginIn, request: Request, state: State) -> JSONResponse:
    """Sign in: sets the session cookie and returns the CSRF token for later changes."""
    user = sign_in(state, request, body.username, body.password)
    cookie, csrf = new_session(state, user.id)
    response = JSONResponse({"user": user.as_dict(), "csrf_token": csrf})
    set_session(state, response, cookie)
    return response


@router.post("/api/logout", response_model=SignedOut)
def logout(_user: CurrentUser) -> JSONResponse:
    response = JSONResponse({"signed_out": True})
    end_session(response)
    return response


@router.get("/api/me")
def me(user: CurrentUser) -> User:
    return User(**user.as_dict())


@router.get("/api/tokens")
def tokens(user: CurrentUser, state: State) -> Page[TokenRow]:
    """Your API tokens (names and prefixes; the tokens themselves are never shown again)."""
    data = list_tokens(state.store, user.id)
    return Page(data=data, count=len(data))


@router.post("/api/tokens", status_code=201)
def new_token(body: TokenIn, user: CurrentUser, state: State) -> NewToken:
    """A new API token for scripts: send it as ``Authorization: Bearer <token>``."""
    token_id, token = create_token(state.store, user.id, body.name)
    return NewToken(id=token_id, name=body.name, token=token)


@router.delete("/api/tokens/{token_id}", status_code=204)
def revoke_token(token_id: int, user: CurrentUser, state: State) -> None:
    delete_token(state.store, user.id, token_id)


@router.get("/api/users")
def users(user: Admin, state: State) -> Page[UserRow]:
    """The team's users (admins only)."""
    data = list_users(state.store, user.team_id)
    return Page(data=data, count=len(data))


@router.post("/api/users", status_code=201)
def new_user(body: UserIn, user: Admin, state: State) -> User:
    """Add a user to your team (admins only)."""
    created = add_user(
        state.store,
        body.username,
        body.password,
        role=body.role,
        team=user.team_name,
        seller=body.seller,
        display_name=body.display_name,
        actor=user.username,
    )
    return User(**created.as_dict())
