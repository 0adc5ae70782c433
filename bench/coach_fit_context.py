"""Fit the weights of the rejection decision on the dev half of rejection_real.csv.

The learned detector (trained on the coach seeds only) gives each buyer turn a
score; the final decision weighs that score with a few facts about the turn and
what it answers (``whyno.coach.detector.context_features``: a refusal rule
fired, the partner's turn was a proposal or a question, the turn states a
need, accepts, negates, counters, asks). This script fits those dozen weights
by logistic regression on the **dev** dialogues only, prints a 5-fold
cross-validated F1 (folds by dialogue) for a few thresholds, and the weights
to paste into ``detector.py``. The test half is never read.

    .venv/bin/python bench/coach_fit_context.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "data"))

from resolve_rejections import LabelledUtterance, load_rejections  # noqa: E402

from whyno.coach import tags  # noqa: E402
from whyno.coach.detector import CONTEXT_FEATURES, context_features, default_detector  # noqa: E402

L2 = 1.0
FOLDS = 5


def context(item: LabelledUtterance) -> str | None:
    """The partner's turn this one answers: "" at the start, None after one's own turn."""
    if item.previous is None:
        return ""
    return tags.norm(item.previous) if item.previous_speaker != item.speaker else None


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


def scores(pred: np.ndarray, y: np.ndarray) -> str:
    tp = int((pred & y).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(y.sum()), 1)
    return f"P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r) if p + r else 0:.3f}"


def main() -> None:
    items = [i for i in load_rejections() if i.split == "dev"]
    normed = [tags.norm(i.text) for i in items]
    previous = [context(i) for i in items]
    p = default_detector().probabilities(normed).tolist()
    x = np.array(
        [
            context_features(t, c, s, bool(tags.REJECTION.search(t)))
            for t, c, s in zip(normed, previous, p, strict=True)
        ]
    )
    y = np.array([i.rejection for i in items])
    guard = np.array([bool(tags.NOT_REJECTION.match(t)) for t in normed])
    dialogues = sorted({i.locator.rsplit(":", 1)[0] for i in items})
    fold_of = {d: k % FOLDS for k, d in enumerate(dialogues)}
    fold = np.array([fold_of[i.locator.rsplit(":", 1)[0]] for i in items])
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        w = fit(x[fold != k], y[fold != k])
        oof[fold == k] = predict(w, x[fold == k])
    print(f"dev: {len(y)} utterances, {int(y.sum())} rejections, {len(dialogues)} dialogues")
    print(f"seed model alone, P >= 0.5: {scores((np.array(p) >= 0.5) & ~guard, y)}")
    for threshold in (0.35, 0.4, 0.45, 0.5):
        pred = (oof >= threshold) & ~guard
        print(f"{FOLDS}-fold by dialogue, threshold {threshold}: {scores(pred, y)}")
    w = fit(x, y)
    print("CONTEXT_WEIGHTS = {")
    for name, value in zip(CONTEXT_FEATURES, w[:-1], strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")
    print(f"CONTEXT_BIAS = {w[-1]:.3f}")


if __name__ == "__main__":
    main()
