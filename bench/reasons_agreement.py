"""How well two people agree on the real reason labels, and where the classifier stands.

``bench/data/reasons_real_blind.csv`` holds a second labelling of 399 real
refusals: all of ``reasons_real.csv`` (178) and ``reasons_real_dev2.csv`` (131),
and 90 rows of ``reasons_real_dev.csv`` (``random.Random(11)``). Two annotators
who had not seen the first labels, the classifier or each other's work labelled
them in a shuffled order (``random.Random(20261124)``, the ``order`` column),
each turn with up to three turns before it, following the same conventions
(the ``Boundary`` lines of ``src/whyno/reasons/seeds/negotiation/*.txt`` and
the dev notes in ``bench/README.md``).

For each set this prints the agreement between the first and the blind
labels (raw and Cohen's kappa), the default classifier's accuracy against
each, and its accuracy on the rows where the two people agree.

    .venv/bin/python -m bench.reasons_agreement
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from bench.data.resolve_real import load_real, shared_data
from whyno.reasons.classify import make_classifier

HERE = Path(__file__).parent

BLIND = HERE / "data" / "reasons_real_blind.csv"


def kappa(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """(raw agreement, Cohen's kappa) of label pairs."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(left[k] * right[k] for k in left) / (n * n)
    return observed, (observed - chance) / (1 - chance)


def first_labels(set_name: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(corpus, locator) -> (text, first label) for one set file."""
    path = HERE / "data" / set_name
    with path.open(encoding="utf-8") as handle:
        refs = [(r["corpus"], r["locator"]) for r in csv.DictReader(handle)]
    return dict(zip(refs, load_real(shared_data(), path), strict=True))


def main() -> None:
    with BLIND.open(encoding="utf-8") as handle:
        blind = list(csv.DictReader(handle))
    sets = {name: first_labels(name) for name in sorted({r["set"] for r in blind})}
    rows = []  # (set, text, first, blind)
    for r in blind:
        text, first = sets[r["set"]][(r["corpus"], r["locator"])]
        rows.append((r["set"], text, first, r["category"]))
    predicted = [p.category for p in make_classifier().classify_batch([r[1] for r in rows])]
    print(
        f"{'set':24} {'n':>4} {'people agree':>13} {'kappa':>6} "
        f"{'model vs first':>15} {'model vs blind':>15} {'model where people agree':>25}"
    )
    for name in [*sets, "all"]:
        picked = [(r, p) for r, p in zip(rows, predicted, strict=True) if name in (r[0], "all")]
        raw, k = kappa([(r[2], r[3]) for r, _ in picked])
        vs_first = sum(r[2] == p for r, p in picked) / len(picked)
        vs_blind = sum(r[3] == p for r, p in picked) / len(picked)
        agreed = [(r[2], p) for r, p in picked if r[2] == r[3]]
        on_agreed = sum(a == p for a, p in agreed) / len(agreed)
        print(
            f"{name:24} {len(picked):4} {raw:13.3f} {k:6.3f} {vs_first:15.3f} "
            f"{vs_blind:15.3f} {on_agreed:19.3f} ({len(agreed)})"
        )


if __name__ == "__main__":
    main()
