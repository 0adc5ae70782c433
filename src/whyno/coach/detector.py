"""A learned rejection detector: does this buyer turn decline what is on the table?

Most real no's are indirect ("money is really tight for us", "that leaves me
with nothing", "let me think about it"), so word lists miss them. This model
is a logistic regression over the same features as the reasons classifier
(word 1-2 gram TF-IDF and the shipped static sentence embeddings), trained on
the coach seed sentences in ``seeds/`` (``rejection.txt`` against
``not_rejection.txt``). Training takes about a second and happens once per
process, at first use; nothing is downloaded.

The context decides how much evidence is needed: a turn that answers an offer,
a request or a pitch ("how about I take the books?") is a no on weaker
evidence than a turn that answers nothing (needs stated up front are
information, not a refusal). :func:`is_proposal` recognises such turns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from whyno.reasons import linear
from whyno.reasons.embed import Embedder, StaticEmbedder
from whyno.reasons.lexical import Lexicon
from whyno.reasons.linear import Features

SEEDS = Path(__file__).parent / "seeds"
DENSE_SCALE = 0.5  # weight of the sentence embedding next to the TF-IDF features
L2 = 1e-4
STEPS = 300
# A turn that puts something on the table: an offer, a request, a proposal, a pitch.
PROPOSAL = re.compile(
    r"\b(?:how about|what about|what if|would you|could you|can you|can i|could i|may i"
    r"|will you|i(?:'ll| will| can| could| would|'d) (?:give|take|let|do|offer|trade|throw|go)"
    r"|you (?:can|could|get|take|keep|have)|i (?:get|take|keep|want|need|propose|suggest)"
    r"|let'?s|deal\?|is that (?:ok|okay|fair|good|alright)|does that (?:work|sound)"
    r"|are you (?:ok|okay|good|fine) with|split|trade|swap|exchange|offer|proposal"
    r"|sign|upgrade|renew|donat|sponsor|subscri|schedule|book a|set up|start (?:with|a|the)"
    r"|interested in|join|try (?:it|us|the)|buy|purchase|order)"
)


# Turn shapes that matter for the decision, next to the model's own score.
NEED = re.compile(
    r"\bi (?:really |just |still |do |would |only |definitely |absolutely )?(?:need|want|require"
    r"|must have|have to have|gotta have|got to have)\b|\bi'?d (?:rather|prefer)\b"
    r"|\b(?:i|we) (?:can|could) only\b|\ball i can\b|\bthe best i can\b|\bat least\b"
)
ACCEPT = re.compile(
    r"\b(?:deal|ok|okay|sounds good|i accept|that works|agreed?|sure|great|perfect|fine|yes|yeah"
    r"|happy to|works for me)\b"
)
NEGATION = re.compile(
    r"\b(?:no|not|never|nothing|can'?t|cannot|won'?t|don'?t|isn'?t|doesn'?t|nope)\b|n't\b"
)
COUNTER = re.compile(
    r"\b(?:how about|what about|what if|i(?:'ll| will| can| could) (?:give|take|let|do|trade)"
    r"|you (?:can|could) (?:have|take|keep|get))\b"
)
_CONTEXT_TEXT = """
score rule answers_proposal answers_question opens need_after_proposal need accept negation counter
asks long
"""
CONTEXT_FEATURES = tuple(_CONTEXT_TEXT.split())


def context_features(text: str, previous: str | None, score: float, rule: bool) -> list[float]:
    """What the final decision weighs: the model's score (as log-odds), whether a
    refusal rule fired, what the turn answers and the turn's shape."""
    p = min(max(score, 1e-4), 1 - 1e-4)
    proposal = is_proposal(previous)
    need = bool(NEED.search(text))
    return [
        math.log(p / (1 - p)),
        float(rule),
        float(proposal),
        float(bool(previous) and previous.rstrip().endswith("?")),  # type: ignore[union-attr]
        float(previous == ""),  # the turn opens the talk (None: not known)
        float(need and proposal),
        float(need),
        float(bool(ACCEPT.search(text))),
        float(bool(NEGATION.search(text))),
        float(bool(COUNTER.search(text))),
        float(text.rstrip().endswith("?")),
        float(len(text.split()) > 25),
    ]


# Fitted by bench/coach_fit_context.py on the dev dialogues of bench/data/rejection_real.csv
# (logistic regression over context_features; the test dialogues were never read).
CONTEXT_WEIGHTS = {
    "score": 0.670,
    "rule": 1.248,
    "answers_proposal": 1.168,
    "answers_question": -0.833,
    "opens": -1.318,
    "need_after_proposal": 0.850,
    "need": 0.715,
    "accept": -0.455,
    "negation": 1.742,
    "counter": 0.717,
    "asks": -0.672,
    "long": -0.315,
}
CONTEXT_BIAS = -1.682
THRESHOLD = 0.45  # the best cross-validated threshold on dev, from the same script
_WEIGHTS = tuple(CONTEXT_WEIGHTS[name] for name in CONTEXT_FEATURES)
_LOGIT_THRESHOLD = math.log(THRESHOLD / (1 - THRESHOLD))


def is_rejection(features: Sequence[float]) -> bool:
    """The decision on one turn's :func:`context_features`."""
    z = sum(w * f for w, f in zip(_WEIGHTS, features, strict=True))
    return z + CONTEXT_BIAS >= _LOGIT_THRESHOLD


def is_proposal(text: str | None) -> bool:
    """The turn puts something on the table that the next one can decline."""
    return bool(text) and bool(PROPOSAL.search(text.lower().replace("\u2019", "'")))  # type: ignore[union-attr]


def seed_lines(name: str, folder: Path = SEEDS) -> list[str]:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class RejectionDetector:
    """P(rejection) for a buyer turn; see the module docstring."""

    def __init__(
        self,
        embedder: Embedder | None = None,
        extra: Sequence[tuple[str, bool]] = (),
        folder: Path = SEEDS,
    ) -> None:
        self.embedder = embedder or StaticEmbedder()
        positives = seed_lines("rejection.txt", folder) + [t for t, y in extra if y]
        negatives = seed_lines("not_rejection.txt", folder) + [t for t, y in extra if not y]
        texts = positives + negatives
        self.lexicon = Lexicon(texts)
        y = np.zeros((len(texts), 2), dtype=np.float32)
        y[: len(positives), 1] = 1.0
        y[len(positives) :, 0] = 1.0
        balance = np.where(y[:, 1] > 0, len(texts) / (2 * len(positives)), 1.0)
        balance[len(positives) :] = len(texts) / (2 * len(negatives))
        self.model = linear.fit(self._features(texts), y, l2=L2, steps=STEPS, sample_weight=balance)

    def _features(self, texts: Sequence[str]) -> Features:
        dense = self.embedder.embed(texts) * DENSE_SCALE
        return Features(self.lexicon.transform(texts), dense)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """P(rejection) for each text, in order; each distinct text is scored once."""
        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros(0, dtype=np.float32)
        p = self.model.predict_proba(self._features(unique))[:, 1]
        found = dict(zip(unique, p.tolist(), strict=True))
        return np.array([found[t] for t in texts], dtype=np.float32)


@cache
def default_detector() -> RejectionDetector:
    """The detector trained on the shipped seeds, built once per process."""
    return RejectionDetector()
