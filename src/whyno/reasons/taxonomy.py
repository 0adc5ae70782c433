"""The reason taxonomy: the built-in default and a team's YAML changes to it.

Category ids are a stable interface (``lever.name``, e.g. ``product.price``).
A team's YAML file may rename categories (their labels; ids never change),
add categories (with example phrasings, so the classifier can learn them), or
replace the whole taxonomy::

    mode: extend            # or: replace
    rename:
      approach.value_unclear: Why did not land
    categories:
      - id: product.offline
        lever: product
        label: No offline mode
        meaning: technicians need the app without signal
        examples: ["no offline mode for the techs", "app useless in basements"]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from whyno.errors import InputError

LEVERS = ("approach", "product", "market", "fit", "unknown")
NO_REASON = "unknown.no_reason"
_ID = re.compile(r"^[a-z]+\.[a-z0-9_]+$")
MIN_EXAMPLES = 5


@dataclass(frozen=True)
class Category:
    id: str
    lever: str
    label: str
    meaning: str
    examples: tuple[str, ...] = ()


DEFAULT_CATEGORIES = (
    Category(
        "approach.value_unclear",
        "approach",
        "Value unclear",
        "the why did not land: value not seen, not convinced",
    ),
    Category(
        "approach.sales_experience",
        "approach",
        "Sales experience",
        "how we sold: pushy, slow, unresponsive, did not listen, bad demo",
    ),
    Category(
        "approach.trust",
        "approach",
        "Trust",
        "doubts about us: credibility, references, fear of a scam, security doubts",
    ),
    Category(
        "product.capability",
        "product",
        "Missing capability",
        "missing or weak capability, requirement not met",
    ),
    Category("product.integration", "product", "Integration", "does not fit their stack or data"),
    Category(
        "product.quality",
        "product",
        "Quality",
        "reliability, bugs, performance, support or service quality",
    ),
    Category("product.usability", "product", "Usability", "too complex, learning curve"),
    Category("product.price", "product", "Price", "too expensive, pricing model, fees"),
    Category(
        "market.budget", "market", "No budget", "no money: budget cut, freeze, can't afford now"
    ),
    Category("market.timing", "market", "Timing", "not now: other priorities, reorg, bad moment"),
    Category(
        "market.competitor", "market", "Competitor", "chose a competitor or another alternative"
    ),
    Category(
        "market.status_quo",
        "market",
        "Status quo",
        "decided to do nothing, keep the current way, or build it themselves",
    ),
    Category(
        "fit.not_a_fit",
        "fit",
        "Not a fit",
        "not our customer: wrong size, need or situation (a good no)",
    ),
    Category(NO_REASON, "unknown", "No reason", "no reason given, ghosted, just not interested"),
)


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    source: str = "built-in"
    _by_id: dict[str, Category] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({c.id: c for c in self.categories})

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.categories]

    def __contains__(self, category_id: object) -> bool:
        return category_id in self._by_id

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories)

    def get(self, category_id: str) -> Category:
        try:
            return self._by_id[category_id]
        except KeyError:
            raise InputError(
                f"unknown category {category_id!r}; the taxonomy has: {', '.join(self.ids)}"
            ) from None

    def lever(self, category_id: str) -> str:
        return self.get(category_id).lever


def default_taxonomy() -> Taxonomy:
    return Taxonomy(DEFAULT_CATEGORIES)


def load_taxonomy(path: Path | None) -> Taxonomy:
    """The default taxonomy, changed by the YAML file at ``path`` when given."""
    if path is None:
        return default_taxonomy()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such taxonomy file") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    return taxonomy_from(data, str(path))


def taxonomy_from(data: Any, where: str) -> Taxonomy:
    """Validate a parsed YAML document and apply it to the default taxonomy."""
    if not isinstance(data, Mapping):
        raise InputError(f"{where}: expected a mapping with 'categories' and/or 'rename'")
    unknown = set(data) - {"mode", "rename", "categories"}
    if unknown:
        raise InputError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; use mode, rename and categories"
        )
    mode = data.get("mode", "extend")
    if mode not in ("extend", "replace"):
        raise InputError(f"{where}: mode: {mode!r} must be 'extend' or 'replace'")
    added = [
        _category(item, f"{where}: categories[{i}]")
        for i, item in enumerate(data.get("categories") or [])
    ]
    base = [] if mode == "replace" else list(DEFAULT_CATEGORIES)
    categories = _merge(base, added, where)
    categories = _rename(categories, data.get("rename") or {}, where)
    if NO_REASON not in {c.id for c in categories}:
        raise InputError(f"{where}: the taxonomy must keep {NO_REASON} (a no without a reason)")
    return Taxonomy(tuple(categories), source=where)


def _category(item: Any, where: str) -> Category:
    if not isinstance(item, Mapping):
        raise InputError(f"{where}: expected a mapping with id, lever, label, meaning, examples")
    extra = set(item) - {"id", "lever", "label", "meaning", "examples"}
    if extra:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
    category_id = str(item.get("id", ""))
    if not _ID.match(category_id):
        raise InputError(
            f"{where}: id {category_id!r} must look like lever.name "
            "(lower case, e.g. product.offline)"
        )
    lever = str(item.get("lever", category_id.split(".")[0]))
    if lever not in LEVERS:
        raise InputError(f"{where}: lever {lever!r} must be one of {', '.join(LEVERS)}")
    examples = item.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise InputError(f"{where}: examples must be a list of strings")
    return Category(
        category_id,
        lever,
        str(item.get("label") or category_id),
        str(item.get("meaning") or ""),
        tuple(e.strip() for e in examples if e.strip()),
    )


def _merge(base: list[Category], added: list[Category], where: str) -> list[Category]:
    builtin = {c.id for c in DEFAULT_CATEGORIES}
    seen: set[str] = set()
    by_id = {c.id: c for c in base}
    for category in added:
        if category.id in seen:
            raise InputError(f"{where}: category {category.id!r} is defined twice")
        seen.add(category.id)
        if category.id not in builtin and len(category.examples) < MIN_EXAMPLES:
            raise InputError(
                f"{where}: category {category.id!r} needs at least {MIN_EXAMPLES} examples "
                "(phrasings of that reason) so the classifier can learn it"
            )
        by_id[category.id] = category
    return list(by_id.values())


def _rename(categories: list[Category], rename: Any, where: str) -> list[Category]:
    if not isinstance(rename, Mapping):
        raise InputError(f"{where}: rename must map category ids to new labels")
    ids = {c.id for c in categories}
    for category_id in rename:
        if category_id not in ids:
            raise InputError(f"{where}: rename: unknown category {category_id!r}")
    return [replace(c, label=str(rename[c.id])) if c.id in rename else c for c in categories]
