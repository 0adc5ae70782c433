"""Reuse expensive results (the dashboard's analysis) per team until the data changes.

A result is reused while its team's data version is the same. Changes made
through the server bump the version: the next request computes afresh (and
concurrent requests wait for that one computation). Changes made outside the
server (a CLI import) do not; they show once the result is older than the time
to live, when it is recomputed in the background while the old one is still
served, so no request waits for it.
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
        item = self._items.get(key)
        if item is not None and item[0] == version:
            if item[1] < time.monotonic():
                self._refresh(key, version, compute)
            return item[2]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            item = self._items.get(key)
            if item is not None and item[0] == version:
                return item[2]
            return self._store(key, version, compute())

    def _store(self, key: str, version: int, value: Any) -> Any:
        with self._guard:
            if key not in self._items and len(self._items) >= MAX_ITEMS:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (version, time.monotonic() + self.ttl, value)
        return value

    def _refresh(self, key: str, version: int, compute: Callable[[], Any]) -> None:
        """Recompute in a background thread (one at a time per key); serve the old one."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        if not lock.acquire(blocking=False):
            return  # someone is already computing it

        def run() -> None:
            try:
                self._store(key, version, compute())
            finally:
                lock.release()

        threading.Thread(target=run, name=f"whyno-refresh-{key}", daemon=True).start()

    def clear(self) -> None:
        with self._guard:
            self._items.clear()
