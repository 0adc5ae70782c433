from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from whyno.reasons.seeds import SEEDS_DIR, Example, load_seeds
from whyno.reasons.taxonomy import default_taxonomy


def test_seeds_in_sub_folders_are_loaded_with_their_category(tmp_path: Path) -> None:
    (tmp_path / "chat").mkdir()
    (tmp_path / "chat" / "market.budget.txt").write_text(
        "# a comment\nlol i'm broke till friday\n\n", encoding="utf-8"
    )
    (tmp_path / "chat" / "mixed.tsv").write_text(
        "market.budget,market.timing\tbroke now, ask me next week\n", encoding="utf-8"
    )
    examples = [e for e in load_seeds(default_taxonomy(), tmp_path) if "broke" in e.text]
    assert examples == [
        Example("lol i'm broke till friday", ("market.budget",)),
        Example("broke now, ask me next week", ("market.budget", "market.timing")),
    ]


@pytest.mark.parametrize("folder", ["chat", "consumer_chat"])
def test_every_category_has_chat_style_seeds(folder: str) -> None:
    for category in default_taxonomy():
        path = SEEDS_DIR / folder / f"{category.id}.txt"
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        assert len([line for line in lines if not line.startswith("#")]) >= 20, path


def test_no_seed_text_is_given_twice() -> None:
    counts = Counter(e.text.lower() for e in load_seeds(default_taxonomy()))
    assert [text for text, n in counts.items() if n > 1] == []
