"""`whyno demo`: build the demo company and show what is in its catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from whyno.cli.common import console, print_json
from whyno.demo import DEFAULT_SEED, build_demo


def demo_cmd(
    out: Annotated[
        Path, typer.Option(help="Workspace folder for the demo (rebuilt each time).")
    ] = Path("whyno-demo"),
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same company.")
    ] = DEFAULT_SEED,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Build Larkspur (a fictional company), classify its no's, analyse them, write the report."""
    with console.status("Building the demo company…") if not as_json else _null():
        result = build_demo(out, seed)
    if as_json:
        print_json(
            {
                "workspace": str(result.workspace),
                "database": str(result.database),
                "export": str(result.export),
                "stats": result.stats,
            }
        )
        return
    s = result.stats
    console.print(f"[bold]Larkspur[/bold] demo catalog: {escape(str(result.database))}")
    console.print(f"  CRM export imported: {escape(str(result.export))}")
    console.print(
        f"  {s['deals']} deals ({s['won']} won, {s['lost']} lost, {s['open']} open) "
        f"by {s['sellers']} sellers with {s['accounts']} accounts, "
        f"{s['first_no']} to {s['last_no']}"
    )
    console.print(
        f"  {s['nos']} no's: {s['nos_with_reason']} with an understood reason, "
        f"[yellow]{s['learning_gaps']} learning gaps[/yellow] (no reason we can use)"
    )
    ended = ", ".join(f"{k} {v}" for k, v in s["ended_by"].items())
    console.print(f"  who ended it: {ended}")
    top = ", ".join(f"{category} {count}" for category, count in result.reasons[:6])
    console.print(f"  main reasons (whyno reasons apply): {top}")
    console.print("[bold]What changed[/bold] (found by whyno trends, not told):")
    for line in result.findings[:9]:
        console.print(f"  • {escape(line)}")
    calls = result.calls
    console.print(
        f"[bold]Calls[/bold] (whyno coach import): {calls.imported} reviewed, "
        f"{calls.linked} linked to their deals by file name, {calls.nos_enriched} no's "
        f"without a reason explained by a call, {calls.nos_added} no's added"
    )
    console.print("[bold]What goes with winning here[/bold] (whyno coach insights):")
    for f in result.insights.findings:
        if f.verdict in ("goes with winning", "goes with losing") and f.difference is not None:
            console.print(
                f"  • {escape(f.label)}: {f.verdict}, win rate {f.difference:+.0%} "
                f"({f.low:+.0%} to {f.high:+.0%}), {f.with_deals} deals with it, "
                f"{f.without_deals} without"
            )
    console.print(f"[bold green]Report:[/bold green] {escape(str(result.report.resolve()))}")
    console.print(f"[bold green]Call notes:[/bold green] {escape(str(result.notes.resolve()))}")
    console.print("Look around:  whyno --db " + escape(str(result.database)) + " trends")


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        return None
