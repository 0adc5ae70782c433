"""One behaviour per hard case named in issue 20, both sides, on the shipped model.

Each case is a short exchange written here (not taken from any corpus): the
other side's turn, then the judged turn.
"""

from __future__ import annotations

import pytest

from whyno.contextual.buyer import buyer_labels
from whyno.contextual.seller import tag_sellers

NOT_A_NO = [
    pytest.param(
        "We can have the new dashboards live for your team by Monday.",
        "Oh wow, yes, that is exactly what we need, let's do it!",
        id="enthusiastic agreement",
    ),
    pytest.param(
        "Would you be willing to give something to the shelter this month?",
        "Sure, put me down for twenty five dollars.",
        id="a donation amount",
    ),
    pytest.param(
        "Have you ever used a scheduling tool before?",
        "No, I haven't, we just use a whiteboard.",
        id="no answering a yes/no question",
    ),
    pytest.param(
        "The plan includes unlimited users and phone support.",
        "Does it also sync with Outlook calendars?",
        id="a question about the product",
    ),
]

PUSHBACK = [
    pytest.param(
        "The bike is listed at 450 and it's in great shape.",
        "450 is way too much for a used one, I could do 300.",
        id="a price complaint with a lower offer",
    ),
    pytest.param(
        "We could start you on the annual plan at 9,000.",
        "No, we're not signing for a year. Month to month or nothing.",
        id="a counter-offer that turns the offer down",
    ),
    pytest.param(
        "So shall I send over the contract for signature today?",
        "Let me think about it and talk to my partner first.",
        id="a polite deferral",
    ),
]


@pytest.mark.parametrize(("previous", "text"), NOT_A_NO)
def test_look_alikes_of_a_no_are_not_one(previous: str, text: str) -> None:
    assert buyer_labels([previous], [text]) == ["none"]


@pytest.mark.parametrize(("previous", "text"), PUSHBACK)
def test_indirect_no_and_pushback_are_found(previous: str, text: str) -> None:
    assert buyer_labels([previous], [text]) != ["none"]


def test_the_same_words_answer_differently_in_context() -> None:
    text = "Money is really tight for us this year."
    labels = buyer_labels(
        ["Tell me a bit about how the business is going.", "It comes to 400 a month."],
        [text, text],
    )
    assert labels[0] == "none"
    assert labels[1] != "none"


def test_a_product_pitch_is_not_pressure() -> None:
    tags = tag_sellers(
        ["What does it do exactly?"],
        [
            "It pulls your invoices from the bank feed and matches them, so month end takes "
            "an hour instead of three days."
        ],
        after_rejection=[False],
    )
    assert "pressure" not in tags[0]


def test_understood_then_a_price_is_not_accepting_a_no() -> None:
    tags = tag_sellers(
        ["How much would it be for twelve of us?"],
        ["Understood. For twelve seats the price is 480 a month."],
        after_rejection=[False],
    )
    assert "accepts_no" not in tags[0]
    assert "pressure" not in tags[0]


def test_a_smaller_ask_after_a_no_is_pressure() -> None:
    tags = tag_sellers(
        ["No, I can't give anything this month, sorry."],
        ["I hear you, but even five dollars would feed a child for a week. Just five?"],
        after_rejection=[True],
    )
    assert "pressure" in tags[0]
    assert "accepts_no" not in tags[0]


def test_respecting_a_no_is_accepting_it() -> None:
    tags = tag_sellers(
        ["We've decided to stay with our current provider."],
        ["That makes sense, thanks for letting me know. I'll leave it there."],
        after_rejection=[True],
    )
    assert "accepts_no" in tags[0]
    assert "pressure" not in tags[0]


def test_asking_what_drove_a_no() -> None:
    tags = tag_sellers(
        ["We're going to pass on this for now."],
        ["Understood. Can I ask what made you decide that?"],
        after_rejection=[True],
    )
    assert "asks_why" in tags[0]
