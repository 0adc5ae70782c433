from __future__ import annotations

import json

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
