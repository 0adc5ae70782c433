"""Bulk inserts for imports: COPY on PostgreSQL, a DBAPI executemany on SQLite.

Both run on the caller's connection, inside its transaction, and skip
SQLAlchemy's per-row parameter processing, which costs more than the database
itself at a million rows. Values are converted here exactly as SQLAlchemy's
types store them (a test reads them back through the ORM).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Connection, Date, DateTime, Table


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the caller's transaction."""
    if not rows:
        return
    columns = list(rows[0])
    converters = [
        (i, convert)
        for i, name in enumerate(columns)
        if (convert := _converter(table, name)) is not None
    ]
    values = (_converted([row[name] for name in columns], converters) for row in rows)
    names = ", ".join(f'"{name}"' for name in columns)
    driver = connection.connection.driver_connection
    assert driver is not None
    if connection.dialect.name == "postgresql":
        statement = f'COPY "{table.name}" ({names}) FROM STDIN'
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cursor = driver.cursor()
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', values)
    finally:
        cursor.close()


def _converted(values: list[Any], converters: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    for index, convert in converters:
        if values[index] is not None:
            values[index] = convert(values[index])
    return values


def _converter(table: Table, name: str) -> Callable[[Any], Any] | None:
    """How SQLAlchemy's type for this column stores a Python value (None: as it is)."""
    kind = table.c[name].type
    if isinstance(kind, JSON):
        return json.dumps
    if isinstance(kind, DateTime):
        return _timestamp
    if isinstance(kind, Date):
        return dt.date.isoformat
    return None


@lru_cache(maxsize=64)
def _timestamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def bulk_lookup(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    key: str,
    values: Sequence[Any],
    where: dict[str, Any] | None = None,
) -> list[tuple[Any, ...]]:
    """``SELECT columns FROM table WHERE key IN values [AND col = value ...]``, in chunks.

    On PostgreSQL the values go as one array parameter (``= ANY``); on SQLite as
    chunks of placeholders. Either way SQLAlchemy compiles nothing per call.
    """
    if not values:
        return []
    driver = connection.connection.driver_connection
    assert driver is not None
    names = ", ".join(f'"{c}"' for c in columns)
    extra = list((where or {}).items())
    postgres = connection.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    filters = "".join(f' AND "{c}" = {mark}' for c, _ in extra)
    found: list[tuple[Any, ...]] = []
    cursor = driver.cursor()
    try:
        if postgres:
            sql = f'SELECT {names} FROM "{table.name}" WHERE "{key}" = ANY(%s){filters}'
            cursor.execute(sql, [list(values), *(v for _, v in extra)])
            found.extend(cursor.fetchall())
            return found
        for start in range(0, len(values), 500):
            chunk = list(values[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            sql = f'SELECT {names} FROM "{table.name}" WHERE "{key}" IN ({marks}){filters}'
            cursor.execute(sql, [*chunk, *(v for _, v in extra)])
            found.extend(cursor.fetchall())
    finally:
        cursor.close()
    return found
