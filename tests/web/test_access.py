"""Access control over every route, table-driven: sign-in, roles, teams and sellers.

``ROUTES`` names every route of the app with who may use it, which record its
id (in the path or the body) points to, and a valid request body. A test
checks that the table covers ``app.routes`` exactly, so a new route cannot
skip these checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount

from tests.web.conftest import PASSWORD, World, login
from whyno.web.app import all_routes

CSV = b"Id,Stage,Close Date,Loss Reason\nx-1,Closed Lost,2026-01-05,Price\n"
CALL = b"Seller: Is now a bad time?\nBuyer: No thanks.\n"

Ids = dict[str, int]
Body = Callable[[Ids], dict[str, Any]]


def _none(_ids: Ids) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Spec:
    access: str  # public, user, manager or admin
    resource: str | None = None  # the record the request names: no, deal, call or token
    body: Body = _none


ROUTES: dict[tuple[str, str], Spec] = {
    ("GET", "/api/health"): Spec("public"),
    ("GET", "/openapi.json"): Spec("user"),
    ("POST", "/api/login"): Spec(
        "public", body=lambda _: {"json": {"username": "ada", "password": PASSWORD}}
    ),
    ("POST", "/api/logout"): Spec("user"),
    ("GET", "/api/me"): Spec("user"),
    ("GET", "/api/tokens"): Spec("user"),
    ("POST", "/api/tokens"): Spec("user", body=lambda _: {"json": {"name": "t"}}),
    ("DELETE", "/api/tokens/{token_id}"): Spec("user", "token"),
    ("GET", "/api/users"): Spec("admin"),
    ("POST", "/api/users"): Spec(
        "admin", body=lambda _: {"json": {"username": "newbie", "password": PASSWORD}}
    ),
    ("GET", "/api/nos"): Spec("user"),
    ("POST", "/api/nos"): Spec("user", "deal", lambda ids: {"json": {"deal_id": ids["deal"]}}),
    ("GET", "/api/nos/{no_id}"): Spec("user", "no"),
    ("GET", "/api/nos/{no_id}/labels"): Spec("user", "no"),
    ("PUT", "/api/nos/{no_id}/labels"): Spec(
        "user", "no", lambda _: {"json": {"categories": ["product.price"]}}
    ),
    ("GET", "/api/labels"): Spec("user"),
    ("GET", "/api/deals"): Spec("user"),
    ("GET", "/api/deals/{deal_id}"): Spec("user", "deal"),
    ("POST", "/api/imports"): Spec("manager", body=lambda _: {"files": {"file": ("d.csv", CSV)}}),
    ("GET", "/api/trends"): Spec("user"),
    ("GET", "/api/calls"): Spec("user"),
    ("POST", "/api/calls"): Spec(
        "user",
        "deal",
        lambda ids: {"files": {"file": ("c.txt", CALL)}, "data": {"deal_id": str(ids["deal"])}},
    ),
    ("GET", "/api/calls/{call_id}"): Spec("user", "call"),
    ("GET", "/api/revisit"): Spec("user"),
    ("GET", "/login"): Spec("public"),
    ("POST", "/login"): Spec(
        "public", body=lambda _: {"data": {"username": "ada", "password": PASSWORD}}
    ),
    ("POST", "/logout"): Spec("user"),
    ("GET", "/"): Spec("user"),
    ("GET", "/nos"): Spec("user"),
    ("GET", "/nos/{no_id}"): Spec("user", "no"),
    ("POST", "/nos/{no_id}/labels"): Spec(
        "user", "no", lambda _: {"data": {"category": "product.price"}}
    ),
    ("GET", "/log"): Spec("user"),
    ("POST", "/log"): Spec("user", body=lambda _: {"data": {"deal": "from the form"}}),
    ("GET", "/calls"): Spec("user"),
    ("POST", "/calls"): Spec(
        "user",
        "deal",
        lambda ids: {"files": {"file": ("c.txt", CALL)}, "data": {"deal_id": str(ids["deal"])}},
    ),
    ("GET", "/calls/{call_id}"): Spec("user", "call"),
    ("GET", "/revisit"): Spec("user"),
    ("GET", "/brief"): Spec("user"),
    ("POST", "/brief"): Spec("user", body=lambda _: {"data": {"name": "Prospect"}}),
    ("GET", "/import"): Spec("manager"),
    ("POST", "/import"): Spec("manager", body=lambda _: {"files": {"file": ("d.csv", CSV)}}),
    ("GET", "/account"): Spec("user"),
    ("POST", "/account/tokens"): Spec("user", body=lambda _: {"data": {"name": "t"}}),
    ("POST", "/account/tokens/{token_id}/delete"): Spec("user", "token"),
    ("POST", "/account/users"): Spec(
        "admin", body=lambda _: {"data": {"username": "newbie", "password": PASSWORD}}
    ),
}
PARAMS = {"no": "no_id", "deal": "deal_id", "call": "call_id", "token": "token_id"}
SCOPED = [key for key, spec in ROUTES.items() if spec.resource]
GUARDED = [key for key, spec in ROUTES.items() if spec.access != "public"]
LISTS = [
    key
    for key, spec in ROUTES.items()
    if key[0] == "GET" and not spec.resource and spec.access != "public"
]


def _ids(world: World, owner: str) -> Ids:
    """The records of ``owner`` (a token: that person's, or bob's for users without one)."""
    token_owner = owner if owner in world.tokens else "bob"
    return {
        "no": world.nos[owner],
        "deal": world.deals[owner],
        "call": world.calls[owner],
        "token": world.tokens[token_owner][0],
    }


def _call(client: TestClient, key: tuple[str, str], ids: Ids, csrf: str = "") -> Any:
    method, path = key
    spec = ROUTES[key]
    if spec.resource and PARAMS[spec.resource] in path:
        path = path.replace("{" + PARAMS[spec.resource] + "}", str(ids[spec.resource]))
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    return client.request(method, path, headers=headers, follow_redirects=False, **spec.body(ids))


def test_the_table_covers_every_route(app: FastAPI) -> None:
    found = {
        (method, route.path)
        for route in all_routes(app)
        if not isinstance(route, Mount)
        for method in getattr(route, "methods", set()) - {"HEAD"}
    }
    assert found == set(ROUTES)


@pytest.mark.parametrize("key", GUARDED, ids=" ".join)
def test_every_route_but_login_and_health_needs_a_sign_in(
    client: TestClient, world: World, key: tuple[str, str]
) -> None:
    response = _call(client, key, _ids(world, "sam"))
    if key[1].startswith("/api/") or key[1] == "/openapi.json":
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "key", [k for k, s in ROUTES.items() if s.access == "public"], ids=" ".join
)
def test_login_and_health_are_open(client: TestClient, world: World, key: tuple[str, str]) -> None:
    response = _call(client, key, _ids(world, "sam"))
    assert response.status_code not in (401, 303)


@pytest.mark.parametrize("key", SCOPED, ids=" ".join)
def test_another_teams_records_are_not_found(
    client: TestClient, world: World, key: tuple[str, str]
) -> None:
    csrf = login(client, "ada")  # alpha's admin sees everything of alpha, nothing of bravo
    response = _call(client, key, _ids(world, "bea"), csrf)
    assert response.status_code == 404


@pytest.mark.parametrize("key", SCOPED, ids=" ".join)
def test_a_seller_cannot_reach_another_sellers_records(
    client: TestClient, world: World, key: tuple[str, str]
) -> None:
    csrf = login(client, "sam")
    response = _call(client, key, _ids(world, "sue"), csrf)
    assert response.status_code == 404


@pytest.mark.parametrize("key", SCOPED, ids=" ".join)
def test_a_seller_reaches_their_own_records(
    client: TestClient, world: World, key: tuple[str, str]
) -> None:
    csrf = login(client, "sam")
    response = _call(client, key, _ids(world, "sam"), csrf)
    assert response.status_code in (200, 201, 204, 303)


@pytest.mark.parametrize("key", LISTS, ids=" ".join)
@pytest.mark.parametrize(
    ("who", "hidden"), [("sam", ("sue", "bea", "bob")), ("ada", ("bea", "bob"))]
)
def test_lists_show_only_what_the_user_may_see(
    client: TestClient, world: World, key: tuple[str, str], who: str, hidden: tuple[str, ...]
) -> None:
    login(client, who)
    response = _call(client, key, _ids(world, "sam"))
    assert response.status_code in (200, 403)
    for other in hidden:
        assert f"of-{other}" not in response.text and f"of {other}" not in response.text


def test_a_manager_sees_every_seller_of_their_team(client: TestClient, world: World) -> None:
    login(client, "max")
    deals = {row["name"] for row in client.get("/api/deals").json()["data"]}
    assert deals == {"deal-of-sam", "deal-of-sue"}


@pytest.mark.parametrize(
    "key", [k for k, s in ROUTES.items() if s.access in ("manager", "admin")], ids=" ".join
)
def test_a_seller_is_refused_manager_and_admin_routes(
    client: TestClient, world: World, key: tuple[str, str]
) -> None:
    csrf = login(client, "sam")
    response = _call(client, key, _ids(world, "sam"), csrf)
    assert response.status_code == 403


@pytest.mark.parametrize("key", [k for k, s in ROUTES.items() if s.access == "admin"], ids=" ".join)
def test_a_manager_is_refused_admin_routes(
    client: TestClient, world: World, key: tuple[str, str]
) -> None:
    csrf = login(client, "max")
    response = _call(client, key, _ids(world, "sam"), csrf)
    assert response.status_code == 403
