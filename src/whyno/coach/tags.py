"""Tag each utterance: the buyer's no's and pushbacks, the seller's techniques.

Rules on normalised conversational English (lower case, fillers and
punctuation optional), with context: ``asks_why``, ``accepts_no`` and pushes
are judged on the seller's turns right after a buyer's rejection. The buyer's
stated reason comes from the reasons classifier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice

from whyno.coach.cues import (
    ACCEPTS,
    ASKS_IN_RUN,
    ASKS_WHY,
    CALIBRATED,
    DECLINE,
    FILLER_START,
    FILLERS,
    GOING_FOR_NO,
    GREETING,
    LABEL,
    NO_ORIENTED,
    NOT_CALIBRATED,
    NOT_KEY,
    NOT_LABEL,
    NOT_REJECTION,
    OBJECTION,
    PRESSURE,
    PUSH,
    QUESTION_OPENER,
    REJECTION,
    REVISIT,
)
from whyno.coach.detector import (
    RejectionDetector,
    decide,
    default_detector,
)
from whyno.coach.dialogue import TurnContext, from_previous

UNPUNCTUATED_LABEL_WORDS = 20
PUNCTUATION = re.compile(r"[.,!?;:\u2026\u2014-]")  # any of these: the speech was punctuated
OWN_TALK = 2  # sentences of one's own before a question that still make it the turn's point


def norm(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, leading fillers dropped."""
    text = " ".join(text.lower().replace("\u2019", "'").split())
    head = text[: text.find(" ")] if " " in text else text
    if head.rstrip(",.!-") in FILLER_START or head.startswith(("um", "uh", "hmm", "mm")):
        m = FILLERS.match(text)  # anchored: a match() instead of sub() scanning the text
        return text[m.end() :] if m else text
    return text


AFTER_NO = 2  # seller turns after a buyer's rejection that are judged in its light
_WORDS = re.compile(r"[a-z0-9']+")
_ANNOTATION = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Tagged:
    tags: list[str] = field(default_factory=list)
    reason_category: str | None = None


def is_question(text: str) -> bool:
    """Ends with a question mark, or opens like a question (for unpunctuated text)."""
    return text.strip().endswith("?") or bool(QUESTION_OPENER.match(norm(text)))


def _words(text: str) -> list[str]:
    return _WORDS.findall(_ANNOTATION.sub(" ", text.lower().replace("\u2019", "'")))


MIRROR_WORDS = 6  # the most words a mirror has
# A mirror turns the buyer's "we" into "you": "more than we budgeted" -
# "more than you budgeted?".
SWAPPED: dict[str, frozenset[str]] = {
    "you": frozenset({"i", "we", "me", "us"}),
    "your": frozenset({"my", "our"}),
    "yours": frozenset({"mine", "ours"}),
    "you're": frozenset({"i'm", "we're"}),
    "you've": frozenset({"i've", "we've"}),
    "you'll": frozenset({"i'll", "we'll"}),
}


def mirror(text: str, previous: str | None) -> bool:
    """Repeats 1-3 of the buyer's last key words, usually as a question.

    Not a mirror: repeating only small words, or answering the buyer's own
    question with its words ("does it work?" - "it does").
    """
    if not previous:
        return False
    if "[" not in text and "(" not in text:  # no annotations: the words are all there
        lowered = text.lower().replace("\u2019", "'")
        if next(islice(_WORDS.finditer(lowered), MIRROR_WORDS, None), None) is not None:
            return False  # longer than a mirror, found without reading the whole turn
    words = _words(text)
    key = [w for w in words if len(w) > 3 and w not in NOT_KEY]
    if not words or len(words) > MIRROR_WORDS or not 1 <= len(key) <= 3:
        return False
    if is_question(previous):
        return False
    tail = set(_words(previous)[-8:])
    return all(w in tail or bool(SWAPPED.get(w, frozenset()) & tail) for w in words)


def sentences(text: str) -> list[str]:
    parts = _SENTENCE.split(text.strip())
    return [p for p in parts if p.strip()] or [text]


@dataclass(frozen=True)
class Piece:
    """One sentence of an utterance: normalised, and whether it asks something."""

    text: str
    question: bool


def pieces(text: str, normed: str | None = None) -> list[Piece]:
    """The sentences of a turn; ``normed`` (:func:`norm` of the whole text, where
    the caller has it) is reused when the turn is one sentence."""
    out = []
    parts = sentences(text)
    for part in parts:
        stripped = part.rstrip()
        n = normed if normed is not None and len(parts) == 1 else norm(stripped)
        asks = stripped.endswith("?") or (
            not stripped.endswith((".", "!")) and bool(QUESTION_OPENER.match(n))
        )
        out.append(Piece(n, asks))
    return out


