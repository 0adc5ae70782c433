"""Analyse one call: roles, tags per utterance, the buyer's reasons, and call metrics.

Roles: the names given as sellers (or a team roster); without any, a role
written in the speaker labels ("Dana (Sales)", "Customer"); without that, the
documented heuristic is that the seller is the speaker who opens the call and
asks the most questions (score: questions asked, plus 2 for speaking first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from whyno.coach import tags
from whyno.coach.dialogue import conversation_contexts
from whyno.errors import InputError
from whyno.ingest.transcripts import Transcript
from whyno.reasons.classify import Classifier
from whyno.reasons.taxonomy import NO_REASON


@dataclass
class Utterance:
    index: int
    speaker: str | None
    role: str
    text: str
    tags: list[str] = field(default_factory=list)
    reason_category: str | None = None
    start: float | None = None
    end: float | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "index": self.index,
            "speaker": self.speaker,
            "role": self.role,
            "text": self.text,
            "tags": self.tags,
        }
        if self.reason_category:
            data["reason_category"] = self.reason_category
        if self.start is not None:
            data["start"] = self.start
        return data


@dataclass
class CallReview:
    source: str
    utterances: list[Utterance]
    metrics: dict[str, Any]

    @property
    def seller_names(self) -> str:
        """The sellers who spoke, sorted and comma separated (as stored with the call)."""
        return ", ".join(sorted({u.speaker or "" for u in self.utterances if u.role == "seller"}))

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "utterances": [u.as_dict() for u in self.utterances],
            "metrics": self.metrics,
        }


_NAME_WORDS = re.compile(r"[^\W_]+")


def names_match(name: str, speaker: str) -> bool:
    """Every word of ``name`` is a word of ``speaker``, case aside: "sam" names
    "Sam Lee", but not "Samantha"; "Speaker 1" is not "Speaker 10"."""
    words = set(_NAME_WORDS.findall(name.lower()))
    return bool(words) and words <= set(_NAME_WORDS.findall(speaker.lower()))


def assign_roles(transcript: Transcript, sellers: Sequence[str] = ()) -> dict[str, str]:
    """speaker -> "seller" or "buyer"."""
    speakers = transcript.speakers
    wanted = [s for s in sellers if s.strip()]
    if wanted:
        return {
            s: "seller" if any(names_match(w, s) for w in wanted) else "buyer" for s in speakers
        }
    by_label = roles_from_labels(speakers)
    if by_label:
        return by_label
    scores = {s: 0.0 for s in speakers}
    for turn in transcript.turns:
        if turn.speaker and tags.is_question(turn.text):
            scores[turn.speaker] += 1
    if speakers:
        scores[speakers[0]] += 2
    seller = max(speakers, key=lambda s: scores[s]) if speakers else None
    return {s: "seller" if s == seller else "buyer" for s in speakers}


# Role words in speaker labels, as exports and hand-made transcripts write them.
SELLER_LABEL = re.compile(
    r"\b(?:sell(?:er|ing)|sales(?:person|rep|man|woman)?|rep|ae|sdr|bdr|account (?:executive"
    r"|manager)|recruiter|fundrais(?:er|ing)|host|agent|vendor)\b"
)
BUYER_LABEL = re.compile(
    r"\b(?:buyer|customer|client|prospect|lead|donor|candidate|guest|purchaser)\b"
)


def roles_from_labels(speakers: Sequence[str]) -> dict[str, str]:
    """Roles written in the speaker labels themselves ("Dana (Sales)", "Rep",
    "Customer - Marcus"): where some labels name a seller role, those speakers
    are the sellers; else, where some name a buyer role, the other speakers
    are. Empty where the labels say nothing, or where one label names both
    roles ("Rep for the customer")."""
    low = {s: s.lower() for s in speakers}
    sellers = [s for s in speakers if SELLER_LABEL.search(low[s])]
    buyers = [s for s in speakers if BUYER_LABEL.search(low[s])]
    if set(sellers) & set(buyers):
        return {}
    if sellers:
        return {s: "seller" if s in sellers else "buyer" for s in speakers}
    if buyers and len(buyers) < len(speakers):
        return {s: "buyer" if s in buyers else "seller" for s in speakers}
    return {}


TAGGERS = ("contextual", "fast")
DEFAULT_TAGGER = "contextual"


def check_tagger(backend: str) -> str:
    """``backend`` if it names a conversation backend; else an error naming the choices."""
    if backend not in TAGGERS:
        raise InputError(f"unknown backend {backend!r}; choose one of {', '.join(TAGGERS)}")
    return backend


def review(
    transcript: Transcript,
    sellers: Sequence[str] = (),
    classifier: Classifier | None = None,
    backend: str = DEFAULT_TAGGER,
) -> CallReview:
    """Roles, every utterance's tags, the buyer's reasons and the call's metrics.

    ``backend`` is ``contextual`` (the shipped model reads each turn with the
    other side's previous turn) or ``fast`` (rules and a static model over the
    dialogue state)."""
    check_tagger(backend)
    roles = assign_roles(transcript, sellers)
    utterances = [
        Utterance(
            t.index,
            t.speaker,
            roles.get(t.speaker or "", "buyer"),
            t.text,
            start=t.start,
            end=t.end,
        )
        for t in transcript.turns
    ]
    if backend == "fast":
        _tag_fast(utterances)
    else:
        _tag_contextual(utterances)
    _reasons(utterances, classifier)
    return CallReview(transcript.source, utterances, metrics(utterances))


def _tag_fast(utterances: list[Utterance]) -> None:
    normed = [tags.norm(u.text) for u in utterances]
    buyer_tags = iter(_buyer_tags(utterances, normed))
    last_buyer: str | None = None
    since_rejection = tags.AFTER_NO + 1
    previous: Utterance | None = None
    for u, n in zip(utterances, normed, strict=True):
        if u.role == "buyer":
            u.tags = next(buyer_tags)
            answered = previous is not None and "no_oriented_question" in previous.tags
            if answered and n.startswith(("no", "nope", "nah")):
                u.tags = [
                    t for t in u.tags if t != "rejection"
                ]  # "no" is the safe answer asked for
            last_buyer = u.text
            since_rejection = 0 if "rejection" in u.tags else since_rejection
        else:
            since_rejection += 1
            u.tags = tags.tag_seller(u.text, last_buyer, since_rejection <= tags.AFTER_NO, normed=n)
        previous = u


def _tag_contextual(utterances: list[Utterance]) -> None:
    """The contextual model reads each turn with the other side's latest turn: all
    buyer turns in one batch, then all seller turns (whether a seller turn follows
    a no comes from the buyer tags); see :mod:`whyno.coach.model_tags`."""
    from whyno.coach.model_tags import buyer_tags, seller_tags

    latest = {"buyer": "", "seller": ""}
    before: list[str] = []
    for u in utterances:
        before.append(latest["seller" if u.role == "buyer" else "buyer"])
        latest[u.role] = u.text
    buyers = [i for i, u in enumerate(utterances) if u.role == "buyer"]
    found = buyer_tags([before[i] for i in buyers], [utterances[i].text for i in buyers])
    for i, buyer in zip(buyers, found, strict=True):
        utterances[i].tags = buyer
    sellers, after_no = [], []
    since_rejection = tags.AFTER_NO + 1
    for i, u in enumerate(utterances):
        if u.role == "buyer":
            since_rejection = 0 if "rejection" in u.tags else since_rejection
            continue
        since_rejection += 1
        sellers.append(i)
        after_no.append(since_rejection <= tags.AFTER_NO)
    texts = [utterances[i].text for i in sellers]
    for i, seller in zip(
        sellers, seller_tags([before[i] for i in sellers], texts, after_no), strict=True
    ):
        utterances[i].tags = seller


def _buyer_tags(utterances: list[Utterance], normed: list[str]) -> list[list[str]]:
    """Every buyer turn's tags, in order, the detector run once for the whole call.

    Each buyer turn is judged in the state of the call when it is said: what the
    seller's side has put on the table so far and whether the buyer took it
    (:func:`whyno.coach.dialogue.conversation_contexts`, on the normalised text)."""
    contexts = conversation_contexts(
        [(u.role, n) for u, n in zip(utterances, normed, strict=True)], judged={"buyer"}
    )
    buyer = [i for i, u in enumerate(utterances) if u.role == "buyer"]
    return tags.tag_normed([normed[i] for i in buyer], [contexts[i] for i in buyer])


def _reasons(utterances: list[Utterance], classifier: Classifier | None) -> None:
    """The reason the classifier reads in each buyer rejection or objection, and in
    the buyer's answer when the seller asked why (where the reason usually is)."""
    if classifier is None:
        return
    flagged = []
    asked = False  # the seller asked why, and the buyer has not answered yet
    for u in utterances:
        if u.role != "buyer":
            asked = asked or "asks_why" in u.tags
            continue
        if asked or set(u.tags) & {"rejection", "objection"}:
            flagged.append(u)
        asked = False
    if not flagged:
        return
    for u, p in zip(flagged, classifier.classify_batch([u.text for u in flagged]), strict=True):
        if p.category != NO_REASON and not p.unsure:
            u.reason_category = p.category


