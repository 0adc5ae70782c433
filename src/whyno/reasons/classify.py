"""Classify verbatims into the reason taxonomy.

A backend implements the :class:`Classifier` protocol, one method,
``classify_batch(texts) -> list[Prediction]``, and is chosen by name from
:data:`BACKENDS`, whose factories take keyword options:

* ``contextual`` (the default): the shipped fine-tuned encoder's reason head
  (:mod:`whyno.contextual`), run with onnxruntime; nothing is trained at run
  time. A team taxonomy with ids of its own is classified by ``fast`` instead;
* ``fast`` (also ``static``): a calibrated softmax regression over TF-IDF and
  static sentence embeddings, numpy only, trained on the seed examples plus a
  team's corrections (cached);
* ``semantic``: the same regression over all-MiniLM-L6-v2 embeddings (the
  ``semantic`` extra).

Rules around the model:

* an empty text, or a CRM picklist value ("Price", "Lost to Competitor"), is
  labelled without the model (source ``rule`` or ``crm``);
* a corrected verbatim (or a near copy of one) gets the person's labels back;
* below the confidence threshold a bare decline ("no thanks, not interested")
  is ``unknown.no_reason``; anything else is flagged ``unsure`` rather than
  given as a confident answer.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from whyno.errors import InputError
from whyno.reasons import cache, linear
from whyno.reasons.cluster import kmeans
from whyno.reasons.embed import Embedder, SentenceTransformerEmbedder, StaticEmbedder, features
from whyno.reasons.lexical import Lexicon, normalize
from whyno.reasons.linear import Features
from whyno.reasons.picklist import picklist_category
from whyno.reasons.seeds import Example, load_seeds
from whyno.reasons.taxonomy import NO_REASON, Taxonomy, default_taxonomy

if TYPE_CHECKING:
    from whyno.contextual.runtime import ContextualModel

DENSE_SCALE = 0.5  # weight of the sentence embedding next to the TF-IDF features
CORRECTION_WEIGHT = 5.0  # a person's label counts as much as five seed examples
CHUNK = 4096  # texts embedded at once (bounded memory)
PROTOTYPES = 24  # per category, for the evidence check
EVIDENCE_QUANTILE = 2.0  # percentile of the training texts' own similarity: the floor
EVIDENCE_MARGIN = 0.15  # confidence falls to zero this far below the floor
MEMORY_SIMILARITY = 0.93  # cosine similarity at which a corrected verbatim is "the same"
FEATURES_VERSION = 2  # bump when the features change, so cached models are retrained
PREBUILT = Path(__file__).parent / "model"  # the fast model of the default seeds
BLEND = 0.5  # the contextual backend's weight next to the fast model's probabilities


@dataclass(frozen=True)
class Thresholds:
    unsure: float = 0.45  # below this top probability the answer is not trusted
    secondary: float = 0.25  # other reasons at or above this are listed too


@dataclass(frozen=True)
class Prediction:
    text: str
    category: str
    lever: str
    confidence: float
    categories: list[str]
    unsure: bool = False
    source: str = "model"  # model, crm (picklist), rule, person (a correction)
    scores: dict[str, float] = field(default_factory=dict)


_DECLINE_TEXT = """
no nope nah not thanks thank thx you interested interest pass passing we well ll i im am are
is it its sorry decline declined declining for us me this that at all the a just really so
much but dont don t do want to will would rather good ok okay fine appreciate appreciated
reaching out kind offer though think going go ahead na n unfortunately afraid have decided
proceed move forward with any further none deal can cant cannot agree agreed one sure maybe
time right now later nothing else other unknown reason reasons given give gave say said says
why explain explained explanation closed lost ghosted ghost reply replied replies response
responded responding respond answer answered answering dark silent silence heard hear back
follow followed followup followups ups call calls called email emails emailed message
messages voicemail voicemails went gone stopped after several multiple times attempts tries
tried disappeared anymore longer show they them he she his her their there out nah yeah yes
hmm um uh oh sorry leave walk walking away done thing sounds like get idea
make then guess work works accept acceptable won wont doesn doesnt isn isnt gonna able unable
possible seem seems reach agreement proposal trade swap honestly quite
my our boss manager management board committee owner owners partner partners team
"""
_DECLINE_WORDS = frozenset(_DECLINE_TEXT.split())


def is_bare_decline(text: str) -> bool:
    """A decline that states no reason: "no thanks", "we'll pass", "not interested"."""
    words = re.findall(r"[a-z]+", text.lower())
    return len(words) <= 12 and all(word in _DECLINE_WORDS for word in words)


class Classifier(Protocol):
    """What every reason backend offers: one prediction per text, in order."""

    name: str
    taxonomy: Taxonomy
    labels: list[str]

    def classify_batch(self, texts: Sequence[str]) -> list[Prediction]: ...


class _Scored(ABC):
    """The rules, the memory of corrections and the thresholds that the backends
    share; a subclass gives ``_score``."""

    name: str
    taxonomy: Taxonomy
    thresholds: Thresholds
    labels: list[str]
    _memory_x: np.ndarray | None
    _memory: list[Example]
    _prototypes: np.ndarray
    evidence_floor: float

    @abstractmethod
    def _score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities over ``labels`` and unit sentence vectors (for the memory and
        the evidence check), one row per text."""

    def classify_batch(self, texts: Sequence[str]) -> list[Prediction]:
        """One prediction per text, in order. Each distinct text is classified once."""
        unique = list(dict.fromkeys(texts))
        found: dict[str, Prediction] = {}
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            found.update(zip(chunk, self._classify(chunk), strict=True))
        return [found[text] for text in texts]

    def _classify(self, texts: Sequence[str]) -> list[Prediction]:
        predictions: list[Prediction | None] = [self._by_rule(t) for t in texts]
        todo = [i for i, p in enumerate(predictions) if p is None]
        if todo:
            probs, sentences = self._score([texts[i] for i in todo])
            remembered = self._remembered(sentences)
            modelled = self._from_model([texts[i] for i in todo], probs, self._evidence(sentences))
            for row, i in enumerate(todo):
                example = remembered[row]
                if example is not None:
                    predictions[i] = self._from_person(texts[i], example)
                else:
                    predictions[i] = modelled[row]
        return [p for p in predictions if p is not None]

    def _by_rule(self, text: str) -> Prediction | None:
        if not text or not text.strip():
            return self._single(text, NO_REASON, "rule")
        category = picklist_category(text)
        if category and category in self.taxonomy:
            return self._single(text, category, "crm")
        return None

    def _single(self, text: str, category: str, source: str) -> Prediction:
        return Prediction(
            text, category, self.taxonomy.lever(category), 1.0, [category], source=source
        )

    def _remembered(self, x: np.ndarray) -> list[Example | None]:
        if self._memory_x is None:
            return [None] * len(x)
        similarity = x @ self._memory_x.T
        best = similarity.argmax(axis=1)
        return [
            self._memory[j] if similarity[i, j] >= MEMORY_SIMILARITY else None
            for i, j in enumerate(best)
        ]

    def _from_person(self, text: str, example: Example) -> Prediction:
        top = example.labels[0]
        return Prediction(
            text, top, self.taxonomy.lever(top), 1.0, list(example.labels), source="person"
        )

    def _evidence(self, sentences: np.ndarray) -> np.ndarray:
        """1 when a text is as close to the training data as the seeds are, down to 0."""
        nearest = (sentences @ self._prototypes.T).max(axis=1)
        low = self.evidence_floor - EVIDENCE_MARGIN
        factor: np.ndarray = np.clip((nearest - low) / EVIDENCE_MARGIN, 0.0, 1.0)
        return factor

    def _from_model(
        self, texts: Sequence[str], probs: np.ndarray, evidence: np.ndarray
    ) -> list[Prediction]:
        """Predictions from the model's probabilities, worked out for the whole batch at once."""
        order = np.argsort(-probs, axis=1)
        # float64 before rounding: a rounded float32 prints as 0.7121000289916992
        ranked = np.take_along_axis(probs, order, axis=1).astype(np.float64)
        confidence = np.round(ranked[:, 0] * evidence, 4).tolist()
        rounded = np.round(ranked, 4).tolist()
        listed_counts = (ranked >= self.thresholds.secondary).sum(axis=1).tolist()
        labels, lever = self.labels, self.taxonomy.lever
        out = []
        for text, ids, top_p, conf, n_listed in zip(
            texts, order.tolist(), rounded, confidence, listed_counts, strict=True
        ):
            top, unsure = labels[ids[0]], False
            if conf < self.thresholds.unsure:
                # a bare decline states no reason; anything else said with little
                # confidence is flagged, even where the model leans to no reason
                if is_bare_decline(text):
                    top = NO_REASON
                else:
                    unsure = True
            listed = [labels[i] for i in ids[:n_listed]]
            if top not in listed:
                listed.insert(0, top)
            if len(listed) > 1 and NO_REASON in listed and top != NO_REASON:
                listed.remove(NO_REASON)
            scores = {labels[i]: p for i, p in zip(ids[:3], top_p[:3], strict=True)}
            out.append(Prediction(text, top, lever(top), conf, listed, unsure, "model", scores))
        return out


