"""Reviewed calls in the store: save one (every face, one path), read them back.

:func:`save_call` is the only way a call is written, by ``whyno coach import``
(through :mod:`whyno.coach.imports`) and by the server's upload alike. A call
is known by its content (:func:`content_digest`): the same transcript saved
twice, uploaded and then imported, is stored once; saved again with a new
deal, date or sellers it is updated in place; a file edited in place replaces
its earlier version. A no heard in a call (a buyer's rejection) becomes a no
in the catalog, with the buyer's words as its verbatim and the reason the
classifier reads in them.

Reads (:func:`list_calls`, :func:`get_call`) are scoped and consent-aware: when
the deal's contact asked not to be contacted, the buyer's words read back
withheld (tags, roles and metrics stay).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.orm import Session

from whyno.accounts.scope import Scope
from whyno.coach.analyze import CallReview, Utterance, metrics, review
from whyno.coach.calls import CallLink, present_sellers, roster_sellers
from whyno.coach.notes import Note, coaching_notes
from whyno.errors import NotFoundError
from whyno.ingest.transcripts import Transcript
from whyno.nos.queries import WITHHELD
from whyno.reasons.classify import Classifier
from whyno.reasons.labels import ApplyResult, label_batch
from whyno.store.models import (
    DEFAULT_TEAM_ID,
    Contact,
    ContactStatus,
    Conversation,
    Deal,
    DealStatus,
    EndedBy,
    LabelSource,
    No,
    ReasonLabel,
    Seller,
)
from whyno.store.models import Utterance as StoredUtterance
from whyno.store.store import Store, audit

CALL_SOURCE = "call"
Outcome = Literal["imported", "updated", "unchanged"]


def content_digest(data: bytes) -> str:
    """What identifies a transcript: its bytes, without a BOM and with plain newlines."""
    text = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    return hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class CallInput:
    """One transcript to keep, from a file or an upload."""

    transcript: Transcript
    digest: str  # content_digest of the file's bytes
    title: str
    path: str | None = None  # the resolved file path (an upload has none)
    # the deal, date and sellers a mapping row or the upload form names
    link: CallLink = field(default_factory=CallLink)
    sellers: tuple[str, ...] = ()  # names given (--seller, the deal's seller); else the roster


@dataclass(frozen=True)
class SavedCall:
    id: int
    outcome: Outcome
    no: str | None = None  # "added", "enriched" (see record_heard_no) or None
    linked: bool = False


def save_call(
    session: Session,
    call: CallInput,
    *,
    team_id: int = DEFAULT_TEAM_ID,
    classifier: Classifier | None = None,
    roster: Sequence[str] | None = None,
    actor: str = "cli",
) -> SavedCall:
    """Review and keep one call of ``team_id`` in the caller's transaction (see the module
    docstring); ``roster``: the team's seller names, read when needed and not given."""
    team = Conversation.team_id == team_id
    same = session.scalar(
        select(Conversation).where(team, Conversation.digest == call.digest).limit(1)
    )
    given = call.sellers or call.link.sellers
    if same is not None and not _relinked(same, call, given):
        return SavedCall(same.id, "unchanged", linked=same.deal_id is not None)
    earlier = same
    if earlier is None and call.path is not None:
        earlier = session.scalar(
            select(Conversation).where(team, Conversation.source_file == call.path[:1000]).limit(1)
        )
    if not given:
        given = present_sellers(
            roster_sellers(session) if roster is None else roster, call.transcript.speakers
        )
    reviewed = review(call.transcript, given, classifier)
    outcome: Outcome = "updated" if earlier is not None else "imported"
    if earlier is not None:
        conversation = earlier
        session.execute(
            delete(StoredUtterance).where(StoredUtterance.conversation_id == earlier.id)
        )
    else:
        conversation = Conversation(team_id=team_id)  # created_at: the model's default
        session.add(conversation)
    conversation.source_file = (call.path or call.title)[:1000]
    conversation.title = call.title[:500]
    conversation.digest = call.digest
    if call.link.deal_id is not None:
        conversation.deal_id = call.link.deal_id
    if call.link.date is not None:
        conversation.occurred_at = _midnight(call.link.date)
    conversation.sellers = reviewed.seller_names[:500]
    conversation.metrics = reviewed.metrics
    session.flush()
    rows = utterance_rows(conversation.id, reviewed.utterances)
    if rows:
        session.execute(insert(StoredUtterance), rows)
    no = record_heard_no(session, conversation, reviewed, classifier, call.link.date)
    audit(
        session.connection(),
        "call_saved",
        actor=actor,
        entity="conversation",
        entity_id=conversation.id,
        detail={"outcome": outcome},
    )
    return SavedCall(conversation.id, outcome, no, call.link.deal_id is not None)


