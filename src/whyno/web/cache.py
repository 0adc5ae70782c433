"""Reuse expensive results (the dashboard's analysis) per team until the data changes.

A result is reused while its team's data version is the same and it is younger
than the time to live (changes made outside the server, such as a CLI import,
do not bump the version; the time to live bounds how stale they can look).
One computation per key at a time: concurrent requests wait for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

MAX_ITEMS = 512


class ResultCache:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._items: dict[str, tuple[int, float, Any]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: str, version: int, compute: Callable[[], Any]) -> Any:
        fresh = self._fresh(key, version)
        if fresh is not None:
            return fresh[0]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            fresh = self._fresh(key, version)
            if fresh is not None:
                return fresh[0]
            value = compute()
            with self._guard:
                if len(self._items) >= MAX_ITEMS:
                    self._items.pop(next(iter(self._items)))
                self._items[key] = (version, time.monotonic() + self.ttl, value)
            return value

    def _fresh(self, key: str, version: int) -> tuple[Any] | None:
        item = self._items.get(key)
        if item is None or item[0] != version or item[1] < time.monotonic():
            return None
        return (item[2],)

    def clear(self) -> None:
        with self._guard:
            self._items.clear()
