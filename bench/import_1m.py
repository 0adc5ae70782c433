"""Benchmark: import a synthetic 1,000,000-row CRM export on SQLite and PostgreSQL.

Measures wall time, rows/s and the importing process's peak memory (max RSS),
for a first import and for a re-import of the same file (all unchanged), next
to raw loaders that do no validation, no dedupe and no no's: sqlite-utils
``insert --csv`` on SQLite and psql ``\\copy`` on PostgreSQL.

    .venv/bin/python -m bench.import_1m --rows 1000000 \
        --postgres postgresql://whyno:whyno@127.0.0.1:5432/whyno_bench

Each measured run is a fresh child process, so peak memory is its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
HEADERS = [
    "Record ID",
    "Deal Name",
    "Associated Company",
    "Deal owner",
    "Deal Stage",
    "Amount",
    "Create Date",
    "Close Date",
    "Closed Lost Reason",
    "Lost Reason Details",
    "Competitor",
    "Industry",
    "Region",
    "Contact Email",
]
REASONS = [
    ("Price", "their budget was half our quote"),
    ("Competitor", "went with a cheaper vendor"),
    ("Timing", "revisit after the migration"),
    ("No Budget", "budget frozen until Q3"),
    ("Missing Feature", "no offline mode for techs"),
    ("Other", ""),
    ("", ""),
    ("No Decision", "sticking with spreadsheets"),
    ("Integration", "needs a NetSuite sync"),
]


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    sellers = [f"Seller {i}" for i in range(60)]
    accounts = [f"Account {i}" for i in range(50_000)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for i in range(rows):
            stage = rng.choices(("Closed Lost", "Closed Won", "Contract Sent"), (5, 3, 2))[0]
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            account = rng.choice(accounts)
            reason, notes = rng.choice(REASONS) if stage == "Closed Lost" else ("", "")
            writer.writerow(
                [
                    f"D{i:08d}",
                    f"{account} deal {i}",
                    account,
                    rng.choice(sellers),
                    stage,
                    f"{rng.randint(500, 90_000)}.00",
                    f"2025-{month:02d}-{day:02d} 10:00",
                    f"2026-{month:02d}-{day:02d}" if stage != "Contract Sent" else "",
                    reason,
                    notes,
                    "Acme" if reason == "Competitor" else "",
                    rng.choice(("HVAC", "Plumbing", "Retail")),
                    rng.choice(("East", "West")),
                    f"contact{rng.randint(0, 300_000)}@example.com",
                ]
            )


CHILD = """
import json, resource, sys, time
from pathlib import Path
from whyno import Store, import_crm_csv
url, path = sys.argv[1], Path(sys.argv[2])
store = Store.open(url)
start = time.perf_counter()
result = import_crm_csv(store, path)
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "read": result.read,
    "imported": result.imported, "unchanged": result.unchanged, "nos": result.nos}))
"""


def whyno_import(url: str, path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, url, str(path)], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    data: dict[str, float] = json.loads(out)
    return data


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def peer_sqlite(path: Path, rows: int) -> dict[str, float] | None:
    tool = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
    if not Path(tool).exists():
        return None
    db = OUT / "peer.db"
    db.unlink(missing_ok=True)
    seconds = timed([tool, "insert", str(db), "deals", str(path), "--csv"])
    return {"seconds": seconds, "rows_per_s": rows / seconds}


def peer_postgres(url: str, path: Path, rows: int) -> dict[str, float]:
    reset_postgres(url)
    columns = ", ".join(f'"{h}" text' for h in HEADERS)
    subprocess.run(["psql", url, "-qc", f"CREATE TABLE deals ({columns})"], check=True)
    seconds = timed(["psql", url, "-qc", f"\\copy deals FROM '{path}' CSV HEADER"])
    return {"seconds": seconds, "rows_per_s": rows / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="postgresql:// URL of a database the bench may wipe")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"export_{args.rows}.csv"
    if not path.exists():
        generate(path, args.rows)
    print(f"file: {path} ({path.stat().st_size / 1e6:.0f} MB, {args.rows} rows)")
    targets = [("sqlite", f"sqlite:///{OUT / 'bench.db'}")]
    if args.postgres:
        targets.append(("postgresql", args.postgres))
    for name, url in targets:
        if name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{OUT / 'bench.db'}{suffix}").unlink(missing_ok=True)
        else:
            reset_postgres(url)
        for run in ("first import", "re-import"):
            r = whyno_import(url, path)
            print(
                f"whyno {name:10} {run:12} {r['seconds']:6.1f} s"
                f"  {args.rows / r['seconds']:9,.0f} rows/s"
                f"  peak {r['peak_mb']:5.0f} MB  imported {r['imported']:.0f}"
                f"  unchanged {r['unchanged']:.0f}  no's {r['nos']:.0f}"
            )
    peer = peer_sqlite(path, args.rows)
    if peer:
        print(
            f"peer  sqlite-utils insert --csv (no validation)  {peer['seconds']:6.1f} s"
            f"  {peer['rows_per_s']:9,.0f} rows/s"
        )
    if args.postgres:
        peer = peer_postgres(args.postgres, path, args.rows)
        print(
            f"peer  psql \\copy (raw text, no validation)      {peer['seconds']:6.1f} s"
            f"  {peer['rows_per_s']:9,.0f} rows/s"
        )


if __name__ == "__main__":
    main()
