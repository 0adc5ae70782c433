from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from tests.helpers import CRM, write_csv
from whyno.errors import InputError
from whyno.ingest import crm
from whyno.ingest.crm import ImportOptions, ImportRejected, import_crm_csv
from whyno.nos.queries import no_stats
from whyno.store import Store
from whyno.store.models import Contact, Deal, No, Seller


def _nos(store: Store) -> dict[str, dict[str, Any]]:
    """Every no keyed by its deal's external id."""
    query = select(Deal.external_id, No).join(No, No.deal_id == Deal.id)
    with store.session() as session:
        return {
            ext: {
                "date": no.occurred_on,
                "ended_by": no.ended_by,
                "verbatim": no.verbatim,
                "crm_reason": no.crm_reason,
                "competitor": no.competitor,
                "stage": no.stage,
                "understood": no.reason_understood,
            }
            for ext, no in session.execute(query)
        }


def _deal(store: Store, external_id: str) -> Deal:
    with store.session() as session:
        deal = session.scalars(select(Deal).where(Deal.external_id == external_id)).one()
        return deal


def _count(store: Store, model: Any) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --- each CRM dialect --------------------------------------------------------------


def test_salesforce_report_export(store: Store) -> None:
    result = import_crm_csv(store, CRM / "salesforce_report.csv")
    assert (result.dialect, result.source) == ("salesforce", "salesforce")
    assert (result.read, result.imported, result.nos) == (4, 4, 2)
    nos = _nos(store)
    assert nos["0061x00000AbCdE"] == {
        "date": dt.date(2024, 3, 31),
        "ended_by": "them",
        "verbatim": "Said our per-seat pricing was double what they budgeted",
        "crm_reason": "Price",
        "competitor": "Globex",
        "stage": "Closed Lost",
        "understood": True,
    }
    gap = nos["0061x00000AbCdG"]
    assert (gap["verbatim"], gap["ended_by"], gap["understood"]) == (None, None, False)
    deal = _deal(store, "0061x00000AbCdE")
    assert (deal.amount, deal.currency, deal.created_on) == (12500.0, "USD", dt.date(2024, 1, 15))
    assert deal.industry == "Manufacturing"
    assert deal.extra == {"Billing Country": "United States"}


def test_salesforce_data_loader_export(store: Store) -> None:
    result = import_crm_csv(store, CRM / "salesforce_dataloader.csv")
    assert (result.dialect, result.imported, result.nos) == ("salesforce", 3, 1)
    no = _nos(store)["0065g00000XyZ01AAA"]
    assert no["crm_reason"] == "Lost to Competitor"
    assert no["verbatim"] == "Went with a cheaper local vendor"
    assert no["competitor"] == "Vendia"
    deal = _deal(store, "0065g00000XyZ01AAA")
    assert (deal.amount, deal.currency, deal.created_on) == (25000.0, "EUR", dt.date(2024, 1, 10))
    assert _deal(store, "0065g00000XyZ03AAA").status == "open"


def test_hubspot_export(store: Store) -> None:
    result = import_crm_csv(store, CRM / "hubspot.csv")
    assert (result.dialect, result.imported, result.nos) == ("hubspot", 4, 2)
    nos = _nos(store)
    assert nos["9001"]["verbatim"] == "We're going to stick with spreadsheets for now"
    assert nos["9001"]["date"] == dt.date(2024, 6, 30)
    assert nos["9002"]["understood"] is False
    assert _deal(store, "9002").amount == 3400.75
    with store.session() as session:
        contact = session.scalars(
            select(Contact).where(Contact.email == "tom.baker@bluesky.example")
        ).one()
        assert (contact.name, contact.status) == ("Tom Baker", "ok")
        assert session.scalars(select(Seller.name).order_by(Seller.name)).all() == [
            "Maria Lopez",
            "Omar Haddad",
        ]


def test_pipedrive_export(store: Store) -> None:
    result = import_crm_csv(store, CRM / "pipedrive.csv")
    assert (result.dialect, result.imported, result.nos) == ("pipedrive", 4, 2)
    nos = _nos(store)
    assert nos["101"]["stage"] == "Proposal Made"  # Pipedrive keeps the stage it was lost at
    assert nos["101"]["date"] == dt.date(2024, 4, 15)
    assert nos["104"]["ended_by"] == "silent"  # "No response after demo"
    assert _deal(store, "101").amount == 1200.0
    assert _deal(store, "103").amount == 900.5
    assert _deal(store, "102").status == "won"


