"""A learned rejection detector: does this buyer turn decline what is on the table?

Most real no's are indirect ("money is really tight for us", "that leaves me
with nothing", "let me think about it"), so word lists miss them. The model is
a logistic regression over the same features as the reasons classifier (word
1-2 gram TF-IDF and the shipped static sentence embeddings), trained on the
coach seed sentences in ``seeds/``, with two heads (see
:class:`RejectionDetector`): one for turns that answer something on the table,
one for turns said while nothing is. Training takes a second or two and
happens once per process, at first use; nothing is downloaded.

The final decision weighs the score with the dialogue state
(:mod:`whyno.coach.dialogue`): a need or a hardship that answers a pending
offer or request is a no, the same need said before anything was offered is
information; and with the turn's shape (a refusal rule fired, it accepts,
negates, counters, asks).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from whyno.coach.dialogue import TurnContext
from whyno.reasons import linear
from whyno.reasons.embed import Embedder, StaticEmbedder
from whyno.reasons.lexical import Lexicon
from whyno.reasons.linear import Features

SEEDS = Path(__file__).parent / "seeds"
DENSE_SCALE = 0.5  # weight of the sentence embedding next to the TF-IDF features
L2 = 1e-4
STEPS = 300

# Turn shapes that matter for the decision, next to the model's own score.
# A need or a must ("i need the book", "at least two", "all i can do") rules an
# offer out; a wish ("i'd like the book", "i want the hats") is a counter.
NEED = re.compile(
    r"\b(?:i|we) (?:really |just |still |do |would |will |only |definitely |absolutely |also )?"
    r"(?:need|must have|have to have|gotta have|got to have|require|can'?t do without)\b"
    r"|\bessential\b|\bat least\b|\b(?:i|we) (?:can|could) only\b|\ball i can\b"
    r"|\bthe (?:best|least|most) i can\b"
)
WANT = re.compile(
    r"\b(?:i|we) (?:really |just |still |would |also )?(?:want|would like|would prefer"
    r"|would rather)\b|\b(?:i|we)'d (?:like|prefer|rather|love)\b"
)
LEADING_NO = re.compile(
    r"^(?:no|nope|nah)\b(?!,? (?:problem|worries|doubt|question|that makes sense"
    r"|i (?:agree|understand)|(?:now|that|it|this)(?:'s| is) (?:fine|good|ok|okay|great)"
    r"|(?:go ahead|all good|not at all)))"
)
ACCEPT = re.compile(
    r"\b(?:(?<!no )deal|ok|okay|sounds good|i accept|that works|agreed?|sure|great|perfect|fine"
    r"|yes|yeah|happy to|works for me)\b"
)
NEGATION = re.compile(
    r"\b(?:not|never|nothing|can'?t|cannot|won'?t|don'?t|isn'?t|doesn'?t|nope)\b|n't\b"
    r"|\bno\b"
)
COUNTER = re.compile(
    r"\b(?:how about|what about|what if|i(?:'ll| will| can| could) (?:give|take|let|do|trade)"
    r"|you (?:can|could) (?:have|take|keep|get))\b"
)
_CONTEXT_TEXT = """
score rule leading_no answers_offer answers_question opens pending started need_pending need_open
want_pending accept negation counter asks long
"""
CONTEXT_FEATURES = tuple(_CONTEXT_TEXT.split())


def context_features(
    text: str, context: TurnContext, scores: Sequence[float], rule: bool
) -> list[float]:
    """What the final decision weighs for one (normalised) turn: the score of the
    head that fits its context (as log-odds), whether a refusal rule fired, the
    dialogue state and the turn's shape.

    ``scores`` is (answer head, open head). Where part of the state is not known
    (only the other side's previous turn was given), the talk is taken to be
    under way.
    """
    pending = context.pending is not False
    started = context.started is not False
    p = min(max(float(scores[0] if pending else scores[1]), 1e-4), 1 - 1e-4)
    previous = context.previous
    offer = bool(context.offer)
    need = bool(NEED.search(text))
    return [
        math.log(p / (1 - p)),
        float(rule),
        float(bool(LEADING_NO.match(text))),
        float(offer),
        float(not offer and (previous or "").rstrip().endswith("?")),
        float(previous == ""),  # nobody spoke before (None: not known)
        float(pending),
        float(started),
        float(need and pending),
        float(need and not started),
        float(pending and bool(WANT.search(text))),
        float(bool(ACCEPT.search(text))),
        float(bool(NEGATION.search(text))),
        float(bool(COUNTER.search(text))),
        float(text.rstrip().endswith("?")),
        float(len(text.split()) > 25),
    ]


# Fitted by bench/coach_fit_context.py on the dev dialogues (the dev half of
# bench/data/rejection_real.csv and all of rejection_real_dev2.csv: 1,375 turns of 128
# dialogues); logistic regression over context_features; the test dialogues were never read.
CONTEXT_WEIGHTS = {
    "score": 0.553,
    "rule": 0.806,
    "leading_no": 1.582,
    "answers_offer": 0.879,
    "answers_question": -0.669,
    "opens": -0.866,
    "pending": 0.527,
    "started": 0.352,
    "need_pending": 1.366,
    "need_open": -0.290,
    "want_pending": 0.211,
    "accept": -0.483,
    "negation": 1.167,
    "counter": 0.307,
    "asks": -0.465,
    "long": -0.118,
}
CONTEXT_BIAS = -2.337
THRESHOLD = 0.4  # cross-validated on dev by the same script (F1 0.776; 0.774 at 0.45)
_WEIGHTS = tuple(CONTEXT_WEIGHTS[name] for name in CONTEXT_FEATURES)
_LOGIT_THRESHOLD = math.log(THRESHOLD / (1 - THRESHOLD))


def is_rejection(features: Sequence[float]) -> bool:
    """The decision on one turn's :func:`context_features`."""
    z = sum(w * f for w, f in zip(_WEIGHTS, features, strict=True))
    return z + CONTEXT_BIAS >= _LOGIT_THRESHOLD


_UNKNOWN = TurnContext()


def decide(text: str, context: TurnContext, scores: Sequence[float], rule: bool) -> bool:
    """Is this (normalised) turn a no? With its context, the weighed decision of
    :func:`is_rejection`. With no context at all (a turn tagged on its own), the
    weights, fitted on turns whose dialogue was known, do not apply: the answer
    head's own judgement decides (P >= 0.5), or a refusal phrase."""
    if context == _UNKNOWN:
        return scores[0] >= 0.5 or rule
    return is_rejection(context_features(text, context, scores, rule))


def seed_lines(name: str, folder: Path = SEEDS) -> list[str]:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class RejectionDetector:
    """P(rejection) for a buyer turn, from two heads over the same features.

    Both heads learn from the context-free seeds (``rejection.txt`` against
    ``not_rejection.txt``). The *answer* head adds ``offer/``: turns that answer
    something on the table, where a need or a hardship that rules it out is a
    no. The *open* head adds ``open/``: the same kind of needs said while
    nothing is on the table yet, which are information. Some lines are in both
    folders with opposite labels (context pairs). A missing folder leaves its
    head trained on the context-free seeds alone.
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        extra: Sequence[tuple[str, bool]] = (),
        folder: Path = SEEDS,
    ) -> None:
        self.embedder = embedder or StaticEmbedder()
        groups = {
            "base": (
                seed_lines("rejection.txt", folder) + [t for t, y in extra if y],
                seed_lines("not_rejection.txt", folder) + [t for t, y in extra if not y],
            ),
            "offer": folder_seeds(folder / "offer"),
            "open": folder_seeds(folder / "open"),
        }
        texts: list[str] = []
        labels: list[int] = []
        rows: dict[str, list[int]] = {}
        for name, (positives, negatives) in groups.items():
            rows[name] = list(range(len(texts), len(texts) + len(positives) + len(negatives)))
            texts += positives + negatives
            labels += [1] * len(positives) + [0] * len(negatives)
        self.lexicon = Lexicon(texts)
        features = self._features(texts)
        y = np.array(labels)
        heads = {}
        for name in ("offer", "open"):
            take = np.array(rows["base"] + rows[name])
            heads[name] = _fit(features.take(take), y[take])
        self.answer_model = heads["offer"]
        self.open_model = heads["open"]

    def _features(self, texts: Sequence[str]) -> Features:
        dense = self.embedder.embed(texts) * DENSE_SCALE
        return Features(self.lexicon.transform(texts), dense)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """(answer head, open head) P(rejection) for each text, in order; each
        distinct text is scored once."""
        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros((0, 2), dtype=np.float32)
        x = self._features(unique)
        both = np.stack(
            [self.answer_model.predict_proba(x)[:, 1], self.open_model.predict_proba(x)[:, 1]],
            axis=1,
        )
        row = {t: i for i, t in enumerate(unique)}
        out: np.ndarray = both[[row[t] for t in texts]].astype(np.float32)
        return out

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """P(rejection) from the answer head, for each text in order."""
        out: np.ndarray = self.scores(texts)[:, 0]
        return out


def folder_seeds(folder: Path) -> tuple[list[str], list[str]]:
    """(positives, negatives) of a seed sub-folder; empty where a file is missing."""

    def lines(name: str) -> list[str]:
        return seed_lines(name, folder) if (folder / name).is_file() else []

    return lines("rejection.txt"), lines("not_rejection.txt")


def _fit(x: Features, labels: np.ndarray) -> linear.LinearModel:
    """Class-balanced logistic regression (as a two-class softmax)."""
    y = np.zeros((len(labels), 2), dtype=np.float32)
    y[labels == 1, 1] = 1.0
    y[labels == 0, 0] = 1.0
    n_pos = int(labels.sum())
    balance = np.where(
        labels == 1, len(labels) / (2 * n_pos), len(labels) / (2 * (len(labels) - n_pos))
    )
    return linear.fit(x, y, l2=L2, steps=STEPS, sample_weight=balance)


@cache
def default_detector() -> RejectionDetector:
    """The detector trained on the shipped seeds, built once per process."""
    return RejectionDetector()
