"""`whyno coach analyze | notes | import | insights`: review calls and learn across them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from whyno.cli.common import (
    TeamOpt,
    console,
    err_console,
    existing_store,
    open_store,
    print_json,
    progress_bar,
    settings,
    team_id,
)
from whyno.coach.analyze import DEFAULT_TAGGER, CallReview, check_tagger, review
from whyno.coach.calls import present_sellers, roster_sellers
from whyno.coach.imports import (
    CallImportOptions,
    CallImportRejected,
    CallImportResult,
    import_calls,
)
from whyno.coach.insights import MIN_GROUP, Insights, insights
from whyno.coach.notes import Note, coaching_notes
from whyno.encoding import dumps
from whyno.ingest.transcripts import read_transcript
from whyno.reasons.classify import Classifier
from whyno.reasons.labels import classifier_for
from whyno.report.coach import write_notes

FilesArgument = Annotated[
    list[Path], typer.Argument(metavar="FILE...", help="Transcripts: .vtt, .srt, .txt, .json.")
]
SellerOption = Annotated[
    list[str] | None, typer.Option("--seller", help="A seller's name (repeatable).")
]
BackendOption = Annotated[
    str,
    typer.Option(
        "--backend",
        help="contextual (default: the shipped model reads each turn with the one before) "
        "or fast (rules and a static model, about 40 times faster).",
    ),
]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="vtt, srt, plain or json (default: detected).")
]

app = typer.Typer(
    help="Conversation review: rejections, reasons and how the seller handled them.",
    no_args_is_help=True,
)


def _review(
    ctx: typer.Context,
    path: Path,
    sellers: list[str] | None,
    fmt: str | None,
    classifier: Classifier,
    backend: str = DEFAULT_TAGGER,
) -> CallReview:
    """Review one call; without --seller, the workspace's roster names the sellers."""
    transcript = read_transcript(path, fmt)
    names = tuple(sellers or ()) or present_sellers(_roster(ctx), transcript.speakers)
    return review(transcript, names, classifier, backend)


def _classifier(ctx: typer.Context, backend: str) -> Classifier:
    """The reason classifier that goes with the conversation backend, with the team's
    corrections when the workspace has a catalog."""
    return classifier_for(existing_store(ctx), settings(ctx), check_tagger(backend))


def _roster(ctx: typer.Context) -> list[str]:
    """Sellers named in the workspace's catalog, if there is one (never creates it)."""
    obj: dict[str, Any] = ctx.find_root().obj or {}
    if "roster" not in obj:
        store = existing_store(ctx)
        if store is None:
            obj["roster"] = []
        else:
            with store.session() as session:
                obj["roster"] = roster_sellers(session)
        ctx.find_root().obj = obj
    return list(obj["roster"])


@app.command("analyze")
def analyze_cmd(
    ctx: typer.Context,
    files: FilesArgument,
    seller: SellerOption = None,
    fmt: FormatOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON (JSON Lines for several files).")
    ] = False,
    backend: BackendOption = DEFAULT_TAGGER,
) -> None:
    """Tag every utterance and measure the call (talk ratio, questions, pushes after a no)."""
    classifier = _classifier(ctx, backend)
    reviews = [_review(ctx, path, seller, fmt, classifier, backend) for path in files]
    if as_json:
        if len(reviews) == 1:
            print_json(reviews[0].as_dict())
        else:
            for r in reviews:
                sys.stdout.write(dumps(r.as_dict()) + "\n")
        return
    for r in reviews:
        table = Table("#", "speaker", "role", "utterance", "tags", title=escape(r.source))
        for u in r.utterances:
            tag_text = ", ".join(u.tags) + (f" ({u.reason_category})" if u.reason_category else "")
            table.add_row(str(u.index), escape(u.speaker or ""), u.role, escape(u.text), tag_text)
        console.print(table)
        console.print(", ".join(f"{k} {v}" for k, v in r.metrics.items()))


