"""Build the fast reason model of the default taxonomy and seeds into the package.

    .venv/bin/python scripts/build_fast_reasons.py

``--backend fast`` and the contextual backend (which averages its own reason head
with the fast model) load it from ``src/whyno/reasons/model/``, so the first use
trains nothing. Run it again after changing the seed files; a test fails while
the shipped file does not match the seeds. A team's corrections or taxonomy
train their own model, cached in ``<WHYNO_HOME>/cache``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from whyno.reasons.classify import PREBUILT, EmbeddingClassifier  # noqa: E402
from whyno.reasons.embed import StaticEmbedder  # noqa: E402


def main() -> None:
    for old in PREBUILT.glob("reasons-static-*.npz"):
        old.unlink()
    classifier = EmbeddingClassifier(StaticEmbedder(), cache_dir=PREBUILT)
    written = sorted(PREBUILT.glob("reasons-static-*.npz"))
    print(
        f"trained {len(classifier.labels)} categories; wrote {', '.join(p.name for p in written)}"
    )


if __name__ == "__main__":
    main()
