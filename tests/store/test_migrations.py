from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from whyno.store import Store, make_engine, migrate
from whyno.store.models import Base

TABLES = {
    "accounts",
    "alembic_version",
    "api_tokens",
    "audit_log",
    "contacts",
    "conversations",
    "deals",
    "nos",
    "reason_labels",
    "sellers",
    "teams",
    "users",
    "utterances",
}


def test_open_migrates_to_head(store: Store) -> None:
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    assert set(inspect(store.engine).get_table_names()) >= TABLES


def test_models_match_the_migrated_schema(store: Store) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(store: Store) -> None:
    migrate.downgrade(store.engine, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(store.engine)
    assert set(inspect(store.engine).get_table_names()) >= TABLES


def test_opening_twice_is_harmless(db_url: str) -> None:
    Store.open(db_url).close()
    with Store.open(db_url) as again:
        assert migrate.current_revision(again.engine) == migrate.head_revision()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "w.db")) as store, store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_sqlite_reader_and_writer_at_once(tmp_path: Path) -> None:
    """WAL lets a web server read while the CLI writes."""
    path = tmp_path / "shared.db"
    writer, reader = Store.open(str(path)), Store.open(str(path))
    with writer.engine.begin() as w:
        w.execute(text("INSERT INTO sellers (name, created_at) VALUES ('a', '2024-01-01')"))
        with reader.engine.connect() as r:
            assert r.execute(text("SELECT count(*) FROM sellers")).scalar() == 0
    with reader.engine.connect() as r:
        assert r.execute(text("SELECT count(*) FROM sellers")).scalar() == 1


def test_make_engine_refuses_unknown_databases() -> None:
    import pytest

    from whyno.errors import InputError

    with pytest.raises(InputError, match="unsupported database URL"):
        make_engine("mysql://u:p@localhost/db")


def test_unreachable_server_is_a_clear_error() -> None:
    import pytest

    from whyno.errors import WhynoError

    with pytest.raises(WhynoError, match=r"cannot open the database .*Check that the server runs"):
        Store.open("postgresql://nobody:secret@127.0.0.1:1/none")


def test_foreign_tables_are_a_clear_error(tmp_path: Path) -> None:
    import sqlite3

    import pytest

    from whyno.errors import WhynoError

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE deals (x TEXT)")
    with pytest.raises(WhynoError, match=r"cannot set up whyno's tables .*already exists"):
        Store.open(str(path))
