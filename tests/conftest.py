"""Fixtures: a fresh store per test, on SQLite and (when configured) PostgreSQL.

PostgreSQL tests run against the real server named by WHYNO_TEST_POSTGRES_URL
(`.ci/run` starts one). Under CI the variable is required: a missing server
fails the run instead of silently skipping half the suite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from whyno.config import database_url_from
from whyno.store import Store

PG_ENV = "WHYNO_TEST_POSTGRES_URL"
TABLES = (
    "utterances",
    "conversations",
    "reason_labels",
    "nos",
    "deals",
    "contacts",
    "accounts",
    "sellers",
    "audit_log",
    "api_tokens",
    "users",
    "teams",
)


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not os.environ.get(PG_ENV):
        raise pytest.UsageError(f"CI is set but {PG_ENV} is not: start PostgreSQL (see .ci/run)")


def _postgres_url() -> str | None:
    raw = os.environ.get(PG_ENV)
    return database_url_from(raw) if raw else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database with an empty public schema, once per test session."""
    url = _postgres_url()
    if url is None:
        pytest.skip(f"set {PG_ENV} to run the PostgreSQL tests")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'whyno.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated, empty store."""
    opened = Store.open(db_url)
    if opened.dialect == "postgresql":
        with opened.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
            connection.execute(  # the default team the CLI writes to, as migration 0003 made it
                text(
                    "INSERT INTO teams (name, data_version, created_at) "
                    "VALUES ('default', 0, now())"
                )
            )
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(str(tmp_path / "whyno.db"))
    yield opened
    opened.close()
