"""`whyno coach insights`: behaviours against won and lost deals, honestly."""

from __future__ import annotations

from typing import Any

import pytest

from whyno.coach.insights import MIN_GROUP, compare, insights
from whyno.stats import benjamini_hochberg, fisher_exact
from whyno.store import Store
from whyno.store.models import Conversation, Deal


def _metrics(**shown: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "labels": 0,
        "mirrors": 0,
        "no_oriented_questions": 0,
        "calibrated_share": 0.0,
        "going_for_no": 0,
        "pressure": 0,
        "talk_ratio_words": 0.7,
        "rejections_heard": 0,
        "asked_why": False,
        "accepted_no": False,
        "pushes_after_no": 0,
    }
    base.update(shown)
    return base


def _deals(store: Store, *groups: tuple[int, str, dict[str, Any], str]) -> None:
    """groups of (how many deals, status, call metrics, deal source)."""
    with store.session() as session, session.begin():
        number = 0
        for count, status, metrics, source in groups:
            for _ in range(count):
                number += 1
                deal = Deal(source=source, external_id=f"D{number}", status=status)
                session.add(deal)
                session.flush()
                session.add(Conversation(deal_id=deal.id, title=f"call {number}", metrics=metrics))


def _finding(store: Store, key: str) -> Any:
    return next(f for f in insights(store).findings if f.behaviour == key)


def test_a_behaviour_that_goes_with_winning_is_found_with_its_interval(store: Store) -> None:
    _deals(
        store,
        (14, "won", _metrics(labels=2), "csv"),
        (2, "lost", _metrics(labels=1), "csv"),
        (3, "won", _metrics(), "csv"),
        (13, "lost", _metrics(), "csv"),
    )
    found = _finding(store, "label")
    assert (found.with_won, found.with_deals, found.without_won, found.without_deals) == (
        14,
        16,
        3,
        16,
    )
    assert found.difference == pytest.approx(11 / 16)
    assert found.low is not None and found.high is not None
    assert 0.3 < found.low < found.difference < found.high <= 1.0
    assert found.p_value is not None and found.p_value < 0.001
    assert found.verdict == "goes with winning"


def test_no_difference_is_said_plainly(store: Store) -> None:
    _deals(
        store,
        (6, "won", _metrics(pressure=1), "csv"),
        (6, "lost", _metrics(pressure=1), "csv"),
        (6, "won", _metrics(), "csv"),
        (6, "lost", _metrics(), "csv"),
    )
    found = _finding(store, "pressure")
    assert found.difference == 0.0
    assert found.verdict == "no clear difference"


def test_too_few_deals_on_one_side_is_not_enough_calls(store: Store) -> None:
    _deals(
        store,
        (MIN_GROUP - 1, "won", _metrics(going_for_no=1), "csv"),
        (20, "lost", _metrics(), "csv"),
    )
    result = insights(store)
    found = next(f for f in result.findings if f.behaviour == "going_for_no")
    assert (found.with_deals, found.difference, found.verdict) == (4, None, "not enough calls")
    assert result.as_dict()["deals"] == 24


def test_behaviours_after_a_no_compare_only_deals_where_a_no_was_heard(store: Store) -> None:
    _deals(
        store,
        (5, "won", _metrics(rejections_heard=1, asked_why=True), "csv"),
        (5, "lost", _metrics(rejections_heard=1), "csv"),
        (30, "won", _metrics(), "csv"),
    )
    found = _finding(store, "asked_why")
    assert (found.with_deals, found.without_deals) == (5, 5)
    assert found.among == "deals where the buyer said no in a call"


def test_deals_made_for_unlinked_calls_and_open_deals_are_left_out(store: Store) -> None:
    _deals(
        store,
        (5, "lost", _metrics(labels=1), "call"),
        (5, "open", _metrics(labels=1), "csv"),
        (2, "won", _metrics(labels=1), "csv"),
    )
    result = insights(store)
    assert (result.deals, result.calls, result.won) == (2, 2, 2)
    assert not result.enough


def test_several_calls_on_one_deal_count_the_deal_once(store: Store) -> None:
    _deals(store, (1, "won", _metrics(), "csv"))
    with store.session() as session, session.begin():
        session.add(Conversation(deal_id=1, title="second call", metrics=_metrics(mirrors=1)))
    result = insights(store)
    mirror = next(f for f in result.findings if f.behaviour == "mirror")
    assert (result.deals, result.calls, mirror.with_deals, mirror.without_deals) == (1, 2, 1, 0)


def _pressure_team(with_won: int, with_n: int, without_won: int, without_n: int) -> Any:
    """Deals as ``compare`` takes them: (status, [call metrics]) by deal id."""
    deals: dict[int, tuple[str, list[dict[str, Any]]]] = {}
    for pressure, won, n in ((1, with_won, with_n), (0, without_won, without_n)):
        for i in range(n):
            deals[len(deals)] = ("won" if i < won else "lost", [_metrics(pressure=pressure)])
    return deals, {d for d, (status, _) in deals.items() if status == "won"}


def test_a_very_strong_effect_is_reported_as_a_difference() -> None:
    # the demo's "used pressure: won 0/42 vs 36/98": its p-value rounds to 0.0 at 4 places
    deals, won = _pressure_team(0, 42, 36, 98)
    [finding] = [f for f in compare(deals, won) if f.behaviour == "pressure"]
    assert finding.verdict == "goes with losing"
    assert finding.p_value is not None and 0 < finding.p_value < 5e-5
    assert finding.q_value is not None and finding.q_value <= 0.05
    assert finding.low is not None and finding.high is not None and finding.high < 0


def test_the_p_value_path_never_rounds_before_correcting() -> None:
    deals, won = _pressure_team(3, 40, 30, 80)
    [finding] = [f for f in compare(deals, won) if f.behaviour == "pressure"]
    exact = fisher_exact(3, 40, 30, 80)
    assert finding.p_value == exact and round(exact, 4) != exact
    tested = [f for f in compare(deals, won) if f.p_value is not None]
    assert (
        finding.q_value
        == benjamini_hochberg([f.p_value or 0.0 for f in tested])[
            tested.index(next(f for f in tested if f.behaviour == "pressure"))
        ]
    )
