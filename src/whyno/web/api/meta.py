"""Health (open to all) and the OpenAPI document (for signed-in people and tokens)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from whyno import __version__
from whyno.web.api.schemas import Health
from whyno.web.auth import CurrentUser

router = APIRouter()


@router.get("/api/health", tags=["meta"])
def health() -> Health:
    """Is the server up? Needs no sign-in."""
    return Health(status="ok", version=__version__)


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, _user: CurrentUser) -> dict[str, Any]:
    schema: dict[str, Any] = request.app.openapi()
    return schema
