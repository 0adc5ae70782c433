"""One JSON encoding for every face: the CLI's --json, exports and the server's pages.

Dates and times are ISO text, dataclasses are objects, tuples are lists;
anything else that JSON cannot hold is an error, never silently a string.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any


def plain(value: Any) -> Any:
    """``json.dumps``'s ``default``: a date or time as ISO text, a dataclass as a dict."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON text (UTF-8 kept as is)."""
    return json.dumps(data, default=plain, ensure_ascii=False, indent=indent)
