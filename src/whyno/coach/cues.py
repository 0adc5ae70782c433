"""The phrase banks the conversation rules match: refusals, objections,
labels, calibrated questions, pushes, pressure and the words that are not a no.

Patterns run on text normalised by :func:`whyno.coach.tags.norm` (lower case,
straight apostrophes, leading fillers dropped). Each bank is written for a
phenomenon of conversation, not for one corpus's vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FILLERS = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|um+|uh+|erm|yeah|yes|right|alright|all right|now|look"
    r"|listen|hey|oh|hmm+|mm+-?hmm|mhm|great|good|sure|i see|gotcha|got it)(?:[,.!\s-]+|$))+"
)


_FILLER_TEXT = """
so and but okay ok well um umm uh uhh erm yeah yes right alright all now look listen hey oh
hmm mm mhm great good sure i gotcha got
"""
FILLER_START = frozenset(_FILLER_TEXT.split())


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

# Acknowledgements and function words: repeating them is not mirroring.
_NOT_KEY_TEXT = """
okay yeah right great sure alright fine good well yes nope cool true wow really totally
absolutely exactly perfect thanks thank awesome interesting hmm just that this with they them
then there their what when where which have does were been very kind some maybe about would
could should will from your yours into also even still being going know mean like think
"""
NOT_KEY = frozenset(_NOT_KEY_TEXT.split())

QUESTION_OPENER = re.compile(
    r"^(?:how|what|why|when|where|who|which|is|are|do|does|did|can|could|would|will|should|have|has)\b"
)


# "no" that is not a refusal: "no problem", "no, that makes sense", "not bad".
NOT_REJECTION = re.compile(
    r"^(?:(?:no|nope|nah)\b[,.!]? ?)*(?:no|nope|nah|not)\b,? ?"
    r"(?:problem|worries|doubt|rush|pressure|kidding|way,? that'?s"
    r"|that makes sense|(?:i )?(?:agree|understand|get it)"
    r"|(?:you'?re|that'?s|it'?s) (?:right|fine|fair|ok|okay|good)"
    r"|(?:now|that|it|this)(?:'s| is) (?:fine|good|ok|okay|great)"
    r"|go ahead|all good|not at all|bad)\b"
)
