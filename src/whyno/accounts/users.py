"""Teams, users and API tokens: create them, check a password or a token.

Passwords are stored as Argon2id hashes; API tokens as their SHA-256 (a token
is 256 random bits, so a fast hash is safe and keeps every API call cheap).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from whyno.accounts.passwords import burn_time, check_strength, hash_password, verify_password
from whyno.accounts.scope import Scope
from whyno.errors import InputError, NotFoundError
from whyno.store.models import ApiToken, Role, Seller, Team, User
from whyno.store.store import Store, audit

TOKEN_PREFIX = "wn_"
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AuthUser:
    """A signed-in person: who they are, their team and role, and what they may see."""

    id: int
    username: str
    display_name: str | None
    role: str
    team_id: int
    team_name: str
    seller_id: int | None
    seller_name: str | None
    data_version: int = 0

    @property
    def scope(self) -> Scope:
        return Scope(self.team_id, self.seller_id, own_only=self.role == Role.SELLER.value)

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "team": self.team_name,
            "seller": self.seller_name,
        }


def _user_query() -> Any:
    return (
        select(
            User.id,
            User.username,
            User.display_name,
            User.role,
            User.team_id,
            Team.name,
            User.seller_id,
            Seller.name,
            Team.data_version,
        )
        .join(Team, User.team_id == Team.id)
        .outerjoin(Seller, User.seller_id == Seller.id)
        .where(User.active.is_(True))
    )


def team_id_for(connection: Connection, name: str, create: bool = True) -> int:
    found = connection.execute(select(Team.id).where(Team.name == name)).scalar()
    if found is not None:
        return int(found)
    if not create:
        raise NotFoundError(f"no team {name!r}")
    connection.execute(insert(Team).values(name=name, data_version=0, created_at=_now()))
    return int(connection.execute(select(Team.id).where(Team.name == name)).scalar_one())


def _seller_id(connection: Connection, name: str) -> int:
    found = connection.execute(select(Seller.id).where(Seller.name == name)).scalar()
    if found is not None:
        return int(found)
    connection.execute(insert(Seller).values(name=name, created_at=_now()))
    return int(connection.execute(select(Seller.id).where(Seller.name == name)).scalar_one())


def add_user(
    store: Store,
    username: str,
    password: str,
    *,
    role: str = Role.SELLER.value,
    team: str = "default",
    seller: str | None = None,
    display_name: str | None = None,
    actor: str = "cli",
) -> AuthUser:
    """Create a user (and their team if new). A seller is linked to a seller of that name."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InputError(
            f"username {username!r}: use 2-100 lower-case letters, digits, '.', '_', '-' or '@'"
        )
    if role not in {r.value for r in Role}:
        raise InputError(f"role {role!r}: use seller, manager or admin")
    check_strength(password)
    if role == Role.SELLER.value and not seller:
        seller = display_name or username
    hashed = hash_password(password)
    with store.engine.begin() as connection:
        if connection.execute(select(User.id).where(User.username == username)).first():
            raise InputError(f"user {username!r} already exists; choose another username")
        values = {
            "username": username,
            "display_name": display_name,
            "password_hash": hashed,
            "role": role,
            "team_id": team_id_for(connection, team),
            "seller_id": _seller_id(connection, seller) if seller else None,
            "active": True,
            "created_at": _now(),
        }
        connection.execute(insert(User).values(**values))
        audit(connection, "user_add", actor=actor, entity="user", entity_id=username)
    found: AuthUser | None = _load(store, username=username)
    assert found is not None
    return found


def _load(store: Store, *, username: str | None = None, user_id: int | None = None) -> Any:
    query = _user_query()
    query = query.where(User.username == username) if username else query.where(User.id == user_id)
    with store.engine.connect() as connection:
        row = connection.execute(query).first()
    return AuthUser(*row) if row else None


