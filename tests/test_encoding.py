"""One JSON encoding: dates as ISO text, dataclasses as objects, nothing silently stringified."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest

from whyno.encoding import dumps


@dataclass(frozen=True)
class _Row:
    day: dt.date
    at: dt.datetime
    pair: tuple[int, int]


def test_dates_dataclasses_and_tuples_encode() -> None:
    row = _Row(dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4, 5, 678), (1, 2))
    assert json.loads(dumps({"row": row, "words": "déjà vu"})) == {
        "row": {"day": "2026-01-02", "at": "2026-01-02T03:04:05", "pair": [1, 2]},
        "words": "déjà vu",
    }
    assert "déjà" in dumps("déjà")  # UTF-8 kept, not escaped


def test_anything_else_is_an_error() -> None:
    with pytest.raises(TypeError, match="not JSON serialisable: set"):
        dumps({1, 2})
