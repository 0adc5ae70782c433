"""`whyno import FILE`: load a CRM export into the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from whyno.cli.common import (
    TeamOpt,
    console,
    err_console,
    open_store,
    print_json,
    progress_bar,
    team_id,
)
from whyno.errors import InputError
from whyno.ingest.crm import ImportOptions, ImportRejected, ImportResult, import_crm_csv
from whyno.ingest.dialects import CANONICAL_FIELDS

SHOWN_PROBLEMS = 50


def import_cmd(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV export (Salesforce, HubSpot, Pipedrive, Zoho or any CSV).")
    ],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help=f"HEADER=FIELD, repeatable. Fields: {', '.join(CANONICAL_FIELDS)}; "
            "FIELD '-' ignores the column.",
        ),
    ] = None,
    dialect: Annotated[
        str | None,
        typer.Option(help="salesforce, hubspot, pipedrive, zoho or csv (default: detected)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Name of the system the ids come from (default: the dialect)."),
    ] = None,
    dayfirst: Annotated[
        bool, typer.Option("--dayfirst", help="Read 03/04/2024 as 3 April, not March 4.")
    ] = False,
    encoding: Annotated[str, typer.Option(help="File encoding.")] = "utf-8-sig",
    delimiter: Annotated[
        str | None, typer.Option(help="Field delimiter (default: detected).")
    ] = None,
    lost_stage: Annotated[
        list[str] | None,
        typer.Option("--lost-stage", help="A stage name that means lost (repeatable)."),
    ] = None,
    won_stage: Annotated[
        list[str] | None,
        typer.Option("--won-stage", help="A stage name that means won (repeatable)."),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Import the valid rows; write invalid ones to the rejects file."
        ),
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Rejects CSV (default: ./<file>.rejects.csv).")
    ] = None,
    problems: Annotated[
        Path | None,
        typer.Option(
            help="Problems CSV when the file is refused (default: ./<file>.problems.csv)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, write nothing.")
    ] = False,
    team: TeamOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import a CRM export: every lost deal becomes a no. Safe to run again."""
    options = ImportOptions(
        team_id=team_id(ctx, team),
        dialect=dialect,
        mapping=_parse_mapping(mapping or []),
        source=source,
        dayfirst=dayfirst,
        encoding=encoding,
        delimiter=delimiter,
        lost_stages=tuple(lost_stage or ()),
        won_stages=tuple(won_stage or ()),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        rejects_path=rejects or Path(f"{file.stem}.rejects.csv"),
        problems_path=None if skip_invalid else problems or Path(f"{file.stem}.problems.csv"),
    )
    store = open_store(ctx)
    try:
        with progress_bar(not as_json, "importing") as tick:
            result = import_crm_csv(store, file, options, progress=tick)
    except ImportRejected as exc:
        _report(exc.result, as_json)
        raise
    _report(result, as_json)


def _parse_mapping(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        header, sep, target = item.rpartition("=")
        if not sep or not header.strip():
            raise InputError(
                f'--map {item!r}: write it as HEADER=FIELD, e.g. --map "Lost To=competitor"'
            )
        mapping[header.strip()] = target.strip()
    return mapping


def _report(result: ImportResult, as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_row("file", escape(result.path))
    table.add_row("dialect / source", f"{result.dialect} / {escape(result.source)}")
    table.add_row("rows read", str(result.read))
    for name in ("imported", "updated", "unchanged", "rejected"):
        table.add_row(name, str(getattr(result, name)))
    table.add_row("lost deals (no's)", str(result.nos))
    if result.blank_lines:
        table.add_row("blank lines skipped", str(result.blank_lines))
    console.print(table)
    _report_problems(result)
    if result.written:
        console.print("[green]Saved.[/green]")
    elif not result.problem_count:
        console.print("[yellow]Dry run: nothing was written.[/yellow]")


def _report_problems(result: ImportResult) -> None:
    if not result.problems:
        return
    table = Table("row", "column", "value", "problem", title="Problems", title_justify="left")
    for p in result.problems[:SHOWN_PROBLEMS]:
        table.add_row(str(p.row), escape(p.column), escape(p.value[:40]), escape(p.message))
    err_console.print(table)
    if result.problem_count > SHOWN_PROBLEMS:
        err_console.print(f"... and {result.problem_count - SHOWN_PROBLEMS} more.")
    for label, path in (
        ("Rejected rows", result.rejects_path),
        ("All problems", result.problems_path),
    ):
        if path:
            err_console.print(f"{label} written to {escape(path)}")
