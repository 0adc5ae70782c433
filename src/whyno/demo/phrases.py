"""The verbatim bank of the Larkspur demo simulator, read from ``phrases.yaml``.

The text is data (see that file for what each part holds); this module only
reads it, once, on first use, and checks its shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from whyno.errors import InputError

SOURCE = "phrases.yaml"


@dataclass(frozen=True)
class Bank:
    phrases: dict[str, tuple[str, ...]]  # reason id -> phrasings ({competitor} slot)
    story: dict[str, tuple[str, ...]]  # storyline event -> phrasings
    picklist: dict[str, tuple[str, ...]]  # reason id -> CRM picklist values
    no_reason: tuple[str, ...]  # what reps type when no reason was given
    connectors: tuple[str, ...]  # templates joining two reasons: {a}, {b}


@cache
def bank() -> Bank:
    """The demo's phrasings (read once)."""
    text = resources.files("whyno.demo").joinpath(SOURCE).read_text(encoding="utf-8")
    data: Any = yaml.safe_load(text)
    try:
        return Bank(
            phrases=_groups(data["phrases"]),
            story=_groups(data["story"]),
            picklist=_groups(data["picklist"]),
            no_reason=_texts(data["no_reason"]),
            connectors=_texts(data["connectors"]),
        )
    except (KeyError, TypeError) as exc:
        raise InputError(f"whyno/demo/{SOURCE}: malformed ({exc}); reinstall whyno") from None


def _groups(value: Any) -> dict[str, tuple[str, ...]]:
    return {str(key): _texts(texts) for key, texts in dict(value).items()}


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise TypeError("expected a list of texts")
    return tuple(value)
