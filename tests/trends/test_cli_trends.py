from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from tests.helpers import SYNTHETIC_AS_OF, synthetic_catalog
from whyno.cli import app
from whyno.store import Store
from whyno.trends.analysis import analyse

runner = CliRunner()


def test_trends_json_contract(store: Store, db_url: str, tmp_path: Path) -> None:
    synthetic_catalog(store, tmp_path / "deals.csv", seed=1, rising="Competitor")
    result = runner.invoke(app, ["--db", db_url, "trends", "--as-of", SYNTHETIC_AS_OF, "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["window"] == {"recent": "2026-07..2026-12", "baseline": "2025-07..2026-06"}
    assert data["findings"], "the injected rise must be found"
    for finding in data["findings"]:
        assert {
            "category",
            "direction",
            "recent_share",
            "baseline_share",
            "q_value",
            "period",
        } <= set(finding)
        assert finding["direction"] in ("up", "down") and finding["q_value"] <= 0.05
    top = [f for f in data["findings"] if f["segment"] is None]
    assert top[0]["category"] == "market.competitor" and top[0]["direction"] == "up"


def test_trends_quarter_and_table(store: Store, db_url: str, tmp_path: Path) -> None:
    synthetic_catalog(store, tmp_path / "deals.csv", seed=2, rising="Competitor")
    result = runner.invoke(
        app, ["--db", db_url, "trends", "--as-of", SYNTHETIC_AS_OF, "--period", "quarter", "--json"]
    )
    assert json.loads(result.stdout)["window"]["recent"] == "2026-Q3..2026-Q4"
    table = runner.invoke(
        app, ["--db", db_url, "trends", "--as-of", SYNTHETIC_AS_OF], env={"COLUMNS": "200"}
    )
    assert table.exit_code == 0 and "Competitor rose" in table.stdout


def test_trends_with_too_little_data(store: Store, db_url: str, tmp_path: Path) -> None:
    synthetic_catalog(store, tmp_path / "deals.csv", per_month=2)
    result = runner.invoke(app, ["--db", db_url, "trends", "--as-of", SYNTHETIC_AS_OF])
    assert result.exit_code == 0 and "Not enough evidence" in result.stdout
    data = json.loads(
        runner.invoke(app, ["--db", db_url, "trends", "--as-of", SYNTHETIC_AS_OF, "--json"]).stdout
    )
    assert data["enough_evidence"] is False and data["findings"] == []


def test_bad_period_is_refused(db_url: str, store: Store) -> None:
    result = runner.invoke(
        app, ["--db", db_url, "trends", "--as-of", SYNTHETIC_AS_OF, "--period", "week"]
    )
    assert result.exit_code == 2 and "use month or quarter" in result.stderr


def test_learning_gaps_and_segments(store: Store, tmp_path: Path) -> None:
    synthetic_catalog(store, tmp_path / "deals.csv", seed=3)
    analysis = analyse(store, today=dt.date.fromisoformat(SYNTHETIC_AS_OF))
    assert {g.key for g in analysis.gaps_by_seller} == {"Ann", "Bo"}
    assert set(analysis.segments) >= {"industry", "seller"}
    assert analysis.nos == sum(g.nos for g in analysis.gaps_by_month)
    for shares in analysis.revenue_series.values():
        assert abs(sum(shares.values()) - 1.0) < 1e-9
