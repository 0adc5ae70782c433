"""Deterministic candidate order for the real-phrasing dev set ``reasons_real_dev.csv``.

The dev set was built by hand from this order, so anyone can see which
utterances were looked at and in what sequence.  Nothing here copies corpus
text into the repository: the script prints references (and, with
``--show``, the text to the terminal for the person labelling).

How the candidates are chosen
-----------------------------
1. Dialogues already referenced in ``reasons_real.csv`` are excluded
   (CaSiNo by file and dialogue id; Deal-or-No-Deal by the dialogue itself,
   so the mirrored line that shows the same talk from the other side is
   excluded too).  Each Deal-or-No-Deal dialogue is taken once (its first line).
2. A turn is a candidate when the turn before it is an utterance by the other
   speaker that looks like an offer or a request (``_OFFER_RE``), and the turn
   itself has a refusal or reason cue (``_CUE_RE``).
3. Stage ``random``: each corpus's candidates are shuffled with
   ``random.Random(SEED)`` and interleaved five CaSiNo to two
   Deal-or-No-Deal (about the corpora's share of refusals).
4. Stage ``topup``: the same shuffled list filtered to turns matching
   ``_TOPUP_RE`` (words that go with the rarer reasons: time, trust,
   conduct, weight, condition, another source, scarcity).

How ``reasons_real_dev.csv`` was made from this order
----------------------------------------------------
- The labeller walked stage ``random`` from index 0 to 779 and kept a turn
  when it refuses or pushes back on the partner's offer or request, or
  declines an item the partner offered or asked about (bare, or with a
  reason: a need, a hardship, a preference, a doubt), at most one turn per
  dialogue.  Greetings, acceptances, questions about preferences and plain
  counter-offers that decline nothing were skipped.  247 turns were kept
  in the first walk and 7 more on a second look at the same range
  (declines of an item the partner offered or asked about, first passed
  over): 254 in all.
- Then the labeller walked the ``topup`` entries not already seen (those
  whose ``random`` index is above 779) and kept only refusals whose label
  had fewer than 15 rows from the random walk (market.budget,
  market.status_quo, market.timing, approach.trust,
  approach.value_unclear and the categories with none).  These rows carry
  ``top-up:`` at the start of their note (16 rows, 15 of them
  market.budget, since "spare", "low" and "last" dominate the top-up
  words).  Nothing was forced: categories
  that never turned up (sales_experience, quality, usability, integration,
  competitor) are simply absent.

Run ``python -m bench.data.sample_real_dev [--show] [SHARED_DIR]``.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.data.resolve_real import CSV_PATH, _data_dir, shared_data

SEED = 20250603
CASINO_FILES = ("casino_train.json", "casino_valid.json")
_EVENTS = frozenset({"Submit-Deal", "Accept-Deal", "Reject-Deal", "Walk-Away"})

_OFFER_RE = re.compile(
    r"\d|\?|\b(one|two|three|all|both|rest|how about|what about|give|take|get|have|keep|"
    r"deal|want|need|offer|split|trade|would like)\b",
    re.IGNORECASE,
)
_CUE_RE = re.compile(
    r"\b(no|nope|nah|not|never|cannot|can'?t|won'?t|don'?t|doesn'?t|isn'?t|wouldn'?t|"
    r"couldn'?t|unfair|fair|sorry|unfortunately|rather|too|need|enough|spare|plenty|"
    r"worthless|pass|walk|deal|sure|really|hard|afraid)\b",
    re.IGNORECASE,
)
_TOPUP_RE = re.compile(
    r"\b(time|hurry|rush|later|busy|trust|lie|lying|liar|believe|honest|greedy|listen|"
    r"rude|heavy|weight|carry|bulky|wet|spoil\w*|rotten|dirty|broken|damp|someone else|"
    r"other (camper|group|site)s?|store|ranger|elsewhere|spare|low|running out|last)\b",
    re.IGNORECASE,
)
_DIALOGUE_RE = re.compile(r"<dialogue>(.*)</dialogue>")
_SPEAKER_RE = re.compile(r"^(YOU|THEM):\s*")

Candidate = tuple[str, str, str, str]  # corpus, locator, dialogue key, text


def _dnd_turns(line: str) -> list[str]:
    match = _DIALOGUE_RE.search(line)
    return [t.strip() for t in match.group(1).split("<eos>")] if match else []


def _dnd_key(turns: list[str]) -> str:
    """The same for both lines that show one dialogue from either side."""
    return "\n".join(_SPEAKER_RE.sub("", t) for t in turns)


def _used(csv_path: Path, dnd_lines: list[str]) -> set[str]:
    used: set[str] = set()
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["corpus"] == "casino":
                file_name, dialogue, _ = row["locator"].split(":")
                used.add(f"casino:{file_name}:{dialogue}")
            else:
                line_no = int(row["locator"].split(":")[0])
                used.add("dnd:" + _dnd_key(_dnd_turns(dnd_lines[line_no - 1])))
    return used


def _is_candidate(previous: str, text: str) -> bool:
    return bool(_OFFER_RE.search(previous)) and bool(_CUE_RE.search(text))


def _casino(data_dir: Path, used: set[str]) -> Iterator[Candidate]:
    for file_name in CASINO_FILES:
        with (data_dir / "casino" / file_name).open(encoding="utf-8") as fh:
            dialogues = json.load(fh)
        for dialogue in dialogues:
            key = f"casino:{file_name}:{dialogue['dialogue_id']}"
            if key in used:
                continue
            previous: tuple[str, str] | None = None
            for turn, entry in enumerate(dialogue["chat_logs"]):
                text, speaker = str(entry["text"]).strip(), str(entry["id"])
                if text in _EVENTS or not text:
                    continue
                if previous and previous[0] != speaker and _is_candidate(previous[1], text):
                    locator = f"{file_name}:{dialogue['dialogue_id']}:{turn}"
                    yield "casino", locator, key, text
                previous = (speaker, text)


def _dnd(dnd_lines: list[str], used: set[str]) -> Iterator[Candidate]:
    seen: set[str] = set()
    for line_no, line in enumerate(dnd_lines, start=1):
        turns = _dnd_turns(line)
        key = "dnd:" + _dnd_key(turns)
        if key in used or key in seen:
            continue
        seen.add(key)
        for turn in range(1, len(turns)):
            before, raw = turns[turn - 1], turns[turn]
            if "<selection>" in raw or before[:4] == raw[:4]:
                continue
            text = _SPEAKER_RE.sub("", raw)
            if text and _is_candidate(_SPEAKER_RE.sub("", before), text):
                yield "dealornodeal", f"{line_no}:{turn}", key, text


def _interleave(casino: list[Candidate], dnd: list[Candidate]) -> list[Candidate]:
    out: list[Candidate] = []
    while casino or dnd:
        out.extend(casino[:5])
        out.extend(dnd[:2])
        casino, dnd = casino[5:], dnd[2:]
    return out


def shuffled_candidates(
    data_dir: Path, dnd_lines: list[str], used: set[str], seed: int
) -> list[Candidate]:
    """Both corpora's candidates outside ``used``, each shuffled with ``seed``, interleaved."""
    casino = list(_casino(data_dir, used))
    dnd = list(_dnd(dnd_lines, used))
    rng = random.Random(seed)
    rng.shuffle(casino)
    rng.shuffle(dnd)
    return _interleave(casino, dnd)


def candidate_order(shared_dir: Path, exclude_csv: Path = CSV_PATH) -> list[tuple[str, Candidate]]:
    """``(stage, candidate)`` pairs in the order the labeller walked them."""
    data_dir = _data_dir(shared_dir)
    dnd_lines = (data_dir / "dealornodeal" / "val.txt").read_text(encoding="utf-8").splitlines()
    first = shuffled_candidates(data_dir, dnd_lines, _used(exclude_csv, dnd_lines), SEED)
    topup = [c for c in first if _TOPUP_RE.search(c[3])]
    return [("random", c) for c in first] + [("topup", c) for c in topup]


def main(argv: list[str]) -> int:
    show = "--show" in argv
    args = [a for a in argv[1:] if a != "--show"]
    shared = Path(args[0]) if args else shared_data()
    for index, (stage, (corpus, locator, _, text)) in enumerate(candidate_order(shared)):
        suffix = f"\t{text}" if show else ""
        print(f"{index}\t{stage}\t{corpus}\t{locator}{suffix}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
