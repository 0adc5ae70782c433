from __future__ import annotations

import datetime as dt

import pytest

from whyno.store.models import DealStatus, EndedBy
from whyno.values import (
    ValueProblem,
    infer_ended_by,
    parse_amount,
    parse_currency,
    parse_date,
    parse_ended_by,
    status_from,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-31", dt.date(2024, 3, 31)),
        ("2024-03-31T09:15:00.000+0000", dt.date(2024, 3, 31)),
        ("2024-03-31 14:05", dt.date(2024, 3, 31)),
        ("3/31/2024", dt.date(2024, 3, 31)),
        ("3/1/17", dt.date(2017, 3, 1)),
        ("31.03.2024", dt.date(2024, 3, 31)),
        ("31.03.2024 10:15", dt.date(2024, 3, 31)),
        ("20240331", dt.date(2024, 3, 31)),
        ("1711843200", dt.date(2024, 3, 31)),
        ("1711843200000", dt.date(2024, 3, 31)),
        ("Mar 31, 2024", dt.date(2024, 3, 31)),
        ("31 March 2024", dt.date(2024, 3, 31)),
    ],
)
def test_parse_date_formats(raw: str, expected: dt.date) -> None:
    assert parse_date(raw) == expected


def test_parse_date_dayfirst_swaps_slash_dates() -> None:
    assert parse_date("03/04/2024") == dt.date(2024, 3, 4)
    assert parse_date("03/04/2024", dayfirst=True) == dt.date(2024, 4, 3)


@pytest.mark.parametrize("raw", ["2024-13-01", "31/31/2024", "yesterday", "2024-02-30", "12"])
def test_parse_date_rejects_impossible_dates(raw: str) -> None:
    with pytest.raises(ValueProblem):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "amount", "currency"),
    [
        ("$1,200.00", 1200.0, "USD"),
        ("1.200,00 €", 1200.0, "EUR"),
        ("1 200,50", 1200.5, None),
        ("1200", 1200.0, None),
        ("12,5", 12.5, None),
        ("1,234,567.89", 1234567.89, None),
        ("EUR 3,000", 3000.0, "EUR"),
        ("(1,200.00)", -1200.0, None),
        ("-75", -75.0, None),
        ("£99.99", 99.99, "GBP"),
        ("₹ 4,50,000", 450000.0, "INR"),
        ("1'200.50 CHF", 1200.5, "CHF"),
        ("- $ 40", -40.0, "USD"),
    ],
)
def test_parse_amount(raw: str, amount: float, currency: str | None) -> None:
    money = parse_amount(raw)
    assert money.amount == pytest.approx(amount)
    assert money.currency == currency


@pytest.mark.parametrize("raw", ["abc", "$", "12-5", "--", "x1", "1x", "12 apples", "1.2.3,4,5a"])
def test_parse_amount_rejects_non_numbers(raw: str) -> None:
    with pytest.raises(ValueProblem):
        parse_amount(raw)


def test_parse_currency() -> None:
    assert parse_currency("usd") == "USD"
    assert parse_currency("€") == "EUR"
    with pytest.raises(ValueProblem):
        parse_currency("dollars")


@pytest.mark.parametrize(
    ("stage", "status", "expected"),
    [
        ("Closed Lost", None, DealStatus.LOST),
        ("closedlost", None, DealStatus.LOST),
        ("Closed - Lost", None, DealStatus.LOST),
        ("Closed Lost to Competition", None, DealStatus.LOST),
        ("Lost", None, DealStatus.LOST),
        ("Closed - Disqualified", None, DealStatus.LOST),
        ("Closed Won", None, DealStatus.WON),
        ("closedwon", None, DealStatus.WON),
        ("Won", None, DealStatus.WON),
        ("Negotiation/Review", None, DealStatus.OPEN),
        ("Proposal Made", "lost", DealStatus.LOST),
        ("Proposal Made", "won", DealStatus.WON),
        (None, None, DealStatus.OPEN),
    ],
)
def test_status_from_stage_or_status(
    stage: str | None, status: str | None, expected: DealStatus
) -> None:
    assert status_from(stage, status) is expected


def test_status_from_custom_stage_names() -> None:
    assert status_from("Verloren", None) is DealStatus.OPEN
    assert status_from("Verloren", None, lost_stages=frozenset({"verloren"})) is DealStatus.LOST
    assert status_from("Gewonnen", None, won_stages=frozenset({"gewonnen"})) is DealStatus.WON


def test_parse_ended_by_accepts_synonyms_and_rejects_others() -> None:
    assert parse_ended_by("Prospect") is EndedBy.THEM
    assert parse_ended_by("us") is EndedBy.US
    assert parse_ended_by("Ghosted") is EndedBy.SILENT
    with pytest.raises(ValueProblem):
        parse_ended_by("maybe")


@pytest.mark.parametrize(
    ("stage", "reason", "expected"),
    [
        ("Closed Lost", "Price", EndedBy.THEM),
        ("Closed Lost", "Disqualified - too small", EndedBy.US),
        ("Closed - Unqualified", None, EndedBy.US),
        ("Closed Lost", "No response after demo", EndedBy.SILENT),
        ("Closed Lost", "went dark", EndedBy.SILENT),
        ("Closed Lost", None, None),
        ("Closed Lost", "  ", None),
    ],
)
def test_infer_ended_by(stage: str, reason: str | None, expected: EndedBy | None) -> None:
    assert infer_ended_by(stage, reason) is expected
