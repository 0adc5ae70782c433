"""What pages and the API change, done once: every write checks the user's scope,
calls the core, and marks the team's cached results stale."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from whyno.accounts.users import AuthUser
from whyno.coach.calls import CallLink
from whyno.coach.stored import CallInput, content_digest, save_call
from whyno.errors import InputError
from whyno.ingest.crm import ImportOptions, ImportRejected, ImportResult, import_crm_csv
from whyno.ingest.transcripts import detect_format, parse_transcript
from whyno.nos.deals import get_deal
from whyno.nos.entry import NoEntry, log_no
from whyno.nos.queries import get_no
from whyno.reasons.labels import correct
from whyno.store.models import Role
from whyno.web.state import WebState
from whyno.web.views import changed


def log(state: WebState, user: AuthUser, entry: NoEntry) -> int:
    """Log a no for the user's team; a seller always logs their own no's."""
    if user.role == Role.SELLER.value:
        entry = replace(entry, seller=user.seller_name)
    if entry.deal_id is not None:
        get_deal(state.store, entry.deal_id, user.scope)  # 404 outside the scope
    no_id = log_no(state.store, entry, actor=user.username, team_id=user.team_id)
    changed(state, user.team_id)
    return no_id


def relabel(state: WebState, user: AuthUser, no_id: int, categories: Sequence[str]) -> None:
    """A person's labels for a no they may see (they replace the other labels)."""
    get_no(state.store, no_id, user.scope)  # 404 outside the scope
    correct(state.store, no_id, list(categories), taxonomy=state.taxonomy, actor=user.username)
    changed(state, user.team_id)


def import_upload(
    state: WebState,
    user: AuthUser,
    filename: str,
    upload: IO[bytes],
    options: ImportOptions,
) -> ImportResult:
    """Import an uploaded CRM export into the user's team, all or nothing (as the CLI)."""
    name = Path(filename or "upload.csv").name
    options = replace(
        options, team_id=user.team_id, skip_invalid=False, rejects_path=None, problems_path=None
    )
    with tempfile.TemporaryDirectory(prefix="whyno-upload-") as folder:
        path = Path(folder) / "upload.csv"
        with path.open("wb") as out:
            while chunk := upload.read(1 << 20):
                out.write(chunk)
        try:
            result = import_crm_csv(state.store, path, options)
        except ImportRejected as exc:
            exc.result.path = name
            raise ImportRejected(exc.result) from None
        except InputError as exc:
            raise InputError(str(exc).replace(str(path), name)) from None
    result.path = name
    if result.written:
        changed(state, user.team_id)
    return result


def review_call(
    state: WebState,
    user: AuthUser,
    filename: str,
    data: bytes,
    deal_id: int | None,
    title: str | None = None,
) -> int:
    """Review an uploaded transcript (tags, reasons, metrics) and keep it with its deal,
    the way ``whyno coach import`` does (the same call is stored once); returns its id."""
    name = Path(filename or "call.txt").name
    sellers: tuple[str, ...] = ()
    if deal_id is not None:
        deal = get_deal(state.store, deal_id, user.scope)  # 404 outside the scope
        sellers = (deal.seller,) if deal.seller else ()
    elif user.role == Role.SELLER.value:
        raise InputError("choose the deal this call belongs to")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text; save the transcript as UTF-8") from None
    transcript = parse_transcript(text, name, detect_format(text, Path(name).suffix))
    call = CallInput(
        transcript,
        content_digest(data),
        title or name,
        link=CallLink(deal_id=deal_id),
        sellers=sellers,
    )
    with state.store.session() as session, session.begin():
        saved = save_call(
            session, call, team_id=user.team_id, classifier=state.classifier(), actor=user.username
        )
    if saved.outcome != "unchanged":
        changed(state, user.team_id)
    return saved.id
