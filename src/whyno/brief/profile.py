"""The honest product profile (YAML): who we are for, who not, what we cannot do.

```yaml
product: Larkspur
for:                      # ideal customer: every rule should hold
  - id: for.size
    field: size           # a prospect field: industry, size, region, or any other
    in: ["11-50", "51-200", "201-1000"]
    description: field-service teams of 10 to 1,000 people
not_for:                  # any match makes the prospect "not a fit"
  - id: not.tiny
    field: size
    in: ["1-10"]
    description: shops under 10 people rarely get their money back from dispatch software
    better: Dispatchly    # optional: who serves them better
limitations:              # what we cannot do, honestly
  - id: lim.offline
    description: the technician app does not work offline
    triggers: [offline, no signal, basement]
    examples: ["our techs often work where there is no signal"]
competitors:
  - id: comp.servicegrid
    name: ServiceGrid
    better_for: large enterprises that need dozens of ready-made ERP integrations
    triggers: [sap, oracle, erp]
price:
  - id: price.model
    description: priced per technician per month, on an annual contract
    triggers: [monthly, per seat, price]
```

Every entry needs an ``id`` (unique) and its text; errors name the entry and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from whyno.errors import InputError


@dataclass(frozen=True)
class Rule:
    id: str
    field: str
    values: tuple[str, ...]
    description: str
    better: str | None = None

    def matches(self, prospect: Mapping[str, Any]) -> bool | None:
        """True/False when the prospect states the field, None when unknown."""
        value = prospect.get(self.field)
        if value in (None, ""):
            return None
        return str(value).strip().lower() in {v.lower() for v in self.values}


@dataclass(frozen=True)
class Limitation:
    id: str
    description: str
    triggers: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    category: str | None = None


@dataclass(frozen=True)
class Competitor:
    id: str
    name: str
    better_for: str
    triggers: tuple[str, ...] = ()
    rule: Rule | None = None


@dataclass(frozen=True)
class PriceFact:
    id: str
    description: str
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    product: str
    for_rules: tuple[Rule, ...] = ()
    not_for: tuple[Rule, ...] = ()
    limitations: tuple[Limitation, ...] = ()
    competitors: tuple[Competitor, ...] = ()
    price: tuple[PriceFact, ...] = ()
    ids: frozenset[str] = field(default_factory=frozenset)


def load_profile(path: Path) -> Profile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such profile file") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    return profile_from(data, str(path))


def profile_from(data: Any, where: str) -> Profile:
    if not isinstance(data, Mapping) or not data.get("product"):
        raise InputError(f"{where}: expected a mapping with at least 'product'")
    unknown = set(data) - {"product", "for", "not_for", "limitations", "competitors", "price"}
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    reader = _Reader(where)
    profile = Profile(
        product=str(data["product"]),
        for_rules=tuple(reader.rule(e, f"for[{i}]") for i, e in enumerate(data.get("for") or [])),
        not_for=tuple(
            reader.rule(e, f"not_for[{i}]") for i, e in enumerate(data.get("not_for") or [])
        ),
        limitations=tuple(
            reader.limitation(e, f"limitations[{i}]")
            for i, e in enumerate(data.get("limitations") or [])
        ),
        competitors=tuple(
            reader.competitor(e, f"competitors[{i}]")
            for i, e in enumerate(data.get("competitors") or [])
        ),
        price=tuple(reader.price(e, f"price[{i}]") for i, e in enumerate(data.get("price") or [])),
    )
    return Profile(**{**profile.__dict__, "ids": frozenset(reader.seen)})


class _Reader:
    def __init__(self, where: str) -> None:
        self.where = where
        self.seen: set[str] = set()

    def _entry(
        self, entry: Any, at: str, allowed: set[str], required: tuple[str, ...]
    ) -> Mapping[str, Any]:
        if not isinstance(entry, Mapping):
            raise InputError(f"{self.where}: {at}: expected a mapping")
        extra = set(entry) - allowed
        if extra:
            raise InputError(f"{self.where}: {at}: unknown key(s) {', '.join(sorted(extra))}")
        for key in required:
            if not str(entry.get(key) or "").strip():
                raise InputError(f"{self.where}: {at}: '{key}' is required")
        entry_id = str(entry["id"])
        if entry_id in self.seen:
            raise InputError(f"{self.where}: {at}: id {entry_id!r} is used twice")
        self.seen.add(entry_id)
        return entry

    def _words(self, entry: Mapping[str, Any], key: str, at: str) -> tuple[str, ...]:
        value = entry.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            raise InputError(f"{self.where}: {at}: '{key}' must be a list of words or phrases")
        return tuple(str(v).strip() for v in value if str(v).strip())

    def rule(self, entry: Any, at: str) -> Rule:
        e = self._entry(
            entry,
            at,
            {"id", "field", "in", "description", "better"},
            ("id", "field", "description"),
        )
        values = self._words(e, "in", at)
        if not values:
            raise InputError(f"{self.where}: {at}: 'in' must list the values the rule covers")
        return Rule(
            str(e["id"]),
            str(e["field"]),
            values,
            str(e["description"]),
            str(e["better"]) if e.get("better") else None,
        )

    def limitation(self, entry: Any, at: str) -> Limitation:
        e = self._entry(
            entry,
            at,
            {"id", "description", "triggers", "examples", "category"},
            ("id", "description"),
        )
        return Limitation(
            str(e["id"]),
            str(e["description"]),
            self._words(e, "triggers", at),
            self._words(e, "examples", at),
            e.get("category"),
        )

    def competitor(self, entry: Any, at: str) -> Competitor:
        e = self._entry(
            entry,
            at,
            {"id", "name", "better_for", "triggers", "when"},
            ("id", "name", "better_for"),
        )
        rule = None
        if e.get("when"):
            when = e["when"]
            if not isinstance(when, Mapping):
                raise InputError(f"{self.where}: {at}: 'when' must be a mapping with field and in")
            rule = Rule(
                f"{e['id']}.when",
                str(when.get("field", "")),
                self._words(when, "in", at),
                str(e["better_for"]),
            )
        return Competitor(
            str(e["id"]), str(e["name"]), str(e["better_for"]), self._words(e, "triggers", at), rule
        )

    def price(self, entry: Any, at: str) -> PriceFact:
        e = self._entry(entry, at, {"id", "description", "triggers"}, ("id", "description"))
        return PriceFact(str(e["id"]), str(e["description"]), self._words(e, "triggers", at))
