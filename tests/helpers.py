"""Small helpers shared by the tests."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Sequence
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CRM = FIXTURES / "crm"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"  # screenshots of a test run
# synthetic_catalog's no's run from 2025-01 to 2026-12: analysed as on this day, all are complete
SYNTHETIC_AS_OF = "2027-01-01"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")  # the system browser
CHROMIUM_ARGS = [  # headless in a container, offline: no sandbox, GPU or background traffic
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """Write a small CSV fixture and return its path."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def synthetic_catalog(
    store: object, path: Path, seed: int = 0, per_month: int = 60, rising: str | None = None
) -> Path:
    """Import 24 months of deals whose loss reasons are CRM picklist values, and give
    every no its main reason from the picklist (no classifier needed). When
    ``rising`` names a picklist value, it becomes three times as likely from month 19."""
    import random

    from sqlalchemy import update

    from whyno.ingest.crm import import_crm_csv
    from whyno.reasons.picklist import picklist_category
    from whyno.store.models import No

    reasons = ["Price", "Competitor", "Timing", "No Budget", "Missing Feature", "Not a Fit"]
    rng = random.Random(seed)
    rows = []
    for m in range(1, 25):
        month = f"{2025 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}"
        for i in range(per_month):
            weights = [3.0 if (r == rising and m >= 19) else 1.0 for r in reasons]
            won = rng.random() < 0.3
            reason = "" if won else rng.choices(reasons, weights)[0]
            script = reason == (rising or "Price") and m == 24
            notes = (
                f"<script>alert('x')</script> {reason.lower()} case {i}"
                if script
                else f"{reason.lower()} for them, case {m}-{i}"
            )
            rows.append(
                [
                    f"{m}-{i}",
                    "Closed Won" if won else "Closed Lost",
                    1000 + i,
                    f"{month}-{rng.randint(1, 28):02d}",
                    reason,
                    "" if won else notes,
                    rng.choice(["Retail", "Health"]),
                    rng.choice(["Ann", "Bo"]),
                ]
            )
    write_csv(
        path,
        ["Id", "Stage", "Amount", "Close Date", "Loss Reason", "Loss Notes", "Industry", "Owner"],
        rows,
    )
    import_crm_csv(store, path)  # type: ignore[arg-type]
    with store.engine.begin() as connection:  # type: ignore[attr-defined]
        for reason in reasons:
            connection.execute(
                update(No)
                .where(No.crm_reason == reason)
                .values(main_category=picklist_category(reason))
            )
    return path
