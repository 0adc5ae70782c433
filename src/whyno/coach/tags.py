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
from itertools import islice

from whyno.coach.detector import (
    RejectionDetector,
    decide,
    default_detector,
)
from whyno.coach.dialogue import TurnContext, from_previous

FILLERS = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|um+|uh+|erm|yeah|yes|right|alright|all right|now|look"
    r"|listen|hey|oh|hmm+|mm+-?hmm|mhm|great|good|sure|i see|gotcha|got it)(?:[,.!\s-]+|$))+"
)


_FILLER_TEXT = """
so and but okay ok well um umm uh uhh erm yeah yes right alright all now look listen hey oh
hmm mm mhm great good sure i gotcha got
"""
_FILLER_START = frozenset(_FILLER_TEXT.split())


def norm(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, leading fillers dropped."""
    text = " ".join(text.lower().replace("\u2019", "'").split())
    head = text[: text.find(" ")] if " " in text else text
    if head.rstrip(",.!-") in _FILLER_START or head.startswith(("um", "uh", "hmm", "mm")):
        m = FILLERS.match(text)  # anchored: a match() instead of sub() scanning the text
        return text[m.end() :] if m else text
    return text


_LETTER_FIRST = re.compile(r"\\b(?:\(\?:)?[a-z]")


class Rules:
    """Alternative patterns, compiled as two regexes: those anchored at the start
    (tried once, with ``match``) and the rest (one ``search``). One combined
    regex would retry every anchored branch at every position of the text."""

    def __init__(self, patterns: Sequence[str], words_first: bool = False) -> None:
        anchored = [p[1:] for p in patterns if p.startswith("^")]
        floating = [p for p in patterns if not p.startswith("^")]
        self._start = re.compile("|".join(f"(?:{p})" for p in anchored)) if anchored else None
        # words_first: every floating pattern starts a match at a letter (checked
        # below), so a lookahead lets the search skip other positions quickly.
        if words_first and not all(_LETTER_FIRST.match(p) for p in floating):
            raise ValueError("words_first patterns must open with \\b and a letter")
        branches = "|".join(f"(?:{p})" for p in floating)
        head = "(?=[a-z])" if words_first else ""
        self._any = re.compile(f"{head}(?:{branches})") if floating else None

    def search(self, text: str) -> bool:
        return bool(
            (self._start is not None and self._start.match(text))
            or (self._any is not None and self._any.search(text))
        )


def _any(patterns: Sequence[str], words_first: bool = False) -> Rules:
    return Rules(patterns, words_first)


# Refusals that say so outright: a no whatever is (or is not yet) on the table.
DECLINE = _any(
    [
        r"\bno,? thank(?:s| you)\b",
        r"\bnot interested\b",
        r"\b(?:we|i)(?:'ll| will)? (?:have to |going to |gonna )?pass\b",
        r"\b(?:we|i)(?:'ve| have)? decided not to\b",
        r"\b(?:we|i) (?:must |have to |will )?decline\b",
        r"\bcount (?:me|us) out\b",
        # chose someone else: "we signed with Acme", "we decided to go with another vendor"
        r"\b(?:we|i)(?:'ve| have)? (?:already |just )?signed (?:up )?with\b",
        r"\b(?:decided|chose|opted|going|gonna) to go with\b",
        r"\b(?:went|go|going|gone) with (?:another|a different|someone else|the other|a competitor)\b",  # noqa: E501
    ]
)

# Refusal phrases. A turn that opens with a bare "no" is weighed on its own
# (detector.LEADING_NO): it often answers a question rather than refusing.
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
        r"\b(?:i|we) don'?t (?:think|want) (?:so|to|we|i)\b(?: [\w']+){0,8}? (?:deal|buy|do|move|go)\b",  # noqa: E501
        r"\b(?:can'?t|cannot|couldn'?t) afford\b",
        r"\bdon'?t have (?:the )?(?:budget|money|funds)\b",
        r"\bmoney is (?:really |pretty |very )?tight\b",
        r"\balready (?:have|use|give to|signed|bought|chose|picked)\b",
        r"\b(?:i'?d|we'?d|i would|we would) rather\b",
        r"\bnot (?:a )?(?:good )?fit\b",
        r"\bnot the right (?:time|fit)\b",
    ],
    words_first=True,
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
        r"\bmore than (?:we|i)(?:'d| had| were| was)? ?(?:thinking|expected|expecting|hoped|hoping"
        r"|planned|planning|budgeted|wanted|wanted to spend)\b",
        r"\bnot fair\b",
    ]
)
NO_ORIENTED = _any(
    [
        r"^(?:is|would) (?:now|this|it|that) (?:still |maybe |perhaps |really )?(?:be )?a bad time\b",  # noqa: E501
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
# A label names the other's situation or feeling, said as a statement:
# "it sounds like ...", "seems like ...", "what i'm hearing is ...".
LABEL = re.compile(
    r"^(?:(?:it|that|this) )?(?:(?:really|almost|kind of|sort of) )?(?:sounds|seems|looks|feels)"
    r" (?:like|as (?:if|though)) (?P<rest>.*)"
    r"|^(?:i'?m hearing|what i'?m hearing is|what i hear (?:you saying )?is|i hear you saying)"
    r"(?: that)? (?P<rest2>.*)"
)
# What follows "it sounds like" when the speaker judges an idea or talks about
# themself ("sounds like a plan", "it looks like we have two options").
NOT_LABEL = re.compile(
    r"\bto me$|^(?:to me|we\b|we'|i\b|i'|us\b|me\b"
    r"|a (?:plan|deal|good|great|fun|nice|cool|solid|fair)\b"
    r"|(?:fun|good|great|fine|ok|okay|fair|nice|cool|perfect)\b)"
)
UNPUNCTUATED_LABEL_WORDS = 20
PUNCTUATION = re.compile(r"[.,!?;:\u2026\u2014-]")  # any of these: the speech was punctuated
ASKS_IN_RUN = re.compile(
    r"\b(?:do|does|did|are|is|can|could|would|will|have|has) you\b|\bi wonder\b"
    r"|\b(?:what|how|why|when|where|which) (?:do|does|did|is|are|was|were|would|will|can|could"
    r"|should|have|has)\b"
)
CALIBRATED = re.compile(r"^(?:how|what)\b")
NOT_CALIBRATED = re.compile(
    r"^(?:how|what) about\b|^what (?:a|an)\b|^what i(?:'m| am)? (?:hear|hearing)\b"
    r"|^how (?:many|much|long|often|old|far)\b"
    # asking for a reaction to one's own proposal: "how does that sound?"
    r"|^how (?:would|does|do|did|will|is) (?:that|this|it) (?:sound|fit|feel|seem)\b"
    r"|^what (?:do|would) you think (?:of|about) (?:that|this|a|an|the|trying|doing|it)\b"
    r"|^what would you think\b|^what do you say\b"
)
OWN_TALK = 2  # sentences of one's own before a question that still make it the turn's point
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
        r"\b(?:you )?(?:may|might) not (?:need|want) (?:us|this|our|it)\b",
        r"\b(?:probably|honestly|really) (?:don'?t|do not) need (?:us|this|our)\b",
        # what they have may do: "a spreadsheet might be fine for now"
        r"\b(?:spreadsheets?|what you have"
        r"|your current (?:\w+ )?(?:setup|tool|process|system|provider)"
        r"|the free (?:version|tier|plan)) (?:might|may|could|would|will|is)(?: probably)?"
        r" (?:be|do|work)(?: just)? (?:fine|enough|ok|okay|all you need)\b",
    ],
    words_first=True,
)
PRESSURE = _any(
    [
        r"\bsign (?:today|now|this week|right now)\b",
        r"\b(?:offer|price|discount|deal) (?:is )?(?:only )?(?:valid|good|ends|expires)\b",
        r"\blimited (?:time|spots?|availability)\b|\blast (?:chance|spots?)\b",
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
        # asking again, smaller or softer, after the no: "even a small amount helps",
        # "would you consider just $5?", "what about one seat?", "please reconsider"
        r"\beven (?:just )?(?:a|one|an?) (?:small|little|tiny|few)\b",
        r"\b(?:even|just|only) (?:[$\u00a3\u20ac]\s?)?\d",
        r"\bit'?s (?:only|just) (?:a|one|[$\u00a3\u20ac]?\d)",
        r"\bwould you (?:still |at least )?(?:consider|be (?:willing|open) to|reconsider)\b",
        r"\bcould you (?:at least|just|maybe just)\b",
        r"\b(?:what|how) about (?:just|only|a|an|one|[$\u00a3\u20ac]?\d)\b",
        r"\b(?:re-?consider|change your mind|give (?:it|us) (?:a|another) (?:try|chance|shot))\b",
        r"\b(?:i|we) (?:can|could) (?:lower|drop|knock|cut|discount|throw in|waive)\b",
    ]
)
# Asking leave to come back later respects the no ("would you be open to me
# checking in next quarter?"): it is not a push.
REVISIT = _any(
    [
        r"\b(?:follow(?:ing)? up|check(?:ing)? (?:back|in)|reach(?:ing)? out|touch(?:ing)? base"
        r"|circle back|get back to you|come back)\b",
        r"\b(?:next|in the) (?:year|quarter|month|spring|summer|fall|autumn|winter|new year)\b",
    ],
    words_first=True,
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
        r"^understood\b",
        r"\bthat makes sense\b",
        r"^that(?:'?s| is) (?:totally |completely |perfectly )?(?:fair|understandable)\b",
        r"\bno pressure\b",
        r"\b(?:i|we)(?:'ll| will) leave it (?:there|at that)\b",
        r"\bfair enough\b",
        r"\bno problem\b",
        r"\b(?:i )?respect that\b",
        r"\bappreciate (?:you|your) (?:honesty|telling|being)\b",
        r"\bno worries\b",
        r"\bthank(?:s| you) for (?:letting me know|your time|being (?:honest|straight))\b",
        r"\bi won'?t (?:push|bother)\b",
    ],
    words_first=True,
)
AFTER_NO = 2  # seller turns after a buyer's rejection that are judged in its light
# Acknowledgements and function words: repeating them is not mirroring.
_NOT_KEY_TEXT = """
okay yeah right great sure alright fine good well yes nope cool true wow really totally
absolutely exactly perfect thanks thank awesome interesting hmm just that this with they them
then there their what when where which have does were been very kind some maybe about would
could should will from your yours into also even still being going know mean like think
"""
NOT_KEY = frozenset(_NOT_KEY_TEXT.split())
BACKCHANNEL = NOT_KEY  # the name used before
_WORDS = re.compile(r"[a-z0-9']+")
_ANNOTATION = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_QUESTION_OPENER = re.compile(
    r"^(?:how|what|why|when|where|who|which|is|are|do|does|did|can|could|would|will|should|have|has)\b"
)


@dataclass
class Tagged:
    tags: list[str] = field(default_factory=list)
    reason_category: str | None = None


def is_question(text: str) -> bool:
    """Ends with a question mark, or opens like a question (for unpunctuated text)."""
    return text.strip().endswith("?") or bool(_QUESTION_OPENER.match(norm(text)))


def _words(text: str) -> list[str]:
    return _WORDS.findall(_ANNOTATION.sub(" ", text.lower().replace("\u2019", "'")))


MIRROR_WORDS = 6  # the most words a mirror has
# A mirror turns the buyer's "we" into "you": "more than we budgeted" -
# "more than you budgeted?".
SWAPPED: dict[str, frozenset[str]] = {
    "you": frozenset({"i", "we", "me", "us"}),
    "your": frozenset({"my", "our"}),
    "yours": frozenset({"mine", "ours"}),
    "you're": frozenset({"i'm", "we're"}),
    "you've": frozenset({"i've", "we've"}),
    "you'll": frozenset({"i'll", "we'll"}),
}


def mirror(text: str, previous: str | None) -> bool:
    """Repeats 1-3 of the buyer's last key words, usually as a question.

    Not a mirror: repeating only small words, or answering the buyer's own
    question with its words ("does it work?" - "it does").
    """
    if not previous:
        return False
    if "[" not in text and "(" not in text:  # no annotations: the words are all there
        lowered = text.lower().replace("\u2019", "'")
        if next(islice(_WORDS.finditer(lowered), MIRROR_WORDS, None), None) is not None:
            return False  # longer than a mirror, found without reading the whole turn
    words = _words(text)
    key = [w for w in words if len(w) > 3 and w not in NOT_KEY]
    if not words or len(words) > MIRROR_WORDS or not 1 <= len(key) <= 3:
        return False
    if is_question(previous):
        return False
    tail = set(_words(previous)[-8:])
    return all(w in tail or bool(SWAPPED.get(w, frozenset()) & tail) for w in words)


def sentences(text: str) -> list[str]:
    parts = _SENTENCE.split(text.strip())
    return [p for p in parts if p.strip()] or [text]


@dataclass(frozen=True)
class Piece:
    """One sentence of an utterance: normalised, and whether it asks something."""

    text: str
    question: bool


def pieces(text: str, normed: str | None = None) -> list[Piece]:
    """The sentences of a turn; ``normed`` (:func:`norm` of the whole text, where
    the caller has it) is reused when the turn is one sentence."""
    out = []
    parts = sentences(text)
    for part in parts:
        stripped = part.rstrip()
        n = normed if normed is not None and len(parts) == 1 else norm(stripped)
        asks = stripped.endswith("?") or (
            not stripped.endswith((".", "!")) and bool(_QUESTION_OPENER.match(n))
        )
        out.append(Piece(n, asks))
    return out


def is_label(piece: Piece, run_on: bool = False) -> bool:
    """ "it sounds like you ..." as a statement, about the other, with something to say."""
    if piece.question:
        return False
    m = LABEL.match(piece.text)
    if m is None:
        return False
    rest = (m.group("rest") or m.group("rest2") or "").strip(" ,.-\u2014")
    if len(rest.split()) < 2 or NOT_LABEL.match(rest):
        return False
    # A turn with no sentence marks at all (raw ASR) runs a label on into whatever
    # follows it, so there a label is short and asks nothing.
    if run_on:
        return len(rest.split()) <= UNPUNCTUATED_LABEL_WORDS and not ASKS_IN_RUN.search(rest)
    return True


def labelled(parts: Sequence[Piece]) -> bool:
    """A label ends the turn: then silence, not a question or a speech of one's own.

    So the label is at most one sentence from the end, and no question follows it.
    """
    last = len(parts) - 1
    run_on = last == 0 and not PUNCTUATION.search(parts[0].text)
    return any(
        is_label(p, run_on) and i >= last - 1 and not any(q.question for q in parts[i + 1 :])
        for i, p in enumerate(parts)
    )


def is_calibrated(piece: Piece) -> bool:
    t = piece.text
    return (
        piece.question
        and bool(CALIBRATED.match(t))
        and not (NOT_CALIBRATED.match(t) or NO_ORIENTED.search(t) or GREETING.search(t))
    )


def tag_seller(
    text: str, previous_buyer: str | None, after_rejection: bool, normed: str | None = None
) -> list[str]:
    """Tags of one seller turn; ``normed`` is :func:`norm` of the text, where the
    caller has it already."""
    t = norm(text) if normed is None else normed
    tags = []
    parts = pieces(text, t)
    if any(p.question and NO_ORIENTED.search(p.text) for p in parts):
        tags.append("no_oriented_question")
    if labelled(parts):
        tags.append("label")
    if mirror(text, previous_buyer):
        tags.append("mirror")
    if any(is_calibrated(p) for p in parts[: OWN_TALK + 1]):
        tags.append("calibrated_question")
    if GOING_FOR_NO.search(t):
        tags.append("going_for_no")
    if after_rejection and ASKS_WHY.search(t):
        tags.append("asks_why")
    pressure = bool(PRESSURE.search(t))
    # After a no, asking again is a push even behind "I understand" (and then it
    # does not accept the no); asking why, or leave to come back later, is not.
    pushes = (
        after_rejection
        and "asks_why" not in tags
        and bool(PUSH.search(t))
        and not REVISIT.search(t)
    )
    if after_rejection and not (pressure or pushes) and ACCEPTS.search(t):
        tags.append("accepts_no")
    if pressure or pushes:
        tags.append("pressure")
    return tags


# "no" that is not a refusal: "no problem", "no, that makes sense", "not bad".
NOT_REJECTION = re.compile(
    r"^(?:(?:no|nope|nah)\b[,.!]? ?)*(?:no|nope|nah|not)\b,? ?"
    r"(?:problem|worries|doubt|rush|pressure|kidding|way,? that'?s"
    r"|that makes sense|(?:i )?(?:agree|understand|get it)"
    r"|(?:you'?re|that'?s|it'?s) (?:right|fine|fair|ok|okay|good)"
    r"|(?:now|that|it|this)(?:'s| is) (?:fine|good|ok|okay|great)"
    r"|go ahead|all good|not at all|bad)\b"
)


def agrees(text: str) -> bool:
    """A "no" that agrees or reassures ("no problem", "no, that makes sense"), with
    no refusal after it ("no worries, but no deal" is still a no)."""
    m = NOT_REJECTION.match(text)
    return m is not None and not REJECTION.search(text[m.end() :].lstrip(" ,.!-"))


def tag_buyer(
    text: str,
    previous: str | TurnContext | None = None,
    detector: RejectionDetector | None = None,
) -> list[str]:
    """Tags of one buyer turn. ``previous`` is what it answers: the other side's
    turn ("" when the buyer opens the talk, None when it is not known), or the
    whole :class:`~whyno.coach.dialogue.TurnContext` from the conversation so far."""
    return tag_buyers([text], [previous], detector)[0]


def tag_buyers(
    texts: Sequence[str],
    previous: Sequence[str | TurnContext | None] | None = None,
    detector: RejectionDetector | None = None,
) -> list[list[str]]:
    """Tags of many buyer turns, the learned detector run once over all of them.

    Each turn's context is the other side's turn it answers (as in
    :func:`tag_buyer`) or the :class:`~whyno.coach.dialogue.TurnContext` from
    :func:`~whyno.coach.dialogue.conversation_contexts`."""
    contexts = [
        p if isinstance(p, TurnContext) else from_previous(p)
        for p in (previous if previous else [None] * len(texts))
    ]
    return tag_normed([norm(t) for t in texts], contexts, detector)


def tag_normed(
    normed: Sequence[str],
    contexts: Sequence[TurnContext],
    detector: RejectionDetector | None = None,
) -> list[list[str]]:
    """:func:`tag_buyers` on texts already passed through :func:`norm`."""
    # "no problem", "no, that makes sense": never a no, whatever the model says.
    open_ = [i for i, t in enumerate(normed) if not agrees(t)]
    scores = (detector or default_detector()).scores([normed[i] for i in open_])
    rejected = set()
    for i, score in zip(open_, scores.tolist(), strict=True):
        t = normed[i]
        if DECLINE.search(t) or decide(t, contexts[i], score, REJECTION.search(t)):
            rejected.add(i)
    out: list[list[str]] = []
    for i, t in enumerate(normed):
        if i in rejected:
            out.append(["rejection"])
        elif OBJECTION.search(t):
            out.append(["objection"])
        else:
            out.append([])
    return out
