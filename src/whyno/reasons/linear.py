"""A small softmax regression in numpy over sparse + dense features.

Soft targets let an example carry several reasons (each gets an equal share).
The temperature is fitted on out-of-fold predictions (k-fold cross-validation
over the training data), so the probabilities mean what they say on text the
model has not seen, not on its own training examples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from whyno.reasons.lexical import Csr


@dataclass(frozen=True)
class Features:
    sparse: Csr
    dense: np.ndarray

    def __len__(self) -> int:
        return len(self.dense)

    def take(self, rows: np.ndarray) -> Features:
        return Features(self.sparse.take(rows), self.dense[rows])


@dataclass
class LinearModel:
    w_sparse: np.ndarray  # (vocabulary, classes)
    w_dense: np.ndarray  # (dims, classes)
    bias: np.ndarray  # (classes,)
    mean: np.ndarray  # centring of the dense features
    temperature: float = 1.0

    def logits(self, x: Features) -> np.ndarray:
        dense: np.ndarray = (x.dense - self.mean) @ self.w_dense
        out: np.ndarray = x.sparse.dot(self.w_sparse) + dense + self.bias
        return out

    def predict_proba(self, x: Features) -> np.ndarray:
        return softmax(self.logits(x) / self.temperature)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def fit(
    x: Features,
    y: np.ndarray,
    *,
    l2: float = 3e-5,
    steps: int = 200,
    rate: float = 0.05,
    sample_weight: np.ndarray | None = None,
) -> LinearModel:
    """Softmax regression on ``x`` and soft targets ``y`` (rows sum to 1), by Adam.

    The loss is the weighted mean cross-entropy plus ``l2 / 2 * |w|^2``.
    """
    n, k = y.shape
    mean = x.dense.mean(axis=0)
    dense = (x.dense - mean).astype(np.float32)
    plan = x.sparse.transpose_plan()
    params = [
        np.zeros((x.sparse.width, k), np.float32),
        np.zeros((dense.shape[1], k), np.float32),
        np.zeros(k, np.float32),
    ]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    sw = np.ones(n, np.float32) if sample_weight is None else sample_weight.astype(np.float32)
    sw = sw / sw.sum()
    for step in range(1, steps + 1):
        w_sparse, w_dense, bias = params
        p = softmax(x.sparse.dot(w_sparse) + dense @ w_dense + bias)
        g = (p - y) * sw[:, None]
        grads = [x.sparse.tdot(g, plan) + l2 * w_sparse, dense.T @ g + l2 * w_dense, g.sum(axis=0)]
        _adam(params, grads, moments, step, rate)
    return LinearModel(params[0], params[1], params[2], mean)


def _adam(
    params: list[np.ndarray],
    grads: list[np.ndarray],
    moments: list[tuple[np.ndarray, np.ndarray]],
    step: int,
    rate: float,
) -> None:
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for param, grad, (m, v) in zip(params, grads, moments, strict=True):
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        param -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)


def calibrate(
    x: Features, y: np.ndarray, *, folds: int = 4, seed: int = 0, steps: int = 200
) -> float:
    """The temperature that minimises log loss on out-of-fold predictions."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    logits = np.zeros_like(y)
    for fold in range(folds):
        held = np.sort(order[fold::folds])
        train = np.setdiff1d(order, held)
        model = fit(x.take(train), y[train], steps=steps)
        logits[held] = model.logits(x.take(held))
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 60))
    losses = [float(-(y * np.log(softmax(logits / t) + 1e-12)).sum(axis=1).mean()) for t in grid]
    return float(grid[int(np.argmin(losses))])