def test_zoho_export(store: Store) -> None:
    result = import_crm_csv(store, CRM / "zoho.csv")
    assert (result.dialect, result.imported, result.nos) == ("zoho", 3, 2)
    nos = _nos(store)
    assert nos["zcrm_4876000000123001"]["date"] == dt.date(2024, 4, 15)
    assert nos["zcrm_4876000000123001"]["verbatim"] == "Chose SolarEdge"
    assert nos["zcrm_4876000000123003"]["understood"] is False  # "Other"
    deal = _deal(store, "zcrm_4876000000123001")
    assert (deal.amount, deal.currency) == (450000.0, "INR")


def test_any_csv_with_map_and_custom_stages(store: Store) -> None:
    options = ImportOptions(
        mapping={
            "Deal": "id",
            "Kunde": "account",
            "Verkäufer": "owner",
            "Phase": "stage",
            "Wert": "amount",
            "Erstellt": "created_at",
            "Geschlossen": "closed_at",
            "Grund": "loss_reason",
            "Mitbewerber": "competitor",
        },
        lost_stages=("Verloren",),
        won_stages=("Gewonnen",),
        source="erp",
    )
    result = import_crm_csv(store, CRM / "generic_semicolon.csv", options)
    assert (result.dialect, result.source, result.imported, result.nos) == ("csv", "erp", 3, 2)
    nos = _nos(store)
    assert nos["D-3"]["competitor"] == "Acme"
    assert nos["D-1"]["date"] == dt.date(2024, 2, 28)
    assert _deal(store, "D-1").amount == 1500.0
    assert _deal(store, "D-2").status == "won"


# --- idempotency and updates ------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(store: Store) -> None:
    first = import_crm_csv(store, CRM / "hubspot.csv")
    before = no_stats(store)
    again = import_crm_csv(store, CRM / "hubspot.csv")
    assert (first.imported, first.unchanged) == (4, 0)
    assert (again.read, again.imported, again.updated, again.unchanged) == (4, 0, 0, 4)
    assert no_stats(store) == before


HEADER = ["Id", "Stage", "Amount", "Close Date", "Loss Reason", "Contact Email"]


