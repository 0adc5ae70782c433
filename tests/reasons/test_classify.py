from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from whyno.errors import InputError
from whyno.reasons import linear
from whyno.reasons.classify import Classifier, is_bare_decline, make_classifier
from whyno.reasons.embed import StaticEmbedder, focus
from whyno.reasons.lexical import Lexicon, normalize
from whyno.reasons.seeds import Example


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("We went with Acme instead, signed last week", "market.competitor"),
        ("our board froze all spending until next fiscal year", "market.budget"),
        ("we'll just keep using our spreadsheets", "market.status_quo"),
        (
            "the price was fine, but the app crashed every single day of the trial",
            "product.quality",
        ),
        (
            "nothing wrong with the product, the rep just never called us back",
            "approach.sales_experience",
        ),
        ("no thanks, not interested", "unknown.no_reason"),
        ("my boss said no", "unknown.no_reason"),
        ("we're a three person shop, this is built for much bigger teams", "fit.not_a_fit"),
        ("it doesn't sync with Xero so we'd be typing everything twice", "product.integration"),
    ],
)
def test_clear_reasons(classifier: Classifier, text: str, category: str) -> None:
    [prediction] = classifier.classify_batch([text])
    assert prediction.category == category
    assert prediction.lever == category.split(".")[0]
    assert 0 <= prediction.confidence <= 1
    assert prediction.category in prediction.categories


def test_rules_before_the_model(classifier: Classifier) -> None:
    empty, picklist = classifier.classify_batch(["  ", "Lost to Competitor"])
    assert (empty.category, empty.source, empty.confidence) == ("unknown.no_reason", "rule", 1.0)
    assert (picklist.category, picklist.source) == ("market.competitor", "crm")


def test_order_and_duplicates_are_kept(classifier: Classifier) -> None:
    texts = ["no budget", "Price", "no budget", ""]
    assert [p.text for p in classifier.classify_batch(texts)] == texts


def test_confidence_and_scores_have_four_decimals(classifier: Classifier) -> None:
    texts = ["we like it but the team was not convinced", "no budget this year", "hmm"]
    for p in classifier.classify_batch(texts):
        assert repr(p.confidence) == repr(round(p.confidence, 4))
        assert all(repr(v) == repr(round(v, 4)) for v in p.scores.values())


def test_low_confidence_is_unsure_not_a_confident_guess(classifier: Classifier) -> None:
    [p] = classifier.classify_batch(["the purple elephant sang a song about tuesday"])
    assert p.unsure is True
    assert p.confidence < classifier.thresholds.unsure


def test_bare_declines() -> None:
    assert is_bare_decline("No thanks, we'll pass")
    assert is_bare_decline("not interested at all")
    assert not is_bare_decline("not interested, the price is too high")
    assert not is_bare_decline("we went with Acme")


def test_someone_else_saying_no_is_still_a_bare_decline() -> None:
    assert is_bare_decline("the board said no")
    assert is_bare_decline("our team decided to pass")
    assert not is_bare_decline("the board said no, the budget is frozen")


def _probabilities(classifier: Classifier, **given: float) -> np.ndarray:
    row = np.zeros((1, len(classifier.labels)), dtype=np.float32)
    for label, p in given.items():
        row[0, classifier.labels.index(label.replace("_", ".", 1))] = p
    return row


def test_a_weak_lean_to_no_reason_is_unsure_unless_the_text_is_a_bare_decline(
    classifier: Classifier,
) -> None:
    probs = _probabilities(classifier, unknown_no_reason=0.40, approach_sales_experience=0.30)
    evidence = np.ones(1)
    [stated] = classifier._from_model(["he said no, something about the zoning"], probs, evidence)
    [bare] = classifier._from_model(["my boss said no"], probs, evidence)
    assert (stated.category, stated.unsure) == ("unknown.no_reason", True)
    assert (bare.category, bare.unsure) == ("unknown.no_reason", False)
    # the answer is always among the listed categories, first
    assert stated.categories == ["unknown.no_reason", "approach.sales_experience"]


def test_bare_declines_of_a_deal() -> None:
    assert is_bare_decline("i guess we can't make a deal then")
    assert is_bare_decline("that doesn't work for me")
    assert not is_bare_decline("that doesn't work for me, my kids need the water")


def test_informal_spellings_are_folded_before_the_features() -> None:
    assert normalize("i cant , we can not , it doesnt") == "i can't , we can't , it doesn't"
    assert normalize("Im sure u know, thats it") == "i'm sure you know, that's it"
    assert normalize("Important: a wonton can't hurt") == "important: a wonton can't hurt"


def test_focus_is_the_clause_after_but() -> None:
    assert focus("price was fine, but the app crashed daily") == "the app crashed daily"
    assert focus("too expensive") == "too expensive"
    assert focus("fine but no") == "fine but no"  # a one-word tail is not a reason


def test_corrections_change_later_predictions(model_cache: Path) -> None:
    text = "the gizmo wobbles whenever the moon is full"
    before = make_classifier(cache_dir=model_cache).classify_batch([text])[0]
    fixed = [Example(text, ("product.capability",))]
    after = make_classifier(corrections=fixed, cache_dir=model_cache).classify_batch(
        [text, "The gizmo wobbles whenever the moon is full!"]
    )
    assert before.category != "product.capability" or before.unsure
    assert [(p.category, p.source) for p in after] == [("product.capability", "person")] * 2


def test_unknown_backend_names_the_choices() -> None:
    with pytest.raises(InputError, match="choose one of contextual, fast, static, semantic"):
        make_classifier("bert")


def test_static_embedder_is_unit_length_and_handles_empty() -> None:
    vectors = StaticEmbedder().embed(["too expensive", "", "zzzz"])
    assert vectors.shape == (3, 256)
    assert np.allclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)
    assert np.allclose(vectors[1], 0.0)


def test_linear_model_learns_and_calibrates() -> None:
    texts = ["red apple", "green apple", "ripe apple", "blue car", "fast car", "old car"] * 4
    lexicon = Lexicon(texts)
    dense = np.zeros((len(texts), 2), dtype=np.float32)
    x = linear.Features(lexicon.transform(texts), dense)
    y = np.array([[1, 0] if "apple" in t else [0, 1] for t in texts], dtype=np.float32)
    model = linear.fit(x, y)
    probe = linear.Features(
        lexicon.transform(["apple pie", "car park"]), np.zeros((2, 2), np.float32)
    )
    assert model.predict_proba(probe).argmax(axis=1).tolist() == [0, 1]
    assert linear.calibrate(x, y) > 0


def test_the_fast_model_of_the_default_seeds_ships_prebuilt() -> None:
    # fails when a seed file changed and scripts/build_fast_reasons.py was not run
    assert make_classifier("fast").prebuilt  # type: ignore[attr-defined]


def test_the_contextual_backend_is_the_default_and_averages_the_fast_model() -> None:
    classifier = make_classifier()
    assert classifier.name == "contextual"
    [p] = classifier.classify_batch(["we went with a cheaper competitor, their price was half"])
    assert p.category in ("market.competitor", "product.price")
    assert p.source == "model"
