"""Which reasons rose or fell: the recent window against the baseline before it.

Works on plain count tables, so it is testable on synthetic catalogs without a
database. The method (also printed in the report):

1. Each no counts once, under its main reason. Shares are per slice: everyone,
   and each value of each segment field (industry, size, region, product,
   seller). No's without a classified reason are left out of the shares.
2. Only complete periods are tested: the current month (or quarter) is still
   filling up, so it is shown as partial and never compared with full ones.
   Recent windows: the last complete month, the last 3 and the last 6 months
   (for quarters: the last quarter and the last 2); baseline: the 12 months
   (4 quarters) before the longest recent window. A slice with fewer than 30
   no's in a window is "not enough evidence" there and is not tested.
3. For each reason seen at least 10 times in the slice, a two-sided test of
   recent share = baseline share (Fisher's exact test when counts are small,
   else the two-proportion z-test), for each recent window.
4. One family: every test of the analysis (each reason, in each slice, for
   each recent window, and each comparison with the reasons heard around our
   last wins) goes through one Benjamini-Hochberg procedure at 5%, on exact
   p-values. A finding is listed when its q-value is at most 0.05 and the
   share moved by at least 2 points; a reason in a slice is listed once, in
   the window where the evidence is strongest. With no real change anywhere,
   a catalog shows a finding at most about 5% of the time (measured by
   ``bench/trends_calibration.py``). A segment's finding that only echoes a
   significant change for everyone is folded into it: it stands alone only
   when its change differs from everyone's by at least 3 standard errors.
5. For each finding, the most likely period the change started (a binomial
   change point over the baseline and recent windows).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from whyno import stats
from whyno.trends import periods

ALPHA = 0.05
MIN_NOS = 30  # per window and slice
MIN_REASON = 10  # occurrences of a reason in a slice (both windows) to test it
MIN_CHANGE = 0.02  # absolute change in share worth reporting
EVERYONE_SHARE = 0.5  # of the error rate, for the tests on all no's (segments share the rest)
FOLD_Z = 3.0  # a segment stands alone when its change differs from everyone's by 3 std errors
WINDOWS = {"month": (6, 12), "quarter": (2, 4)}  # (longest recent, baseline) in periods

# (period, category) -> (no's, lost revenue); category None = not classified yet
Counts = dict[tuple[str, str | None], tuple[int, float]]


@dataclass(frozen=True)
class Slice:
    field: str | None  # None: everyone
    value: str | None
    counts: Counts

    @property
    def label(self) -> str:
        return "all no's" if self.field is None else f"{self.field} = {self.value}"


@dataclass(frozen=True)
class Window:
    period: str  # month or quarter
    recent: list[str]  # the longest recent window
    baseline: list[str]
    spans: tuple[int, ...] = (1,)  # lengths of the recent windows tested, shortest first
    partial: list[str] = field(default_factory=list)  # periods not complete yet: never tested

    @property
    def recent_label(self) -> str:
        return _span(self.recent)

    @property
    def baseline_label(self) -> str:
        return _span(self.baseline)

    def recents(self) -> list[list[str]]:
        """Every recent window tested, shortest first; each ends at the last complete period."""
        return [self.recent[-n:] for n in self.spans]


def _span(labels: Sequence[str]) -> str:
    if not labels:
        return ""
    return labels[0] if len(labels) == 1 else f"{labels[0]}..{labels[-1]}"


@dataclass(frozen=True)
class Finding:
    category: str
    direction: str  # up or down
    recent_share: float
    baseline_share: float
    recent_ci: tuple[float, float]
    baseline_ci: tuple[float, float]
    p_value: float
    q_value: float
    period: str  # the recent window where the evidence is strongest
    baseline_period: str
    segment: dict[str, str] | None
    recent_nos: int
    recent_total: int
    baseline_nos: int
    baseline_total: int
    recent_revenue: float
    since: str | None
    span: int  # periods in the finding's recent window

    @property
    def change(self) -> float:
        return self.recent_share - self.baseline_share


@dataclass(frozen=True)
class Test:
    """One comparison of a reason's share: a recent window of a slice against its baseline."""

    piece: Slice
    category: str
    recent: tuple[str, ...]
    baseline: tuple[str, ...]
    k_recent: int
    n_recent: int
    k_baseline: int
    n_baseline: int
    p_value: float

    @property
    def change(self) -> float:
        return self.k_recent / self.n_recent - self.k_baseline / self.n_baseline


@dataclass
class ShiftReport:
    window: Window | None
    findings: list[Finding] = field(default_factory=list)
    tests: int = 0  # tests in the family the q-values were computed over
    not_enough: list[str] = field(default_factory=list)  # slices too small to test
    unclassified: int = 0  # no's left out of shares (no reason label yet)

    @property
    def enough_evidence(self) -> bool:
        return self.window is not None and "all no's" not in self.not_enough


