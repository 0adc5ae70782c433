"""What the app holds while it runs: settings, the store, caches, templates."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from whyno.config import Settings
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
    _classifier_ready: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def classifier(self) -> Any:
        """The reasons classifier for call reviews, built once on first use (may be None)."""
        with self._lock:
            if not self._classifier_ready:
                self._classifier = self.make_classifier()
                self._classifier_ready = True
        return self._classifier


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.whyno
    return state
