"""Load and check the hand-labelled rejection set in ``rejection_real.csv``.

``rejection_real.csv`` labels every utterance of a fixed sample of CaSiNo and
Deal-or-No-Deal dialogues with the buyer tags ``rejection`` and ``objection``
(the rules are in ``REJECTION_GUIDE.md``).  The corpora's licences do not let
us copy their text, so the CSV holds references only; this module resolves
them with the helpers of ``resolve_real.py`` and returns each utterance with
the utterance before it (detectors use it as context).

Columns: ``corpus,locator,split,rejection,objection,note``; locators as in
``resolve_real.py``.  ``split`` (``dev`` / ``test``) is fixed per dialogue.

The dialogue sample is drawn here, deterministically (``sample_dialogues``),
and the CSV must label exactly the sampled dialogues, every utterance of each,
with the split the sample assigned.

Run ``python -m bench.data.resolve_rejections [SHARED_DIR]`` to validate the
set and print its counts; add ``--sample`` to list the sampled dialogues, and
``--dev2`` for the second dev set, ``rejection_real_dev2.csv`` (more dev
dialogues drawn from those the first sample left, labelled by the same guide;
it has no test half).
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.data.resolve_real import (
    _CASINO_EVENTS,
    _DIALOGUE_RE,
    _SPEAKER_RE,
    _Corpora,
    _data_dir,
    shared_data,
)

CSV_PATH: Path = Path(__file__).resolve().parent / "rejection_real.csv"
HEADER: list[str] = ["corpus", "locator", "split", "rejection", "objection", "note"]
CORPORA: tuple[str, ...] = ("casino", "dealornodeal")
SPLITS: tuple[str, ...] = ("dev", "test")

SEED = 505
CASINO_FILES: tuple[str, ...] = ("casino_train.json", "casino_valid.json")
# (dialogues that end in a refusal, dialogues that end in agreement)
CASINO_SAMPLE: tuple[int, int] = (36, 9)
DND_SAMPLE: tuple[int, int] = (56, 14)
DND_MIN_UTTERANCES = 2
# The second dev sample: more dialogues, CaSiNo above all (where the tagger is weakest).
DEV2_CSV_PATH: Path = CSV_PATH.with_name("rejection_real_dev2.csv")
DEV2_SEED = 606
DEV2_SAMPLE: dict[str, tuple[int, int]] = {"casino": (40, 10), "dealornodeal": (16, 4)}
_DND_REFUSED: frozenset[str] = frozenset({"<disagree>", "<no_agreement>"})
_OUTPUT_RE = re.compile(r"<output>(.*)</output>")
_WORD_RE = re.compile(r"[a-z0-9']+")
_QUOTE_NGRAM = 4


class RejectionSetError(ValueError):
    """``rejection_real.csv`` is malformed, incomplete or does not resolve."""


@dataclass(frozen=True)
class Turn:
    """One utterance of a dialogue: its index in the corpus's turn list."""

    index: int
    speaker: str
    text: str


@dataclass(frozen=True)
class Dialogue:
    """A sampled dialogue: ``key`` is the locator without the turn index."""

    corpus: str
    key: str
    stratum: str  # "refusal" (talk ended in a no) or "agreement"
    split: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class LabelledUtterance:
    """One labelled row, resolved to its text and the utterance before it."""

    corpus: str
    locator: str
    split: str
    rejection: bool
    objection: bool
    note: str
    text: str
    speaker: str
    previous: str | None  # the preceding utterance, None at the start
    previous_speaker: str | None


def _casino_dialogues(data_dir: Path) -> list[tuple[str, str, tuple[Turn, ...]]]:
    """``(key, stratum, turns)`` for every CaSiNo dialogue, in file order."""
    out: list[tuple[str, str, tuple[Turn, ...]]] = []
    for file_name in CASINO_FILES:
        with (data_dir / "casino" / file_name).open(encoding="utf-8") as fh:
            for dialogue in json.load(fh):
                logs = dialogue["chat_logs"]
                texts = {str(entry["text"]).strip() for entry in logs}
                refused = bool(texts & {"Reject-Deal", "Walk-Away"})
                turns = tuple(
                    Turn(i, str(entry["id"]), str(entry["text"]).strip())
                    for i, entry in enumerate(logs)
                    if str(entry["text"]).strip() not in _CASINO_EVENTS
                    and str(entry["text"]).strip()
                )
                key = f"{file_name}:{dialogue['dialogue_id']}"
                out.append((key, "refusal" if refused else "agreement", turns))
    return out


