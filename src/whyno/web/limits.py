"""Limits: the size of a request body, and how often someone may fail to sign in."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from whyno.web.errors import error_body


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: answer 413 to a body over ``max_bytes`` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def watching(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, watching)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        megabytes = self.max_bytes / 1_000_000
        body = json.dumps(
            error_body(413, f"the upload is larger than {megabytes:g} MB (WHYNO_MAX_UPLOAD_MB)")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class LoginLimiter:
    """At most ``attempts`` failed sign-ins per (address, username) and 4x that per address
    within ``window`` seconds. In memory, per server process."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[Any, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: Any, now: float) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        return stamps

    def retry_after(self, address: str, username: str) -> int:
        """Seconds to wait before trying again (0: go ahead)."""
        now = time.monotonic()
        with self._lock:
            checks = (
                (self._recent((address, username.lower()), now), self.attempts),
                (self._recent(address, now), self.attempts * 4),
            )
            waits = [
                stamps[0] + self.window - now for stamps, limit in checks if len(stamps) >= limit
            ]
        return int(max(waits)) + 1 if waits else 0

    def failed(self, address: str, username: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent((address, username.lower()), now).append(now)
            self._recent(address, now).append(now)
            if len(self._failures) > 10_000:  # bounded memory under a spray of usernames
                self._failures.clear()

    def succeeded(self, address: str, username: str) -> None:
        with self._lock:
            self._failures.pop((address, username.lower()), None)
