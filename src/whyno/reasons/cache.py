"""Trained reason models on disk, keyed by a digest of everything they learned from.

Training takes seconds; the CLI classifies in milliseconds after the first run.
A changed seed file, taxonomy, correction or backend gives a new key, so a
stale model is never used. Files are plain numpy archives (no pickle).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from whyno.reasons.lexical import Lexicon
from whyno.reasons.linear import LinearModel
from whyno.reasons.seeds import Example

FORMAT = 2


@dataclass
class Trained:
    lexicon: Lexicon
    model: LinearModel
    memory_x: np.ndarray | None
    memory: list[Example]
    prototypes: np.ndarray  # unit vectors summarising what the model learned from
    evidence_floor: float  # similarity to a prototype below which the model is guessing


def key(backend: str, labels: Sequence[str], examples: Sequence[Example], settings: str) -> str:
    payload = json.dumps(
        [FORMAT, backend, list(labels), settings, [[e.text, list(e.labels)] for e in examples]]
    )
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def save(path: Path, trained: Trained) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    memory = json.dumps([[e.text, list(e.labels)] for e in trained.memory])
    tmp = path.with_suffix(".tmp.npz")
    np.savez(
        tmp,
        terms=np.array(trained.lexicon.terms, dtype=object).astype(str),
        idf=trained.lexicon.idf,
        w_sparse=trained.model.w_sparse,
        w_dense=trained.model.w_dense,
        bias=trained.model.bias,
        mean=trained.model.mean,
        temperature=np.array(trained.model.temperature),
        memory_x=trained.memory_x if trained.memory_x is not None else np.zeros((0, 0)),
        memory=np.array(memory),
        prototypes=trained.prototypes,
        evidence_floor=np.array(trained.evidence_floor),
    )
    tmp.replace(path)


def load(path: Path) -> Trained | None:
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            lexicon = Lexicon.from_state(data["terms"].tolist(), data["idf"])
            model = LinearModel(
                data["w_sparse"],
                data["w_dense"],
                data["bias"],
                data["mean"],
                float(data["temperature"]),
            )
            memory = [Example(t, tuple(labels)) for t, labels in json.loads(str(data["memory"]))]
            memory_x = data["memory_x"] if memory else None
            prototypes, floor = data["prototypes"], float(data["evidence_floor"])
    except (OSError, ValueError, KeyError):
        return None  # unreadable or an older format: retrain
    return Trained(lexicon, model, memory_x, memory, prototypes, floor)
