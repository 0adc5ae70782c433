from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import write_csv
from whyno.followup.consent import set_status
from whyno.followup.pipeline import pipeline
from whyno.followup.resolved import resolved
from whyno.followup.revisit import Rules, named_date, revisit_date, revisit_queue
from whyno.ingest.crm import import_crm_csv
from whyno.store import Store
from whyno.store.models import No

D = dt.date(2026, 5, 10)


@pytest.mark.parametrize(
    ("category", "verbatim", "expected"),
    [
        ("market.budget", "", dt.date(2027, 1, 1)),
        ("market.timing", "ask again after Q3", dt.date(2026, 7, 1)),
        ("market.timing", "call me in 6 months", dt.date(2026, 11, 10)),
        ("market.timing", "maybe next spring", dt.date(2027, 3, 1)),
        ("market.timing", "after the migration in September 2026", dt.date(2026, 9, 1)),
        ("market.timing", "not now", dt.date(2026, 8, 10)),
        ("market.competitor", "", dt.date(2027, 5, 10)),
        ("product.capability", "", dt.date(2026, 11, 10)),
        ("fit.not_a_fit", "", None),
    ],
)
def test_revisit_dates_per_rule(category: str, verbatim: str, expected: dt.date | None) -> None:
    assert revisit_date(category, D, verbatim) == expected


def test_fiscal_year_rule_is_configurable() -> None:
    assert revisit_date("market.budget", D, "", Rules(fiscal_year_start=7)) == dt.date(2026, 7, 1)
    assert revisit_date(
        "market.budget", dt.date(2026, 8, 1), "", Rules(fiscal_year_start=7)
    ) == dt.date(2027, 7, 1)


def test_named_dates() -> None:
    assert named_date("revisit Q1 2027", D) == dt.date(2027, 1, 1)
    assert named_date("next year", D) == dt.date(2027, 1, 1)
    assert named_date("nothing here", D) is None


@pytest.fixture
def catalog(store: Store, tmp_path: Path) -> Store:
    rows = [
        [
            "1",
            "Closed Lost",
            "2026-01-10",
            "No Budget",
            "budget frozen",
            "a@x.example",
            "Acme",
            "Ann",
        ],
        [
            "2",
            "Closed Lost",
            "2026-01-11",
            "Not a Fit",
            "too small for us",
            "b@x.example",
            "Bcme",
            "Ann",
        ],
        [
            "3",
            "Closed Lost",
            "2026-01-12",
            "Integration",
            "no Xero sync, we live in Xero",
            "c@x.example",
            "Ccme",
            "Bo",
        ],
        [
            "4",
            "Closed Lost",
            "2026-01-13",
            "Integration",
            "needs a Xero integration badly",
            "d@x.example",
            "Dcme",
            "Bo",
        ],
        [
            "5",
            "Closed Lost",
            "2026-01-14",
            "Missing Feature",
            "no offline mode",
            "e@x.example",
            "Ecme",
            "Bo",
        ],
        ["6", "Closed Won", "2026-02-01", "", "", "", "Fcme", "Ann"],
        ["7", "Proposal", "", "", "", "", "Gcme", "Ann"],
    ]
    write_csv(
        tmp_path / "d.csv",
        [
            "Id",
            "Stage",
            "Close Date",
            "Loss Reason",
            "Loss Notes",
            "Contact Email",
            "Account",
            "Owner",
        ],
        rows,
    )
    import_crm_csv(store, tmp_path / "d.csv")
    from whyno.reasons.picklist import picklist_category

    with store.engine.begin() as connection:
        for reason in ("No Budget", "Not a Fit", "Integration", "Missing Feature"):
            connection.execute(
                No.__table__.update()
                .where(No.crm_reason == reason)  # type: ignore[attr-defined]
                .values(main_category=picklist_category(reason))
            )
    return store


def test_queue_lists_due_no_never_and_skips_do_not_contact(catalog: Store) -> None:
    set_status(catalog, "e@x.example", "do_not_contact")
    queue = revisit_queue(catalog, today=dt.date(2027, 2, 1))
    assert [d.account for d in queue.due] == ["Ccme", "Dcme", "Acme"]  # by revisit date
    assert queue.due[-1].revisit_on == dt.date(2027, 1, 1)
    assert "fiscal year" in queue.due[-1].why_now
    assert (queue.never, queue.do_not_contact) == (1, 1)
    assert revisit_queue(catalog, today=dt.date(2026, 2, 1)).due == []


def test_gap_closed_finds_matching_nos_and_queues_them(catalog: Store) -> None:
    set_status(catalog, "d@x.example", "do_not_contact")
    result = resolved(
        catalog,
        "we shipped the Xero integration",
        category="product.integration",
        today=dt.date(2026, 3, 1),
    )
    assert [m.account for m in result.matches] == ["Ccme"]
    assert (result.queued, result.do_not_contact) == (1, 1)
    due = revisit_queue(catalog, today=dt.date(2026, 3, 1)).due
    assert [(d.account, d.why_now) for d in due] == [("Ccme", "revisit date set")]


def test_gap_closed_without_category_ranks_by_meaning(catalog: Store) -> None:
    result = resolved(catalog, "offline mode is live", queue=False)
    assert result.matches[0].account == "Ecme" and result.queued == 0


def test_pipeline_coverage(catalog: Store) -> None:
    rows = {r.seller: r for r in pipeline(catalog, ratio=3.0, today=dt.date(2026, 3, 1))}
    assert rows["Ann"].open_deals == 1
    assert rows["Bo"].coverage is None  # no wins: no target to compare with