@lru_cache(maxsize=1)
def _by_id() -> Any:
    """The user-by-id query, built once: the server runs it on every request."""
    return _user_query().where(User.id == bindparam("user_id"))


def get_user(store: Store, user_id: int) -> AuthUser | None:
    """An active user by id, with their team's current data version."""
    with store.engine.connect() as connection:
        row = connection.execute(_by_id(), {"user_id": user_id}).first()
    return AuthUser(*row) if row else None


def authenticate(store: Store, username: str, password: str) -> AuthUser | None:
    """The user if the password is right; None otherwise (timing does not tell which)."""
    username = username.strip().lower()
    with store.engine.connect() as connection:
        row = connection.execute(
            select(User.id, User.password_hash).where(
                User.username == username, User.active.is_(True)
            )
        ).first()
    if row is None:
        burn_time(password)
        return None
    if not verify_password(row.password_hash, password):
        return None
    with store.engine.begin() as connection:
        connection.execute(update(User).where(User.id == row.id).values(last_login_at=_now()))
    return get_user(store, row.id)


@dataclass(frozen=True)
class UserRow:
    """A user as the team's admin lists them."""

    id: int
    username: str
    display_name: str | None
    role: str
    seller: str | None
    active: bool


@dataclass(frozen=True)
class TokenRow:
    """An API token as its owner lists it (the token itself is never shown again)."""

    id: int
    name: str
    prefix: str
    created_at: dt.datetime


def list_users(store: Store, team_id: int) -> list[UserRow]:
    query = (
        select(User.id, User.username, User.display_name, User.role, Seller.name, User.active)
        .outerjoin(Seller, User.seller_id == Seller.id)
        .where(User.team_id == team_id)
        .order_by(User.username)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [UserRow(*row) for row in rows]


# --- API tokens ---------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(store: Store, user_id: int, name: str) -> tuple[int, str]:
    """A new API token for the user: (its id, the token). Only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.engine.begin() as connection:
        result = connection.execute(
            insert(ApiToken)
            .values(
                user_id=user_id,
                name=name.strip()[:200] or "token",
                token_hash=_digest(token),
                prefix=token[:10],
                created_at=_now(),
            )
            .returning(ApiToken.id)
        )
        token_id = int(result.scalar_one())
        audit(connection, "token_create", actor=str(user_id), entity="token", entity_id=token_id)
    return token_id, token


def user_for_token(store: Store, token: str) -> AuthUser | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    query = _user_query().join(ApiToken, ApiToken.user_id == User.id)
    with store.engine.connect() as connection:
        row = connection.execute(query.where(ApiToken.token_hash == _digest(token))).first()
    return AuthUser(*row) if row else None


def list_tokens(store: Store, user_id: int) -> list[TokenRow]:
    query = (
        select(ApiToken.id, ApiToken.name, ApiToken.prefix, ApiToken.created_at)
        .where(ApiToken.user_id == user_id)
        .order_by(ApiToken.id)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [TokenRow(i, n, p, c.replace(microsecond=0)) for i, n, p, c in rows]


def delete_token(store: Store, user_id: int, token_id: int) -> None:
    with store.engine.begin() as connection:
        result = connection.execute(
            delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
        )
        if result.rowcount == 0:
            raise NotFoundError(f"no token {token_id}")
        audit(connection, "token_delete", actor=str(user_id), entity="token", entity_id=token_id)


# --- cache invalidation ---------------------------------------------------------------


def bump_data_version(connection: Connection, team_id: int) -> None:
    """Mark a team's data as changed (cached dashboards of older versions are stale)."""
    connection.execute(
        update(Team).where(Team.id == team_id).values(data_version=Team.data_version + 1)
    )


def data_version(store: Store, team_id: int) -> int:
    with store.engine.connect() as connection:
        value = connection.execute(
            select(func.coalesce(Team.data_version, 0)).where(Team.id == team_id)
        ).scalar()
    return int(value or 0)
