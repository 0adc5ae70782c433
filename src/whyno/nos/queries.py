"""Reading the catalog: filtered lists of no's, one no in full, and summary stats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any, cast

from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import aliased

from whyno.accounts.scope import Scope
from whyno.errors import NotFoundError
from whyno.store.models import (
    Account,
    Contact,
    ContactStatus,
    Deal,
    DealStatus,
    No,
    ReasonLabel,
    Seller,
)
from whyno.store.store import Store

STREAM_ABOVE = 2000  # rows: larger reads use a server-side cursor (bounded memory)


@dataclass(frozen=True)
class NoFilter:
    """Which no's to list; every field is optional and they combine with AND."""

    since: dt.date | None = None
    until: dt.date | None = None
    seller: str | None = None
    stage: str | None = None
    ended_by: str | None = None
    has_reason: bool | None = None
    limit: int | None = None
    offset: int = 0
    contactable_only: bool = False  # leave out no's of people who asked not to be contacted
    category: str | None = None  # main reason (taxonomy id)
    scope: Scope | None = None  # a team (and seller) on the team server; None: everything


@dataclass(frozen=True)
class NoRow:
    """A no as listed and exported: the no with its deal's main fields."""

    id: int
    occurred_on: dt.date | None
    deal_source: str
    deal_id: str
    deal: str | None
    account: str | None
    seller: str | None
    stage: str | None
    ended_by: str | None
    verbatim: str | None
    crm_reason: str | None
    competitor: str | None
    reason_understood: bool
    revisit_after: dt.date | None
    amount: float | None
    currency: str | None
    industry: str | None
    region: str | None
    size: str | None
    product: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


ROW_FIELDS = tuple(f.name for f in fields(NoRow))


@dataclass(frozen=True)
class Label:
    category: str
    confidence: float
    source: str
    model: str | None
    created_by: str | None


