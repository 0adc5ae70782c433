"""Benchmark: `whyno trends` and `whyno report` on 1,000,000 no's (SQLite and PostgreSQL).

Builds a catalog of 1,000,000 lost deals over 24 months (6 industries, 4 sizes,
4 regions, 3 products, 60 sellers, CRM picklist reasons with one real shift),
imports it with `whyno import`, gives every no its main reason from the
picklist (as `whyno reasons apply` does for picklist values), then times the
two commands end to end as a user runs them (a fresh process each, three runs).

    .venv/bin/python -m bench.trends_1m --rows 1000000 \
        --postgres postgresql://whyno:whyno@127.0.0.1:5432/whyno_bench
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

OUT = Path(__file__).parent / "out"
REASONS = [
    "Price",
    "Competitor",
    "Timing",
    "No Budget",
    "Missing Feature",
    "Not a Fit",
    "No Decision",
    "Integration",
    "Other",
]
MAIN = {
    "Price": "product.price",
    "Competitor": "market.competitor",
    "Timing": "market.timing",
    "No Budget": "market.budget",
    "Missing Feature": "product.capability",
    "Not a Fit": "fit.not_a_fit",
    "No Decision": "market.status_quo",
    "Integration": "product.integration",
    "Other": "unknown.no_reason",
}


def generate(path: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Id",
                "Stage",
                "Amount",
                "Close Date",
                "Loss Reason",
                "Industry",
                "Company Size",
                "Region",
                "Product",
                "Owner",
            ]
        )
        for i in range(rows):
            month = rng.randint(1, 24)
            weights = [3.0 if r == "Competitor" and month >= 18 else 1.0 for r in REASONS]
            writer.writerow(
                [
                    f"L{i:08d}",
                    "Closed Lost",
                    rng.randint(500, 90_000),
                    f"{2025 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}"
                    f"-{rng.randint(1, 28):02d}",
                    rng.choices(REASONS, weights)[0],
                    rng.choice(
                        ("HVAC", "Plumbing", "Electrical", "Landscaping", "Cleaning", "Retail")
                    ),
                    rng.choice(("1-10", "11-50", "51-200", "201-1000")),
                    rng.choice(("West", "Central", "East", "Canada")),
                    rng.choice(("Core", "Pro", "Enterprise")),
                    f"Seller {rng.randint(1, 60)}",
                ]
            )


def whyno(db: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "whyno", "--db", db, *args], check=True, capture_output=True
    )
    return time.perf_counter() - start


def prepare(name: str, db: str, export: Path) -> None:
    if name == "postgresql":
        engine = create_engine(db.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    seconds = whyno(db, "import", str(export))
    url = db if "://" in db else f"sqlite:///{db}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        for reason, category in MAIN.items():
            connection.execute(
                text("UPDATE nos SET main_category = :c WHERE crm_reason = :r"),
                {"c": category, "r": reason},
            )
        if name == "postgresql":
            connection.execute(text("ANALYZE"))
    engine.dispose()
    print(f"{name}: imported {export.name} in {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    export = OUT / f"lost_{args.rows}.csv"
    if not export.exists():
        generate(export, args.rows)
    targets = [("sqlite", str(OUT / "trends.db"))]
    if args.postgres:
        targets.append(("postgresql", args.postgres))
    for name, db in targets:
        prepare(name, db, export)
        trends = [whyno(db, "trends", "--json") for _ in range(3)]
        report = [whyno(db, "report", "--out", str(OUT / f"report-{name}.html")) for _ in range(3)]
        print(
            f"{name}: whyno trends --json  runs {', '.join(f'{t:.2f}' for t in trends)} s"
            f"  (median {statistics.median(trends):.2f} s)"
        )
        print(
            f"{name}: whyno report         runs {', '.join(f'{t:.2f}' for t in report)} s"
            f"  (median {statistics.median(report):.2f} s)"
        )


if __name__ == "__main__":
    main()
