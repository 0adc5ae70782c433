"""The demo company: a fictional seller's two years of deals, in a fresh workspace."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whyno.coach.analyze import review
from whyno.coach.imports import CallImportResult, import_calls
from whyno.coach.insights import Insights, insights
from whyno.coach.notes import coaching_notes
from whyno.config import Settings
from whyno.ingest.crm import ImportOptions, ImportResult, import_crm_csv
from whyno.ingest.transcripts import read_transcript
from whyno.nos.queries import no_stats
from whyno.reasons.labels import apply_labels, classifier_for, reason_mix
from whyno.report.coach import write_notes
from whyno.report.render import write_report
from whyno.store.store import Store
from whyno.trends.analysis import analyse

DEFAULT_SEED = 7
EXPORT_NAME = "larkspur_hubspot_deals.csv"
DB_NAME = "whyno.db"
REPORT_NAME = "report.html"
PROFILE_NAME = "larkspur_profile.yaml"
CALLS_DIR = "calls"
NOTES_NAME = "call-notes.html"
NOTES_CALLS = 3


@dataclass(frozen=True)
class DemoResult:
    workspace: Path
    database: Path
    export: Path
    imported: ImportResult
    stats: dict[str, Any]
    reasons: list[tuple[str, int]]
    report: Path
    findings: list[str]
    calls: CallImportResult
    insights: Insights
    notes: Path


def write_demo_export(path: Path, seed: int = DEFAULT_SEED) -> int:
    """Write the demo company's CRM export (HubSpot shape); returns the number of deals."""
    from whyno.demo.simulate import HEADERS, Simulator

    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in Simulator(seed).rows():
            writer.writerow(row)
            count += 1
    return count


def build_demo(workspace: Path, seed: int = DEFAULT_SEED) -> DemoResult:
    """Build the demo in ``workspace``: import, classify, analyse, and write the report."""
    workspace.mkdir(parents=True, exist_ok=True)
    database = workspace / DB_NAME
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    export = workspace / EXPORT_NAME
    write_demo_export(export, seed)
    profile = Path(__file__).parent / PROFILE_NAME
    (workspace / PROFILE_NAME).write_text(profile.read_text(encoding="utf-8"), encoding="utf-8")
    from whyno.demo.calls import write_demo_calls

    calls_dir = workspace / CALLS_DIR
    write_demo_calls(export, calls_dir, seed)
    with Store.open(str(database)) as store:
        imported = import_crm_csv(store, export, ImportOptions())
        classifier = classifier_for(store, Settings(home=workspace))
        apply_labels(store, classifier)
        calls = import_calls(store, calls_dir, classifier)
        stats = no_stats(store)
        reasons = reason_mix(store)
        analysis = analyse(store)
        behaviours = insights(store)
    report = write_report(analysis, workspace / REPORT_NAME, "Larkspur: why we lose")
    reviewed = [
        review(read_transcript(path), (), classifier)
        for path in sorted(calls_dir.glob("*.vtt"))[:NOTES_CALLS]
    ]
    notes = write_notes(
        [(r, coaching_notes(r)) for r in reviewed], workspace / NOTES_NAME, "Larkspur: call review"
    )
    findings = [f"[{r.lever_name}] {r.headline}" for r in analysis.recommendations]
    return DemoResult(
        workspace,
        database,
        export,
        imported,
        stats,
        reasons,
        report,
        findings,
        calls,
        behaviours,
        notes,
    )
