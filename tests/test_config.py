from __future__ import annotations

from pathlib import Path

import pytest

from whyno.config import Settings, database_url_from, load_settings


def test_default_database_lives_in_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WHYNO_DATABASE_URL", raising=False)
    monkeypatch.setenv("WHYNO_HOME", str(tmp_path))
    assert load_settings().resolved_database_url() == f"sqlite:///{tmp_path / 'whyno.db'}"


def test_environment_and_explicit_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHYNO_DATABASE_URL", "postgresql://u:p@db/whyno")
    assert load_settings().resolved_database_url() == "postgresql+psycopg://u:p@db/whyno"
    assert load_settings("other.db").resolved_database_url().endswith("/other.db")


def test_paths_become_sqlite_urls(tmp_path: Path) -> None:
    assert database_url_from(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    assert database_url_from("postgres://x@h/d") == "postgresql+psycopg://x@h/d"
    assert database_url_from("sqlite:///:memory:") == "sqlite:///:memory:"
    assert Settings(home=tmp_path).resolved_database_url().startswith("sqlite:///")
