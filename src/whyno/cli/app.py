"""The Typer application: global options, error handling, command registration."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from whyno import __version__
from whyno.cli import (
    brief,
    coach,
    db,
    demo,
    followup,
    imports,
    nos,
    reasons,
    report,
    server,
    trends,
)
from whyno.cli.common import err_console
from whyno.errors import WhynoError


class _Group(TyperGroup):
    """Turns whyno's errors into a one-line message and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except WhynoError as exc:
            err_console.print(f"[bold red]Error:[/bold red] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    help="whyno: go for the no, take no for an answer, and learn why.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"whyno {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    db_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database: a SQLite file path or a postgresql:// URL "
            "(default: WHYNO_DATABASE_URL, else ~/.whyno/whyno.db).",
            metavar="URL",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = {"db": db_url}


app.command("import")(imports.import_cmd)
app.command("log")(nos.log_cmd)
app.command("list")(nos.list_cmd)
app.command("show")(nos.show_cmd)
app.command("stats")(nos.stats_cmd)
app.command("export")(nos.export_cmd)
app.command("trends")(trends.trends_cmd)
app.command("report")(report.report_cmd)
app.command("brief")(brief.brief_cmd)
app.command("revisit")(followup.revisit_cmd)
app.command("resolved")(followup.resolved_cmd)
app.command("consent")(followup.consent_cmd)
app.command("forget")(followup.forget_cmd)
app.command("pipeline")(followup.pipeline_cmd)
app.command("demo")(demo.demo_cmd)
app.command("serve")(server.serve_cmd)
app.add_typer(reasons.app, name="reasons")
app.add_typer(coach.app, name="coach")
app.add_typer(db.app, name="db")
app.add_typer(server.app, name="user")


def main() -> None:
    app()
