"""Reasons in the catalog: label the no's, take people's corrections, retrain.

Label sources: ``crm`` (a picklist value mapped without the model), ``model``
(the classifier, with its confidence), ``person`` (a correction). A no that
has a person's label is never relabelled by the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, select, update
from sqlalchemy.orm import aliased

from whyno.config import Settings
from whyno.errors import InputError, NotFoundError
from whyno.reasons.classify import (
    DEFAULT_BACKEND,
    Classifier,
    Prediction,
    Thresholds,
    is_bare_decline,
    make_classifier,
)
from whyno.reasons.picklist import picklist_category
from whyno.reasons.seeds import Example
from whyno.reasons.taxonomy import NO_REASON, Taxonomy, default_taxonomy
from whyno.store.models import LabelSource, No, ReasonLabel
from whyno.store.store import Store, audit

BATCH = 2000
Progress = Callable[[int, int], None]


def corrections(store: Store, taxonomy: Taxonomy | None = None) -> list[Example]:
    """Every no a person labelled, as training examples (verbatim -> their labels)."""
    taxonomy = taxonomy or default_taxonomy()
    query = (
        select(No.id, No.verbatim, ReasonLabel.category)
        .join(ReasonLabel, ReasonLabel.no_id == No.id)
        .where(ReasonLabel.source == LabelSource.PERSON.value, No.verbatim.is_not(None))
        .order_by(No.id, ReasonLabel.confidence.desc(), ReasonLabel.id)
    )
    by_no: dict[int, tuple[str, list[str]]] = {}
    with store.engine.connect() as connection:
        for no_id, verbatim, category in connection.execute(query):
            if category in taxonomy and verbatim and verbatim.strip():
                by_no.setdefault(no_id, (verbatim, []))[1].append(category)
    return [Example(text, tuple(labels)) for text, labels in by_no.values()]


def classifier_for(
    store: Store | None,
    settings: Settings,
    backend: str = DEFAULT_BACKEND,
    *,
    taxonomy: Taxonomy | None = None,
    team: bool = True,
    **options: Any,
) -> Classifier:
    """The classifier every face uses: ``backend`` built from the registry with the
    team's corrections (``team=False``, or no store yet: the seed examples alone), cached
    in ``settings.cache_dir``. ``options`` go to the backend (``model_path=`` for semantic)."""
    taxonomy = taxonomy or default_taxonomy()
    return make_classifier(
        backend,
        taxonomy=taxonomy,
        corrections=corrections(store, taxonomy) if team and store is not None else (),
        cache_dir=settings.cache_dir,
        **options,
    )


def corrections_stamp(store: Store) -> tuple[int, int]:
    """Changes whenever a person's label is added or removed: (how many, the newest id)."""
    with store.engine.connect() as connection:
        count, newest = connection.execute(
            select(func.count(ReasonLabel.id), func.max(ReasonLabel.id)).where(
                ReasonLabel.source == LabelSource.PERSON.value
            )
        ).one()
    return int(count), int(newest or 0)


@dataclass
class ApplyResult:
    considered: int = 0
    labelled: int = 0
    from_picklist: int = 0
    unsure: int = 0
    no_reason: int = 0
    skipped_person: int = 0


def apply_labels(
    store: Store, classifier: Classifier, progress: Progress | None = None
) -> ApplyResult:
    """Label every no that has a verbatim or CRM reason and no person's label.

    Idempotent: the model's and CRM labels of each no are replaced, so running
    it twice leaves the same labels (and a retrained model updates them).
    """
    result = ApplyResult()
    person = exists().where(
        ReasonLabel.no_id == No.id, ReasonLabel.source == LabelSource.PERSON.value
    )
    wanted = (No.verbatim.is_not(None)) | (No.crm_reason.is_not(None))
    with store.engine.begin() as connection:
        result.skipped_person = int(
            connection.execute(
                select(func.count()).select_from(No).where(wanted, person)
            ).scalar_one()
        )
        total = int(
            connection.execute(
                select(func.count()).select_from(No).where(wanted, ~person)
            ).scalar_one()
        )
        query = select(No.id, No.verbatim, No.crm_reason).where(wanted, ~person).order_by(No.id)
        for batch in _batches(connection.execute(query).all()):
            label_batch(connection, classifier, batch, result)
            if progress:
                progress(result.considered, total)
        audit(connection, "reasons_apply", entity="nos", detail=asdict(result))
    return result


