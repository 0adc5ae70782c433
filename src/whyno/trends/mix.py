"""Plain counts: how many no's each reason has, its share and a 95% interval.

Shown at any catalog size (no test threshold): a small catalog cannot say
what changed, but it can say what it has heard so far, and how sure that is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from whyno import stats
from whyno.reasons.taxonomy import Taxonomy
from whyno.trends.shifts import Counts, revenue_by_reason, totals


@dataclass(frozen=True)
class Share:
    category: str
    label: str
    nos: int
    share: float  # of the classified no's counted
    low: float  # 95% Wilson interval of the share
    high: float
    lost_revenue: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
