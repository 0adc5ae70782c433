from __future__ import annotations

from pathlib import Path

import pytest

from whyno.errors import InputError
from whyno.reasons.picklist import is_picklist_value, picklist_category
from whyno.reasons.taxonomy import default_taxonomy, load_taxonomy

PRODUCT_IDS = [
    "approach.value_unclear",
    "approach.sales_experience",
    "approach.trust",
    "product.capability",
    "product.integration",
    "product.quality",
    "product.usability",
    "product.price",
    "market.budget",
    "market.timing",
    "market.competitor",
    "market.status_quo",
    "fit.not_a_fit",
    "unknown.no_reason",
]


def test_default_taxonomy_has_the_stable_ids() -> None:
    taxonomy = default_taxonomy()
    assert taxonomy.ids == PRODUCT_IDS
    assert {c.lever for c in taxonomy} == {"approach", "product", "market", "fit", "unknown"}
    assert taxonomy.lever("market.budget") == "market"


def _yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_extend_and_rename(tmp_path: Path) -> None:
    path = _yaml(
        tmp_path,
        """
rename:
  approach.value_unclear: Why did not land
categories:
  - id: product.offline
    lever: product
    label: No offline mode
    examples: [no offline mode, app dies without signal, techs work in basements,
               needs to work offline, no sync when back online]
""",
    )
    taxonomy = load_taxonomy(path)
    assert taxonomy.ids == [*PRODUCT_IDS, "product.offline"]
    assert taxonomy.get("approach.value_unclear").label == "Why did not land"
    assert len(taxonomy.get("product.offline").examples) == 5


def test_replace_keeps_only_the_given_categories(tmp_path: Path) -> None:
    examples = "[a, b, c, d, e]"
    path = _yaml(
        tmp_path,
        f"""
mode: replace
categories:
  - {{id: market.budget, lever: market, label: Money}}
  - {{id: fit.wrong_cause, lever: fit, examples: {examples}}}
  - {{id: unknown.no_reason, lever: unknown}}
""",
    )
    assert load_taxonomy(path).ids == ["market.budget", "fit.wrong_cause", "unknown.no_reason"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("categories:\n  - id: Product Offline\n", "must look like lever.name"),
        (
            "categories:\n  - {id: product.x, lever: vibes, examples: [a,b,c,d,e]}\n",
            "lever 'vibes'",
        ),
        ("categories:\n  - {id: product.x, examples: [a, b]}\n", "at least 5 examples"),
        ("colour: blue\n", "unknown key(s) colour"),
        ("mode: merge\n", "must be 'extend' or 'replace'"),
        ("rename:\n  product.nope: X\n", "unknown category 'product.nope'"),
        ("mode: replace\ncategories:\n  - {id: market.budget}\n", "must keep unknown.no_reason"),
        ("categories: [\n", "not valid YAML"),
        ("- just a list\n", "expected a mapping"),
    ],
)
def test_bad_taxonomy_files_are_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_taxonomy(_yaml(tmp_path, text))
    assert message in str(caught.value)
    assert "taxonomy.yaml" in str(caught.value)


def test_missing_taxonomy_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such taxonomy file"):
        load_taxonomy(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("Price", "product.price"),
        ("Pricing", "product.price"),
        ("Lost to Competitor", "market.competitor"),
        ("Competition", "market.competitor"),
        ("No Decision", "market.status_quo"),
        ("Do Nothing", "market.status_quo"),
        ("Timing", "market.timing"),
        ("Bad Timing", "market.timing"),
        ("No Budget", "market.budget"),
        ("Missing Feature", "product.capability"),
        ("Feature Gap", "product.capability"),
        ("Integration", "product.integration"),
        ("Not a Fit", "fit.not_a_fit"),
        ("Unqualified", "fit.not_a_fit"),
        ("No Response", "unknown.no_reason"),
        ("Security Concerns", "approach.trust"),
        ("Ease of use", "product.usability"),
        ("Product Quality", "product.quality"),
    ],
)
def test_picklist_values_map_without_the_model(value: str, category: str) -> None:
    assert picklist_category(value) == category
    assert is_picklist_value(value)


@pytest.mark.parametrize("value", ["Other", "N/A", "", None, "they went with Acme on price"])
def test_other_values_do_not_map(value: str | None) -> None:
    assert picklist_category(value) is None
