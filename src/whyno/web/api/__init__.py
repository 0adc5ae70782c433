"""The REST API under /api/: JSON in and out, paginated lists as ``{data, count}``."""

from __future__ import annotations

from fastapi import FastAPI

from whyno.web.api import insights, meta, nos, session


def register(app: FastAPI) -> None:
    for module in (meta, session, nos, insights):
        app.include_router(module.router)
