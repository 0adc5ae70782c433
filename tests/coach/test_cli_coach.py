from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import FIXTURES
from whyno.cli import app

CALLS = FIXTURES / "calls"


@pytest.fixture(autouse=True)
def home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """One model cache for every CLI run of this module."""
    monkeypatch.setenv("WHYNO_HOME", str(tmp_path_factory.getbasetemp() / "coach-home"))


def test_analyze_json_contract() -> None:
    result = CliRunner().invoke(
        app, ["coach", "analyze", str(CALLS / "discovery.vtt"), "--seller", "Sam Lee", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"utterances", "metrics"} <= set(data)
    for u in data["utterances"]:
        assert {"index", "speaker", "role", "text", "tags", "start"} <= set(u)
        assert u["role"] in ("seller", "buyer")
    assert data["utterances"][7]["reason_category"] == "market.budget"


def test_several_files_give_json_lines_in_order() -> None:
    files = [CALLS / "pushy.srt", CALLS / "plain.txt", CALLS / "zoom.json"]
    result = CliRunner().invoke(app, ["coach", "analyze", *map(str, files), "--json"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(f) for f in files]


def test_bad_transcript_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_text("just words\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["coach", "analyze", str(bad)])
    assert result.exit_code == 2 and "line 1" in result.stderr


def test_coach_import_then_insights_on_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    for name in ("discovery.vtt", "pushy.srt"):
        shutil.copy(CALLS / name, folder / name)
    db = str(tmp_path / "whyno.db")
    result = CliRunner().invoke(app, ["--db", db, "coach", "import", str(folder), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["nos_added"] == 2
    listed = CliRunner().invoke(app, ["--db", db, "list", "--json"])
    assert "money is really tight" in listed.stdout
    insights = CliRunner().invoke(app, ["--db", db, "coach", "insights", "--json"])
    assert insights.exit_code == 0, insights.stderr
    assert json.loads(insights.stdout)["enough_calls"] is False


def test_coach_import_of_a_broken_file_exits_2_and_names_it(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("[{", encoding="utf-8")
    db = str(tmp_path / "whyno.db")
    result = CliRunner().invoke(app, ["--db", db, "coach", "import", str(tmp_path)])
    assert result.exit_code == 2
    assert "bad.json" in result.stderr and "nothing was imported" in result.stderr


def test_coach_notes_json_and_html(tmp_path: Path) -> None:
    page = tmp_path / "notes.html"
    result = CliRunner().invoke(
        app,
        ["coach", "notes", str(CALLS / "pushy.srt"), "--seller", "Rep", "--html", str(page)],
    )
    assert result.exit_code == 0, result.stderr
    assert "The buyer said no" in result.stdout
    assert "pushed on" in page.read_text(encoding="utf-8")
    as_json = CliRunner().invoke(
        app, ["coach", "notes", str(CALLS / "pushy.srt"), "--seller", "Rep", "--json"]
    )
    calls = json.loads(as_json.stdout)
    assert [n["kind"] for n in calls[0]["notes"]] == [
        "pressure",
        "pushed_past_no",
        "reason_not_asked",
    ]
    assert calls[0]["notes"][1]["at"] == "00:06"


def test_analyze_takes_the_sellers_from_the_workspace_roster(tmp_path: Path) -> None:
    call = tmp_path / "call.txt"
    # The buyer opens and asks the questions, so the heuristic alone would get it wrong.
    call.write_text(
        "Kim: Can you tell me what this costs?\nRob: It starts at forty a month.\n"
        "Kim: Is there a free trial?\nRob: Yes, two weeks.\n",
        encoding="utf-8",
    )
    db = tmp_path / "whyno.db"
    args = ["--db", str(db), "coach", "analyze", str(call), "--json"]
    without = json.loads(CliRunner().invoke(app, args).stdout)
    assert not db.exists()  # analysing never creates a catalog
    assert without["utterances"][0]["role"] == "seller"
    logged = CliRunner().invoke(
        app, ["--db", str(db), "log", "--deal", "Acme", "--seller", "Rob", "--reason", "price"]
    )
    assert logged.exit_code == 0, logged.stderr
    roles = json.loads(CliRunner().invoke(app, args).stdout)["utterances"]
    assert [u["role"] for u in roles] == ["buyer", "seller", "buyer", "seller"]