def _dnd_dialogues(data_dir: Path) -> list[tuple[str, str, tuple[Turn, ...]]]:
    """``(key, stratum, turns)`` for each Deal-or-No-Deal dialogue, seen once.

    val.txt holds most dialogues twice, once from each side; the first line
    (lowest line number) stands for the dialogue.  Dialogues whose output is a
    disconnect are left out, and so are those with fewer than
    ``DND_MIN_UTTERANCES`` utterances.
    """
    lines = (data_dir / "dealornodeal" / "val.txt").read_text(encoding="utf-8").splitlines()
    seen: set[tuple[str, ...]] = set()
    out: list[tuple[str, str, tuple[Turn, ...]]] = []
    for line_no, line in enumerate(lines, start=1):
        dialogue = _DIALOGUE_RE.search(line)
        output = _OUTPUT_RE.search(line)
        if dialogue is None or output is None:
            continue
        raw = [t.strip() for t in dialogue.group(1).split("<eos>")]
        plain = tuple(_SPEAKER_RE.sub("", t) for t in raw)
        if plain in seen:
            continue
        seen.add(plain)
        outcome = output.group(1).split()[0]
        if outcome.startswith("<") and outcome not in _DND_REFUSED:
            continue
        turns = tuple(
            Turn(i, t.split(":", 1)[0], text)
            for i, (t, text) in enumerate(zip(raw, plain, strict=True))
            if "<selection>" not in t and text
        )
        if len(turns) < DND_MIN_UTTERANCES:
            continue
        out.append((str(line_no), "refusal" if outcome in _DND_REFUSED else "agreement", turns))
    return out


def _draw(
    data_dir: Path,
    seed: int,
    sizes: dict[str, tuple[int, int]],
    exclude: frozenset[tuple[str, str]] = frozenset(),
    splits: tuple[str, ...] = SPLITS,
) -> list[Dialogue]:
    """Per corpus, ``random.Random(seed)`` draws ``sizes[corpus]`` dialogues from
    those that ended in a refusal, then from those that ended in agreement,
    leaving out the ``(corpus, key)`` pairs in ``exclude``.  Within each draw,
    the dialogue in position ``i`` goes to ``splits[i % len(splits)]``."""
    rng = random.Random(seed)
    sample: list[Dialogue] = []
    for corpus, pool in (
        ("casino", _casino_dialogues(data_dir)),
        ("dealornodeal", _dnd_dialogues(data_dir)),
    ):
        for stratum, size in zip(("refusal", "agreement"), sizes[corpus], strict=True):
            candidates = [
                (key, turns)
                for key, s, turns in pool
                if s == stratum and (corpus, key) not in exclude
            ]
            for position, (key, turns) in enumerate(rng.sample(candidates, size)):
                split = splits[position % len(splits)]
                sample.append(Dialogue(corpus, key, stratum, split, turns))
    return sample


def sample_dialogues(shared_dir: Path | None = None) -> list[Dialogue]:
    """The fixed dialogue sample of ``rejection_real.csv``, with its dev/test split.

    Per corpus, ``random.Random(SEED)`` draws the given number of dialogues
    from those that ended in a refusal (CaSiNo: a Reject-Deal or Walk-Away
    event; Deal or No Deal: output ``<disagree>`` or ``<no_agreement>``), then
    from those that ended in agreement.  Within each draw, dialogues in even
    positions go to ``dev`` and odd ones to ``test``.
    """
    data_dir = _data_dir(Path(shared_dir) if shared_dir else shared_data())
    return _draw(data_dir, SEED, {"casino": CASINO_SAMPLE, "dealornodeal": DND_SAMPLE})


