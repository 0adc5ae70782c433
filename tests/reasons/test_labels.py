from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.helpers import write_csv
from whyno.cli import app
from whyno.config import Settings
from whyno.errors import InputError, NotFoundError
from whyno.nos.entry import NoEntry, log_no
from whyno.nos.queries import get_no
from whyno.reasons.classify import EmbeddingClassifier
from whyno.reasons.labels import (
    apply_labels,
    classifier_for,
    correct,
    corrections,
    corrections_stamp,
    review_queue,
    unexplained_verbatims,
)
from whyno.store import Store
from whyno.store.models import ReasonLabel

runner = CliRunner()
VERBATIMS = {
    "acme": "went with Acme, they were half our price",
    "sheet": "we'll keep doing it in spreadsheets for now",
    "quiet": "",
    "budget": "all spending frozen until next fiscal year",
    "odd": "the purple elephant sang a song about tuesday",
}


@pytest.fixture
def catalog(store: Store) -> dict[str, int]:
    ids = {
        key: log_no(store, NoEntry(deal=key, reason=text or None))
        for key, text in VERBATIMS.items()
    }
    from tests.helpers import CRM
    from whyno.ingest.crm import import_crm_csv

    import_crm_csv(
        store, CRM / "salesforce_dataloader.csv"
    )  # picklist "Lost to Competitor" + notes
    return ids


def _labels(store: Store, no_id: int) -> list[tuple[str, str]]:
    with store.session() as session:
        rows = session.execute(
            select(ReasonLabel.category, ReasonLabel.source)
            .where(ReasonLabel.no_id == no_id)
            .order_by(ReasonLabel.source, ReasonLabel.category)
        ).all()
    return [tuple(r) for r in rows]


def test_apply_labels_every_explained_no_and_is_idempotent(
    store: Store, catalog: dict[str, int], classifier: EmbeddingClassifier
) -> None:
    first = apply_labels(store, classifier)
    assert first.considered == 5  # four verbatims + the imported no; the empty one is skipped
    assert _labels(store, catalog["acme"])[0] == ("market.competitor", "model")
    assert _labels(store, catalog["budget"]) == [("market.budget", "model")]
    assert _labels(store, catalog["quiet"]) == []
    snapshot = {key: _labels(store, no_id) for key, no_id in catalog.items()}
    again = apply_labels(store, classifier)
    assert again == first
    assert {key: _labels(store, no_id) for key, no_id in catalog.items()} == snapshot
    assert get_no(store, catalog["budget"]).no.reason_understood is True
    with store.session() as session:
        from whyno.store.models import No

        main = dict(session.execute(select(No.id, No.main_category)).all())
    assert main[catalog["budget"]] == "market.budget"
    assert main[catalog["quiet"]] is None
    correct(store, catalog["budget"], ["market.timing"])
    with store.session() as session:
        assert session.get(No, catalog["budget"]).main_category == "market.timing"  # type: ignore[union-attr]


def test_picklist_value_and_notes_give_two_labels(
    store: Store, catalog: dict[str, int], classifier: EmbeddingClassifier
) -> None:
    apply_labels(store, classifier)
    with store.session() as session:
        rows = session.execute(
            select(ReasonLabel.category, ReasonLabel.source).where(ReasonLabel.source == "crm")
        ).all()
    assert [tuple(r) for r in rows] == [("market.competitor", "crm")]


def test_person_labels_are_never_overwritten(
    store: Store, catalog: dict[str, int], classifier: EmbeddingClassifier
) -> None:
    correct(store, catalog["acme"], ["product.price", "market.competitor"])
    result = apply_labels(store, classifier)
    assert result.skipped_person == 1
    assert _labels(store, catalog["acme"]) == [
        ("market.competitor", "person"),
        ("product.price", "person"),
    ]
    assert corrections(store)[0].labels == ("product.price", "market.competitor")


def test_corrections_retrain_the_team_model(
    store: Store, catalog: dict[str, int], model_cache: Path
) -> None:
    before = corrections_stamp(store)
    correct(store, catalog["odd"], ["product.capability"])
    assert corrections_stamp(store) != before
    team = classifier_for(store, Settings(home=model_cache.parent, cache_dir=model_cache))
    [p] = team.classify_batch([VERBATIMS["odd"]])
    assert (p.category, p.source) == ("product.capability", "person")
    seeds_only = classifier_for(store, Settings(cache_dir=model_cache), "fast", team=False)
    assert seeds_only.classify_batch([VERBATIMS["odd"]])[0].source != "person"


def test_bad_corrections_are_refused(store: Store, catalog: dict[str, int]) -> None:
    with pytest.raises(InputError, match=r"unknown category 'product\.vibes'"):
        correct(store, catalog["acme"], ["product.vibes"])
    with pytest.raises(NotFoundError):
        correct(store, 9999, ["product.price"])