def test_a_newer_export_updates_changed_deals(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    write_csv(
        path,
        HEADER,
        [
            ["1", "Proposal", "100", "", "", ""],
            ["2", "Closed Lost", "200", "2024-05-01", "Price", ""],
            ["3", "Closed Lost", "300", "2024-05-02", "Timing", ""],
        ],
    )
    import_crm_csv(store, path)
    write_csv(
        path,
        HEADER,
        [
            ["1", "Closed Lost", "100", "2024-06-01", "Went with Acme", ""],
            ["2", "Closed Lost", "200", "2024-05-01", "Price too high", ""],
            ["3", "Closed Won", "300", "2024-05-02", "", ""],
            ["4", "Closed Lost", "400", "2024-06-03", "", ""],
        ],
    )
    result = import_crm_csv(store, path)
    assert (result.read, result.imported, result.updated, result.unchanged) == (4, 1, 3, 0)
    nos = _nos(store)
    assert sorted(nos) == ["1", "2", "4"]  # 3 was won after all: its no is gone
    assert nos["1"]["crm_reason"] == "Went with Acme"
    assert nos["2"]["verbatim"] == "Price too high"
    assert _count(store, Deal) == 4


def test_reimport_keeps_do_not_contact(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        HEADER,
        [["1", "Closed Lost", "1", "2024-01-01", "x", "pat@example.com"]],
    )
    import_crm_csv(store, path)
    with store.session() as session, session.begin():
        session.execute(update(Contact).values(status="do_not_contact"))
    write_csv(path, HEADER, [["1", "Closed Lost", "2", "2024-01-01", "y", "PAT@example.com"]])
    assert import_crm_csv(store, path).updated == 1
    with store.session() as session:
        assert session.scalars(select(Contact.status)).all() == ["do_not_contact"]


# --- all or nothing ---------------------------------------------------------------


def _bad_file(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "bad.csv",
        HEADER,
        [
            ["1", "Closed Lost", "100", "2024-01-05", "Price", ""],
            ["2", "Closed Lost", "lots", "2024-01-06", "Timing", ""],
            ["3", "Closed Lost", "300", "2024-02-30", "", ""],
            ["4", "Closed Won", "400", "2024-01-08", "", "not-an-email"],
            ["5", "Closed Lost", "500", "2024-01-09", "Budget", ""],
        ],
    )


def test_a_file_with_bad_rows_is_refused_whole(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        import_crm_csv(store, _bad_file(tmp_path))
    result = caught.value.result
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (3, "Amount", "lots"),
        (4, "Close Date", "2024-02-30"),
        (5, "Contact Email", "not-an-email"),
    ]
    assert "not a valid date" in result.problems[1].message
    assert (result.read, result.rejected, result.written) == (5, 3, False)
    assert _count(store, Deal) == 0
    assert _count(store, No) == 0


def test_rollback_undoes_batches_already_written(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crm, "BATCH_SIZE", 2)
    rows = [[str(i), "Closed Lost", "1", "2024-01-01", "Price", ""] for i in range(1, 8)]
    rows.append(["8", "Closed Lost", "1", "not a date", "Price", ""])
    with pytest.raises(ImportRejected):
        import_crm_csv(store, write_csv(tmp_path / "late.csv", HEADER, rows))
    assert _count(store, Deal) == 0
    assert _count(store, Seller) == 0


def test_skip_invalid_imports_good_rows_and_writes_rejects(store: Store, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    result = import_crm_csv(
        store, _bad_file(tmp_path), ImportOptions(skip_invalid=True, rejects_path=rejects)
    )
    assert (result.read, result.imported, result.rejected) == (5, 2, 3)
    assert result.read == result.imported + result.updated + result.unchanged + result.rejected
    assert sorted(_nos(store)) == ["1", "5"]
    with rejects.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Id"], r["whyno_row"]) for r in rows] == [("2", "3"), ("3", "4"), ("4", "5")]
    assert "row 3, column 'Amount': value 'lots'" in rows[0]["whyno_error"]


def test_fixed_rejects_file_imports_cleanly(store: Store, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    import_crm_csv(
        store, _bad_file(tmp_path), ImportOptions(skip_invalid=True, rejects_path=rejects)
    )
    text = rejects.read_text(encoding="utf-8")
    fixed = text.replace("lots", "250").replace("2024-02-30", "2024-02-28")
    rejects.write_text(fixed.replace("not-an-email", "ok@example.com"), encoding="utf-8")
    result = import_crm_csv(store, rejects)
    assert (result.imported, result.rejected) == (3, 0)
    assert _count(store, Deal) == 5


def test_problems_file_lists_every_problem(store: Store, tmp_path: Path) -> None:
    problems = tmp_path / "problems.csv"
    with pytest.raises(ImportRejected):
        import_crm_csv(store, _bad_file(tmp_path), ImportOptions(problems_path=problems))
    lines = problems.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "row,column,value,problem"
    assert len(lines) == 4


def test_duplicate_ids_in_one_file_are_problems(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dup.csv",
        HEADER,
        [["7", "Closed Lost", "1", "", "", ""], ["7", "Closed Won", "1", "", "", ""]],
    )
    with pytest.raises(ImportRejected) as caught:
        import_crm_csv(store, path)
    assert str(caught.value.result.problems[0]) == (
        "row 3, column 'Id': value '7': this deal id already appeared earlier in the file"
    )


def test_empty_id_and_extra_values_are_problems(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("Id,Stage\n,Closed Lost\n2,Closed Lost,oops\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_crm_csv(store, path)
    messages = [str(p) for p in caught.value.result.problems]
    assert "the deal id is empty" in messages[0]
    assert "row 3:" in messages[1] and "3 values but the header has 2 columns" in messages[1]


def test_dry_run_counts_but_writes_nothing(store: Store) -> None:
    result = import_crm_csv(store, CRM / "zoho.csv", ImportOptions(dry_run=True))
    assert (result.imported, result.written) == (3, False)
    assert _count(store, Deal) == 0


# --- files that cannot be read ----------------------------------------------------------


def test_missing_id_column_names_the_fix(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["Ref", "Stage"], [["1", "Lost"]])
    with pytest.raises(InputError, match=r'no column for id .*--map "Ref=id"'):
        import_crm_csv(store, path)


def test_file_not_in_utf8_asks_for_encoding(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("Id,Stage,Loss Reason\n1,Closed Lost,Trop cher \xe9t\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="--encoding"):
        import_crm_csv(store, path)
    result = import_crm_csv(store, path, ImportOptions(encoding="cp1252"))
    assert _nos(store)["1"]["verbatim"] == "Trop cher été"
    assert result.imported == 1


def test_unknown_dialect_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="--dialect 'sap': use one of salesforce, hubspot"):
        import_crm_csv(store, CRM / "zoho.csv", ImportOptions(dialect="sap"))
    assert import_crm_csv(store, CRM / "zoho.csv", ImportOptions(dialect="zoho")).imported == 3


def test_missing_and_empty_files(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_crm_csv(store, tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        import_crm_csv(store, tmp_path / "empty.csv")


def test_bom_crlf_and_blank_lines_are_handled(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfId,Stage,Loss Reason\r\n1,Closed Lost,Price\r\n\r\n2,Won,\r\n")
    result = import_crm_csv(store, path)
    assert (result.read, result.imported, result.blank_lines) == (2, 2, 1)


def test_import_is_audited(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "hubspot.csv"
    shutil.copy(CRM / "hubspot.csv", path)
    import_crm_csv(store, path)
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT action, entity_id FROM audit_log").all()
    assert [tuple(r) for r in rows] == [("import", str(path))]
