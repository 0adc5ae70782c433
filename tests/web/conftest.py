"""Fixtures for the team server: an app over the parametrized store, and two teams.

Team "alpha": admin ada, manager max, sellers sam (seller "Sam") and sue
(seller "Sue"). Team "bravo": admin bob, seller bea. Each seller has a deal, a
no and a reviewed call; the texts name their owner, so a leak shows in a response.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from whyno.accounts import passwords
from whyno.accounts.users import AuthUser, add_user, create_token
from whyno.coach.calls import CallLink
from whyno.coach.stored import CallInput, content_digest, save_call
from whyno.config import Settings
from whyno.ingest.transcripts import parse_transcript
from whyno.nos.entry import NoEntry, log_no
from whyno.store import Store
from whyno.web import create_app

SECRET = "a-test-secret-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery"
CALL = "Sam: Is now a bad time?\nBuyer: We'll pass, the price is too high.\nSam: What drove that?\n"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with tiny costs: the tests check behaviour, not hashing strength."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", lambda: hasher)
    passwords._dummy_hash.cache_clear()


def settings_for(tmp_path: object, **extra: object) -> Settings:
    return Settings(home=tmp_path, secret_key=SECRET, **extra)  # type: ignore[arg-type]


@pytest.fixture
def app(store: Store, tmp_path: object) -> FastAPI:
    return create_app(settings_for(tmp_path), store=store, classifier=lambda: None)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@dataclass
class World:
    users: dict[str, AuthUser] = field(default_factory=dict)
    nos: dict[str, int] = field(default_factory=dict)  # owner username -> their no
    deals: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, tuple[int, str]] = field(default_factory=dict)


def _deal_of(store: Store, no_id: int) -> int:
    from sqlalchemy import select

    from whyno.store.models import No

    with store.engine.connect() as connection:
        return int(connection.execute(select(No.deal_id).where(No.id == no_id)).scalar_one())


@pytest.fixture
def world(store: Store) -> World:
    w = World()
    people = [
        ("ada", "admin", "alpha", None),
        ("max", "manager", "alpha", None),
        ("sam", "seller", "alpha", "Sam"),
        ("sue", "seller", "alpha", "Sue"),
        ("bob", "admin", "bravo", None),
        ("bea", "seller", "bravo", "Bea"),
    ]
    for username, role, team, seller in people:
        w.users[username] = add_user(store, username, PASSWORD, role=role, team=team, seller=seller)
    for username in ("sam", "sue", "bea"):
        user = w.users[username]
        no_id = log_no(
            store,
            NoEntry(
                deal=f"deal-of-{username}",
                seller=user.seller_name,
                reason=f"secret words of {username}: too expensive",
                ended_by="them",
            ),
            team_id=user.team_id,
        )
        w.nos[username] = no_id
        w.deals[username] = _deal_of(store, no_id)
        text = CALL.replace("Sam", user.seller_name or "")
        call = CallInput(
            parse_transcript(text, f"{username}.txt"),
            content_digest(text.encode()),
            f"call-of-{username}",
            link=CallLink(deal_id=w.deals[username]),
            sellers=(user.seller_name or "",),
        )
        with store.session() as session, session.begin():
            w.calls[username] = save_call(session, call, team_id=user.team_id).id
    for username in ("ada", "bob", "sam"):
        w.tokens[username] = create_token(store, w.users[username].id, f"token-of-{username}")
    return w


def login(client: TestClient, username: str) -> str:
    """Sign in through the API; returns the session's CSRF token."""
    response = client.post("/api/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token
