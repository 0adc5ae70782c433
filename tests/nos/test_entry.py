from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import CRM
from whyno.errors import InputError, NotFoundError
from whyno.ingest.crm import import_crm_csv
from whyno.nos.entry import NoEntry, log_no
from whyno.nos.queries import get_no, list_nos
from whyno.store import Store


def test_log_a_no_with_a_reason(store: Store) -> None:
    no_id = log_no(
        store,
        NoEntry(
            deal="Acme - Pro",
            account="Acme",
            seller="Sam",
            ended_by="them",
            reason="Went with Globex, half the price",
            competitor="Globex",
            occurred_on=dt.date(2024, 5, 2),
            amount=1200.0,
            currency="usd",
            contact_name="Pat Lee",
            contact_email="Pat@Acme.example",
        ),
    )
    detail = get_no(store, no_id)
    assert (detail.no.deal, detail.no.account, detail.no.seller) == ("Acme - Pro", "Acme", "Sam")
    assert (detail.no.ended_by, detail.no.competitor) == ("them", "Globex")
    assert detail.no.verbatim == "Went with Globex, half the price"
    assert detail.no.reason_understood is True
    assert (detail.no.amount, detail.no.currency) == (1200.0, "USD")
    assert (detail.contact_email, detail.contact_status) == ("pat@acme.example", "ok")
    assert (detail.deal_status, detail.source, detail.no.deal_source) == (
        "lost",
        "manual",
        "manual",
    )


def test_a_no_without_reason_is_a_learning_gap(store: Store) -> None:
    no_id = log_no(store, NoEntry(deal="Quiet Co", ended_by="silent"))
    detail = get_no(store, no_id)
    assert (detail.no.verbatim, detail.no.reason_understood) == (None, False)
    assert detail.no.occurred_on == dt.date.today()


def test_understood_can_be_overridden(store: Store) -> None:
    no_id = log_no(store, NoEntry(deal="X", reason="timing", understood=False))
    assert get_no(store, no_id).no.reason_understood is False


def test_logging_on_an_existing_deal_marks_it_lost(store: Store) -> None:
    import_crm_csv(store, CRM / "hubspot.csv")
    open_deal = next(r for r in list_nos(store) if r.deal_id == "9001")
    assert open_deal  # sanity: imported
    with store.session() as session:
        from sqlalchemy import select

        from whyno.store.models import Deal

        deal_id = session.scalars(select(Deal.id).where(Deal.external_id == "9004")).one()
    no_id = log_no(store, NoEntry(deal_id=deal_id, reason="Budget cut", ended_by="them"))
    detail = get_no(store, no_id)
    assert (detail.no.deal, detail.deal_status, detail.no.stage) == (
        "Yellow Bird - Pro",
        "lost",
        "Contract Sent",
    )


def test_bad_input_is_refused_clearly(store: Store) -> None:
    with pytest.raises(InputError, match="--ended-by 'maybe'"):
        log_no(store, NoEntry(deal="X", ended_by="maybe"))
    with pytest.raises(InputError, match="--contact-email 'nope'"):
        log_no(store, NoEntry(deal="X", contact_email="nope"))
    with pytest.raises(InputError, match="name the deal"):
        log_no(store, NoEntry())
    with pytest.raises(NotFoundError):
        log_no(store, NoEntry(deal_id=999))
