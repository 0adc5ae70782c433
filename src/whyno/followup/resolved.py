"""Gap closed: "we shipped it" -> the past no's whose reason it answers.

Matches by meaning (the static sentence embedding of the announcement against
each verbatim) and, when given, by category; queues the contactable ones for a
revisit today. Do-not-contact people are counted, never listed or queued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select, update

from whyno.followup.consent import contactable
from whyno.reasons.embed import StaticEmbedder
from whyno.store.models import Account, Contact, Deal, DealStatus, No, ReasonLabel
from whyno.store.store import Store, audit

MIN_SIMILARITY = 0.45


@dataclass
class Match:
    no_id: int
    account: str | None
    occurred_on: str | None
    category: str | None
    similarity: float
    verbatim: str


@dataclass
class Resolution:
    matches: list[Match] = field(default_factory=list)
    do_not_contact: int = 0
    queued: int = 0


def resolved(
    store: Store,
    announcement: str,
    *,
    category: str | None = None,
    limit: int = 50,
    queue: bool = True,
    today: dt.date | None = None,
    actor: str = "cli",
) -> Resolution:
    """Past no's (not won since) that ``announcement`` answers, most similar first."""
    query = (
        select(No.id, Account.name, No.occurred_on, No.main_category, No.verbatim, Contact.status)
        .join(Deal, No.deal_id == Deal.id)
        .outerjoin(Account, Deal.account_id == Account.id)
        .outerjoin(Contact, No.contact_id == Contact.id)
        .where(No.verbatim.is_not(None), Deal.status != DealStatus.WON.value)
    )
    if category:
        labelled = select(ReasonLabel.no_id).where(ReasonLabel.category == category)
        query = query.where((No.main_category == category) | No.id.in_(labelled))
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    result = Resolution()
    if not rows:
        return result
    embedder = StaticEmbedder()
    target = embedder.embed([announcement])[0]
    similarity = embedder.embed([r[4] or "" for r in rows]) @ target
    order = np.argsort(-similarity)
    for i in order:
        no_id, account, occurred, main, verbatim, status = rows[int(i)]
        if similarity[i] < MIN_SIMILARITY or len(result.matches) >= limit:
            break
        if not contactable(status):
            result.do_not_contact += 1
            continue
        result.matches.append(
            Match(
                no_id,
                account,
                occurred.isoformat() if occurred else None,
                main,
                round(float(similarity[i]), 3),
                verbatim or "",
            )
        )
    if queue and result.matches:
        day = today or dt.date.today()
        with store.engine.begin() as connection:
            ids = [m.no_id for m in result.matches]
            connection.execute(update(No).where(No.id.in_(ids)).values(revisit_after=day))
            audit(
                connection,
                "resolved",
                actor=actor,
                entity="nos",
                detail={"announcement": announcement, "category": category, "queued": len(ids)},
            )
        result.queued = len(result.matches)
    return result
