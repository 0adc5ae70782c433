"""First accuracy check of the conversation tagger on real conversations.

- AnnoMI (../shared/data/annomi): therapists' utterances coded `reflection`,
  `question`, `therapist_input` or `other`. A whyno `label` ("it sounds
  like...") is a kind of reflection, and a `calibrated_question` a kind of
  question, so precision is the share of tagged utterances with that code;
  recall is over all reflections / questions (an upper bound on what the tag
  could catch, since not every reflection is a label).
- Real refusals: the 178 CaSiNo / Deal-or-No-Deal utterances hand-picked as
  refusals in bench/data/reasons_real.csv: recall of `rejection` (precision
  needs labelled non-refusals, which this set does not have).

    .venv/bin/python bench/coach_eval.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "data"))

from resolve_real import load_real, shared_data  # noqa: E402

from whyno.coach.tags import tag_buyer, tag_seller  # noqa: E402

SHARED = shared_data()


def annomi() -> None:
    with (SHARED / "annomi" / "AnnoMI-simple.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    previous_client: str | None = None
    results = {"label": [], "calibrated_question": [], "mirror": []}  # type: ignore[var-annotated]
    for row in rows:
        if row["interlocutor"] == "client":
            previous_client = row["utterance_text"]
            continue
        code = row["main_therapist_behaviour"]
        tags = tag_seller(row["utterance_text"], previous_client, after_rejection=False)
        for tag in results:
            results[tag].append((tag in tags, code))
    for tag, expected in (
        ("label", "reflection"),
        ("mirror", "reflection"),
        ("calibrated_question", "question"),
    ):
        pairs = results[tag]
        tagged = [code for hit, code in pairs if hit]
        true = sum(1 for code in tagged if code == expected)
        total = sum(1 for _, code in pairs if code == expected)
        precision = true / len(tagged) if tagged else 0.0
        print(
            f"AnnoMI {tag:20} vs {expected:10}: tagged {len(tagged):5}, precision "
            f"{precision:.3f}, recall {true / total:.3f} of {total} (upper bound)"
        )


def refusals() -> None:
    data = load_real(SHARED)
    hits = sum(1 for text, _ in data if "rejection" in tag_buyer(text))
    either = sum(1 for text, _ in data if tag_buyer(text))
    print(
        f"Real refusals: rejection recall {hits / len(data):.3f} ({hits}/{len(data)}); "
        f"rejection or objection {either / len(data):.3f}"
    )


if __name__ == "__main__":
    annomi()
    refusals()
