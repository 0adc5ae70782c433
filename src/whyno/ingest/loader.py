"""Write batches of deal records into the store: insert, update or leave unchanged.

Everything happens on one Core connection inside the caller's transaction, in
batched executemany statements (no row-by-row ORM work). A deal's key is
(source, external id); the row's content hash tells an update from a re-import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, update

from whyno.ingest.records import DealRecord
from whyno.store.bulk import bulk_insert, bulk_lookup
from whyno.store.models import DEFAULT_TEAM_ID, Account, Contact, Deal, No, Seller

DEALS: Table = Deal.__table__  # type: ignore[assignment]
NOS: Table = No.__table__  # type: ignore[assignment]
ACCOUNTS: Table = Account.__table__  # type: ignore[assignment]
SELLERS: Table = Seller.__table__  # type: ignore[assignment]
CONTACTS: Table = Contact.__table__  # type: ignore[assignment]


# A record's contact as (email, name); looked up as ("email", email, None)
# or, without an email, ("name", name, account id).
ContactKey = tuple[str | None, str | None]
Lookup = tuple[str, Any, int | None]


CONTACT_CACHE = 200_000  # contact ids kept in memory between batches


@dataclass
class BatchCounts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: BatchCounts) -> None:
        self.imported += other.imported
        self.updated += other.updated
        self.unchanged += other.unchanged


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class RecordWriter:
    """Writes records from one source; caches the ids of sellers and accounts it has seen."""

    def __init__(self, connection: Connection, source: str, team_id: int = DEFAULT_TEAM_ID) -> None:
        self.connection = connection
        self.source = source
        self.team_id = team_id
        self.no_source = f"import:{source}"
        self._sellers: dict[str, int] = {}
        self._accounts: dict[str, int] = {}
        self._contacts: dict[Lookup, int] = {}  # contacts seen by this import

    def write(self, records: Sequence[DealRecord]) -> BatchCounts:
        seller_ids = self._ids_for(
            SELLERS, self._sellers, {r.owner: {} for r in records if r.owner}
        )
        account_ids = self._ids_for(ACCOUNTS, self._accounts, _accounts_of(records))
        contact_ids = self._contact_ids(records, account_ids)
        existing = self._existing_deals([r.external_id for r in records])
        now = _now()
        new: list[tuple[DealRecord, dict[str, Any]]] = []
        changed: list[tuple[DealRecord, dict[str, Any], int]] = []
        counts = BatchCounts()
        for record in records:
            digest = record.content_hash()
            found = existing.get(record.external_id)
            if found is not None and found[1] == digest:
                counts.unchanged += 1
                continue
            row = _deal_row(record, digest, seller_ids, account_ids, contact_ids, now)
            if found is None:
                new.append((record, row))
            else:
                changed.append((record, row, found[0]))
        counts.imported = len(new)
        counts.updated = len(changed)
        self._insert(new, contact_ids, now)
        self._update(changed, contact_ids, now)
        return counts

    def refresh_statistics(self) -> None:
        """Let PostgreSQL's planner see the rows this import has added so far.

        Without it, a big first import looks up ids with plans made for empty
        tables, and each batch scans every row written before it. ANALYZE in
        the same transaction counts that transaction's own rows.
        """
        if self.connection.dialect.name == "postgresql":
            self.connection.exec_driver_sql("ANALYZE deals, nos, contacts, accounts, sellers")

    # -- people and accounts -------------------------------------------------

    def _ids_for(
        self, table: Table, cache: dict[str, int], wanted: dict[str, dict[str, Any]]
    ) -> dict[str, int]:
        missing = [name for name in wanted if name not in cache]
        if missing:
            cache.update(bulk_lookup(self.connection, table, ["name", "id"], "name", missing))
            now = _now()
            to_insert = [
                {"name": n, **wanted[n], "created_at": now} for n in missing if n not in cache
            ]
            if to_insert:
                bulk_insert(self.connection, table, to_insert)
                names = [row["name"] for row in to_insert]
                cache.update(bulk_lookup(self.connection, table, ["name", "id"], "name", names))
        return cache

    def _contact_ids(
        self, records: Sequence[DealRecord], account_ids: dict[str, int]
    ) -> dict[ContactKey, int]:
        """Contacts by (email, name): matched by email, else by name within the account.

        Existing contacts are reused and never modified here (their consent status
        belongs to whyno, not to the CRM export); new ones are inserted in bulk.
        """
        wanted: dict[ContactKey, tuple[int | None, Lookup]] = {}
        for r in records:
            if r.contact_email or r.contact_name:
                account_id = account_ids.get(r.account) if r.account else None
                lookup: Lookup = (
                    ("email", r.contact_email, None)
                    if r.contact_email
                    else ("name", r.contact_name, account_id)
                )
                wanted[(r.contact_email, r.contact_name)] = (account_id, lookup)
        if not wanted:
            return {}
        found = self._contacts
        if len(found) > CONTACT_CACHE:
            found.clear()  # bounded memory; evicted contacts are looked up again
        unknown = {lookup for _, lookup in wanted.values() if lookup not in found}
        found.update(self._find_contacts(unknown))
        fresh: dict[Lookup, dict[str, Any]] = {}
        for (email, name), (account_id, lookup) in wanted.items():
            if lookup not in found and lookup not in fresh:
                fresh[lookup] = {
                    "name": name,
                    "email": email,
                    "account_id": account_id,
                    "status": "ok",
                    "created_at": _now(),
                }
        if fresh:
            bulk_insert(self.connection, CONTACTS, list(fresh.values()))
            found.update(self._find_contacts(set(fresh)))
        return {key: found[lookup] for key, (_, lookup) in wanted.items()}

    def _find_contacts(self, lookups: set[Lookup]) -> dict[Lookup, int]:
        emails = sorted({value for kind, value, _ in lookups if kind == "email"})
        names = sorted({value for kind, value, _ in lookups if kind == "name"})
        found: dict[Lookup, int] = {}
        for email, id_ in bulk_lookup(self.connection, CONTACTS, ["email", "id"], "email", emails):
            found.setdefault(("email", email, None), id_)
        rows = bulk_lookup(
            self.connection, CONTACTS, ["name", "account_id", "email", "id"], "name", names
        )
        for name, account_id, email, id_ in rows:
            if email is None:
                found.setdefault(("name", name, account_id), id_)
        return found

    # -- deals and no's --------------------------------------------------------

    def _existing_deals(self, external_ids: Sequence[str]) -> dict[str, tuple[int, str | None]]:
        rows = bulk_lookup(
            self.connection,
            DEALS,
            ["external_id", "id", "row_hash"],
            "external_id",
            external_ids,
            {"source": self.source, "team_id": self.team_id},
        )
        return {ext: (id_, digest) for ext, id_, digest in rows}

    def _insert(
        self,
        new: Sequence[tuple[DealRecord, dict[str, Any]]],
        contact_ids: dict[ContactKey, int],
        now: dt.datetime,
    ) -> None:
        if not new:
            return
        bulk_insert(
            self.connection,
            DEALS,
            [
                dict(row, team_id=self.team_id, source=self.source, imported_at=now)
                for _, row in new
            ],
        )
        ids = self._existing_deals([record.external_id for record, _ in new])
        no_rows = [
            self._no_row(record, ids[record.external_id][0], contact_ids, now)
            for record, _ in new
            if record.is_no
        ]
        bulk_insert(self.connection, NOS, no_rows)

    def _update(
        self,
        changed: Sequence[tuple[DealRecord, dict[str, Any], int]],
        contact_ids: dict[ContactKey, int],
        now: dt.datetime,
    ) -> None:
        if not changed:
            return
        rows = [dict(row, _id=deal_id) for _, row, deal_id in changed]
        statement = update(DEALS).where(DEALS.c.id == bindparam("_id"))
        self.connection.execute(statement, rows)
        deal_ids = [deal_id for _, _, deal_id in changed]
        existing_nos = self._import_nos(deal_ids)
        updates, inserts, gone = [], [], []
        for record, _, deal_id in changed:
            no_id = existing_nos.get(deal_id)
            if record.is_no:
                row = self._no_row(record, deal_id, contact_ids, now)
                if no_id is None:
                    inserts.append(row)
                else:
                    row.pop("created_at")
                    updates.append(dict(row, _no_id=no_id))
            elif no_id is not None:
                gone.append(no_id)  # reopened or won since the last export
        if updates:
            self.connection.execute(update(NOS).where(NOS.c.id == bindparam("_no_id")), updates)
        bulk_insert(self.connection, NOS, inserts)
        for chunk in _chunks(gone, 500):
            self.connection.execute(delete(NOS).where(NOS.c.id.in_(chunk)))

    def _import_nos(self, deal_ids: Sequence[int]) -> dict[int, int]:
        rows = bulk_lookup(
            self.connection, NOS, ["deal_id", "id"], "deal_id", deal_ids, {"source": self.no_source}
        )
        return {deal_id: no_id for deal_id, no_id in rows}

    def _no_row(
        self,
        record: DealRecord,
        deal_id: int,
        contact_ids: dict[ContactKey, int],
        now: dt.datetime,
    ) -> dict[str, Any]:
        return {
            "team_id": self.team_id,
            "deal_id": deal_id,
            "contact_id": contact_ids.get((record.contact_email, record.contact_name)),
            "occurred_on": record.closed_on,
            "stage": record.stage_at_no or record.stage,
            "ended_by": record.ended_by.value if record.ended_by else None,
            "verbatim": record.verbatim,
            "crm_reason": record.loss_reason,
            "competitor": record.competitor,
            "reason_understood": record.reason_understood,
            "revisit_after": record.revisit_after,
            "source": self.no_source,
            "created_at": now,
            "updated_at": now,
        }


def _deal_row(
    record: DealRecord,
    digest: str,
    seller_ids: dict[str, int],
    account_ids: dict[str, int],
    contact_ids: dict[ContactKey, int],
    now: dt.datetime,
) -> dict[str, Any]:
    return {
        "external_id": record.external_id,
        "name": record.name,
        "account_id": account_ids.get(record.account) if record.account else None,
        "seller_id": seller_ids.get(record.owner) if record.owner else None,
        "contact_id": contact_ids.get((record.contact_email, record.contact_name)),
        "stage": record.stage,
        "status": record.status.value,
        "amount": record.amount,
        "currency": record.currency,
        "created_on": record.created_on,
        "closed_on": record.closed_on,
        "product": record.product,
        "industry": record.industry,
        "region": record.region,
        "size": record.size,
        "extra": record.extra or None,
        "row_hash": digest,
        "updated_at": now,
    }


def _accounts_of(records: Iterable[DealRecord]) -> dict[str, dict[str, Any]]:
    accounts: dict[str, dict[str, Any]] = {}
    for r in records:
        if r.account and r.account not in accounts:
            accounts[r.account] = {"industry": r.industry, "region": r.region, "size": r.size}
    return accounts


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
