"""The seller's techniques read with the buyer's previous turn."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from whyno.contextual.inputs import pairs
from whyno.contextual.runtime import ContextualModel, default_model

THRESHOLD = 0.5
# Some tags need more: a label, chosen on the AnnoMI dev half, where counsellors'
# "sounds like" turns that are not reflections were tagged at 0.5 (precision 0.74
# -> 0.89); pressure, where a label or an answer to a price objection read as a
# push at 0.5 to 0.7.
THRESHOLDS = {"label": 0.8, "pressure": 0.7}
AFTER_NO_ONLY = frozenset({"asks_why", "accepts_no"})  # judged only right after a no
RULE_FLOOR = 0.15  # the probability that confirms a tag the rules found too


def pick(
    tags: Sequence[str],
    probabilities: Sequence[float],
    follows_no: bool,
    ruled: Collection[str] = (),
) -> list[str]:
    """The tags of one turn from the model's probabilities: each at its threshold,
    or at ``RULE_FLOOR`` where ``ruled`` (tags the rules found) has it; the tags
    that only follow a no only where the turn does."""
    return [
        tag
        for tag, p in zip(tags, probabilities, strict=True)
        if (follows_no or tag not in AFTER_NO_ONLY)
        and (p >= THRESHOLDS.get(tag, THRESHOLD) or (tag in ruled and p >= RULE_FLOOR))
    ]


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
    return [
        pick(model.seller_tags, row, follows_no)
        for row, follows_no in zip(probs.tolist(), after, strict=True)
    ]
