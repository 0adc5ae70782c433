"""Deals as the team server lists them: scoped to a team (or a seller), paginated.

A deal's contact is never listed here; ``do_not_contact`` says whether the
person asked not to be contacted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, func, select

from whyno.accounts.scope import Scope
from whyno.errors import NotFoundError
from whyno.store.models import Account, Contact, ContactStatus, Deal, Seller
from whyno.store.store import Store


@dataclass(frozen=True)
class DealRow:
    """A deal as listed: its fields, and whether its person asked not to be contacted."""

    id: int
    source: str
    external_id: str
    name: str | None
    account: str | None
    seller: str | None
    stage: str | None
    status: str
    amount: float | None
    currency: str | None
    created_on: dt.date | None
    closed_on: dt.date | None
    product: str | None
    industry: str | None
    region: str | None
    size: str | None
    do_not_contact: bool


def _query() -> Select[Any]:
    blocked = func.coalesce(Contact.status, "") == ContactStatus.DO_NOT_CONTACT.value
    query = (
        select(
            Deal.id.label("id"),
            Deal.source.label("source"),
            Deal.external_id.label("external_id"),
            Deal.name.label("name"),
            Account.name.label("account"),
            Seller.name.label("seller"),
            Deal.stage.label("stage"),
            Deal.status.label("status"),
            Deal.amount.label("amount"),
            Deal.currency.label("currency"),
            Deal.created_on.label("created_on"),
            Deal.closed_on.label("closed_on"),
            Deal.product.label("product"),
            Deal.industry.label("industry"),
            Deal.region.label("region"),
            Deal.size.label("size"),
            blocked.label("do_not_contact"),
        )
        .outerjoin(Account, Deal.account_id == Account.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .outerjoin(Contact, Deal.contact_id == Contact.id)
    )
    return cast("Select[Any]", query)


def _row(row: Any) -> DealRow:
    values = dict(row._mapping)
    values["do_not_contact"] = bool(values["do_not_contact"])
    return DealRow(**values)


def list_deals(
    store: Store, scope: Scope, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[DealRow], int]:
    """(a page of deals, how many match), newest first."""
    conditions = [scope.deals()]
    if status:
        conditions.append(Deal.status == status)
    with store.engine.connect() as connection:
        count = connection.execute(select(func.count(Deal.id)).where(*conditions)).scalar_one()
        rows = connection.execute(
            _query()
            .where(*conditions)
            .order_by(Deal.closed_on.desc().nulls_last(), Deal.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    return [_row(row) for row in rows], int(count)


def get_deal(store: Store, deal_id: int, scope: Scope) -> DealRow:
    with store.engine.connect() as connection:
        row = connection.execute(_query().where(Deal.id == deal_id, scope.deals())).first()
    if row is None:
        raise NotFoundError(f"no deal with id {deal_id}")
    return _row(row)


def seller_deals(store: Store, scope: Scope, limit: int = 200) -> list[tuple[int, str]]:
    """(id, label) of recent deals in scope, for a form's choice of deal."""
    query = (
        select(Deal.id, Deal.name, Account.name)
        .outerjoin(Account, Deal.account_id == Account.id)
        .where(scope.deals())
        .order_by(Deal.id.desc())
        .limit(limit)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        (i, " / ".join(x for x in (name, account) if x) or f"deal {i}") for i, name, account in rows
    ]
