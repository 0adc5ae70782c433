"""Utterance tags from the contextual model, with the few rules that words alone settle.

The model (:mod:`whyno.contextual`) reads each turn with the other side's latest
turn. Around it:

- buyer: a turn that only acknowledges or agrees ("yeah", "mm-hmm", "right",
  "that's true", "exactly", "okay") and a "no" that agrees or reassures ("no
  problem", "no, that makes sense", :func:`whyno.coach.tags.agrees`) are never
  a no: they are settled without the model (a quarter of the turns of real
  talk), whatever the model would say;
- seller: ``mirror`` is a rule (:func:`whyno.coach.tags.mirror`); the tags
  that only follow a no (``asks_why``, ``accepts_no``) are kept only in the
  turns judged in its light (``tags.AFTER_NO``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from whyno.coach import tags
from whyno.contextual.buyer import buyer_labels
from whyno.contextual.runtime import ContextualModel
from whyno.contextual.seller import tag_sellers


@cache
def _acknowledgment_pattern() -> re.Pattern[str]:
    lines = (Path(__file__).parent / "acknowledgments.txt").read_text(encoding="utf-8")
    phrases = [p.strip() for p in lines.splitlines() if p.strip() and not p.startswith("#")]
    words = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"^(?:(?:{words})\b[\s,.!-]*)+$")


def acknowledges(text: str) -> bool:
    """The turn only acknowledges or agrees: "yeah", "mm-hmm, right", "that's true"."""
    return bool(_acknowledgment_pattern().match(text.lower().strip()))


def settled(text: str) -> bool:
    """Never a no, whatever the model would say: an acknowledgment, or a "no" that
    agrees or reassures."""
    return acknowledges(text) or tags.agrees(tags.norm(text))


def buyer_tags(
    previous: Sequence[str | None], texts: Sequence[str], model: ContextualModel | None = None
) -> list[list[str]]:
    """``["rejection"]``, ``["objection"]`` or ``[]`` for each buyer turn, in order."""
    out: list[list[str]] = [[] for _ in texts]
    todo = [i for i, text in enumerate(texts) if not settled(text)]
    labels = buyer_labels([previous[i] for i in todo], [texts[i] for i in todo], model)
    for i, label in zip(todo, labels, strict=True):
        out[i] = [] if label == "none" else [label]
    return out


def seller_tags(
    previous: Sequence[str | None],
    texts: Sequence[str],
    after_rejection: Sequence[bool] | None = None,
    model: ContextualModel | None = None,
) -> list[list[str]]:
    """The seller tags of each turn, in order, ``mirror`` included."""
    found = tag_sellers(previous, texts, after_rejection, model)
    out: list[list[str]] = []
    for before, text, seller in zip(previous, texts, found, strict=True):
        out.append([*seller, "mirror"] if tags.mirror(text, before or None) else seller)
    return out
