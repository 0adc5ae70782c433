"""Server-rendered pages (Jinja2, autoescaped; small local JavaScript, no CDN)."""

from __future__ import annotations

from fastapi import FastAPI

from whyno.web.pages import account, coach, dashboard, followup, nos, signin


def register(app: FastAPI) -> None:
    for module in (signin, dashboard, nos, coach, followup, account):
        app.include_router(module.router)
