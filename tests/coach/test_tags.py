from __future__ import annotations

import pytest

from tests.helpers import FIXTURES
from whyno.coach.analyze import assign_roles, review
from whyno.coach.tags import tag_buyer, tag_buyers, tag_seller
from whyno.ingest.transcripts import parse_transcript, read_transcript
from whyno.reasons.classify import Classifier


@pytest.mark.parametrize(
    "text",
    [
        "No thanks, we'll pass.",
        "we're not interested",
        "i dont think we are going to move forward with this deal",
        "money is really tight for us right now",
        "we already have a provider we like",
        "That won't work for me.",
        "nope",
        "I'd rather keep what we have",
        "um yeah so honestly we just got laid off so i cant commit to anything",
        "Every ticket. So we signed with Looker last month.",
        "we decided to go with another vendor",
    ],
)
def test_rejections(text: str) -> None:
    assert tag_buyer(text) == ["rejection"]


@pytest.mark.parametrize(
    "text",
    [
        "no problem at all",
        "No, that makes sense",
        "no worries take your time",
        "sounds good to me",
        "not bad at all, go on",
        "no doubt it would help",
        "yes let's book a demo",
        "no i'm the one who decides",
        "our techs keep double booking jobs and the whiteboard is a mess",
    ],
)
def test_things_that_are_not_rejections(text: str) -> None:
    assert "rejection" not in tag_buyer(text)


@pytest.mark.parametrize(
    ("previous", "text"),
    [
        ("how about you take the blue chairs and i keep the lamp", "i need the lamp for my studio"),
        ("we could start the pilot next week", "let me think about it and get back to you"),
        ("would you do 400 a month", "that leaves us with nothing for marketing"),
    ],
)
def test_indirect_no_to_an_offer(previous: str, text: str) -> None:
    assert tag_buyer(text, previous) == ["rejection"]


def test_a_doubled_reassuring_no_is_not_a_rejection() -> None:
    asked = "is now still an ok time or would it be better to reschedule"
    assert tag_buyer("no no this is fine, i have like twenty minutes", asked) == []


def test_the_same_need_said_before_any_offer_is_information() -> None:
    assert tag_buyer("i need the lamp for my studio", "") == []


def test_a_bare_counteroffer_is_not_a_no() -> None:
    assert tag_buyer("how about i take the lamp and you take both chairs", "you get the lamp") == []


def test_batch_tagging_matches_one_at_a_time() -> None:
    texts = ["no thanks", "sure, send it", "money is tight", "how much is it?"]
    before = ["want a demo?", "", None, "it's 40 a seat"]
    assert tag_buyers(texts, before) == [
        tag_buyer(t, b) for t, b in zip(texts, before, strict=True)
    ]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("That seems like a lot of money for us", "objection"),
        ("how do I know it gets there", "objection"),
        ("i'm worried my team won't use it", "objection"),
        ("hmm thats more than we were thinking", "objection"),
    ],
)
def test_objections(text: str, tag: str) -> None:
    assert tag_buyer(text) == [tag]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Is now a bad time to talk?", "no_oriented_question"),
        ("would it be ridiculous to start with one team", "no_oriented_question"),
        ("have you given up on fixing the scheduling?", "no_oriented_question"),
        ("It sounds like the timing is hard for you.", "label"),
        ("seems like you've been burned before", "label"),
        ("okay so it looks like your team is stretched thin right now", "label"),
        ("So how are you handling it today?", "calibrated_question"),
        ("what would success look like for you", "calibrated_question"),
        ("Thanks. What's making this hard right now?", "calibrated_question"),
        ("Honestly, we might not be the right fit for you.", "going_for_no"),
        ("The other guys may fit you better for that.", "going_for_no"),
        ("honestly with six techs a spreadsheet might be fine for now", "going_for_no"),
        ("you might not need us yet", "going_for_no"),
        ("This price is only valid if you sign today.", "pressure"),
        ("you'd be crazy not to grab this", "pressure"),
    ],
)
def test_seller_techniques(text: str, tag: str) -> None:
    assert tag in tag_seller(text, None, after_rejection=False)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("How are you?", "calibrated_question"),
        ("How about Tuesday?", "calibrated_question"),
        ("How many seats do you have?", "calibrated_question"),
        ("What I'd suggest is a short pilot.", "calibrated_question"),
        ("We can start in May. How does that sound?", "calibrated_question"),
        ("It was nice to meet you.", "label"),
        ("Sounds like a plan.", "label"),
        ("It sounds like we have two options here.", "label"),
        ("It sounds like you're busy. What changed last month?", "label"),
        ("it looks like you already tried that?", "label"),
        ("Is now a good time?", "no_oriented_question"),
        ("we're not the cheapest but we're the right fit", "going_for_no"),
        ("Let me know if you have questions.", "pressure"),
        ("I understand.", "accepts_no"),
    ],
)
def test_seller_negatives(text: str, tag: str) -> None:
    assert tag not in tag_seller(text, None, after_rejection=False)


