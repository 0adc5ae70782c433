from __future__ import annotations

from whyno.reasons.embed import StaticEmbedder
from whyno.reasons.evaluate import score
from whyno.reasons.themes import find_themes

OFFLINE = [
    f"the app needs to work offline {x}"
    for x in (
        "in basements",
        "on rooftops",
        "in the field",
        "without signal",
        "at remote sites",
        "underground",
    )
]
SPANISH = [
    f"our crews need it in spanish {x}"
    for x in (
        "please",
        "for the techs",
        "and french too",
        "on the phones",
        "for customers",
        "everywhere",
    )
]


def test_themes_find_two_new_reasons() -> None:
    themes = find_themes(StaticEmbedder(), OFFLINE + SPANISH, k=2)
    assert sorted(t.size for t in themes) == [6, 6]
    words = {w for t in themes for w in t.top_words}
    assert {"offline", "spanish"} <= words
    assert all(len(t.examples) == 3 for t in themes)


def test_too_few_verbatims_make_no_themes() -> None:
    assert find_themes(StaticEmbedder(), ["just one"]) == []


def test_score_exact_values() -> None:
    result = score(["a", "a", "b", "c"], ["a", "b", "b", "c"], ["a", "b", "c"])
    assert result.accuracy == 0.75
    assert result.per_category["a"].precision == 1.0 and result.per_category["a"].recall == 0.5
    assert result.per_category["b"].precision == 0.5 and result.per_category["b"].f1 == 0.6667
    assert result.macro_f1 == round((0.6667 + 0.6667 + 1.0) / 3, 4)
    assert result.confusions == [("a", "b", 1)]
