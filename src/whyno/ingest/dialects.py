"""CRM export dialects: which header means which canonical field.

A dialect is recognised from its signature headers (e.g. HubSpot's
"Deal Stage" + "Closed Lost Reason", Salesforce Data Loader's "StageName").
Headers are compared after :func:`header_key` (lower case, letters and digits
only, Pipedrive's "Deal - " prefix and Salesforce's "__c" suffix removed), so
"Closed Lost Reason", "closed_lost_reason" and "ClosedLostReason" are the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from whyno.errors import InputError

CANONICAL_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "account",
    "owner",
    "stage",
    "status",
    "amount",
    "currency",
    "created_at",
    "closed_at",
    "loss_reason",
    "loss_notes",
    "competitor",
    "ended_by",
    "industry",
    "region",
    "size",
    "product",
    "contact_name",
    "contact_email",
    "stage_at_no",
    "revisit_after",
)

# Generic aliases, shared by every dialect (keys as produced by header_key).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "dealid", "opportunityid", "recordid", "externalid", "crmid", "oppid"),
    "name": ("name", "dealname", "opportunityname", "title", "dealtitle", "opportunity"),
    "account": (
        "account",
        "accountname",
        "company",
        "companyname",
        "organization",
        "organisation",
        "organizationname",
        "customer",
        "customername",
        "associatedcompany",
        "associatedcompanyprimary",
        "accountnameid",
    ),
    "owner": (
        "owner",
        "ownername",
        "dealowner",
        "opportunityowner",
        "salesagent",
        "salesrep",
        "rep",
        "seller",
        "accountexecutive",
        "assignedto",
        "ownerfullname",
        "hubspotowner",
        "dealownername",
        "user",
    ),
    "stage": ("stage", "dealstage", "stagename", "salesstage", "pipelinestage", "opportunitystage"),
    "status": ("status", "dealstatus", "outcome", "result", "wonlost"),
    "amount": (
        "amount",
        "value",
        "dealvalue",
        "dealamount",
        "closevalue",
        "opportunityamount",
        "amountconverted",
        "totalamount",
    ),
    "currency": (
        "currency",
        "currencycode",
        "currencyisocode",
        "dealcurrencycode",
        "currencyofvalue",
        "opportunitycurrency",
        "amountcurrency",
    ),
    "created_at": (
        "createdat",
        "createddate",
        "createdate",
        "created",
        "dealcreated",
        "createdtime",
        "engagedate",
        "opendate",
        "dealcreatedon",
        "createdon",
        "addtime",
        "dealcreatedate",
    ),
    "closed_at": (
        "closedat",
        "closedate",
        "closingdate",
        "closeddate",
        "dateclosed",
        "losttime",
        "lostdate",
        "datelost",
        "closedon",
        "wontime",
        "actualclosedate",
    ),
    "loss_reason": (
        "lossreason",
        "lostreason",
        "closedlostreason",
        "reasonlost",
        "reasonforloss",
        "lossreasons",
        "whylost",
        "lossreasoncode",
        "lostreasoncode",
        "reasonforlosss",
        "closelostreason",
        "lossreasoncategory",
    ),
    "loss_notes": (
        "lossnotes",
        "lostnotes",
        "lossreasonnotes",
        "lossdetails",
        "lossreasondetails",
        "lossdescription",
        "closedlostnotes",
        "lossreasondescription",
        "lossreasoncomments",
        "lossreasoncomment",
        "lostreasondetails",
        "closedlostreasondetails",
        "losscomments",
        "lostcomment",
        "verbatim",
    ),
    "competitor": (
        "competitor",
        "competitors",
        "lostto",
        "losttocompetitor",
        "maincompetitor",
        "maincompetitors",
        "competitorname",
        "primarycompetitor",
        "wonby",
        "competitorlostto",
    ),
    "ended_by": ("endedby", "whoended", "closedby", "endedbywho", "lostby"),
    "industry": (
        "industry",
        "sector",
        "vertical",
        "accountindustry",
        "companyindustry",
        "organizationindustry",
    ),
    "region": ("region", "territory", "regionaloffice", "geo", "salesregion", "salesterritory"),
    "size": (
        "size",
        "companysize",
        "employees",
        "numberofemployees",
        "employeecount",
        "headcount",
        "accountsize",
        "segment",
        "companysegment",
    ),
    "product": ("product", "productname", "products", "productline", "plan", "dealproduct"),
    "contact_name": (
        "contactname",
        "contact",
        "primarycontact",
        "associatedcontact",
        "contactperson",
        "person",
        "personname",
        "contactfullname",
    ),
    "contact_email": (
        "contactemail",
        "email",
        "emailaddress",
        "personemail",
        "primarycontactemail",
        "contactemailaddress",
        "associatedcontactemail",
    ),
    "stage_at_no": (
        "stageatno",
        "stagebeforelost",
        "laststage",
        "previousstage",
        "stageatloss",
        "lostatstage",
        "stagelostat",
    ),
    "revisit_after": (
        "revisitafter",
        "revisitdate",
        "revisiton",
        "followupdate",
        "nextcontactdate",
    ),
}


@dataclass(frozen=True)
class Dialect:
    """One CRM's export shape: signature headers and its own aliases."""

    name: str
    signature: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def score(self, keys: set[str]) -> int:
        return sum(1 for key in self.signature if key in keys)


