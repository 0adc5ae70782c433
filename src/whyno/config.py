"""Settings in one place: environment (WHYNO_*), then defaults.

Nothing here runs at import time; call :func:`load_settings` (or build a
:class:`Settings` yourself in tests).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from whyno.errors import InputError

# Secrets that must never sign a team server's sessions.
KNOWN_SECRETS = frozenset(
    {"", "secret", "changeme", "change-me", "change_me", "dev", "development", "whyno", "test"}
)
MIN_SECRET_LENGTH = 32


def default_home() -> Path:
    """The workspace folder used when WHYNO_HOME is not set."""
    return Path.home() / ".whyno"


class Settings(BaseSettings):
    """whyno's settings. Every field can be set as WHYNO_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="WHYNO_", extra="ignore")

    home: Path = Field(default_factory=default_home, description="Workspace folder.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL or SQLite file path; default: <home>/whyno.db.",
    )
    cache_dir: Path = Field(
        default=Path(),
        description="Where trained reason models are cached; default: <home>/cache.",
    )
    # --- the team server (whyno serve) ---
    secret_key: SecretStr | None = Field(
        default=None, description="Signs session cookies and CSRF tokens; required by the server."
    )
    max_upload_mb: float = Field(default=20.0, description="Largest upload (imports, calls).")
    session_hours: float = Field(default=12.0, description="How long a sign-in lasts.")
    secure_cookies: bool = Field(default=False, description="Cookies only over HTTPS.")
    cache_seconds: float = Field(
        default=30.0,
        description="How long a dashboard may be reused when the data changed outside the server.",
    )
    login_attempts: int = Field(default=5, description="Failed sign-ins allowed per window.")
    login_window_seconds: float = Field(default=300.0, description="The sign-in window.")
    profile: Path | None = Field(
        default=None, description="The product profile YAML used by the brief page."
    )

    @model_validator(mode="after")
    def _cache_in_home(self) -> Settings:
        if self.cache_dir == Path():
            self.cache_dir = self.home / "cache"
        return self

    def resolved_database_url(self) -> str:
        """The database URL to use, defaulting to a SQLite file in the workspace."""
        if self.database_url:
            return database_url_from(self.database_url)
        return database_url_from(str(self.home / "whyno.db"))


def check_secret(settings: Settings) -> str:
    """The server's secret key, or an InputError when it is missing, known or short."""
    value = settings.secret_key.get_secret_value() if settings.secret_key else ""
    if value.strip().lower() in KNOWN_SECRETS or len(value) < MIN_SECRET_LENGTH:
        raise InputError(
            "the server needs its own secret key (WHYNO_SECRET_KEY): at least "
            f"{MIN_SECRET_LENGTH} random characters, never a default. Make one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return value


def database_url_from(value: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as SQLite)."""
    if "://" in value:
        if value.startswith(("postgres://", "postgresql://")):
            # psycopg 3 is the driver we ship in the `postgres` extra.
            _scheme, rest = value.split("://", 1)
            return f"postgresql+psycopg://{rest}"
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def load_settings(database_url: str | None = None) -> Settings:
    """Settings from the environment, with an optional explicit database URL or path."""
    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings
