"""The seller's techniques read with the buyer's previous turn."""

from __future__ import annotations

from collections.abc import Sequence

from whyno.contextual.inputs import pairs
from whyno.contextual.runtime import ContextualModel, default_model

THRESHOLD = 0.5
# Some tags need more: a label, chosen on the AnnoMI dev half, where counsellors'
# "sounds like" turns that are not reflections were tagged at 0.5 (precision 0.74
# -> 0.89); pressure, where a label or an answer to a price objection read as a
# push at 0.5 to 0.7.
THRESHOLDS = {"label": 0.8, "pressure": 0.7}
AFTER_NO_ONLY = frozenset({"asks_why", "accepts_no"})  # judged only right after a no


def tag_sellers(
    previous: Sequence[str | None],
    texts: Sequence[str],
    after_rejection: Sequence[bool] | None = None,
    model: ContextualModel | None = None,
) -> list[list[str]]:
    """The model's seller tags of each turn, in order (``mirror`` is a rule, not here).
    ``after_rejection`` says which turns follow a buyer's no; where it is not
    given, every turn may carry the tags that only follow a no."""
    model = model or default_model()
    probs = model.seller(pairs(previous, texts))
    after = after_rejection if after_rejection is not None else [True] * len(texts)
    out: list[list[str]] = []
    for row, follows_no in zip(probs.tolist(), after, strict=True):
        found = [
            tag
            for tag, p in zip(model.seller_tags, row, strict=True)
            if p >= THRESHOLDS.get(tag, THRESHOLD) and (follows_no or tag not in AFTER_NO_ONLY)
        ]
        out.append(found)
    return out
