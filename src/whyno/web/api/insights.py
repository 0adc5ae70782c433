"""Imports, trends, reviewed calls (coach results) and the revisit queue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile

from whyno.coach.stored import get_call, list_calls
from whyno.ingest.crm import ImportOptions
from whyno.web import actions, views
from whyno.web.auth import CurrentUser, Manager, State
from whyno.web.params import Limit, Offset

router = APIRouter()


@router.post("/api/imports", status_code=201, tags=["imports"])
def import_file(
    user: Manager,
    state: State,
    file: Annotated[UploadFile, File(description="A CRM export (CSV).")],
    dialect: Annotated[str | None, Form()] = None,
    dayfirst: Annotated[bool, Form()] = False,
    dry_run: Annotated[bool, Form(description="Check the file, write nothing.")] = False,
) -> dict[str, Any]:
    """Import a CRM export into your team: all rows or none, as ``whyno import``.

    A file with invalid rows answers 422 with every problem (row, column, what
    is wrong) and writes nothing. Importing the same file twice changes nothing.
    """
    options = ImportOptions(dialect=dialect or None, dayfirst=dayfirst, dry_run=dry_run)
    result = actions.import_upload(state, user, file.filename or "upload.csv", file.file, options)
    return result.as_dict()


def _recommendation(rec: Any) -> dict[str, Any]:
    return {
        "rank": rec.rank,
        "category": rec.category,
        "lever": rec.lever,
        "direction": rec.direction,
        "headline": rec.headline,
        "suggestion": rec.suggestion,
        "verbatims": rec.verbatims,
        "competitors": rec.competitors,
        "finding": rec.finding.as_dict(),
    }


@router.get("/api/trends", tags=["trends"])
def trends(user: CurrentUser, state: State) -> dict[str, Any]:
    """What changed and what to change, for what you may see (your no's, or your team's)."""
    board = views.dashboard(state, user)
    a = board.analysis
    data = a.trends_json()
    data.update(
        nos=a.nos,
        recommendations=[_recommendation(r) for r in a.recommendations],
        mix=a.series,
        learning_gaps={
            "by_seller": [g.__dict__ for g in a.gaps_by_seller],
            "by_month": [g.__dict__ for g in a.gaps_by_month],
        },
    )
    return data


@router.get("/api/calls", tags=["coach"])
def calls(user: CurrentUser, state: State, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Reviewed calls you may see, newest first."""
    data, count = list_calls(state.store, user.scope, limit, offset)
    return {"data": data, "count": count}


@router.post("/api/calls", status_code=201, tags=["coach"])
def review_a_call(
    user: CurrentUser,
    state: State,
    file: Annotated[UploadFile, File(description="A transcript: .vtt, .srt, .txt or .json.")],
    deal_id: Annotated[int | None, Form()] = None,
    title: Annotated[str | None, Form(max_length=500)] = None,
) -> dict[str, Any]:
    """Review a call: every utterance tagged, the buyer's reasons, talk metrics."""
    call_id = actions.review_call(
        state, user, file.filename or "call.txt", file.file.read(), deal_id, title
    )
    return get_call(state.store, call_id, user.scope)


@router.get("/api/calls/{call_id}", tags=["coach"])
def one_call(call_id: int, user: CurrentUser, state: State) -> dict[str, Any]:
    """A reviewed call: tagged utterances and metrics (coach results)."""
    return get_call(state.store, call_id, user.scope)


@router.get("/api/revisit", tags=["followup"])
def revisit(
    user: CurrentUser, state: State, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """No's due for a revisit today; never a person who asked not to be contacted."""
    queue = views.revisit(state, user, dt.date.today())
    page = queue.due[offset : offset + limit]
    return {
        "data": [d.as_dict() for d in page],
        "count": len(queue.due),
        "later": queue.later,
        "never": queue.never,
        "do_not_contact": queue.do_not_contact,
    }
