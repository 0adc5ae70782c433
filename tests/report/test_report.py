from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SYNTHETIC_AS_OF, synthetic_catalog
from whyno.cli import app
from whyno.report.render import render_report
from whyno.store import Store
from whyno.trends.analysis import analyse

AS_OF = dt.date.fromisoformat(SYNTHETIC_AS_OF)


@pytest.fixture
def report(sqlite_store: Store, tmp_path: Path) -> Path:
    synthetic_catalog(sqlite_store, tmp_path / "deals.csv", seed=4, rising="Competitor")
    out = tmp_path / "report.html"
    out.write_text(render_report(analyse(sqlite_store, today=AS_OF), "Test <co>"), encoding="utf-8")
    return out


def test_report_is_self_contained_and_escaped(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "Test &lt;co&gt;" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert html.count("<svg") >= 3
    for section in ("what-to-change", "mix", "segments", "gaps", "last-wins", "method"):
        assert f'id="{section}"' in html
    assert "Competitor rose" in html
    assert "By lost revenue" in html and "By number of no's" in html


def test_report_command(db_url: str, store: Store, tmp_path: Path) -> None:
    synthetic_catalog(store, tmp_path / "deals.csv", seed=5, rising="Competitor")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        app,
        ["--db", db_url, "report", "--out", str(out), "--as-of", SYNTHETIC_AS_OF],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0 and "Report written to" in result.stdout
    assert out.stat().st_size > 5000


def test_report_renders_its_charts_in_chromium(report: Path) -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium for the browser tests (see .ci/run)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(report.as_uri())
        charts = page.locator("svg.chart")
        assert charts.count() >= 3
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 50
        assert page.locator("svg.chart rect").count() > 50  # the stacked mix has its bars
        assert page.get_by_text("What to change").is_visible()
        assert "<script>alert('x')</script>" in page.content().replace("&lt;", "<").replace(
            "&gt;", ">"
        )
        assert dialogs == []  # the verbatim's script never ran
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        browser.close()
    assert (ARTIFACTS / "report.png").stat().st_size > 20_000