def spans_for(recent: int) -> tuple[int, ...]:
    """The recent windows tested: the last period, half the longest window, the longest."""
    return tuple(sorted({1, (recent + 1) // 2, recent}))


def windows(
    labels: Sequence[str],
    period: str = "month",
    sizes: tuple[int, int] | None = None,
    last_complete: str | None = None,
) -> Window | None:
    """The recent and baseline windows ending at the last complete period with data.

    Periods after ``last_complete`` (the current one, still filling up) are
    listed as partial and left out; calendar periods without a no count as
    periods with none. None when there are fewer than ``recent + 1`` periods.
    """
    recent_n, baseline_n = sizes or WINDOWS[period]
    ordered = sorted(set(labels))
    partial = [p for p in ordered if last_complete is not None and p > last_complete]
    complete = [p for p in ordered if p not in partial]
    if not complete:
        return None
    calendar = periods.between(complete[0], complete[-1], period)
    if len(calendar) < recent_n + 1:
        return None
    recent = calendar[-recent_n:]
    baseline = calendar[-(recent_n + baseline_n) : -recent_n]
    return Window(period, recent, baseline, spans_for(recent_n), partial)


def totals(counts: Counts, labels: Sequence[str]) -> tuple[dict[str, int], int, float]:
    """(no's per reason, all classified no's, lost revenue) over the periods ``labels``."""
    wanted = set(labels)
    per: dict[str, int] = defaultdict(int)
    revenue = 0.0
    for (p, category), (n, amount) in counts.items():
        if p in wanted and category is not None:
            per[category] += n
            revenue += amount
    return dict(per), sum(per.values()), revenue


def revenue_by_reason(counts: Counts, labels: Sequence[str]) -> dict[str, float]:
    """Lost revenue behind each classified reason over the periods ``labels``."""
    wanted = set(labels)
    revenue: dict[str, float] = defaultdict(float)
    for (p, category), (_, amount) in counts.items():
        if p in wanted and category is not None:
            revenue[category] += amount
    return dict(revenue)


def detect_shifts(
    slices: Sequence[Slice],
    period: str = "month",
    sizes: tuple[int, int] | None = None,
    last_complete: str | None = None,
) -> ShiftReport:
    """Findings that pass the test, strongest evidence first; see the module docstring.

    ``sizes`` overrides the (recent, baseline) window lengths, in periods;
    ``last_complete`` is the last period that is over (later ones are partial).
    The shift tests alone make the family here; ``analysis.analyse`` adds the
    last-wins comparisons to it.
    """
    window = windows([p for s in slices for (p, _) in s.counts], period, sizes, last_complete)
    report = ShiftReport(window)
    if window is None:
        report.not_enough.append("all no's")
        return report
    tested = shift_tests(slices, window, report)
    report.tests = len(tested)
    q_values = family_q([t.piece.field for t in tested], [t.p_value for t in tested])
    report.findings = shift_findings(tested, q_values)
    return report


def family_q(fields: Sequence[str | None], p_values: Sequence[float]) -> list[float]:
    """q-values of one family of tests, each named by the segment field of its slice.

    Weighted Benjamini-Hochberg: the tests on all no's share EVERYONE_SHARE of
    the error rate, the tests on segments the rest, so that a change for
    everyone is not drowned by the many segment tests.
    """
    groups = ["everyone" if f is None else "segments" for f in fields]
    shares = {"everyone": EVERYONE_SHARE, "segments": 1 - EVERYONE_SHARE}
    return stats.weighted_benjamini_hochberg(p_values, stats.split_weights(groups, shares))


def shift_tests(slices: Sequence[Slice], window: Window, report: ShiftReport) -> list[Test]:
    """Every test of every slice and recent window; slices too small go to ``report``."""
    everyone = next((s for s in slices if s.field is None), None)
    if everyone:
        report.unclassified = sum(n for (p, c), (n, _) in everyone.counts.items() if c is None)
    tested: list[Test] = []
    for piece in slices:
        base, n_b, _ = totals(piece.counts, window.baseline)
        any_tested = False
        for recent_periods in window.recents():
            recent, n_r, _ = totals(piece.counts, recent_periods)
            if n_r < MIN_NOS or n_b < MIN_NOS:
                continue
            any_tested = True
            for category in sorted(set(recent) | set(base)):
                k_r, k_b = recent.get(category, 0), base.get(category, 0)
                if k_r + k_b < MIN_REASON:
                    continue
                p = stats.two_proportions(k_r, n_r, k_b, n_b)
                test = Test(piece, category, tuple(recent_periods), tuple(window.baseline),
                            k_r, n_r, k_b, n_b, p)  # fmt: skip
                tested.append(test)
        if not any_tested:
            report.not_enough.append(piece.label)
    return tested


def shift_findings(tested: Sequence[Test], q_values: Sequence[float]) -> list[Finding]:
    """The tests that pass, one per reason and slice (its strongest window), folded."""
    best: dict[tuple[str | None, str | None, str], tuple[Test, float]] = {}
    overall: dict[tuple[tuple[str, ...], str], float] = {}
    for test, q in zip(tested, q_values, strict=True):
        if q > ALPHA:
            continue
        if test.piece.field is None:
            overall[(test.recent, test.category)] = test.change
        if abs(test.change) < MIN_CHANGE:
            continue
        key = (test.piece.field, test.piece.value, test.category)
        if key not in best or (q, -len(test.recent)) < (best[key][1], -len(best[key][0].recent)):
            best[key] = (test, q)
    kept = _fold([(test, _finding(test, q)) for test, q in best.values()], tested, overall)
    kept.sort(key=lambda f: (f.q_value, -abs(f.change)))
    return kept


def _fold(
    findings: list[tuple[Test, Finding]],
    tested: Sequence[Test],
    overall: dict[tuple[tuple[str, ...], str], float],
) -> list[Finding]:
    """Drop segment findings that only echo a significant change for everyone.

    ``overall`` maps each (recent window, reason) whose change for everyone
    passed the test to that change. A segment's finding on such a reason
    stays alone only when its own change differs from everyone's (in the same
    window, else the longest window where everyone's passed) by more than
    chance explains: a difference-in-differences z-test for every segment
    test of such a reason, Benjamini-Hochberg across them at 5%, and at least
    FOLD_Z standard errors. The budget freeze in one industry stays; the
    competitor surge seen everywhere, and the matching dip of every other
    reason in each seller's no's, fold.
    """
    distinct: dict[int, float] = {}  # id(test) -> p-value of its difference from everyone's
    for test in tested:
        echo = _echo(overall, test)
        if test.piece.field is not None and echo is not None:
            z = abs(test.change - echo) / max(_se(test), 1e-12)
            distinct[id(test)] = math.erfc(z / math.sqrt(2)) if z >= FOLD_Z else 1.0
    q_values = dict(zip(distinct, stats.benjamini_hochberg(list(distinct.values())), strict=True))
    return [f for test, f in findings if f.segment is None or q_values.get(id(test), 0.0) <= ALPHA]


def _echo(overall: dict[tuple[tuple[str, ...], str], float], test: Test) -> float | None:
    """Everyone's significant change of the test's reason: same window first, else the longest."""
    same = overall.get((test.recent, test.category))
    if same is not None:
        return same
    others = [(len(r), change) for (r, c), change in overall.items() if c == test.category]
    return max(others)[1] if others else None


def _se(test: Test) -> float:
    """Standard error of a test's change in share."""
    p_r, p_b = test.k_recent / test.n_recent, test.k_baseline / test.n_baseline
    variance = p_r * (1 - p_r) / test.n_recent + p_b * (1 - p_b) / test.n_baseline
    return float(variance**0.5)


def _finding(test: Test, q: float) -> Finding:
    piece, category = test.piece, test.category
    k_r, n_r, k_b, n_b = test.k_recent, test.n_recent, test.k_baseline, test.n_baseline
    revenue = revenue_by_reason(piece.counts, test.recent).get(category, 0.0)
    return Finding(
        category=category,
        direction="up" if test.change > 0 else "down",
        recent_share=round(k_r / n_r, 4),
        baseline_share=round(k_b / n_b, 4),
        recent_ci=_rounded(stats.wilson(k_r, n_r)),
        baseline_ci=_rounded(stats.wilson(k_b, n_b)),
        p_value=test.p_value,
        q_value=q,
        period=_span(test.recent),
        baseline_period=_span(test.baseline),
        segment=None if piece.field is None else {piece.field: str(piece.value)},
        recent_nos=k_r,
        recent_total=n_r,
        baseline_nos=k_b,
        baseline_total=n_b,
        recent_revenue=round(revenue, 2),
        since=_since(piece.counts, category, [*test.baseline, *test.recent]),
        span=len(test.recent),
    )


def _rounded(interval: tuple[float, float]) -> tuple[float, float]:
    return round(interval[0], 4), round(interval[1], 4)


def period_totals(counts: Counts) -> dict[str, int]:
    """Classified no's per period."""
    sizes: dict[str, int] = defaultdict(int)
    for (period, category), (n, _) in counts.items():
        if category is not None:
            sizes[period] += n
    return sizes


def _since(counts: Counts, category: str, periods: Sequence[str]) -> str | None:
    hits = [counts.get((p, category), (0, 0.0))[0] for p in periods]
    sizes = period_totals(counts)
    split = stats.change_point(hits, [sizes.get(p, 0) for p in periods])
    return periods[split] if split is not None else None


def revenue_over_time(counts: Counts) -> dict[str, dict[str, float]]:
    """period -> category -> share of that period's lost revenue (classified no's only)."""
    per_period: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (p, category), (_, amount) in counts.items():
        if category is not None:
            per_period[p][category] += amount
    out: dict[str, dict[str, float]] = {}
    for p, cats in sorted(per_period.items()):
        total = sum(cats.values())
        out[p] = {c: (v / total if total else 0.0) for c, v in cats.items()}
    return out


def shares_over_time(counts: Counts) -> dict[str, dict[str, tuple[int, int]]]:
    """period -> category -> (no's with that main reason, classified no's that period)."""
    per_period: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (p, category), (n, _) in counts.items():
        if category is not None:
            per_period[p][category] += n
    return {
        p: {c: (k, sum(cats.values())) for c, k in cats.items()}
        for p, cats in sorted(per_period.items())
    }
