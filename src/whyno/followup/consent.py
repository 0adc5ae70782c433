"""Consent: do-not-contact, and erasure of a person ("forget me").

Erasure removes the person's personal data everywhere whyno keeps it — the
contact, the verbatims of their no's, the deal names and extra CRM columns
that mention them, and the call transcripts of their deals — while keeping the
anonymous counts (the no's, their dates, stages and reason categories). The
audit log records that an erasure happened, never what was erased. On SQLite
the file is vacuumed afterwards so the erased bytes are gone from disk, not
just unlinked.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, update

from whyno.errors import InputError, NotFoundError
from whyno.store.models import (
    Contact,
    ContactStatus,
    Conversation,
    Deal,
    No,
    ReasonLabel,
    Team,
    Utterance,
)
from whyno.store.store import Store, audit

ERASED = "[erased]"


def find_contacts(connection: Connection, ref: str) -> list[Any]:
    """Contacts by id (digits) or email (case-insensitive)."""
    ref = ref.strip()
    if not ref:
        raise InputError("give an email address or a contact id")
    columns = select(Contact.id, Contact.name, Contact.email)
    if ref.isdigit():
        query = columns.where(Contact.id == int(ref))
    else:
        query = columns.where(func.lower(Contact.email) == ref.lower())
    return list(connection.execute(query).all())


def set_status(store: Store, ref: str, status: str, *, actor: str = "cli") -> int:
    """Set the consent status (ok, not_now, do_not_contact) of the contacts matching ``ref``."""
    allowed = [s.value for s in ContactStatus]
    if status not in allowed:
        raise InputError(f"status {status!r}: use one of {', '.join(allowed)}")
    with store.engine.begin() as connection:
        found = find_contacts(connection, ref)
        if not found:
            raise NotFoundError(f"no contact {ref!r}; contacts come from imports or `whyno log`")
        ids = [row.id for row in found]
        connection.execute(update(Contact).where(Contact.id.in_(ids)).values(status=status))
        _stale_everywhere(connection)
        for contact_id in ids:
            audit(
                connection,
                "consent",
                actor=actor,
                entity="contact",
                entity_id=contact_id,
                detail={"status": status},
            )
    return len(ids)


@dataclass
class ForgetResult:
    contacts: int = 0
    nos: int = 0
    deals: int = 0
    utterances: int = 0
    cache_files: int = 0


def forget(
    store: Store, ref: str, *, actor: str = "cli", cache_dir: Path | None = None
) -> ForgetResult:
    """Erase one person's personal data everywhere; keep anonymous counts; audit it."""
    result = ForgetResult()
    with store.engine.begin() as connection:
        found = find_contacts(connection, ref)
        if not found:
            raise NotFoundError(f"no contact {ref!r}: nothing to erase")
        for row in found:
            _erase(connection, row.id, row.name, row.email, result)
            result.contacts += 1
            _stale_everywhere(connection)
            audit(
                connection,
                "forget",
                actor=actor,
                entity="contact",
                entity_id=row.id,
                detail=asdict(result),
            )
    result.cache_files = _clear_model_cache(cache_dir)
    _compact(store)
    return result


def _stale_everywhere(connection: Connection) -> None:
    """Results a team server cached may show this person: mark every team's data changed."""
    connection.execute(update(Team).values(data_version=Team.data_version + 1))


def _erase(
    connection: Connection,
    contact_id: int,
    name: str | None,
    email: str | None,
    result: ForgetResult,
) -> None:
    deal_ids = [
        d for (d,) in connection.execute(select(Deal.id).where(Deal.contact_id == contact_id))
    ]
    no_ids = [
        n
        for (n,) in connection.execute(
            select(No.id).where(or_(No.contact_id == contact_id, No.deal_id.in_(deal_ids)))
        )
    ]
    if no_ids:
        # The words were theirs; the reason category (anonymous) stays.
        connection.execute(
            update(No).where(No.id.in_(no_ids)).values(verbatim=None, contact_id=None)
        )
        connection.execute(
            update(ReasonLabel).where(ReasonLabel.no_id.in_(no_ids)).values(created_by=None)
        )
    result.nos += len(no_ids)
    for deal_id, deal_name, extra in connection.execute(
        select(Deal.id, Deal.name, Deal.extra).where(Deal.id.in_(deal_ids))
    ).all():
        connection.execute(
            update(Deal)
            .where(Deal.id == deal_id)
            .values(
                contact_id=None,
                name=_scrub(deal_name, name, email),
                extra=_scrub_extra(extra, name, email),
            )
        )
    result.deals += len(deal_ids)
    result.utterances += _erase_calls(connection, deal_ids, name)
    connection.execute(delete(Contact).where(Contact.id == contact_id))


def _erase_calls(connection: Connection, deal_ids: list[int], name: str | None) -> int:
    conversation_ids = [
        c
        for (c,) in connection.execute(
            select(Conversation.id).where(Conversation.deal_id.in_(deal_ids))
        )
    ]
    spoken: Any = Utterance.conversation_id.in_(conversation_ids)
    if name:
        spoken = or_(spoken, func.lower(Utterance.speaker) == name.lower())
    count = int(
        connection.execute(select(func.count()).select_from(Utterance).where(spoken)).scalar_one()
    )
    connection.execute(update(Utterance).where(spoken).values(text=ERASED, speaker=None))
    if conversation_ids:
        connection.execute(
            update(Conversation)
            .where(Conversation.id.in_(conversation_ids))
            .values(title=None, source_file=None)
        )
    return count


def _scrub(text: str | None, name: str | None, email: str | None) -> str | None:
    if text is None:
        return None
    for secret in (email, name):
        if secret and secret.lower() in text.lower():
            return ERASED
    return text


def _scrub_extra(extra: Any, name: str | None, email: str | None) -> Any:
    if not isinstance(extra, dict):
        return extra
    return {
        key: (_scrub(str(value), name, email) if value is not None else None)
        for key, value in extra.items()
    }


def _clear_model_cache(cache_dir: Path | None) -> int:
    """Trained models remember corrected verbatims; drop them (they retrain on next use)."""
    if cache_dir is None or not cache_dir.is_dir():
        return 0
    files = list(cache_dir.glob("reasons-*.npz"))
    for path in files:
        path.unlink(missing_ok=True)
    return len(files)


def _compact(store: Store) -> None:
    """SQLite: rewrite the file and empty the WAL, so erased bytes leave the disk."""
    if store.dialect != "sqlite":
        return
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.commit()
    store.engine.dispose()  # no pooled reader may pin old pages
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


def contactable(status: str | None) -> bool:
    return status != ContactStatus.DO_NOT_CONTACT.value
