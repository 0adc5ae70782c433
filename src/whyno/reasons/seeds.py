"""The seed examples the classifier learns from (seeds/<category>.txt and seeds/*.tsv).

``<category>.txt`` (also in sub-folders, one per setting): one example per
line; ``*.tsv``: ``cat1,cat2<TAB>text`` for examples with several reasons.
Lines starting with ``#`` are comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from whyno.reasons.taxonomy import Taxonomy

SEEDS_DIR = Path(__file__).parent / "seeds"


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def load_seeds(taxonomy: Taxonomy, seeds_dir: Path = SEEDS_DIR) -> list[Example]:
    """Seed examples for every category of ``taxonomy`` (built-in ones and the team's)."""
    examples: list[Example] = []
    for category in taxonomy:
        for path in sorted(seeds_dir.rglob(f"{category.id}.txt")):
            examples.extend(Example(text, (category.id,)) for text in _lines(path))
        examples.extend(Example(text, (category.id,)) for text in category.examples)
    for path in sorted(seeds_dir.rglob("*.tsv")):
        for line in _lines(path):
            labels, _, text = line.partition("\t")
            ids = tuple(label.strip() for label in labels.split(",") if label.strip())
            if text and ids and all(label in taxonomy for label in ids):
                examples.append(Example(text.strip(), ids))
    return examples
