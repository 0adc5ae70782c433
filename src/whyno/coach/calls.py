"""Which deal, date and sellers a call belongs to: a mapping CSV, the file's name, the roster.

A mapping is a CSV with the columns ``file`` and ``deal`` (the deal's id in the
CRM export, as imported) and optionally ``source`` (the import's source, when
two CRMs use the same ids), ``date`` and ``seller`` (names separated by ``;``).
Without a mapping row, a file named ``<deal id>.vtt`` or ``<deal id>__notes.vtt``
is linked to that deal when exactly one deal has that id.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from whyno.coach.analyze import names_match
from whyno.errors import InputError
from whyno.store.models import Deal, Seller
from whyno.values import ValueProblem, parse_date

MAPPING_COLUMNS = ("file", "deal", "source", "date", "seller")


@dataclass(frozen=True)
class CallLink:
    deal: str | None = None  # the CRM's deal id, from the mapping
    source: str | None = None
    date: dt.date | None = None
    sellers: tuple[str, ...] = ()
    where: str = ""  # "mapping.csv row 3", for messages
    deal_id: int | None = None  # resolved whyno deal id

    def resolved(self, session: Session, path: Path, team_id: int) -> CallLink:
        """Find the team's deal the mapping or the file name names; an unknown mapped deal is
        an error."""
        if self.deal:
            deal_id = _find_deal(session, team_id, self.deal, self.source)
            if deal_id is None:
                raise InputError(
                    f"{self.where}: no deal {self.deal!r} in the catalog"
                    + (f" from source {self.source!r}" if self.source else "")
                    + "; import the CRM export first or fix the deal id"
                )
            return replace(self, deal_id=deal_id)
        named = path.stem.split("__")[0].strip()
        return replace(self, deal_id=_find_deal(session, team_id, named, None, strict=False))


def _find_deal(
    session: Session, team_id: int, external_id: str, source: str | None, strict: bool = True
) -> int | None:
    query = select(Deal.id, Deal.source).where(
        Deal.team_id == team_id, Deal.external_id == external_id
    )
    if source:
        query = query.where(Deal.source == source)
    found = session.execute(query.limit(3)).all()
    if len(found) > 1:
        if not strict:
            return None
        sources = ", ".join(sorted(str(row.source) for row in found))
        raise InputError(
            f"deal id {external_id!r} is in several sources ({sources}); "
            "add a 'source' column to the mapping"
        )
    return int(found[0].id) if found else None


def read_call_mapping(path: Path, folder: Path) -> dict[str, CallLink]:
    """file name (relative to the folder) -> link; every bad row is listed in one error."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            headers = [h.strip().lower() for h in reader.fieldnames or []]
            rows = list(reader)
    except FileNotFoundError:
        raise InputError(f"{path}: no such mapping file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save the mapping as UTF-8 CSV") from None
    missing = [c for c in ("file", "deal") if c not in headers]
    unknown = [h for h in headers if h not in MAPPING_COLUMNS]
    if missing or unknown:
        raise InputError(
            f"{path}: the mapping needs the columns file and deal (optional: source, date, seller)"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )
    links: dict[str, CallLink] = {}
    problems: list[str] = []
    for number, raw in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        problem = _row_problem(row, links, folder)
        if problem:
            problems.append(f"{path} row {number}: {problem}")
            continue
        links[row["file"]] = _link(row, f"{path} row {number}", problems)
    if problems:
        raise InputError(
            "the call mapping has problems; nothing was imported:\n  " + "\n  ".join(problems)
        )
    return links


def _row_problem(row: dict[str, str], links: dict[str, CallLink], folder: Path) -> str | None:
    if not row.get("file"):
        return "the file column is empty; name the transcript file"
    if not row.get("deal"):
        return f"the deal column is empty for {row['file']!r}; give the deal's CRM id"
    if row["file"] in links:
        return f"{row['file']!r} is mapped twice; keep one row per file"
    base = folder if folder.is_dir() else folder.parent
    if not (base / row["file"]).is_file():
        return f"{row['file']!r} is not a file in {base}; fix the name or remove the row"
    return None


def _link(row: dict[str, str], where: str, problems: list[str]) -> CallLink:
    date = None
    if row.get("date"):
        try:
            date = parse_date(row["date"])
        except ValueProblem as exc:
            problems.append(f"{where}: date {row['date']!r}: {exc}")
    sellers = tuple(s.strip() for s in row.get("seller", "").split(";") if s.strip())
    return CallLink(row["deal"], row.get("source") or None, date, sellers, where)


def roster_sellers(session: Session) -> list[str]:
    """The team roster: every seller named in the catalog."""
    return [str(name) for name in session.scalars(select(Seller.name).order_by(Seller.name))]


def present_sellers(roster: Sequence[str], speakers: Sequence[str]) -> tuple[str, ...]:
    """Roster names that speak in this call (none: the role heuristic decides)."""
    return tuple(name for name in roster if any(names_match(name, s) for s in speakers))
