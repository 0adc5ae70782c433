"""How a judged turn becomes the model's input: the same code at training and run time.

A buyer or seller turn is read as a pair, the other side's previous turn
first (only its last :data:`PREVIOUS_WORDS` words: what was just said matters
most) and the turn itself second. A verbatim (a reason) is read alone.
"""

from __future__ import annotations

from collections.abc import Sequence

# Run-time windows. The shipped model was trained on 32 and 64 words
# (scripts/train_model.py --previous-words/--text-words); read with 16 and 40 it
# scores the same on the real dev registers (bench/RESULTS.md) and runs faster.
PREVIOUS_WORDS = 16  # of the other side's turn, from its end
TEXT_WORDS = 40  # of the judged turn, from its start
MAX_TOKENS = 128  # word pieces, both parts and the special tokens together

BUYER_LABELS: tuple[str, ...] = ("none", "objection", "rejection")
SELLER_TAGS: tuple[str, ...] = (
    "pressure",
    "accepts_no",
    "going_for_no",
    "asks_why",
    "label",
    "no_oriented_question",
    "calibrated_question",
)

Pair = tuple[str, str]


def clip(text: str, words: int, from_end: bool = False) -> str:
    """At most ``words`` words of ``text``: its first ones, or its last ones."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[-words:] if from_end else parts[:words])


def pair(
    previous: str | None,
    text: str,
    previous_words: int | None = None,
    text_words: int | None = None,
) -> Pair:
    """(the other side's previous turn, the turn) as the model reads them; an unknown
    or empty previous turn is the empty string. The windows default to the run-time
    ones."""
    before = clip(previous or "", previous_words or PREVIOUS_WORDS, from_end=True)
    return before, clip(text, text_words or TEXT_WORDS)


def pairs(previous: Sequence[str | None], texts: Sequence[str]) -> list[Pair]:
    return [pair(p, t) for p, t in zip(previous, texts, strict=True)]
