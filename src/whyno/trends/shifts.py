"""Which reasons rose or fell: the recent window against the baseline before it.

Works on plain count tables, so it is testable on synthetic catalogs without a
database. The method (also printed in the report):

1. Each no counts once, under its main reason. Shares are per slice: everyone,
   and each value of each segment field (industry, size, region, product,
   seller). No's without a classified reason are left out of the shares.
2. Recent window: the last 6 months (or 2 quarters); baseline: the 12 months
   (4 quarters) before it. A slice with fewer than 30 no's in either window
   is "not enough evidence" and is not tested.
3. For each reason seen at least 10 times in the slice, a two-sided test of
   recent share = baseline share (Fisher's exact test when counts are small,
   else the two-proportion z-test).
4. Benjamini-Hochberg over every test of the run, at 5%. A finding is listed
   when its q-value is at most 0.05 and the share moved by at least 2 points.
   With no real change, the chance of any false finding in a run is at most
   about 5%. A segment's finding that only echoes a significant change for
   everyone is folded into it: it stands alone only when its change differs
   from everyone's by at least 3 standard errors.
5. For each finding, the most likely month the change started (a binomial
   change point over the baseline and recent windows).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from whyno.trends import stats

ALPHA = 0.05
MIN_NOS = 30  # per window and slice
MIN_REASON = 10  # occurrences of a reason in a slice (both windows) to test it
MIN_CHANGE = 0.02  # absolute change in share worth reporting
FOLD_Z = 3.0  # a segment stands alone when its change differs from everyone's by 3 std errors
WINDOWS = {"month": (6, 12), "quarter": (2, 4)}  # (recent, baseline) in periods

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
    recent: list[str]
    baseline: list[str]

    @property
    def recent_label(self) -> str:
        return _span(self.recent)

    @property
    def baseline_label(self) -> str:
        return _span(self.baseline)


def _span(periods: Sequence[str]) -> str:
    if not periods:
        return ""
    return periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}"


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
    period: str  # the recent window
    baseline_period: str
    segment: dict[str, str] | None
    recent_nos: int
    recent_total: int
    baseline_nos: int
    baseline_total: int
    recent_revenue: float
    since: str | None

    @property
    def change(self) -> float:
        return self.recent_share - self.baseline_share

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ShiftReport:
    window: Window | None
    findings: list[Finding] = field(default_factory=list)
    tests: int = 0
    not_enough: list[str] = field(default_factory=list)  # slices too small to test
    unclassified: int = 0  # no's left out of shares (no reason label yet)

    @property
    def enough_evidence(self) -> bool:
        return self.window is not None and "all no's" not in self.not_enough


def windows(
    periods: Sequence[str], period: str = "month", sizes: tuple[int, int] | None = None
) -> Window | None:
    """The recent and baseline windows ending at the last period with data."""
    recent_n, baseline_n = sizes or WINDOWS[period]
    ordered = sorted(set(periods))
    if len(ordered) < recent_n + 1:
        return None
    recent = ordered[-recent_n:]
    baseline = ordered[-(recent_n + baseline_n) : -recent_n]
    return Window(period, recent, baseline)


def totals(counts: Counts, periods: Sequence[str]) -> tuple[dict[str, int], int, float]:
    """(no's per reason, all classified no's, lost revenue) over ``periods``."""
    wanted = set(periods)
    per: dict[str, int] = defaultdict(int)
    revenue = 0.0
    for (p, category), (n, amount) in counts.items():
        if p in wanted and category is not None:
            per[category] += n
            revenue += amount
    return dict(per), sum(per.values()), revenue


def detect_shifts(
    slices: Sequence[Slice], period: str = "month", sizes: tuple[int, int] | None = None
) -> ShiftReport:
    """Findings that pass the test, strongest evidence first; see the module docstring.

    ``sizes`` overrides the (recent, baseline) window lengths, in periods.
    """
    all_periods = [p for s in slices for (p, _) in s.counts]
    window = windows(all_periods, period, sizes)
    report = ShiftReport(window)
    if window is None:
        report.not_enough.append("all no's")
        return report
    everyone = next((s for s in slices if s.field is None), None)
    if everyone:
        report.unclassified = sum(n for (p, c), (n, _) in everyone.counts.items() if c is None)
    candidates: list[tuple[Slice, str, int, int, int, int, float]] = []
    for piece in slices:
        recent, n_r, _ = totals(piece.counts, window.recent)
        base, n_b, _ = totals(piece.counts, window.baseline)
        if n_r < MIN_NOS or n_b < MIN_NOS:
            report.not_enough.append(piece.label)
            continue
        for category in sorted(set(recent) | set(base)):
            k_r, k_b = recent.get(category, 0), base.get(category, 0)
            if k_r + k_b < MIN_REASON:
                continue
            p = stats.two_proportions(k_r, n_r, k_b, n_b)
            candidates.append((piece, category, k_r, n_r, k_b, n_b, p))
    report.tests = len(candidates)
    q_values = stats.benjamini_hochberg([c[-1] for c in candidates])
    for (piece, category, k_r, n_r, k_b, n_b, p), q in zip(candidates, q_values, strict=True):
        change = k_r / n_r - k_b / n_b
        if q <= ALPHA and abs(change) >= MIN_CHANGE:
            report.findings.append(_finding(piece, category, window, (k_r, n_r, k_b, n_b), p, q))
    overall = {
        category: k_r / n_r - k_b / n_b
        for (piece, category, k_r, n_r, k_b, n_b, _), q in zip(candidates, q_values, strict=True)
        if piece.field is None and q <= ALPHA
    }
    report.findings = _fold(report.findings, overall)
    report.findings.sort(key=lambda f: (f.q_value, -abs(f.change)))
    return report


def _fold(findings: list[Finding], overall: dict[str, float]) -> list[Finding]:
    """Drop segment findings that only echo a significant change for everyone.

    ``overall`` maps each reason whose overall change passed the test to that
    change. A segment stays alone when its own change differs from everyone's
    by at least FOLD_Z standard errors (a difference-in-differences test): the
    budget freeze in one industry stays; the competitor surge seen everywhere,
    and the matching dip of every other reason in each seller's no's, fold.
    """
    kept = []
    for f in findings:
        echo = overall.get(f.category)
        if f.segment is None or echo is None or abs(f.change - echo) >= FOLD_Z * _se(f):
            kept.append(f)
    return kept


def _se(f: Finding) -> float:
    """Standard error of a finding's change in share."""
    p_r, p_b = f.recent_nos / f.recent_total, f.baseline_nos / f.baseline_total
    variance = p_r * (1 - p_r) / f.recent_total + p_b * (1 - p_b) / f.baseline_total
    return float(variance**0.5)


def _finding(
    piece: Slice, category: str, window: Window, n: tuple[int, int, int, int], p: float, q: float
) -> Finding:
    k_r, n_r, k_b, n_b = n
    revenue = sum(
        amount
        for (per, c), (_, amount) in piece.counts.items()
        if c == category and per in set(window.recent)
    )
    return Finding(
        category=category,
        direction="up" if k_r / n_r > k_b / n_b else "down",
        recent_share=round(k_r / n_r, 4),
        baseline_share=round(k_b / n_b, 4),
        recent_ci=_rounded(stats.wilson(k_r, n_r)),
        baseline_ci=_rounded(stats.wilson(k_b, n_b)),
        p_value=p,
        q_value=q,
        period=window.recent_label,
        baseline_period=window.baseline_label,
        segment=None if piece.field is None else {piece.field: str(piece.value)},
        recent_nos=k_r,
        recent_total=n_r,
        baseline_nos=k_b,
        baseline_total=n_b,
        recent_revenue=round(revenue, 2),
        since=_since(piece.counts, category, window.baseline + window.recent),
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