class EmbeddingClassifier(_Scored):
    """A calibrated linear model over sentence features; see the module docstring."""

    def __init__(
        self,
        embedder: Embedder,
        taxonomy: Taxonomy | None = None,
        corrections: Sequence[Example] = (),
        thresholds: Thresholds | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.name = embedder.name
        self.embedder = embedder
        self.taxonomy = taxonomy or default_taxonomy()
        self.thresholds = thresholds or Thresholds()
        self.labels = self.taxonomy.ids
        seeds, fixes = load_seeds(self.taxonomy), list(corrections)
        settings = (
            f"{FEATURES_VERSION}:{DENSE_SCALE}:{CORRECTION_WEIGHT}:"
            f"{getattr(embedder, 'model_path', '')}"
        )
        name = (
            f"reasons-{self.name}-{cache.key(self.name, self.labels, seeds + fixes, settings)}.npz"
        )
        path = cache_dir / name if cache_dir is not None else None
        # the default seeds' model ships prebuilt (scripts/build_fast_reasons.py): no
        # training on first use unless the team's taxonomy or corrections differ
        prebuilt = PREBUILT / name
        self.prebuilt = prebuilt.is_file()
        trained = cache.load(prebuilt) if self.prebuilt else None
        if trained is None and path:
            trained = cache.load(path)
        if trained is None:
            trained = self._train(seeds, fixes)
            if path:
                cache.save(path, trained)
        self.lexicon, self.model = trained.lexicon, trained.model
        self._memory_x, self._memory = trained.memory_x, trained.memory
        self._prototypes, self.evidence_floor = trained.prototypes, trained.evidence_floor

    def _train(self, seeds: list[Example], corrections: list[Example]) -> cache.Trained:
        examples = seeds + corrections
        if not examples:
            raise InputError("no seed examples or corrections to learn from")
        texts = [e.text for e in examples]
        self.lexicon = Lexicon([normalize(t) for t in texts])
        x = self._features(texts)
        y = self._targets(examples)
        weight = np.array([1.0] * len(seeds) + [CORRECTION_WEIGHT] * len(corrections))
        model = linear.fit(x, y, sample_weight=weight)
        model.temperature = linear.calibrate(x, y)
        sentences = _sentence(x.dense)
        memory_x = sentences[len(seeds) :] if corrections else None
        prototypes, floor = _evidence(sentences, y)
        return cache.Trained(self.lexicon, model, memory_x, corrections, prototypes, floor)

    def _features(self, texts: Sequence[str]) -> Features:
        plain = [normalize(t) for t in texts]
        dense = features(self.embedder, plain) * DENSE_SCALE
        return Features(self.lexicon.transform(plain), dense)

    def _targets(self, examples: Sequence[Example]) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.labels)}
        y = np.zeros((len(examples), len(self.labels)), dtype=np.float32)
        for row, example in enumerate(examples):
            for label in example.labels:
                y[row, index[label]] = 1.0 / len(example.labels)
        return y

    def _score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        x = self._features(texts)
        return self.model.predict_proba(x), _sentence(x.dense)


