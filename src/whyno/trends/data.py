"""Aggregate the catalog in SQL: counts by period, reason and segment, in one scan.

Everything here is GROUP BY work in the database; Python only rolls the
(small) grouped result up into per-slice count tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, func, select

from whyno.store.models import Deal, DealStatus, No, Seller
from whyno.store.store import Store
from whyno.trends.shifts import Counts, Slice

SEGMENTS = ("industry", "size", "region", "product", "seller")


def _month(connection: Connection, column: Any) -> Any:
    if connection.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def to_period(month: str, period: str) -> str:
    """ "2026-05" -> "2026-05" (month) or "2026-Q2" (quarter)."""
    if period == "quarter":
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month


@dataclass
class Catalog:
    """The grouped counts every analysis needs, read once."""

    slices: list[Slice]
    gaps: dict[tuple[str, str | None], tuple[int, int]]  # (month, seller) -> (gaps, no's)
    wins: list[tuple[str, dict[str, str | None]]]  # (closed month, segment values) per won deal
    dated: int
    undated: int


def load(store: Store, period: str = "month") -> Catalog:
    with store.engine.connect() as connection:
        slices = _slices(connection, period)
        gaps = _gaps(connection)
        wins = _wins(connection)
        dated, undated = connection.execute(
            select(func.count(No.occurred_on), func.count(No.id) - func.count(No.occurred_on))
        ).one()
    return Catalog(slices, gaps, wins, int(dated), int(undated))


def _slices(connection: Connection, period: str) -> list[Slice]:
    month = _month(connection, No.occurred_on).label("month")
    query = (
        select(
            month,
            No.main_category,
            Deal.industry,
            Deal.size,
            Deal.region,
            Deal.product,
            Seller.name,
            func.count(No.id),
            func.coalesce(func.sum(Deal.amount), 0.0),
        )
        .join(Deal, No.deal_id == Deal.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .where(No.occurred_on.is_not(None))
        .group_by(
            month,
            No.main_category,
            Deal.industry,
            Deal.size,
            Deal.region,
            Deal.product,
            Seller.name,
        )
    )
    tables: dict[tuple[str | None, str | None], Counts] = defaultdict(dict)
    for month_value, category, *segments, n, revenue in connection.execute(query):
        key = (to_period(month_value, period), category)
        for field, value in ((None, None), *zip(SEGMENTS, segments, strict=True)):
            if field is not None and value is None:
                continue
            table = tables[(field, value)]
            old_n, old_revenue = table.get(key, (0, 0.0))
            table[key] = (old_n + int(n), old_revenue + float(revenue or 0.0))
    return [Slice(field, value, counts) for (field, value), counts in tables.items()]


def _gaps(connection: Connection) -> dict[tuple[str, str | None], tuple[int, int]]:
    month = _month(connection, No.occurred_on).label("month")
    gap = func.sum(case((No.reason_understood.is_(False), 1), else_=0))
    query = (
        select(month, Seller.name, gap, func.count(No.id))
        .join(Deal, No.deal_id == Deal.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .where(No.occurred_on.is_not(None))
        .group_by(month, Seller.name)
    )
    return {(m, seller): (int(g or 0), int(n)) for m, seller, g, n in connection.execute(query)}


def _wins(connection: Connection) -> list[tuple[str, dict[str, str | None]]]:
    month = _month(connection, Deal.closed_on).label("month")
    query = (
        select(
            month,
            Deal.industry,
            Deal.size,
            Deal.region,
            Deal.product,
            Seller.name,
            func.count(Deal.id),
        )
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .where(Deal.status == DealStatus.WON.value, Deal.closed_on.is_not(None))
        .group_by(month, Deal.industry, Deal.size, Deal.region, Deal.product, Seller.name)
    )
    wins: list[tuple[str, dict[str, str | None]]] = []
    for m, *segments, n in connection.execute(query):
        values = dict(zip(SEGMENTS, segments, strict=True))
        wins.extend((m, values) for _ in range(int(n)))
    return wins