def test_context_after_a_no() -> None:
    assert "asks_why" in tag_seller("Can I ask what drove that?", "no thanks", after_rejection=True)
    assert "accepts_no" in tag_seller("That makes sense, thanks for telling me.", None, True)
    assert "pressure" in tag_seller("But what if I knock 20% off?", None, after_rejection=True)
    assert "pressure" not in tag_seller("But what if I knock 20% off?", None, after_rejection=False)


@pytest.mark.parametrize(
    "text",
    [
        "Even a small amount helps, like 50 cents.",
        "I understand. Would you consider donating just $1?",
        "Totally get it. What about just one seat to start?",
        "No problem, but it's only $5 a month.",
        "Fair enough. We could knock 10% off if that helps.",
        "Could you at least take a look at the proposal?",
    ],
)
def test_asking_again_after_a_no_is_a_push_not_an_acceptance(text: str) -> None:
    tags = tag_seller(text, "no thanks, money is tight", after_rejection=True)
    assert "pressure" in tags
    assert "accepts_no" not in tags


@pytest.mark.parametrize(
    "text",
    [
        "I understand. Would you be open to me checking back in next quarter?",
        "No problem at all, thanks for being straight with me.",
        "That makes sense. Can I ask what would need to change?",
    ],
)
def test_asking_leave_to_come_back_or_asking_why_is_not_a_push(text: str) -> None:
    assert "pressure" not in tag_seller(text, "not right now", after_rejection=True)


def test_the_same_ask_with_no_no_before_it_is_not_a_push() -> None:
    assert tag_seller("Would you consider donating just $1?", None, after_rejection=False) == []


def test_mirror() -> None:
    assert "mirror" in tag_seller(
        "The whiteboard is a mess?", "and the whiteboard is a mess", False
    )
    assert "mirror" in tag_seller("double booked?", "the techs keep getting double booked", False)
    assert "mirror" not in tag_seller(
        "what happened next?", "the techs keep getting double booked", False
    )


def test_answering_the_buyers_question_with_its_words_is_not_a_mirror() -> None:
    assert "mirror" not in tag_seller("It does work.", "does it really work?", False)


def test_answering_an_unpunctuated_question_with_its_words_is_not_a_mirror() -> None:
    assert "mirror" not in tag_seller("it does really work", "is it does it really work", False)


def test_repeating_only_small_words_is_not_a_mirror() -> None:
    assert "mirror" not in tag_seller("yeah right", "and we tried that, yeah right", False)
    assert "mirror" not in tag_seller("[laughs] yeah?", "yeah i am [laughs]", False)


def test_roles_from_names_or_the_heuristic() -> None:
    t = read_transcript(FIXTURES / "calls" / "plain.txt")
    assert assign_roles(t, ["priya"]) == {"Alex": "buyer", "Priya": "seller"}
    assert assign_roles(t) == {"Alex": "seller", "Priya": "buyer"}  # opens and asks the questions