def _sentence(dense: np.ndarray) -> np.ndarray:
    """The unit sentence vectors inside the dense features (the first half)."""
    whole = dense[:, : dense.shape[1] // 2]
    norms = np.linalg.norm(whole, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(whole, norms, out=np.zeros_like(whole), where=norms > 0)
    return unit


def _evidence(sentences: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Prototypes of each category's training texts, and the similarity floor."""
    primary = y.argmax(axis=1)
    groups = [sentences[primary == c] for c in range(y.shape[1])]
    prototypes = np.vstack([kmeans(g, PROTOTYPES)[1] for g in groups if len(g)])
    nearest = (sentences @ prototypes.T).max(axis=1)
    return prototypes.astype(np.float32), float(np.percentile(nearest, EVIDENCE_QUANTILE))


class ContextualClassifier(_Scored):
    """The reason head of the shipped contextual model (:mod:`whyno.contextual`),
    averaged with the fast model's probabilities (:data:`BLEND`).

    The contextual model was trained offline on the seed examples and the written
    corpus. A team's corrections count twice: through the memory (a corrected
    verbatim, or a near copy of it, gets the person's labels back) and through
    the fast model, which is retrained on seeds plus corrections."""

    name = "contextual"

    def __init__(
        self,
        model: ContextualModel | None = None,
        taxonomy: Taxonomy | None = None,
        corrections: Sequence[Example] = (),
        thresholds: Thresholds | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        from whyno.contextual.runtime import default_model

        self.fast = EmbeddingClassifier(
            StaticEmbedder(), taxonomy, corrections, thresholds, cache_dir
        )
        self.model = model or default_model()
        self.taxonomy = taxonomy or default_taxonomy()
        self.thresholds = thresholds or Thresholds()
        self.labels = self.taxonomy.ids
        order = {label: i for i, label in enumerate(self.model.reason_labels)}
        self._columns = [order[label] for label in self.labels]
        self._memory = list(corrections)
        self._memory_x = self.model.run([e.text for e in self._memory])[1] if corrections else None
        self._prototypes = np.load(self.model.folder / "prototypes.npy")
        self.evidence_floor = float(self.model.manifest["evidence_floor"])

    def _score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        logits, sentences = self.model.run(texts)
        probs = self.model.head("reasons", logits)[:, self._columns]
        fast, _ = self.fast._score(texts)
        return (BLEND * probs + (1 - BLEND) * fast).astype(np.float32), sentences


def _fast(*, model_path: str | None = None, **options: Any) -> EmbeddingClassifier:
    return EmbeddingClassifier(StaticEmbedder(), **options)


def _semantic(*, model_path: str | None = None, **options: Any) -> EmbeddingClassifier:
    return EmbeddingClassifier(SentenceTransformerEmbedder(model_path), **options)


def _contextual(
    *,
    taxonomy: Taxonomy | None = None,
    corrections: Sequence[Example] = (),
    thresholds: Thresholds | None = None,
    **options: Any,
) -> Classifier:
    """The contextual model, or ``fast`` for a taxonomy whose ids it was not trained on."""
    from whyno.contextual.runtime import default_model

    model = default_model()
    if taxonomy is not None and not set(taxonomy.ids) <= set(model.reason_labels):
        return _fast(taxonomy=taxonomy, corrections=corrections, thresholds=thresholds, **options)
    return ContextualClassifier(model, taxonomy, corrections, thresholds, options.get("cache_dir"))


BackendFactory = Callable[..., Classifier]
BACKENDS: dict[str, BackendFactory] = {
    "contextual": _contextual,
    "fast": _fast,
    "static": _fast,  # the name ``fast`` had before the contextual model
    "semantic": _semantic,
}
DEFAULT_BACKEND = "contextual"


def make_classifier(backend: str = DEFAULT_BACKEND, **options: Any) -> Classifier:
    """Build the classifier registered as ``backend``; ``options`` are the factory's
    keywords (``taxonomy``, ``corrections``, ``thresholds``, ``cache_dir``,
    ``model_path``), each backend taking those it uses."""
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return BACKENDS[backend](**options)
