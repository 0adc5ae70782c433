"""Issue 16: findings that do not cry wolf (complete periods, one family, plain counts)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from tests.helpers import SYNTHETIC_AS_OF, synthetic_catalog
from tests.trends.test_shifts import catalog
from whyno import stats
from whyno.cli import app
from whyno.nos.entry import NoEntry, log_no
from whyno.report.render import render_report
from whyno.store import Store
from whyno.store.models import No
from whyno.trends import periods
from whyno.trends.analysis import analyse
from whyno.trends.shifts import Counts, Slice, detect_shifts, windows

AS_OF = dt.date.fromisoformat(SYNTHETIC_AS_OF)
runner = CliRunner()


def test_a_null_catalog_of_fixed_seed_has_no_finding() -> None:
    report = detect_shifts(catalog(2026))
    assert report.enough_evidence and report.tests > 50
    assert report.findings == []


def test_the_recent_window_ends_at_the_last_complete_period() -> None:
    labels = ["2026-01", "2026-02", "2026-03", "2026-05", "2026-06"]
    window = windows(labels, "month", (2, 3), last_complete="2026-05")
    assert window is not None
    assert window.recent == ["2026-04", "2026-05"]  # a month with no no's is still a month
    assert window.baseline == ["2026-01", "2026-02", "2026-03"]
    assert window.partial == ["2026-06"]
    assert window.recents() == [["2026-05"], ["2026-04", "2026-05"]]


def test_a_no_dated_today_does_not_change_the_tested_window(
    sqlite_store: Store, tmp_path: Path
) -> None:
    synthetic_catalog(sqlite_store, tmp_path / "deals.csv", seed=6, rising="Competitor")
    today = dt.date(2027, 1, 2)
    before = analyse(sqlite_store, today=today)
    no_id = log_no(sqlite_store, NoEntry(deal="Today's deal", occurred_on=today, reason="price"))
    with sqlite_store.engine.begin() as connection:
        connection.execute(update(No).where(No.id == no_id).values(main_category="product.price"))
    after = analyse(sqlite_store, today=today)
    assert before.shifts.window is not None and after.shifts.window is not None
    assert (
        after.shifts.window.recent
        == before.shifts.window.recent
        == [f"2026-{m:02d}" for m in range(7, 13)]
    )
    assert after.shifts.window.partial == ["2027-01"]
    assert after.shifts.findings == before.shifts.findings
    assert after.shifts.tests == before.shifts.tests
    assert [(s.category, s.nos) for s in after.partial] == [("product.price", 1)]


def test_the_current_period_is_shown_but_not_tested(sqlite_store: Store, tmp_path: Path) -> None:
    synthetic_catalog(sqlite_store, tmp_path / "deals.csv", seed=6)
    mid_december = analyse(sqlite_store, today=dt.date(2026, 12, 15))
    assert mid_december.last_complete == "2026-11"
    assert mid_december.shifts.window is not None
    assert mid_december.shifts.window.recent[-1] == "2026-11"
    assert mid_december.shifts.window.partial == ["2026-12"]
    data = mid_december.trends_json()
    assert data["partial_periods"] == ["2026-12"] and data["last_complete"] == "2026-11"
    assert "Benjamini-Hochberg" in data["method"]


def test_last_wins_comparisons_are_in_the_same_family(sqlite_store: Store, tmp_path: Path) -> None:
    synthetic_catalog(sqlite_store, tmp_path / "deals.csv", seed=1, rising="Competitor")
    analysis = analyse(sqlite_store, today=AS_OF)
    alone = detect_shifts(analysis.slices, "month", last_complete=analysis.last_complete)
    assert alone.findings and analysis.shifts.findings
    # the last wins are recent in this catalog, so no comparison adds a test; the family
    # holds the shift tests, and the q-values are the same as when tested alone
    assert analysis.shifts.tests >= alone.tests
    assert {(f.category, str(f.segment)) for f in analysis.shifts.findings} <= {
        (f.category, str(f.segment)) for f in alone.findings
    }


def test_a_sudden_change_in_the_last_period_is_found_in_that_period() -> None:
    rng = random.Random(3)
    counts: Counts = {}
    quarters = [f"{y}-Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)]
    for quarter in quarters:
        for _ in range(150):
            weights = [3.0 if quarter == quarters[-1] else 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
            category = rng.choices(["product.price", "a", "b", "c", "d", "e"], weights)[0]
            n, revenue = counts.get((quarter, category), (0, 0.0))
            counts[(quarter, category)] = (n + 1, revenue)
    report = detect_shifts([Slice(None, None, counts)], "quarter")
    [finding] = [f for f in report.findings if f.category == "product.price"]
    assert finding.direction == "up" and finding.period == "2026-Q4" and finding.span == 1


def test_weighted_benjamini_hochberg() -> None:
    p = [0.001, 0.02, 0.03, 0.2]
    assert stats.weighted_benjamini_hochberg(p, [1.0] * 4) == stats.benjamini_hochberg(p)
    weights = stats.split_weights(["everyone", "segments", "segments", "segments"], {
        "everyone": 0.5, "segments": 0.5})  # fmt: skip
    assert weights == [2.0, 2 / 3, 2 / 3, 2 / 3] and abs(sum(weights) / 4 - 1) < 1e-12
    q = stats.weighted_benjamini_hochberg([0.02, 0.001, 0.5, 0.5], weights)
    assert q[0] < stats.benjamini_hochberg([0.02, 0.001, 0.5, 0.5])[0]  # more weight, less q


def test_periods() -> None:
    assert periods.step("2026-12", "month", 1) == "2027-01"
    assert periods.step("2026-Q1", "quarter", -1) == "2025-Q4"
    assert periods.between("2025-Q4", "2026-Q2", "quarter") == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert periods.of_date(dt.date(2026, 8, 31), "quarter") == "2026-Q3"
    assert periods.bounds("2026-Q1", "2026-Q2", "quarter") == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
    )
    assert periods.bounds("2026-12", "2026-12", "month") == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )


def test_small_catalogs_show_plain_counts_with_intervals(
    sqlite_store: Store, tmp_path: Path
) -> None:
    synthetic_catalog(sqlite_store, tmp_path / "deals.csv", per_month=2)
    analysis = analyse(sqlite_store, today=AS_OF)
    assert not analysis.shifts.enough_evidence
    assert analysis.mix and sum(s.nos for s in analysis.mix) > 0
    for share in analysis.mix:
        assert share.low <= share.share <= share.high
    html = render_report(analysis)
    assert 'id="counts"' in html and analysis.mix[0].label in html
    url = f"sqlite:///{tmp_path / 'small.db'}"
    synthetic_catalog(Store.open(url), tmp_path / "small.csv", per_month=2)
    result = runner.invoke(
        app, ["--db", url, "trends", "--as-of", SYNTHETIC_AS_OF], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.stderr
    assert "Not enough evidence" in result.stdout and "95% interval" in result.stdout
    data = json.loads(
        runner.invoke(app, ["--db", url, "trends", "--json", "--as-of", SYNTHETIC_AS_OF]).stdout
    )
    assert data["mix"] and {"category", "nos", "share", "low", "high"} <= set(data["mix"][0])


def test_a_bad_as_of_date_is_refused(sqlite_store: Store, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = runner.invoke(app, ["--db", url, "trends", "--as-of", "31/12/2026"])
    assert result.exit_code == 2 and "--as-of" in result.stderr
