"""Accuracy of a classifier on a labelled set: accuracy, per-category P/R/F1, confusions."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whyno.errors import InputError
from whyno.reasons.classify import Classifier
from whyno.reasons.taxonomy import Taxonomy


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class Evaluation:
    total: int
    accuracy: float
    macro_f1: float
    per_category: dict[str, Scores]
    confusions: list[tuple[str, str, int]]  # (true, predicted, count), most frequent first
    unsure: int = 0
    accuracy_when_sure: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def score(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Evaluation:
    """Single-label metrics; macro-F1 averages the categories that occur in the truth."""
    if not truth:
        raise InputError("nothing to evaluate: the labelled set is empty")
    pairs = list(zip(truth, predicted, strict=True))
    correct = sum(t == p for t, p in pairs)
    per: dict[str, Scores] = {}
    for label in labels:
        tp = sum(t == label and p == label for t, p in pairs)
        predicted_n = sum(p == label for _, p in pairs)
        support = sum(t == label for t, _ in pairs)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if support or predicted_n:
            per[label] = Scores(round(precision, 4), round(recall, 4), round(f1, 4), support)
    present = [s.f1 for s in per.values() if s.support]
    confusions = Counter((t, p) for t, p in pairs if t != p).most_common()
    return Evaluation(
        len(pairs),
        round(correct / len(pairs), 4),
        round(sum(present) / len(present), 4) if present else 0.0,
        per,
        [(t, p, n) for (t, p), n in confusions],
    )


def read_labelled(path: Path, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """Rows of a CSV with columns ``text`` and ``category``; bad rows are errors, not skipped."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = {"text", "category"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(
                f"{path}: needs the columns text and category "
                f"(missing: {', '.join(sorted(missing))})"
            )
        rows, problems = [], []
        for number, row in enumerate(reader, start=2):
            category = (row["category"] or "").strip()
            if category not in taxonomy:
                problems.append(f"row {number}: unknown category {category!r}")
                continue
            rows.append(((row["text"] or "").strip(), category))
    if problems:
        shown = "; ".join(problems[:10]) + (
            f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        )
        raise InputError(f"{path}: {shown}. Valid categories: {', '.join(taxonomy.ids)}")
    return rows


def evaluate(classifier: Classifier, rows: Sequence[tuple[str, str]]) -> Evaluation:
    predictions = classifier.classify_batch([text for text, _ in rows])
    result = score([c for _, c in rows], [p.category for p in predictions], classifier.labels)
    sure = [(p, c) for p, (_, c) in zip(predictions, rows, strict=True) if not p.unsure]
    result.unsure = len(rows) - len(sure)
    result.accuracy_when_sure = (
        round(sum(p.category == c for p, c in sure) / len(sure), 4) if sure else 0.0
    )
    return result
