from __future__ import annotations

import csv

import pytest

from tests.helpers import CRM
from whyno.errors import InputError
from whyno.ingest.dialects import build_column_map, detect_dialect, header_key


def _headers(name: str) -> list[str]:
    with (CRM / name).open(encoding="utf-8-sig") as handle:
        first = handle.readline()
    return next(csv.reader([first], delimiter=";" if name.startswith("generic") else ","))


@pytest.mark.parametrize(
    ("fixture", "dialect"),
    [
        ("salesforce_report.csv", "salesforce"),
        ("salesforce_dataloader.csv", "salesforce"),
        ("hubspot.csv", "hubspot"),
        ("pipedrive.csv", "pipedrive"),
        ("zoho.csv", "zoho"),
        ("generic_semicolon.csv", "csv"),
    ],
)
def test_detects_each_crm_from_its_headers(fixture: str, dialect: str) -> None:
    assert detect_dialect(_headers(fixture)) == dialect


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Closed Lost Reason", "closedlostreason"),
        ("closed_lost_reason", "closedlostreason"),
        ("Deal - Lost reason", "lostreason"),
        ("Loss_Reason__c", "lossreason"),
        ("\ufeffOpportunity ID", "opportunityid"),
    ],
)
def test_header_key_normalises_case_spacing_and_crm_affixes(header: str, key: str) -> None:
    assert header_key(header) == key


def test_aliases_map_common_headers() -> None:
    headers = ["Opportunity ID", "Lost To", "Loss Reason", "Sales Agent", "Close Value", "Notes"]
    cmap = build_column_map(headers, "csv")
    assert cmap.describe(headers) == {
        "id": ["Opportunity ID"],
        "competitor": ["Lost To"],
        "loss_reason": ["Loss Reason"],
        "owner": ["Sales Agent"],
        "amount": ["Close Value"],
    }
    assert list(cmap.extras.values()) == ["Notes"]


def test_map_overrides_and_ignores_columns() -> None:
    headers = ["Ref", "Phase", "Why", "Amount"]
    cmap = build_column_map(
        headers, "csv", {"ref": "id", "Phase": "stage", "Why": "loss_notes", "Amount": "-"}
    )
    assert cmap.describe(headers) == {"id": ["Ref"], "stage": ["Phase"], "loss_notes": ["Why"]}
    assert cmap.extras == {}


def test_map_to_unknown_field_names_the_valid_ones() -> None:
    with pytest.raises(InputError, match=r"unknown field 'reason'.*loss_reason"):
        build_column_map(["Why"], "csv", {"Why": "reason"})


def test_map_of_missing_column_lists_the_columns() -> None:
    with pytest.raises(InputError, match="no column 'Nope'; its columns are: A, B"):
        build_column_map(["A", "B"], "csv", {"Nope": "id"})


def test_duplicate_headers_are_refused() -> None:
    with pytest.raises(InputError, match="column 'Stage' twice"):
        build_column_map(["Id", "Stage", "Stage"], "csv")
