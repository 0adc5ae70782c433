"""Learning curve of the contextual model: accuracy against training-set size and
against encoder size (issue 20), so we know whether data or capacity is the limit.

Each point trains a model with ``scripts/train_model.py`` (``--limit`` keeps a
share of the training rows, ``--layers`` the first layers of the encoder) into
``bench/out/curve/``, then scores it in the same way as ``register_eval.py``
(buyer no or pushback F1 per register, dev halves) and ``reasons_eval.py``
(reason accuracy on the written held-out set and the real dev sets). About 5 to
15 minutes a point on 2 cores; needs the ``train`` extra.

    .venv/bin/python -m bench.learning_curve --points 6:0.25,6:0.5,6:1,4:1,3:1
    .venv/bin/python -m bench.learning_curve --points 6:1 --reuse   # score models already trained
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from bench import reasons_eval, register_eval
from whyno.contextual.runtime import ContextualModel
from whyno.reasons.classify import ContextualClassifier

HERE = Path(__file__).parent

OUT = HERE / "out" / "curve"
REGISTERS = ("casino", "dealornodeal", "switchboard", "annomi")


def train(layers: int, limit: float, epochs: int) -> Path:
    folder = OUT / f"layers{layers}-limit{limit}"
    command = [sys.executable, str(HERE.parent / "scripts" / "train_model.py")]
    command += ["--layers", str(layers), "--limit", str(limit), "--epochs", str(epochs)]
    subprocess.run([*command, "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
    return folder


def score(folder: Path) -> dict[str, float]:
    model = ContextualModel(folder)
    turns = register_eval.negotiation(["dev"]) + register_eval.switchboard(["dev"])
    turns += register_eval.annomi(["dev"])
    found = register_eval.contextual(folder)(turns)
    out: dict[str, float] = {}
    for register in REGISTERS:
        rows = [i for i, t in enumerate(turns) if t.register == register]
        out[register] = register_eval.prf([found[i] for i in rows], [turns[i].truth for i in rows])[
            2
        ]
    classifier = ContextualClassifier(model)
    for name, data in reasons_eval.datasets(["written", "devall"]).items():
        predictions = classifier.classify_batch([t for t, _ in data])
        right = sum(p.category == c for p, (_, c) in zip(predictions, data, strict=True))
        out[f"reasons {name}"] = right / len(data)
    out["rows"] = sum(model.manifest["training"]["rows"].values())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", default="6:0.25,6:0.5,6:1,4:1", help="LAYERS:SHARE,...")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="score models already in bench/out")
    args = parser.parse_args()
    header = ["layers", "share", "rows", *REGISTERS, "worst", "reasons written", "reasons devall"]
    print("| " + " | ".join(header) + " |")
    print("|" + " ---: |" * len(header))
    for point in args.points.split(","):
        layers, limit = int(point.split(":")[0]), float(point.split(":")[1])
        folder = OUT / f"layers{layers}-limit{limit}"
        if not (args.reuse and (folder / "manifest.json").is_file()):
            folder = train(layers, limit, args.epochs)
        s = score(folder)
        worst = min(s[r] for r in REGISTERS)
        cells = [str(layers), f"{limit:.2f}", f"{s['rows']:,.0f}"]
        cells += [f"{s[r]:.3f}" for r in REGISTERS]
        cells += [f"{worst:.3f}", f"{s['reasons written']:.3f}", f"{s['reasons devall']:.3f}"]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
