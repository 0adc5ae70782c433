"""Word unigram and bigram TF-IDF features, in numpy (no scikit-learn needed).

Rows are stored as CSR arrays (indptr, indices, data): a few dozen non-zeros
per verbatim, so products with a weight matrix are ``np.bincount`` calls.
Term frequencies are sublinear (1 + log tf) and each row is L2-normalised.

:func:`normalize` folds informal spellings of the same words together before
any feature sees them ("cant", "can not", "cannot" -> "can't"; "im" -> "i'm";
"u" -> "you"), so that chat-style text meets the vocabulary of the seeds.
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

# informal spelling -> the spelling the seeds use (keys are lower case)
_AUXILIARIES = "do does is are was were did would could should"
_SPELLINGS = {
    **{f"{w}nt": f"{w}n't" for w in (_AUXILIARIES + " has have had").split()},
    **{f"{w} not": f"{w}n't" for w in _AUXILIARIES.split()},
    "cant": "can't",
    "cannot": "can't",
    "can not": "can't",
    "wont": "won't",
    "will not": "won't",
    "ca n't": "can't",
    "wo n't": "won't",
    "im": "i'm",
    "ive": "i've",
    "youre": "you're",
    "thats": "that's",
    "theres": "there's",
    "whats": "what's",
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "tho": "though",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "have to",
}
_KEYS = sorted(_SPELLINGS, key=len, reverse=True)
_SPELLING = re.compile(  # the look-ahead on first letters skips most positions cheaply
    r"(?<![a-z0-9'])(?=[" + "".join(sorted({k[0] for k in _KEYS})) + "])"
    r"(?:" + "|".join(map(re.escape, _KEYS)) + r")(?![a-z0-9'])"
)


def normalize(text: str) -> str:
    """``text`` in lower case, with informal spellings of common words in their usual form."""
    text = text.lower().replace("\u2019", "'")
    return _SPELLING.sub(lambda m: _SPELLINGS[m.group(0)], text)


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
        lookup, flat, lengths = self.index.get, [], []
        for text in texts:
            found = [i for i in map(lookup, terms(text)) if i is not None]
            flat.extend(found)
            lengths.append(len(found))
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        cell = rows * self.width + np.array(flat, dtype=np.int64)  # one number per (row, term)
        cells, counts = np.unique(cell, return_counts=True)
        row_of, ids = np.divmod(cells, self.width)
        bounds = np.searchsorted(row_of, np.arange(len(texts) + 1))
        data = (1 + np.log(counts.astype(np.float32))) * self.idf[ids]
        filled = np.diff(bounds) > 0
        if filled.any():  # L2-normalise each non-empty row
            norms = np.sqrt(np.add.reduceat(data * data, bounds[:-1][filled]))
            data /= np.repeat(norms, np.diff(bounds)[filled])
        return Csr(bounds.astype(np.int64), ids, data.astype(np.float32), self.width)
