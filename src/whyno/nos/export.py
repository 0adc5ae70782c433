"""Export the catalog of no's to CSV or JSON, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, fields, replace
from typing import IO, Any, Literal

from whyno.encoding import dumps, plain
from whyno.nos.queries import NoFilter, NoRow, iter_nos
from whyno.store.store import Store

Format = Literal["csv", "json", "jsonl"]
# every NoRow field but do_not_contact: such no's are never exported
COLUMNS = [f.name for f in fields(NoRow) if f.name != "do_not_contact"]
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would evaluate, by quoting it with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_nos(
    store: Store, out: IO[str], fmt: Format = "csv", filter: NoFilter | None = None
) -> int:
    """Write the matching no's to ``out``; returns how many were written.

    Do-not-contact is enforced: no's of people who asked not to be contacted
    are never exported.
    """
    rows = iter_nos(store, replace(filter or NoFilter(), contactable_only=True))
    if fmt == "csv":
        return _write_csv(rows, out)
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    return _write_json(rows, out)


def _write_csv(rows: Iterable[NoRow], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(_cell(v)) for v in (asdict(row)[c] for c in COLUMNS)])
        count += 1
    return count


def _write_jsonl(rows: Iterable[NoRow], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(dumps(_exported(row)) + "\n")
        count += 1
    return count


def _write_json(rows: Iterable[NoRow], out: IO[str]) -> int:
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(dumps(_exported(row)))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _exported(row: NoRow) -> dict[str, Any]:
    data = asdict(row)
    return {column: data[column] for column in COLUMNS}


def _cell(value: Any) -> Any:
    return plain(value) if isinstance(value, dt.date) else value
