"""The dashboard: what to change, the reason mix over time, learning gaps."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from whyno.report import charts
from whyno.trends.analysis import Analysis
from whyno.web import views
from whyno.web.auth import CurrentUser, State
from whyno.web.pages.render import page, svg

router = APIRouter(include_in_schema=False)
PERIODS = 12  # months on the mix chart
TOP = 5  # recommendations shown


def _mix(a: Analysis, categories: list[str]) -> tuple[Any, list[tuple[str, str, str]]]:
    periods = list(a.series)[-PERIODS:]
    if not periods:
        return None, []
    shares: dict[str, list[float]] = {}
    for c in categories:
        values = []
        for p in periods:
            cell = a.series[p]
            total = next(iter(cell.values()))[1] if cell else 0
            values.append(cell.get(c, (0, total))[0] / total if total else 0.0)
        shares[c] = values
    seen = [c for c in categories if any(shares[c])]
    legend = [(c, a.taxonomy.get(c).label, charts.colour_for(c, categories)) for c in seen]
    return svg(charts.stacked_shares(periods, shares, categories)), legend


def _context(board: views.Dashboard) -> dict[str, Any]:
    a = board.analysis
    categories = [c.id for c in a.taxonomy]
    chart, legend = _mix(a, categories)
    stats = board.stats
    context = {
        "stats": stats,
        "gap_share": stats["learning_gaps"] / stats["nos"] if stats["nos"] else 0.0,
        "recs": a.recommendations[:TOP],
        "more_recs": max(len(a.recommendations) - TOP, 0),
        "window": a.shifts.window,
        "enough": a.shifts.enough_evidence,
        "plain": a.mix,
        "mix_chart": chart,
        "legend": legend,
        "gaps_by_seller": a.gaps_by_seller[:8],
        "gaps_by_month": a.gaps_by_month[-6:],
        "labels": {c.id: c.label for c in a.taxonomy},
    }
    return context


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, user: CurrentUser, state: State) -> HTMLResponse:
    board = views.dashboard(state, user)
    # the page's charts and tables, drawn once per analysis
    context: dict[str, Any] = state.cache.get(
        f"dashboard-page:{user.scope.key()}:{id(board)}", user.data_version, lambda: _context(board)
    )
    return page(request, state, user, "dashboard.html", context)
