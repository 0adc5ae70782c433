"""No for today: when to come back, from the reason of the no.

Default rules (a team can pass its own :class:`Rules`):

- ``market.budget``: the start of their next fiscal year (January unless set);
- ``market.timing``: the date they named, when the verbatim names one
  ("after Q3", "in 6 months", "next spring", "March 2027"), else 3 months on;
- ``market.competitor``: the renewal horizon, 12 months on;
- ``product.*`` and ``approach.*``: 6 months on, or as soon as the gap is
  closed (``whyno resolved``);
- ``market.status_quo`` and ``unknown.no_reason``: 6 months on;
- ``fit.not_a_fit``: never (not our customer);
- a contact marked do-not-contact: never, whatever the reason.

A revisit date set by a person (or by ``whyno resolved``) wins over the rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from whyno.followup.consent import contactable
from whyno.store.models import Account, Contact, Deal, DealStatus, No, Seller
from whyno.store.store import Store

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}


@dataclass(frozen=True)
class Rules:
    fiscal_year_start: int = 1  # month
    timing_months: int = 3
    competitor_months: int = 12
    default_months: int = 6


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def named_date(text: str, after: dt.date) -> dt.date | None:
    """The first date a verbatim names, if any, on or after ``after``."""
    lower = text.lower()
    if m := re.search(r"\bin (\d{1,2}|a|one|two|three|six) (month|months|year|years)\b", lower):
        amount = {"a": 1, "one": 1, "two": 2, "three": 3, "six": 6}.get(m[1]) or int(m[1])
        return add_months(after, amount * (12 if m[2].startswith("year") else 1))
    if m := re.search(r"\bq([1-4])(?:\s*(?:'|20)?(\d{2}))?\b", lower):
        quarter = int(m[1])
        year = 2000 + int(m[2]) if m[2] else after.year
        start = dt.date(year, (quarter - 1) * 3 + 1, 1)
        return start if start >= after or m[2] else dt.date(year + 1, start.month, 1)
    if "next year" in lower:
        return dt.date(after.year + 1, 1, 1)
    if "next quarter" in lower:
        return add_months(dt.date(after.year, (after.month - 1) // 3 * 3 + 1, 1), 3)
    for words, month in [*MONTHS.items(), *SEASONS.items()]:
        if m := re.search(rf"\b{words}\b(?:\s+(20\d\d))?", lower):
            year = int(m[1]) if m[1] else after.year
            candidate = dt.date(year, month, 1)
            return candidate if candidate >= after else dt.date(year + 1, month, 1)
    return None


def revisit_date(
    category: str | None, occurred: dt.date, verbatim: str | None, rules: Rules | None = None
) -> dt.date | None:
    """When to come back after a no for ``category``; None means never."""
    rules = rules or Rules()
    if category == "fit.not_a_fit":
        return None
    if category == "market.budget":
        year = occurred.year + (1 if occurred.month >= rules.fiscal_year_start else 0)
        return dt.date(year, rules.fiscal_year_start, 1)
    if category == "market.timing":
        return named_date(verbatim or "", occurred) or add_months(occurred, rules.timing_months)
    if category == "market.competitor":
        return add_months(occurred, rules.competitor_months)
    return add_months(occurred, rules.default_months)


@dataclass
class Due:
    no_id: int
    deal: str | None
    account: str | None
    seller: str | None
    occurred_on: dt.date
    category: str | None
    verbatim: str | None
    revisit_on: dt.date
    why_now: str


@dataclass
class Queue:
    due: list[Due] = field(default_factory=list)
    never: int = 0  # not our customer, or nothing to come back to
    do_not_contact: int = 0  # withheld: the person asked not to be contacted
    later: int = 0  # not due yet


def revisit_queue(
    store: Store, today: dt.date | None = None, rules: Rules | None = None, where: Any = None
) -> Queue:
    """The no's due for a revisit today, oldest first; do-not-contact is never listed.

    ``where``: an optional condition on ``No`` and its ``Deal`` (a team, a seller)."""
    today = today or dt.date.today()
    query = (
        select(
            No.id,
            Deal.name,
            Account.name,
            Seller.name,
            No.occurred_on,
            No.main_category,
            No.verbatim,
            No.revisit_after,
            Contact.status,
            Deal.status,
        )
        .join(Deal, No.deal_id == Deal.id)
        .outerjoin(Account, Deal.account_id == Account.id)
        .outerjoin(Seller, Deal.seller_id == Seller.id)
        .outerjoin(Contact, No.contact_id == Contact.id)
        .where(No.occurred_on.is_not(None))
    )
    if where is not None:
        query = query.where(where)
    queue = Queue()
    with store.engine.connect() as connection:
        for row in connection.execute(query):
            (
                no_id,
                deal,
                account,
                seller,
                occurred,
                category,
                verbatim,
                set_date,
                status,
                deal_status,
            ) = row
            if occurred is None:
                continue
            if not contactable(status):
                queue.do_not_contact += 1
                continue
            when = set_date or revisit_date(category, occurred, verbatim, rules)
            if when is None or deal_status == DealStatus.WON.value:
                queue.never += 1
            elif when > today:
                queue.later += 1
            else:
                why = "revisit date set" if set_date else _why(category, when)
                queue.due.append(
                    Due(no_id, deal, account, seller, occurred, category, verbatim, when, why)
                )
    queue.due.sort(key=lambda d: (d.revisit_on, d.no_id))
    return queue


def _why(category: str | None, when: dt.date) -> str:
    reasons = {
        "market.budget": f"a new fiscal year began on {when.isoformat()}",
        "market.timing": f"the time they named ({when.isoformat()}) has come",
        "market.competitor": "their contract with the alternative is up for renewal",
    }
    return reasons.get(category or "", f"{when.isoformat()}: time to ask again what changed")
