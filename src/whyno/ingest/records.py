"""One CSV row -> one validated deal record (or the list of what is wrong with it)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from whyno import values
from whyno.ingest.dialects import ColumnMap
from whyno.nos.rules import reason_understood
from whyno.store.models import DealStatus, EndedBy

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or the whole row when column is empty)."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        shown = f" value {self.value!r}:" if self.value else ""
        return f"{where}:{shown} {self.message}"


@dataclass(frozen=True)
class RowOptions:
    dayfirst: bool = False
    lost_stages: frozenset[str] = frozenset()
    won_stages: frozenset[str] = frozenset()
    salt: bytes = b""  # how the file is read (mapping, options); part of each row's digest


@dataclass
class DealRecord:
    """A deal as read from one row; ``is_no`` when it was lost."""

    external_id: str
    name: str | None
    account: str | None
    owner: str | None
    stage: str | None
    status: DealStatus
    amount: float | None
    currency: str | None
    created_on: dt.date | None
    closed_on: dt.date | None
    product: str | None
    industry: str | None
    region: str | None
    size: str | None
    contact_name: str | None
    contact_email: str | None
    loss_reason: str | None
    loss_notes: str | None
    competitor: str | None
    ended_by: EndedBy | None
    stage_at_no: str | None
    revisit_after: dt.date | None
    extra: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    @property
    def is_no(self) -> bool:
        return self.status is DealStatus.LOST

    @property
    def verbatim(self) -> str | None:
        return self.loss_notes or self.loss_reason

    @property
    def reason_understood(self) -> bool:
        return reason_understood(self.loss_reason, self.loss_notes)

    def content_hash(self) -> str:
        """A fingerprint of the row as read, to tell an unchanged row from an update."""
        return self.digest


def row_digest(cells: Sequence[str], salt: bytes) -> str:
    """Same cells read the same way give the same digest."""
    return hashlib.blake2b("\x1f".join(cells).encode(), digest_size=16, key=salt[:64]).hexdigest()


class _Row:
    """One row's cells by canonical field (first non-empty column wins), collecting problems."""

    def __init__(self, number: int, cells: Sequence[str], headers: Sequence[str], cmap: ColumnMap):
        self.number, self.cells, self.headers, self.cmap = number, cells, headers, cmap
        self.problems: list[Problem] = []
        self.values: dict[str, str] = {}
        self.columns: dict[str, str] = {}
        width = len(cells)
        for name, indexes in cmap.fields.items():
            for index in indexes:
                if index < width and (value := cells[index].strip()):
                    self.values[name] = value
                    self.columns[name] = headers[index]
                    break

    def text(self, name: str) -> str | None:
        return self.values.get(name)

    def parsed(self, name: str, parse: Callable[[str], T]) -> T | None:
        raw = self.values.get(name)
        if raw is None:
            return None
        try:
            return parse(raw)
        except values.ValueProblem as exc:
            self.problems.append(Problem(self.number, self.column_of(name), raw, str(exc)))
            return None

    def column_of(self, name: str) -> str:
        return self.columns.get(name, name)

    def problem(self, column: str, value: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, value, message))


def parse_row(
    number: int,
    cells: Sequence[str],
    headers: Sequence[str],
    cmap: ColumnMap,
    options: RowOptions,
) -> DealRecord | list[Problem]:
    """Validate and convert one row; returns every problem found, not just the first."""
    row = _Row(number, cells, headers, cmap)
    if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
        row.problem(
            "",
            "",
            f"the row has {len(cells)} values but the header has "
            f"{len(headers)} columns (an unquoted comma or delimiter in a value?)",
        )
    external_id = row.text("id")
    if external_id is None:
        row.problem(
            cmap.header("id", headers),
            "",
            "the deal id is empty; every row "
            "needs one so a later import can update it instead of duplicating it",
        )
    record = _build(row, external_id or "", options)
    if row.problems:
        return row.problems
    record.digest = row_digest(cells, options.salt)
    return record


def _build(row: _Row, external_id: str, options: RowOptions) -> DealRecord:
    money = row.parsed("amount", values.parse_amount)
    currency = row.parsed("currency", values.parse_currency)
    if money and money.currency and currency and money.currency != currency:
        row.problem(
            row.column_of("amount"),
            row.text("amount") or "",
            f"the amount is in {money.currency} but the currency column says {currency}",
        )
    stage, status_text = row.text("stage"), row.text("status")
    status = values.status_from(
        stage, status_text, lost_stages=options.lost_stages, won_stages=options.won_stages
    )
    if status_text and values.letters(status_text) not in ("won", "lost", "open", "deleted", ""):
        row.problem(row.column_of("status"), status_text, "expected a status of open, won or lost")
    parse_date: Callable[[str], dt.date] = lambda raw: values.parse_date(  # noqa: E731
        raw, dayfirst=options.dayfirst
    )
    reason = row.text("loss_reason")
    ended_by = row.parsed("ended_by", values.parse_ended_by)
    if ended_by is None and status is DealStatus.LOST:
        ended_by = values.infer_ended_by(stage, reason)
    return DealRecord(
        external_id=external_id,
        name=row.text("name"),
        account=row.text("account"),
        owner=row.text("owner"),
        stage=stage,
        status=status,
        amount=money.amount if money else None,
        currency=currency or (money.currency if money else None),
        created_on=row.parsed("created_at", parse_date),
        closed_on=row.parsed("closed_at", parse_date),
        product=row.text("product"),
        industry=row.text("industry"),
        region=row.text("region"),
        size=row.text("size"),
        contact_name=row.text("contact_name"),
        contact_email=_lower(row.parsed("contact_email", values.parse_email)),
        loss_reason=reason,
        loss_notes=row.text("loss_notes"),
        competitor=row.text("competitor"),
        ended_by=ended_by,
        stage_at_no=row.text("stage_at_no"),
        revisit_after=row.parsed("revisit_after", parse_date),
        extra=_extras(row),
    )


def _extras(row: _Row) -> dict[str, str]:
    return {
        header: row.cells[index]
        for index, header in row.cmap.extras.items()
        if index < len(row.cells) and row.cells[index].strip()
    }


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None
