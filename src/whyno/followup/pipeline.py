"""Stay detached: enough open pipeline per seller that no single deal is worth pushing.

Coverage = the seller's open pipeline (sum of open deal amounts) divided by
their target, where the target is what they typically win in a quarter (the
average over the last four quarters with data) times the coverage ratio
(default 3, a common rule of thumb). Coverage below 1 flags a seller whose
pipeline is so thin that they are likely to push.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from whyno.store.models import Deal, DealStatus, Seller
from whyno.store.store import Store


@dataclass
class Coverage:
    seller: str
    open_deals: int
    open_amount: float
    won_per_quarter: float
    target: float
    coverage: float | None
    thin: bool


def pipeline(store: Store, ratio: float = 3.0, today: dt.date | None = None) -> list[Coverage]:
    today = today or dt.date.today()
    since = dt.date(today.year - 1, today.month, 1)
    with store.engine.connect() as connection:
        open_rows = dict(
            (name, (int(n), float(a or 0)))
            for name, n, a in connection.execute(
                select(Seller.name, func.count(Deal.id), func.sum(Deal.amount))
                .join(Deal, Deal.seller_id == Seller.id)
                .where(Deal.status == DealStatus.OPEN.value)
                .group_by(Seller.name)
            )
        )
        won = dict(
            (name, float(a or 0))
            for name, a in connection.execute(
                select(Seller.name, func.sum(Deal.amount))
                .join(Deal, Deal.seller_id == Seller.id)
                .where(Deal.status == DealStatus.WON.value, Deal.closed_on >= since)
                .group_by(Seller.name)
            )
        )
        everyone = [name for (name,) in connection.execute(select(Seller.name))]
    rows = []
    for seller in sorted(set(everyone) | set(open_rows) | set(won)):
        n, amount = open_rows.get(seller, (0, 0.0))
        per_quarter = won.get(seller, 0.0) / 4
        target = per_quarter * ratio
        coverage = amount / target if target else None
        rows.append(
            Coverage(
                seller,
                n,
                round(amount, 2),
                round(per_quarter, 2),
                round(target, 2),
                None if coverage is None else round(coverage, 2),
                coverage is not None and coverage < 1.0,
            )
        )
    return sorted(rows, key=lambda c: (c.coverage is None, c.coverage or 0.0))
