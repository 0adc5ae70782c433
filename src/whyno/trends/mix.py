"""Plain counts: how many no's each reason has, its share and a 95% interval.

Shown at any catalog size (no test threshold): a small catalog cannot say
what changed, but it can say what it has heard so far, and how sure that is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whyno import stats
from whyno.reasons.taxonomy import Taxonomy
from whyno.trends.shifts import Counts, Slice, period_totals, revenue_by_reason, totals


@dataclass(frozen=True)
class Share:
    category: str
    label: str
    nos: int
    share: float  # of the classified no's counted
    low: float  # 95% Wilson interval of the share
    high: float
    lost_revenue: float


@dataclass(frozen=True)
class ShareSeries:
    """One reason's share of the classified no's in each period, with 95% Wilson intervals:
    ready to draw."""

    periods: list[str]
    shares: list[float]
    low: list[float]
    high: list[float]


def series(counts: Counts, category: str) -> ShareSeries:
    """``category``'s share per period of ``counts`` (a period with no no's: 0, interval 0-1)."""
    sizes = period_totals(counts)
    out = ShareSeries(sorted({p for p, _ in counts}), [], [], [])
    for period in out.periods:
        k, n = counts.get((period, category), (0, 0.0))[0], sizes.get(period, 0)
        low, high = stats.wilson(k, n)
        out.shares.append(k / n if n else 0.0)
        out.low.append(low)
        out.high.append(high)
    return out


def slice_of(slices: Sequence[Slice], segment: dict[str, str] | None) -> Slice | None:
    """The slice a finding's segment names (None: everyone)."""
    for piece in slices:
        if segment is None and piece.field is None:
            return piece
        if segment and piece.field in segment and str(piece.value) == segment[piece.field]:
            return piece
    return None


def shares(counts: Counts, labels: Sequence[str], taxonomy: Taxonomy) -> list[Share]:
    """Each reason's no's over the periods ``labels``, most frequent first."""
    per, total, _ = totals(counts, labels)
    revenue = revenue_by_reason(counts, labels)
    names = {c.id: c.label for c in taxonomy}
    out = []
    for category, n in sorted(per.items(), key=lambda kv: (-kv[1], kv[0])):
        low, high = stats.wilson(n, total)
        out.append(
            Share(
                category,
                names.get(category, category),
                n,
                round(n / total, 4),
                round(low, 4),
                round(high, 4),
                round(revenue.get(category, 0.0), 2),
            )
        )
    return out