def _relinked(stored: Conversation, call: CallInput, given: Sequence[str]) -> bool:
    """Whether saving ``call`` again says something new about the stored one."""
    link = call.link
    if link.deal_id is not None and link.deal_id != stored.deal_id:
        return True
    if link.date is not None and _midnight(link.date) != stored.occurred_at:
        return True
    known = {name.strip().lower() for name in (stored.sellers or "").split(",") if name.strip()}
    return bool(given) and {name.strip().lower() for name in given} != known


def utterance_rows(conversation_id: int, utterances: Sequence[Utterance]) -> list[dict[str, Any]]:
    """The ``utterances`` table rows of one reviewed call."""
    return [
        {
            "conversation_id": conversation_id,
            "position": u.index,
            "speaker": u.speaker,
            "role": u.role,
            "text": u.text,
            "start_s": u.start,
            "end_s": u.end,
            "tags": u.tags,
            "reason_category": u.reason_category,
        }
        for u in utterances
    ]


def heard_no(utterances: Sequence[Utterance]) -> str | None:
    """The buyer's no in their words: the rejection that states a reason (else the first one),
    followed by the buyer's answer when the seller asked why."""
    rejections = [i for i, u in enumerate(utterances) if "rejection" in u.tags]
    if not rejections:
        return None
    chosen = next((i for i in rejections if utterances[i].reason_category), rejections[0])
    words = [utterances[chosen].text]
    asked = False
    for u in utterances[chosen + 1 :]:
        if u.role == "seller":
            asked = asked or "asks_why" in u.tags
        elif asked:
            words.append(u.text)
            break
        else:
            break
    return " ".join(w.strip() for w in words)


def record_heard_no(
    session: Session,
    conversation: Conversation,
    reviewed: CallReview,
    classifier: Classifier | None,
    day: dt.date | None = None,
) -> str | None:
    """Put the no heard in a stored call into the catalog, once per deal (see docs/coach.md).

    Returns "added" (a new no), "enriched" (the deal's no had no reason; now it has the
    buyer's words) or None. Deals and no's made here belong to the call's team.
    """
    verbatim = heard_no(reviewed.utterances)
    no = session.get(No, conversation.no_id) if conversation.no_id else None
    if verbatim is None:
        if no is not None and no.source == CALL_SOURCE and not _has_person_label(session, no.id):
            conversation.no_id = None
            session.delete(no)
        return None
    deal = _deal_for(session, conversation, day)
    conversation.deal_id = deal.id
    if deal.status == DealStatus.WON.value:
        return None  # a no for today on a deal later won is not a lost deal: it stays in the call
    outcome = None
    if no is None:
        no = session.scalar(
            select(No).where(No.deal_id == deal.id, No.source != CALL_SOURCE).limit(1)
        )
        if no is not None:  # the deal's no from the CRM or a person
            conversation.no_id = no.id
            if (no.verbatim or "").strip():
                return None
            outcome = "enriched"  # a learning gap the call explains
        else:
            no = No(
                team_id=deal.team_id,
                deal_id=deal.id,
                ended_by=EndedBy.THEM.value,
                source=CALL_SOURCE,
                stage=deal.stage,
                occurred_on=day or dt.date.today(),
            )
            session.add(no)
            outcome = "added"
    no.contact_id = no.contact_id or deal.contact_id or _speaker_contact(session, reviewed, deal)
    no.verbatim = verbatim
    session.flush()
    conversation.no_id = no.id
    if classifier is not None:
        label_batch(
            session.connection(), classifier, [(no.id, verbatim, no.crm_reason)], ApplyResult()
        )
    return outcome


