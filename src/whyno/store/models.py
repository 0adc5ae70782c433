"""The catalog's tables, as SQLAlchemy 2 declarative models.

The schema itself is owned by the Alembic migrations in ``migrations/``; a test
checks that these models and the migrated database agree.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ContactStatus(StrEnum):
    OK = "ok"
    NOT_NOW = "not_now"
    DO_NOT_CONTACT = "do_not_contact"


class DealStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class EndedBy(StrEnum):
    THEM = "them"
    US = "us"
    SILENT = "silent"


class LabelSource(StrEnum):
    MODEL = "model"
    CRM = "crm"
    PERSON = "person"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


DEFAULT_TEAM_ID = 1  # the team the CLI writes to (created by migration 0003)


class Role(StrEnum):
    SELLER = "seller"  # their own deals, no's and calls
    MANAGER = "manager"  # everything of their team
    ADMIN = "admin"  # everything of their team, and its users


def _team_column() -> Mapped[int]:
    return mapped_column(ForeignKey("teams.id"), server_default=str(DEFAULT_TEAM_ID))


class Team(Base):
    """A team on a shared server; teams never see each other's data."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Bumped on every write through the server: cached results of older versions are stale.
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("sellers.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    """A token for scripts; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Seller(Base):
    __tablename__ = "sellers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    industry: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ContactStatus.OK.value)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (
        UniqueConstraint(
            "team_id", "source", "external_id", name="uq_deals_team_source_external_id"
        ),
        Index("ix_deals_team_id_seller_id", "team_id", "seller_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = _team_column()
    source: Mapped[str] = mapped_column(String(50))
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(500))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    seller_id: Mapped[int | None] = mapped_column(
        ForeignKey("sellers.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    stage: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    product: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[str | None] = mapped_column(String(100))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    row_hash: Mapped[str | None] = mapped_column(String(32))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    account: Mapped[Account | None] = relationship()
    seller: Mapped[Seller | None] = relationship()
    contact: Mapped[Contact | None] = relationship()


class No(Base):
    """A no: a deal that ended without a sale, with what we know about why."""

    __tablename__ = "nos"
    __table_args__ = (
        Index("ix_nos_occurred_on_main_category", "occurred_on", "main_category"),
        Index("ix_nos_team_id_occurred_on", "team_id", "occurred_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = _team_column()
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    occurred_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    stage: Mapped[str | None] = mapped_column(String(200))
    ended_by: Mapped[str | None] = mapped_column(String(10))
    verbatim: Mapped[str | None] = mapped_column(Text)
    crm_reason: Mapped[str | None] = mapped_column(String(500))
    competitor: Mapped[str | None] = mapped_column(String(200))
    reason_understood: Mapped[bool] = mapped_column(Boolean, default=False)
    revisit_after: Mapped[dt.date | None] = mapped_column(Date)
    # The no's main reason (its strongest label), kept in step with reason_labels.
    main_category: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    deal: Mapped[Deal] = relationship()
    labels: Mapped[list[ReasonLabel]] = relationship(
        back_populates="no", cascade="all, delete-orphan", passive_deletes=True
    )


class ReasonLabel(Base):
    """One reason attached to a no (a no may have several)."""

    __tablename__ = "reason_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    no_id: Mapped[int] = mapped_column(ForeignKey("nos.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(100), index=True)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    source: Mapped[str] = mapped_column(String(10))
    model: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    no: Mapped[No] = relationship(back_populates="labels")


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id"), server_default=str(DEFAULT_TEAM_ID), index=True
    )
    deal_id: Mapped[int | None] = mapped_column(
        ForeignKey("deals.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(500))
    source_file: Mapped[str | None] = mapped_column(String(1000), index=True)
    occurred_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    digest: Mapped[str | None] = mapped_column(String(64), index=True)  # of the file and roles
    sellers: Mapped[str | None] = mapped_column(String(500))  # the seller names, comma separated
    metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    no_id: Mapped[int | None] = mapped_column(ForeignKey("nos.id", ondelete="SET NULL"))


class Utterance(Base):
    __tablename__ = "utterances"
    __table_args__ = (Index("ix_utterances_conversation_position", "conversation_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    start_s: Mapped[float | None] = mapped_column(Float)
    end_s: Mapped[float | None] = mapped_column(Float)
    tags: Mapped[list[str] | None] = mapped_column(JSON)
    reason_category: Mapped[str | None] = mapped_column(String(100))


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str | None] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
