"""The Store: the catalog's database, opened and migrated in one call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from whyno.config import Settings, database_url_from, load_settings
from whyno.errors import WhynoError
from whyno.store import migrate
from whyno.store.engine import make_engine
from whyno.store.models import AuditEntry


class Store:
    """The catalog database. ``Store.open()`` creates and migrates it if needed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        settings: Settings | None = None,
        pool_size: int | None = None,
    ) -> Store:
        """Open (and migrate) the store at ``url``, a SQLite path or a database URL.

        Without a URL, the settings decide (WHYNO_DATABASE_URL, else
        ``<WHYNO_HOME>/whyno.db``). ``pool_size``: see :func:`make_engine`.
        """
        if url is not None:
            resolved = database_url_from(url)
        else:
            resolved = (settings or load_settings()).resolved_database_url()
        store = cls(make_engine(resolved, pool_size))
        try:
            with store.engine.connect():
                pass
        except OperationalError as exc:
            store.close()
            raise WhynoError(
                f"cannot open the database {store.url}: {_first_line(exc)}. Check that the "
                "server runs and the URL, user and password are right (--db or "
                "WHYNO_DATABASE_URL)."
            ) from None
        try:
            store.migrate()
        except DBAPIError as exc:
            store.close()
            raise WhynoError(
                f"cannot set up whyno's tables in {store.url}: {_first_line(exc)}. "
                "Use an empty database (or one whyno created) for the catalog."
            ) from None
        return store

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema up to date (a no-op when it already is)."""
        if migrate.current_revision(self.engine) != migrate.head_revision():
            migrate.upgrade(self.engine)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A Core connection in one transaction: committed on success, rolled back on error."""
        with self.engine.begin() as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


def audit(
    connection: Connection,
    action: str,
    *,
    actor: str = "cli",
    entity: str | None = None,
    entity_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry to the audit log inside the caller's transaction."""
    connection.execute(
        insert(AuditEntry).values(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            detail=detail,
        )
    )
