"""Coaching notes: the moments of a call that matter, with a better phrasing where useful.

From a reviewed call (:func:`whyno.coach.analyze.review`) we pick:

- a no the seller pushed past (pressure in the two seller turns after it);
- a no whose reason was never asked (no ``asks_why`` and no reason stated);
- a no the seller asked about, and whether the reason was learned;
- pressure at other moments, and a long seller monologue;
- the good moments: a label, an honest disqualifier (going for the no).

A better phrasing is built from the buyer's own words and the reason they
gave, never from a script that ignores them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from whyno.coach.analyze import CallReview, Utterance, seller_turns_after

LONG_MONOLOGUE_WORDS = 250
COURTESY = frozenset({"thanks", "thank", "you", "though", "sorry", "anyway"})

# How a seller might name each reason back to the buyer (a label), in plain words.
REASON_WORDS = {
    "approach.value_unclear": "you're not seeing enough in it for you",
    "approach.sales_experience": "the way we've handled this hasn't worked for you",
    "approach.trust": "you're not sure you can rely on us yet",
    "product.capability": "it doesn't do something you need",
    "product.integration": "it won't fit with what you already use",
    "product.quality": "you're worried it won't be reliable",
    "product.usability": "it looks like more work to learn than it's worth",
    "product.price": "the price feels out of line with what you'd get",
    "market.budget": "the money just isn't there right now",
    "market.timing": "the timing is wrong for you",
    "market.competitor": "something else fits you better",
    "market.status_quo": "what you have today is working well enough",
    "fit.not_a_fit": "this isn't built for a situation like yours",
}


@dataclass
class Note:
    kind: str
    good: bool
    index: int  # the utterance the note is about
    start: float | None
    speaker: str | None
    said: str
    note: str
    better: str | None = None

    @property
    def at(self) -> str:
        """mm:ss (or h:mm:ss) when the call has timestamps, else the utterance number."""
        if self.start is None:
            return f"#{self.index}"
        total = int(self.start)
        hours, rest = divmod(total, 3600)
        return (f"{hours}:" if hours else "") + f"{rest // 60:02d}:{rest % 60:02d}"

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["at"] = self.at
        return data


def coaching_notes(reviewed: CallReview) -> list[Note]:
    """The call's notes in the order they happened."""
    utterances = reviewed.utterances
    notes: list[Note] = []
    after_no: set[int] = set()
    for i, u in enumerate(utterances):
        if "rejection" in u.tags:
            following = seller_turns_after(utterances, i)
            after_no.update(f.index for f in following)
            notes.extend(_after_rejection(utterances, i, following))
    for u in utterances:
        if u.role != "seller":
            continue
        if "label" in u.tags:
            notes.append(_note("good_label", True, u, "A label: you named their situation."))
        if "going_for_no" in u.tags:
            notes.append(
                _note("honest_disqualifier", True, u, "You gave an honest reason not to buy.")
            )
        if "pressure" in u.tags and u.index not in after_no:
            notes.append(_pressure(u))
    notes.extend(_monologue(utterances))
    # one seller turn after two no's (a no, then its reason) is one moment, noted once
    unique = {(n.kind, n.index): n for n in reversed(notes)}
    return sorted(unique.values(), key=lambda n: (n.index, n.kind))


def _after_rejection(
    utterances: Sequence[Utterance], i: int, following: list[Utterance]
) -> list[Note]:
    no = utterances[i]
    pushed = next((u for u in following if "pressure" in u.tags), None)
    asked = next((u for u in following if "asks_why" in u.tags), None)
    reason = _reason_heard(utterances, i, asked)
    if pushed is not None:
        return [
            _note(
                "pushed_past_no",
                False,
                pushed,
                f"The buyer said no ({_quote(no.text)}) and you pushed on.",
                _accept_and_ask(no, reason),
            )
        ]
    notes = []
    accepted = next((u for u in following if "accepts_no" in u.tags), None)
    if accepted is not None:
        notes.append(_note("accepted_no", True, accepted, "You accepted the no without pushing."))
    if asked is not None:
        learned = f" and learned the reason ({reason})" if reason else ", but it stayed unclear"
        notes.append(_note("asked_why", True, asked, f"You asked what drove the no{learned}."))
    elif reason is None:
        notes.append(
            _note(
                "reason_not_asked",
                False,
                no,
                "A no whose reason was never asked.",
                _accept_and_ask(no, None),
            )
        )
    return notes


def _reason_heard(
    utterances: Sequence[Utterance], i: int, asked: Utterance | None = None
) -> str | None:
    """The reason the buyer gave in or right after their no (a taxonomy id): up to
    their answer when the seller asked why, else in the next few turns."""
    end = i + 4
    if asked is not None:
        answer = next((u for u in utterances[asked.index + 1 :] if u.role == "buyer"), None)
        end = max(end, answer.index + 1 if answer else 0)
    for u in utterances[i:end]:
        if u.role == "buyer" and u.reason_category:
            return u.reason_category
    return None


def _accept_and_ask(no: Utterance, reason: str | None) -> str:
    if reason in REASON_WORDS:
        return (
            f"\"That's fair. It sounds like {REASON_WORDS[reason]}. Is that the main thing, "
            'or is there more to it?"'
        )
    echo = _echo(no.text)
    ask = "Can I ask what's behind that?"
    return f'"Understood, and thanks for being straight with me. {echo}{ask}"'


def _echo(text: str) -> str:
    """The buyer's last few words, as a mirror ("...too much right now?"), for longer no's."""
    words = re.findall(r"[\w'$%-]+", text)
    while words and words[-1].lower() in COURTESY:
        words.pop()
    if len(words) < 6:
        return ""
    return f"{' '.join(words[-3:])}? ... "


def _pressure(u: Utterance) -> Note:
    return _note(
        "pressure",
        False,
        u,
        "Pressure: urgency or scarcity the buyer didn't ask for.",
        '"Would it be a bad idea to pick this up once you have talked it over? '
        "If it isn't right for you, that's a fine answer too.\"",
    )


def _monologue(utterances: Sequence[Utterance]) -> list[Note]:
    best: tuple[int, int] | None = None  # (words, index where it started)
    words, start = 0, 0
    for i, u in enumerate(utterances):
        if u.role != "seller":
            words = 0
            continue
        if words == 0:
            start = i
        words += len(u.text.split())
        if words >= LONG_MONOLOGUE_WORDS and (best is None or words > best[0]):
            best = (words, start)
    if best is None:
        return []
    first = utterances[best[1]]
    return [
        _note(
            "long_monologue",
            False,
            first,
            f"You talked for {best[0]} words without a break.",
            'Stop after a point and ask: "What part of this matters most to you?"',
        )
    ]


def _note(kind: str, good: bool, u: Utterance, note: str, better: str | None = None) -> Note:
    return Note(kind, good, u.index, u.start, u.speaker, u.text, note, better)


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[: limit - 1] + "…"}"'