def sample_dev2_dialogues(shared_dir: Path | None = None) -> list[Dialogue]:
    """The second dev sample (``rejection_real_dev2.csv``), all ``dev``.

    Drawn as :func:`sample_dialogues` draws, with ``DEV2_SEED`` and the sizes
    ``DEV2_SAMPLE``, from the dialogues the first sample did not take (neither
    its dev nor its test half), so the test half stays unseen.
    """
    data_dir = _data_dir(Path(shared_dir) if shared_dir else shared_data())
    first = frozenset((d.corpus, d.key) for d in sample_dialogues(data_dir))
    return _draw(data_dir, DEV2_SEED, DEV2_SAMPLE, exclude=first, splits=("dev",))


def _read_rows(csv_path: Path) -> list[dict[str, str]]:
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != HEADER:
            raise RejectionSetError(f"{csv_path}: header must be {HEADER}, got {reader.fieldnames}")
        return list(reader)


def _split_locator(locator: str) -> tuple[str, int]:
    """``(dialogue key, turn index)``; LookupError if the turn is not an integer."""
    key, _, turn = locator.rpartition(":")
    if not key or not turn.isdigit():
        raise LookupError("locator must end with ':<turn index>'")
    return key, int(turn)


def _quotes(note: str, text: str) -> bool:
    """Whether ``note`` repeats a run of ``_QUOTE_NGRAM`` words of ``text``."""
    words = _WORD_RE.findall(text.lower())
    grams = {tuple(words[i : i + _QUOTE_NGRAM]) for i in range(len(words) - _QUOTE_NGRAM + 1)}
    note_words = _WORD_RE.findall(note.lower())
    return any(
        tuple(note_words[i : i + _QUOTE_NGRAM]) in grams
        for i in range(len(note_words) - _QUOTE_NGRAM + 1)
    )


def _check_row(row: dict[str, str]) -> None:
    """Raise LookupError naming what is wrong with a row's fields."""
    if row["corpus"] not in CORPORA:
        raise LookupError(f"unknown corpus {row['corpus']!r} (expected one of {CORPORA})")
    if row["split"] not in SPLITS:
        raise LookupError(f"split must be dev or test, got {row['split']!r}")
    for column in ("rejection", "objection"):
        if row[column] not in ("0", "1"):
            raise LookupError(f"{column} must be 0 or 1, got {row[column]!r}")
    if row["rejection"] == "1" and row["objection"] == "1":
        raise LookupError("rejection and objection are exclusive (see REJECTION_GUIDE.md)")
    if "1" in (row["rejection"], row["objection"]) and not row["note"].strip():
        raise LookupError("a positive row needs a note")


