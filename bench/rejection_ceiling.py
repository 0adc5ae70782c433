"""How far can a model get on the `rejection` tag if it learns from real labelled turns?

A ceiling check for the conversation tagger's `rejection` target (F1 0.80 on
real negotiations). The shipped detector learns from our seed sentences only
(the real dialogues may not ship with whyno) and must tag 20,000 utterances/s
on two cores, so its head is a linear model over TF-IDF and static
embeddings. Here a model that cannot meet that speed is given the labelled
dev turns themselves (``resolve_rejections.load_dev``: the dev half of
``rejection_real.csv`` and all of ``rejection_real_dev2.csv``, 1,375 turns of
128 dialogues), to see whether the target is within reach of anything that
runs on this machine.

- **Fine-tuned cross-encoder**: all-MiniLM-L6-v2, fine-tuned end to end on
  the pair (the partner's latest turn, the turn) with a linear head (2 epochs,
  the seeds with an empty partner turn plus the real training folds at weight
  3, class-balanced), in grouped 5-fold cross-validation (folds by dialogue).
  Its out-of-fold score alone, at P >= 0.5, and in place of the shipped
  head's score in the decision's 16 context features (logistic regression,
  the cross-validation of ``coach_fit_context.py`` over the out-of-fold
  scores).
- For scale, the shipped decision (seed-trained head) under the same
  cross-validation.

The test half is not read. Takes about 25 minutes on 2 cores (torch CPU).

    .venv/bin/python -m bench.rejection_ceiling
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.coach_fit_context import (
    FOLDS,
    SHUFFLES,
    dialogue_contexts,
    dialogue_key,
    features,
    folds,
    out_of_fold,
    prf,
)
from bench.data.resolve_rejections import load_dev
from whyno.coach import tags
from whyno.coach.detector import SEEDS, folder_seeds
from whyno.reasons.embed import default_semantic_model

HERE = Path(__file__).parent

EPOCHS = 2
REAL_WEIGHT = 3.0
THRESHOLD = 0.4


def seed_pairs() -> tuple[list[tuple[str, str]], np.ndarray]:
    """Every coach seed line as ("", line), with its label."""
    pairs: list[tuple[str, str]] = []
    labels: list[int] = []
    for folder in (SEEDS, SEEDS / "offer", SEEDS / "open"):
        positives, negatives = folder_seeds(folder)
        pairs += [("", line) for line in positives + negatives]
        labels += [1] * len(positives) + [0] * len(negatives)
    return pairs, np.array(labels)


def cross_encoder_scores(
    pairs: list[tuple[str, str]], y: np.ndarray, fold: np.ndarray
) -> np.ndarray:
    """Out-of-fold P(rejection) from MiniLM fine-tuned on seeds + the other folds."""
    import torch
    from sentence_transformers import SentenceTransformer

    seeds, seed_y = seed_pairs()
    out = np.zeros(len(y))
    for k in range(FOLDS):
        torch.manual_seed(k)
        model = SentenceTransformer(default_semantic_model(), device="cpu")
        model.max_seq_length = 128
        head = torch.nn.Linear(model.get_embedding_dimension() or 384, 2)
        optimiser = torch.optim.AdamW([*model.parameters(), *head.parameters()], lr=3e-5)
        train = np.flatnonzero(fold != k)
        x = seeds + [pairs[i] for i in train]
        labels = np.concatenate([seed_y, y[train]]).astype(int)
        weight = np.concatenate([np.ones(len(seed_y)), np.full(len(train), REAL_WEIGHT)])
        balance = np.where(labels == 1, 0.5 / labels.mean(), 0.5 / (1 - labels.mean()))
        weight = weight * balance
        model.train()
        for epoch in range(EPOCHS):
            order = np.random.default_rng(epoch).permutation(len(x))
            for start in range(0, len(x), 32):
                batch = order[start : start + 32]
                features_ = model.preprocess([[x[i][0], x[i][1]] for i in batch])
                vectors = model(features_)["sentence_embedding"]
                loss = torch.nn.functional.cross_entropy(
                    head(vectors), torch.tensor(labels[batch]), reduction="none"
                )
                loss = (loss * torch.tensor(weight[batch], dtype=torch.float32)).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
        model.eval()
        scored = np.flatnonzero(fold == k)
        with torch.no_grad():
            features_ = model.preprocess([[pairs[i][0], pairs[i][1]] for i in scored])
            vectors = model(features_)["sentence_embedding"]
            out[scored] = torch.softmax(head(vectors), dim=1)[:, 1].numpy()
        print(f"  fold {k}: trained on {len(x)} pairs", flush=True)
    return out


def decision_cv(
    x: np.ndarray, y: np.ndarray, guard: np.ndarray, keys: list[str]
) -> tuple[float, ...]:
    """(P, R, F1) of the context decision, 5-fold by dialogue, mean of SHUFFLES."""
    runs = []
    for shuffle in range(SHUFFLES):
        oof = out_of_fold(x, y, folds(keys, shuffle))
        runs.append(prf((oof >= THRESHOLD) & ~guard, y.astype(bool)))
    return tuple(float(v) for v in np.mean(runs, axis=0))


def main() -> None:
    items = load_dev()
    y = np.array([i.rejection for i in items]).astype(int)
    keys = [dialogue_key(i) for i in items]
    contexts = dialogue_contexts(items)
    pairs = [(c.previous or "", tags.norm(i.text)) for c, i in zip(contexts, items, strict=True)]
    print(f"dev: {len(y)} turns, {int(y.sum())} rejections, {len(set(keys))} dialogues")
    x, guard = features(items)
    p, r, f = decision_cv(x, y, guard, keys)
    print(f"  {'shipped decision (seed-trained head + context)':55} P {p:.3f} R {r:.3f} F1 {f:.3f}")

    scores = cross_encoder_scores(pairs, y, folds(keys, 0))
    alone = (scores >= 0.5) & ~guard
    p, r, f = prf(alone, y.astype(bool))
    print(f"  {'fine-tuned cross-encoder alone (P >= 0.5)':55} P {p:.3f} R {r:.3f} F1 {f:.3f}")
    clipped = np.clip(scores, 1e-4, 1 - 1e-4)
    with_context = x.copy()
    with_context[:, 0] = np.log(clipped / (1 - clipped))
    p, r, f = decision_cv(with_context, y, guard, keys)
    print(f"  {'fine-tuned cross-encoder + context features':55} P {p:.3f} R {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
