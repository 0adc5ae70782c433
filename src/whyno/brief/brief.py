"""The pre-call brief: the honest reasons a prospect might not want to buy from us.

Every reason, question and talk track names its ``source``: the profile entry
it comes from (or ``catalog`` for the lessons from past no's). The text is the
profile's own words placed in fixed sentence frames, so whyno never invents a
reason, a limitation or a deadline, and never uses false scarcity.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sqlalchemy import func, select

from whyno.accounts.scope import Scope
from whyno.brief.profile import Profile
from whyno.errors import InputError, NotFoundError
from whyno.store.models import Account, Deal, No
from whyno.store.store import Store

SIMILAR = 0.62  # a note sentence this close to a limitation's examples is a possible match


@dataclass(frozen=True)
class Reason:
    text: str
    source: str
    kind: str  # not_for, outside_ideal, limitation, competitor, price
    strength: str  # strong or possible
    evidence: str
    better: str | None = None


@dataclass(frozen=True)
class Line:
    text: str
    source: str
    style: str = ""


@dataclass
class Brief:
    prospect: str
    verdict: str  # fit, risky, not a fit
    reasons: list[Reason] = field(default_factory=list)
    better_options: list[Line] = field(default_factory=list)
    questions: list[Line] = field(default_factory=list)
    talk_tracks: list[Line] = field(default_factory=list)
    lessons: list[tuple[str, int]] = field(default_factory=list)
    lessons_scope: str = ""


def load_prospect(ref: str, store: Store | None = None) -> dict[str, Any]:
    """A prospect from a YAML/JSON file, or an account in the catalog by name."""
    path = Path(ref)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or path.is_file():
        if not path.is_file():
            raise InputError(f"{ref}: no such prospect file")
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise InputError(f"{ref}: cannot read the prospect ({exc})") from None
        if not isinstance(data, dict):
            raise InputError(f"{ref}: expected a mapping (name, industry, size, needs, notes...)")
        return {str(k): v for k, v in data.items()}
    if store is None:
        raise InputError(f"{ref}: not a file; give a prospect YAML/JSON file or an account name")
    return _account(store, ref)


def _account(store: Store, name: str) -> dict[str, Any]:
    with store.engine.connect() as connection:
        row = connection.execute(
            select(Account.id, Account.name, Account.industry, Account.region, Account.size).where(
                func.lower(Account.name) == name.lower()
            )
        ).first()
        if row is None:
            raise NotFoundError(f"no account {name!r} in the catalog; give a prospect file instead")
        notes = [
            v
            for (v,) in connection.execute(
                select(No.verbatim)
                .join(Deal, No.deal_id == Deal.id)
                .where(Deal.account_id == row.id, No.verbatim.is_not(None))
            )
        ]
    return {
        "name": row.name,
        "industry": row.industry,
        "region": row.region,
        "size": row.size,
        "notes": ". ".join(n for n in notes if n),
    }


def make_brief(
    profile: Profile,
    prospect: Mapping[str, Any],
    store: Store | None = None,
    scope: Scope | None = None,
) -> Brief:
    """The honest brief for ``prospect``; with a store, the lessons of similar past no's
    (within ``scope`` on the team server: a team's, a seller's own)."""
    name = str(prospect.get("name") or "this prospect")
    brief = Brief(prospect=name, verdict="fit")
    text = _prospect_text(prospect)
    sentences = _sentences(text)
    _rules(profile, prospect, brief)
    _limitations(profile, text, sentences, brief)
    _competitors(profile, prospect, text, brief)
    _price(profile, text, brief)
    brief.reasons.sort(key=lambda r: (r.strength != "strong", _KIND_ORDER.index(r.kind)))
    if any(r.kind in ("not_for", "outside_ideal") for r in brief.reasons):
        brief.verdict = "not a fit"
    elif brief.reasons:
        brief.verdict = "risky"
    brief.talk_tracks = [t for r in brief.reasons[:3] for t in _tracks(r)]
    if store is not None:
        brief.lessons, brief.lessons_scope = lessons(store, prospect, scope)
    return brief


_KIND_ORDER = ["not_for", "outside_ideal", "limitation", "competitor", "price"]


def _prospect_text(prospect: Mapping[str, Any]) -> str:
    needs = prospect.get("needs") or []
    if isinstance(needs, str):
        needs = [needs]
    return " . ".join([*map(str, needs), str(prospect.get("notes") or "")]).strip(" .")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[.!?;\n]+", text) if len(s.strip().split()) >= 2]


def _mentions(text: str, triggers: tuple[str, ...]) -> str | None:
    lower = text.lower()
    for trigger in triggers:
        if re.search(rf"(?<![a-z0-9]){re.escape(trigger.lower())}(?![a-z0-9])", lower):
            return trigger
    return None


def _rules(profile: Profile, prospect: Mapping[str, Any], brief: Brief) -> None:
    for rule in profile.not_for:
        if rule.matches(prospect):
            evidence = f"{rule.field}: {prospect.get(rule.field)}"
            brief.reasons.append(
                Reason(rule.description, rule.id, "not_for", "strong", evidence, rule.better)
            )
            if rule.better:
                brief.better_options.append(Line(f"{rule.better}: {rule.description}", rule.id))
    for rule in profile.for_rules:
        verdict = rule.matches(prospect)
        if verdict is False:
            evidence = f"{rule.field}: {prospect.get(rule.field)}"
            brief.reasons.append(
                Reason(
                    f"we are built for {rule.description}",
                    rule.id,
                    "outside_ideal",
                    "strong",
                    evidence,
                )
            )
        elif verdict is None:
            brief.questions.append(
                Line(
                    f"We work best with {rule.description}. Is that you? "
                    f"(what is your {rule.field}?)",
                    rule.id,
                )
            )


def _limitations(profile: Profile, text: str, sentences: list[str], brief: Brief) -> None:
    similarity = _similarity(profile, sentences)
    for index, limitation in enumerate(profile.limitations):
        trigger = _mentions(text, limitation.triggers)
        if trigger:
            brief.reasons.append(
                Reason(
                    limitation.description,
                    limitation.id,
                    "limitation",
                    "strong",
                    f"they mention {trigger!r}",
                )
            )
            continue
        if similarity is not None and len(sentences):
            best = int(similarity[index].argmax())
            if similarity[index, best] >= SIMILAR:
                brief.reasons.append(
                    Reason(
                        limitation.description,
                        limitation.id,
                        "limitation",
                        "possible",
                        f"their notes say \u201c{sentences[best]}\u201d "
                        f"(similarity {similarity[index, best]:.2f})",
                    )
                )
                continue
        brief.questions.append(
            Line(
                f"Be skeptical here: {limitation.description}. Would that get in your way?",
                limitation.id,
            )
        )


def _similarity(profile: Profile, sentences: list[str]) -> np.ndarray | None:
    if not sentences or not profile.limitations:
        return None
    from whyno.reasons.embed import StaticEmbedder

    embedder = StaticEmbedder()
    notes = embedder.embed(sentences)
    rows = []
    for limitation in profile.limitations:
        anchors = embedder.embed([limitation.description, *limitation.examples])
        rows.append((anchors @ notes.T).max(axis=0))
    return np.array(rows)


def _competitors(profile: Profile, prospect: Mapping[str, Any], text: str, brief: Brief) -> None:
    for competitor in profile.competitors:
        trigger = _mentions(text, competitor.triggers)
        by_rule = competitor.rule.matches(prospect) if competitor.rule else None
        if trigger or by_rule:
            evidence = (
                f"they mention {trigger!r}"
                if trigger
                else (
                    f"{competitor.rule.field}: {prospect.get(competitor.rule.field)}"
                    if competitor.rule
                    else ""
                )
            )
            brief.reasons.append(
                Reason(
                    f"{competitor.name} may serve them better: it fits {competitor.better_for}",
                    competitor.id,
                    "competitor",
                    "possible",
                    evidence,
                    competitor.name,
                )
            )
            brief.better_options.append(
                Line(f"{competitor.name}: {competitor.better_for}", competitor.id)
            )


def _price(profile: Profile, text: str, brief: Brief) -> None:
    for fact in profile.price:
        trigger = _mentions(text, fact.triggers)
        if trigger:
            brief.reasons.append(
                Reason(fact.description, fact.id, "price", "possible", f"they mention {trigger!r}")
            )
        else:
            brief.questions.append(
                Line(
                    f"Say it early: {fact.description}. How does that sit with how you buy?",
                    fact.id,
                )
            )


def _tracks(reason: Reason) -> list[Line]:
    """Three ways to say the same true thing; the reason's words are the profile's own."""
    fact = reason.text[0].upper() + reason.text[1:]
    return [
        Line(
            f"Before we go further, one thing you should know: {fact}. If that matters to you, "
            "we may not be the right choice, and that is fine.",
            reason.source,
            "detached",
        ),
        Line(
            f"Since you mentioned it: {fact}. Better you hear it from me now than find out later.",
            reason.source,
            "hint",
        ),
        Line(
            f"I'd hate for this to surprise you later: {fact}. How would that land with your team?",
            reason.source,
            "empathetic",
        ),
    ]


def lessons(
    store: Store, prospect: Mapping[str, Any], scope: Scope | None = None
) -> tuple[list[tuple[str, int]], str]:
    """The five commonest reasons of past no's from prospects of the same industry and size
    (only those ``scope`` may see), and which of the two matched ("industry retail, ...")."""
    conditions, matched = [], []
    for name in ("industry", "size"):
        if prospect.get(name):
            conditions.append(getattr(Deal, name) == str(prospect[name]))
            matched.append(f"{name} {prospect[name]}")
    if not conditions:
        return [], ""
    if scope is not None:
        conditions.append(scope.nos())
    query = (
        select(No.main_category)
        .join(Deal, No.deal_id == Deal.id)
        .where(*conditions, No.main_category.is_not(None))
    )
    with store.engine.connect() as connection:
        counts: Counter[str] = Counter(c for (c,) in connection.execute(query) if c)
    return counts.most_common(5), ", ".join(matched)
