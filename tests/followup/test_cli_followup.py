from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.helpers import write_csv
from whyno.cli import app
from whyno.ingest.crm import import_crm_csv
from whyno.store import Store

runner = CliRunner()


def _run(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def _catalog(store: Store, tmp_path: Path) -> None:
    write_csv(
        tmp_path / "d.csv",
        ["Id", "Stage", "Close Date", "Loss Notes", "Contact Email", "Account", "Owner"],
        [
            [
                "1",
                "Closed Lost",
                "2026-01-10",
                "no Xero sync, we live in Xero",
                "a@x.example",
                "Acme",
                "Ann",
            ],
            [
                "2",
                "Closed Lost",
                "2026-01-11",
                "call me again after Q3",
                "b@x.example",
                "Bcme",
                "Ann",
            ],
        ],
    )
    import_crm_csv(store, tmp_path / "d.csv")


def test_consent_forget_revisit_resolved_pipeline(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    _catalog(store, tmp_path)
    code, out, _ = _run(db_url, "consent", "b@x.example", "--status", "do_not_contact")
    assert code == 0 and "1 contact(s) set to do_not_contact" in out
    code, out, _ = _run(db_url, "revisit", "--json", "--today", "2027-06-01")
    data = json.loads(out)
    assert (len(data["due"]), data["do_not_contact"]) == (1, 1)
    code, _, err = _run(db_url, "revisit", "--fiscal-year-start", "13")
    assert code == 2 and "is a month" in err
    code, out, _ = _run(db_url, "resolved", "the Xero sync is live", "--json")
    assert code == 0 and [m["account"] for m in json.loads(out)["matches"]] == ["Acme"]
    code, out, _ = _run(db_url, "pipeline", "--json")
    assert code == 0 and [r["seller"] for r in json.loads(out)] == ["Ann"]
    code, _, err = _run(db_url, "forget", "nobody@x.example", "--yes")
    assert code == 3 and "nothing to erase" in err
    code, out, _ = _run(db_url, "forget", "a@x.example", "--yes", "--json")
    assert code == 0 and json.loads(out)["contacts"] == 1
    code, out, _ = _run(db_url, "export", "--format", "json")
    assert json.loads(out)[0]["verbatim"] is None  # erased; b@ is withheld (do-not-contact)


def test_forget_asks_first(store: Store, db_url: str, tmp_path: Path) -> None:
    _catalog(store, tmp_path)
    result = runner.invoke(app, ["--db", db_url, "forget", "a@x.example"], input="n\n")
    assert result.exit_code == 2 and "nothing erased" in result.stderr
