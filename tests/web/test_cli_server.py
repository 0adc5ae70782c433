"""`whyno user add` and `whyno serve`'s refusals (no secret, no extra)."""

from __future__ import annotations

import builtins
from typing import Any

import pytest
from typer.testing import CliRunner

from whyno.accounts.users import authenticate
from whyno.cli import app
from whyno.store import Store


def test_user_add_creates_the_first_admin(db_url: str, store: Store) -> None:
    result = CliRunner().invoke(
        app,
        ["--db", db_url, "user", "add", "Ada", "--role", "admin", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added ada (admin in default)" in result.output
    user = authenticate(store, "ada", "a long enough password")
    assert user is not None and user.role == "admin" and user.team_id == 1


def test_user_add_refuses_a_short_password(db_url: str, store: Store) -> None:
    result = CliRunner().invoke(
        app, ["--db", db_url, "user", "add", "bo", "--password-stdin"], input="short\n"
    )
    assert result.exit_code == 2 and "too short" in result.output


def test_a_seller_is_linked_to_their_seller_name(db_url: str, store: Store) -> None:
    CliRunner().invoke(
        app,
        ["--db", db_url, "user", "add", "sam", "--seller", "Sam Lee", "--password-stdin"],
        input="a long enough password\n",
    )
    user = authenticate(store, "sam", "a long enough password")
    assert user is not None and (user.role, user.seller_name) == ("seller", "Sam Lee")


def test_serve_refuses_to_start_without_a_secret(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WHYNO_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["--db", db_url, "serve"])
    assert result.exit_code == 2 and "WHYNO_SECRET_KEY" in result.output


def test_serve_refuses_a_default_secret(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHYNO_SECRET_KEY", "changeme")
    result = CliRunner().invoke(app, ["--db", db_url, "serve"])
    assert result.exit_code == 2 and "never a default" in result.output


def test_serve_without_the_server_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_fastapi(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "fastapi":
            raise ImportError("No module named 'fastapi'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fastapi)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 4 and "whyno[server]" in result.output
