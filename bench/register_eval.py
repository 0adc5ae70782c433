"""Buyer no / pushback and seller tags across registers of real talk (issue 20).

Every register is real conversation written by others, read from
``../shared/data`` at run time; none of it is used for training. A turn is
judged as ``whyno coach analyze`` judges it: with the other side's previous
turn (and, for the fast backend, the dialogue state so far).

Buyer **no or pushback** (``rejection`` or ``objection``), F1 per register:

- ``casino``, ``dealornodeal``: the hand-labelled turns of
  ``data/rejection_real.csv`` (its dev half; ``--test`` adds the test half) and
  ``data/rejection_real_dev2.csv`` (dev), every turn of each dialogue, labels by
  ``data/REJECTION_GUIDE.md``;
- ``switchboard``: the answers of telephone talk between strangers
  (SWBD-DAMSL): ``ar`` Reject and ``arp_nd`` Dispreferred answer are no's;
  ``nn`` No-answer, ``ng`` Negative non-no answer, ``ny`` Yes answer, ``na``
  Affirmative non-yes answer, ``no`` Other answer and ``aa`` Agree/Accept are
  not (``aa`` and ``ny``: a fixed sample of as many as ``nn``, so that
  agreement does not drown the rest). Conversations with an even number are
  dev, odd ones test;
- ``annomi``: client turns of motivational-interviewing sessions: ``sustain``
  talk (arguing for the status quo against the counsellor's direction) is
  pushback, ``change`` and ``neutral`` talk is not. Even transcript ids are
  dev, odd ones test.

Seller tags on AnnoMI counsellor turns (precision: ``label`` against the
``reflection`` code, ``calibrated_question`` against ``question``).

Backends in the same run: ``contextual`` (the shipped ONNX model), ``fast``
(the rules and static model of ``--backend fast``), and ``tfidf`` (word 1-2
gram TF-IDF + logistic regression trained on the same buyer training turns as
the contextual model; needs scikit-learn).

    .venv/bin/python -m bench.register_eval              # dev halves
    .venv/bin/python -m bench.register_eval --test       # and the test halves (rarely)
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.data.resolve_real import shared_data
from whyno.coach import tags
from whyno.coach.dialogue import TurnContext, conversation_contexts

HERE = Path(__file__).parent

SHARED = shared_data()
SWDA_NO = {"ar", "arp_nd"}
SWDA_OTHER = {"nn", "ng", "na", "no"}
SWDA_SAMPLED = {"aa", "ny"}


@dataclass(frozen=True)
class Turn:
    register: str
    split: str
    previous: str  # the other side's latest turn ("" at the start)
    text: str
    truth: bool
    context: TurnContext  # the dialogue state, for the fast backend


def contexts_of(turns: Sequence[tuple[str, str]]) -> list[TurnContext]:
    """The dialogue state at each turn, each speaker a side."""
    return conversation_contexts([(s, tags.norm(t)) for s, t in turns])


def previous_turns(turns: Sequence[tuple[str, str]]) -> list[str]:
    """The other side's latest turn before each turn (its consecutive pieces joined)."""
    runs: list[tuple[str, list[str]]] = []
    out: list[str] = []
    for speaker, text in turns:
        if not runs or runs[-1][0] != speaker:
            runs.append((speaker, []))
        before = [texts for who, texts in runs[:-1] if who != speaker]
        out.append(" ".join(before[-1]) if before else "")
        runs[-1][1].append(text)
    return out


def negotiation(splits: Sequence[str]) -> list[Turn]:
    from bench.coach_fit_context import dialogue_key
    from bench.data.resolve_rejections import DEV2_CSV_PATH, load_rejections, sample_dev2_dialogues

    items = [i for i in load_rejections(SHARED) if i.split in splits]
    items += [
        dataclasses.replace(i, split="dev")
        for i in load_rejections(SHARED, DEV2_CSV_PATH, sample_dev2_dialogues)
    ]
    out: list[Turn] = []
    by_dialogue: dict[str, list] = defaultdict(list)
    for item in items:
        by_dialogue[dialogue_key(item)].append(item)
    for rows in by_dialogue.values():
        turns = [(r.speaker, r.text) for r in rows]
        for r, prev, ctx in zip(rows, previous_turns(turns), contexts_of(turns), strict=True):
            truth = r.rejection or r.objection
            out.append(Turn(r.corpus, r.split, prev, r.text, truth, ctx))
    return out


