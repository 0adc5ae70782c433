"""Reading the catalog: filtered lists of no's, one no in full, and summary stats.

This is the consent-aware read layer every face uses (CLI, server, export):
a no whose person asked not to be contacted keeps its anonymous facts (date,
stage, reason, amount) but reads back with its words :data:`WITHHELD` and
without the person's name or email. ``do_not_contact`` says which rows those are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any, cast

from sqlalchemy import Select, func, select, true

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

WITHHELD = "[withheld: do not contact]"
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
    do_not_contact: bool = False  # the person asked not to be contacted: words withheld


ROW_FIELDS = tuple(f.name for f in fields(NoRow))
_BLOCKED = func.coalesce(Contact.status, "") == ContactStatus.DO_NOT_CONTACT.value


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


def _rows_query() -> Select[Any]:
    """The ``NoRow`` columns, labelled with its field names (the person's contact joined)."""
    query = (
        select(
            No.id.label("id"),
            No.occurred_on.label("occurred_on"),
            Deal.source.label("deal_source"),
            Deal.external_id.label("deal_id"),
            Deal.name.label("deal"),
            Account.name.label("account"),
            Seller.name.label("seller"),
            No.stage.label("stage"),
            No.ended_by.label("ended_by"),
            No.verbatim.label("verbatim"),
            No.crm_reason.label("crm_reason"),
            No.competitor.label("competitor"),
            No.reason_understood.label("reason_understood"),
            No.revisit_after.label("revisit_after"),
            Deal.amount.label("amount"),
            Deal.currency.label("currency"),
            Deal.industry.label("industry"),
            Deal.region.label("region"),
            Deal.size.label("size"),
            Deal.product.label("product"),
            _BLOCKED.label("do_not_contact"),
        )
        .join(Deal, No.deal_id == Deal.id)
        .outerjoin(Account, Deal.account_id == Account.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .outerjoin(Contact, No.contact_id == Contact.id)
    )
    return cast("Select[Any]", query)


def _row(mapping: Any) -> NoRow:
    """A ``NoRow`` from a row of ``_rows_query``, its words withheld when the person said so."""
    row = NoRow(**{name: mapping[name] for name in ROW_FIELDS})
    if row.do_not_contact:
        row = replace(row, do_not_contact=True, verbatim=WITHHELD if row.verbatim else None)
    return row


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
            yield _row(row._mapping)


def list_nos(store: Store, filter: NoFilter | None = None) -> list[NoRow]:
    """The no's matching ``filter`` (do-not-contact words withheld), newest first."""
    return list(iter_nos(store, filter))


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
    (or outside ``scope``). A do-not-contact person's words, name and email are withheld."""
    query = (
        _rows_query()
        .add_columns(
            Deal.stage.label("deal_stage"),
            Deal.status.label("deal_status"),
            Deal.created_on.label("created_on"),
            Deal.closed_on.label("closed_on"),
            Contact.name.label("contact_name"),
            Contact.email.label("contact_email"),
            Contact.status.label("contact_status"),
            No.source.label("source"),
        )
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
    m = row._mapping
    no = _row(m)
    return NoDetail(
        no=no,
        deal_stage=m["deal_stage"],
        deal_status=m["deal_status"],
        created_on=m["created_on"],
        closed_on=m["closed_on"],
        contact_name=None if no.do_not_contact else m["contact_name"],
        contact_email=None if no.do_not_contact else m["contact_email"],
        contact_status=m["contact_status"],
        source=m["source"],
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
