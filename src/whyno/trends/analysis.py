"""The whole analysis in one call: read the catalog once, return plain results.

Used by ``whyno trends`` and ``whyno report``; no presenter code here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select

from whyno.reasons.taxonomy import Taxonomy, default_taxonomy
from whyno.store.models import Contact, ContactStatus, Deal, No, Seller
from whyno.store.store import Store
from whyno.trends import data, gaps, lastwins
from whyno.trends.recommend import Recommendation, recommend
from whyno.trends.shifts import (
    ShiftReport,
    Slice,
    detect_shifts,
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
            "findings": [f.as_dict() for f in self.shifts.findings],
        }


def analyse(
    store: Store,
    period: str = "month",
    taxonomy: Taxonomy | None = None,
    sizes: tuple[int, int] | None = None,
    where: Any = None,
) -> Analysis:
    """Everything the trends command and the report show; ``sizes``: (recent, baseline).

    ``where``: an optional condition on ``Deal`` (a team, a seller) limiting the analysis.
    Sample verbatims never come from people who asked not to be contacted.
    """
    taxonomy = taxonomy or default_taxonomy()
    catalog = data.load(store, period, where)
    everyone = next((s for s in catalog.slices if s.field is None), Slice(None, None, {}))
    shifts = detect_shifts(catalog.slices, period, sizes)
    recs = recommend(shifts.findings, taxonomy)
    window = shifts.window
    if window is not None:
        bounds = _bounds(window.recent, period)
        for rec in recs[:DETAILED]:
            rec.verbatims = _verbatims(store, rec.category, rec.finding.segment, bounds, where)
            if rec.category == "market.competitor":
                rec.competitors = _competitors(store, rec.finding.segment, bounds, where)
    _, _, revenue = totals(everyone.counts, sorted({p for p, _ in everyone.counts}))
    return Analysis(
        period=period,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        shifts=shifts,
        series=shares_over_time(everyone.counts),
        revenue_series=revenue_over_time(everyone.counts),
        segments=_segments(catalog.slices, window.recent if window else []),
        gaps_by_seller=gaps.by_seller(catalog.gaps),
        gaps_by_month=gaps.by_month(catalog.gaps),
        disagreements=gaps.crm_versus_verbatim(store, where),
        last_wins=lastwins.compare(catalog.slices, catalog.wins, window) if window else [],
        recommendations=recs,
        nos=catalog.dated + catalog.undated,
        undated=catalog.undated,
        lost_revenue=revenue,
        slices=catalog.slices,
        taxonomy=taxonomy,
    )


def _segments(slices: list[Slice], recent: list[str]) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {}
    for piece in slices:
        if piece.field is None:
            continue
        mix, _, _ = totals(piece.counts, recent)
        out.setdefault(piece.field, {})[str(piece.value)] = mix
    return out


def _bounds(periods: list[str], period: str) -> tuple[dt.date, dt.date]:
    first, last = periods[0], periods[-1]
    if period == "quarter":
        start = dt.date(int(first[:4]), (int(first[-1]) - 1) * 3 + 1, 1)
        end_month = dt.date(int(last[:4]), int(last[-1]) * 3, 1)
    else:
        start = dt.date(int(first[:4]), int(first[5:7]), 1)
        end_month = dt.date(int(last[:4]), int(last[5:7]), 1)
    next_month = dt.date(end_month.year + end_month.month // 12, end_month.month % 12 + 1, 1)
    return start, next_month - dt.timedelta(days=1)


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
