"""Throughput of a reason classifier (``--backend``): classify_batch on 100,000 verbatims.

The verbatims are distinct (so no per-batch de-duplication helps): phrasings
from the demo company's bank, each with a varying suffix. Training happens
before the clock starts (the CLI caches trained models on disk).

    .venv/bin/python -m bench.reasons_speed [--n 100000] [--backend contextual|fast]
"""

from __future__ import annotations

import argparse
import random
import time

from whyno.demo import phrases
from whyno.reasons.classify import make_classifier


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--backend", default="contextual", help="contextual or fast")
    args = parser.parse_args()
    rng = random.Random(1)
    pool = [t for bank in phrases.bank().phrases.values() for t in bank] + list(
        phrases.bank().no_reason
    )
    words = ["honestly", "really", "just", "also", "though", "maybe", "again", "today", "team"]
    texts = [
        f"{rng.choice(pool).replace('{competitor}', 'Acme')} {rng.choice(words)} {i}"
        for i in range(args.n)
    ]
    classifier = make_classifier(args.backend)
    for run in (1, 2, 3):
        start = time.perf_counter()
        classifier.classify_batch(texts)
        seconds = time.perf_counter() - start
        print(
            f"run {run}: {args.n:,} verbatims in {seconds:.2f} s"
            f" = {args.n / seconds:,.0f} verbatims/s"
        )


if __name__ == "__main__":
    main()
