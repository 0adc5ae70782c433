"""Deals as the team server lists them: scoped to a team (or a seller), paginated.

A deal's contact is never listed here; ``do_not_contact`` says whether the
person asked not to be contacted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Select, func, select

from whyno.accounts.scope import Scope
from whyno.errors import NotFoundError
from whyno.store.models import Account, Contact, ContactStatus, Deal, Seller
from whyno.store.store import Store

FIELDS = (
    "id",
    "source",
    "external_id",
    "name",
    "account",
    "seller",
    "stage",
    "status",
    "amount",
    "currency",
    "created_on",
    "closed_on",
    "product",
    "industry",
    "region",
    "size",
    "do_not_contact",
)


def _query() -> Select[Any]:
    blocked = func.coalesce(Contact.status, "") == ContactStatus.DO_NOT_CONTACT.value
    query = (
        select(
            Deal.id,
            Deal.source,
            Deal.external_id,
            Deal.name,
            Account.name,
            Seller.name,
            Deal.stage,
            Deal.status,
            Deal.amount,
            Deal.currency,
            Deal.created_on,
            Deal.closed_on,
            Deal.product,
            Deal.industry,
            Deal.region,
            Deal.size,
            blocked,
        )
        .outerjoin(Account, Deal.account_id == Account.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .outerjoin(Contact, Deal.contact_id == Contact.id)
    )
    return cast("Select[Any]", query)


def _plain(row: Any) -> dict[str, Any]:
    data = dict(zip(FIELDS, row, strict=True))
    for key in ("created_on", "closed_on"):
        if isinstance(data[key], dt.date):
            data[key] = data[key].isoformat()
    data["do_not_contact"] = bool(data["do_not_contact"])
    return data


def list_deals(
    store: Store, scope: Scope, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
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
    return [_plain(row) for row in rows], int(count)


def get_deal(store: Store, deal_id: int, scope: Scope) -> dict[str, Any]:
    with store.engine.connect() as connection:
        row = connection.execute(_query().where(Deal.id == deal_id, scope.deals())).first()
    if row is None:
        raise NotFoundError(f"no deal with id {deal_id}")
    return _plain(row)


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
