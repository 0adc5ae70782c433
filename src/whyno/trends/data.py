"""Aggregate the catalog in SQL: counts by period, reason and segment, in one scan.

Everything here is GROUP BY work in the database; Python only rolls the
(small) grouped result up into per-slice count tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection, case, func, select, true

from whyno.store.models import Deal, DealStatus, No, Seller
from whyno.store.store import Store
from whyno.trends import periods
from whyno.trends.shifts import Counts, Slice

SEGMENTS = ("industry", "size", "region", "product", "seller")
# Fields aggregated together (one scan each); pairs of low-cardinality fields.
GROUPS: tuple[tuple[str, ...], ...] = (("industry", "size"), ("region", "product"), ("seller",))
# (field, value) of a slice -> period -> won deals
WinCounts = dict[tuple[str | None, str | None], dict[str, int]]
WORKERS = 3  # parallel aggregate queries (the database works outside the GIL)


def _month(connection: Connection, column: Any) -> Any:
    if connection.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite stores dates as ISO text


@dataclass
class Grouped:
    """The grouped counts every analysis needs, read once."""

    slices: list[Slice]
    gaps: dict[tuple[str, str | None], tuple[int, int]]  # (month, seller) -> (gaps, no's)
    wins: WinCounts  # won deals per slice and period
    dated: int
    undated: int


def load(store: Store, period: str = "month", where: Any = None) -> Grouped:
    """Every count the analysis needs: three small GROUP BYs (field pairs), in parallel.

    ``where``: an optional condition on ``Deal`` (a team, a seller) limiting what is counted.
    """

    def run(task: Callable[[Connection], Any]) -> Any:
        with store.engine.connect() as connection:
            return task(connection)

    tasks: list[Callable[[Connection], Any]] = [
        *(partial(_by_fields, fields=group, where=where) for group in GROUPS),
        partial(_wins, where=where),
        partial(_dated, where=where),
        _seller_names,
    ]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        *grouped, wins, (dated, undated), names = list(pool.map(run, tasks))
    tables: dict[tuple[str | None, str | None], Counts] = defaultdict(dict)
    gaps: dict[tuple[str, str | None], tuple[int, int]] = {}
    for group, rows in zip(GROUPS, grouped, strict=True):
        for month, category, *values, n, revenue, gap in rows:
            if month is None:
                continue  # undated no's are counted separately
            if group == ("seller",):
                values = [names.get(values[0])]
                old_gap, old_n = gaps.get((month, values[0]), (0, 0))
                gaps[(month, values[0])] = (old_gap + int(gap or 0), old_n + int(n))
            targets: list[tuple[str | None, str | None]] = [
                (f, v) for f, v in zip(group, values, strict=True) if v is not None
            ]
            if group == GROUPS[0]:
                targets.append((None, None))  # everyone, rolled up from the first group
            key = (periods.of_month(month, period), category)
            for target in targets:
                table = tables[target]
                old_n, old_revenue = table.get(key, (0, 0.0))
                table[key] = (old_n + int(n), old_revenue + float(revenue or 0.0))
    result = [Slice(field, value, counts) for (field, value), counts in tables.items()]
    return Grouped(result, gaps, _win_counts(wins, period), dated, undated)


def _by_fields(connection: Connection, fields: tuple[str, ...], where: Any = None) -> list[Any]:
    month = _month(connection, No.occurred_on).label("month")
    columns = [Deal.seller_id if f == "seller" else getattr(Deal, f) for f in fields]
    gap = func.sum(case((No.reason_understood.is_(False), 1), else_=0))
    query = (
        select(
            month,
            No.main_category,
            *columns,
            func.count(No.id),
            func.coalesce(func.sum(Deal.amount), 0.0),
            gap,
        )
        .join(Deal, No.deal_id == Deal.id)
        .group_by(month, No.main_category, *columns)
    )
    if where is not None:
        query = query.where(where)
    return list(connection.execute(query))


def _seller_names(connection: Connection) -> dict[int | None, str | None]:
    names: dict[int | None, str | None] = {None: None}
    names.update({i: n for i, n in connection.execute(select(Seller.id, Seller.name))})
    return names


def _dated(connection: Connection, where: Any = None) -> tuple[int, int]:
    query = select(func.count(No.occurred_on), func.count(No.id) - func.count(No.occurred_on))
    if where is not None:
        query = query.join(Deal, No.deal_id == Deal.id).where(where)
    dated, undated = connection.execute(query).one()
    return int(dated), int(undated)


def _wins(connection: Connection, where: Any = None) -> list[Any]:
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
        .where(true() if where is None else where)
        .group_by(month, Deal.industry, Deal.size, Deal.region, Deal.product, Seller.name)
    )
    return list(connection.execute(query))


def _win_counts(rows: list[Any], period: str) -> WinCounts:
    """Won deals per slice and period, rolled up like the no's (everyone, then each field)."""
    counts: WinCounts = defaultdict(lambda: defaultdict(int))
    for month, *segments, n in rows:
        key = periods.of_month(month, period)
        counts[(None, None)][key] += int(n)
        for field, value in zip(SEGMENTS, segments, strict=True):
            if value is not None:
                counts[(field, value)][key] += int(n)
    return counts
