"""Word unigram and bigram TF-IDF features, in numpy (no scikit-learn needed).

Rows are stored as CSR arrays (indptr, indices, data): a few dozen non-zeros
per verbatim, so products with a weight matrix are ``np.bincount`` calls.
Term frequencies are sublinear (1 + log tf) and each row is L2-normalised.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def terms(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True)
class Csr:
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.rows), np.diff(self.indptr))

    def take(self, rows: np.ndarray) -> Csr:
        parts = [
            (
                self.indices[self.indptr[r] : self.indptr[r + 1]],
                self.data[self.indptr[r] : self.indptr[r + 1]],
            )
            for r in rows
        ]
        lengths = np.array([len(i) for i, _ in parts], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        indices = np.concatenate([i for i, _ in parts]) if parts else np.zeros(0, np.int64)
        data = np.concatenate([d for _, d in parts]) if parts else np.zeros(0, np.float32)
        return Csr(indptr, indices, data, self.width)

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """self @ weights, for a dense (width, k) matrix."""
        out = np.zeros((self.rows, weights.shape[1]), dtype=np.float32)
        lengths = np.diff(self.indptr)
        filled = lengths > 0
        if filled.any():
            products = self.data[:, None] * weights[self.indices]
            out[filled] = np.add.reduceat(products, self.indptr[:-1][filled], axis=0)
        return out

    def transpose_plan(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """What ``tdot`` needs, computed once per matrix: non-zeros sorted by column."""
        order = np.argsort(self.indices, kind="stable")
        columns, starts = np.unique(self.indices[order], return_index=True)
        return order, self.row_ids()[order], columns, starts

    def tdot(self, grad: np.ndarray, plan: tuple[np.ndarray, ...] | None = None) -> np.ndarray:
        """self.T @ grad, for a dense (rows, k) matrix."""
        order, rows, columns, starts = plan or self.transpose_plan()
        out = np.zeros((self.width, grad.shape[1]), dtype=np.float32)
        if len(order):
            products = self.data[order, None] * grad[rows]
            out[columns] = np.add.reduceat(products, starts, axis=0)
        return out


class Lexicon:
    """The vocabulary and inverse document frequencies of a training set."""

    def __init__(self, texts: Sequence[str]) -> None:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(terms(text)))
        self.terms = sorted(df)
        self.index = {term: i for i, term in enumerate(self.terms)}
        n = len(texts)
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[t])) + 1 for t in self.terms], dtype=np.float32
        )

    @classmethod
    def from_state(cls, terms: list[str], idf: np.ndarray) -> Lexicon:
        lexicon = cls.__new__(cls)
        lexicon.terms = list(terms)
        lexicon.index = {term: i for i, term in enumerate(lexicon.terms)}
        lexicon.idf = idf.astype(np.float32)
        return lexicon

    @property
    def width(self) -> int:
        return len(self.index)

    def transform(self, texts: Sequence[str]) -> Csr:
        """TF-IDF rows: per text, the counts of known terms as (1 + log tf) * idf,
        L2-normalised; the arithmetic is done once for all rows."""
        indptr: list[int] = [0]
        indices: list[int] = []
        counts: list[int] = []
        index = self.index
        for text in texts:
            found = Counter(t for t in terms(text) if t in index)
            indices.extend(index[t] for t in found)
            counts.extend(found.values())
            indptr.append(len(indices))
        ids = np.array(indices, dtype=np.int64)
        values = (1 + np.log(np.array(counts, dtype=np.float32))) * self.idf[ids]
        offsets = np.array(indptr, dtype=np.int64)
        lengths = np.diff(offsets)
        norms = np.ones(len(lengths), dtype=np.float32)
        if len(ids):
            norms[lengths > 0] = np.sqrt(
                np.add.reduceat(values * values, offsets[:-1][lengths > 0])
            )
        values /= np.repeat(norms, lengths)
        return Csr(offsets, ids, values.astype(np.float32), self.width)