def test_review_queue_is_least_certain_first(
    store: Store, catalog: dict[str, int], classifier: EmbeddingClassifier
) -> None:
    apply_labels(store, classifier)
    queue = review_queue(store, limit=10)
    assert [item.confidence for item in queue] == sorted(item.confidence for item in queue)
    assert queue[0].no_id == catalog["odd"]


def _cli(db: str, home: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["--db", db, *args], input=input, env={"WHYNO_HOME": str(home), "COLUMNS": "200"}
    )
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def test_cli_classify_contract(
    db_url: str, whyno_home: Path, classifier: EmbeddingClassifier
) -> None:
    lines = ["went with Acme, cheaper", "no thanks", "", "Price", "budget frozen till Q3"]
    code, out, _ = _cli(
        db_url, whyno_home, "reasons", "classify", "-", "--json", input="\n".join(lines) + "\n"
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in rows] == lines
    for row in rows:
        assert {"text", "category", "lever", "confidence", "categories"} <= set(row)
        assert row["category"] in classifier.labels
        assert row["lever"] == row["category"].split(".")[0]
        assert 0.0 <= row["confidence"] <= 1.0
        assert row["category"] in row["categories"]
    assert [r["category"] for r in rows[1:4]] == [
        "unknown.no_reason",
        "unknown.no_reason",
        "product.price",
    ]


def test_cli_classify_file_and_errors(db_url: str, whyno_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "v.txt"
    path.write_text("too expensive\nwe picked Globex\n", encoding="utf-8")
    code, out, _ = _cli(db_url, whyno_home, "reasons", "classify", str(path))
    assert code == 0 and "product.price" in out
    code, _, err = _cli(db_url, whyno_home, "reasons", "classify", str(tmp_path / "nope.txt"))
    assert code == 2 and "no such file" in err


def test_cli_review_csv_round_trip(
    store: Store, db_url: str, whyno_home: Path, catalog: dict[str, int], tmp_path: Path
) -> None:
    code, _, _ = _cli(db_url, whyno_home, "reasons", "apply")
    assert code == 0
    queue = tmp_path / "queue.csv"
    code, _, err = _cli(db_url, whyno_home, "reasons", "review", "--export", str(queue))
    assert code == 0 and "labels written" in err
    with queue.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["correct_category"] = (
            "product.capability" if row["no_id"] == str(catalog["odd"]) else ""
        )
    bad = write_csv(
        tmp_path / "bad.csv",
        list(rows[0]),
        [[*list(r.values())[:-1], "nonsense.x"] for r in rows[:1]],
    )
    code, _, err = _cli(db_url, whyno_home, "reasons", "review", "--import", str(bad))
    assert code == 2 and "unknown category 'nonsense.x'" in err and "Nothing was recorded" in err
    write_csv(queue, list(rows[0]), [list(r.values()) for r in rows])
    code, out, _ = _cli(db_url, whyno_home, "reasons", "review", "--import", str(queue))
    assert code == 0 and "Recorded 1 corrections" in out
    assert _labels(store, catalog["odd"]) == [("product.capability", "person")]


def test_cli_eval_prints_metrics(db_url: str, whyno_home: Path, tmp_path: Path) -> None:
    labelled = write_csv(
        tmp_path / "l.csv",
        ["text", "category"],
        [
            ["way too expensive for us", "product.price"],
            ["we signed with a competitor", "market.competitor"],
            ["no thanks", "unknown.no_reason"],
        ],
    )
    code, out, _ = _cli(db_url, whyno_home, "reasons", "eval", str(labelled), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["total"] == 3 and result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert set(result["per_category"]) == {
        "product.price",
        "market.competitor",
        "unknown.no_reason",
    }
    bad = write_csv(tmp_path / "b.csv", ["text", "category"], [["x", "price"]])
    code, _, err = _cli(db_url, whyno_home, "reasons", "eval", str(bad))
    assert code == 2 and "row 2: unknown category 'price'" in err


ODD = "the purple elephant sang a song about tuesday"


def _log_and_label(store: Store, classifier: EmbeddingClassifier, *verbatims: str) -> None:
    for n, text in enumerate(verbatims):
        log_no(store, NoEntry(deal=f"deal-{n}", reason=text))
    apply_labels(store, classifier)


def test_unexplained_verbatims_leave_out_bare_declines_and_clear_reasons(
    store: Store, classifier: EmbeddingClassifier
) -> None:
    _log_and_label(
        store, classifier, ODD, "no thanks, not interested", "went with Acme, half our price"
    )
    assert unexplained_verbatims(store) == [ODD]


def test_cli_themes_group_only_what_the_taxonomy_leaves_unexplained(
    db_url: str, store: Store, whyno_home: Path, classifier: EmbeddingClassifier
) -> None:
    _log_and_label(store, classifier, ODD, "no thanks, not interested", "we'll pass")
    code, out, _ = _cli(db_url, whyno_home, "reasons", "themes", "--json")
    assert code == 0
    assert json.loads(out) == {"verbatims": 1, "themes": []}
