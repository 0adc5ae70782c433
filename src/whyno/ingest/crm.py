"""Import a CRM export (CSV) into the catalog: streamed, batched, all or nothing.

``import_crm_csv(store, path, options)`` is the one entry point. By default a
file with any invalid row writes nothing and returns every problem; with
``skip_invalid`` the valid rows land and the invalid ones go to a rejects CSV.
Importing the same file twice changes nothing (key: source + deal id).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from whyno.errors import InputError
from whyno.ingest.dialects import DIALECTS, GENERIC, ColumnMap, build_column_map, detect_dialect
from whyno.ingest.loader import BatchCounts, RecordWriter
from whyno.ingest.pipeline import BackgroundWriter
from whyno.ingest.records import DealRecord, Problem, RowOptions, parse_row
from whyno.store.models import DEFAULT_TEAM_ID
from whyno.store.store import Store, audit
from whyno.values import letters

BATCH_SIZE = 2000
PROBLEMS_KEPT = 1000  # in memory, for display; all of them go to the problems file
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    dialect: str | None = None  # None: detect from the headers
    mapping: dict[str, str] = field(default_factory=dict)  # header -> canonical field
    source: str | None = None  # key namespace for deal ids; default: the dialect name
    dayfirst: bool = False
    encoding: str = "utf-8-sig"
    delimiter: str | None = None
    lost_stages: tuple[str, ...] = ()
    won_stages: tuple[str, ...] = ()
    skip_invalid: bool = False
    dry_run: bool = False
    rejects_path: Path | None = None
    problems_path: Path | None = None
    team_id: int = DEFAULT_TEAM_ID  # the team that owns the imported deals (team server)


@dataclass
class ImportResult:
    path: str
    dialect: str
    source: str
    columns: dict[str, list[str]]
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    nos: int = 0
    blank_lines: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    rejects_path: str | None = None
    problems_path: str | None = None


class ImportRejected(InputError):
    """The file had invalid rows and nothing was written."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(
            f"{result.path}: {result.rejected} of {result.read} rows are invalid "
            f"({result.problem_count} problems); nothing was imported. Fix them and import "
            "again, or pass --skip-invalid to import the valid rows and write the others "
            "to a rejects file."
        )


def import_crm_csv(
    store: Store, path: Path, options: ImportOptions | None = None, progress: Progress | None = None
) -> ImportResult:
    """Import one CRM export into ``store``; see the module docstring."""
    options = options or ImportOptions()
    with _open(path, options.encoding) as (text, counter, total):
        reader, headers = _reader(text, path, options.delimiter)
        dialect = _dialect(options.dialect, headers)
        cmap = build_column_map(headers, dialect, options.mapping)
        _require_columns(cmap, headers, path)
        result = ImportResult(str(path), dialect, options.source or dialect, cmap.describe(headers))
        job = _Job(store, options, result, headers, cmap)
        job.run(_rows(reader, path), lambda: progress(counter.count, total) if progress else None)
    return result


@dataclass
class _Job:
    store: Store
    options: ImportOptions
    result: ImportResult
    headers: list[str]
    cmap: ColumnMap

    def run(self, rows: Iterator[tuple[int, list[str]]], tick: Callable[[], None]) -> None:
        lost = frozenset(letters(s) for s in self.options.lost_stages)
        won = frozenset(letters(s) for s in self.options.won_stages)
        reading = repr(
            (
                self.headers,
                sorted(self.cmap.fields.items()),
                self.options.dayfirst,
                sorted(lost),
                sorted(won),
            )
        )
        salt = hashlib.blake2b(reading.encode(), digest_size=32).digest()
        row_options = RowOptions(self.options.dayfirst, lost, won, salt)
        with self.store.engine.connect() as connection, _Sinks(self) as sinks:
            transaction = connection.begin()
            _tune_for_bulk(connection, True)
            writer = BackgroundWriter(
                RecordWriter(connection, self.result.source, self.options.team_id)
            )
            try:
                self._read(rows, row_options, writer, sinks, tick)
                counts = writer.close()
            except BaseException:
                writer.abandon()
                transaction.rollback()
                raise
            finally:
                _tune_for_bulk(connection, False)
            self._finish(transaction, connection, counts)

    def _read(
        self,
        rows: Iterator[tuple[int, list[str]]],
        row_options: RowOptions,
        writer: BackgroundWriter,
        sinks: _Sinks,
        tick: Callable[[], None],
    ) -> None:
        seen: set[str] = set()
        batch: list[DealRecord] = []
        for number, cells in rows:
            if not "".join(cells).strip():
                self.result.blank_lines += 1
                continue
            self.result.read += 1
            parsed = parse_row(number, cells, self.headers, self.cmap, row_options)
            if isinstance(parsed, DealRecord) and parsed.external_id in seen:
                parsed = [
                    Problem(
                        number,
                        self.cmap.header("id", self.headers),
                        parsed.external_id,
                        "this deal id already appeared earlier in the file",
                    )
                ]
            if isinstance(parsed, list):
                self._reject(number, cells, parsed, sinks)
                continue
            seen.add(parsed.external_id)
            batch.append(parsed)
            if len(batch) >= BATCH_SIZE:
                self._flush(writer, batch)
                batch = []
                tick()
        self._flush(writer, batch)
        tick()

    def _writing(self) -> bool:
        return self.options.skip_invalid or self.result.problem_count == 0

    def _flush(self, writer: BackgroundWriter, batch: list[DealRecord]) -> None:
        if batch and self._writing():
            writer.submit(batch)
            self.result.nos += sum(1 for record in batch if record.is_no)

    def _reject(
        self, number: int, cells: list[str], problems: list[Problem], sinks: _Sinks
    ) -> None:
        self.result.rejected += 1
        self.result.problem_count += len(problems)
        room = PROBLEMS_KEPT - len(self.result.problems)
        self.result.problems.extend(problems[: max(room, 0)])
        sinks.reject(number, cells, problems)

    def _finish(self, transaction: Any, connection: Any, counts: BatchCounts) -> None:
        result = self.result
        if result.problem_count and not self.options.skip_invalid:
            transaction.rollback()
            raise ImportRejected(result)
        result.imported, result.updated, result.unchanged = (
            counts.imported,
            counts.updated,
            counts.unchanged,
        )
        if self.options.dry_run:
            transaction.rollback()
            return
        audit(
            connection,
            "import",
            entity="file",
            entity_id=result.path,
            detail={k: v for k, v in asdict(result).items() if k not in ("problems", "columns")},
        )
        transaction.commit()
        result.written = True


