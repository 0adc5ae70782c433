"""Shift detection on seeded synthetic catalogs (plain count tables, no database)."""

from __future__ import annotations

import random

from whyno.trends.shifts import Counts, Slice, detect_shifts

CATEGORIES = [
    "product.price",
    "market.competitor",
    "market.budget",
    "market.timing",
    "approach.value_unclear",
    "product.capability",
    "unknown.no_reason",
]
MONTHS = [f"{2025 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}" for m in range(1, 25)]


def catalog(
    seed: int,
    per_month: int = 120,
    rise: tuple[str, int, float] | None = None,
    segment: str | None = None,
) -> list[Slice]:
    """24 months of no's; optionally one reason's weight jumps from a month on."""
    rng = random.Random(seed)
    everyone: Counts = {}
    by_segment: dict[str, Counts] = {"A": {}, "B": {}}
    for index, month in enumerate(MONTHS, start=1):
        for _ in range(per_month):
            group = rng.choice("AB")
            weights = [1.0] * len(CATEGORIES)
            if rise and index >= rise[1] and (segment is None or group == segment):
                weights[CATEGORIES.index(rise[0])] = rise[2]
            category = rng.choices(CATEGORIES, weights)[0]
            for table in (everyone, by_segment[group]):
                n, revenue = table.get((month, category), (0, 0.0))
                table[(month, category)] = (n + 1, revenue + 1000.0)
    return [Slice(None, None, everyone)] + [Slice("industry", k, v) for k, v in by_segment.items()]


def test_an_injected_rise_is_found_in_the_right_period_and_direction() -> None:
    report = detect_shifts(catalog(1, rise=("market.competitor", 19, 3.0)))
    assert report.enough_evidence
    found = [f for f in report.findings if f.category == "market.competitor" and f.segment is None]
    assert len(found) == 1
    finding = found[0]
    assert finding.direction == "up"
    assert finding.period == "2026-07..2026-12"
    assert finding.since in ("2026-06", "2026-07", "2026-08")  # month 19 = 2026-07
    assert finding.recent_share > 2 * finding.baseline_share
    assert finding.q_value <= 0.05


def test_a_rise_in_one_segment_is_found_in_that_segment() -> None:
    report = detect_shifts(catalog(2, rise=("market.budget", 17, 4.0), segment="B"))
    segments = {str(f.segment) for f in report.findings if f.category == "market.budget"}
    assert "{'industry': 'B'}" in segments
    assert "{'industry': 'A'}" not in segments


def test_a_fall_is_reported_as_down() -> None:
    everyone = catalog(3, rise=("product.capability", 1, 3.0))[0]  # high from the start...
    counts: Counts = {}
    for (month, category), (n, r) in everyone.counts.items():  # ...then it stops after month 18
        if category == "product.capability" and month >= "2026-07":
            n = n // 6
        counts[(month, category)] = (n, r)
    report = detect_shifts([Slice(None, None, counts)])
    [finding] = [f for f in report.findings if f.category == "product.capability"]
    assert finding.direction == "down"


def test_no_change_means_no_finding_in_at_least_95_of_100_seeds() -> None:
    runs_with_findings = sum(bool(detect_shifts(catalog(seed)).findings) for seed in range(100))
    assert runs_with_findings <= 5


def test_small_samples_say_not_enough_evidence() -> None:
    report = detect_shifts(catalog(4, per_month=4))
    assert not report.enough_evidence
    assert report.findings == []
    assert "all no's" in report.not_enough


def test_too_short_history_has_no_window() -> None:
    one_month: Counts = {("2026-01", "product.price"): (50, 0.0)}
    report = detect_shifts([Slice(None, None, one_month)])
    assert report.window is None and not report.enough_evidence


def test_quarters() -> None:
    quarterly = []
    for piece in catalog(5, rise=("market.competitor", 19, 3.0)):
        counts: Counts = {}
        for (month, category), (n, r) in piece.counts.items():
            key = (f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}", category)
            old = counts.get(key, (0, 0.0))
            counts[key] = (old[0] + n, old[1] + r)
        quarterly.append(Slice(piece.field, piece.value, counts))
    report = detect_shifts(quarterly, "quarter")
    finding = next(f for f in report.findings if f.category == "market.competitor")
    assert finding.period == "2026-Q3..2026-Q4" and finding.direction == "up"


def test_a_surge_everywhere_is_one_finding_not_one_per_seller() -> None:
    rng = random.Random(7)
    everyone: Counts = {}
    sellers: dict[str, Counts] = {f"s{i}": {} for i in range(30)}
    for index, month in enumerate(MONTHS, start=1):
        for _ in range(1500):
            seller = rng.choice(list(sellers))
            weights = [3.0 if c == "market.competitor" and index >= 19 else 1.0 for c in CATEGORIES]
            category = rng.choices(CATEGORIES, weights)[0]
            for table in (everyone, sellers[seller]):
                n, revenue = table.get((month, category), (0, 0.0))
                table[(month, category)] = (n + 1, revenue)
    slices = [Slice(None, None, everyone)] + [Slice("seller", k, v) for k, v in sellers.items()]
    report = detect_shifts(slices)
    overall = {(f.category, f.direction) for f in report.findings if f.segment is None}
    assert ("market.competitor", "up") in overall
    assert [f for f in report.findings if f.segment is not None] == []
