"""CRM picklist values ("Price", "Lost to Competitor", "No Decision"...) -> taxonomy ids.

These are the values CRMs ship or teams commonly configure for a closed-lost
reason. They map without the model; "Other" and friends map to nothing (the
no stays a learning gap unless notes explain it).
"""

from __future__ import annotations

import re

_PICKLIST: dict[str, tuple[str, ...]] = {
    "approach.value_unclear": (
        "value",
        "novalue",
        "noroi",
        "lackofroi",
        "roi",
        "roinotclear",
        "valuenotclear",
        "notconvinced",
        "nobusinesscase",
        "nobusinessvalue",
        "lackofvalue",
        "valueproposition",
        "didntseevalue",
        "unclearvalue",
    ),
    "approach.sales_experience": (
        "salesexperience",
        "poorsalesexperience",
        "salesprocess",
        "poorsalesprocess",
        "badsalesexperience",
        "pushysales",
        "unresponsivesales",
        "slowresponse",
        "relationship",
        "poorrelationship",
        "baddemo",
        "demowentbadly",
    ),
    "approach.trust": (
        "trust",
        "lackoftrust",
        "credibility",
        "security",
        "securityconcerns",
        "securityreview",
        "failedsecurityreview",
        "compliance",
        "legal",
        "references",
        "noreferences",
        "vendorrisk",
        "brandawareness",
        "reputation",
    ),
    "product.capability": (
        "missingfeature",
        "missingfeatures",
        "featuregap",
        "featuregaps",
        "functionality",
        "lackoffunctionality",
        "productgap",
        "productgaps",
        "productlimitations",
        "requirementsnotmet",
        "technicalrequirements",
        "features",
        "productfit",
        "capability",
        "product",
    ),
    "product.integration": (
        "integration",
        "integrations",
        "missingintegration",
        "nointegration",
        "integrationissues",
        "technicalfit",
        "techstack",
        "compatibility",
    ),
    "product.quality": (
        "productquality",
        "quality",
        "bugs",
        "reliability",
        "performance",
        "support",
        "poorsupport",
        "customersupport",
        "service",
        "servicequality",
        "uptime",
    ),
    "product.usability": (
        "usability",
        "easeofuse",
        "toocomplex",
        "complexity",
        "toocomplicated",
        "learningcurve",
        "userexperience",
        "ux",
        "hardtouse",
    ),
    "product.price": (
        "price",
        "pricing",
        "tooexpensive",
        "cost",
        "costs",
        "expensive",
        "pricetoohigh",
        "pricingmodel",
        "contractterms",
        "terms",
        "commercials",
        "priceterms",
        "fees",
    ),
    "market.budget": (
        "budget",
        "nobudget",
        "budgetcut",
        "budgetcuts",
        "budgetfreeze",
        "funding",
        "lostfunding",
        "nofunding",
        "budgetconstraints",
        "cantafford",
        "insufficientbudget",
    ),
    "market.timing": (
        "timing",
        "badtiming",
        "notnow",
        "nottherighttime",
        "priorities",
        "changedpriorities",
        "prioritieschanged",
        "otherpriorities",
        "notapriority",
        "reorg",
        "reorganization",
        "championleft",
        "delayed",
        "postponed",
        "onhold",
        "projectonhold",
        "timingpriority",
    ),
    "market.competitor": (
        "competitor",
        "competition",
        "losttocompetitor",
        "losttocompetition",
        "chosecompetitor",
        "wentwithcompetitor",
        "selectedcompetitor",
        "competitorchosen",
        "incumbent",
        "stayedwithincumbent",
        "alternativesolution",
    ),
    "market.status_quo": (
        "nodecision",
        "donothing",
        "statusquo",
        "inhouse",
        "inhousesolution",
        "buildinhouse",
        "builtinhouse",
        "diy",
        "keepcurrentsolution",
        "currentsolution",
        "nochange",
        "decidednottoproceed",
    ),
    "fit.not_a_fit": (
        "notafit",
        "notfit",
        "badfit",
        "poorfit",
        "nofit",
        "unqualified",
        "disqualified",
        "notqualified",
        "wrongsize",
        "toosmall",
        "toobig",
        "outofterritory",
        "notourcustomer",
        "icpmismatch",
        "noticp",
    ),
    "unknown.no_reason": (
        "noresponse",
        "unresponsive",
        "nonresponsive",
        "wentdark",
        "ghosted",
        "noreply",
        "lostcontact",
        "notinterested",
        "noreason",
        "noreasongiven",
        "unknown",
        "nodecisionnonresponsive",
    ),
}

_LOOKUP = {key: category for category, keys in _PICKLIST.items() for key in keys}
_LONGEST = 3 * max(map(len, _LOOKUP))  # a longer text is a verbatim, not a picklist value
# Values that say nothing: no label, the no stays a learning gap.
UNINFORMATIVE = frozenset(
    {"other", "others", "na", "none", "misc", "miscellaneous", "tbd", "closedlost", "lost"}
)


def _key(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.lower())


def picklist_category(value: str | None) -> str | None:
    """The taxonomy id for a CRM picklist value, or None when it is not one (or says nothing)."""
    if not value or len(value) > _LONGEST:
        return None
    return _LOOKUP.get(_key(value))


def is_picklist_value(value: str | None) -> bool:
    """True for known picklist values, including uninformative ones such as "Other"."""
    return bool(value) and (_key(value or "") in _LOOKUP or _key(value or "") in UNINFORMATIVE)
