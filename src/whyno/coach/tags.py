"""Tag each utterance: the buyer's no's and pushbacks, the seller's techniques.

Rules on normalised conversational English (lower case, fillers and
punctuation optional), with context: ``asks_why``, ``accepts_no`` and pushes
are judged on the seller's turns right after a buyer's rejection. The buyer's
stated reason comes from the reasons classifier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

FILLERS = re.compile(
    r"^(?:(?:so|and|okay|ok|well|um+|uh+|yeah|right|alright|now|look|listen|hey)[,\s]+)+"
)


def norm(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return FILLERS.sub("", text)


def _any(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


REJECTION = _any(
    [
        r"\bno,? thank(?:s| you)\b",
        r"\bnot interested\b",
        r"\b(?:we|i)(?:'ll| will)? (?:have to )?pass\b",
        r"\bnot (?:right )?now\b",
        r"\bnot for (?:us|me)\b",
        r"\bno deal\b",
        r"\bcan'?t (?:do|accept|agree to) (?:it|that|this)\b",
        r"\b(?:that|this|it) (?:won'?t|doesn'?t|does not|will not) work for (?:me|us)\b",
        r"\bnot going to (?:work|happen)\b",
        r"\b(?:we|i)(?:'ve| have)? decided (?:not to|to go (?:with|another))\b",
        r"\bgoing to (?:go|stick) with\b",
        r"\b(?:i'?m|i am|we'?re|we are) (?:going to )?(?:walk(?:ing)? away|out)\b",
        r"\b(?:i|we) (?:must |have to )?decline\b",
        r"\bnot at this time\b",
        r"\b(?:i|we) don'?t (?:think|want) (?:so|to|we|i)\b.*\b(?:deal|buy|do|move|go)\b",
        r"^(?:no|nope|nah)\b(?!,? (?:problem|worries|doubt|question|that makes sense|i (?:agree|understand)|(?:now|that|it|this)(?:'s| is) (?:fine|good|ok|okay|great)|(?:go ahead|all good|not at all)))",  # noqa: E501
        r"\b(?:can'?t|cannot|couldn'?t) afford\b",
        r"\bdon'?t have (?:the )?(?:budget|money|funds)\b",
        r"\bmoney is (?:really |pretty |very )?tight\b",
        r"\balready (?:have|use|give to|signed|bought|chose|picked)\b",
        r"\b(?:i'?d|we'?d|i would|we would) rather\b",
        r"\bnot (?:a )?(?:good )?fit\b",
        r"\bnot the right (?:time|fit)\b",
    ]
)
OBJECTION = _any(
    [
        r"\b(?:that'?s|it'?s|seems|sounds) (?:like )?(?:a lot|too much|expensive|pricey|high|steep)\b",  # noqa: E501
        r"\bi don'?t (?:believe|buy) (?:that|it)\b",
        r"\bhow do (?:i|we) know\b",
        r"\bnot sure (?:about|that|if)\b",
        r"\bi'?m (?:worried|concerned)\b",
        r"\bmy concern\b",
        r"\bwhat about\b",
        r"\bbut (?:what|how|why)\b",
        r"\bthat (?:doesn'?t|does not) (?:seem|sound) (?:fair|right)\b",
        r"\bunfair\b",
        r"\bnot fair\b",
    ]
)
NO_ORIENTED = _any(
    [
        r"^(?:is|would) (?:now|this|it|that) (?:be )?a bad time\b",
        r"^would (?:it|you) be (?:ridiculous|crazy|a bad idea|opposed|against)\b",
        r"^have you given up\b",
        r"^are you (?:against|opposed)\b",
        r"^is it (?:a )?(?:bad|ridiculous|crazy|unreasonable)\b",
        r"^do you disagree\b",
        r"^would you be (?:opposed|against)\b",
        r"^would it be (?:terrible|horrible|crazy|out of line)\b",
        r"^is it a bad idea\b",
        r"^are you not\b",
        r"^would you object\b",
    ]
)
LABEL = _any(
    [
        r"^(?:it )?(?:sounds|seems|looks|feels) like\b",
        r"^it (?:sounds|seems|looks|feels) as (?:if|though)\b",
        r"^(?:i'?m hearing|what i'?m hearing is)\b",
    ]
)
CALIBRATED = re.compile(r"^(?:how|what)\b")
GREETING = re.compile(
    r"^(?:how (?:are|r) (?:you|u|things|ya)(?: doing| today| going)?|how'?s it going|what'?s up"
    r"|how have you been|what'?s new|what time is it|what'?s your name)\W*$"
)
GOING_FOR_NO = _any(
    [
        r"\b(?:might|may) not be (?:the )?(?:right|a (?:good )?fit|for you|what you need)\b",
        r"\b(?:we|i)(?:'re| are) (?:probably |honestly )?not (?:the right|a good) (?:fit|choice|option)\b",  # noqa: E501
        r"\bthe other (?:guys|vendor|option)s? (?:may|might|could|would) (?:fit|serve|suit|be better)\b",  # noqa: E501
        r"\b(?:you )?(?:might|may|would) be better (?:off|served) with\b",
        r"\bnot for everyone\b",
        r"\bif (?:it'?s|this is|we'?re) not (?:a fit|right|the right fit),? (?:that'?s|it'?s) (?:ok|okay|fine|totally fine)\b",  # noqa: E501
        r"\bi'?d (?:understand|get it) if (?:you|it)\b",
        r"\bhonestly,? (?:we|this) (?:may|might) not\b",
    ]
)
PRESSURE = _any(
    [
        r"\bsign (?:today|now|this week|right now)\b",
        r"\b(?:offer|price|discount|deal) (?:is )?(?:only )?(?:valid|good|ends|expires)\b",
        r"\b(?:limited|last) (?:time|chance|spots?)\b",
        r"\bexpires?\b",
        r"\bwon'?t last\b",
        r"\bbefore (?:the|this) (?:price|offer)\b",
        r"\bneed (?:an answer|a decision|your signature) (?:today|now|by)\b",
        r"\byou'?d be (?:crazy|foolish|silly) (?:to|not)\b",
        r"\beveryone else (?:is|has|already)\b",
        r"\bi (?:really )?need (?:this|to close)\b",
        r"\bmy quota\b",
        r"\bjust sign\b",
        r"\bdon'?t miss\b",
        r"\bright now or\b",
    ]
)
PUSH = _any(
    [
        r"^but\b",
        r"\bwhat if (?:i|we)\b",
        r"\bhow about (?:if )?(?:i|we)\b",
        r"\bare you sure\b",
        r"\blet me (?:just|show)\b",
        r"\bjust (?:try|give it|think)\b",
        r"\bcome on\b",
        r"\bif i (?:could|can) (?:get|lower|give)\b",
    ]
)
ASKS_WHY = _any(
    [
        r"\b(?:can|may) i ask (?:why|what)\b",
        r"\bmind if i ask\b",
        r"\bwhat (?:made|makes) you\b",
        r"\bwhat'?s (?:behind|driving)\b",
        r"\bwhat is (?:behind|driving)\b",
        r"\bwhy (?:not|is that)\b",
        r"\bwhat changed\b",
        r"\bwhat would (?:need to|have to) (?:change|be true)\b",
        r"\bhelp me understand\b",
        r"\bwhat'?s the (?:main )?reason\b",
        r"\bwhat was (?:it|the reason)\b",
        r"^why\b",
    ]
)
ACCEPTS = _any(
    [
        r"\b(?:i )?(?:totally |completely )?understand\b",
        r"\bthat makes sense\b",
        r"\bfair enough\b",
        r"\bno problem\b",
        r"\b(?:i )?respect that\b",
        r"\bappreciate (?:you|your) (?:honesty|telling|being)\b",
        r"\bno worries\b",
        r"\bthank(?:s| you) for (?:letting me know|your time|being (?:honest|straight))\b",
        r"\bi won'?t (?:push|bother)\b",
    ]
)
AFTER_NO = 2  # seller turns after a buyer's rejection that are judged in its light
# Acknowledgements that repeat the other's word without mirroring it.
_BACKCHANNEL_TEXT = """
okay yeah right great sure alright fine good well yes nope cool true wow really totally
absolutely exactly perfect thanks thank awesome interesting hmm
"""
BACKCHANNEL = frozenset(_BACKCHANNEL_TEXT.split())


@dataclass
class Tagged:
    tags: list[str] = field(default_factory=list)
    reason_category: str | None = None


def is_question(text: str) -> bool:
    t = norm(text)
    return text.strip().endswith("?") or bool(
        re.match(
            r"^(?:how|what|why|when|where|who|which|is|are|do|does|did|can|could|would|will|should|have|has)\b",
            t,
        )
    )


def mirror(text: str, previous: str | None) -> bool:
    """Repeats 1-3 of the buyer's last key words, usually as a question."""
    if not previous:
        return False
    words = re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))
    key = [w for w in words if len(w) > 3 and w not in BACKCHANNEL]
    if not words or len(words) > 6 or not 1 <= len(key) <= 3:
        return False
    tail = re.findall(r"[a-z0-9']+", previous.lower().replace("\u2019", "'"))[-8:]
    return all(w in tail for w in words)


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [p for p in parts if p.strip()] or [text]


