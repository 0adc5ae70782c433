from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES
from whyno.errors import InputError
from whyno.ingest.transcripts import parse_transcript, read_transcript

CALLS = FIXTURES / "calls"


def test_webvtt_with_voice_tags() -> None:
    t = read_transcript(CALLS / "discovery.vtt")
    assert t.speakers == ["Sam Lee", "Dana Cruz"]
    assert len(t.turns) == 11
    assert (t.turns[4].text, t.turns[4].start, t.turns[4].end) == (
        "The whiteboard is a mess?",
        18.0,
        21.0,
    )


def test_webvtt_with_speaker_prefixes_and_merged_cues() -> None:
    text = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nAna: Hello there\n\n"
        "2\n00:00:02.500 --> 00:00:04.000\nAna: how are you?\n\n"
        "00:00:04.000 --> 00:00:05.000\n<b>Ben:</b> fine\n"
    )
    t = parse_transcript(text, "x.vtt", "vtt")
    assert [(u.speaker, u.text, u.start, u.end) for u in t.turns] == [
        ("Ana", "Hello there how are you?", 1.0, 4.0),
        ("Ben", "fine", 4.0, 5.0),
    ]


def test_srt() -> None:
    t = read_transcript(CALLS / "pushy.srt")
    assert [u.speaker for u in t.turns] == ["Rep", "Buyer", "Rep", "Buyer"]
    assert t.turns[2].start == 6.0


def test_plain_with_timestamps_and_continuation_lines() -> None:
    t = read_transcript(CALLS / "plain.txt")
    assert [u.speaker for u in t.turns] == ["Alex", "Priya", "Alex", "Priya"]
    assert (
        t.turns[1].text
        == "They're fine, we already use Acme for this. It works well enough for us."
    )
    assert t.turns[2].start == 12.0


def test_json_exports() -> None:
    t = read_transcript(CALLS / "zoom.json")
    assert [(u.speaker, u.text, u.start) for u in t.turns] == [
        ("Mia", "Would it be ridiculous to look at this again next quarter?", 1.5),
        ("Omar", "not ridiculous at all", 5.0),
    ]
    flat = '[{"speaker": "A", "text": "hi", "start": 0, "end": 1}, {"speaker": "B", "text": "yo"}]'
    assert len(parse_transcript(flat, "f.json", "json").turns) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # Otter: name and clock on a line of their own, the words below
            "Speaker 1  0:00\nHi Jordan, thanks for the time.\nIs now a bad time?\n\n"
            "Jordan Blake  1:07\nNo, go ahead.\n",
            [
                ("Speaker 1", "Hi Jordan, thanks for the time. Is now a bad time?", 0.0),
                ("Jordan Blake", "No, go ahead.", 67.0),
            ],
        ),
        (  # Rev: the clock in brackets and a colon
            "Sam Lee (00:00:03):\nThanks for joining.\n\nDana Cruz (00:01:06):\nSure.\n",
            [("Sam Lee", "Thanks for joining.", 3.0), ("Dana Cruz", "Sure.", 66.0)],
        ),
        (  # Zoom closed captions: the name in square brackets
            "[Sam Lee] 00:01:02\nHello there\n[Dana Cruz] 00:01:09\nhi\n",
            [("Sam Lee", "Hello there", 62.0), ("Dana Cruz", "hi", 69.0)],
        ),
        (  # a name and a colon alone on a line
            "Sam:\nhow is it going\nDana:\nfine, thanks\n",
            [("Sam", "how is it going", None), ("Dana", "fine, thanks", None)],
        ),
    ],
)
def test_plain_with_speaker_lines_of_their_own(
    text: str, expected: list[tuple[str, str, float | None]]
) -> None:
    t = parse_transcript(text, "call.txt", "plain")
    assert [(u.speaker, u.text, u.start) for u in t.turns] == expected


def test_a_line_of_text_that_ends_with_a_clock_is_not_a_speaker_in_inline_files() -> None:
    t = parse_transcript("Ana: can we talk at\nnoon 12:30\nBen: sure\n", "c.txt", "plain")
    assert [(u.speaker, u.text) for u in t.turns] == [
        ("Ana", "can we talk at noon 12:30"),
        ("Ben", "sure"),
    ]


def test_start_times_alone_give_each_turn_an_end() -> None:
    text = (
        "[00:00:00] Sam: hi there how are you\n"
        "[00:00:04] Dana: good thanks\n"
        "[00:00:06] Sam: great\n"
    )
    t = parse_transcript(text, "c.txt", "plain")
    # until the next turn starts; the last at the median rate (one second a word here)
    assert [(u.start, u.end) for u in t.turns] == [(0.0, 4.0), (4.0, 6.0), (6.0, 7.0)]


def test_turns_without_times_keep_none() -> None:
    t = parse_transcript("Sam: hi\nDana: hello\n", "c.txt", "plain")
    assert [(u.start, u.end) for u in t.turns] == [(None, None), (None, None)]


def test_json_times_in_milliseconds_are_read_as_milliseconds_throughout() -> None:
    # AssemblyAI-style utterances: every time in ms, the first ones small
    data = (
        '{"utterances": [{"speaker": "A", "text": "hi", "start": 250, "end": 1800},'
        ' {"speaker": "B", "text": "hello", "start": 2000, "end": 95000},'
        ' {"speaker": "A", "text": "so", "start": 95500, "end": 120000}]}'
    )
    t = parse_transcript(data, "a.json", "json")
    assert [(u.start, u.end) for u in t.turns] == [(0.25, 1.8), (2.0, 95.0), (95.5, 120.0)]


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("Hello without a speaker\nAna: hi", "plain", "line 1: expected 'Speaker: text'"),
        ("WEBVTT\n\n00:00:01 --> nonsense\nAna: hi\n", "vtt", "line 3: bad cue timing"),
        ('{"speaker": "A"', "json", "line 1: not valid JSON"),
        ('[{"speaker": "A"}]', "json", "item 1: no text"),
        ("", "plain", "no utterances found"),
        ("Call with Acme 10:30\nAna: hi\nBen: hello\n", "plain", "line 1: expected"),
        ('{"segments": [{"start": 0, "end": 2, "text": "hello"}]}', "json", "no speaker names"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n", "vtt", "no speaker names"),
    ],
)
def test_malformed_transcripts(text: str, fmt: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_transcript(text, "call", fmt)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such transcript file"):
        read_transcript(tmp_path / "nope.vtt")


def test_an_inline_speaker_may_carry_a_role_or_its_time_in_brackets() -> None:
    t = parse_transcript(
        "[00:00:02] Dana (Sales): Hi Marcus.\n"
        "[00:00:09] Marcus [Acme]: Hi.\n"
        "Jane Doe (00:01:05): Thanks.\n",
        "c.txt",
        "plain",
    )
    assert [(u.speaker, u.text, u.start) for u in t.turns] == [
        ("Dana (Sales)", "Hi Marcus.", 2.0),
        ("Marcus [Acme]", "Hi.", 9.0),
        ("Jane Doe", "Thanks.", 65.0),
    ]