def switchboard(splits: Sequence[str]) -> list[Turn]:
    out: list[Turn] = []
    for split in splits:  # each split sampled on its own: dev is the same with or without test
        rng = random.Random(2020)
        sampled: list[Turn] = []
        other = 0
        for folder in ("train", "val", "test"):
            for path in sorted((SHARED / "swda" / folder).glob("*.txt")):
                if ("dev" if int(path.stem) % 2 == 0 else "test") != split:
                    continue
                rows = [line.split("|") for line in path.read_text(encoding="utf-8").splitlines()]
                rows = [r for r in rows if len(r) == 3]
                turns = [(r[0], r[1]) for r in rows]
                contexts = contexts_of(turns)
                for r, prev, ctx in zip(rows, previous_turns(turns), contexts, strict=True):
                    tag = r[2].strip()
                    if tag in SWDA_NO or tag in SWDA_OTHER:
                        out.append(Turn("switchboard", split, prev, r[1], tag in SWDA_NO, ctx))
                        other += tag == "nn"
                    elif tag in SWDA_SAMPLED:
                        sampled.append(Turn("switchboard", split, prev, r[1], False, ctx))
        rng.shuffle(sampled)
        out += sampled[: 2 * other]
    return out


def annomi_rows() -> list[dict[str, str]]:
    with (SHARED / "annomi" / "AnnoMI-simple.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def annomi_sessions(splits: Sequence[str]) -> dict[str, list[dict[str, str]]]:
    sessions: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in annomi_rows():
        split = "dev" if int(row["transcript_id"]) % 2 == 0 else "test"
        if split in splits:
            row["split"] = split
            sessions[row["transcript_id"]].append(row)
    return sessions


def annomi(splits: Sequence[str]) -> list[Turn]:
    out: list[Turn] = []
    for rows in annomi_sessions(splits).values():
        turns = [(r["interlocutor"], r["utterance_text"]) for r in rows]
        for r, prev, ctx in zip(rows, previous_turns(turns), contexts_of(turns), strict=True):
            if r["interlocutor"] == "client":
                truth = r["client_talk_type"] == "sustain"
                out.append(Turn("annomi", r["split"], prev, r["utterance_text"], truth, ctx))
    return out


Judge = Callable[[Sequence[Turn]], list[bool]]


def fast(turns: Sequence[Turn]) -> list[bool]:
    found = tags.tag_normed([tags.norm(t.text) for t in turns], [t.context for t in turns])
    return [bool({"rejection", "objection"} & set(f)) for f in found]


def contextual(folder: Path | None) -> Judge:
    from whyno.coach.model_tags import buyer_tags
    from whyno.contextual.runtime import ContextualModel

    model = ContextualModel(folder) if folder else None

    def judge(turns: Sequence[Turn]) -> list[bool]:
        return [
            bool(f) for f in buyer_tags([t.previous for t in turns], [t.text for t in turns], model)
        ]

    return judge


def tfidf() -> Judge:
    from scripts.training_data import corpus_items, seed_items
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    items = [i for i in corpus_items(0.0) + seed_items() if i.task == "buyer"]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
    x = vectorizer.fit_transform([i.text for i in items])
    y = [int(i.target[0] < 0.5) for i in items]
    model = LogisticRegression(max_iter=2000, C=4.0).fit(x, y)

    def judge(turns: Sequence[Turn]) -> list[bool]:
        return [bool(p) for p in model.predict(vectorizer.transform([t.text for t in turns]))]

    return judge


def prf(found: Sequence[bool], truth: Sequence[bool]) -> tuple[float, float, float, int]:
    tp = sum(1 for f, t in zip(found, truth, strict=True) if f and t)
    p = tp / max(sum(found), 1)
    r = tp / max(sum(truth), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), sum(truth)


def buyer_table(turns: list[Turn], judges: dict[str, Judge], splits: Sequence[str]) -> None:
    print("\n## Buyer no or pushback (rejection or objection)\n")
    print("| backend | split | register | turns | no's | P | R | F1 | turns/s |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, judge in judges.items():
        started = time.perf_counter()
        found = judge(turns)
        rate = len(turns) / (time.perf_counter() - started)
        for split in splits:
            f1s = []
            for register in ("casino", "dealornodeal", "switchboard", "annomi"):
                rows = [
                    i for i, t in enumerate(turns) if t.split == split and t.register == register
                ]
                if not rows:
                    continue
                p, r, f1, n = prf([found[i] for i in rows], [turns[i].truth for i in rows])
                f1s.append(f1)
                print(
                    f"| {name} | {split} | {register} | {len(rows)} | {n} | {p:.3f} | "
                    f"{r:.3f} | {f1:.3f} | {rate:,.0f} |"
                )
            if f1s:
                print(
                    f"| **{name}** | {split} | mean / **worst** | | | | | "
                    f"{sum(f1s) / len(f1s):.3f} / **{min(f1s):.3f}** | |"
                )


def seller_table(splits: Sequence[str], backends: Sequence[str], folder: Path | None) -> None:
    print("\n## Seller tags on AnnoMI counsellor turns (precision against the AnnoMI code)\n")
    print("| backend | split | tag | code | tagged | true | precision | recall (upper bound) |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: |")
    turns: list[tuple[str, str, str, str]] = []  # split, previous, text, code
    for rows in annomi_sessions(splits).values():
        seq = [(r["interlocutor"], r["utterance_text"]) for r in rows]
        for r, prev in zip(rows, previous_turns(seq), strict=True):
            if r["interlocutor"] == "therapist":
                turns.append((r["split"], prev, r["utterance_text"], r["main_therapist_behaviour"]))
    for backend in backends:
        if backend == "contextual":
            from whyno.coach.model_tags import seller_tags
            from whyno.contextual.runtime import ContextualModel

            model = ContextualModel(folder) if folder else None
            after = [False] * len(turns)  # counselling: no buyer no before these turns
            found = seller_tags([t[1] for t in turns], [t[2] for t in turns], after, model)
        elif backend == "fast":
            found = [tags.tag_seller(t[2], t[1] or None, after_rejection=False) for t in turns]
        else:
            continue
        for split in splits:
            for tag, code in (("label", "reflection"), ("calibrated_question", "question")):
                rows = [i for i, t in enumerate(turns) if t[0] == split]
                hits = [i for i in rows if tag in found[i]]
                true = sum(1 for i in hits if turns[i][3] == code)
                total = sum(1 for i in rows if turns[i][3] == code)
                print(
                    f"| {backend} | {split} | {tag} | {code} | {len(hits)} | {true} | "
                    f"{true / max(len(hits), 1):.3f} | {true / max(total, 1):.3f} |"
                )
            other = ("pressure", "accepts_no", "going_for_no", "asks_why", "no_oriented_question")
            for tag in other:
                hits = [i for i in rows if tag in found[i]]
                print(f"| {backend} | {split} | {tag} | (no code) | {len(hits)} | | | |")


def written_seller_table(backends: Sequence[str], folder: Path | None) -> None:
    """Per-tag precision and recall on the held-out tenth of the written seller corpus
    (the rows ``scripts/train_model.py`` never trains on). Every row is judged as
    possibly following a no, as its previous turn says."""
    from scripts.training_data import SELLER_TAGS, corpus_items

    rows = [i for i in corpus_items(0.1) if i.task == "seller" and i.held_out]
    print(f"\n## Seller tags on the held-out written corpus rows ({len(rows)} turns)\n")
    print("| backend | tag | tagged | true | of | precision | recall |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for backend in backends:
        if backend == "contextual":
            from whyno.coach.model_tags import seller_tags
            from whyno.contextual.runtime import ContextualModel

            model = ContextualModel(folder) if folder else None
            found = seller_tags([i.previous for i in rows], [i.text for i in rows], None, model)
        elif backend == "fast":
            found = [tags.tag_seller(i.text, i.previous or None, True) for i in rows]
        else:
            continue
        for n, tag in enumerate(SELLER_TAGS):
            hits = [k for k, f in enumerate(found) if tag in f]
            true = sum(1 for k in hits if rows[k].target[n] > 0.5)
            total = sum(1 for i in rows if i.target[n] > 0.5)
            print(
                f"| {backend} | {tag} | {len(hits)} | {true} | {total} | "
                f"{true / max(len(hits), 1):.3f} | {true / max(total, 1):.3f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--test", action="store_true", help="also read the test halves")
    parser.add_argument("--backends", default="contextual,fast,tfidf")
    parser.add_argument("--no-seller", action="store_true")
    parser.add_argument("--model", type=Path, help="a contextual model folder (default: shipped)")
    args = parser.parse_args()
    splits = ["dev", "test"] if args.test else ["dev"]
    backends = args.backends.split(",")
    turns = negotiation(splits) + switchboard(splits) + annomi(splits)
    judges: dict[str, Judge] = {}
    for name in backends:
        if name == "contextual":
            judges[name] = contextual(args.model)
        else:
            judges[name] = fast if name == "fast" else tfidf()
    buyer_table(turns, judges, splits)
    if not args.no_seller:
        seller_table(splits, backends, args.model)
        written_seller_table(backends, args.model)


if __name__ == "__main__":
    main()
