"""Simulate Larkspur's 24 months of deals, as rows of a HubSpot deals export.

Seeded and reproducible: the same seed gives the same file, byte for byte.
Verbatims vary the way real ones do: many phrasings per reason, typos, mixed
reasons, empty reasons, and bare CRM picklist values.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from whyno.demo import company as c
from whyno.demo import phrases

HEADERS = (
    "Record ID",
    "Deal Name",
    "Associated Company",
    "Deal owner",
    "Deal Stage",
    "Stage Before Lost",
    "Pipeline",
    "Amount",
    "Deal currency code",
    "Create Date",
    "Close Date",
    "Closed Lost Reason",
    "Lost Reason Details",
    "Competitor",
    "Ended By",
    "Industry",
    "Company Size",
    "Region",
    "Product",
    "Associated Contact",
    "Contact Email",
)


@dataclass(frozen=True)
class Account:
    name: str
    industry: str
    size: str
    region: str
    domain: str


@dataclass
class Loss:
    category: str
    verbatim: str
    picklist: str
    competitor: str
    ended_by: str


class Simulator:
    """Generates the deals; ``rows()`` yields CSV rows in HEADERS order."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.accounts = self._accounts(1400)
        self.next_id = 18_000_000_000

    def rows(self) -> Iterator[list[str]]:
        for month in range(1, c.MONTHS + 1):
            for _ in range(self._deals_in(month)):
                yield self._deal(month)

    # -- the world ---------------------------------------------------------------

    def _accounts(self, count: int) -> list[Account]:
        accounts: dict[str, Account] = {}
        while len(accounts) < count:
            industry = self.rng.choice(c.INDUSTRIES)
            suffix = self.rng.choice(c.ACCOUNT_SUFFIXES[industry])
            name = f"{self.rng.choice(c.ACCOUNT_PREFIXES)} {suffix}"
            if name in accounts:
                name = (
                    f"{name} {self.rng.choice(('of Ohio', 'Group', 'Inc', 'LLC', 'Co-op', 'Bros'))}"
                )
            if name in accounts:
                continue
            size = self.rng.choices(c.SIZES, c.SIZE_WEIGHTS)[0]
            domain = re.sub(r"[^a-z]", "", name.lower())[:18] + ".com"
            accounts[name] = Account(name, industry, size, self.rng.choice(c.REGIONS), domain)
        return list(accounts.values())

    def _deals_in(self, month: int) -> int:
        return int(150 + month * 2.5 + self.rng.randint(-12, 12))

    # -- one deal ----------------------------------------------------------------

    def _deal(self, month: int) -> list[str]:
        rng = self.rng
        account = rng.choice(self.accounts)
        seller = rng.choice(c.SELLERS)
        product = self._product(account.size)
        created = c.month_start(month) + dt.timedelta(days=rng.randint(0, 27))
        closed = created + dt.timedelta(days=rng.randint(12, 95))
        amount = round(rng.uniform(product.low, product.high), -2)
        self.next_id += rng.randint(1, 40)
        base = [
            str(self.next_id),
            f"{account.name} - {product.name.split()[-1]}",
            account.name,
            seller,
            "",
            "",
            "Sales Pipeline",
            f"{amount:.0f}",
            "CAD" if account.region == "Canada" else "USD",
            _stamp(rng, created),
            "",
            "",
            "",
            "",
            "",
            account.industry,
            account.size,
            account.region,
            product.name,
            *self._contact(account),
        ]
        if closed > c.END:
            base[4] = rng.choice(c.OPEN_STAGES)
            return base
        base[10] = _stamp(rng, closed)
        if rng.random() < self._win_rate(seller, account, c.month_of(closed)):
            base[4] = "Closed Won"
            return base
        loss = self._loss(seller, account, c.month_of(closed))
        base[4], base[5] = "Closed Lost", rng.choice(c.OPEN_STAGES)
        base[11], base[12], base[13], base[14] = (
            loss.picklist,
            loss.verbatim,
            loss.competitor,
            loss.ended_by,
        )
        return base

    def _product(self, size: str) -> c.Product:
        weights = {
            "1-10": (8, 2, 0),
            "11-50": (5, 5, 1),
            "51-200": (2, 6, 3),
            "201-1000": (0, 3, 7),
        }
        return self.rng.choices(c.PRODUCTS, weights[size])[0]

    def _contact(self, account: Account) -> tuple[str, str]:
        first, last = self.rng.choice(c.FIRST_NAMES), self.rng.choice(c.LAST_NAMES)
        return f"{first} {last}", f"{first}.{last}@{account.domain}".lower()

    def _win_rate(self, seller: str, account: Account, month: int) -> float:
        rate = 0.30
        if seller == c.PUSHY_SELLER:
            rate = 0.21
        elif seller == c.NO_SELLER:
            rate = 0.41
        if account.industry == c.FREEZE_INDUSTRY and month >= c.FREEZE_MONTH:
            rate *= 0.5
        if month >= c.PRICE_CUT_MONTH:
            rate *= 0.85
        return rate

    # -- why it was lost -----------------------------------------------------------

    def _loss(self, seller: str, account: Account, month: int) -> Loss:
        rng = self.rng
        weights = dict(c.BASE_REASONS)
        story: dict[str, float] = {}
        if month < c.INTEGRATION_SHIPPED_MONTH and account.size != "201-1000":
            story["quickbooks"] = 9
        if month >= c.PRICE_CUT_MONTH:
            story["competitor_price_cut"] = 24
        if account.industry == c.FREEZE_INDUSTRY and month >= c.FREEZE_MONTH:
            story["budget_freeze"] = 150
        if seller == c.PUSHY_SELLER:
            story["pushy"] = 16
        if seller == c.NO_SELLER:
            story["disqualified"] = 40
        options = list(weights) + list(story)
        chosen = rng.choices(options, [*weights.values(), *story.values()])[0]
        if rng.random() < 0.22:
            return self._no_reason(chosen)
        return self._explained(chosen)

    def _explained(self, chosen: str) -> Loss:
        rng, words = self.rng, phrases.bank()
        category, text = _STORY_CATEGORY.get(chosen, chosen), ""
        competitor = ""
        if category == "market.competitor":
            competitor = (
                c.PRICE_CUTTER if chosen == "competitor_price_cut" else rng.choice(c.COMPETITORS)
            )
        text = rng.choice(words.story[chosen] if chosen in words.story else words.phrases[category])
        text = text.replace("{competitor}", competitor or rng.choice(c.COMPETITORS))
        if rng.random() < 0.12:
            other = rng.choice([k for k in words.phrases if k != category])
            joiner = rng.choice(words.connectors)
            text = joiner.format(
                a=text.rstrip("."), b=_lower_first(rng.choice(words.phrases[other]))
            )
            text = text.replace("{competitor}", rng.choice(c.COMPETITORS))
        picklist = rng.choice(words.picklist[category])
        if rng.random() < 0.22:
            text = ""  # the rep only picked a value from the list
        elif rng.random() < 0.12:
            text = _typo(rng, text)
        if rng.random() < 0.15:
            picklist = ""
        if not text and not picklist:
            picklist = rng.choice(words.picklist[category])
        disqualified = chosen == "disqualified" or (
            category == "fit.not_a_fit" and rng.random() < 0.5
        )
        ended_by = "us" if disqualified else "them"
        competitor_field = competitor if competitor and rng.random() < 0.5 else ""
        return Loss(category, text, picklist, competitor_field, ended_by)

    def _no_reason(self, chosen: str) -> Loss:
        rng, words = self.rng, phrases.bank()
        verbatim = rng.choice(words.no_reason) if rng.random() < 0.5 else ""
        picklist = rng.choice(words.picklist["unknown.no_reason"]) if rng.random() < 0.6 else ""
        ended_by = rng.choice(("silent", "silent", "them", ""))
        return Loss("unknown.no_reason", verbatim, picklist, "", ended_by)


_STORY_CATEGORY = {
    "quickbooks": "product.integration",
    "competitor_price_cut": "market.competitor",
    "budget_freeze": "market.budget",
    "pushy": "approach.sales_experience",
    "disqualified": "fit.not_a_fit",
}


def _stamp(rng: random.Random, day: dt.date) -> str:
    return f"{day.isoformat()} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _typo(rng: random.Random, text: str) -> str:
    """One realistic slip: swapped, dropped or doubled letter, or a lower-case start."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not candidates:
        return text[:1].lower() + text[1:]
    i = rng.choice(candidates)
    word, j = words[i], rng.randint(1, len(words[i]) - 2)
    kind = rng.randint(0, 2)
    if kind == 0:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif kind == 1:
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)
