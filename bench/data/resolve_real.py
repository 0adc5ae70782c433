"""Resolve the real-phrasing benchmark references in ``reasons_real.csv``.

The CaSiNo and Deal-or-No-Deal licences do not let us copy their text into this
repository, so ``reasons_real.csv`` holds only references (``corpus``,
``locator``) plus our own label and note.  This module turns those references
back into ``(text, category)`` pairs from a local copy of the shared data.

Locator formats
---------------
- ``casino``: ``<file name>:<dialogue_id>:<turn index in chat_logs>`` (0-based),
  e.g. ``casino_train.json:648:1``.
- ``dealornodeal``: ``<line number in val.txt (1-based)>:<turn index>`` where the
  turn index is 0-based over the ``<dialogue>`` part split on ``<eos>``; the
  ``YOU:`` / ``THEM:`` speaker prefix is removed from the returned text.

Stdlib only.  Run ``python -m bench.data.resolve_real [SHARED_DIR] [CSV]`` to
print counts per category and a few resolved samples (``CSV`` defaults to
``reasons_real.csv``; ``reasons_real_dev.csv`` uses the same format).
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

CSV_PATH: Path = Path(__file__).resolve().parent / "reasons_real.csv"

TAXONOMY: frozenset[str] = frozenset(
    {
        "approach.value_unclear",
        "approach.sales_experience",
        "approach.trust",
        "product.capability",
        "product.integration",
        "product.quality",
        "product.usability",
        "product.price",
        "market.budget",
        "market.timing",
        "market.competitor",
        "market.status_quo",
        "fit.not_a_fit",
        "unknown.no_reason",
    }
)

# CaSiNo chat_logs entries that are deal actions, not utterances.
_CASINO_EVENTS: frozenset[str] = frozenset(
    {"Submit-Deal", "Accept-Deal", "Reject-Deal", "Walk-Away"}
)
_DIALOGUE_RE = re.compile(r"<dialogue>(.*)</dialogue>")
_SPEAKER_RE = re.compile(r"^(YOU|THEM):\s*")


class UnresolvedLocatorError(ValueError):
    """One or more rows of reasons_real.csv could not be resolved."""


def shared_data() -> Path:
    """The shared data folder: $WHYNO_SHARED_DATA, else ../shared/data beside the checkout."""
    configured = os.environ.get("WHYNO_SHARED_DATA")
    return (
        Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared" / "data"
    )


def _data_dir(shared_dir: Path) -> Path:
    """Accept either the shared root (containing ``data/``) or ``data/`` itself."""
    for candidate in (shared_dir / "data", shared_dir):
        if (candidate / "casino").is_dir() or (candidate / "dealornodeal").is_dir():
            return candidate
    raise FileNotFoundError(
        f"no casino/ or dealornodeal/ folder under {shared_dir} or {shared_dir / 'data'}"
    )


class _Corpora:
    """Lazily loaded corpora, so each file is read once."""

    def __init__(self, data_dir: Path) -> None:
        self._dir = data_dir
        self._casino: dict[str, dict[int, list[dict[str, Any]]]] = {}
        self._dnd: list[str] | None = None

    def casino_turn(self, locator: str) -> str:
        parts = locator.split(":")
        if len(parts) != 3:
            raise LookupError("expected '<file>:<dialogue_id>:<turn>'")
        file_name, dialogue_s, turn_s = parts
        if "/" in file_name or "\\" in file_name or not file_name.endswith(".json"):
            raise LookupError(f"bad file name {file_name!r}")
        if file_name not in self._casino:
            path = self._dir / "casino" / file_name
            if not path.is_file():
                raise LookupError(f"no such file {path}")
            with path.open(encoding="utf-8") as fh:
                dialogues = json.load(fh)
            self._casino[file_name] = {int(d["dialogue_id"]): d["chat_logs"] for d in dialogues}
        try:
            dialogue_id, turn = int(dialogue_s), int(turn_s)
        except ValueError as exc:
            raise LookupError("dialogue id and turn must be integers") from exc
        logs = self._casino[file_name].get(dialogue_id)
        if logs is None:
            raise LookupError(f"no dialogue_id {dialogue_id} in {file_name}")
        if not 0 <= turn < len(logs):
            raise LookupError(f"turn {turn} out of range (dialogue has {len(logs)})")
        text = str(logs[turn]["text"]).strip()
        if text in _CASINO_EVENTS:
            raise LookupError(f"turn {turn} is a deal event ({text}), not an utterance")
        if not text:
            raise LookupError(f"turn {turn} is empty")
        return text

    def dnd_turn(self, locator: str) -> str:
        parts = locator.split(":")
        if len(parts) != 2:
            raise LookupError("expected '<line>:<turn>'")
        try:
            line_no, turn = int(parts[0]), int(parts[1])
        except ValueError as exc:
            raise LookupError("line and turn must be integers") from exc
        if self._dnd is None:
            path = self._dir / "dealornodeal" / "val.txt"
            if not path.is_file():
                raise LookupError(f"no such file {path}")
            self._dnd = path.read_text(encoding="utf-8").splitlines()
        if not 1 <= line_no <= len(self._dnd):
            raise LookupError(f"line {line_no} out of range (file has {len(self._dnd)})")
        match = _DIALOGUE_RE.search(self._dnd[line_no - 1])
        if match is None:
            raise LookupError(f"line {line_no} has no <dialogue> part")
        turns = [t.strip() for t in match.group(1).split("<eos>")]
        if not 0 <= turn < len(turns):
            raise LookupError(f"turn {turn} out of range (dialogue has {len(turns)})")
        raw = turns[turn]
        if "<selection>" in raw:
            raise LookupError(f"turn {turn} is the <selection> marker, not an utterance")
        text = _SPEAKER_RE.sub("", raw).strip()
        if not text:
            raise LookupError(f"turn {turn} is empty")
        return text


def _read_rows(csv_path: Path) -> list[dict[str, str]]:
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        expected = ["corpus", "locator", "category", "note"]
        if reader.fieldnames != expected:
            raise ValueError(f"{csv_path}: header must be {expected}, got {reader.fieldnames}")
        return list(reader)


def load_real(shared_dir: Path, csv_path: Path = CSV_PATH) -> list[tuple[str, str]]:
    """Return ``(text, category)`` for every row of ``csv_path`` (default ``reasons_real.csv``).

    ``shared_dir`` is the shared folder (``/work/shared``) or its ``data/``
    subfolder.  Raises :class:`UnresolvedLocatorError` naming every row whose
    locator does not resolve to an utterance or whose category is unknown.
    """
    corpora = _Corpora(_data_dir(Path(shared_dir)))
    out: list[tuple[str, str]] = []
    errors: list[str] = []
    for row_no, row in enumerate(_read_rows(csv_path), start=2):
        corpus, locator, category = row["corpus"], row["locator"], row["category"]
        where = f"row {row_no}: {corpus} {locator!r}"
        if category not in TAXONOMY:
            errors.append(f"{where}: unknown category {category!r}")
            continue
        try:
            if corpus == "casino":
                text = corpora.casino_turn(locator)
            elif corpus == "dealornodeal":
                text = corpora.dnd_turn(locator)
            else:
                raise LookupError(f"unknown corpus {corpus!r}")
        except LookupError as exc:
            errors.append(f"{where}: {exc}")
            continue
        out.append((text, category))
    if errors:
        raise UnresolvedLocatorError(
            f"{len(errors)} locator(s) in {csv_path} did not resolve:\n  " + "\n  ".join(errors)
        )
    return out


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else Path("/work/shared")
    csv_path = Path(argv[2]) if len(argv) > 2 else CSV_PATH
    pairs = load_real(shared, csv_path)
    counts = Counter(cat for _, cat in pairs)
    print(f"{len(pairs)} utterances resolved from {csv_path.name}")
    for cat in sorted(TAXONOMY):
        print(f"  {cat:28s} {counts.get(cat, 0):4d}")
    print("\nsamples:")
    for text, cat in random.Random(0).sample(pairs, k=min(10, len(pairs))):
        print(f"  [{cat}] {text[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
