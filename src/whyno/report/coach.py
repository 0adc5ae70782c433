"""Coaching notes as one self-contained HTML page (presentation only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from whyno.coach.analyze import CallReview
from whyno.coach.notes import Note
from whyno.report.render import environment


def render_notes(calls: Sequence[tuple[CallReview, list[Note]]], title: str = "Call review") -> str:
    return environment().get_template("coach_notes.html.j2").render(title=title, calls=calls)


def write_notes(
    calls: Sequence[tuple[CallReview, list[Note]]], out: Path, title: str = "Call review"
) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_notes(calls, title), encoding="utf-8")
    return out
