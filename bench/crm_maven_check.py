"""Check: import the real Maven CRM sample (../shared/data/crm_maven) twice.

Expected: 8,800 deals and 2,473 no's (every Lost deal; the file has no loss
reason column, so all are learning gaps); the second import reports 8,800
unchanged and the counts stay the same.

    .venv/bin/python -m bench.crm_maven_check [--db URL]

The data is read from $WHYNO_SHARED_DATA, else ../shared/data beside the checkout.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.data.resolve_real import shared_data

DATA = shared_data() / "crm_maven" / "sales_pipeline.csv"
MAP = [
    "opportunity_id=id",
    "sales_agent=owner",
    "product=product",
    "account=account",
    "deal_stage=stage",
    "engage_date=created_at",
    "close_date=closed_at",
    "close_value=amount",
]


def whyno(db: str, *args: str) -> dict[str, object]:
    command = [sys.executable, "-m", "whyno", "--db", db, *args, "--json"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    data: dict[str, object] = json.loads(out)
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp()) / "maven.db")
    maps = [arg for item in MAP for arg in ("--map", item)]
    for run in ("first import", "second import"):
        r = whyno(db, "import", str(DATA), *maps)
        print(
            f"{run:14} read {r['read']}  imported {r['imported']}  updated {r['updated']}  "
            f"unchanged {r['unchanged']}  rejected {r['rejected']}  no's in file {r['nos']}"
        )
        stats = whyno(db, "stats")
        print(
            f"{'':14} catalog: deals {stats['deals']}  no's {stats['nos']}  "
            f"with reason {stats['nos_with_reason']}  learning gaps {stats['learning_gaps']}"
        )


if __name__ == "__main__":
    main()
