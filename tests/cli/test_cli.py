from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import CRM, write_csv
from whyno.cli import app
from whyno.store import migrate

runner = CliRunner()


def run(db: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args], input=input, env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


@pytest.fixture
def db(db_url: str, store: object) -> str:
    """A database URL whose store is migrated and empty (on both backends)."""
    return db_url


def test_import_prints_a_summary_and_is_idempotent(db: str) -> None:
    code, out, _ = run(db, "import", str(CRM / "hubspot.csv"), "--json")
    assert code == 0
    first = json.loads(out)
    assert (first["read"], first["imported"], first["nos"], first["written"]) == (4, 4, 2, True)
    code, out, _ = run(db, "import", str(CRM / "hubspot.csv"))
    assert code == 0
    assert "unchanged" in out and "Saved." in out
    _, out, _ = run(db, "stats", "--json")
    stats = json.loads(out)
    assert (stats["deals"], stats["nos"], stats["nos_with_reason"]) == (4, 2, 1)


def test_import_refuses_a_bad_file_with_every_problem(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = write_csv(
        tmp_path / "bad.csv",
        ["Id", "Stage", "Amount", "Close Date"],
        [
            ["1", "Closed Lost", "x1", "2024-01-01"],
            ["2", "Closed Lost", "5", "13/45/2024"],
            ["3", "Closed Lost", "5", "2024-01-01"],
        ],
    )
    code, _, err = run(db, "import", str(bad))
    assert code == 2
    assert "2 of 3 rows are invalid" in err and "nothing was imported" in err
    assert "Amount" in err and "Close Date" in err and "x1" in err
    assert "Traceback" not in err
    assert (tmp_path / "bad.problems.csv").exists()
    _, out, _ = run(db, "stats", "--json")
    assert json.loads(out)["deals"] == 0
    code, out, err = run(db, "import", str(bad), "--skip-invalid")
    assert code == 0
    assert "Rejected rows written to bad.rejects.csv" in err
    assert (tmp_path / "bad.rejects.csv").read_text(encoding="utf-8").count("\n") == 3


def test_import_with_map(db: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["Ref", "Phase", "Why"], [["a", "Lost", "too pricey"]])
    code, _, err = run(db, "import", str(path))
    assert code == 2 and "--map" in err
    code, out, _ = run(
        db,
        "import",
        str(path),
        "--map",
        "Ref=id",
        "--map",
        "Phase=stage",
        "--map",
        "Why=loss_notes",
        "--json",
    )
    assert code == 0 and json.loads(out)["nos"] == 1
    code, _, err = run(db, "import", str(path), "--map", "Ref")
    assert code == 2 and "HEADER=FIELD" in err


def test_import_of_a_missing_file(db: str) -> None:
    code, _, err = run(db, "import", "/nonexistent/deals.csv")
    assert code == 2 and "no such file" in err and "Traceback" not in err


def test_log_list_show_and_export(db: str, tmp_path: Path) -> None:
    code, out, _ = run(
        db,
        "log",
        "--deal",
        "Acme",
        "--seller",
        "Sam",
        "--ended-by",
        "them",
        "--reason",
        "=cmd|' /C calc'!A0",
        "--amount",
        "$1,200",
        "--date",
        "2024-05-01",
    )
    assert code == 0 and "Logged no #1" in out
    code, out, _ = run(db, "log", "--deal", "Quiet", "--ended-by", "silent", "--date", "5/2/2024")
    assert code == 0
    _, out, _ = run(db, "list", "--json", "--no-reason")
    listed = json.loads(out)
    assert listed["count"] == 1 and listed["data"][0]["deal"] == "Quiet"
    _, out, _ = run(db, "list", "--seller", "Sam")
    assert "Acme" in out and "1 of 1 no's shown" in out
    _, out, _ = run(db, "show", "1", "--json")
    shown = json.loads(out)
    assert (shown["no"]["amount"], shown["no"]["currency"]) == (1200.0, "USD")
    target = tmp_path / "nos.csv"
    code, _, err = run(db, "export", "--out", str(target))
    assert code == 0 and "2 no's written" in err
    assert "'=cmd|' /C calc'!A0" in target.read_text(encoding="utf-8")
    code, out, _ = run(db, "export", "--format", "json", "--since", "2024-05-02")
    assert [row["deal"] for row in json.loads(out)] == ["Quiet"]


def test_log_asks_in_a_terminal_and_refuses_without_one(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(db, "log")
    assert code == 2 and "--deal NAME" in err
    monkeypatch.setattr("whyno.cli.nos._interactive", lambda: True)
    answers = "Globex deal\nGlobex\nAna\nthem\nwent with Initech\nInitech\n"
    code, out, _ = run(db, "log", input=answers)
    assert code == 0 and "Logged no #1" in out
    _, out, _ = run(db, "show", "1", "--json")
    shown = json.loads(out)["no"]
    assert (shown["deal"], shown["seller"], shown["competitor"]) == (
        "Globex deal",
        "Ana",
        "Initech",
    )


def test_user_errors_exit_cleanly(db: str) -> None:
    for args, message in [
        (["show", "42"], "no no with id 42"),
        (["list", "--since", "someday"], "--since 'someday'"),
        (["list", "--ended-by", "maybe"], "use them, us or silent"),
        (["log", "--deal", "x", "--amount", "lots"], "--amount 'lots'"),
        (["export", "--format", "xlsx"], "use csv, json or jsonl"),
    ]:
        code, _, err = run(db, *args)
        assert code != 0, args
        assert message in err, (args, err)
        assert "Traceback" not in err


def test_db_info(db: str) -> None:
    code, out, _ = run(db, "db", "info")
    assert code == 0 and f"schema:   {migrate.head_revision()}" in out


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("whyno ")
