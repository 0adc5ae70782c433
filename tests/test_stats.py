from __future__ import annotations

import math

import pytest

from whyno import stats


def test_wilson_interval_exact_values() -> None:
    low, high = stats.wilson(10, 100)
    assert (round(low, 4), round(high, 4)) == (0.0552, 0.1744)
    assert stats.wilson(0, 0) == (0.0, 1.0)
    assert stats.wilson(0, 20)[0] == 0.0
    assert stats.wilson(20, 20)[1] == 1.0


def test_fisher_exact_matches_the_textbook_table() -> None:
    # Fisher's tea tasting: 3 of 4 right, two-sided p = 0.4857
    assert round(stats.fisher_exact(3, 4, 1, 4), 4) == 0.4857
    assert stats.fisher_exact(0, 10, 0, 10) == 1.0


def test_two_proportions_uses_the_z_test_for_large_counts() -> None:
    p = stats.two_proportions(150, 1000, 100, 1000)
    pooled = 250 / 2000
    z = (0.15 - 0.10) / math.sqrt(pooled * (1 - pooled) * (2 / 1000))
    assert p == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert stats.two_proportions(5, 0, 1, 10) == 1.0


def test_benjamini_hochberg() -> None:
    q = stats.benjamini_hochberg([0.01, 0.04, 0.03, 0.2])
    assert [round(v, 4) for v in q] == [0.04, 0.0533, 0.0533, 0.2]
    assert stats.benjamini_hochberg([]) == []


def test_change_point_finds_the_step() -> None:
    hits = [10] * 8 + [30] * 6
    totals = [100] * 14
    assert stats.change_point(hits, totals) == 8
    assert stats.change_point([1, 2], [10, 10]) is None