def tag_seller(text: str, previous_buyer: str | None, after_rejection: bool) -> list[str]:
    t = norm(text)
    tags = []
    pieces = [(norm(p), is_question(p)) for p in sentences(text)]
    if any(q and NO_ORIENTED.search(n) for n, q in pieces):
        tags.append("no_oriented_question")
    if any(LABEL.search(n) for n, _ in pieces):
        tags.append("label")
    if mirror(text, previous_buyer):
        tags.append("mirror")
    if any(
        q and CALIBRATED.search(n) and not (NO_ORIENTED.search(n) or GREETING.search(n))
        for n, q in pieces
    ):
        tags.append("calibrated_question")
    if GOING_FOR_NO.search(t):
        tags.append("going_for_no")
    if after_rejection and ASKS_WHY.search(t):
        tags.append("asks_why")
    if after_rejection and ACCEPTS.search(t) and not PRESSURE.search(t):
        tags.append("accepts_no")
    if PRESSURE.search(t) or (
        after_rejection and PUSH.search(t) and "accepts_no" not in tags and "asks_why" not in tags
    ):
        tags.append("pressure")
    return tags


def tag_buyer(text: str) -> list[str]:
    t = norm(text)
    if REJECTION.search(t):
        return ["rejection"]
    if OBJECTION.search(t):
        return ["objection"]
    return []
