from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from whyno.demo import DemoResult, build_demo, company, write_demo_export
from whyno.demo.simulate import HEADERS


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    path = tmp_path_factory.mktemp("demo") / "export.csv"
    write_demo_export(path, seed=7)
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_company(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    write_demo_export(a, seed=1)
    write_demo_export(b, seed=1)
    write_demo_export(c, seed=2)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_shape_of_the_company(export: list[dict[str, str]]) -> None:
    assert list(export[0]) == list(HEADERS)
    assert 3000 <= len(export) <= 6000
    assert len({r["Deal owner"] for r in export}) == 8
    assert {r["Competitor"] for r in export} - {""} == set(company.COMPETITORS)
    assert {r["Industry"] for r in export} == set(company.INDUSTRIES)
    months = {r["Create Date"][:7] for r in export}
    assert len(months) == company.MONTHS


def _lost(export: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in export if r["Deal Stage"] == "Closed Lost"]


def _month(row: dict[str, str]) -> int:
    year, month = int(row["Close Date"][:4]), int(row["Close Date"][5:7])
    return (year - company.START.year) * 12 + month - company.START.month + 1


def _share(rows: list[dict[str, str]], pattern: str) -> float:
    hits = sum(1 for r in rows if re.search(pattern, r["Lost Reason Details"], re.IGNORECASE))
    return hits / max(len(rows), 1)


def test_verbatims_vary_like_real_ones(export: list[dict[str, str]]) -> None:
    lost = _lost(export)
    details = [r["Lost Reason Details"] for r in lost]
    empty = sum(1 for d in details if not d) / len(details)
    assert 0.2 < empty < 0.5  # many no's come with a picklist value or nothing at all
    written = [d for d in details if d]
    assert len(set(written)) > 0.4 * len(written)  # no canned repetition
    only_picklist = sum(1 for r in lost if r["Closed Lost Reason"] and not r["Lost Reason Details"])
    assert only_picklist > 0.1 * len(lost)


def test_the_story_is_in_the_data(export: list[dict[str, str]]) -> None:
    lost = _lost(export)
    before_cut = [r for r in lost if _month(r) < company.PRICE_CUT_MONTH]
    after_cut = [r for r in lost if _month(r) >= company.PRICE_CUT_MONTH]
    assert _share(after_cut, "dispatchl") > 2 * _share(before_cut, "dispatchl")
    qbo = r"quickbooks|\bqbo\b|\bqb\b"
    before_ship = [r for r in lost if _month(r) < company.INTEGRATION_SHIPPED_MONTH]
    after_ship = [r for r in lost if _month(r) >= company.INTEGRATION_SHIPPED_MONTH]
    assert _share(before_ship, qbo) > 0.04
    assert _share(after_ship, qbo) == 0
    frozen = [r for r in lost if r["Industry"] == company.FREEZE_INDUSTRY]
    before = [r for r in frozen if _month(r) < company.FREEZE_MONTH]
    after = [r for r in frozen if _month(r) >= company.FREEZE_MONTH]
    assert _share(after, "freeze|frozen|hold") > 3 * _share(before, "freeze|frozen|hold")


def test_the_two_sellers_behave_differently(export: list[dict[str, str]]) -> None:
    closed = [r for r in export if r["Deal Stage"] in ("Closed Won", "Closed Lost")]
    wins = Counter(r["Deal owner"] for r in closed if r["Deal Stage"] == "Closed Won")
    totals = Counter(r["Deal owner"] for r in closed)
    rate = {seller: wins[seller] / totals[seller] for seller in totals}
    assert rate[company.NO_SELLER] == max(rate.values())
    assert rate[company.PUSHY_SELLER] == min(rate.values())
    ours = Counter(r["Deal owner"] for r in _lost(export) if r["Ended By"] == "us")
    assert ours.most_common(1)[0][0] == company.NO_SELLER


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return build_demo(tmp_path_factory.mktemp("demo-built"))


def test_the_report_tells_the_story_without_being_told(built: DemoResult) -> None:
    html = built.report.read_text(encoding="utf-8")
    assert html.count("<svg") >= 5
    findings = "\n".join(built.findings)
    assert "[the market] Competitor rose" in findings
    assert "No budget (industry: Property Management) rose" in findings
    assert "[our product] Integration fell" in findings
    assert "Dispatchly" in html  # the competitor named most in the recent no's


def test_build_demo_makes_a_fresh_catalog(tmp_path: Path, built: DemoResult) -> None:
    again = build_demo(built.workspace)
    assert again.stats == built.stats  # rebuilt, not imported on top
    first = build_demo(tmp_path, seed=3)
    stats = first.stats
    assert stats["sellers"] == 8
    assert stats["nos"] == stats["lost"] > 1500
    assert 0.05 < stats["learning_gaps"] / stats["nos"] < 0.5
    assert first.imported.rejected == 0


def test_the_calls_are_stored_linked_and_show_what_goes_with_winning(built: DemoResult) -> None:
    assert (built.calls.read, built.calls.imported, built.calls.rejected) == (140, 140, 0)
    assert built.calls.linked == 140
    verdicts = {f.behaviour: f.verdict for f in built.insights.findings}
    assert verdicts["label"] == "goes with winning"
    assert verdicts["calibrated_questions"] == "goes with winning"
    page = built.notes.read_text(encoding="utf-8")
    assert page.count('class="call"') == 3
