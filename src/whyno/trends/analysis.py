"""The whole analysis in one call: read the catalog once, return plain results.

Used by ``whyno trends`` and ``whyno report``; no presenter code here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, func, select

from whyno.errors import InputError
from whyno.reasons.taxonomy import Taxonomy, default_taxonomy
from whyno.store.models import Contact, ContactStatus, Deal, No, Seller
from whyno.store.store import Store
from whyno.trends import data, gaps, lastwins, mix, periods, shifts
from whyno.trends.mix import Share
from whyno.trends.recommend import Recommendation, recommend
from whyno.trends.shifts import (
    WINDOWS,
    ShiftReport,
    Slice,
    revenue_over_time,
    shares_over_time,
    totals,
)

DETAILED = 12  # recommendations that get sample verbatims and competitor names


@dataclass
class Analysis:
    period: str
    generated: str
    shifts: ShiftReport
    series: dict[str, dict[str, tuple[int, int]]]  # period -> category -> (no's, classified)
    revenue_series: dict[str, dict[str, float]]  # period -> category -> share of lost revenue
    segments: dict[str, dict[str, dict[str, int]]]  # field -> value -> category -> recent no's
    gaps_by_seller: list[gaps.GapShare]
    gaps_by_month: list[gaps.GapShare]
    disagreements: list[gaps.Disagreement]
    last_wins: list[lastwins.Comparison]
    recommendations: list[Recommendation]
    nos: int
    undated: int
    lost_revenue: float
    slices: list[Slice] = field(default_factory=list)
    taxonomy: Taxonomy = field(default_factory=default_taxonomy)
    mix: list[Share] = field(default_factory=list)  # plain counts: every dated no
    partial: list[Share] = field(default_factory=list)  # the period not over yet
    last_complete: str = ""  # the last period that is over (later ones are never tested)

    def trends_json(self) -> dict[str, Any]:
        window = self.shifts.window
        return {
            "period": self.period,
            "window": None
            if window is None
            else {"recent": window.recent_label, "baseline": window.baseline_label},
            "enough_evidence": self.shifts.enough_evidence,
            "tests": self.shifts.tests,
            "not_enough_evidence": self.shifts.not_enough,
            "unclassified": self.shifts.unclassified,
            "findings": [asdict(f) for f in self.shifts.findings],
            "last_complete": self.last_complete,
            "partial_periods": [] if window is None else window.partial,
            "mix": [asdict(share) for share in self.mix],
            "method": METHOD,
        }


METHOD = (
    "weighted Benjamini-Hochberg at 5% over every test of the analysis (each reason, slice "
    "and recent window, and the last-wins comparisons); complete periods only"
)


def analyse(
    store: Store,
    period: str = "month",
    taxonomy: Taxonomy | None = None,
    sizes: tuple[int, int] | None = None,
    where: Any = None,
    today: dt.date | None = None,
) -> Analysis:
    """Everything the trends command and the report show; ``sizes``: (recent, baseline).

    ``where``: an optional condition on ``Deal`` (a team, a seller) limiting the analysis.
    ``today`` (default: the date now) decides which period is not over yet: that
    period is shown but never tested. Sample verbatims never come from people
    who asked not to be contacted.
    """
    check_window(period, sizes)
    taxonomy = taxonomy or default_taxonomy()
    last_complete = periods.step(periods.of_date(today or dt.date.today(), period), period, -1)
    grouped = data.load(store, period, where)
    everyone = next((s for s in grouped.slices if s.field is None), Slice(None, None, {}))
    labels = [p for s in grouped.slices for (p, _) in s.counts]
    window = shifts.windows(labels, period, sizes, last_complete)
    report = ShiftReport(window)
    comparisons: list[lastwins.Comparison] = []
    if window is None:
        report.not_enough.append("all no's")
    else:
        comparisons = _test_family(grouped, window, report)
    recs = recommend(report.findings, taxonomy)
    for rec in recs:
        piece = mix.slice_of(grouped.slices, rec.finding.segment)
        rec.trend = mix.series(piece.counts, rec.category) if piece else None
    if window is not None:
        for rec in recs[:DETAILED]:
            recent = window.recent[-rec.finding.span :]
            bounds = periods.bounds(recent[0], recent[-1], period)
            rec.verbatims = _verbatims(store, rec.category, rec.finding.segment, bounds, where)
            if rec.category == "market.competitor":
                rec.competitors = _competitors(store, rec.finding.segment, bounds, where)
    every_period = sorted({p for p, _ in everyone.counts})
    _, _, revenue = totals(everyone.counts, every_period)
    partial = [p for p in every_period if p > last_complete]
    return Analysis(
        period=period,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        shifts=report,
        series=shares_over_time(everyone.counts),
        revenue_series=revenue_over_time(everyone.counts),
        segments=_segments(grouped.slices, window.recent if window else []),
        gaps_by_seller=gaps.by_seller(grouped.gaps),
        gaps_by_month=gaps.by_month(grouped.gaps),
        disagreements=gaps.crm_versus_verbatim(store, where),
        last_wins=comparisons,
        recommendations=recs,
        nos=grouped.dated + grouped.undated,
        undated=grouped.undated,
        lost_revenue=revenue,
        slices=grouped.slices,
        taxonomy=taxonomy,
        mix=mix.shares(everyone.counts, every_period, taxonomy),
        partial=mix.shares(everyone.counts, partial, taxonomy),
        last_complete=last_complete,
    )


def check_window(period: str, sizes: tuple[int, int] | None) -> None:
    """InputError unless ``period`` is month or quarter and both window sizes are at least 1."""
    if period not in WINDOWS:
        raise InputError(f"period {period!r}: use month or quarter")
    if sizes is not None and min(sizes) < 1:
        raise InputError("the recent and baseline windows must be at least 1 period")


def _test_family(
    grouped: data.Grouped, window: shifts.Window, report: ShiftReport
) -> list[lastwins.Comparison]:
    """Every test of the analysis in one family: the shifts and the last-wins comparisons."""
    shift_tests = shifts.shift_tests(grouped.slices, window, report)
    results, win_tests = lastwins.comparisons(grouped.slices, grouped.wins, window)
    q_values = shifts.family_q(
        [t.piece.field for t in shift_tests] + [t.field for t in win_tests],
        [t.p_value for t in shift_tests] + [t.p_value for t in win_tests],
    )
    report.tests = len(q_values)
    report.findings = shifts.shift_findings(shift_tests, q_values[: len(shift_tests)])
    return lastwins.differences(results, win_tests, q_values[len(shift_tests) :])


def _segments(slices: list[Slice], recent: list[str]) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {}
    for piece in slices:
        if piece.field is None:
            continue
        mix, _, _ = totals(piece.counts, recent)
        out.setdefault(piece.field, {})[str(piece.value)] = mix
    return out


def _filtered(
    category: str | None,
    segment: dict[str, str] | None,
    bounds: tuple[dt.date, dt.date],
    where: Any = None,
) -> Any:
    conditions = [No.occurred_on >= bounds[0], No.occurred_on <= bounds[1]]
    if where is not None:
        conditions.append(where)
    if category:
        conditions.append(No.main_category == category)
    for field_name, value in (segment or {}).items():
        column = Seller.name if field_name == "seller" else getattr(Deal, field_name)
        conditions.append(column == value)
    return and_(*conditions)


def _verbatims(
    store: Store,
    category: str,
    segment: dict[str, str] | None,
    bounds: tuple[dt.date, dt.date],
    where: Any = None,
    limit: int = 3,
) -> list[str]:
    query = (
        select(No.verbatim)
        .join(Deal, No.deal_id == Deal.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .outerjoin(Contact, No.contact_id == Contact.id)
        .where(
            _filtered(category, segment, bounds, where),
            func.coalesce(Contact.status, "") != ContactStatus.DO_NOT_CONTACT.value,
            No.verbatim.is_not(None),
            func.length(No.verbatim) > 12,
            No.verbatim != func.coalesce(No.crm_reason, ""),  # notes, not a picklist value
        )
        .order_by(No.occurred_on.desc(), No.id.desc())
        .limit(limit)
    )
    with store.engine.connect() as connection:
        return [text for (text,) in connection.execute(query) if text]


def _competitors(
    store: Store,
    segment: dict[str, str] | None,
    bounds: tuple[dt.date, dt.date],
    where: Any = None,
) -> list[tuple[str, int]]:
    query = (
        select(No.competitor)
        .join(Deal, No.deal_id == Deal.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .where(_filtered("market.competitor", segment, bounds, where))
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    named = Counter(c.strip() for (c,) in rows if c and c.strip())
    return named.most_common(3)