class _Sinks:
    """The rejects CSV and the problems CSV, opened only when there is something to write."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self._files: list[IO[str]] = []
        self._rejects: Any = None
        self._problems: Any = None

    def __enter__(self) -> _Sinks:
        return self

    def __exit__(self, *_exc: object) -> None:
        for handle in self._files:
            handle.close()

    def reject(self, number: int, cells: list[str], problems: list[Problem]) -> None:
        options, result = self.job.options, self.job.result
        if options.skip_invalid and options.rejects_path:
            if self._rejects is None:
                self._rejects = self._open(
                    options.rejects_path, [*self.job.headers, "whyno_row", "whyno_error"]
                )
                result.rejects_path = str(options.rejects_path)
            padded = cells + [""] * (len(self.job.headers) - len(cells))
            self._rejects.writerow([*padded, number, "; ".join(str(p) for p in problems)])
        if options.problems_path:
            if self._problems is None:
                self._problems = self._open(
                    options.problems_path, ["row", "column", "value", "problem"]
                )
                result.problems_path = str(options.problems_path)
            for p in problems:
                self._problems.writerow([p.row, p.column, p.value, p.message])

    def _open(self, path: Path, header: list[str]) -> Any:
        handle = path.open("w", newline="", encoding="utf-8")
        self._files.append(handle)
        writer = csv.writer(handle)
        writer.writerow(header)
        return writer


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from a binary file, for a progress bar."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.count = self.raw.seek(offset, whence)
        return self.count

    def tell(self) -> int:
        return self.raw.tell()

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


class _open:
    def __init__(self, path: Path, encoding: str) -> None:
        self.path, self.encoding = path, encoding

    def __enter__(self) -> tuple[IO[str], _CountingReader, int]:
        if not self.path.is_file():
            raise InputError(f"{self.path}: no such file; check the path and try again")
        self.raw = self.path.open("rb")
        self.counter = _CountingReader(self.raw)
        buffered = io.BufferedReader(self.counter, buffer_size=1 << 16)
        text = io.TextIOWrapper(buffered, encoding=self.encoding, newline="")
        return text, self.counter, self.path.stat().st_size

    def __exit__(self, *_exc: object) -> None:
        self.raw.close()


def _reader(text: IO[str], path: Path, delimiter: str | None) -> tuple[Any, list[str]]:
    sample = _safe_read(lambda: text.read(1 << 16), path)
    if not sample.strip():
        raise InputError(f"{path}: the file is empty; export the deals with a header row")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], ",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    text.seek(0)
    reader = csv.reader(_lines(text, path), delimiter=delimiter)
    headers = next(reader)
    return reader, [h.strip() for h in headers]


def _lines(text: IO[str], path: Path) -> Iterator[str]:
    while line := _safe_read(text.readline, path):
        yield line


def _safe_read(read: Callable[[], str], path: Path) -> str:
    try:
        return read()
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: byte {exc.start} is not valid {exc.encoding}; save the export as UTF-8, "
            "or pass the file's encoding with --encoding (e.g. --encoding cp1252)"
        ) from None


def _rows(reader: Any, path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells): row 1 is the header, as a spreadsheet numbers them."""
    number = 1
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except csv.Error as exc:
        raise InputError(
            f"{path}: row {number + 1} is not valid CSV ({exc}); check its quotes"
        ) from None


def _tune_for_bulk(connection: Any, on: bool) -> None:
    """SQLite: a 128 MB page cache while importing (index updates stay in memory)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = {-131072 if on else -2000}")


def _dialect(name: str | None, headers: list[str]) -> str:
    if name is None:
        return detect_dialect(headers)
    known = [d.name for d in DIALECTS] + [GENERIC]
    if name not in known:
        raise InputError(f"--dialect {name!r}: use one of {', '.join(known)}")
    return name


def _require_columns(cmap: ColumnMap, headers: list[str], path: Path) -> None:
    missing = [name for name in ("id",) if name not in cmap.fields]
    if "stage" not in cmap.fields and "status" not in cmap.fields:
        missing.append("stage")
    if missing:
        raise InputError(
            f"{path}: no column for {', '.join(missing)} (columns found: {', '.join(headers)}). "
            f'Name the columns with --map, e.g. --map "{headers[0]}={missing[0]}"'
        )
