"""What the app holds while it runs: settings, the store, caches, templates."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from whyno.config import Settings
from whyno.reasons.labels import corrections_stamp
from whyno.reasons.taxonomy import Taxonomy
from whyno.store.store import Store
from whyno.web.cache import ResultCache
from whyno.web.limits import LoginLimiter


@dataclass
class WebState:
    settings: Settings
    store: Store
    secret: str
    templates: Jinja2Templates
    taxonomy: Taxonomy
    limiter: LoginLimiter
    cache: ResultCache
    make_classifier: Callable[[], Any]
    _classifier: Any = None
    _stamp: tuple[int, int] | None = None  # the corrections it was built with
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def classifier(self) -> Any:
        """The reasons classifier for call reviews (may be None), built on first use and
        again whenever a person's correction was added, here or from the CLI."""
        stamp = corrections_stamp(self.store)
        with self._lock:
            if stamp != self._stamp:
                self._classifier = self.make_classifier()
                self._stamp = stamp
        return self._classifier


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.whyno
    return state
