"""The training data of whyno's contextual model, read from this repository only.

Plain Python (no torch), so the benches can score exactly the rows the model
trains on and the rows it holds out:

- buyer turns with the other side's previous turn (``scripts/corpus/buyer_*.jsonl``)
  and the coach seed sentences (``src/whyno/coach/seeds``);
- verbatims: the reason seeds (``src/whyno/reasons/seeds``) and the reasons
  given in the corpus's buyer turns;
- seller turns with the buyer's previous turn (``scripts/corpus/seller_*.jsonl``).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from whyno.coach.detector import SEEDS as COACH_SEEDS
from whyno.coach.detector import folder_seeds, seed_lines
from whyno.contextual.inputs import BUYER_LABELS, SELLER_TAGS
from whyno.reasons.seeds import SEEDS_DIR, load_seeds
from whyno.reasons.taxonomy import default_taxonomy

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "scripts" / "corpus"
REASONS = default_taxonomy().ids


@dataclass(frozen=True)
class Item:
    task: str  # buyer, reasons, seller
    previous: str | None  # None: a verbatim, read alone
    text: str
    target: tuple[float, ...]
    held_out: bool = False


def held_out(line: str, fraction: float) -> bool:
    digest = hashlib.sha256(line.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < fraction


def one_hot(index: int, size: int) -> tuple[float, ...]:
    return tuple(1.0 if i == index else 0.0 for i in range(size))


def rows_of(path: Path) -> list[tuple[str, dict[str, object]]]:
    """(line, parsed row) of a corpus file; a bad line stops with its file and number."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            ok = isinstance(row, dict) and isinstance(row.get("text"), str)
            ok = ok and isinstance(row.get("previous"), str)
            if "label" in row:
                ok = ok and row["label"] in BUYER_LABELS
                ok = ok and (row.get("reason") is None or row["reason"] in REASONS)
            else:
                ok = ok and isinstance(row.get("tags"), list)
                ok = ok and all(tag in SELLER_TAGS for tag in row["tags"])
        except json.JSONDecodeError:
            ok = False
        if not ok:
            raise SystemExit(
                f"{path}:{number}: not a corpus row as scripts/corpus/GUIDE.md defines it; "
                "fix or remove the line"
            )
        out.append((line, row))
    return out


def corpus_items(fraction: float) -> list[Item]:
    items: list[Item] = []
    for path in sorted(CORPUS.glob("buyer_*.jsonl")):
        for line, row in rows_of(path):
            hold = held_out(line, fraction)
            text, previous = str(row["text"]), str(row["previous"])
            label = BUYER_LABELS.index(str(row["label"]))
            items.append(Item("buyer", previous, text, one_hot(label, 3), hold))
            if row.get("reason") in REASONS:
                target = one_hot(REASONS.index(str(row["reason"])), len(REASONS))
                items.append(Item("reasons", None, text, target, hold))
    for path in sorted(CORPUS.glob("seller_*.jsonl")):
        for line, row in rows_of(path):
            tags = row["tags"]
            assert isinstance(tags, list)
            target = tuple(1.0 if tag in tags else 0.0 for tag in SELLER_TAGS)
            hold = held_out(line, fraction)
            items.append(Item("seller", str(row["previous"]), str(row["text"]), target, hold))
    return items


def seed_items() -> list[Item]:
    """The coach seeds (turns with no previous turn) and the reason seeds."""
    items: list[Item] = []
    positives = seed_lines("rejection.txt", COACH_SEEDS)
    negatives = seed_lines("not_rejection.txt", COACH_SEEDS)
    for folder in ("offer", "open"):
        more_pos, more_neg = folder_seeds(COACH_SEEDS / folder)
        positives, negatives = positives + more_pos, negatives + more_neg
    items += [Item("buyer", "", t, one_hot(2, 3)) for t in positives]
    items += [Item("buyer", "", t, one_hot(0, 3)) for t in negatives]
    for example in load_seeds(default_taxonomy(), SEEDS_DIR):
        target = [0.0] * len(REASONS)
        for label in example.labels:
            target[REASONS.index(label)] = 1.0 / len(example.labels)
        items.append(Item("reasons", None, example.text, tuple(target)))
    return items


def acknowledgment_items(items: list[Item], count: int, seed: int) -> list[Item]:
    """Acknowledgments ("yeah", "that's true", "mm-hmm, right") after the previous
    turns of the corpus: a buyer's is ``none``, a seller's has no tag. Whatever was
    said before, a turn that only acknowledges declines nothing and uses no
    technique (run time settles them by rule as well)."""
    lines = (ROOT / "src" / "whyno" / "coach" / "acknowledgments.txt").read_text("utf-8")
    words = [w for w in lines.splitlines() if w.strip() and not w.startswith("#")]
    words = [w for w in words if w not in {"oh", "well", "um", "uh", "er", "so"}]
    rng = random.Random(seed)
    out = []
    for task, target in (("buyer", one_hot(0, 3)), ("seller", (0.0,) * len(SELLER_TAGS))):
        before = [i.previous for i in items if i.task == task and i.previous and not i.held_out]
        for _ in range(count if task == "buyer" else count // 2):
            text = rng.choice(words)
            if rng.random() < 0.3:
                text = f"{text}, {rng.choice(words)}"
            text = text.capitalize() + rng.choice([".", "", "!", ","])
            out.append(Item(task, rng.choice(before), text, target))
    return out


def digest() -> str:
    """sha256 over every training file, by path and content."""
    h = hashlib.sha256()
    files = sorted(CORPUS.glob("*.jsonl")) + sorted(COACH_SEEDS.rglob("*.txt"))
    files.append(ROOT / "src" / "whyno" / "coach" / "acknowledgments.txt")
    files += sorted(SEEDS_DIR.rglob("*.txt")) + sorted(SEEDS_DIR.rglob("*.tsv"))
    for path in files:
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()
