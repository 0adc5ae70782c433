"""Reviewed calls in the catalog: save a call review, list them, read one back.

A call belongs to a team and, usually, a deal. When the deal's contact asked
not to be contacted, the buyer's words are withheld when read back (the tags,
roles and metrics stay); erased calls read back as erased.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from whyno.accounts.scope import Scope
from whyno.coach.analyze import CallReview, metrics
from whyno.coach.analyze import Utterance as ReviewedUtterance
from whyno.coach.notes import coaching_notes
from whyno.coach.stored import record_heard_no, utterance_rows
from whyno.errors import NotFoundError
from whyno.reasons.classify import Classifier
from whyno.store.models import Contact, ContactStatus, Conversation, Deal, Utterance
from whyno.store.store import Store, audit

WITHHELD = "[withheld: do not contact]"


def save_review(
    store: Store,
    review: CallReview,
    *,
    team_id: int,
    deal_id: int | None,
    title: str | None,
    actor: str = "cli",
    classifier: Classifier | None = None,
) -> int:
    """Store a reviewed call, its tagged utterances and metrics, and the no heard in it (as
    ``whyno coach import`` does); returns the conversation id."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with store.engine.begin() as connection:
        conversation_id = int(
            connection.execute(
                insert(Conversation)
                .values(
                    team_id=team_id,
                    deal_id=deal_id,
                    title=(title or review.source)[:500],
                    source_file=review.source[:1000],
                    created_at=now,
                    metrics=review.metrics,
                    sellers=review.seller_names[:500],
                )
                .returning(Conversation.id)
            ).scalar_one()
        )
        rows = utterance_rows(conversation_id, review.utterances)
        if rows:
            connection.execute(insert(Utterance), rows)
        with Session(bind=connection) as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is not None:
                record_heard_no(session, conversation, review, classifier)
                session.flush()
        audit(
            connection, "call_saved", actor=actor, entity="conversation", entity_id=conversation_id
        )
    return conversation_id


def _scoped(scope: Scope) -> Any:
    return (
        select(
            Conversation.id,
            Conversation.title,
            Conversation.deal_id,
            Deal.name,
            Conversation.created_at,
            func.coalesce(Contact.status, "") == ContactStatus.DO_NOT_CONTACT.value,
        )
        .outerjoin(Deal, Conversation.deal_id == Deal.id)
        .outerjoin(Contact, Deal.contact_id == Contact.id)
        .where(scope.conversations())
    )


def _head(row: Any) -> dict[str, Any]:
    conversation_id, title, deal_id, deal, created, blocked = row
    return {
        "id": conversation_id,
        "title": title,
        "deal_id": deal_id,
        "deal": deal,
        "created_at": created.isoformat(timespec="seconds"),
        "do_not_contact": bool(blocked),
    }


def list_calls(
    store: Store, scope: Scope, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    query = _scoped(scope)
    with store.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = connection.execute(
            query.order_by(Conversation.id.desc()).limit(limit).offset(offset)
        ).all()
    return [_head(row) for row in rows], int(count)


def get_call(store: Store, conversation_id: int, scope: Scope) -> dict[str, Any]:
    """One call with its utterances, metrics and coaching notes (withheld words stay withheld);
    NotFoundError when absent or out of scope."""
    with store.engine.connect() as connection:
        head = connection.execute(_scoped(scope).where(Conversation.id == conversation_id)).first()
        if head is None:
            raise NotFoundError(f"no call with id {conversation_id}")
        rows = connection.execute(
            select(
                Utterance.position,
                Utterance.speaker,
                Utterance.role,
                Utterance.text,
                Utterance.tags,
                Utterance.reason_category,
                Utterance.start_s,
                Utterance.end_s,
            )
            .where(Utterance.conversation_id == conversation_id)
            .order_by(Utterance.position)
        ).all()
    call = _head(head)
    utterances = [
        ReviewedUtterance(
            index, speaker, role or "buyer", text, list(tags or []), reason, start, end
        )
        for index, speaker, role, text, tags, reason, start, end in rows
    ]
    call["metrics"] = metrics(utterances)
    if call["do_not_contact"]:
        for u in utterances:
            if u.role == "buyer":
                u.text, u.speaker = WITHHELD, None
    call["utterances"] = [u.as_dict() for u in utterances]
    reviewed = CallReview(call["title"] or "", utterances, call["metrics"])
    call["notes"] = [n.as_dict() for n in coaching_notes(reviewed)]
    return call