def metrics(utterances: list[Utterance]) -> dict[str, Any]:
    """Talk ratio, monologues, questions, techniques, and what happened after each no."""
    seller = [u for u in utterances if u.role == "seller"]
    words = {
        role: sum(len(u.text.split()) for u in utterances if u.role == role)
        for role in ("seller", "buyer")
    }
    timed = all(u.start is not None and u.end is not None for u in utterances) and utterances
    duration = (utterances[-1].end or 0) - (utterances[0].start or 0) if timed else None
    talk_time = sum((u.end or 0) - (u.start or 0) for u in seller) if timed else None
    all_time = sum((u.end or 0) - (u.start or 0) for u in utterances) if timed else None
    questions = sum(1 for u in seller if tags.is_question(u.text))
    count = {
        tag: sum(1 for u in utterances if tag in u.tags)
        for tag in (
            "rejection",
            "objection",
            "label",
            "mirror",
            "no_oriented_question",
            "calibrated_question",
            "going_for_no",
            "pressure",
            "asks_why",
            "accepts_no",
        )
    }
    rejections = [i for i, u in enumerate(utterances) if "rejection" in u.tags]
    return {
        "talk_ratio_words": round(words["seller"] / max(sum(words.values()), 1), 3),
        "talk_ratio_time": round(talk_time / all_time, 3) if talk_time and all_time else None,
        "longest_monologue_words": _longest(utterances, by_time=False),
        "longest_monologue_seconds": _longest(utterances, by_time=True) if timed else None,
        "duration_seconds": round(duration, 1) if duration else None,
        "seller_questions": questions,
        "questions_per_10_min": round(questions / duration * 600, 2) if duration else None,
        "calibrated_share": round(count["calibrated_question"] / questions, 3)
        if questions
        else 0.0,
        "labels": count["label"],
        "mirrors": count["mirror"],
        "no_oriented_questions": count["no_oriented_question"],
        "going_for_no": count["going_for_no"],
        "pressure": count["pressure"],
        "rejections_heard": count["rejection"],
        "objections_heard": count["objection"],
        "pushes_after_no": _after(utterances, rejections, "pressure"),
        "asked_why": count["asks_why"] > 0,
        "accepted_no": count["accepts_no"] > 0,
        "reason_learned": any(u.reason_category for u in utterances if u.role == "buyer"),
    }


def _longest(utterances: list[Utterance], by_time: bool) -> float:
    best = current = 0.0
    for u in utterances:
        if u.role != "seller":
            current = 0.0
            continue
        current += ((u.end or 0) - (u.start or 0)) if by_time else len(u.text.split())
        best = max(best, current)
    return round(best, 1)


def seller_turns_after(utterances: Sequence[Utterance], i: int) -> list[Utterance]:
    """The seller turns judged in the light of the buyer's no at ``i`` (``tags.AFTER_NO``)."""
    return [u for u in utterances[i + 1 :] if u.role == "seller"][: tags.AFTER_NO]


def _after(utterances: list[Utterance], rejections: list[int], tag: str) -> int:
    pushes = 0
    for i in rejections:
        pushes += sum(1 for u in seller_turns_after(utterances, i) if tag in u.tags)
    return pushes
