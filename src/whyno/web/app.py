"""The app factory: ``create_app(settings)`` builds the whole server, nothing at import."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from whyno import __version__
from whyno.config import Settings, check_secret
from whyno.reasons.taxonomy import default_taxonomy
from whyno.store.store import Store
from whyno.web import api, errors, pages
from whyno.web.cache import ResultCache
from whyno.web.limits import BodyLimit, LoginLimiter
from whyno.web.state import WebState

HERE = Path(__file__).parent
POOL_SIZE = 16  # database connections per server process (requests run in threads)
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy (no inline script runs) and friends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def all_routes(app: FastAPI) -> list[BaseRoute]:
    """Every route of the app, with included routers flattened (tests walk them all)."""
    found: list[BaseRoute] = []
    pending: list[Any] = list(app.routes)
    while pending:
        route = pending.pop(0)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            pending[:0] = list(inner.routes)
        else:
            found.append(route)
    return found


def _default_classifier(settings: Settings, store: Store) -> Callable[[], Any]:
    def build() -> Any:
        from whyno.reasons.labels import classifier_for

        return classifier_for(store, settings)

    return build


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    classifier: Callable[[], Any] | None = None,
) -> FastAPI:
    """The team server. Refuses a missing or default secret key (WHYNO_SECRET_KEY).

    ``store``: an open store to serve (default: open the one the settings name;
    it is closed when the app shuts down). ``classifier``: builds the reasons
    classifier used by call reviews (default: the cached offline model).
    """
    secret = check_secret(settings)
    owned = store is None
    opened = store or Store.open(settings=settings, pool_size=POOL_SIZE)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # requests run in threads; as many as the database has connections for
        anyio.to_thread.current_default_thread_limiter().total_tokens = POOL_SIZE
        yield
        if owned:
            opened.close()

    app = FastAPI(
        title="whyno",
        version=__version__,
        summary="Learn from every no: the catalog, trends and coaching of a sales team.",
        docs_url=None,  # the interactive docs load assets from a CDN; the server stays offline
        redoc_url=None,
        openapi_url=None,  # served by api.meta, behind authentication
        lifespan=lifespan,
    )
    app.state.whyno = WebState(
        settings=settings,
        store=opened,
        secret=secret,
        templates=Jinja2Templates(directory=str(HERE / "templates")),
        taxonomy=default_taxonomy(),
        limiter=LoginLimiter(settings.login_attempts, settings.login_window_seconds),
        cache=ResultCache(settings.cache_seconds),
        make_classifier=classifier or _default_classifier(settings, opened),
    )
    errors.install(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    api.register(app)
    pages.register(app)
    app.add_middleware(BodyLimit, max_bytes=int(settings.max_upload_mb * 1_000_000))
    app.add_middleware(SecurityHeaders)
    return app


def from_environment() -> FastAPI:
    """The app as ``whyno serve`` runs it in each worker: settings from WHYNO_* variables."""
    from whyno.config import load_settings

    return create_app(load_settings())
