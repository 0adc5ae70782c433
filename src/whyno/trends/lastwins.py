"""Now versus around our last wins: how the reasons we hear now differ from the
reasons we heard while we were still winning, per segment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from whyno import stats
from whyno.trends.shifts import ALPHA, MIN_CHANGE, MIN_NOS, Slice, Window, family_q, totals

LAST_WINS = 10  # the run of wins that defines "around our last wins"


@dataclass(frozen=True)
class Difference:
    category: str
    direction: str
    now_share: float
    then_share: float
    q_value: float


@dataclass
class Comparison:
    slice: str
    wins_period: str  # when the last wins happened
    now_period: str
    then_total: int
    now_total: int
    differences: list[Difference] = field(default_factory=list)
    note: str = ""


def last_wins_span(wins: Mapping[str, int]) -> tuple[str, str] | None:
    """(first, last) period of the most recent LAST_WINS wins, or None if fewer."""
    seen = 0
    for period in sorted(wins, reverse=True):
        seen += wins[period]
        if seen >= LAST_WINS:
            return period, max(wins)
    return None


@dataclass(frozen=True)
class Test:
    """One reason's share now against around the last wins, in one slice."""

    item: Comparison
    field: str | None  # the slice's segment field (None: everyone)
    category: str
    k_now: int
    n_now: int
    k_then: int
    n_then: int
    p_value: float


def compare(
    slices: Sequence[Slice],
    wins: Mapping[tuple[str | None, str | None], Mapping[str, int]],
    window: Window,
) -> list[Comparison]:
    """One comparison per slice with enough no's now and around its last wins.

    The comparisons alone make the family here; ``analysis.analyse`` tests
    them in one family with the shifts.
    """
    results, tested = comparisons(slices, wins, window)
    q_values = family_q([t.field for t in tested], [t.p_value for t in tested])
    return differences(results, tested, q_values)


def comparisons(
    slices: Sequence[Slice],
    wins: Mapping[tuple[str | None, str | None], Mapping[str, int]],
    window: Window,
) -> tuple[list[Comparison], list[Test]]:
    """The comparisons and every test they need (the q-values come later)."""
    results: list[Comparison] = []
    tests: list[Test] = []
    for piece in slices:
        span = last_wins_span(wins.get((piece.field, piece.value), {}))
        if span is None:
            continue
        first, latest = span
        then_periods = sorted({p for (p, _) in piece.counts if first <= p <= latest})
        now, n_now, _ = totals(piece.counts, window.recent)
        then, n_then, _ = totals(piece.counts, then_periods)
        item = Comparison(piece.label, f"{first}..{latest}", window.recent_label, n_then, n_now)
        results.append(item)
        if set(then_periods) & set(window.recent):
            item.note = "still winning recently: the last wins overlap the recent window"
            continue
        if n_now < MIN_NOS or n_then < MIN_NOS:
            item.note = "not enough evidence (fewer than 30 no's now or then)"
            continue
        for category in sorted(set(now) | set(then)):
            k_now, k_then = now.get(category, 0), then.get(category, 0)
            if k_now + k_then >= 5:
                p = stats.two_proportions(k_now, n_now, k_then, n_then)
                tests.append(Test(item, piece.field, category, k_now, n_now, k_then, n_then, p))
    return results, tests


def differences(
    results: list[Comparison], tests: Sequence[Test], q_values: Sequence[float]
) -> list[Comparison]:
    """The comparisons with their differences that pass, or with a note."""
    for test, q in zip(tests, q_values, strict=True):
        change = test.k_now / test.n_now - test.k_then / test.n_then
        if q <= ALPHA and abs(change) >= MIN_CHANGE:
            test.item.differences.append(
                Difference(
                    test.category,
                    "up" if change > 0 else "down",
                    round(test.k_now / test.n_now, 4),
                    round(test.k_then / test.n_then, 4),
                    q,
                )
            )
    for item in results:
        item.differences.sort(key=lambda d: d.q_value)
    return [r for r in results if r.differences or r.note]
