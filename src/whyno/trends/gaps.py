"""Learning gaps: no's whose reason we never understood, per seller and over time;
and how often the rep's CRM pick disagrees with what the verbatim says."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from whyno import stats
from whyno.store.models import Deal, LabelSource, No, ReasonLabel
from whyno.store.store import Store


@dataclass(frozen=True)
class GapShare:
    key: str  # a seller's name or a month
    gaps: int
    nos: int
    share: float
    ci: tuple[float, float]


def _share(key: str, gaps: int, nos: int) -> GapShare:
    low, high = stats.wilson(gaps, nos)
    return GapShare(
        key, gaps, nos, round(gaps / nos, 4) if nos else 0.0, (round(low, 4), round(high, 4))
    )


def by_seller(gaps: dict[tuple[str, str | None], tuple[int, int]]) -> list[GapShare]:
    """Share of each seller's no's that are learning gaps, worst first."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_, seller), (g, n) in gaps.items():
        totals[seller or "(no seller)"][0] += g
        totals[seller or "(no seller)"][1] += n
    rows = [_share(seller, g, n) for seller, (g, n) in totals.items()]
    return sorted(rows, key=lambda r: (-r.share, r.key))


def by_month(gaps: dict[tuple[str, str | None], tuple[int, int]]) -> list[GapShare]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (month, _), (g, n) in gaps.items():
        totals[month][0] += g
        totals[month][1] += n
    return [_share(month, g, n) for month, (g, n) in sorted(totals.items())]


@dataclass(frozen=True)
class Disagreement:
    crm_category: str
    both: int  # no's with this CRM reason and a reason read from their notes
    disagree: int
    share: float


def crm_versus_verbatim(store: Store, where: Any = None) -> list[Disagreement]:
    """Per CRM picklist reason: how often the notes point to a different reason.

    ``where``: an optional condition on ``Deal`` limiting which no's count."""
    crm, model = aliased(ReasonLabel), aliased(ReasonLabel)
    grouped = (
        select(
            crm.no_id,
            crm.category,
            func.max(case((model.category == crm.category, 1), else_=0)).label("agree"),
        )
        .join(model, (model.no_id == crm.no_id) & (model.source == LabelSource.MODEL.value))
        .where(crm.source == LabelSource.CRM.value)
        .group_by(crm.no_id, crm.category)
    )
    if where is not None:
        grouped = grouped.join(No, No.id == crm.no_id).join(Deal, No.deal_id == Deal.id)
        grouped = grouped.where(where)
    per_no = grouped.subquery()
    query = select(per_no.c.category, func.count(), func.sum(per_no.c.agree)).group_by(
        per_no.c.category
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    result = [
        Disagreement(c, int(n), int(n) - int(a or 0), round((int(n) - int(a or 0)) / int(n), 4))
        for c, n, a in rows
        if n
    ]
    return sorted(result, key=lambda d: (-d.disagree, d.crm_category))