def test_seller_names_match_whole_words() -> None:
    t = parse_transcript("Speaker 1: hi\nSpeaker 10: hello\nSamantha: hey\n", "x", "plain")
    assert assign_roles(t, ["speaker 1"]) == {
        "Speaker 1": "seller",
        "Speaker 10": "buyer",
        "Samantha": "buyer",
    }
    assert assign_roles(t, ["Sam"])["Samantha"] == "buyer"


def test_no_answering_a_no_oriented_question_is_not_a_rejection() -> None:
    t = parse_transcript("Sam: Is now a bad time?\nDana: No, go ahead.\n", "x", "plain")
    assert review(t).utterances[1].tags == []


HAND_CHECKED = [
    ["no_oriented_question"],
    [],
    ["calibrated_question"],
    [],
    ["mirror"],
    ["objection"],
    ["label"],
    ["rejection"],
    ["asks_why", "accepts_no"],
    [],
    ["going_for_no", "accepts_no"],
]


@pytest.mark.parametrize("backend", ["contextual", "fast"])
def test_hand_checked_call(classifier: Classifier, backend: str) -> None:
    path = FIXTURES / "calls" / "discovery.vtt"
    result = review(read_transcript(path), ["Sam Lee"], classifier, backend)
    expected = [list(t) for t in HAND_CHECKED]
    if backend == "contextual":
        # "Can I ask what would need to change for this to be worth it?" is also an
        # open what-question; the fast rules leave out questions that ask leave first
        expected[8] = ["calibrated_question", "asks_why", "accepts_no"]
    assert [u.tags for u in result.utterances] == expected
    assert result.utterances[7].reason_category == "market.budget"
    assert result.utterances[5].reason_category == "product.price"
    m = result.metrics
    assert (m["talk_ratio_time"], m["duration_seconds"], m["seller_questions"]) == (0.52, 50.0, 4)
    assert (m["questions_per_10_min"], m["longest_monologue_seconds"]) == (48.0, 5.0)
    assert (m["rejections_heard"], m["pushes_after_no"], m["asked_why"], m["reason_learned"]) == (
        1,
        0,
        True,
        True,
    )
    seller_words = sum(len(u.text.split()) for u in result.utterances if u.role == "seller")
    all_words = sum(len(u.text.split()) for u in result.utterances)
    assert m["talk_ratio_words"] == round(seller_words / all_words, 3)


def test_pushy_call() -> None:
    m = review(read_transcript(FIXTURES / "calls" / "pushy.srt")).metrics
    assert (m["pressure"], m["pushes_after_no"], m["asked_why"], m["accepted_no"]) == (
        2,
        1,
        False,
        False,
    )


def test_time_metrics_from_start_times_alone() -> None:
    # Otter-style: a speaker line with its start, the words below
    text = (
        "Sam  0:00\nhi there how are you\n\n"
        "Dana  0:04\ngood thanks\n\n"
        "Sam  0:06\nwhat brings you here today\n"
    )
    m = review(parse_transcript(text, "call.txt", "plain"), ["Sam"]).metrics
    # Sam 0-4 and 6-11 (five words at the median second a word), Dana 4-6
    assert (m["duration_seconds"], m["talk_ratio_time"]) == (11.0, round(9 / 11, 3))
    # one question ("hi there how are you" has no question mark and opens with "hi")
    assert (m["longest_monologue_seconds"], m["questions_per_10_min"]) == (5.0, round(600 / 11, 2))


