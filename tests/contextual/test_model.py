"""The shipped contextual model: it loads from the package, and what it is for."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from whyno.contextual.inputs import (
    BUYER_LABELS,
    PREVIOUS_WORDS,
    SELLER_TAGS,
    TEXT_WORDS,
    clip,
    pair,
)
from whyno.contextual.runtime import WEIGHTS, ContextualModel, default_model
from whyno.errors import WhynoError
from whyno.reasons.taxonomy import default_taxonomy

MAX_BYTES = 30 * 1024 * 1024


def test_the_model_ships_in_the_package_with_its_notice_and_manifest() -> None:
    manifest = json.loads((WEIGHTS / "manifest.json").read_text(encoding="utf-8"))
    assert (WEIGHTS / "model.onnx").stat().st_size <= MAX_BYTES
    assert "Apache" in (WEIGHTS / "NOTICE").read_text(encoding="utf-8")
    assert manifest["base_model"].startswith("sentence-transformers/all-MiniLM-L6-v2")
    assert len(manifest["training"]["data_sha256"]) == 64
    assert manifest["heads"] == {
        "buyer": list(BUYER_LABELS),
        "reasons": default_taxonomy().ids,
        "seller": list(SELLER_TAGS),
    }
    # the int8 ONNX file and the trained torch model, on the held-out corpus rows
    assert manifest["onnx_probability_gap"]["same_decision"] >= 0.95
    assert manifest["onnx_probability_gap"]["mean"] <= 0.03


def test_run_gives_one_row_per_item_in_order_and_each_distinct_item_once() -> None:
    model = default_model()
    logits, unit = model.run(["price too high", ("how about 40?", "no"), "price too high"])
    assert logits.shape == (3, 3 + 14 + 7)
    np.testing.assert_allclose(logits[0], logits[2])
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1.0, rtol=1e-4)


def test_an_empty_previous_turn_reads_the_turn_alone() -> None:
    model = default_model()
    alone, _ = model.run(["we'll pass"])
    paired, _ = model.run([("", "we'll pass")])
    np.testing.assert_allclose(alone, paired)


def test_heads_are_probabilities() -> None:
    model = default_model()
    logits, _ = model.run([("would you like the annual plan?", "maybe later")])
    assert np.isclose(model.head("buyer", logits).sum(), 1.0)
    assert np.isclose(model.head("reasons", logits).sum(), 1.0)
    seller = model.head("seller", logits)
    assert ((seller > 0) & (seller < 1)).all()


def test_the_previous_turn_is_cut_from_its_end_and_the_turn_from_its_start() -> None:
    long_turn = " ".join(f"w{i}" for i in range(100))
    previous, text = pair(long_turn, long_turn)
    assert previous.split()[-1] == "w99" and len(previous.split()) == PREVIOUS_WORDS
    assert text.split()[0] == "w0" and len(text.split()) == TEXT_WORDS
    assert pair(long_turn, long_turn, 5, 7) == ("w95 w96 w97 w98 w99", "w0 w1 w2 w3 w4 w5 w6")
    assert clip("a b", 5) == "a b"


def test_a_missing_model_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(WhynoError, match=r"train_model\.py"):
        ContextualModel(tmp_path)
