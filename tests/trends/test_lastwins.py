from __future__ import annotations

from whyno.trends.lastwins import compare, last_wins_span
from whyno.trends.shifts import Counts, Slice, windows


def test_span_covers_the_last_ten_wins() -> None:
    assert last_wins_span({"2026-01": 4, "2026-02": 3, "2026-03": 5}) == ("2026-01", "2026-03")
    assert last_wins_span({"2026-01": 20, "2026-03": 10}) == ("2026-03", "2026-03")
    assert last_wins_span({"2026-01": 9}) is None


def test_reasons_now_against_around_the_last_wins() -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 13)]
    counts: Counts = {}
    for i, month in enumerate(months):
        late = i >= 12
        counts[(month, "market.competitor")] = (30 if late else 5, 0.0)
        counts[(month, "product.price")] = (10, 0.0)
    wins = {(None, None): {"2025-02": 6, "2025-03": 6}}  # we stopped winning in March 2025
    window = windows(months)
    assert window is not None
    [item] = compare([Slice(None, None, counts)], wins, window)
    assert (item.wins_period, item.then_total) == ("2025-02..2025-03", 30)
    assert [(d.category, d.direction) for d in item.differences] == [
        ("market.competitor", "up"),
        ("product.price", "down"),
    ]
