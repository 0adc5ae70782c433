"""The shipped contextual model at run time: onnxruntime and tokenizers, no torch.

One encoder (all-MiniLM-L6-v2, fine-tuned by ``scripts/train_model.py``) with
three heads side by side in one output: the buyer turn (none / objection /
rejection, read with the other side's previous turn), the reason categories of
a verbatim, and the seller techniques. The model is loaded once per process,
at first use; nothing is trained or downloaded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np

from whyno.contextual.inputs import MAX_TOKENS, Pair
from whyno.errors import MissingExtraError, WhynoError

WEIGHTS = Path(__file__).parent / "weights"
BATCH = 64  # inputs run at once, sorted by length so that a batch pads little


class ContextualModel:
    """The ONNX model in ``folder`` (``model.onnx``, ``tokenizer.json``, ``manifest.json``)."""

    def __init__(self, folder: Path = WEIGHTS, threads: int | None = None) -> None:
        self.folder = folder
        self.threads = threads
        path = folder / "manifest.json"
        if not path.is_file():
            raise WhynoError(
                f"the contextual model is missing ({path}); rebuild it with "
                "python scripts/train_model.py, or use --backend fast"
            )
        self.manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        heads = self.manifest["heads"]
        self.buyer_labels: list[str] = heads["buyer"]
        self.reason_labels: list[str] = heads["reasons"]
        self.seller_tags: list[str] = heads["seller"]
        n_buyer, n_reasons = len(self.buyer_labels), len(self.reason_labels)
        self._slices = {
            "buyer": slice(0, n_buyer),
            "reasons": slice(n_buyer, n_buyer + n_reasons),
            "seller": slice(n_buyer + n_reasons, n_buyer + n_reasons + len(self.seller_tags)),
        }

    @cached_property
    def _session(self) -> Any:
        try:
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - a dependency of the default install
            raise MissingExtraError("the contextual model", "default", "onnxruntime") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        return ort.InferenceSession(
            str(self.folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )

    @cached_property
    def _tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
        tokenizer.no_padding()
        return tokenizer

    def run(self, items: Sequence[Pair | str]) -> tuple[np.ndarray, np.ndarray]:
        """(logits of every head, unit sentence embedding) for each item, in order.

        An item is a verbatim, or a (previous turn, turn) pair; a pair whose
        previous turn is empty is read as the turn alone. Each distinct item is
        run once."""
        keys = [_as_input(item) for item in items]
        unique = list(dict.fromkeys(keys))
        width = len(self.buyer_labels) + len(self.reason_labels) + len(self.seller_tags)
        logits = np.zeros((len(unique), width), dtype=np.float32)
        embedding = np.zeros((len(unique), int(self.manifest["dim"])), dtype=np.float32)
        if unique:
            encodings = self._tokenizer.encode_batch(unique)
            order = sorted(range(len(unique)), key=lambda i: len(encodings[i].ids))
            for start in range(0, len(order), BATCH):
                rows = order[start : start + BATCH]
                batch = _arrays([encodings[i] for i in rows])
                out_logits, out_embedding = self._session.run(None, batch)
                logits[rows], embedding[rows] = out_logits, out_embedding
        index = {key: i for i, key in enumerate(unique)}
        take = [index[key] for key in keys]
        return logits[take], embedding[take]

    def head(self, name: str, logits: np.ndarray) -> np.ndarray:
        """One head's probabilities: softmax for ``buyer`` and ``reasons``, a sigmoid
        per tag for ``seller``."""
        part = logits[:, self._slices[name]].astype(np.float64)
        if name == "seller":
            sigmoid: np.ndarray = 1.0 / (1.0 + np.exp(-part))
            return sigmoid
        part -= part.max(axis=1, keepdims=True)
        exp = np.exp(part)
        softmax: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return softmax

    def buyer(self, items: Sequence[Pair]) -> np.ndarray:
        """P(none), P(objection), P(rejection) for each (previous turn, buyer turn)."""
        return self.head("buyer", self.run(items)[0])

    def seller(self, items: Sequence[Pair]) -> np.ndarray:
        """P(tag) for each seller tag of the manifest, for each (buyer's turn, seller turn)."""
        return self.head("seller", self.run(items)[0])


def _as_input(item: Pair | str) -> str | tuple[str, str]:
    if isinstance(item, str):
        return item
    previous, text = item
    return (previous, text) if previous.strip() else text


def _arrays(encodings: Sequence[Any]) -> dict[str, np.ndarray]:
    width = max(len(e.ids) for e in encodings)
    shape = (len(encodings), width)
    ids = np.zeros(shape, dtype=np.int64)
    mask = np.zeros(shape, dtype=np.int64)
    types = np.zeros(shape, dtype=np.int64)
    for row, e in enumerate(encodings):
        n = len(e.ids)
        ids[row, :n], mask[row, :n], types[row, :n] = e.ids, e.attention_mask, e.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


@cache
def default_model() -> ContextualModel:
    """The model shipped in the package, loaded once per process."""
    return ContextualModel()
