"""whyno: go for the no, take no for an answer, and learn why.

The public Python API, taught in docs/python.md; the CLI and the web app are
thin layers over it. Import what you need from here (``whyno.analyse``): a
name under ``__all__`` keeps working when the module behind it moves.

Names are loaded on first use, so ``import whyno`` stays light and the team
server's dependencies are needed only for :func:`create_app`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from whyno.config import Settings, load_settings
from whyno.errors import InputError, NotFoundError, WhynoError

if TYPE_CHECKING:
    from whyno.coach.analyze import CallReview, review
    from whyno.coach.imports import CallImportOptions, CallImportResult, import_calls
    from whyno.coach.insights import Insights, insights
    from whyno.coach.notes import coaching_notes
    from whyno.coach.stored import (
        CallDetail,
        CallHead,
        CallInput,
        SavedCall,
        get_call,
        list_calls,
        save_call,
    )
    from whyno.ingest.crm import ImportOptions, ImportRejected, ImportResult, import_crm_csv
    from whyno.ingest.transcripts import parse_transcript, read_transcript
    from whyno.nos.entry import NoEntry, log_no
    from whyno.nos.export import export_nos
    from whyno.nos.queries import NoDetail, NoFilter, NoRow, get_no, list_nos, no_stats
    from whyno.reasons.classify import Classifier, Prediction, make_classifier
    from whyno.reasons.labels import apply_labels, classifier_for, correct
    from whyno.store import Store, make_engine
    from whyno.trends.analysis import Analysis, analyse
    from whyno.web import create_app

__version__ = "0.1.0"

# public name -> the module that defines it
_HOMES = {
    "CallImportOptions": "whyno.coach.imports",
    "CallImportResult": "whyno.coach.imports",
    "import_calls": "whyno.coach.imports",
    "CallReview": "whyno.coach.analyze",
    "review": "whyno.coach.analyze",
    "Insights": "whyno.coach.insights",
    "insights": "whyno.coach.insights",
    "coaching_notes": "whyno.coach.notes",
    "CallDetail": "whyno.coach.stored",
    "CallHead": "whyno.coach.stored",
    "CallInput": "whyno.coach.stored",
    "SavedCall": "whyno.coach.stored",
    "get_call": "whyno.coach.stored",
    "list_calls": "whyno.coach.stored",
    "save_call": "whyno.coach.stored",
    "ImportOptions": "whyno.ingest.crm",
    "ImportRejected": "whyno.ingest.crm",
    "ImportResult": "whyno.ingest.crm",
    "import_crm_csv": "whyno.ingest.crm",
    "parse_transcript": "whyno.ingest.transcripts",
    "read_transcript": "whyno.ingest.transcripts",
    "NoEntry": "whyno.nos.entry",
    "log_no": "whyno.nos.entry",
    "export_nos": "whyno.nos.export",
    "NoDetail": "whyno.nos.queries",
    "NoFilter": "whyno.nos.queries",
    "NoRow": "whyno.nos.queries",
    "get_no": "whyno.nos.queries",
    "list_nos": "whyno.nos.queries",
    "no_stats": "whyno.nos.queries",
    "Classifier": "whyno.reasons.classify",
    "Prediction": "whyno.reasons.classify",
    "make_classifier": "whyno.reasons.classify",
    "apply_labels": "whyno.reasons.labels",
    "classifier_for": "whyno.reasons.labels",
    "correct": "whyno.reasons.labels",
    "Store": "whyno.store",
    "make_engine": "whyno.store",
    "Analysis": "whyno.trends.analysis",
    "analyse": "whyno.trends.analysis",
    "create_app": "whyno.web",
}

__all__ = [
    "Analysis",
    "CallDetail",
    "CallHead",
    "CallImportOptions",
    "CallImportResult",
    "CallInput",
    "CallReview",
    "Classifier",
    "ImportOptions",
    "ImportRejected",
    "ImportResult",
    "InputError",
    "Insights",
    "NoDetail",
    "NoEntry",
    "NoFilter",
    "NoRow",
    "NotFoundError",
    "Prediction",
    "SavedCall",
    "Settings",
    "Store",
    "WhynoError",
    "__version__",
    "analyse",
    "apply_labels",
    "classifier_for",
    "coaching_notes",
    "correct",
    "create_app",
    "export_nos",
    "get_call",
    "get_no",
    "import_calls",
    "import_crm_csv",
    "insights",
    "list_calls",
    "list_nos",
    "load_settings",
    "log_no",
    "make_classifier",
    "make_engine",
    "no_stats",
    "parse_transcript",
    "read_transcript",
    "review",
    "save_call",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'whyno' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