DIALECTS: tuple[Dialect, ...] = (
    Dialect(
        "salesforce",
        (
            "opportunityid",
            "opportunityname",
            "opportunityowner",
            "stagename",
            "accountid",
            "ownerid",
            "isclosed",
            "iswon",
            "currencyisocode",
            "forecastcategoryname",
        ),
        {
            "account": ("accountname", "accountid"),
            "owner": ("ownername", "ownerid"),
            "loss_notes": ("lossreasondetails", "lostreasondetails", "closedlostnotes"),
        },
    ),
    Dialect(
        "hubspot",
        (
            "dealname",
            "dealstage",
            "closedlostreason",
            "closedwonreason",
            "pipeline",
            "hubspotowner",
            "hubspotownerid",
            "createdate",
            "hsobjectid",
            "dealcurrencycode",
        ),
        {
            "id": ("recordid", "hsobjectid"),
            "owner": ("dealowner", "hubspotowner", "hubspotownerid"),
        },
    ),
    Dialect(
        "pipedrive",
        (
            "title",
            "organization",
            "lostreason",
            "losttime",
            "wontime",
            "dealcreated",
            "currencyofvalue",
            "expectedclosedate",
            "contactperson",
            "organizationname",
        ),
        {
            "created_at": ("dealcreated", "addtime"),
            "closed_at": ("losttime", "wontime", "closedate"),
        },
    ),
    Dialect(
        "zoho",
        (
            "dealowner",
            "closingdate",
            "reasonforloss",
            "createdtime",
            "accountname",
            "contactname",
            "expectedrevenue",
            "nextstep",
            "leadsource",
            "modifiedtime",
        ),
        {"id": ("recordid", "id")},
    ),
)

GENERIC = "csv"
# A dialect must show at least this many of its signature headers to be chosen.
MIN_SIGNATURE = 3
# Columns whyno writes itself into a rejects file; ignored when that file is re-imported.
WHYNO_COLUMNS = frozenset({"whynorow", "whynoerror"})


def header_key(header: str) -> str:
    """Normalise a header for matching (see the module docstring)."""
    text = header.strip().lstrip("\ufeff")
    text = re.sub(r"(?i)^deal\s*-\s*", "", text)
    text = re.sub(r"(?i)__c$", "", text)
    return re.sub(r"[^0-9a-z]", "", text.lower())


def detect_dialect(headers: Sequence[str]) -> str:
    """The name of the dialect that best matches the headers, or "csv"."""
    keys = {header_key(h) for h in headers}
    if any(h.strip().lower().startswith("deal - ") for h in headers):
        return "pipedrive"
    best = max(DIALECTS, key=lambda d: d.score(keys))
    return best.name if best.score(keys) >= MIN_SIGNATURE else GENERIC


@dataclass(frozen=True)
class ColumnMap:
    """For each canonical field, the column indexes that feed it (first non-empty wins)."""

    fields: dict[str, tuple[int, ...]]
    extras: dict[int, str]
    dialect: str

    def header(self, name: str, headers: Sequence[str]) -> str:
        """The (first) column header feeding field ``name``, or the field's own name."""
        indexes = self.fields.get(name, ())
        return headers[indexes[0]] if indexes else name

    def describe(self, headers: Sequence[str]) -> dict[str, list[str]]:
        return {f: [headers[i] for i in idx] for f, idx in self.fields.items()}


def build_column_map(
    headers: Sequence[str], dialect: str, overrides: dict[str, str] | None = None
) -> ColumnMap:
    """Map each header to a canonical field; unknown headers are kept as extras."""
    _check_duplicate_headers(headers)
    explicit = _explicit_mapping(headers, overrides or {})
    aliases = _aliases_for(dialect)
    fields: dict[str, list[int]] = {}
    extras: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if key in WHYNO_COLUMNS:
            continue
        target = explicit.get(index) or aliases.get(key)
        if target == "-":
            continue
        if target:
            fields.setdefault(target, []).append(index)
        else:
            extras[index] = header
    return ColumnMap({f: tuple(i) for f, i in fields.items()}, extras, dialect)


def _aliases_for(dialect: str) -> dict[str, str]:
    by_key: dict[str, str] = {}
    specific = next((d.aliases for d in DIALECTS if d.name == dialect), {})
    for source in (specific, ALIASES):
        for canonical, keys in source.items():
            for key in keys:
                by_key.setdefault(key, canonical)
    return by_key


def _explicit_mapping(headers: Sequence[str], overrides: dict[str, str]) -> dict[int, str]:
    keys = [header_key(h) for h in headers]
    mapping: dict[int, str] = {}
    for header, target in overrides.items():
        if target != "-" and target not in CANONICAL_FIELDS:
            raise InputError(
                f"--map {header}={target}: unknown field {target!r}; "
                f"use one of: {', '.join(CANONICAL_FIELDS)} (or '-' to ignore the column)"
            )
        wanted = header_key(header)
        matches = [i for i, key in enumerate(keys) if key == wanted]
        if not matches:
            raise InputError(
                f"--map {header}={target}: the file has no column {header!r}; "
                f"its columns are: {', '.join(headers)}"
            )
        mapping[matches[0]] = target
    return mapping


def _check_duplicate_headers(headers: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = header.strip()
        if not name:
            continue
        if name in seen:
            raise InputError(
                f"the header has the column {name!r} twice (columns {seen[name] + 1} "
                f"and {index + 1}); rename one of them and import again"
            )
        seen[name] = index
