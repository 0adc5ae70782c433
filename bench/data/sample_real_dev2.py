"""Deterministic candidate order for the second real dev set ``reasons_real_dev2.csv``.

The first dev set (``reasons_real_dev.csv``) came out heavy in ``fit`` and
``capability`` and nearly empty in the reasons a negotiation partner gives
about the split or the partner: an unfair split (``price``), "I have my own"
(``status_quo``), disbelief (``trust``), the partner's conduct
(``sales_experience``) and "what do I get from that" (``value_unclear``).
This second set oversamples those.  As in ``sample_real_dev.py``, nothing
here copies corpus text into the repository: the script prints references
(and, with ``--show``, the text and the two turns before it to the terminal
for the person labelling).

How the candidates are chosen
-----------------------------
1. Whole dialogues referenced by ``reasons_real.csv`` (the held-out set) or
   ``reasons_real_dev.csv`` (the first dev set) are excluded; for
   Deal-or-No-Deal both mirrored lines of a dialogue are excluded, and each
   remaining dialogue is taken once.  Only locators of ``reasons_real.csv``
   are read, never its text or labels.
2. A turn is a candidate by the rule of ``sample_real_dev.py`` (the turn
   before it, by the other speaker, looks like an offer or request, and the
   turn has a refusal or reason cue).
3. Stage ``random``: each corpus's candidates shuffled with
   ``random.Random(SEED)`` and interleaved five CaSiNo to two
   Deal-or-No-Deal.
4. Stages ``hint:<category>``: the same shuffled order filtered to turns
   whose words go with one of the rarer reasons (``_HINTS``).  A hint only
   chooses what is read; the label comes from reading the turn in context,
   and a hinted turn often gets another label (or is not a refusal at all
   and is skipped).

How ``reasons_real_dev2.csv`` was made from this order
-----------------------------------------------------
Each turn was read with the two turns before it and kept when it refuses or
pushes back on the partner's offer or request (or declines an item the
partner offered or asked about), at most one turn per dialogue, labelled by
the conventions in bench/README.md and the seed ``Boundary`` lines.  Turns
already seen in an earlier stage were not read again.  Ranges walked, in
this order (131 rows kept):

- ``random`` 0-170 (54 kept: mostly ``fit``, ``capability``, a few of the
  rest);
- ``hint:trust`` 0-28, ``hint:sales_experience`` 0-23, ``hint:value_unclear``
  0-35 (all of them; 24 kept, mostly ``value_unclear``, ``fit`` and
  ``price`` -- real disbelief and complaints about conduct are rare here);
- ``hint:price`` 0-260 (28 kept);
- ``hint:trust2`` 0-200 (7 kept; "really" made this hint too broad);
- ``hint:unknown`` 0-55 (11 kept; bare refusals were taken until the
  ``unknown`` quota of 20 was reached at index 49);
- ``hint:status_quo`` 0-250 (7 kept).

Quotas (about 25 ``fit``, 10 ``capability``, 20 ``unknown``): once a
category had reached its quota, later turns of that category in the hint
stages were passed over (``capability`` overshot to 22 in the random
stage, which was walked without quotas).  The quotas for ``status_quo``
(10 of 25), ``trust`` (2 of 20), ``sales_experience`` (2 of 20) and
``budget`` (4 of 10) were not reached in the time there was.  The model's
output was never looked at while choosing or labelling.

Run ``python -m bench.data.sample_real_dev2 [--show] [--stage NAME] [--from I] [--to J]``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from bench.data.resolve_real import CSV_PATH, _data_dir, shared_data
from bench.data.sample_real_dev import Candidate, _dnd_turns, _used, shuffled_candidates

SEED = 20261124
DEV_CSV = Path(__file__).resolve().parent / "reasons_real_dev.csv"

# words that go with the reasons the first dev set lacks (used to choose what is read)
_HINTS: dict[str, re.Pattern[str]] = {
    "price": re.compile(
        r"\b(fair|unfair|lopsided|even|equal|too much|more than|everything|all the|all of|"
        r"only get|leaves me|left with|nothing for me|better deal|generous)\b",
        re.IGNORECASE,
    ),
    "status_quo": re.compile(
        r"\b(already|plenty|have enough|got enough|my own|brought|packed|don'?t need|"
        r"no need|stream|lake|river|creek|forage|fish|hunt|extra)\b",
        re.IGNORECASE,
    ),
    "trust": re.compile(
        r"\b(believe|trust|lie|lying|liar|honest|suspicious|doubt|claim|scam|really\?|"
        r"said earlier|you said|before you)\b",
        re.IGNORECASE,
    ),
    "sales_experience": re.compile(
        r"\b(greedy|selfish|listen|listening|keep asking|keep changing|changed|changing|"
        r"pushy|rude|insult\w*|ridiculous|joke|waste|told you|already said|repeat\w*|"
        r"again|unreasonable|stubborn)\b",
        re.IGNORECASE,
    ),
    "value_unclear": re.compile(
        r"\b(why (do|would|should|are)|what do i get|benefit|what'?s in it|the point|"
        r"convince|how does that help|why\?)",
        re.IGNORECASE,
    ),
}
# added after the first walk of the stages above, which found few bare refusals and
# almost no disbelief or complaints about the partner's conduct
_MORE_HINTS: dict[str, re.Pattern[str]] = {
    "unknown": re.compile(
        r"^\W*(no|nope|nah)\b|\bno deal\b|\bcan'?t do (that|it)\b|\b(won'?t|doesn'?t) work\b",
        re.IGNORECASE,
    ),
    "trust2": re.compile(
        r"\b(are you sure|sure you|you don'?t need|you just said|you said|not true|"
        r"doubt|i bet|come on|really\b)",
        re.IGNORECASE,
    ),
    "conduct2": re.compile(
        r"\b(seriously|stop|you keep|u keep|be reasonable|don'?t be|ugh|wtf|cheat\w*|"
        r"not budging|hard bargain|whatever|bot|robot)\b",
        re.IGNORECASE,
    ),
}
CASINO_FILES = ("casino_train.json", "casino_valid.json")
_SPEAKER_RE = re.compile(r"^(YOU|THEM):\s*")


def candidate_order(shared_dir: Path) -> list[tuple[str, Candidate]]:
    """``(stage, candidate)`` pairs: the random stage, then one hint stage per rare reason."""
    data_dir = _data_dir(shared_dir)
    dnd_lines = (data_dir / "dealornodeal" / "val.txt").read_text(encoding="utf-8").splitlines()
    used = _used(CSV_PATH, dnd_lines) | _used(DEV_CSV, dnd_lines)
    first = shuffled_candidates(data_dir, dnd_lines, used, SEED)
    out = [("random", c) for c in first]
    for name, pattern in {**_HINTS, **_MORE_HINTS}.items():
        out.extend((f"hint:{name}", c) for c in first if pattern.search(c[3]))
    return out


class _Context:
    """The two turns before a candidate, for the person labelling (terminal only)."""

    def __init__(self, data_dir: Path) -> None:
        self.casino: dict[str, list[str]] = {}
        for file_name in CASINO_FILES:
            with (data_dir / "casino" / file_name).open(encoding="utf-8") as fh:
                for d in json.load(fh):
                    self.casino[f"{file_name}:{d['dialogue_id']}"] = [
                        f"{str(e['id'])[-1]}: {str(e['text']).strip()}" for e in d["chat_logs"]
                    ]
        self.dnd = (data_dir / "dealornodeal" / "val.txt").read_text(encoding="utf-8").splitlines()

    def before(self, corpus: str, locator: str, n: int = 2) -> list[str]:
        if corpus == "casino":
            file_name, dialogue, turn = locator.split(":")
            logs = self.casino[f"{file_name}:{dialogue}"]
        else:
            line_no, turn = locator.split(":")
            logs = _dnd_turns(self.dnd[int(line_no) - 1])
        index = int(turn)
        return logs[max(0, index - n) : index]


def main(argv: list[str]) -> int:
    args = argv[1:]
    show = "--show" in args
    stage = args[args.index("--stage") + 1] if "--stage" in args else None
    low = int(args[args.index("--from") + 1]) if "--from" in args else 0
    high = int(args[args.index("--to") + 1]) if "--to" in args else 10**9
    shared = shared_data()
    context = _Context(_data_dir(shared)) if show else None
    counters: dict[str, int] = {}
    for name, (corpus, locator, _, text) in candidate_order(shared):
        index = counters.get(name, 0)
        counters[name] = index + 1
        if (stage and name != stage) or not low <= index <= high:
            continue
        print(f"{name}\t{index}\t{corpus}\t{locator}")
        if context is not None:
            for line in context.before(corpus, locator):
                print(f"        | {line[:300]}")
            print(f"    >>> {text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