def is_label(piece: Piece, run_on: bool = False) -> bool:
    """ "it sounds like you ..." as a statement, about the other, with something to say."""
    if piece.question:
        return False
    m = LABEL.match(piece.text)
    if m is None:
        return False
    rest = (m.group("rest") or m.group("rest2") or "").strip(" ,.-\u2014")
    if len(rest.split()) < 2 or NOT_LABEL.match(rest):
        return False
    # A turn with no sentence marks at all (raw ASR) runs a label on into whatever
    # follows it, so there a label is short and asks nothing.
    if run_on:
        return len(rest.split()) <= UNPUNCTUATED_LABEL_WORDS and not ASKS_IN_RUN.search(rest)
    return True


def labelled(parts: Sequence[Piece]) -> bool:
    """A label ends the turn: then silence, not a question or a speech of one's own.

    So the label is at most one sentence from the end, and no question follows it.
    """
    last = len(parts) - 1
    run_on = last == 0 and not PUNCTUATION.search(parts[0].text)
    return any(
        is_label(p, run_on) and i >= last - 1 and not any(q.question for q in parts[i + 1 :])
        for i, p in enumerate(parts)
    )


def is_calibrated(piece: Piece) -> bool:
    t = piece.text
    return (
        piece.question
        and bool(CALIBRATED.match(t))
        and not (NOT_CALIBRATED.match(t) or NO_ORIENTED.search(t) or GREETING.search(t))
    )


def tag_seller(
    text: str, previous_buyer: str | None, after_rejection: bool, normed: str | None = None
) -> list[str]:
    """Tags of one seller turn; ``normed`` is :func:`norm` of the text, where the
    caller has it already."""
    t = norm(text) if normed is None else normed
    tags = []
    parts = pieces(text, t)
    if any(p.question and NO_ORIENTED.search(p.text) for p in parts):
        tags.append("no_oriented_question")
    if labelled(parts):
        tags.append("label")
    if mirror(text, previous_buyer):
        tags.append("mirror")
    if any(is_calibrated(p) for p in parts[: OWN_TALK + 1]):
        tags.append("calibrated_question")
    if GOING_FOR_NO.search(t):
        tags.append("going_for_no")
    if after_rejection and ASKS_WHY.search(t):
        tags.append("asks_why")
    pressure = bool(PRESSURE.search(t))
    # After a no, asking again is a push even behind "I understand" (and then it
    # does not accept the no); asking why, or leave to come back later, is not.
    pushes = (
        after_rejection
        and "asks_why" not in tags
        and bool(PUSH.search(t))
        and not REVISIT.search(t)
    )
    if after_rejection and not (pressure or pushes) and ACCEPTS.search(t):
        tags.append("accepts_no")
    if pressure or pushes:
        tags.append("pressure")
    return tags


def agrees(text: str) -> bool:
    """A "no" that agrees or reassures ("no problem", "no, that makes sense"), with
    no refusal after it ("no worries, but no deal" is still a no)."""
    m = NOT_REJECTION.match(text)
    return m is not None and not REJECTION.search(text[m.end() :].lstrip(" ,.!-"))


def tag_buyer(
    text: str,
    previous: str | TurnContext | None = None,
    detector: RejectionDetector | None = None,
) -> list[str]:
    """Tags of one buyer turn. ``previous`` is what it answers: the other side's
    turn ("" when the buyer opens the talk, None when it is not known), or the
    whole :class:`~whyno.coach.dialogue.TurnContext` from the conversation so far."""
    return tag_buyers([text], [previous], detector)[0]


def tag_buyers(
    texts: Sequence[str],
    previous: Sequence[str | TurnContext | None] | None = None,
    detector: RejectionDetector | None = None,
) -> list[list[str]]:
    """Tags of many buyer turns, the learned detector run once over all of them.

    Each turn's context is the other side's turn it answers (as in
    :func:`tag_buyer`) or the :class:`~whyno.coach.dialogue.TurnContext` from
    :func:`~whyno.coach.dialogue.conversation_contexts`."""
    contexts = [
        p if isinstance(p, TurnContext) else from_previous(p)
        for p in (previous if previous else [None] * len(texts))
    ]
    return tag_normed([norm(t) for t in texts], contexts, detector)


def tag_normed(
    normed: Sequence[str],
    contexts: Sequence[TurnContext],
    detector: RejectionDetector | None = None,
) -> list[list[str]]:
    """:func:`tag_buyers` on texts already passed through :func:`norm`."""
    # "no problem", "no, that makes sense": never a no, whatever the model says.
    open_ = [i for i, t in enumerate(normed) if not agrees(t)]
    scores = (detector or default_detector()).scores([normed[i] for i in open_])
    rejected = set()
    for i, score in zip(open_, scores.tolist(), strict=True):
        t = normed[i]
        if DECLINE.search(t) or decide(t, contexts[i], score, REJECTION.search(t)):
            rejected.add(i)
    out: list[list[str]] = []
    for i, t in enumerate(normed):
        if i in rejected:
            out.append(["rejection"])
        elif OBJECTION.search(t):
            out.append(["objection"])
        else:
            out.append([])
    return out
