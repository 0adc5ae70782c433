"""A buyer turn read with the other side's previous turn: none, objection or rejection."""

from __future__ import annotations

from collections.abc import Sequence

from whyno.contextual.inputs import pairs
from whyno.contextual.runtime import ContextualModel, default_model


def buyer_labels(
    previous: Sequence[str | None], texts: Sequence[str], model: ContextualModel | None = None
) -> list[str]:
    """``none``, ``objection`` or ``rejection`` for each buyer turn, in order."""
    model = model or default_model()
    probs = model.buyer(pairs(previous, texts))
    return [model.buyer_labels[i] for i in probs.argmax(axis=1).tolist()]
