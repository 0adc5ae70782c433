"""Accuracy of the conversation tagger on real conversations (issue 5).

Seller tags, on AnnoMI (../shared/data/annomi), split by transcript id: even
ids are ``dev`` (rules were tuned there), odd ids are ``test``.

- ``label`` against AnnoMI's ``reflection`` code, ``calibrated_question``
  against ``question``. AnnoMI codes each therapist utterance by its main act,
  so precision is the share of tagged utterances with that code, and recall is
  over all reflections / questions: an upper bound, since most reflections are
  not "it sounds like" labels and many questions are closed.
- ``mirror``: AnnoMI has no mirror code. Every utterance the tagger marks as a
  mirror was checked by hand against the PRODUCT.md definition (repeats the
  other's last one to three key words); the judgements are in
  ``bench/data/annomi_mirrors.csv`` (references and our notes only). Also
  printed: the share coded reflection or question by AnnoMI.

Buyer ``rejection``, on ``bench/data/rejection_real.csv`` (every utterance of
a fixed sample of CaSiNo / Deal-or-No-Deal dialogues, labelled by hand by
another person following ``bench/data/REJECTION_GUIDE.md``; its own dev / test
split per dialogue), and on ``bench/data/rejection_real_dev2.csv`` (70 more
dialogues labelled the same way, all dev, reported as ``dev2``; the weights
are fitted on dev and dev2 together). Each dialogue is walked in order, as ``review()`` walks a
call, each speaker a side: every utterance is tagged in the dialogue state at
that point (``whyno.coach.dialogue.conversation_contexts``: the partner's
latest turn, whether the partner has an offer or request pending, whether any
offer has been made yet). Also the older check: recall on the 178 hand-picked refusals of
``bench/data/reasons_real.csv``.

    .venv/bin/python -m bench.coach_eval            # dev only (for development)
    .venv/bin/python -m bench.coach_eval --test     # dev and test (once, at the end)
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import re
from collections import defaultdict
from pathlib import Path

from bench.data.resolve_real import load_real, shared_data
from whyno.coach.tags import tag_buyers, tag_seller

HERE = Path(__file__).parent

SHARED = shared_data()
MIRRORS = HERE / "data" / "annomi_mirrors.csv"
SELLER = (("label", "reflection"), ("calibrated_question", "question"))


def annomi_split(transcript_id: str) -> str:
    return "dev" if int(transcript_id) % 2 == 0 else "test"


def prf(tp: int, tagged: int, relevant: int) -> tuple[float, float, float]:
    p = tp / tagged if tagged else 0.0
    r = tp / relevant if relevant else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def line(name: str, split: str, tp: int, tagged: int, relevant: int, note: str = "") -> None:
    p, r, f = prf(tp, tagged, relevant)
    print(
        f"{name:34} {split:4}  tagged {tagged:5}  true {tp:5}  of {relevant:5}  "
        f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  {note}"
    )


def as_asr(text: str) -> str:
    """The text as raw speech recognition writes it: lower case, no punctuation."""
    spoken = re.sub(r"\[[^\]]*\]", " ", text)  # transcribers' notes ("[chuckles]")
    return " ".join(re.sub(r"[^\w\s']", " ", spoken.lower()).split())


def annomi(splits: list[str], asr: bool = False) -> None:
    with (SHARED / "annomi" / "AnnoMI-simple.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if asr:
        for row in rows:
            row["utterance_text"] = as_asr(row["utterance_text"])
    checked = _mirror_checks()
    previous_client: str | None = None
    tagged: dict[tuple[str, str], list[str]] = defaultdict(list)  # (tag, split) -> codes
    codes: dict[str, list[str]] = defaultdict(list)
    mirrors: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in rows:
        if row["interlocutor"] == "client":
            previous_client = row["utterance_text"]
            continue
        split = annomi_split(row["transcript_id"])
        code = row["main_therapist_behaviour"]
        codes[split].append(code)
        tags = tag_seller(row["utterance_text"], previous_client, after_rejection=False)
        for tag in tags:
            tagged[(tag, split)].append(code)
        if "mirror" in tags:
            mirrors[split].append((row["transcript_id"], row["utterance_id"], code))
    for split in splits:
        for tag, code in SELLER:
            hits = tagged[(tag, split)]
            true = sum(1 for c in hits if c == code)
            line(f"AnnoMI {tag} vs {code}", split, true, len(hits), codes[split].count(code))
        found = mirrors[split]
        unchecked = [(t, u) for t, u, _ in found if (t, u) not in checked]
        true = sum(1 for t, u, _ in found if checked.get((t, u)) is True)
        line("AnnoMI mirror, hand-checked", split, true, len(found), 0, "(recall not measured)")
        if unchecked:
            print(f"  {len(unchecked)} tagged mirrors not yet hand-checked: {unchecked}")
        either = sum(1 for _, _, c in found if c in ("reflection", "question"))
        print(f"  mirror tags AnnoMI codes reflection or question: {either} of {len(found)}")


def _mirror_checks() -> dict[tuple[str, str], bool]:
    with MIRRORS.open(encoding="utf-8") as handle:
        return {
            (r["transcript_id"], r["utterance_id"]): r["mirror"] == "1"
            for r in csv.DictReader(handle)
        }


def rejections(splits: list[str]) -> None:
    from bench.coach_fit_context import dialogue_contexts
    from bench.data.resolve_rejections import (
        DEV2_CSV_PATH,
        load_rejections,
        sample_dev2_dialogues,
    )

    items = [i for i in load_rejections(SHARED) if i.split in splits]
    if "dev" in splits:
        dev2 = load_rejections(SHARED, DEV2_CSV_PATH, sample_dev2_dialogues)
        items += [dataclasses.replace(i, split="dev2") for i in dev2]
    context = dialogue_contexts(items)
    tags = tag_buyers([i.text for i in items], context)
    for tag in ("rejection", "objection"):
        found = [tag in t for t in tags]
        for split in [*splits[:1], "dev2", *splits[1:]]:
            for corpus in ("all", "casino", "dealornodeal"):
                pairs = [
                    (f, i.rejection if tag == "rejection" else i.objection)
                    for f, i in zip(found, items, strict=True)
                    if i.split == split and corpus in ("all", i.corpus)
                ]
                tp = sum(1 for f, y in pairs if f and y)
                line(
                    f"{tag}_real {corpus}",
                    split,
                    tp,
                    sum(1 for f, _ in pairs if f),
                    sum(1 for _, y in pairs if y),
                    f"({len(pairs)} utterances)",
                )


def refusals() -> None:
    data = load_real(SHARED)
    hits = sum(1 for tags in tag_buyers([text for text, _ in data]) if "rejection" in tags)
    share = hits / len(data)
    print(
        f"reasons_real refusals (no context): rejection recall {share:.3f} ({hits} of {len(data)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--test", action="store_true", help="also evaluate the test halves")
    parser.add_argument(
        "--asr",
        action="store_true",
        help="only the AnnoMI seller tags, on text stripped of case and punctuation (raw ASR)",
    )
    args = parser.parse_args()
    splits = ["dev", "test"] if args.test else ["dev"]
    if args.asr:
        annomi(splits, asr=True)
        return
    annomi(splits)
    rejections(splits)
    refusals()


if __name__ == "__main__":
    main()
