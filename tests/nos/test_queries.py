from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import CRM
from whyno.errors import NotFoundError
from whyno.ingest.crm import import_crm_csv
from whyno.nos.entry import NoEntry, log_no
from whyno.nos.queries import NoFilter, count_nos, get_no, list_nos, no_stats
from whyno.store import Store


@pytest.fixture
def catalog(store: Store) -> Store:
    import_crm_csv(store, CRM / "salesforce_report.csv")  # 2 no's, 1 with a reason
    import_crm_csv(store, CRM / "pipedrive.csv")  # 2 no's, both with a reason
    log_no(
        store,
        NoEntry(
            deal="Hand",
            seller="Jane Doe",
            ended_by="us",
            reason="too small for us",
            occurred_on=dt.date(2024, 6, 1),
        ),
    )
    return store


def _ids(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [r.deal_id for r in rows]


def test_list_is_newest_first(catalog: Store) -> None:
    rows = list_nos(catalog)
    assert [r.occurred_on for r in rows] == sorted((r.occurred_on for r in rows), reverse=True)
    assert len(rows) == 5


def test_filters(catalog: Store) -> None:
    assert len(list_nos(catalog, NoFilter(seller="jane doe"))) == 3
    assert len(list_nos(catalog, NoFilter(ended_by="us"))) == 1
    assert _ids(list_nos(catalog, NoFilter(has_reason=False))) == ["0061x00000AbCdG"]
    assert len(list_nos(catalog, NoFilter(has_reason=True))) == 4
    assert _ids(
        list_nos(catalog, NoFilter(since=dt.date(2024, 5, 1), until=dt.date(2024, 5, 31)))
    ) == ["104", "0061x00000AbCdG"]
    assert len(list_nos(catalog, NoFilter(stage="proposal made"))) == 1
    assert count_nos(catalog, NoFilter(seller="Klaus Weber")) == 1
    assert len(list_nos(catalog, NoFilter(limit=2))) == 2


def test_show_one_no(catalog: Store) -> None:
    first = list_nos(catalog, NoFilter(seller="Klaus Weber"))[0]
    detail = get_no(catalog, first.id)
    assert detail.contact_name == "Petra Lang"
    assert detail.no.verbatim == "Budget frozen until next fiscal year"
    assert detail.labels == []
    with pytest.raises(NotFoundError, match="no no with id 999"):
        get_no(catalog, 999)


def test_stats(catalog: Store) -> None:
    stats = no_stats(catalog)
    assert {
        k: stats[k]
        for k in (
            "deals",
            "won",
            "lost",
            "open",
            "nos",
            "nos_with_reason",
            "learning_gaps",
            "sellers",
            "accounts",
        )
    } == {
        "deals": 9,
        "won": 2,
        "lost": 5,
        "open": 2,
        "nos": 5,
        "nos_with_reason": 4,
        "learning_gaps": 1,
        "sellers": 4,
        "accounts": 8,
    }
    assert stats["ended_by"] == {"silent": 1, "them": 2, "unknown": 1, "us": 1}
    assert (stats["first_no"], stats["last_no"]) == ("2024-03-31", "2024-06-01")


def test_stats_on_an_empty_catalog(store: Store) -> None:
    stats = no_stats(store)
    assert (stats["deals"], stats["nos"], stats["nos_with_reason"], stats["first_no"]) == (
        0,
        0,
        0,
        None,
    )
