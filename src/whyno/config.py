"""Settings in one place: environment (WHYNO_*), then defaults.

Nothing here runs at import time; call :func:`load_settings` (or build a
:class:`Settings` yourself in tests).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    def resolved_database_url(self) -> str:
        """The database URL to use, defaulting to a SQLite file in the workspace."""
        if self.database_url:
            return database_url_from(self.database_url)
        return database_url_from(str(self.home / "whyno.db"))


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
