"""Across calls: which behaviours go with won versus lost deals on this team.

Each deal with stored calls and an outcome (won or lost, from the CRM or a
person; not the placeholder deal made for a call no mapping linked) counts once: a
behaviour is "present" when the seller showed it in any of the deal's calls.
For every behaviour we compare the win rate of deals with it and without it:
the difference, its 95% interval (Newcombe's method), a two-sided p-value
(Fisher's exact test, at every size), exact up to the correction, and
Benjamini-Hochberg q-values across the behaviours at 5% (measured by
``bench/trends_calibration.py``: with behaviours unrelated to the outcome, a
team sees a difference at most about 5% of the time). With fewer than
``MIN_GROUP`` deals on either side the answer is "not enough calls". A
difference is a correlation on this team, not a rule of selling.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from whyno.coach.stored import CALL_SOURCE
from whyno.stats import benjamini_hochberg, difference_interval, fisher_exact
from whyno.store.models import Conversation, Deal, DealStatus
from whyno.store.store import Store

MIN_GROUP = 5  # deals on each side of a comparison before we say anything
FDR = 0.05

Metrics = Mapping[str, Any]


@dataclass(frozen=True)
class Behaviour:
    key: str
    label: str
    shown: Callable[[Metrics], bool]
    after_no: bool = False  # only meaningful on deals where a no was heard in a call


BEHAVIOURS = (
    Behaviour("label", "labelled the buyer's situation", lambda m: m.get("labels", 0) > 0),
    Behaviour("mirror", "mirrored the buyer's words", lambda m: m.get("mirrors", 0) > 0),
    Behaviour(
        "no_oriented_question",
        "asked no-oriented questions",
        lambda m: m.get("no_oriented_questions", 0) > 0,
    ),
    Behaviour(
        "calibrated_questions",
        "asked mostly open how/what questions",
        lambda m: m.get("calibrated_share", 0.0) >= 0.5,
    ),
    Behaviour(
        "going_for_no", "named an honest reason not to buy", lambda m: m.get("going_for_no", 0) > 0
    ),
    Behaviour("pressure", "used pressure", lambda m: m.get("pressure", 0) > 0),
    Behaviour(
        "listened_more",
        "talked less than half the time",
        lambda m: m.get("talk_ratio_words", 1.0) < 0.5,
    ),
    Behaviour("asked_why", "asked why after a no", lambda m: bool(m.get("asked_why")), True),
    Behaviour("accepted_no", "accepted the no", lambda m: bool(m.get("accepted_no")), True),
    Behaviour(
        "pushed_after_no", "pushed past a no", lambda m: m.get("pushes_after_no", 0) > 0, True
    ),
)


@dataclass
class Finding:
    behaviour: str
    label: str
    among: str  # which deals were compared
    with_deals: int
    with_won: int
    without_deals: int
    without_won: int
    difference: float | None = None  # win rate with minus without
    low: float | None = None
    high: float | None = None
    p_value: float | None = None
    q_value: float | None = None
    verdict: str = "not enough calls"


@dataclass
class Insights:
    deals: int  # deals with calls and an outcome
    won: int
    calls: int
    findings: list[Finding]

    @property
    def enough(self) -> bool:
        return any(f.verdict != "not enough calls" for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "deals": self.deals,
            "won": self.won,
            "calls": self.calls,
            "enough_calls": self.enough,
            "min_deals_per_side": MIN_GROUP,
            "findings": [asdict(f) for f in self.findings],
        }


def insights(store: Store) -> Insights:
    """Compare win rates of deals with and without each behaviour; see the module docstring."""
    deals, calls = _deal_metrics(store)
    won = {d for d, (status, _) in deals.items() if status == DealStatus.WON.value}
    return Insights(len(deals), len(won), calls, compare(deals, won))


def compare(deals: Mapping[int, tuple[str, Sequence[Metrics]]], won: set[int]) -> list[Finding]:
    """One finding per behaviour, with q-values over every behaviour tested.

    p-values stay exact up to the correction (a p-value of 1e-9 is not 0 and
    never becomes 1); rounding is for display only.
    """
    findings = [_compare(b, deals, won) for b in BEHAVIOURS]
    tested = [f for f in findings if f.p_value is not None]
    q_values = benjamini_hochberg([f.p_value for f in tested if f.p_value is not None])
    for finding, q in zip(tested, q_values, strict=True):
        finding.q_value = q
        finding.verdict = _verdict(finding, q)
    return findings


def _deal_metrics(store: Store) -> tuple[dict[int, tuple[str, list[Metrics]]], int]:
    query = (
        select(Conversation.deal_id, Deal.status, Conversation.metrics)
        .join(Deal, Deal.id == Conversation.deal_id)
        .where(
            Deal.status.in_([DealStatus.WON.value, DealStatus.LOST.value]),
            Deal.source != CALL_SOURCE,  # a deal made for an unlinked call has no real outcome
        )
    )
    grouped: dict[int, list[Metrics]] = defaultdict(list)
    status: dict[int, str] = {}
    calls = 0
    with store.engine.connect() as connection:
        for deal_id, deal_status, metrics in connection.execute(query):
            grouped[deal_id].append(metrics or {})
            status[deal_id] = deal_status
            calls += 1
    return {d: (status[d], m) for d, m in grouped.items()}, calls


def _compare(
    behaviour: Behaviour, deals: Mapping[int, tuple[str, Sequence[Metrics]]], won: set[int]
) -> Finding:
    pool = {
        d: m
        for d, (_, m) in deals.items()
        if not behaviour.after_no or any(x.get("rejections_heard", 0) > 0 for x in m)
    }
    with_ = {d for d, m in pool.items() if any(behaviour.shown(x) for x in m)}
    without = set(pool) - with_
    finding = Finding(
        behaviour.key,
        behaviour.label,
        "deals where the buyer said no in a call" if behaviour.after_no else "deals with calls",
        len(with_),
        len(with_ & won),
        len(without),
        len(without & won),
    )
    if min(len(with_), len(without)) < MIN_GROUP:
        return finding
    k1, n1, k2, n2 = (
        finding.with_won,
        finding.with_deals,
        finding.without_won,
        finding.without_deals,
    )
    finding.difference = round(k1 / n1 - k2 / n2, 4)
    low, high = difference_interval(k1, n1, k2, n2)
    finding.low, finding.high = round(low, 4), round(high, 4)
    finding.p_value = fisher_exact(k1, n1, k2, n2)
    return finding


def _verdict(finding: Finding, q: float) -> str:
    if q >= FDR or finding.difference is None:
        return "no clear difference"
    return "goes with winning" if finding.difference > 0 else "goes with losing"
