"""Rules about a no that every entry path shares (import, hand entry, calls)."""

from __future__ import annotations

import re

# Reasons that say nothing about why: the no is kept and counted as a learning gap.
GENERIC_REASONS = frozenset(
    {
        "",
        "other",
        "others",
        "unknown",
        "na",
        "none",
        "null",
        "nil",
        "noreason",
        "notspecified",
        "unspecified",
        "tbd",
        "notinterested",
        "noresponse",
        "nodecision",
        "closedlost",
        "lost",
        "noreasongiven",
        "didntsay",
        "nocomment",
        "misc",
        "miscellaneous",
        "notsure",
        "ghosted",
        "wentdark",
        "noreply",
        "declined",
        "no",
    }
)


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def reason_understood(crm_reason: str | None, verbatim: str | None) -> bool:
    """True when the no carries a specific reason, not just "Other" or nothing."""
    return any(_key(text or "") not in GENERIC_REASONS for text in (crm_reason, verbatim))