def _deal_for(session: Session, conversation: Conversation, day: dt.date | None) -> Deal:
    """The linked deal, or one made for the call (in its team) so the no is kept."""
    if conversation.deal_id is not None:
        deal = session.get(Deal, conversation.deal_id)
        if deal is not None:
            return deal
    key = f"conversation-{conversation.id}"
    deal = session.scalar(
        select(Deal).where(
            Deal.team_id == conversation.team_id,
            Deal.source == CALL_SOURCE,
            Deal.external_id == key,
        )
    )
    if deal is None:
        seller = _seller_row(session, conversation.sellers)
        deal = Deal(
            team_id=conversation.team_id,
            source=CALL_SOURCE,
            external_id=key,
            name=conversation.title,
            seller_id=seller.id if seller else None,
            status=DealStatus.LOST.value,
            closed_on=day or dt.date.today(),
        )
        session.add(deal)
        session.flush()
    return deal


def _speaker_contact(session: Session, reviewed: CallReview, deal: Deal) -> int | None:
    """The buyer who said no, as a contact, so consent and erasure reach the words kept."""
    name = next(
        (u.speaker for u in reviewed.utterances if "rejection" in u.tags and u.speaker), None
    )
    if not name:
        return None
    found = session.scalar(
        select(Contact.id).where(Contact.name == name, Contact.account_id == deal.account_id)
    )
    if found is None:
        contact = Contact(name=name, account_id=deal.account_id, status=ContactStatus.OK.value)
        session.add(contact)
        session.flush()
        found = contact.id
    return int(found)


def _seller_row(session: Session, sellers: str | None) -> Seller | None:
    first = (sellers or "").split(", ")[0].strip()
    if not first:
        return None
    return session.scalar(select(Seller).where(Seller.name == first))


def _has_person_label(session: Session, no_id: int) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    ReasonLabel.no_id == no_id, ReasonLabel.source == LabelSource.PERSON.value
                )
            )
        )
    )


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time()) if day else None


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


@dataclass(frozen=True)
class CallHead:
    """A stored call as a list shows it."""

    id: int
    title: str | None
    deal_id: int | None
    deal: str | None
    created_at: dt.datetime
    do_not_contact: bool  # the buyer asked not to be contacted: their words are withheld


@dataclass(frozen=True)
class CallDetail(CallHead):
    """A stored call in full: its utterances, talk metrics and coaching notes."""

    metrics: dict[str, Any]
    utterances: list[Utterance]
    notes: list[Note]


def _head(row: Any) -> CallHead:
    conversation_id, title, deal_id, deal, created, blocked = row
    return CallHead(
        conversation_id, title, deal_id, deal, created.replace(microsecond=0), bool(blocked)
    )


def list_calls(
    store: Store, scope: Scope, limit: int = 50, offset: int = 0
) -> tuple[list[CallHead], int]:
    """A page of the calls ``scope`` may see, newest first, and how many there are."""
    query = _scoped(scope)
    with store.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = connection.execute(
            query.order_by(Conversation.id.desc()).limit(limit).offset(offset)
        ).all()
    return [_head(row) for row in rows], int(count)


def get_call(store: Store, conversation_id: int, scope: Scope) -> CallDetail:
    """One call with its utterances, metrics and coaching notes (withheld words stay withheld);
    NotFoundError when absent or out of scope."""
    with store.engine.connect() as connection:
        found = connection.execute(_scoped(scope).where(Conversation.id == conversation_id)).first()
        if found is None:
            raise NotFoundError(f"no call with id {conversation_id}")
        rows = connection.execute(
            select(
                StoredUtterance.position,
                StoredUtterance.speaker,
                StoredUtterance.role,
                StoredUtterance.text,
                StoredUtterance.tags,
                StoredUtterance.reason_category,
                StoredUtterance.start_s,
                StoredUtterance.end_s,
            )
            .where(StoredUtterance.conversation_id == conversation_id)
            .order_by(StoredUtterance.position)
        ).all()
    head = _head(found)
    utterances = [
        Utterance(index, speaker, role or "buyer", text, list(tags or []), reason, start, end)
        for index, speaker, role, text, tags, reason, start, end in rows
    ]
    talk = metrics(utterances)
    if head.do_not_contact:
        for u in utterances:
            if u.role == "buyer":
                u.text, u.speaker = WITHHELD, None
    notes = coaching_notes(CallReview(head.title or "", utterances, talk))
    return CallDetail(**vars(head), metrics=talk, utterances=utterances, notes=notes)
