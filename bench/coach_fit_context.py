"""Fit the weights of the rejection decision on the dev dialogues.

The dev dialogues are the dev half of ``rejection_real.csv`` and all of
``rejection_real_dev2.csv`` (``resolve_rejections.load_dev``).

The learned detector (trained on the coach seeds only) gives each buyer turn a
score from each of its two heads; the final decision weighs the score of the
head that fits the turn's context with the dialogue state and the turn's
shape (``whyno.coach.detector.context_features``: a refusal rule fired, the
other side's latest turn was an offer or a question, an offer or request of
the other side is still pending, any offer has been made yet, the turn states
a need or a wish, accepts, negates, counters, asks). The state comes from
walking each dialogue in order (``whyno.coach.dialogue.conversation_contexts``,
each speaker a side), as ``review()`` walks a call.

This script fits those weights by logistic regression on the **dev**
dialogues only, prints the cross-validated F1 (folds by dialogue, averaged
over several shuffles of the folds) for a few thresholds, and the weights to
paste into ``detector.py``. The test half is never read.

    .venv/bin/python -m bench.coach_fit_context
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.data.resolve_rejections import LabelledUtterance, load_dev
from whyno.coach import cues, tags
from whyno.coach.detector import CONTEXT_FEATURES, context_features, default_detector
from whyno.coach.dialogue import TurnContext, conversation_contexts

HERE = Path(__file__).parent

L2 = 1.0
FOLDS = 5
SHUFFLES = 20
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5)


def dialogue_key(item: LabelledUtterance) -> str:
    return f"{item.corpus}:{item.locator.rsplit(':', 1)[0]}"


def dialogue_contexts(items: Sequence[LabelledUtterance]) -> list[TurnContext]:
    """Each utterance's context from its dialogue so far, each speaker a side
    (items are in dialogue order, as in the CSV)."""
    by_dialogue: dict[str, list[int]] = {}
    for n, item in enumerate(items):
        by_dialogue.setdefault(dialogue_key(item), []).append(n)
    out: list[TurnContext] = [TurnContext()] * len(items)
    for rows in by_dialogue.values():
        turns = [(items[n].speaker, tags.norm(items[n].text)) for n in rows]
        for n, context in zip(rows, conversation_contexts(turns), strict=True):
            out[n] = context
    return out


def fit(x: np.ndarray, y: np.ndarray, steps: int = 3000, rate: float = 0.1) -> np.ndarray:
    """Logistic regression by gradient descent; the last weight is the bias."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) / len(y)
        grad[:-1] += L2 * w[:-1] / len(y)
        w -= rate * grad
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    z = x @ w[:-1] + w[-1]
    out: np.ndarray = 1 / (1 + np.exp(-z))
    return out


def prf(pred: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    tp = int((pred & y).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(y.sum()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def folds(keys: Sequence[str], shuffle: int) -> np.ndarray:
    """The fold (0 to FOLDS - 1) of each row, whole dialogues to a fold, in the
    order ``np.random.default_rng(shuffle)`` gives the sorted dialogue keys."""
    dialogues = sorted(set(keys))
    order = np.random.default_rng(shuffle).permutation(len(dialogues))
    fold_of = {dialogues[d]: k % FOLDS for k, d in enumerate(order)}
    return np.array([fold_of[key] for key in keys])


def out_of_fold(x: np.ndarray, y: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """P(rejection) of each row from the weights fitted on the other folds."""
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        w = fit(x[fold != k], y[fold != k])
        oof[fold == k] = predict(w, x[fold == k])
    return oof


def features(items: Sequence[LabelledUtterance]) -> tuple[np.ndarray, np.ndarray]:
    """(context features, the "never a no" guard) for each utterance."""
    normed = [tags.norm(i.text) for i in items]
    scores = default_detector().scores(normed).tolist()
    x = np.array(
        [
            context_features(t, c, s, bool(cues.REJECTION.search(t)))
            for t, c, s in zip(normed, dialogue_contexts(items), scores, strict=True)
        ]
    )
    return x, np.array([tags.agrees(t) for t in normed])


def main() -> None:
    items = load_dev()
    x, guard = features(items)
    y = np.array([i.rejection for i in items])
    casino = np.array([i.corpus == "casino" for i in items])
    dialogues = sorted({dialogue_key(i) for i in items})
    print(f"dev: {len(y)} utterances, {int(y.sum())} rejections, {len(dialogues)} dialogues")
    results: dict[float, list[tuple[float, ...]]] = {t: [] for t in THRESHOLDS}
    keys = [dialogue_key(i) for i in items]
    for shuffle in range(SHUFFLES):
        oof = out_of_fold(x, y, folds(keys, shuffle))
        for threshold in THRESHOLDS:
            pred = (oof >= threshold) & ~guard
            results[threshold].append(
                (*prf(pred, y), prf(pred[casino], y[casino])[2], prf(pred[~casino], y[~casino])[2])
            )
    print(f"{FOLDS}-fold by dialogue, mean of {SHUFFLES} shuffles:")
    for threshold, runs in results.items():
        p, r, f, fc, fd = np.mean(runs, axis=0)
        print(
            f"  threshold {threshold}: P {p:.3f} R {r:.3f} F1 {f:.3f}"
            f"  (CaSiNo F1 {fc:.3f}, Deal-or-No-Deal F1 {fd:.3f})"
        )
    w = fit(x, y)
    print("CONTEXT_WEIGHTS = {")
    for name, value in zip(CONTEXT_FEATURES, w[:-1], strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")
    print(f"CONTEXT_BIAS = {w[-1]:.3f}")


if __name__ == "__main__":
    main()
