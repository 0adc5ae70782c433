"""What pages and the API show, shaped once: scoped, with do-not-contact withheld.

Every function takes the signed-in user and reads only what their scope
allows; a row of another team or (for a seller) another seller is simply not
found. A no of a person who asked not to be contacted keeps its anonymous
facts (date, stage, reason) but loses the person's words and contact details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from whyno.accounts.users import AuthUser, bump_data_version
from whyno.encoding import plain
from whyno.followup.revisit import Queue, revisit_queue
from whyno.nos.queries import (
    NoFilter,
    NoRow,
    count_nos,
    get_no,
    list_nos,
    no_stats,
)
from whyno.trends.analysis import Analysis, analyse
from whyno.web.state import WebState

MAX_PAGE = 500


DATES = ("occurred_on", "revisit_after")


def _text(day: dt.date | None) -> str | None:
    return None if day is None else str(plain(day))


def no_out(row: NoRow) -> dict[str, Any]:
    """A no as the pages and the API show it: dates as text (words already withheld by
    the read layer when the person asked not to be contacted)."""
    data = asdict(row)
    for key in DATES:
        data[key] = _text(data[key])
    return data


def scoped(user: AuthUser, f: NoFilter) -> NoFilter:
    """The filter limited to what ``user`` may see (a seller filter cannot widen it)."""
    return replace(f, scope=user.scope, limit=min(f.limit or 50, MAX_PAGE))


def nos_page(state: WebState, user: AuthUser, f: NoFilter) -> tuple[list[dict[str, Any]], int]:
    f = scoped(user, f)
    # a page is reused (per scope, filter and page) until the team's data changes
    rows: list[dict[str, Any]] = state.cache.get(
        f"nos:{f!r}",
        user.data_version,
        lambda: [no_out(row) for row in list_nos(state.store, f)],
    )
    everything = replace(f, limit=None, offset=0)
    count: int = state.cache.get(
        f"count:{everything!r}",
        user.data_version,
        lambda: count_nos(state.store, everything),
    )
    return rows, count


def no_detail(state: WebState, user: AuthUser, no_id: int) -> dict[str, Any]:
    detail = get_no(state.store, no_id, user.scope)
    data = no_out(detail.no)
    data.update(
        deal_stage=detail.deal_stage,
        deal_status=detail.deal_status,
        created_on=_text(detail.created_on),
        closed_on=_text(detail.closed_on),
        contact_name=detail.contact_name,
        contact_email=detail.contact_email,
        contact_status=detail.contact_status,
        source=detail.source,
        labels=[label.__dict__ for label in detail.labels],
    )
    return data


def changed(state: WebState, team_id: int) -> None:
    """After a write: the team's cached results are stale."""
    with state.store.engine.begin() as connection:
        bump_data_version(connection, team_id)


@dataclass(frozen=True)
class Dashboard:
    stats: dict[str, Any]
    analysis: Analysis


def dashboard(state: WebState, user: AuthUser) -> Dashboard:
    """Counts and the trends analysis for the user's scope, cached until the data changes."""
    scope = user.scope

    def compute() -> Dashboard:
        return Dashboard(
            no_stats(state.store, scope),
            analyse(state.store, taxonomy=state.taxonomy, where=scope.deals()),
        )

    result: Dashboard = state.cache.get(f"dashboard:{scope.key()}", user.data_version, compute)
    return result


def revisit(state: WebState, user: AuthUser, today: dt.date | None = None) -> Queue:
    return revisit_queue(state.store, today, where=user.scope.nos())
