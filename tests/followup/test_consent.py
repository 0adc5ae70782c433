from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from tests.helpers import write_csv
from whyno.errors import InputError, NotFoundError
from whyno.followup.consent import forget, set_status
from whyno.ingest.crm import import_crm_csv
from whyno.nos.export import export_nos
from whyno.nos.queries import no_stats
from whyno.store import Store
from whyno.store.models import AuditEntry, Conversation, Deal, No, ReasonLabel, Utterance

SECRET_VERBATIM = "Zelda Quorum said the rollout of zebrafrost was too pricey"
HEADER = [
    "Id",
    "Name",
    "Stage",
    "Close Date",
    "Loss Reason",
    "Loss Notes",
    "Contact Name",
    "Contact Email",
    "Notes",
]


@pytest.fixture
def people(store: Store, tmp_path: Path) -> Store:
    write_csv(
        tmp_path / "d.csv",
        HEADER,
        [
            [
                "1",
                "Zelda Quorum renewal",
                "Closed Lost",
                "2026-01-05",
                "Price",
                SECRET_VERBATIM,
                "Zelda Quorum",
                "zelda.quorum@example.com",
                "call zelda.quorum@example.com",
            ],
            [
                "2",
                "Other deal",
                "Closed Lost",
                "2026-01-06",
                "Timing",
                "after the audit in March",
                "Bob Plain",
                "bob@example.com",
                "",
            ],
        ],
    )
    import_crm_csv(store, tmp_path / "d.csv")
    with store.engine.begin() as connection:
        deal_id = connection.execute(select(Deal.id).where(Deal.external_id == "1")).scalar_one()
        no_id = connection.execute(select(No.id).where(No.deal_id == deal_id)).scalar_one()
        connection.execute(
            ReasonLabel.__table__.insert().values(  # type: ignore[attr-defined]
                no_id=no_id,
                category="product.price",
                confidence=1.0,
                source="crm",
                created_at=None or __import__("datetime").datetime(2026, 1, 5),
            )
        )
        connection.execute(
            No.__table__.update()
            .where(No.id == no_id)  # type: ignore[attr-defined]
            .values(main_category="product.price")
        )
        conversation = connection.execute(
            Conversation.__table__.insert().values(  # type: ignore[attr-defined]
                deal_id=deal_id,
                title="Call with Zelda Quorum",
                source_file="/calls/zelda.vtt",
                created_at=__import__("datetime").datetime(2026, 1, 4),
            )
        ).inserted_primary_key[0]
        connection.execute(
            Utterance.__table__.insert(),
            [  # type: ignore[attr-defined]
                {
                    "conversation_id": conversation,
                    "position": 0,
                    "speaker": "Zelda Quorum",
                    "role": "buyer",
                    "text": "zebrafrost costs too much for us",
                },
                {
                    "conversation_id": conversation,
                    "position": 1,
                    "speaker": "Sam",
                    "role": "seller",
                    "text": "what would make it worth it, Zelda?",
                },
            ],
        )
    return store


def _all_text(store: Store) -> str:
    """Every text value in every table, for the PostgreSQL check."""
    chunks = []
    with store.engine.connect() as connection:
        for table in inspect(store.engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def test_forget_erases_the_person_everywhere_and_keeps_counts(
    people: Store, tmp_path: Path
) -> None:
    before = no_stats(people)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "reasons-static-abc.npz").write_bytes(b"zebrafrost")
    result = forget(people, "Zelda.Quorum@example.com", cache_dir=cache)
    assert (result.contacts, result.nos, result.deals, result.utterances) == (1, 1, 1, 2)
    assert result.cache_files == 1 and not list(cache.iterdir())
    after = no_stats(people)
    assert (after["deals"], after["nos"]) == (before["deals"], before["nos"])
    with people.session() as session:
        no = session.scalars(select(No).where(No.crm_reason == "Price")).one()
        assert (no.verbatim, no.main_category) == (None, "product.price")  # anonymous count kept
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "forget")).one()
        assert audit.entity == "contact" and "zelda" not in json.dumps(audit.detail).lower()
    everything = _all_text(people)
    for secret in ("zelda", "Zelda", "zebrafrost", "Quorum"):
        assert secret not in everything
    assert "Bob Plain" in everything  # nobody else was touched
    if people.dialect == "sqlite":
        path = Path(people.engine.url.database or "")
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for secret in (b"zelda", b"Zelda", b"zebrafrost", b"Quorum"):
            assert secret not in raw


def test_forget_by_id_and_unknown_people(people: Store) -> None:
    with pytest.raises(NotFoundError):
        forget(people, "nobody@example.com")
    with pytest.raises(InputError):
        forget(people, "  ")


def test_do_not_contact_is_withheld_from_exports(people: Store) -> None:
    assert set_status(people, "bob@example.com", "do_not_contact") == 1
    out = io.StringIO()
    assert export_nos(people, out, "json") == 1
    assert [row["deal_id"] for row in json.loads(out.getvalue())] == ["1"]
    with pytest.raises(InputError, match="use one of ok, not_now, do_not_contact"):
        set_status(people, "bob@example.com", "maybe")
