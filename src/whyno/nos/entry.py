"""Hand entry: record one no (and its deal) as a seller would in 20 seconds."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from whyno.errors import InputError, NotFoundError
from whyno.nos.rules import reason_understood
from whyno.store.models import DEFAULT_TEAM_ID, Account, Contact, Deal, DealStatus, No, Seller
from whyno.store.store import Store, audit
from whyno.values import ENDED_BY_HELP, ValueProblem, parse_email, parse_ended_by

MANUAL_SOURCE = "manual"
Named = TypeVar("Named", Account, Seller)


@dataclass(frozen=True)
class NoEntry:
    """What a person tells us about a no. Only ``deal`` (a name) or ``deal_id`` is required."""

    deal: str | None = None
    deal_id: int | None = None  # an existing deal in the catalog (its whyno id)
    account: str | None = None
    seller: str | None = None
    occurred_on: dt.date | None = None  # default: today
    stage: str | None = None
    ended_by: str | None = None
    reason: str | None = None  # the verbatim, in their words
    competitor: str | None = None
    understood: bool | None = None  # default: whether a specific reason was given
    revisit_after: dt.date | None = None
    amount: float | None = None
    currency: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    industry: str | None = None
    region: str | None = None
    size: str | None = None
    product: str | None = None


def log_no(
    store: Store, entry: NoEntry, *, actor: str = "cli", team_id: int = DEFAULT_TEAM_ID
) -> int:
    """Record a no; returns its id. A new deal is created unless ``deal_id`` is given.

    ``team_id``: the team that owns the new deal and no (an existing deal must be
    that team's)."""
    ended_by = _ended_by(entry.ended_by)
    email = _email(entry.contact_email)
    if not entry.deal and entry.deal_id is None:
        raise InputError("name the deal (--deal NAME) or give an existing deal id (--deal-id N)")
    with store.session() as session, session.begin():
        deal = _deal(session, entry, team_id)
        contact = _contact(session, entry.contact_name, email, deal.account_id)
        no = No(
            deal=deal,
            team_id=deal.team_id,
            contact_id=contact.id if contact else None,
            occurred_on=entry.occurred_on or dt.date.today(),
            stage=entry.stage or deal.stage,
            ended_by=ended_by,
            verbatim=(entry.reason or "").strip() or None,
            competitor=entry.competitor,
            reason_understood=(
                entry.understood
                if entry.understood is not None
                else reason_understood(None, entry.reason)
            ),
            revisit_after=entry.revisit_after,
            source=MANUAL_SOURCE,
        )
        session.add(no)
        session.flush()
        audit(session.connection(), "log_no", actor=actor, entity="no", entity_id=no.id)
        return no.id


def _ended_by(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parse_ended_by(value).value
    except ValueProblem:
        raise InputError(f"--ended-by {value!r}: {ENDED_BY_HELP}") from None


def _email(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parse_email(value).lower()
    except ValueProblem as exc:
        raise InputError(f"--contact-email {value!r}: {exc}") from None


def _deal(session: Session, entry: NoEntry, team_id: int) -> Deal:
    if entry.deal_id is not None:
        deal = session.get(Deal, entry.deal_id)
        if deal is None or deal.team_id != team_id:
            raise NotFoundError(f"no deal with id {entry.deal_id}")
        deal.status = DealStatus.LOST.value
        return deal
    account = _named(session, Account, entry.account)
    if account and not account.industry:
        account.industry, account.region, account.size = entry.industry, entry.region, entry.size
    seller = _named(session, Seller, entry.seller)
    deal = Deal(
        team_id=team_id,
        source=MANUAL_SOURCE,
        external_id=uuid.uuid4().hex[:12],
        name=entry.deal,
        account=account,
        seller=seller,
        stage=entry.stage,
        status=DealStatus.LOST.value,
        amount=entry.amount,
        currency=entry.currency.upper() if entry.currency else None,
        closed_on=entry.occurred_on or dt.date.today(),
        product=entry.product,
        industry=entry.industry,
        region=entry.region,
        size=entry.size,
    )
    session.add(deal)
    session.flush()
    return deal


def _named(session: Session, model: type[Named], name: str | None) -> Named | None:
    if not name:
        return None
    found = session.scalar(select(model).where(model.name == name))
    if found is None:
        found = model(name=name)
        session.add(found)
        session.flush()
    return found


def _contact(
    session: Session, name: str | None, email: str | None, account_id: int | None
) -> Contact | None:
    if not name and not email:
        return None
    if email:
        found = session.scalar(select(Contact).where(Contact.email == email).limit(1))
        if found:
            return found
    contact = Contact(name=name, email=email, account_id=account_id, status="ok")
    session.add(contact)
    session.flush()
    return contact
