"""Coaching notes: the moments that matter, with a better phrasing where useful."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIXTURES
from whyno.coach.analyze import CallReview, review
from whyno.coach.notes import Note, coaching_notes
from whyno.ingest.transcripts import parse_transcript, read_transcript
from whyno.reasons.classify import Classifier
from whyno.report.coach import render_notes

CALLS = FIXTURES / "calls"


def _notes(text: str, classifier: Classifier | None = None) -> list[Note]:
    return coaching_notes(review(parse_transcript(text), ("Rep",), classifier))


def _kinds(notes: list[Note]) -> list[str]:
    return [n.kind for n in notes]


def test_a_no_pushed_past_gets_a_note_at_the_push_with_a_better_phrasing() -> None:
    reviewed = review(read_transcript(CALLS / "pushy.srt"), ("Rep",))
    notes = coaching_notes(reviewed)
    assert _kinds(notes) == ["pressure", "pushed_past_no", "reason_not_asked"]
    pushed = notes[1]
    assert (pushed.good, pushed.index, pushed.at) == (False, 2, "00:06")
    assert pushed.said.startswith("But what if I give you twenty percent off")
    assert pushed.better is not None and "what's behind that?" in pushed.better


def test_good_moments_are_noted_labels_asking_why_and_honest_disqualifiers(
    classifier: Classifier,
) -> None:
    reviewed = review(read_transcript(CALLS / "discovery.vtt"), ("Sam Lee",), classifier)
    notes = coaching_notes(reviewed)
    assert _kinds(notes) == ["good_label", "accepted_no", "asked_why", "honest_disqualifier"]
    assert all(n.good for n in notes)
    assert notes[2].note == "You asked what drove the no and learned the reason (market.budget)."


def test_a_no_that_states_its_reason_asks_for_nothing_more(
    classifier: Classifier,
) -> None:
    notes = _notes("Rep: How does that sound?\nBuyer: We can't afford it this year.\n", classifier)
    assert _kinds(notes) == []


def test_a_bare_no_nobody_asked_about_is_flagged_on_the_buyers_words() -> None:
    notes = _notes(
        "Rep: What do you think of the proposal?\n"
        "Buyer: We'll pass on this one for our office, thanks.\n"
        "Rep: Okay, talk soon.\n"
    )
    assert _kinds(notes) == ["reason_not_asked"]
    assert notes[0].index == 1 and notes[0].good is False
    assert notes[0].better is not None and "for our office? ... Can I ask" in notes[0].better


def test_the_better_phrasing_names_the_reason_the_buyer_gave(
    classifier: Classifier,
) -> None:
    notes = _notes(
        "Rep: Shall we get started?\n"
        "Buyer: No thanks, the price is just too high for what we'd use.\n"
        "Rep: Come on, you'd be crazy not to take this deal before it expires.\n",
        classifier,
    )
    pushed = next(n for n in notes if n.kind == "pushed_past_no")
    assert pushed.better is not None
    assert "the price feels out of line" in pushed.better


def test_a_long_monologue_is_noted_once_where_it_starts() -> None:
    speech = " ".join(["our platform does this and that"] * 50)
    notes = _notes(f"Buyer: Hi.\nRep: {speech}\nRep: {speech}\nBuyer: Okay.\n")
    assert _kinds(notes) == ["long_monologue"]
    assert notes[0].index == 1 and notes[0].note == "You talked for 600 words without a break."


def test_untimed_calls_point_at_the_utterance_number() -> None:
    notes = _notes("Rep: It sounds like the team is stretched.\nBuyer: It is.\n")
    assert [(n.kind, n.at) for n in notes] == [("good_label", "#0")]


def test_the_html_page_escapes_what_people_said(tmp_path: Path) -> None:
    reviewed: CallReview = review(
        parse_transcript("Rep: <script>alert(1)</script> sign today!\nBuyer: hm\n"), ("Rep",)
    )
    page = render_notes([(reviewed, coaching_notes(reviewed))])
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; sign today!" in page


def test_a_reason_given_when_asked_why_counts_as_learned_and_one_turn_is_noted_once(
    classifier: Classifier,
) -> None:
    notes = _notes(
        "Rep: Shall we set up the trial?\n"
        "Buyer: No, not for us.\n"
        "Buyer: We'll pass.\n"
        "Rep: That is fair. Can I ask what's behind it?\n"
        "Buyer: The integration with our ERP was the big one.\n",
        classifier,
    )
    assert _kinds(notes) == ["accepted_no", "asked_why"]
    assert (
        notes[1].note == "You asked what drove the no and learned the reason (product.integration)."
    )
