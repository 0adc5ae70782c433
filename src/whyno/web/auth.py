"""Who is asking: a signed session cookie (with a CSRF token for forms) or an API token.

The session cookie holds the user id and a random nonce, signed with the
server's secret; the CSRF token is an HMAC of that nonce. A request that
changes something with a session cookie must carry the CSRF token, as the
``csrf_token`` form field or the ``X-CSRF-Token`` header. API tokens
(``Authorization: Bearer wn_...``) need no CSRF token: browsers never send
them on their own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from whyno.accounts.users import AuthUser, get_user, user_for_token
from whyno.store.models import Role
from whyno.web.errors import ApiError, AuthRequired
from whyno.web.state import WebState, web_state

SESSION_COOKIE = "whyno_session"
LOGIN_COOKIE = "whyno_login"  # the login form's own CSRF token (double submit)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Principal:
    user: AuthUser
    via: str  # "session" or "token"
    csrf: str  # the CSRF token for this session ("" for API tokens)


def _serializer(state: WebState) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(state.secret, salt="whyno-session")


def csrf_for(state: WebState, nonce: str) -> str:
    return hmac.new(state.secret.encode(), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def new_session(state: WebState, user_id: int) -> tuple[str, str]:
    """(the session cookie's value, the session's CSRF token) for a user who signed in."""
    nonce = secrets.token_urlsafe(16)
    return _serializer(state).dumps({"u": user_id, "n": nonce}), csrf_for(state, nonce)


def set_session(state: WebState, response: Response, value: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=int(state.settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=state.settings.secure_cookies,
        path="/",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def _session(state: WebState, request: Request) -> Principal | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(state).loads(raw, max_age=int(state.settings.session_hours * 3600))
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = get_user(state.store, data["u"])
    if user is None:
        return None
    return Principal(user, "session", csrf_for(state, str(data.get("n", ""))))


def _bearer(state: WebState, request: Request) -> Principal | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    user = user_for_token(state.store, token.strip())
    if user is None:
        raise AuthRequired("the API token is not valid (revoked, or mistyped)")
    return Principal(user, "token", "")


async def _check_csrf(request: Request, principal: Principal) -> None:
    if principal.via != "session" or request.method not in UNSAFE:
        return
    sent = request.headers.get("x-csrf-token", "")
    content_type = request.headers.get("content-type", "")
    if not sent and content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent, principal.csrf):
        raise ApiError(403, "missing or wrong CSRF token: reload the page and try again")


async def principal(request: Request, state: Annotated[WebState, Depends(web_state)]) -> Principal:
    """The signed-in person (session or token); 401 (or a redirect for pages) otherwise."""
    found = _bearer(state, request) or _session(state, request)
    if found is None:
        raise AuthRequired()
    await _check_csrf(request, found)
    request.state.principal = found
    return found


async def current_user(found: Annotated[Principal, Depends(principal)]) -> AuthUser:
    return found.user


def require_role(*roles: Role) -> Callable[..., Coroutine[Any, Any, AuthUser]]:
    allowed = {r.value for r in roles}

    async def check(user: Annotated[AuthUser, Depends(current_user)]) -> AuthUser:
        if user.role not in allowed:
            raise ApiError(403, f"this needs the role {' or '.join(sorted(allowed))}")
        return user

    return check


CurrentUser = Annotated[AuthUser, Depends(current_user)]
Manager = Annotated[AuthUser, Depends(require_role(Role.MANAGER, Role.ADMIN))]
Admin = Annotated[AuthUser, Depends(require_role(Role.ADMIN))]
State = Annotated[WebState, Depends(web_state)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