@app.command("notes")
def notes_cmd(
    ctx: typer.Context,
    files: FilesArgument,
    seller: SellerOption = None,
    fmt: FormatOption = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the notes as one HTML page here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: one object per call.")] = False,
    backend: BackendOption = DEFAULT_TAGGER,
) -> None:
    """Coaching notes: no's pushed past or never asked about, good labels, honest disqualifiers."""
    classifier = _classifier(ctx, backend)
    calls: list[tuple[CallReview, list[Note]]] = []
    for path in files:
        reviewed = _review(ctx, path, seller, fmt, classifier, backend)
        calls.append((reviewed, coaching_notes(reviewed)))
    if html:
        write_notes(calls, html)
    if as_json:
        print_json(
            [
                {"file": r.source, "metrics": r.metrics, "notes": [n.as_dict() for n in notes]}
                for r, notes in calls
            ]
        )
        return
    for reviewed, notes in calls:
        console.print(f"[bold]{escape(reviewed.source)}[/bold]")
        if not notes:
            console.print("  nothing stood out in this call")
        for n in notes:
            mark = "[green]+[/green]" if n.good else "[red]-[/red]"
            console.print(f"  {mark} {n.at:>8}  {escape(n.note)}")
            console.print(f"             [dim]{escape(n.speaker or '')}: {escape(n.said)}[/dim]")
            if n.better:
                console.print(f"             try: {escape(n.better)}")
    if html:
        console.print(f"Wrote {escape(str(html))}")


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="A folder of transcripts (or one file).")
    ],
    seller: SellerOption = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--map", help="CSV with columns file, deal [, source, date, seller]."),
    ] = None,
    fmt: FormatOption = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the readable files, list the others.")
    ] = False,
    team: TeamOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Store reviewed calls, linked to their deals; a no heard in a call joins the catalog."""
    store = open_store(ctx)
    classifier = classifier_for(store, settings(ctx))
    options = CallImportOptions(
        tuple(seller or ()), mapping, fmt, skip_invalid, team_id=team_id(ctx, team)
    )
    try:
        with progress_bar(not as_json, "reviewing calls") as tick:
            result = import_calls(store, folder, classifier, options, tick)
    except CallImportRejected as exc:
        if as_json:
            print_json(exc.result)
        raise
    _import_report(result, as_json)


def _import_report(result: CallImportResult, as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    table = Table(show_header=False, box=None, padding=(0, 2))
    for name in ("read", "imported", "updated", "unchanged", "rejected", "linked"):
        table.add_row(name, str(getattr(result, name)))
    table.add_row("no's added to the catalog", str(result.nos_added))
    table.add_row("no's explained by a call", str(result.nos_enriched))
    console.print(table)
    for problem in result.problems:
        err_console.print(
            f"[yellow]skipped[/yellow] {escape(problem.file)}: {escape(problem.error)}"
        )


@app.command("insights")
def insights_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Which behaviours go with won versus lost deals on this team, with 95% intervals."""
    result = insights(open_store(ctx))
    if as_json:
        print_json(result.as_dict())
        return
    _insights_table(result)


def _insights_table(result: Insights) -> None:
    console.print(
        f"{result.calls} calls on {result.deals} closed deals ({result.won} won). "
        f"A behaviour needs {MIN_GROUP} deals with it and {MIN_GROUP} without."
    )
    table = Table("behaviour", "with: won/deals", "without: won/deals", "difference (95% CI)", "")
    for f in result.findings:
        diff = (
            f"{f.difference:+.0%} ({f.low:+.0%} to {f.high:+.0%})"
            if f.difference is not None and f.low is not None and f.high is not None
            else "-"
        )
        table.add_row(
            f.label,
            f"{f.with_won}/{f.with_deals}",
            f"{f.without_won}/{f.without_deals}",
            diff,
            f.verdict,
        )
    console.print(table)
    if not result.enough:
        console.print("[yellow]Not enough calls yet to say which behaviours win here.[/yellow]")
