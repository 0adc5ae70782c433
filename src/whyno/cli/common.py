"""Shared bits of the CLI: consoles, opening the store, parsing option values."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import typer
from rich.console import Console

from whyno.config import load_settings
from whyno.errors import InputError
from whyno.ingest.values import ValueProblem, parse_date
from whyno.store.store import Store

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def open_store(ctx: typer.Context) -> Store:
    """The store named by --db, WHYNO_DATABASE_URL, or the default workspace."""
    root = ctx.find_root()
    obj: dict[str, Any] = root.obj or {}
    store = Store.open(settings=load_settings(obj.get("db")))
    root.call_on_close(store.close)
    return store


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
