"""Parsing the values found in CRM exports: dates, amounts, stages, who ended it.

Every parser returns the parsed value or raises :class:`ValueProblem` with a
message a person can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from whyno.errors import InputError
from whyno.store.models import DealStatus, EndedBy


class ValueProblem(ValueError):
    """A cell that cannot be read; the message says why and what is expected."""


# --- dates -----------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:[ T].*)?$")
_DOT_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
_TEXT_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%b %d %Y")

DATE_HELP = "expected a date like 2024-03-31, 3/31/2024, 31.03.2024 or a Unix timestamp"


def parse_date(raw: str, *, dayfirst: bool = False) -> dt.date:
    """Read a date as CRMs export it.

    ISO (with or without a time), US ``m/d/Y`` (``d/m/Y`` with ``dayfirst``),
    European ``d.m.Y``, ``YYYYMMDD``, Unix timestamps in seconds or
    milliseconds, and month names (``Mar 31, 2024``).
    """
    text = raw.strip()
    try:
        return _parse_date(text, dayfirst)
    except (ValueError, OverflowError) as exc:
        raise ValueProblem(f"not a valid date: {exc}" if str(exc) else DATE_HELP) from None


def _parse_date(text: str, dayfirst: bool) -> dt.date:
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        try:
            return dt.date.fromisoformat(text[:10])  # the common case, in C
        except ValueError:
            pass
    if m := _ISO_DATE.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _SLASH_DATE.match(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:
            year += 2000 if year < 70 else 1900
        month, day = (second, first) if dayfirst else (first, second)
        return dt.date(year, month, day)
    if m := _DOT_DATE.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    if m := _COMPACT_DATE.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if _EPOCH.match(text):
        seconds = float(text)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
    for fmt in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(DATE_HELP)


# --- amounts ---------------------------------------------------------------

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_CODE = re.compile(r"^([A-Z]{3})\s*|\s*([A-Z]{3})$")
_SYMBOL = re.compile("[" + re.escape("".join(CURRENCY_SYMBOLS)) + "]")
_NUMBER = re.compile(r"^-?\d[\d.,' ]*$")
AMOUNT_HELP = 'expected an amount like 1200, "$1,200.00" or "1.200,00 €"'


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str | None


def amount_input(raw: str | None, what: str) -> tuple[float | None, str | None]:
    """(amount, currency) of an amount a person typed (CLI option, web form);
    ``None`` when none was given. A bad amount raises ``InputError`` naming ``what``."""
    if raw is None:
        return None, None
    try:
        money = parse_amount(raw)
    except ValueProblem as exc:
        raise InputError(f"{what} {raw!r}: {exc}") from None
    return money.amount, money.currency


def parse_amount(raw: str) -> Money:
    """Read an amount with optional currency symbol or ISO code.

    Handles thousands separators in both conventions ("1,200.50", "1.200,50",
    "1 200,50"), accounting negatives "(1,200)", and a leading or trailing
    symbol or code ("$", "€", "EUR"). Anything else in the cell is an error.
    """
    text = raw.strip()
    if text[:1].isdigit() and text[-1:].isdigit() and "," not in text and text.count(".") <= 1:
        try:
            return Money(float(text), None)  # plain numbers, the common case
        except ValueError:
            pass
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    currency = _currency_of(text)
    text = _CODE.sub("", _SYMBOL.sub("", text)).strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    if text.startswith("-"):
        negative, text = True, text[1:].strip()
    if not _NUMBER.match(text) or text.endswith((" ", "'")):
        raise ValueProblem(AMOUNT_HELP)
    value = _to_float(text.replace(" ", "").replace("'", ""))
    return Money(-value if negative else value, currency)


def _currency_of(text: str) -> str | None:
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in text:
            return code
    m = _CODE.search(text)
    return (m[1] or m[2]) if m else None


def _to_float(number: str) -> float:
    last_dot, last_comma = number.rfind("."), number.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal = "." if last_dot > last_comma else ","
        thousands = "," if decimal == "." else "."
        number = number.replace(thousands, "").replace(decimal, ".")
    elif last_comma >= 0:
        groups = number.split(",")
        # "1,200" and "1,200,000" are thousands; "12,5" is a decimal comma.
        if len(groups) > 2 or len(groups[-1]) == 3:
            number = number.replace(",", "")
        else:
            number = number.replace(",", ".")
    elif number.count(".") > 1:
        number = number.replace(".", "")
    try:
        return float(number)
    except ValueError:
        raise ValueProblem(AMOUNT_HELP) from None


def parse_currency(raw: str) -> str:
    text = raw.strip()
    if text in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[text]
    if re.fullmatch(r"[A-Za-z]{3}", text):
        return text.upper()
    raise ValueProblem("expected a three-letter currency code like USD or EUR")


# --- stages and outcomes -----------------------------------------------------

_LOST_WORDS = ("lost", "dead", "nodecision", "disqualif", "unqualif", "abandon", "cancel")
_WON_WORDS = ("won", "closedwon", "signed")


def letters(value: str) -> str:
    """Lower-case letters and digits only: "Closed - Lost" -> "closedlost"."""
    return re.sub(r"[^0-9a-z]", "", value.lower())


@lru_cache(maxsize=4096)
def status_from(
    stage: str | None,
    status: str | None,
    *,
    lost_stages: frozenset[str] = frozenset(),
    won_stages: frozenset[str] = frozenset(),
) -> DealStatus:
    """Whether a deal is open, won or lost, from a status column or its stage name."""
    if status and (key := letters(status)) in ("won", "lost", "open"):
        return DealStatus(key)
    if not stage:
        return DealStatus.OPEN
    key = letters(stage)
    if key in lost_stages:
        return DealStatus.LOST
    if key in won_stages:
        return DealStatus.WON
    if any(word in key for word in _LOST_WORDS):
        return DealStatus.LOST
    if key in _WON_WORDS or key.endswith("won"):
        return DealStatus.WON
    return DealStatus.OPEN


_ENDED_BY = {
    EndedBy.THEM: ("them", "they", "prospect", "customer", "buyer", "client", "declined"),
    EndedBy.US: ("us", "we", "seller", "rep", "disqualified", "dq", "ourselves"),
    EndedBy.SILENT: ("silent", "silence", "ghosted", "nobody", "noresponse", "wentdark"),
}
ENDED_BY_HELP = "expected them, us or silent (who ended it: the prospect, we, or nobody)"


def parse_ended_by(raw: str) -> EndedBy:
    key = letters(raw)
    for value, words in _ENDED_BY.items():
        if key in words:
            return value
    raise ValueProblem(ENDED_BY_HELP)


_DISQUALIFIED = ("disqualif", "unqualif", "notafit", "badfit", "nofit", "poorfit", "notqualified")
_SILENT = (
    "noresponse",
    "wentdark",
    "ghost",
    "unresponsive",
    "noreply",
    "stoppedrespond",
    "lostcontact",
    "nocontact",
    "noanswer",
    "stoppedreply",
)


@lru_cache(maxsize=4096)
def infer_ended_by(stage: str | None, reason: str | None) -> EndedBy | None:
    """Who ended a lost deal when the export does not say: None when unknowable."""
    for text in (reason, stage):
        key = letters(text or "")
        if any(word in key for word in _DISQUALIFIED):
            return EndedBy.US
        if any(word in key for word in _SILENT):
            return EndedBy.SILENT
    return EndedBy.THEM if reason and reason.strip() else None


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_email(raw: str) -> str:
    text = raw.strip()
    if not _EMAIL.match(text):
        raise ValueProblem("not an email address (expected name@example.com)")
    return text
