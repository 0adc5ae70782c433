"""`whyno coach analyze`: review calls, utterance by utterance."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from whyno.cli.common import cache_dir, console
from whyno.coach.analyze import review
from whyno.coach.transcripts import read_transcript
from whyno.reasons.classify import make_classifier

app = typer.Typer(
    help="Conversation review: rejections, reasons and how the seller handled them.",
    no_args_is_help=True,
)


@app.command("analyze")
def analyze_cmd(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Transcripts: .vtt, .srt, .txt, .json.")
    ],
    seller: Annotated[
        list[str] | None, typer.Option("--seller", help="A seller's name (repeatable).")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="vtt, srt, plain or json (default: detected).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON (JSON Lines for several files).")
    ] = False,
) -> None:
    """Tag every utterance and measure the call (talk ratio, questions, pushes after a no)."""
    classifier = make_classifier(cache_dir=cache_dir(ctx))
    reviews = [review(read_transcript(path, fmt), seller or (), classifier) for path in files]
    if as_json:
        if len(reviews) == 1:
            data = reviews[0].as_dict()
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            for r in reviews:
                sys.stdout.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")
        return
    for r in reviews:
        table = Table("#", "speaker", "role", "utterance", "tags", title=escape(r.source))
        for u in r.utterances:
            tag_text = ", ".join(u.tags) + (f" ({u.reason_category})" if u.reason_category else "")
            table.add_row(str(u.index), escape(u.speaker or ""), u.role, escape(u.text), tag_text)
        console.print(table)
        console.print(", ".join(f"{k} {v}" for k, v in r.metrics.items()))
