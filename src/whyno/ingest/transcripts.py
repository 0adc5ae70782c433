"""Read call transcripts: WebVTT, SRT, plain ``Speaker: text`` and JSON exports.

Every parser returns the same :class:`Transcript`; malformed input raises an
:class:`InputError` naming the file and line and what was expected.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from whyno.errors import InputError

_TIME = r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"
_CUE = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]+)>(.*?)(?:</v>|$)", re.DOTALL)
_TAGS = re.compile(r"</?[^>]+>")
_STAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
# "Speaker: text", optionally after a [hh:mm:ss] stamp; the name may carry a
# role or company in brackets ("Dana (Sales):", "Dana [Acme]:"), or its stamp
# ("Jane Doe (00:01:05): text", Rev's inline layout).
_SPEAKER = re.compile(
    r"^\s*(?:\[(?P<ts>[\d:.,]+)\]\s*|\((?P<ts2>[\d:.,]+)\)\s*)?"
    r"(?P<speaker>[A-Za-z][\w .'\-&]{0,40}?"
    r"(?:\s*[(\[](?![\d:.,]+[)\]])[^()\[\]:]{1,40}[)\]])?)"
    rf"(?:\s*[(\[](?P<ts3>{_STAMP})[)\]])?\s*:\s+(?P<text>.*)$"
)
# A speaker line of its own, the words on the lines below it (Otter, Rev, Zoom
# closed captions, copy-pasted meeting notes): "Jane Doe  0:03", "Jane Doe
# (00:01:05):", "[Jane Doe] 10:01:02", "Jane Doe:".
_HEADER = re.compile(
    rf"^\s*(?:\[(?P<bracketed>[A-Za-z][^\]]{{0,40}})\]\s*(?P<bts>{_STAMP})?"
    rf"|(?P<named>[A-Za-z][\w .'\-]{{0,40}}?)\s*[\[(]?(?P<ts>{_STAMP})[\])]?"
    r"|(?P<alone>[A-Za-z][\w .'\-]{0,40}?))\s*(?P<colon>:)?\s*$"
)
_LEADING_TS = re.compile(rf"^\s*[\[(](?P<ts>{_STAMP})[\])]\s*(?P<rest>.*)$")


@dataclass
class Turn:
    index: int
    speaker: str | None
    text: str
    start: float | None = None
    end: float | None = None


@dataclass
class Transcript:
    source: str
    turns: list[Turn] = field(default_factory=list)

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns if t.speaker))


def seconds(h: str | None, m: str, s: str, ms: str | None) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + (int((ms or "0").ljust(3, "0")) / 1000)


def _clock(text: str) -> float | None:
    parts = re.split(r"[:]", text.replace(",", "."))
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None
    total = 0.0
    for value in values:
        total = total * 60 + value
    return total


def read_transcript(path: Path, fmt: str | None = None) -> Transcript:
    """Parse a transcript file; the format comes from ``fmt`` or the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such transcript file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save the transcript as UTF-8") from None
    return parse_transcript(text, str(path), fmt or detect_format(text, path.suffix))


def detect_format(text: str, suffix: str = "") -> str:
    head = text.lstrip()[:200]
    if head.startswith("WEBVTT") or suffix.lower() == ".vtt":
        return "vtt"
    if head.startswith(("[", "{")) and suffix.lower() in (".json", ""):
        return "json"
    if suffix.lower() == ".json":
        return "json"
    if suffix.lower() == ".srt" or re.match(r"^\d+\s*\n\s*" + _TIME + r"\s*-->", head):
        return "srt"
    return "plain"


def parse_transcript(text: str, source: str = "<text>", fmt: str = "plain") -> Transcript:
    parsers = {"vtt": _cues, "srt": _cues, "plain": _plain, "json": _json}
    if fmt not in parsers:
        raise InputError(
            f"{source}: unknown transcript format {fmt!r}; use vtt, srt, plain or json"
        )
    transcript = Transcript(source, parsers[fmt](text, source))
    if not transcript.turns:
        raise InputError(f"{source}: no utterances found; expected {fmt} with speaker lines")
    if not transcript.speakers:
        raise InputError(
            f"{source}: no speaker names in the transcript, so who said what is unknown; "
            "export it with speaker labels (speaker identification or diarization on)"
        )
    for index, turn in enumerate(transcript.turns):
        turn.index = index
    _fill_ends(transcript.turns)
    return transcript


