"""The dialogue state behind the fast backend's rejection decision: what is on the table
when a turn is said (the contextual model reads the other side's latest turn instead)."""

from __future__ import annotations

from whyno.coach.analyze import review
from whyno.coach.detector import SEEDS, seed_lines
from whyno.coach.dialogue import TurnContext, conversation_contexts, is_offer
from whyno.coach.tags import tag_buyer, tag_buyers
from whyno.ingest.transcripts import parse_transcript

NEED = "I need water too, it's going to be hot where we camp."


def _buyer_tags(text: str) -> list[list[str]]:
    result = review(parse_transcript(text, "call.txt", "plain"), ["Lee"], backend="fast")
    return [u.tags for u in result.utterances if u.role == "buyer"]


def test_a_need_said_before_any_offer_is_information() -> None:
    call = f"Lee: Hi! We're going on a long hike, so water matters most to me.\nKim: Nice! {NEED}\n"
    assert _buyer_tags(call) == [[]]


def test_the_same_need_answering_an_offer_is_a_rejection() -> None:
    call = f"Lee: How about you take the firewood and I take all the water?\nKim: Nice! {NEED}\n"
    assert _buyer_tags(call) == [["rejection"]]


def test_an_offer_made_two_turns_earlier_is_still_on_the_table() -> None:
    call = (
        "Lee: How about you take the firewood and I take all the water?\n"
        "Kim: Where are you headed?\n"
        "Lee: Up to the lake for three nights.\n"
        f"Kim: {NEED}\n"
    )
    assert _buyer_tags(call) == [[], ["rejection"]]


def test_the_same_turns_without_the_offer_decline_nothing() -> None:
    call = (
        "Lee: We're headed up to the lake for three nights.\n"
        "Kim: Fun! Where are you staying?\n"
        "Lee: At the north camp.\n"
        f"Kim: {NEED}\n"
    )
    assert _buyer_tags(call) == [[], []]


def test_a_hardship_in_discovery_and_the_same_hardship_after_the_pitch() -> None:
    call = (
        "Sam: Hi Dana, thanks for making time. How are things at the bakery?\n"
        "Dana: Busy. Honestly cash is tight for us this season.\n"
        "Sam: We could set you up on the starter plan at 90 a month.\n"
        "Dana: Honestly cash is tight for us this season.\n"
    )
    result = review(parse_transcript(call, "call.txt", "plain"), ["Sam"], backend="fast")
    assert [u.tags for u in result.utterances if u.role == "buyer"] == [[], ["rejection"]]


def test_a_price_quote_puts_an_offer_on_the_table() -> None:
    call = (
        "Sam: So what does your week look like?\n"
        "Dana: Busy, and cash is tight this quarter.\n"
        "Sam: It's forty a month per tech.\n"
        "Dana: Hmm, cash is tight this quarter.\n"
    )
    result = review(parse_transcript(call, "call.txt", "plain"), ["Sam"], backend="fast")
    assert [u.tags for u in result.utterances if u.role == "buyer"] == [[], ["rejection"]]


def test_the_context_can_be_given_to_the_tagger_directly() -> None:
    nothing_yet = TurnContext(
        "tell me about your new place", offer=False, pending=False, started=False
    )
    offer_pending = TurnContext("when do you move in?", offer=False, pending=True, started=True)
    assert tag_buyer("i need the lamp for my studio", nothing_yet) == []
    assert tag_buyer("i need the lamp for my studio", offer_pending) == ["rejection"]
    assert tag_buyers(["i need the lamp for my studio"] * 2, [nothing_yet, offer_pending]) == [
        [],
        ["rejection"],
    ]


def test_a_reassuring_no_that_still_says_no_deal_is_a_rejection() -> None:
    assert tag_buyer("no worries, but no deal") == ["rejection"]
    assert tag_buyer("no worries, take your time") == []


def test_the_state_as_the_talk_goes_on() -> None:
    turns = [
        ("lee", "hi! how are you?"),
        ("kim", "good, we're heading to the lake"),
        ("lee", "how about you take the wood and i keep the water?"),
        ("kim", "where is your camp?"),
        ("lee", "by the north shore"),
        ("kim", "sounds good, deal"),
        ("lee", "great, see you there"),
        ("kim", "we need our tent dry, it rains a lot there"),
    ]
    contexts = conversation_contexts(turns)
    assert contexts[0] == TurnContext("", offer=False, pending=False, started=False)
    assert contexts[1] == TurnContext("hi! how are you?", offer=False, pending=False, started=False)
    offered = TurnContext(turns[2][1], offer=True, pending=True, started=True)
    assert contexts[3] == offered
    assert contexts[5] == TurnContext("by the north shore", offer=False, pending=True, started=True)
    assert contexts[7] == TurnContext(
        "great, see you there", offer=False, pending=False, started=True
    )  # accepted: nothing of lee's is open any more


def test_a_sides_own_offer_is_not_pending_for_itself() -> None:
    contexts = conversation_contexts(
        [("a", "would you do 400 a month?"), ("a", "it includes setup")]
    )
    assert contexts[1] == TurnContext("", offer=False, pending=False, started=True)


def test_judging_one_side_gives_that_side_the_same_state() -> None:
    turns = [
        ("seller", "thanks for joining"),
        ("buyer", "i'd like the team plan"),
        ("seller", "we could start the pilot next week"),
        ("buyer", "which teams would be in it?"),
        ("seller", "the two support teams"),
        ("buyer", "our budget is frozen until june"),
    ]
    every = conversation_contexts(turns)
    buyer_only = conversation_contexts(turns, judged={"buyer"})
    assert [every[i] for i in (1, 3, 5)] == [buyer_only[i] for i in (1, 3, 5)]


def test_what_counts_as_an_offer() -> None:
    assert is_offer("how about you take the books?")
    assert is_offer("can i have two of the waters")
    assert is_offer("we could do it for $300")
    assert is_offer("i need the hats and one ball")
    assert is_offer("how about you just take the two books")
    assert is_offer("what about you guys keep the hats")
    assert not is_offer("how about you?")
    assert not is_offer("doing great, how about you")
    assert not is_offer("how about you, what do you need?")
    assert not is_offer("water matters most to me")
    assert not is_offer("no deal")


def test_context_pairs_are_a_no_only_in_answer_to_an_offer() -> None:
    open_lines = (SEEDS / "open" / "not_rejection.txt").read_text(encoding="utf-8")
    pairs = open_lines.split("# --- pairs:", 1)[1].splitlines()[1:]
    pairs = [p.strip() for p in pairs if p.strip() and not p.startswith("#")]
    assert len(pairs) >= 20
    assert set(pairs) <= set(seed_lines("rejection.txt", SEEDS / "offer"))
    shared = set(seed_lines("not_rejection.txt", SEEDS / "open")) & set(
        seed_lines("rejection.txt", SEEDS / "offer")
    )
    assert shared == set(pairs)


def test_an_outright_decline_is_a_no_even_before_any_offer() -> None:
    reviewed = review(
        parse_transcript(
            "Sam: Is now a bad time?\nBuyer: We'll pass, the price is too high.\n"
            "Sam: Hi again.\nBuyer: Not interested, thanks.\n"
        ),
        ["Sam"],
    )
    assert [u.tags for u in reviewed.utterances if u.role == "buyer"] == [
        ["rejection"],
        ["rejection"],
    ]