def load_rejections(
    shared_dir: Path | None = None,
    csv_path: Path = CSV_PATH,
    sample: Callable[[Path], list[Dialogue]] = sample_dialogues,
) -> list[LabelledUtterance]:
    """Every row of the CSV, validated and resolved, in file order; ``sample``
    draws the dialogues the CSV must label (:func:`sample_dev2_dialogues` for
    ``DEV2_CSV_PATH``).

    Raises :class:`RejectionSetError` listing every problem: a malformed or
    duplicate row, a locator that does not resolve to an utterance, a note that
    quotes the text, a dialogue that is not in the sample (or has the wrong
    split), and any sampled dialogue or utterance left unlabelled.
    """
    data_dir = _data_dir(Path(shared_dir) if shared_dir else shared_data())
    corpora = _Corpora(data_dir)
    dialogues = {(d.corpus, d.key): d for d in sample(data_dir)}
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    out: list[LabelledUtterance] = []
    for row_no, row in enumerate(_read_rows(csv_path), start=2):
        corpus, locator = row["corpus"], row["locator"]
        where = f"row {row_no}: {corpus} {locator!r}"
        if (corpus, locator) in seen:
            errors.append(f"{where}: duplicate of row {seen[corpus, locator]}")
            continue
        seen[corpus, locator] = row_no
        try:
            _check_row(row)
            text = (corpora.casino_turn if corpus == "casino" else corpora.dnd_turn)(locator)
            key, index = _split_locator(locator)
            dialogue = dialogues.get((corpus, key))
            if dialogue is None:
                raise LookupError(f"dialogue {key} is not in the sample of {csv_path.name}")
            if row["split"] != dialogue.split:
                raise LookupError(f"the sample puts dialogue {key} in {dialogue.split}")
            if _quotes(row["note"], text):
                raise LookupError("the note quotes the utterance: write it in your own words")
            position = next(i for i, t in enumerate(dialogue.turns) if t.index == index)
        except (LookupError, StopIteration) as exc:
            errors.append(f"{where}: {str(exc) or 'not an utterance of the sampled dialogue'}")
            continue
        before = dialogue.turns[position - 1] if position else None
        out.append(
            LabelledUtterance(
                corpus=corpus,
                locator=locator,
                split=row["split"],
                rejection=row["rejection"] == "1",
                objection=row["objection"] == "1",
                note=row["note"].strip(),
                text=text,
                speaker=dialogue.turns[position].speaker,
                previous=before.text if before else None,
                previous_speaker=before.speaker if before else None,
            )
        )
    for (corpus, key), dialogue in dialogues.items():
        missing = [t.index for t in dialogue.turns if (corpus, f"{key}:{t.index}") not in seen]
        if missing:
            errors.append(f"{corpus} dialogue {key}: turns {missing} are not labelled")
    if errors:
        raise RejectionSetError(
            f"{len(errors)} problem(s) in {csv_path}:\n  " + "\n  ".join(errors)
        )
    return out


def load_dev(shared_dir: Path | None = None) -> list[LabelledUtterance]:
    """Every dev utterance: the dev half of ``rejection_real.csv``, then all of
    ``rejection_real_dev2.csv``."""
    first = [i for i in load_rejections(shared_dir) if i.split == "dev"]
    return first + load_rejections(shared_dir, DEV2_CSV_PATH, sample_dev2_dialogues)


def _print_counts(items: list[LabelledUtterance], csv_path: Path = CSV_PATH) -> None:
    dialogues: dict[tuple[str, str], set[str]] = {}
    counts: Counter[tuple[str, str, str]] = Counter()
    for item in items:
        key = (item.corpus, item.split)
        dialogues.setdefault(key, set()).add(_split_locator(item.locator)[0])
        counts[(*key, "utterances")] += 1
        counts[(*key, "rejection")] += item.rejection
        counts[(*key, "objection")] += item.objection
    print(f"{len(items)} utterances resolved from {csv_path.name}")
    print(
        f"  {'corpus':14s} {'split':5s} {'dialogues':>9s} {'utterances':>10s} "
        f"{'rejection':>9s} {'objection':>9s}"
    )
    rows = [(c, s) for c in CORPORA for s in SPLITS] + [(c, "all") for c in CORPORA]
    rows.append(("all", "all"))
    for corpus, split in rows:
        keys = [k for k in dialogues if corpus in ("all", k[0]) and split in ("all", k[1])]
        n_dialogues = sum(len(dialogues[k]) for k in keys)
        values = [
            sum(counts[(*k, name)] for k in keys)
            for name in ("utterances", "rejection", "objection")
        ]
        print(
            f"  {corpus:14s} {split:5s} {n_dialogues:9d} {values[0]:10d} "
            f"{values[1]:9d} {values[2]:9d}"
        )


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    shared = Path(args[0]) if args else None
    dev2 = "--dev2" in argv
    sample = sample_dev2_dialogues if dev2 else sample_dialogues
    csv_path = DEV2_CSV_PATH if dev2 else CSV_PATH
    if "--sample" in argv:
        for d in sample(shared):
            print(f"{d.corpus:12s} {d.key:24s} {d.stratum:9s} {d.split:4s} {len(d.turns):3d}")
        return 0
    try:
        items = load_rejections(shared, csv_path, sample)
    except RejectionSetError as exc:
        print(exc, file=sys.stderr)
        return 1
    _print_counts(items, csv_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