def _fill_ends(turns: list[Turn]) -> None:
    """Where every turn has a start time but not an end (plain text with
    timestamps, Otter, Rev), a turn lasts until the next one starts; the last
    one as long as its words take at the call's median speaking rate."""
    if any(t.start is None for t in turns) or all(t.end is not None for t in turns):
        return
    for turn, following in pairwise(turns):
        start, next_start = turn.start, following.start
        if turn.end is None and start is not None and next_start is not None:
            turn.end = next_start if next_start >= start else None
    rates = sorted(
        (t.end - t.start) / len(t.text.split())
        for t in turns
        if t.end is not None and t.start is not None and t.end > t.start and t.text.split()
    )
    last = turns[-1]
    if last.end is None and last.start is not None and rates:
        last.end = round(last.start + rates[len(rates) // 2] * len(last.text.split()), 3)


def _cues(text: str, source: str) -> list[Turn]:
    """WebVTT and SRT: blocks separated by blank lines, each with a timing line."""
    turns: list[Turn] = []
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        match = _CUE.match(lines[i])
        if not match:
            if "-->" in lines[i]:
                raise InputError(
                    f"{source}: line {i + 1}: bad cue timing {lines[i].strip()!r}; "
                    "expected 00:00:01.000 --> 00:00:04.000"
                )
            i += 1
            continue
        start, end = seconds(*match.groups()[:4]), seconds(*match.groups()[4:])
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip():
            body.append(lines[i].strip())
            i += 1
        turns.extend(_cue_turns(" ".join(body), start, end))
    return _merge(turns)


def _cue_turns(body: str, start: float, end: float) -> list[Turn]:
    voices = _VOICE.findall(body)
    if voices:
        return [
            Turn(0, s.strip(), _TAGS.sub("", t).strip(), start, end) for s, t in voices if t.strip()
        ]
    clean = _TAGS.sub("", body).strip()
    match = _SPEAKER.match(clean)
    if match:
        return [Turn(0, match["speaker"].strip(), match["text"].strip(), start, end)]
    return [Turn(0, None, clean, start, end)] if clean else []


def _merge(turns: list[Turn]) -> list[Turn]:
    """Consecutive cues by the same speaker (or with no speaker) form one utterance."""
    merged: list[Turn] = []
    for turn in turns:
        if (
            merged
            and turn.speaker == merged[-1].speaker
            and (turn.speaker or not merged[-1].speaker)
        ):
            merged[-1].text = f"{merged[-1].text} {turn.text}".strip()
            merged[-1].end = turn.end
        else:
            merged.append(turn)
    return merged


def _header(line: str) -> tuple[str, float | None] | None:
    """(speaker, start) of a speaker line with no words after it; a bare name
    counts only with a colon ("Jane Doe:"), so a line of text is not taken for one."""
    match = _HEADER.match(line)
    if match is None or (match["alone"] and not match["colon"]):
        return None
    speaker = match["bracketed"] or match["named"] or match["alone"]
    stamp = match["bts"] or match["ts"]
    return speaker.strip(), _clock(stamp) if stamp else None


def _blocks(lines: list[str]) -> list[Turn]:
    """Speaker lines of their own, each followed by the lines of what was said."""
    turns: list[Turn] = []
    for line in lines:
        header = _header(line) if line else None
        if header is not None:
            turns.append(Turn(0, header[0], "", header[1]))
        elif line and turns:
            turns[-1].text = f"{turns[-1].text} {line}".strip()
    return [t for t in turns if t.text]


def _plain(text: str, source: str) -> list[Turn]:
    lines = [raw.strip() for raw in text.replace("\r\n", "\n").split("\n")]
    first = next((line for line in lines if line), "")
    inline = _SPEAKER.match(first) or _LEADING_TS.match(first)
    # speaker lines of their own: the file opens with one, and has more than one
    # (so a title line such as "Call with Acme 10:30" does not swallow the call)
    if (
        first
        and not inline
        and _header(first) is not None
        and sum(1 for line in lines if line and _header(line) is not None) > 1
    ):
        return _blocks(lines)
    turns: list[Turn] = []
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        match = _SPEAKER.match(line)
        if match:
            stamp = match["ts"] or match["ts2"] or match["ts3"]
            turns.append(
                Turn(
                    0,
                    match["speaker"].strip(),
                    match["text"].strip(),
                    _clock(stamp) if stamp else None,
                )
            )
            continue
        leading = _LEADING_TS.match(line)
        if leading and _SPEAKER.match(leading["rest"]):
            inner = _SPEAKER.match(leading["rest"])
            assert inner is not None
            turns.append(
                Turn(0, inner["speaker"].strip(), inner["text"].strip(), _clock(leading["ts"]))
            )
        elif turns:
            turns[-1].text = f"{turns[-1].text} {line}"  # a continuation line
        else:
            raise InputError(
                f"{source}: line {number}: expected 'Speaker: text' "
                f"(optionally after a [hh:mm:ss] timestamp), or a speaker line of its own "
                f"('Speaker 1  0:03', 'Jane Doe (00:01:05):') with the words below it; "
                f"got {line[:60]!r}"
            )
    return turns


_JSON_LISTS = ("transcript", "segments", "utterances", "results", "entries", "items", "captions")
_SPEAKER_KEYS = ("speaker", "speaker_name", "speakerName", "participant", "name", "user", "author")
_TEXT_KEYS = ("text", "content", "transcript", "utterance", "words", "caption")
_START_KEYS = ("start", "start_time", "startTime", "offset", "begin", "start_seconds", "ts")
_END_KEYS = ("end", "end_time", "endTime", "stop", "end_seconds")


def _json(text: str, source: str) -> list[Turn]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    items = data
    if isinstance(data, dict):
        items = next((data[k] for k in _JSON_LISTS if isinstance(data.get(k), list)), None)
    if not isinstance(items, list):
        raise InputError(
            f"{source}: expected a list of {{speaker, text, start, end}} or an object "
            f"with one of {', '.join(_JSON_LISTS)}"
        )
    turns = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{source}: item {number}: expected an object with speaker and text")
        speaker = _first(item, _SPEAKER_KEYS)
        if isinstance(speaker, dict):
            speaker = _first(speaker, ("name", "display_name", "id"))
        words = _first(item, _TEXT_KEYS)
        if isinstance(words, list):
            words = " ".join(
                str(w.get("text", w.get("word", ""))) if isinstance(w, dict) else str(w)
                for w in words
            )
        if words is None:
            raise InputError(
                f"{source}: item {number}: no text (keys tried: {', '.join(_TEXT_KEYS)})"
            )
        turns.append(
            Turn(
                0,
                str(speaker) if speaker is not None else None,
                str(words).strip(),
                _time(_first(item, _START_KEYS)),
                _time(_first(item, _END_KEYS)),
            )
        )
    _to_seconds(turns)
    return [t for t in turns if t.text]


MILLISECONDS_ABOVE = 36_000.0  # a number of seconds no call reaches (10 hours)


def _to_seconds(turns: list[Turn]) -> None:
    """Exports count time in seconds or in milliseconds (AssemblyAI, some
    recorders), one unit for the whole file: milliseconds when a time is
    larger than any call in seconds."""
    times = [t for turn in turns for t in (turn.start, turn.end) if t is not None]
    if times and max(times) > MILLISECONDS_ABOVE:
        for turn in turns:
            turn.start = turn.start / 1000 if turn.start is not None else None
            turn.end = turn.end / 1000 if turn.end is not None else None


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((item[k] for k in keys if k in item and item[k] not in (None, "")), None)


def _time(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return _clock(str(value))
