"""Spherical k-means (seeded), shared by themes and the classifier's evidence check."""

from __future__ import annotations

import numpy as np


def kmeans(x: np.ndarray, k: int, seed: int = 0, steps: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Cluster unit vectors ``x`` into ``k`` groups: (assignment, unit centres)."""
    k = max(1, min(k, len(x)))
    rng = np.random.default_rng(seed)
    centres = [x[rng.integers(len(x))]]
    for _ in range(1, k):  # k-means++ seeding on cosine distance
        distance = np.min(1 - x @ np.array(centres).T, axis=1).clip(min=0)
        total = distance.sum()
        pick = rng.choice(len(x), p=distance / total) if total > 0 else rng.integers(len(x))
        centres.append(x[pick])
    c = np.array(centres, dtype=np.float32)
    assignment = np.zeros(len(x), dtype=int)
    for _ in range(steps):
        assignment = np.argmax(x @ c.T, axis=1)
        for j in range(k):
            members = x[assignment == j]
            if len(members):
                centre = members.sum(axis=0)
                c[j] = centre / (np.linalg.norm(centre) or 1.0)
    return assignment, c
