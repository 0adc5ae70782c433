"""Shared bits of the CLI: consoles, opening the store, parsing option values."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from whyno.config import Settings, load_settings
from whyno.errors import InputError
from whyno.store.store import Store
from whyno.values import ValueProblem, parse_date

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def settings(ctx: typer.Context) -> Settings:
    """The settings, with the --db given to the root command."""
    obj: dict[str, Any] = ctx.find_root().obj or {}
    return load_settings(obj.get("db"))


def cache_dir(ctx: typer.Context) -> Path:
    """Where trained reason models are cached (the workspace's cache folder)."""
    return settings(ctx).home / "cache"


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
    sys.stdout.write(json.dumps(data, default=_plain, ensure_ascii=False, indent=2) + "\n")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
