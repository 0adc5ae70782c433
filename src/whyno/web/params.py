"""Query parameters shared by the API and the pages: the no's filters and paging."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Query

from whyno.errors import InputError
from whyno.nos.queries import NoFilter

ENDED_BY = ("them", "us", "silent")


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name} {value!r}: use a date like 2026-03-31") from None


def no_filter(
    since: Annotated[str | None, Query(description="On or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="On or before (YYYY-MM-DD).")] = None,
    seller: Annotated[str | None, Query(description="A seller's name.")] = None,
    stage: Annotated[str | None, Query()] = None,
    ended_by: Annotated[str | None, Query(description="them, us or silent.")] = None,
    has_reason: Annotated[bool | None, Query(description="Reason understood or not.")] = None,
    category: Annotated[str | None, Query(description="Main reason (taxonomy id).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> NoFilter:
    if ended_by and ended_by not in ENDED_BY:
        raise InputError(f"ended_by {ended_by!r}: use them, us or silent")
    return NoFilter(
        since=_date(since, "since"),
        until=_date(until, "until"),
        seller=seller or None,
        stage=stage or None,
        ended_by=ended_by or None,
        has_reason=has_reason,
        category=category or None,
        limit=limit,
        offset=offset,
    )


Filter = Annotated[NoFilter, Depends(no_filter)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]