def test_roles_written_in_the_speaker_labels() -> None:
    t = parse_transcript("Marcus: hi\nDana (Sales): hello, is now a bad time?\n", "x", "plain")
    assert assign_roles(t) == {"Marcus": "buyer", "Dana (Sales)": "seller"}
    t = parse_transcript("Alex: what brings you here?\nCustomer: just looking\n", "x", "plain")
    assert assign_roles(t) == {"Alex": "seller", "Customer": "buyer"}
    # "Caller" names no role: an outbound fundraiser calls, an inbound customer does
    t = parse_transcript("Caller: is now a bad time?\nRuth: um what is this about\n", "x", "plain")
    assert assign_roles(t) == {"Caller": "seller", "Ruth": "buyer"}
    t = parse_transcript("Alex: what brings you here?\nCustomer: just looking\n", "x", "plain")
    # names given on the command line win over the labels
    assert assign_roles(t, ["customer"]) == {"Alex": "buyer", "Customer": "seller"}


def test_a_label_naming_both_roles_falls_back_to_the_heuristic() -> None:
    t = parse_transcript("Rep for the customer: what do you need?\nLee: a quote\n", "x", "plain")
    assert assign_roles(t) == {"Rep for the customer": "seller", "Lee": "buyer"}
    t = parse_transcript("Lee: what do you need?\nRep for the customer: a quote\n", "x", "plain")
    assert assign_roles(t) == {"Lee": "seller", "Rep for the customer": "buyer"}


@pytest.mark.parametrize(
    ("previous", "text"),
    [
        ("we looked at it and it's more than we budgeted.", "More than you budgeted?"),
        ("we'll just keep our spreadsheet.", "your spreadsheet?"),
        ("I don't want that.", "You don't want that."),
    ],
)
def test_a_mirror_may_turn_the_buyers_we_into_you(previous: str, text: str) -> None:
    assert "mirror" in tag_seller(text, previous, False)


def test_a_turned_pronoun_alone_is_not_a_mirror_of_other_words() -> None:
    assert "mirror" not in tag_seller("More than you wanted?", "it's more than we budgeted.", False)
    assert "mirror" not in tag_seller("you?", "that is what we said.", False)


def test_last_time_is_not_urgency_but_a_last_chance_is() -> None:
    assert tag_seller("So last time you mentioned the board crashes on Mondays.", "ok", False) == []
    assert "pressure" in tag_seller("This is your last chance at this price.", "hmm", False)


def test_accepting_a_no_in_other_words() -> None:
    for text in (
        "That's fair. Talk in spring then.",
        "Okay, I'll leave it there, no pressure.",
        "Understood. I'm sorry we let you down.",
    ):
        assert tag_seller(text, "we'll pass for now", True) == ["accepts_no"]


def test_the_answer_to_asking_why_carries_the_reason(classifier: Classifier) -> None:
    t = parse_transcript(
        "Rep: Shall we set up the trial?\n"
        "Buyer: No, we'll pass for now.\n"
        "Rep: That's fair. Can I ask what's behind it?\n"
        "Buyer: The integration with our ERP was the big one.\n",
        "x",
        "plain",
    )
    result = review(t, ["Rep"], classifier)
    assert [u.tags for u in result.utterances] == [
        [],
        ["rejection"],
        ["asks_why", "accepts_no"],
        [],
    ]
    assert result.utterances[3].reason_category == "product.integration"
    assert result.metrics["reason_learned"] is True


def test_in_unpunctuated_speech_a_label_is_short_and_asks_nothing() -> None:
    short = "it sounds like the monday outages are wearing your team down"
    assert tag_seller(short, "mondays are a mess", False) == ["label"]
    asks = "it sounds like mondays are rough do you have a plan for the next outage"
    assert "label" not in tag_seller(asks, "mondays are a mess", False)
    long = (
        "it sounds like mondays are rough and our product could help with that because it "
        "reroutes the jobs automatically and sends the techs their new lists by text message"
    )
    assert "label" not in tag_seller(long, "mondays are a mess", False)
    # the same long label with its sentence marks is still a label
    assert tag_seller(long.capitalize() + ".", "mondays are a mess", False) == ["label"]
