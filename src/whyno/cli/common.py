"""Shared bits of the CLI: consoles, opening the store, parsing option values."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from whyno.accounts.users import team_id_for
from whyno.config import Settings, load_settings
from whyno.encoding import dumps
from whyno.errors import InputError, NotFoundError
from whyno.store.models import DEFAULT_TEAM_ID
from whyno.store.store import Store
from whyno.values import ValueProblem, parse_date

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def settings(ctx: typer.Context) -> Settings:
    """The settings, with the --db given to the root command."""
    obj: dict[str, Any] = ctx.find_root().obj or {}
    return load_settings(obj.get("db"))


TeamOpt = Annotated[
    str | None,
    typer.Option(
        "--team",
        help="The team on the team server this data belongs to (default: the default team).",
    ),
]


def team_id(ctx: typer.Context, name: str | None) -> int:
    """The id of the team named ``name`` (an existing one), or the default team's."""
    if name is None:
        return DEFAULT_TEAM_ID
    with open_store(ctx).engine.connect() as connection:
        try:
            return team_id_for(connection, name, create=False)
        except NotFoundError:
            raise InputError(
                f"--team {name!r}: no such team; a team is made with its first user "
                "(`whyno user add NAME --team TEAM`)"
            ) from None


def existing_store(ctx: typer.Context) -> Store | None:
    """The workspace's store when its database exists (a SQLite file is never created here)."""
    url = settings(ctx).resolved_database_url()
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
    if path is not None and not Path(path).is_file():
        return None
    return open_store(ctx)


def open_store(ctx: typer.Context) -> Store:
    """The store named by --db, WHYNO_DATABASE_URL, or the default workspace."""
    store = Store.open(settings=settings(ctx))
    ctx.find_root().call_on_close(store.close)
    return store


@contextmanager
def progress_bar(show: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A (done, total) callback drawing a bar on stderr, or None off a terminal."""
    if not show or not err_console.is_terminal:
        yield None
        return
    columns = ("{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


def date_option(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    if value.lower() == "today":
        return dt.date.today()
    try:
        return parse_date(value)
    except ValueProblem as exc:
        raise InputError(f"{flag} {value!r}: {exc}") from None


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colours or wrapping, for scripts)."""
    sys.stdout.write(dumps(data, indent=2) + "\n")
