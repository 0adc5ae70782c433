"""Rendering a page: the template, the signed-in user, the CSRF token, the nav."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup

from whyno.accounts.users import AuthUser
from whyno.web.state import WebState

NAV = [
    ("/", "Dashboard"),
    ("/nos", "No's"),
    ("/log", "Log a no"),
    ("/calls", "Calls"),
    ("/brief", "Brief"),
    ("/revisit", "Revisit"),
]


def page(
    request: Request,
    state: WebState,
    user: AuthUser | None,
    name: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    nav = list(NAV)
    if user is not None and user.role in ("manager", "admin"):
        nav.append(("/import", "Import"))
    values = {
        "user": user,
        "csrf": principal.csrf if principal else "",
        "nav": nav,
        "path": request.url.path,
        **(context or {}),
    }
    response: HTMLResponse = state.templates.TemplateResponse(
        request, name, values, status_code=status
    )
    return response


def svg(markup: str) -> Markup:
    """A chart our own code drew (its labels already escaped), to place as is."""
    return Markup(markup)  # generated SVG: its text is escaped where it is drawn


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
