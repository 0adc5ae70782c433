"""Calendar periods as labels: "2026-05" (month) or "2026-Q2" (quarter)."""

from __future__ import annotations

import datetime as dt


def of_month(month: str, period: str) -> str:
    """ "2026-05" -> "2026-05" (month) or "2026-Q2" (quarter)."""
    if period == "quarter":
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month


def of_date(day: dt.date, period: str) -> str:
    """The label of the period holding ``day``."""
    return of_month(f"{day.year:04d}-{day.month:02d}", period)


def _index(label: str, period: str) -> int:
    year = int(label[:4])
    if period == "quarter":
        return year * 4 + int(label[-1]) - 1
    return year * 12 + int(label[5:7]) - 1


def _label(index: int, period: str) -> str:
    if period == "quarter":
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def step(label: str, period: str, n: int) -> str:
    """The period ``n`` periods after ``label`` (before it when ``n`` is negative)."""
    return _label(_index(label, period) + n, period)


def between(first: str, last: str, period: str) -> list[str]:
    """Every period from ``first`` to ``last``, both included (empty when last < first)."""
    return [_label(i, period) for i in range(_index(first, period), _index(last, period) + 1)]


def bounds(first: str, last: str, period: str) -> tuple[dt.date, dt.date]:
    """(first day of ``first``, last day of ``last``)."""
    start_month = _month_index(first, period, start=True)
    end_month = _month_index(last, period, start=False) + 1
    start = dt.date(start_month // 12, start_month % 12 + 1, 1)
    after = dt.date(end_month // 12, end_month % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


def _month_index(label: str, period: str, start: bool) -> int:
    index = _index(label, period)
    if period == "quarter":
        return index * 3 + (0 if start else 2)
    return index
