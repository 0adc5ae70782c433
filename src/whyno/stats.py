"""Small, exact statistics for proportions (standard library only).

- :func:`wilson`: the Wilson score interval for k successes in n trials;
- :func:`difference_interval`: an interval for the difference of two shares;
- :func:`two_proportions`: two-sided p-value that two shares differ (Fisher's
  exact test when an expected count is small, else the pooled z-test);
- :func:`benjamini_hochberg`: q-values controlling the false discovery rate;
- :func:`weighted_benjamini_hochberg`: the same with prior weights (mean 1);
- :func:`split_weights`: weights that give groups of tests fixed shares of the error rate;
- :func:`change_point`: where a share most likely changed in a series.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for the share k/n ((0, 1) when n is 0)."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """95% interval for k1/n1 - k2/n2 (Newcombe's hybrid score method, from Wilson intervals)."""
    p1, p2 = k1 / n1 if n1 else 0.0, k2 / n2 if n2 else 0.0
    low1, high1 = wilson(k1, n1)
    low2, high2 = wilson(k2, n2)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2)
    high = difference + math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2)
    return max(-1.0, low), min(1.0, high)


def two_proportions(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value for H0: the share k1/n1 equals the share k2/n2."""
    if n1 <= 0 or n2 <= 0:
        return 1.0
    total, hits = n1 + n2, k1 + k2
    expected = min(n1 * hits, n2 * hits, n1 * (total - hits), n2 * (total - hits)) / total
    if expected < 5:
        return fisher_exact(k1, n1, k2, n2)
    pooled = hits / total
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    z = (k1 / n1 - k2 / n2) / se
    return math.erfc(abs(z) / math.sqrt(2))


def fisher_exact(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided Fisher exact test on the 2x2 table [[k1, n1-k1], [k2, n2-k2]]."""
    hits = k1 + k2
    low, high = max(0, hits - n2), min(n1, hits)

    def log_p(x: int) -> float:
        return _log_choose(n1, x) + _log_choose(n2, hits - x) - _log_choose(n1 + n2, hits)

    observed = log_p(k1)
    total = 0.0
    for x in range(low, high + 1):
        lp = log_p(x)
        if lp <= observed + 1e-9:
            total += math.exp(lp)
    return min(1.0, total)


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = min(1.0, running)
    return q


def weighted_benjamini_hochberg(p_values: Sequence[float], weights: Sequence[float]) -> list[float]:
    """Weighted Benjamini-Hochberg q-values (Genovese, Roeder and Wasserman, 2006).

    Each p-value is divided by its weight before the procedure; with weights
    that average 1 the false discovery rate is controlled as in the plain
    procedure, while tests with a larger weight need less evidence.
    """
    if len(p_values) != len(weights):
        raise ValueError("one weight per p-value")
    if any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    return benjamini_hochberg([min(1.0, p / w) for p, w in zip(p_values, weights, strict=True)])


def split_weights(groups: Sequence[str], shares: dict[str, float]) -> list[float]:
    """Weights (mean 1) that give each group of tests its share of the error rate.

    ``groups`` names the group of each test; ``shares`` the share of each group
    (they are renormalised over the groups present). A group of ``k`` of the
    ``m`` tests with share ``s`` gives each of its tests the weight ``s * m / k``.
    """
    m = len(groups)
    sizes: dict[str, int] = {}
    for group in groups:
        sizes[group] = sizes.get(group, 0) + 1
    total = sum(shares[g] for g in sizes)
    return [shares[g] / total * m / sizes[g] for g in groups]


def change_point(hits: Sequence[int], totals: Sequence[int], min_side: int = 2) -> int | None:
    """Index of the first period after the most likely change in share, or None.

    Maximises the two-segment binomial log-likelihood over split points with at
    least ``min_side`` periods on each side.
    """
    best, best_ll = None, -math.inf
    for split in range(min_side, len(hits) - min_side + 1):
        ll = _segment_ll(hits[:split], totals[:split]) + _segment_ll(hits[split:], totals[split:])
        if ll > best_ll:
            best, best_ll = split, ll
    return best


def _segment_ll(hits: Sequence[int], totals: Sequence[int]) -> float:
    k, n = sum(hits), sum(totals)
    if n == 0 or k in (0, n):
        return 0.0
    p = k / n
    return k * math.log(p) + (n - k) * math.log(1 - p)
