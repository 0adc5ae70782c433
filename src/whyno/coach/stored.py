"""Store reviewed calls: ``whyno coach import DIR``.

Every transcript in a folder is parsed, reviewed and stored with its tagged
utterances and metrics, linked to the deal the file or a mapping names. A no
heard in a call (a buyer's rejection) becomes a no in the catalog, with the
buyer's words as its verbatim and the reason the classifier reads in them.

Like the CRM import it is all-or-nothing by default (one unreadable file or bad
mapping row and nothing is written, every problem listed) and idempotent: the
key is the file's content and roles, so importing the same folder twice
changes nothing, and an edited file replaces its earlier version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from whyno.coach.analyze import CallReview, Utterance, review
from whyno.coach.calls import CallLink, present_sellers, read_call_mapping, roster_sellers
from whyno.errors import InputError
from whyno.ingest.transcripts import Transcript, read_transcript
from whyno.reasons.classify import Classifier
from whyno.reasons.labels import ApplyResult, label_batch
from whyno.store.models import (
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
SUFFIXES = (".vtt", ".srt", ".txt", ".json")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CallImportOptions:
    sellers: tuple[str, ...] = ()  # names given with --seller; else the mapping, roster, heuristic
    mapping: Path | None = None  # CSV: file, deal[, date][, seller]
    fmt: str | None = None
    skip_invalid: bool = False


@dataclass
class CallImportResult:
    folder: str
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    linked: int = 0
    nos_added: int = 0
    nos_enriched: int = 0  # a deal's no without a verbatim that the call explained
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, what is wrong)

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "problems"}
        data["problems"] = [{"file": f, "error": e} for f, e in self.problems]
        return data


class CallImportRejected(InputError):
    """Some transcripts could not be read; nothing was written."""

    def __init__(self, result: CallImportResult) -> None:
        self.result = result
        listed = "\n".join(f"  {error}" for _, error in result.problems)
        super().__init__(
            f"{result.folder}: {result.rejected} of {result.read} transcripts have problems; "
            f"nothing was imported:\n{listed}\nFix them and import again, or pass "
            "--skip-invalid to import the others."
        )


@dataclass
class _Call:
    path: Path
    transcript: Transcript
    link: CallLink
    digest: str


def find_transcripts(folder: Path) -> list[Path]:
    """Transcript files under ``folder`` (recursively), or ``folder`` itself if it is a file."""
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder; give the folder that holds the transcripts")
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )
    if not found:
        raise InputError(f"{folder}: no transcripts ({', '.join(SUFFIXES)}) in this folder")
    return found


def import_calls(
    store: Store,
    folder: Path,
    classifier: Classifier | None,
    options: CallImportOptions | None = None,
    progress: Progress | None = None,
) -> CallImportResult:
    """Review and store every transcript under ``folder``; see the module docstring."""
    options = options or CallImportOptions()
    paths = find_transcripts(folder)
    result = CallImportResult(str(folder), read=len(paths))
    mapping = read_call_mapping(options.mapping, folder) if options.mapping else {}
    with store.session() as session, session.begin():
        calls = _read_calls(session, folder, paths, mapping, options, result)
        if result.problems and not options.skip_invalid:
            raise CallImportRejected(result)  # leaving the transaction rolls it back
        roster = roster_sellers(session)
        for done, call in enumerate(calls, start=1):
            _store_call(session, call, options, roster, classifier, result)
            if progress:
                progress(done, len(calls))
        audit(session.connection(), "coach_import", entity="conversations", detail=result.as_dict())
    return result


def _read_calls(
    session: Session,
    folder: Path,
    paths: Sequence[Path],
    mapping: dict[str, CallLink],
    options: CallImportOptions,
    result: CallImportResult,
) -> list[_Call]:
    calls = []
    for path in paths:
        name = _relative(path, folder)
        try:
            transcript = read_transcript(path, options.fmt)
            if not transcript.turns:
                raise InputError(f"{path}: no utterances found; is this a transcript?")
            link = mapping.get(name) or mapping.get(path.name) or CallLink()
            link = link.resolved(session, path)
        except InputError as exc:
            result.rejected += 1
            result.problems.append((name, str(exc)))
            continue
        digest = _digest(path, options.sellers + link.sellers, link)
        calls.append(_Call(path, transcript, link, digest))
    return calls


def _store_call(
    session: Session,
    call: _Call,
    options: CallImportOptions,
    roster: Sequence[str],
    classifier: Classifier | None,
    result: CallImportResult,
) -> None:
    source_file = str(call.path.resolve())
    if session.scalar(select(Conversation.id).where(Conversation.digest == call.digest)):
        result.unchanged += 1
        return
    earlier = session.scalar(select(Conversation).where(Conversation.source_file == source_file))
    sellers = (
        options.sellers or call.link.sellers or present_sellers(roster, call.transcript.speakers)
    )
    reviewed = review(call.transcript, sellers, classifier)
    if earlier is not None:
        conversation = earlier
        session.execute(
            delete(StoredUtterance).where(StoredUtterance.conversation_id == earlier.id)
        )
        result.updated += 1
    else:
        conversation = Conversation(source_file=source_file)
        session.add(conversation)
        result.imported += 1
    conversation.title = call.path.stem
    conversation.digest = call.digest
    conversation.deal_id = call.link.deal_id
    conversation.occurred_at = _midnight(call.link.date)
    conversation.sellers = reviewed.seller_names[:500]
    conversation.metrics = reviewed.metrics
    session.flush()
    rows = utterance_rows(conversation.id, reviewed.utterances)
    if rows:
        session.execute(insert(StoredUtterance), rows)
    result.linked += call.link.deal_id is not None
    outcome = record_heard_no(session, conversation, reviewed, classifier, call.link.date)
    result.nos_added += outcome == "added"
    result.nos_enriched += outcome == "enriched"


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


def _digest(path: Path, sellers: Sequence[str], link: CallLink) -> str:
    digest = hashlib.sha256(path.read_bytes())
    extra = "|".join(
        [",".join(sorted(s.lower() for s in sellers)), str(link.deal_id), str(link.date)]
    )
    digest.update(extra.encode())
    return digest.hexdigest()


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix() if folder.is_dir() else path.name
    except ValueError:
        return path.name


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time()) if day else None
