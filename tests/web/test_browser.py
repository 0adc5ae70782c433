"""The team server in headless Chromium (the system's, never a downloaded one), served
by a real uvicorn on a free loopback port: sign in, log a no through the form, find
it in the list and on the dashboard; no way into another seller's or team's no; a
verbatim holding a script shows as text. Saves test-artifacts/dashboard.png."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, synthetic_catalog
from tests.web.conftest import PASSWORD, settings_for
from whyno.accounts.users import add_user
from whyno.nos.entry import NoEntry, log_no
from whyno.store import Store
from whyno.web import create_app

SCRIPT = "<script>alert('owned')</script> went with the cheaper tool"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(store: Store, tmp_path: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """A uvicorn server in a thread over a catalog: seller Ann's no's and others'."""
    import uvicorn

    synthetic_catalog(store, tmp_path / "deals.csv", seed=3, per_month=12, rising="Competitor")
    add_user(store, "ann", PASSWORD, role="seller", seller="Ann")
    add_user(store, "bea", PASSWORD, role="seller", team="bravo", seller="Bea")
    others = {
        "bo": log_no(store, NoEntry(deal="Bo's deal", seller="Bo", reason="timing")),
        "bea": log_no(store, NoEntry(deal="Bravo deal", seller="Bea", reason="budget"), team_id=2),
    }
    app = create_app(settings_for(tmp_path), store=store, classifier=lambda: None)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", others
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium for the browser tests (see .ci/run)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_a_seller_logs_a_no_and_sees_it_listed_and_counted(
    server: tuple[str, dict[str, int]], browser: Any
) -> None:
    base, _ = server
    page = browser.new_page(viewport={"width": 1200, "height": 1500})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _sign_in(page, base, "ann")
    before = int(page.locator("#count-nos").inner_text())

    page.get_by_role("link", name="Log a no").click()
    page.get_by_label("Deal").fill("Northwind renewal")  # the deal field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type("Northwind")
    page.get_by_label("Why, in their words").fill(SCRIPT)
    page.get_by_label("Competitor chosen").fill("Cheapo")
    page.get_by_label("Competitor chosen").press("Control+Enter")
    page.wait_for_url(f"{base}/nos?logged=*")

    assert page.get_by_role("status").inner_text().startswith("Logged no #")
    row = page.locator("tr", has_text="Northwind renewal")
    assert row.count() == 1
    assert row.locator("td.verbatim").inner_text().startswith(SCRIPT)  # shown as text
    assert dialogs == []  # and never run

    page.get_by_role("link", name="Dashboard").click()
    assert int(page.locator("#count-nos").inner_text()) == before + 1
    assert page.get_by_role("heading", name="What to change").is_visible()
    assert page.locator("svg.chart rect").count() > 20
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000


def test_a_seller_cannot_open_another_sellers_or_teams_no(
    server: tuple[str, dict[str, int]], browser: Any
) -> None:
    base, others = server
    page = browser.new_page()
    _sign_in(page, base, "ann")
    for owner in ("bo", "bea"):
        response = page.goto(f"{base}/nos/{others[owner]}")
        assert response is not None and response.status == 404
        assert "not found" in page.content().lower() or "no no with id" in page.content()