def _batches(rows: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def label_batch(
    connection: Connection,
    classifier: Classifier,
    batch: Sequence[Any],
    result: ApplyResult,
) -> None:
    texts = [_text_for(verbatim, crm) for _, verbatim, crm in batch]
    predictions = classifier.classify_batch(texts)
    ids = [no_id for no_id, _, _ in batch]
    connection.execute(
        delete(ReasonLabel).where(
            ReasonLabel.no_id.in_(ids), ReasonLabel.source != LabelSource.PERSON.value
        )
    )
    rows: list[dict[str, Any]] = []
    understood: dict[int, bool] = {}
    main: dict[int, str] = {}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for (no_id, verbatim, crm), prediction in zip(batch, predictions, strict=True):
        result.considered += 1
        rows.extend(_label_rows(no_id, verbatim, crm, prediction, classifier, now))
        result.from_picklist += prediction.source == "crm" or bool(picklist_category(crm))
        result.unsure += prediction.unsure
        result.no_reason += prediction.category == NO_REASON
        understood[no_id] = prediction.category != NO_REASON  # unsure still states a reason
        main[no_id] = main_category(verbatim, crm, prediction)
    if rows:
        connection.execute(insert(ReasonLabel), rows)
        result.labelled += len({row["no_id"] for row in rows})
    for value in (True, False):
        ids_with = [no_id for no_id, flag in understood.items() if flag is value]
        if ids_with:
            connection.execute(
                update(No).where(No.id.in_(ids_with)).values(reason_understood=value)
            )
    for category in set(main.values()):
        ids_with = [no_id for no_id, c in main.items() if c == category]
        connection.execute(update(No).where(No.id.in_(ids_with)).values(main_category=category))


def main_category(verbatim: str | None, crm: str | None, prediction: Prediction) -> str:
    """The no's main reason: what the notes say when they say it clearly, else the CRM value."""
    picked = picklist_category(crm)
    has_notes = bool(verbatim and verbatim.strip() and verbatim.strip() != (crm or "").strip())
    if has_notes and not prediction.unsure and prediction.category != NO_REASON:
        return prediction.category
    return picked or prediction.category


def _text_for(verbatim: str | None, crm: str | None) -> str:
    """The words to classify: the notes when they say more than the picklist value."""
    return (verbatim or crm or "").strip()


def _label_rows(
    no_id: int,
    verbatim: str | None,
    crm: str | None,
    prediction: Prediction,
    classifier: Classifier,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    picked = picklist_category(crm)
    if picked and picked in classifier.taxonomy and (verbatim or "").strip() != (crm or "").strip():
        rows.append(_row(no_id, picked, 1.0, LabelSource.CRM.value, None, now))
    source = LabelSource.CRM.value if prediction.source == "crm" else LabelSource.MODEL.value
    model = None if source == LabelSource.CRM.value else classifier.name
    for category in prediction.categories:  # also when the CRM pick agrees: both are evidence
        confidence = (
            prediction.confidence
            if category == prediction.category
            else prediction.scores.get(category, 0.0)
        )
        rows.append(_row(no_id, category, confidence, source, model, now))
    return rows


def _row(
    no_id: int, category: str, confidence: float, source: str, model: str | None, now: dt.datetime
) -> dict[str, Any]:
    return {
        "no_id": no_id,
        "category": category,
        "confidence": float(confidence),
        "source": source,
        "model": model,
        "created_by": None,
        "created_at": now,
    }


def _top_model_confidence() -> Any:
    """Subquery: each no's strongest model label confidence (columns no_id, confidence)."""
    return (
        select(ReasonLabel.no_id, func.max(ReasonLabel.confidence).label("confidence"))
        .where(ReasonLabel.source == LabelSource.MODEL.value)
        .group_by(ReasonLabel.no_id)
        .subquery()
    )


def unexplained_verbatims(store: Store, unsure_below: float = Thresholds().unsure) -> list[str]:
    """Verbatims the taxonomy does not explain, the input of ``whyno reasons themes``:
    labelled ``unknown.no_reason`` or by the model below the threshold, and not a
    bare decline ("no thanks", "not interested"), which states no reason to group."""
    top = _top_model_confidence()
    weak = select(top.c.no_id).where(top.c.confidence < unsure_below)
    unknown = select(ReasonLabel.no_id).where(ReasonLabel.category == NO_REASON)
    query = select(No.verbatim).where(
        No.verbatim.is_not(None), No.id.in_(weak.union(unknown).scalar_subquery())
    )
    with store.engine.connect() as connection:
        texts = [text for (text,) in connection.execute(query) if text and text.strip()]
    return [text for text in texts if not is_bare_decline(text)]


def reason_mix(store: Store) -> list[tuple[str, int]]:
    """How many no's have each category as their main label, most frequent first."""
    query = select(ReasonLabel.no_id, ReasonLabel.category, ReasonLabel.confidence).order_by(
        ReasonLabel.no_id, ReasonLabel.confidence.desc(), ReasonLabel.id
    )
    main: dict[int, str] = {}
    with store.engine.connect() as connection:
        for no_id, category, _ in connection.execute(query):
            main.setdefault(no_id, category)
    counts: dict[str, int] = {}
    for category in main.values():
        counts[category] = counts.get(category, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# --- corrections --------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    no_id: int
    verbatim: str
    category: str
    confidence: float
    source: str


def review_queue(store: Store, limit: int = 20) -> list[ReviewItem]:
    """The least certain model labels first (one row per no, its top label)."""
    mine = aliased(ReasonLabel)
    person = exists().where(mine.no_id == No.id, mine.source == LabelSource.PERSON.value)
    top = _top_model_confidence()
    query = (
        select(No.id, No.verbatim, ReasonLabel.category, ReasonLabel.confidence, ReasonLabel.source)
        .join(top, top.c.no_id == No.id)
        .join(
            ReasonLabel,
            (ReasonLabel.no_id == No.id)
            & (ReasonLabel.confidence == top.c.confidence)
            & (ReasonLabel.source == LabelSource.MODEL.value),
        )
        .where(~person, No.verbatim.is_not(None))
        .order_by(ReasonLabel.confidence, No.id)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    seen: set[int] = set()
    items = []
    for no_id, verbatim, category, confidence, source in rows:
        if no_id not in seen:
            seen.add(no_id)
            items.append(ReviewItem(no_id, verbatim or "", category, float(confidence), source))
    return items


def correct(
    store: Store,
    no_id: int,
    categories: Sequence[str],
    *,
    taxonomy: Taxonomy | None = None,
    actor: str = "cli",
) -> None:
    """Record a person's labels for a no; they replace every other label it has."""
    taxonomy = taxonomy or default_taxonomy()
    if not categories:
        raise InputError("give at least one category for the correction")
    for category in categories:
        taxonomy.get(category)  # raises with the list of valid ids
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with store.engine.begin() as connection:
        if connection.execute(select(No.id).where(No.id == no_id)).first() is None:
            raise NotFoundError(f"no no with id {no_id}; `whyno list` shows the ids")
        connection.execute(delete(ReasonLabel).where(ReasonLabel.no_id == no_id))
        connection.execute(
            insert(ReasonLabel),
            [
                {
                    "no_id": no_id,
                    "category": c,
                    "confidence": 1.0,
                    "source": LabelSource.PERSON.value,
                    "model": None,
                    "created_by": actor,
                    "created_at": now,
                }
                for c in dict.fromkeys(categories)
            ],
        )
        connection.execute(
            update(No)
            .where(No.id == no_id)
            .values(reason_understood=categories[0] != NO_REASON, main_category=categories[0])
        )
        audit(
            connection,
            "reason_corrected",
            actor=actor,
            entity="no",
            entity_id=no_id,
            detail={"categories": list(categories)},
        )
