"""Utterance tags from the contextual model, with the few rules that words alone settle.

The model (:mod:`whyno.contextual`) reads each turn with the other side's latest
turn. Around it:

- buyer: a turn that only acknowledges or agrees ("yeah", "mm-hmm", "right",
  "that's true", "exactly", "okay") and a "no" that agrees or reassures ("no
  problem", "no, that makes sense", :func:`whyno.coach.tags.agrees`) are never
  a no: they are settled without the model (a quarter of the turns of real
  talk), whatever the model would say; an outright decline ("we'll pass", "not
  interested", "no thanks", :data:`whyno.coach.cues.DECLINE`) is a rejection;
- seller: ``mirror`` is a rule (:func:`whyno.coach.tags.mirror`); the tags
  that only follow a no (``asks_why``, ``accepts_no``) are kept only in the
  turns judged in its light (``tags.AFTER_NO``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from whyno.coach import cues, tags
from whyno.contextual.buyer import buyer_labels
from whyno.contextual.inputs import pairs
from whyno.contextual.runtime import ContextualModel, default_model
from whyno.contextual.seller import pick

# the order tags are listed in, as the fast backend lists them
TAG_ORDER = (
    "no_oriented_question", "label", "mirror", "calibrated_question", "going_for_no",
    "asks_why", "accepts_no", "pressure",
)  # fmt: skip


@cache
def _acknowledgment_pattern() -> re.Pattern[str]:
    lines = (Path(__file__).parent / "acknowledgments.txt").read_text(encoding="utf-8")
    phrases = [p.strip() for p in lines.splitlines() if p.strip() and not p.startswith("#")]
    words = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"^(?:(?:{words})\b[\s,.!-]*)+$")


def acknowledges(text: str) -> bool:
    """The turn only acknowledges or agrees: "yeah", "mm-hmm, right", "that's true"."""
    return bool(_acknowledgment_pattern().match(text.lower().strip()))


def buyer_tags(
    previous: Sequence[str | None], texts: Sequence[str], model: ContextualModel | None = None
) -> list[list[str]]:
    """``["rejection"]``, ``["objection"]`` or ``[]`` for each buyer turn, in order."""
    normed = [tags.norm(text) for text in texts]
    out: list[list[str]] = [[] for _ in texts]
    # never a no, whatever the model would say: an acknowledgment, a "no" that agrees
    todo = [i for i, t in enumerate(texts) if not (acknowledges(t) or tags.agrees(normed[i]))]
    labels = buyer_labels([previous[i] for i in todo], [texts[i] for i in todo], model)
    for i, label in zip(todo, labels, strict=True):
        if cues.DECLINE.search(normed[i]):
            label = "rejection"  # an outright decline: "we'll pass", "not interested"
        out[i] = [] if label == "none" else [label]
    return out


def seller_tags(
    previous: Sequence[str | None],
    texts: Sequence[str],
    after_rejection: Sequence[bool] | None = None,
    model: ContextualModel | None = None,
) -> list[list[str]]:
    """The seller tags of each turn, in order, ``mirror`` included.

    A tag is the model's when its probability reaches the tag's threshold; where the
    rules of the fast tagger (:func:`whyno.coach.tags.tag_seller`) find it too, a
    lower probability is enough (:func:`whyno.contextual.seller.pick`: the rules
    are precise but narrow; the model reads the turn). A turn that is only a
    question is never a label (a label is a statement); a turn that only
    acknowledges ("mm-hmm", "right") is not read by the model."""
    model = model or default_model()
    after = list(after_rejection) if after_rejection is not None else [True] * len(texts)
    todo = [i for i, text in enumerate(texts) if not acknowledges(text)]
    probs = np.zeros((len(texts), len(model.seller_tags)))
    if todo:
        probs[todo] = model.seller(pairs([previous[i] for i in todo], [texts[i] for i in todo]))
    out: list[list[str]] = []
    for before, text, follows_no, row in zip(previous, texts, after, probs.tolist(), strict=True):
        ruled = tags.tag_seller(text, before or None, follows_no)
        found = pick(model.seller_tags, row, follows_no, ruled)
        if "label" in found and _only_a_question(text):
            found.remove("label")
        if "mirror" in ruled:
            found.append("mirror")
        out.append(sorted(found, key=TAG_ORDER.index))
    return out


def _only_a_question(text: str) -> bool:
    parts = tags.sentences(text.strip())
    return len(parts) == 1 and text.rstrip().endswith("?")
