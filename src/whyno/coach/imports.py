"""Import a folder of transcripts: ``whyno coach import DIR``.

Every transcript under the folder is parsed and kept with
:func:`whyno.coach.stored.save_call` (the path the server's upload takes too),
linked to the deal the file's name or a mapping row names. Like the CRM import
it is all-or-nothing by default (one unreadable file or bad mapping row and
nothing is written, every problem listed) and idempotent: importing the same
folder twice changes nothing, and an edited file replaces its earlier version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from whyno.coach.calls import CallLink, read_call_mapping, roster_sellers
from whyno.coach.stored import CallInput, content_digest, save_call
from whyno.errors import InputError
from whyno.ingest.transcripts import read_transcript
from whyno.reasons.classify import Classifier
from whyno.store.models import DEFAULT_TEAM_ID
from whyno.store.store import Store, audit

SUFFIXES = (".vtt", ".srt", ".txt", ".json")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CallImportOptions:
    sellers: tuple[str, ...] = ()  # names given with --seller; else the mapping, roster, heuristic
    mapping: Path | None = None  # CSV: file, deal[, date][, seller]
    fmt: str | None = None
    skip_invalid: bool = False
    team_id: int = DEFAULT_TEAM_ID  # the team the calls (and the no's heard) belong to


@dataclass(frozen=True)
class FileProblem:
    """A transcript that could not be read, and why."""

    file: str
    error: str


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
    problems: list[FileProblem] = field(default_factory=list)


class CallImportRejected(InputError):
    """Some transcripts could not be read; nothing was written."""

    def __init__(self, result: CallImportResult) -> None:
        self.result = result
        listed = "\n".join(f"  {p.error}" for p in result.problems)
        super().__init__(
            f"{result.folder}: {result.rejected} of {result.read} transcripts have problems; "
            f"nothing was imported:\n{listed}\nFix them and import again, or pass "
            "--skip-invalid to import the others."
        )


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
            saved = save_call(
                session,
                replace(call, sellers=options.sellers),
                team_id=options.team_id,
                classifier=classifier,
                roster=roster,
            )
            _count(result, saved.outcome, saved.no, saved.linked)
            if progress:
                progress(done, len(calls))
        audit(session.connection(), "coach_import", entity="conversations", detail=asdict(result))
    return result


def _read_calls(
    session: Session,
    folder: Path,
    paths: Sequence[Path],
    mapping: dict[str, CallLink],
    options: CallImportOptions,
    result: CallImportResult,
) -> list[CallInput]:
    calls = []
    for path in paths:
        name = _relative(path, folder)
        try:
            transcript = read_transcript(path, options.fmt)
            if not transcript.turns:
                raise InputError(f"{path}: no utterances found; is this a transcript?")
            link = mapping.get(name) or mapping.get(path.name) or CallLink()
            link = link.resolved(session, path, options.team_id)
        except InputError as exc:
            result.rejected += 1
            result.problems.append(FileProblem(name, str(exc)))
            continue
        calls.append(
            CallInput(
                transcript,
                content_digest(path.read_bytes()),
                path.stem,
                str(path.resolve()),
                link,
            )
        )
    return calls


def _count(result: CallImportResult, outcome: str, no: str | None, linked: bool) -> None:
    if outcome == "unchanged":
        result.unchanged += 1
        return
    result.imported += outcome == "imported"
    result.updated += outcome == "updated"
    result.linked += linked
    result.nos_added += no == "added"
    result.nos_enriched += no == "enriched"


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix() if folder.is_dir() else path.name
    except ValueError:
        return path.name
