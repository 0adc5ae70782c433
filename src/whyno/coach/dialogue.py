"""Dialogue state for the rejection decision: what is on the table when a turn is said.

A need or a hardship ("we really need the water", "money is tight") is a no
when it answers something the other side put on the table, and information
when nothing is there yet (the getting-to-know-you part of a call). The
previous turn alone often cannot tell the two apart: the offer may have come
two turns earlier, or the other side may only have stated its own need. So
the conversation is walked in order, and each turn gets a :class:`TurnContext`
saying, for its speaker's side:

- ``previous``: the other side's latest turn ("" when nobody spoke before);
- ``offer``: that turn makes an offer or proposal, or asks for something;
- ``pending``: the other side has made an offer or asked for something and this
  side has not accepted it since (it may have been made several turns ago);
- ``started``: an offer or a request has been made by anyone so far (before it,
  needs and priorities are the getting-to-know-you phase).

An offer is recognised by its shape ("how about...", "you can have...",
"i'll give you...", "would you...", quantities for you or me, a price, a
pitch word such as "sign" or "trial"); a request by asking to get something
("can i have...", "i need the...", "i'd like two..."). A turn that opens with
a plain yes ("ok", "deal", "sounds good") and turns nothing down accepts what
the other side has pending.

``conversation_contexts`` works on any list of ``(side, text)`` pairs: the
side is the role ("seller" / "buyer") in a call, or the speaker in a two-party
negotiation where both sides answer each other.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

# An offer or a proposal (something the other side can take or turn down), or
# a request (the other side asks to get something: "can i have two waters?",
# "i need the book", "i'd like the hats"). One pattern, searched once per turn.
OFFER = re.compile(
    # the lookahead (every branch's first character) only makes the search faster
    r"(?=[abcdefghijlmoprstuwy0-9'])\b(?:(?:how|what) about"
    r"(?! (?:you(?: guys| all| two)?|yourself|u)\b ?(?:[?.!,;]|$))"
    r"|what if|would you|could you"
    r"|can you|will you|would it"
    r"|(?:i|we)(?:'ll| will| can| could| would|'d|'m willing to| am willing to| are willing to"
    r"|'re willing to|'m ready to| am ready to|'m happy to| am happy to)?"
    r" (?:gladly |happily |just )?(?:give|take|let you|offer|trade|throw in|part with|spare"
    r"|settle for|accept|share|swap)"
    r"|you (?:can|could|may|will|'ll) (?:get|take|keep|have|receive)|you (?:get|take|keep|have)\b"
    r"|i (?:get|keep|propose|suggest)|give me|if you want|for (?:you|me)\b|to you\b"
    r"|(?:would|'d) (?:like|love|prefer) to (?:have|take|keep|get)"
    r"|let'?s|(?<!no )deal\?|is that (?:ok|okay|fair|good|alright)|does that (?:work|sound)"
    r"|how does .{0,60}sound|are you (?:ok|okay|good|fine) with|split|trade|swap|exchange"
    r"|in return|offer|proposal|sign|upgrade|renew|donat|sponsor|subscri|schedule|book a|set up"
    r"|start (?:with|a|the)|interested in|join|try (?:it|us|the)|buy|purchase|order|pilot"
    r"|per (?:month|seat|year|user|license)|\d+ (?:a|per) |(?:a|per) (?:month|year) per\b"
    r"|(?:costs?|priced at|the price is|pricing is|comes to|it'?s) (?:about |around |just |only )?"
    r"(?:\$|\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|a hundred)"
    r"|(?:\d|one|two|three|all|both) [a-z]+ (?:for )?(?:me|you)\b"
    # requests
    r"|(?:can|could|may) (?:i|we) (?:have|get|take|keep)\b"
    r"|(?:i|we)(?:'m| am| are|'re)? (?:really |just |still |would |will |definitely |only"
    r" |going to |gonna )?(?:need|want|would like|'d like|must have|have to have|require)"
    r" (?:the|all|both|those|that|these|your|a|an|\d|one|two|three|some more|more|at least)\b"
    r"|i'?d (?:like|prefer) (?:the|all|both|a|an|\d|one|two|three)\b|gimme\b)"
    r"|\$\d"
)
# Taking what the other side put on the table (a turn that only accepts).
ACCEPTS = re.compile(
    r"^(?:ok(?:ay)?|sure|deal|yes|yeah|yep|agreed|great|perfect|fine"
    r"|(?:that |it |this )?(?:works|sounds (?:\w+ )?(?:good|fair|great|fine))|i accept|i agree"
    r"|let'?s do (?:it|that)"
    r"|(?:that'?s|it'?s) (?:fair|a deal|fine|good))\b"
)
# A yes with a negation or a "but" in it does not simply take what is on the table.
_NOT_PLAIN = re.compile(r"\b(?:not|no|don'?t|can'?t|won'?t|never|but|except|unless)\b|n't\b")


class TurnContext(NamedTuple):
    """What one turn answers; see the module docstring. ``None`` fields are not known."""

    previous: str | None = None
    offer: bool | None = None
    pending: bool | None = None
    started: bool | None = None


def _clean(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def is_offer(text: str | None) -> bool:
    """The turn makes an offer or a proposal, or asks for something."""
    if not text:
        return False
    return OFFER.search(_clean(text)) is not None


def _accepts(clean: str) -> bool:
    t = clean.lstrip(" ,.!")
    return ACCEPTS.match(t) is not None and _NOT_PLAIN.search(t) is None


def accepts(text: str) -> bool:
    """The turn takes what is on the table: opens with a yes and turns nothing down."""
    return _accepts(_clean(text))


def from_previous(previous: str | None) -> TurnContext:
    """The context when only the other side's previous turn is known."""
    if previous is None:
        return TurnContext()
    offer = is_offer(previous)
    return TurnContext(previous, offer, offer, False if previous == "" else None)


def conversation_contexts(
    turns: Sequence[tuple[str, str]], judged: Collection[str] | None = None
) -> list[TurnContext]:
    """The context of every turn of a conversation, given as ``(side, text)`` in order,
    the texts in lower case with single spaces (as ``tags.norm`` gives them).

    ``judged`` names the sides whose turns will be judged (all when None). Whether
    a turn is an offer is not worked out where no judged side would read it: a
    call review judges the buyer's turns, so the buyer's own offers matter only
    until the first offer of the call."""
    out: list[TurnContext] = []
    open_sides: set[str] = set()  # sides with an offer or request still open
    started = False
    last, last_side = -1, ""  # the latest turn and its side
    before = -1  # the latest turn of a side other than last_side
    offers: list[bool] = []
    for i, (side, text) in enumerate(turns):
        other = last if side != last_side else before
        if other >= 0:
            previous, offered = turns[other][1], offers[other]
        else:
            previous, offered = "", False
        pending = len(open_sides) > (side in open_sides)
        out.append(TurnContext(previous, offered, pending, started))
        read = not started or judged is None or any(s != side for s in judged)
        offer = read and OFFER.search(text) is not None
        offers.append(offer)
        if open_sides and _accepts(text):
            open_sides &= {side}
        if offer:
            open_sides.add(side)
            started = True
        if side != last_side:
            before = last
        last, last_side = i, side
    return out
