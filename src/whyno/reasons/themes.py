"""New themes: group the verbatims the taxonomy does not explain into named clusters.

Verbatims are embedded with the same sentence model as the classifier and
grouped with spherical k-means (seeded, so the same catalog gives the same
themes). Each theme is named by its most distinctive words (frequent in the
theme, rarer elsewhere) and shown with the three verbatims closest to its centre.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from whyno.reasons.cluster import kmeans
from whyno.reasons.embed import Embedder

_STOP_TEXT = """
a about after all also am an and any are as at be because been but by can cant could
did didnt do does dont for from get got had has have he her him his how i if im in
into is it its ive just like me more my no not now of on one or our out really said
say she so some still than that thats the their them then there they theyre this to
too up us very was we were what when which who will with would you your yet couldnt
wouldnt shouldnt wasnt
isnt arent doesnt wont theyd wed weve youre ours two things mainly plus primary secondary
help helped didn't couldn't wouldn't don't can't won't isn't wasn't they're we're we'd we've
"""
STOP = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z][a-z']+")


@dataclass(frozen=True)
class Theme:
    name: str
    size: int
    top_words: list[str]
    examples: list[str]


def find_themes(
    embedder: Embedder,
    texts: Sequence[str],
    *,
    k: int | None = None,
    min_size: int = 3,
    seed: int = 0,
) -> list[Theme]:
    """Themes among ``texts``, largest first; clusters smaller than ``min_size`` are dropped."""
    unique = [t for t in dict.fromkeys(t.strip() for t in texts) if t]
    if len(unique) < min_size:
        return []
    vectors = embedder.embed(unique)
    k = k or max(2, min(12, round(math.sqrt(len(unique) / 2))))
    k = min(k, len(unique))
    assignment, centres = kmeans(vectors, k, seed)
    words = [_words(t) for t in unique]
    overall = Counter(w for ws in words for w in set(ws))
    themes = []
    for cluster in range(k):
        members = np.flatnonzero(assignment == cluster)
        if len(members) < min_size:
            continue
        top = _distinctive([words[i] for i in members], overall, len(unique))
        closest = members[np.argsort(-(vectors[members] @ centres[cluster]))][:3]
        themes.append(
            Theme(
                " / ".join(top[:3]) or "(no common words)",
                len(members),
                top,
                [unique[i] for i in closest],
            )
        )
    return sorted(themes, key=lambda t: -t.size)


def _words(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    return [w for w in words if w not in STOP and w.replace("'", "") not in STOP]


def _distinctive(member_words: list[list[str]], overall: Counter[str], n: int) -> list[str]:
    inside = Counter(w for ws in member_words for w in set(ws))
    size = len(member_words)
    score = {w: (c / size) * math.log(n / overall[w]) for w, c in inside.items() if c >= 2}
    return [w for w, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:6]]
