"""Engine construction: SQLite tuned for a CLI and a web server side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from whyno.errors import InputError, MissingExtraError


def make_engine(url: str, pool_size: int | None = None) -> Engine:
    """Create an engine for ``url`` (SQLite or PostgreSQL).

    ``pool_size``: PostgreSQL connections kept open, for a server (many threads
    want more than the default 5, or it opens and closes one per request). A
    server's connections are not pinged before each use (a round trip per
    query); they are recycled hourly, and a lost server invalidates the pool.

    SQLite gets WAL mode (readers and one writer at once), foreign keys, a busy
    timeout and secure_delete (erased data is overwritten, not left in pages).
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if backend == "postgresql":
        _require_psycopg(parsed.get_driver_name())
        if pool_size is None:
            return create_engine(url, pool_pre_ping=True)
        return create_engine(
            url, pool_size=pool_size, max_overflow=pool_size // 2, pool_recycle=3600
        )
    raise InputError(
        f"unsupported database URL {parsed.render_as_string(hide_password=True)!r}: "
        "use a SQLite path (whyno.db) or postgresql://user:password@host/dbname"
    )


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def _require_psycopg(driver: str) -> None:
    if driver not in ("psycopg", "psycopg2"):
        return
    module = "psycopg" if driver == "psycopg" else "psycopg2"
    try:
        __import__(module)
    except ImportError as exc:
        raise MissingExtraError("PostgreSQL", "postgres", module) from exc
