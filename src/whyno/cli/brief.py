"""`whyno brief`: the honest pre-call brief for one prospect."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from whyno.brief.brief import load_prospect, make_brief
from whyno.brief.profile import load_profile
from whyno.cli.common import console, open_store, print_json


def brief_cmd(
    ctx: typer.Context,
    prospect: Annotated[
        str,
        typer.Argument(metavar="PROSPECT", help="A YAML/JSON file, or an account in the catalog."),
    ],
    profile: Annotated[Path, typer.Option(help="The product profile YAML.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Why this prospect might not want to buy from us, what to ask, and how to say it."""
    store = open_store(ctx)
    result = make_brief(load_profile(profile), load_prospect(prospect, store), store)
    if as_json:
        print_json(result)
        return
    colour = {"fit": "green", "risky": "yellow", "not a fit": "red"}[result.verdict]
    console.print(f"[bold]{escape(result.prospect)}[/bold]: [{colour}]{result.verdict}[/{colour}]")
    if result.reasons:
        console.print("\n[bold]Why they might not want us[/bold] (strongest first)")
        for r in result.reasons:
            console.print(
                f"  • {escape(r.text)} [dim]({r.strength}; {escape(r.evidence)}; {r.source})[/dim]"
            )
    if result.better_options:
        console.print("\n[bold]Who may serve them better[/bold]")
        for line in result.better_options:
            console.print(f"  • {escape(line.text)} [dim]({line.source})[/dim]")
    if result.questions:
        console.print("\n[bold]Skeptical questions[/bold]")
        for line in result.questions:
            console.print(f"  • {escape(line.text)} [dim]({line.source})[/dim]")
    if result.talk_tracks:
        console.print("\n[bold]Talk tracks[/bold]")
        for line in result.talk_tracks:
            console.print(f"  {escape(f'[{line.style}]')} {escape(line.text)}")
    if result.lessons:
        lessons = ", ".join(f"{c} {n}" for c, n in result.lessons)
        scope = escape(result.lessons_scope)
        console.print(f"\n[bold]Why similar prospects said no[/bold] ({scope}): {lessons}")
