"""Password hashing with Argon2id (argon2-cffi, in the ``server`` extra)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whyno.errors import InputError, MissingExtraError

MIN_LENGTH = 10


@lru_cache(maxsize=1)
def _hasher() -> Any:
    try:
        from argon2 import PasswordHasher
    except ImportError as exc:
        raise MissingExtraError("Accounts", "server", "argon2-cffi") from exc
    return PasswordHasher()


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InputError(f"the password is too short: use at least {MIN_LENGTH} characters")


def hash_password(password: str) -> str:
    hashed: str = _hasher().hash(password)
    return hashed


def verify_password(hashed: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(hashed, password))
    except (VerificationError, InvalidHashError):
        return False


def burn_time(password: str) -> None:
    """Spend the time a verification takes, so unknown users are not told apart by timing."""
    verify_password(_dummy_hash(), password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not a real password, only for timing")
