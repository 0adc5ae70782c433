"""How well two people agree on `rejection`, and where the tagger stands.

``bench/data/rejection_real_blind.csv`` is a second labelling of every
utterance of ``rejection_real.csv`` (1,036 turns of 115 CaSiNo and
Deal-or-No-Deal dialogues), made by four annotators who had not seen the first
labels, the tagger or each other's work. Each took a quarter of the dialogues,
in a shuffled order (``random.Random(99)``), read each dialogue whole and
labelled every turn by the same guide (``bench/data/REJECTION_GUIDE.md``).

Per split and corpus this prints the agreement between the two labellings
(raw and Cohen's kappa, and the F1 of one against the other), the tagger's
F1 against each, and its F1 on the turns where the two people agree. The
tagger runs exactly as in ``coach_eval.py`` (each dialogue walked in order).

    .venv/bin/python -m bench.rejection_agreement
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.coach_fit_context import dialogue_contexts, prf
from bench.data.resolve_rejections import _quotes, load_rejections
from bench.reasons_agreement import kappa
from whyno.coach.tags import tag_buyers

HERE = Path(__file__).parent

BLIND = HERE / "data" / "rejection_real_blind.csv"


def f1(pred: Sequence[bool], gold: Sequence[bool]) -> float:
    return prf(np.array(pred, dtype=bool), np.array(gold, dtype=bool))[2]


def blind_labels(texts: dict[tuple[str, str], str]) -> dict[tuple[str, str], bool]:
    """(corpus, locator) -> the blind `rejection` label; every first-labelled turn once."""
    with BLIND.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out: dict[tuple[str, str], bool] = {}
    for number, row in enumerate(rows, start=2):
        key = (row["corpus"], row["locator"])
        if key not in texts or key in out or row["rejection"] not in ("0", "1"):
            raise SystemExit(f"{BLIND.name} row {number}: unknown, repeated or unlabelled {key}")
        if _quotes(row["note"], texts[key]):
            raise SystemExit(f"{BLIND.name} row {number}: the note quotes the utterance")
        out[key] = row["rejection"] == "1"
    if len(out) != len(texts):
        raise SystemExit(f"{BLIND.name}: {len(texts) - len(out)} turns are not labelled")
    return out


def main() -> None:
    items = load_rejections()
    blind = blind_labels({(i.corpus, i.locator): i.text for i in items})
    tags = tag_buyers([i.text for i in items], dialogue_contexts(items))
    found = ["rejection" in t for t in tags]
    print(
        f"{'split':5} {'corpus':13} {'n':>5} {'no 1st':>6} {'no 2nd':>6} {'agree':>6}"
        f" {'kappa':>6} {'F1 2nd/1st':>10} {'tagger/1st':>10} {'tagger/2nd':>10}"
        f" {'tagger where both agree':>24}"
    )
    for split in ("dev", "test"):
        for corpus in ("all", "casino", "dealornodeal"):
            rows = [
                (found[n], i.rejection, blind[i.corpus, i.locator])
                for n, i in enumerate(items)
                if i.split == split and corpus in ("all", i.corpus)
            ]
            tagger, first, second = (list(column) for column in zip(*rows, strict=True))
            agree, k = kappa(list(zip(first, second, strict=True)))
            both = [(t, a) for t, a, b in rows if a == b]
            print(
                f"{split:5} {corpus:13} {len(rows):5} {sum(first):6} {sum(second):6}"
                f" {agree:6.3f} {k:6.3f} {f1(second, first):10.3f}"
                f" {f1(tagger, first):10.3f} {f1(tagger, second):10.3f}"
                f" {f1([t for t, _ in both], [a for _, a in both]):15.3f} ({len(both)})"
            )


if __name__ == "__main__":
    main()