@dataclass(frozen=True)
class NoDetail:
    no: NoRow
    deal_stage: str | None
    deal_status: str
    created_on: dt.date | None
    closed_on: dt.date | None
    contact_name: str | None
    contact_email: str | None
    contact_status: str | None
    source: str
    labels: list[Label] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rows_query() -> Select[Any]:
    query = (
        select(
            No.id,
            No.occurred_on,
            Deal.source,
            Deal.external_id,
            Deal.name,
            Account.name.label("account"),
            Seller.name.label("seller"),
            No.stage,
            No.ended_by,
            No.verbatim,
            No.crm_reason,
            No.competitor,
            No.reason_understood,
            No.revisit_after,
            Deal.amount,
            Deal.currency,
            Deal.industry,
            Deal.region,
            Deal.size,
            Deal.product,
        )
        .join(Deal, No.deal_id == Deal.id)
        .outerjoin(Account, Deal.account_id == Account.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
    )
    return cast("Select[Any]", query)


def _filtered(query: Select[Any], f: NoFilter) -> Select[Any]:
    if f.since:
        query = query.where(No.occurred_on >= f.since)
    if f.until:
        query = query.where(No.occurred_on <= f.until)
    if f.seller:
        query = query.where(func.lower(Seller.name) == f.seller.lower())
    if f.stage:
        query = query.where(func.lower(No.stage) == f.stage.lower())
    if f.ended_by:
        query = query.where(No.ended_by == f.ended_by)
    if f.has_reason is not None:
        query = query.where(No.reason_understood.is_(f.has_reason))
    if f.category:
        query = query.where(No.main_category == f.category)
    if f.scope is not None:
        query = query.where(f.scope.nos())
    if f.contactable_only:
        blocked = select(Contact.id).where(Contact.status == ContactStatus.DO_NOT_CONTACT.value)
        query = query.where((No.contact_id.is_(None)) | No.contact_id.not_in(blocked))
    return query


def iter_nos(store: Store, filter: NoFilter | None = None) -> Iterator[NoRow]:
    """Stream the no's matching ``filter``, newest first (bounded memory)."""
    f = filter or NoFilter()
    query = _filtered(_rows_query(), f).order_by(No.occurred_on.desc(), No.id.desc())
    if f.limit is not None:
        query = query.limit(f.limit)
    if f.offset:
        query = query.offset(f.offset)
    streamed = f.limit is None or f.limit > STREAM_ABOVE
    with store.engine.connect() as connection:
        if streamed:
            connection = connection.execution_options(yield_per=2000)
        for row in connection.execute(query):
            yield NoRow(*row)


def list_nos(store: Store, filter: NoFilter | None = None) -> list[NoRow]:
    return list(iter_nos(store, filter))


def list_nos_with_consent(store: Store, filter: NoFilter) -> list[dict[str, Any]]:
    """A page of no's (``filter.limit`` rows) as dicts of the ``NoRow`` fields plus
    ``do_not_contact`` (their person asked not to be contacted), in one query."""
    blocked = func.coalesce(Contact.status, "") == ContactStatus.DO_NOT_CONTACT.value
    query = (
        _filtered(_rows_query().add_columns(blocked), filter)
        .outerjoin(Contact, No.contact_id == Contact.id)
        .order_by(No.occurred_on.desc(), No.id.desc())
        .limit(filter.limit or 50)
        .offset(filter.offset)
    )
    keys = (*ROW_FIELDS, "do_not_contact")
    with store.engine.connect() as connection:
        return [dict(zip(keys, row, strict=True)) for row in connection.execute(query)]


def count_nos(store: Store, filter: NoFilter | None = None) -> int:
    """How many no's match ``filter`` (joining only the tables its conditions need)."""
    f = filter or NoFilter()
    query = select(func.count(No.id)).select_from(No)
    if f.seller or (f.scope is not None and f.scope.own_only):
        query = query.join(Deal, No.deal_id == Deal.id)
    if f.seller:
        query = query.outerjoin(Seller, Deal.seller_id == Seller.id)
    with store.engine.connect() as connection:
        return int(connection.execute(_filtered(query, f)).scalar_one())


def get_no(store: Store, no_id: int, scope: Scope | None = None) -> NoDetail:
    """One no with its deal, contact and reason labels; NotFoundError if absent
    (or outside ``scope``)."""
    contact = aliased(Contact)
    query = (
        _rows_query()
        .add_columns(
            Deal.stage,
            Deal.status,
            Deal.created_on,
            Deal.closed_on,
            contact.name,
            contact.email,
            contact.status,
            No.source,
        )
        .outerjoin(contact, No.contact_id == contact.id)
        .where(No.id == no_id)
    )
    if scope is not None:
        query = query.where(scope.nos())
    with store.engine.connect() as connection:
        row = connection.execute(query).first()
        if row is None:
            raise NotFoundError(f"no no with id {no_id}; `whyno list` shows the ids")
        labels = connection.execute(
            select(
                ReasonLabel.category,
                ReasonLabel.confidence,
                ReasonLabel.source,
                ReasonLabel.model,
                ReasonLabel.created_by,
            )
            .where(ReasonLabel.no_id == no_id)
            .order_by(ReasonLabel.confidence.desc())
        ).all()
    values = tuple(row)
    deal_stage, deal_status, created_on, closed_on, name, email, status, source = values[20:]
    return NoDetail(
        no=NoRow(*values[:20]),
        deal_stage=deal_stage,
        deal_status=deal_status,
        created_on=created_on,
        closed_on=closed_on,
        contact_name=name,
        contact_email=email,
        contact_status=status,
        source=source,
        labels=[Label(*label) for label in labels],
    )


def do_not_contact(store: Store, no_ids: list[int]) -> set[int]:
    """Which of these no's belong to a person who asked not to be contacted."""
    if not no_ids:
        return set()
    query = (
        select(No.id)
        .join(Contact, No.contact_id == Contact.id)
        .where(No.id.in_(no_ids), Contact.status == ContactStatus.DO_NOT_CONTACT.value)
    )
    with store.engine.connect() as connection:
        return {int(i) for (i,) in connection.execute(query)}


def no_stats(store: Store, scope: Scope | None = None) -> dict[str, Any]:
    """Counts for a quick look: deals by status, no's, reasons and learning gaps."""
    deals_in = true() if scope is None else scope.deals()
    with store.engine.connect() as connection:
        by_status = dict(
            connection.execute(
                select(Deal.status, func.count()).where(deals_in).group_by(Deal.status)
            ).all()
        )
        nos_query = select(
            func.count(No.id),
            func.count(No.id).filter(No.reason_understood.is_(True)),
            func.min(No.occurred_on),
            func.max(No.occurred_on),
        )
        ended_query = select(No.ended_by, func.count()).group_by(No.ended_by)
        if scope is not None:
            nos_query = nos_query.join(Deal, No.deal_id == Deal.id).where(scope.nos())
            ended_query = ended_query.join(Deal, No.deal_id == Deal.id).where(scope.nos())
        nos, with_reason, first, last = connection.execute(nos_query).one()
        ended = dict(connection.execute(ended_query).all())
        if scope is None:
            sellers = connection.execute(select(func.count(Seller.id))).scalar_one()
            accounts = connection.execute(select(func.count(Account.id))).scalar_one()
        else:
            sellers, accounts = connection.execute(
                select(
                    func.count(func.distinct(Deal.seller_id)),
                    func.count(func.distinct(Deal.account_id)),
                ).where(deals_in)
            ).one()
    return {
        "deals": sum(by_status.values()),
        "won": by_status.get(DealStatus.WON.value, 0),
        "lost": by_status.get(DealStatus.LOST.value, 0),
        "open": by_status.get(DealStatus.OPEN.value, 0),
        "nos": nos,
        "nos_with_reason": with_reason,
        "learning_gaps": nos - with_reason,
        "ended_by": {
            str(k or "unknown"): v for k, v in sorted(ended.items(), key=lambda kv: str(kv[0]))
        },
        "sellers": sellers,
        "accounts": accounts,
        "first_no": first.isoformat() if first else None,
        "last_no": last.isoformat() if last else None,
    }
