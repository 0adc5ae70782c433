"""Larkspur's recorded calls: short WebVTT transcripts for some of its closed deals.

Seeded and reproducible. Each file is named ``<deal id>__call.vtt`` so that
``whyno coach import`` links it to its deal by name. The seller's habits are
simulated, not real: labels, open questions and asking why after a no are made
more common on deals that were won, and pressure on deals that were lost, so
``whyno coach insights`` has something true to find in the demo.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

RECENT_FROM = dt.date(2026, 3, 1)  # calls are recorded for deals closed since then
MAX_CALLS = 140


@dataclass(frozen=True)
class _Habits:
    label: float
    open_question: float
    no_heard: float
    asks_why: float
    pressure: float


WON = _Habits(label=0.65, open_question=0.8, no_heard=0.35, asks_why=0.75, pressure=0.1)
LOST = _Habits(label=0.3, open_question=0.45, no_heard=1.0, asks_why=0.35, pressure=0.4)

OPENERS = (
    "Hi {buyer}, thanks for making the time today.",
    "Good morning {buyer}, thanks for jumping on.",
    "Hey {buyer}, appreciate you taking the call.",
)
NO_ORIENTED = (
    "Is now a bad time for a quick walkthrough?",
    "Would it be a bad idea to start with how you schedule today?",
)
OPEN_QUESTIONS = (
    "What's the hardest part of getting crews to the right job today?",
    "How are you handling scheduling changes when a job runs long?",
    "What made you start looking at this now?",
)
CLOSED_QUESTIONS = (
    "Do you use any scheduling software today?",
    "Are you the one who makes the decision on tools?",
)
SITUATIONS = (
    "Honestly we run most of it on a whiteboard and group texts, and jobs get double booked.",
    "Our office manager juggles everything in spreadsheets and it breaks every Monday.",
    "We have crews across town and nobody knows who is where half the time.",
)
LABELS = (
    "It sounds like your office is spending the week putting out fires.",
    "It seems like the crews are waiting on information more than on work.",
)
PITCHES = (
    "So Larkspur puts every job, crew and invoice on one board, with routing, "
    "reminders to your customers and payments collected in the field.",
    "Our platform handles dispatch, quotes, invoices and a customer portal, and "
    "the mobile app keeps technicians up to date wherever they are.",
)
HONEST = (
    "To be fair, if you only run one crew we might not be the right fit yet.",
    "Honestly, this might not be right for you if you need offline mode on day one.",
)
BARE_NO = (
    "I think we're going to pass for now.",
    "We're not interested at this point, thanks.",
    "We've decided not to move forward.",
)
ASK_WHY = (
    "I understand. Can I ask what's behind the decision?",
    "That makes sense. What made you decide against it?",
)
PRESSURE = (
    "But this discount is only valid until Friday, so you'd want to sign today.",
    "Everyone else in your area has already switched, you'd be crazy to wait.",
)
ACCEPT = (
    "Fair enough, I respect that. Thanks for being straight with me.",
    "No problem at all, thanks for letting me know.",
)
WON_CLOSE = (
    "Okay, that works for us. Send over the paperwork.",
    "Alright, let's do it. Can you set up the trial accounts?",
)
SOFT_NO_WON = "We'd pass on the premium tier for now, the basic plan is plenty."


def write_demo_calls(export: Path, folder: Path, seed: int) -> int:
    """Write transcripts for recent closed deals of the demo export; returns how many."""
    rng = random.Random(seed * 31 + 5)
    deals = _recent_closed(export)
    rng.shuffle(deals)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.vtt"):
        old.unlink()
    chosen = deals[:MAX_CALLS]
    for row in chosen:
        lines = _conversation(rng, row)
        (folder / f"{row['Record ID']}__call.vtt").write_text(_vtt(lines), encoding="utf-8")
    return len(chosen)


def _recent_closed(export: Path) -> list[dict[str, str]]:
    with export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        r
        for r in rows
        if r["Deal Stage"] in ("Closed Won", "Closed Lost")
        and r["Associated Contact"]
        and _day(r["Close Date"]) >= RECENT_FROM
    ]


def _day(stamp: str) -> dt.date:
    return dt.date.fromisoformat(stamp[:10])


def _conversation(rng: random.Random, row: dict[str, str]) -> list[tuple[str, str]]:
    won = row["Deal Stage"] == "Closed Won"
    habits = WON if won else LOST
    seller, buyer = row["Deal owner"], row["Associated Contact"]
    say: list[tuple[str, str]] = []
    opener = rng.choice(OPENERS).format(buyer=buyer.split()[0])
    if rng.random() < 0.3:
        opener += " " + rng.choice(NO_ORIENTED)
    say.append((seller, opener))
    say.append((buyer, "Sure, go ahead."))
    questions = OPEN_QUESTIONS if rng.random() < habits.open_question else CLOSED_QUESTIONS
    say.append((seller, rng.choice(questions)))
    say.append((buyer, rng.choice(SITUATIONS)))
    if rng.random() < habits.label:
        say.append((seller, rng.choice(LABELS)))
        say.append((buyer, "Yes, exactly that."))
    pitch = rng.choice(PITCHES)
    if rng.random() < 0.25:
        pitch += " " + rng.choice(HONEST)
    say.append((seller, pitch))
    if rng.random() < habits.no_heard:
        say.extend(_after_no(rng, row, habits, seller, buyer, won))
    if won:
        say.append((buyer, rng.choice(WON_CLOSE)))
    return say


def _after_no(
    rng: random.Random,
    row: dict[str, str],
    habits: _Habits,
    seller: str,
    buyer: str,
    won: bool,
) -> list[tuple[str, str]]:
    reason = row["Lost Reason Details"].strip()
    no = SOFT_NO_WON if won else rng.choice(BARE_NO)
    lines = [(buyer, no)]
    if rng.random() < habits.pressure:
        lines.append((seller, rng.choice(PRESSURE)))
        lines.append((buyer, "No, really, not now."))
    if rng.random() < habits.asks_why:
        lines.append((seller, rng.choice(ASK_WHY)))
        answer = "The basic plan covers what we need." if won else reason or "It's just not for us."
        lines.append((buyer, answer))
    elif not won:
        lines.append((seller, rng.choice(ACCEPT)))
    return lines


def _vtt(lines: list[tuple[str, str]]) -> str:
    out = ["WEBVTT", ""]
    clock = 0.0
    for speaker, text in lines:
        length = 2.0 + len(text.split()) * 0.4
        out += [f"{_stamp(clock)} --> {_stamp(clock + length)}", f"<v {speaker}>{text}", ""]
        clock += length + 0.5
    return "\n".join(out)


def _stamp(seconds: float) -> str:
    whole, millis = int(seconds), int(seconds % 1 * 1000)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"
