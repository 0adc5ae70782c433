from __future__ import annotations

import csv
import io
import json

import pytest

from whyno.nos.entry import NoEntry, log_no
from whyno.nos.export import COLUMNS, export_nos, safe_cell
from whyno.nos.queries import NoFilter
from whyno.store import Store

DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_safe_cell_neutralises_formulas(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Price", "", "a=b", 42, None, -3.5])
def test_safe_cell_leaves_other_values(value: object) -> None:
    assert safe_cell(value) == value


def test_csv_export_is_formula_safe(store: Store) -> None:
    for i, text in enumerate(DANGEROUS):
        log_no(store, NoEntry(deal=f"=deal{i}", reason=text, competitor="@Acme", amount=-5.0))
    out = io.StringIO()
    assert export_nos(store, out, "csv") == len(DANGEROUS)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == COLUMNS
    assert sorted(r["verbatim"] for r in rows) == sorted("'" + t.strip() for t in DANGEROUS)
    assert {r["competitor"] for r in rows} == {"'@Acme"}
    assert {r["deal"][:2] for r in rows} == {"'="}
    assert {r["amount"] for r in rows} == {"-5.0"}  # numbers stay numbers


def test_json_and_jsonl_exports(store: Store) -> None:
    log_no(store, NoEntry(deal="A", reason="too pricey", seller="Sam"))
    log_no(store, NoEntry(deal="B", ended_by="silent"))
    out = io.StringIO()
    assert export_nos(store, out, "json", NoFilter(has_reason=True)) == 1
    data = json.loads(out.getvalue())
    assert [(d["deal"], d["verbatim"], d["seller"]) for d in data] == [("A", "too pricey", "Sam")]
    lines = io.StringIO()
    export_nos(store, lines, "jsonl")
    assert sorted(json.loads(line)["deal"] for line in lines.getvalue().splitlines()) == ["A", "B"]
    empty = io.StringIO()
    export_nos(store, empty, "json", NoFilter(seller="nobody"))
    assert json.loads(empty.getvalue()) == []
