"""Calibration of whyno's findings: how often they cry wolf, how often they see a real change.

Issue 16. Simulated catalogs, no database: each catalog has ``PERIODS``
quarters of no's with the demo company's base reason mix (the taxonomy's 13
categories with a reason, ``whyno.demo.company.BASE_REASONS``) and two segment
fields (industry, 4 values with unequal weights and their own reason mixes;
size, 3 values). Every catalog is run through ``detect_shifts``, the function
``whyno trends`` and the report use.

- **null**: the same mix every quarter (sampling noise only). A catalog with
  any finding is a false alarm.
- **shift**: one category gains +5, +10 or +20 points in the last quarter
  only (everyone, or in one industry only); power is the share of catalogs
  where that category is found rising (in that segment, or for everyone).

For insights (``whyno coach insights``), simulated deals with the ten
behaviours: null (behaviours independent of the outcome) and one behaviour
that moves the win rate by 10, 20 or 30 points.

    .venv/bin/python -m bench.trends_calibration --catalogs 100
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from whyno import stats
from whyno.coach import insights
from whyno.demo.company import BASE_REASONS
from whyno.trends.shifts import Counts, ShiftReport, Slice, detect_shifts

PERIODS = [f"{year}-Q{q}" for year in (2025, 2026) for q in (1, 2, 3, 4)]
SIZES = (20, 50, 150, 1000)
DEALS = (50, 150, 500, 1000)
SHIFTS = (0.05, 0.10, 0.20)
INDUSTRIES = {"software": 4.0, "retail": 3.0, "health": 2.0, "logistics": 1.0}
COMPANY_SIZES = {"small": 5.0, "mid": 3.0, "large": 2.0}
Case = TypeVar("Case")
TARGET = "product.price"  # the category that shifts
SEGMENT = ("industry", "retail")  # where a one-segment shift happens


@dataclass(frozen=True)
class Scenario:
    shift: float = 0.0
    segment_only: bool = False


def _industry_mix(rng: random.Random) -> dict[str, dict[str, float]]:
    """Each industry's own (fixed over time) reason mix: the base mix, perturbed."""
    return {
        industry: {c: w * rng.uniform(0.6, 1.4) for c, w in BASE_REASONS.items()}
        for industry in INDUSTRIES
    }


def _shifted(mix: dict[str, float], shift: float) -> dict[str, float]:
    """The mix with TARGET's share raised by ``shift`` points, the others scaled down."""
    total = sum(mix.values())
    shares = {c: w / total for c, w in mix.items()}
    old = shares[TARGET]
    new = min(0.95, old + shift)
    scale = (1 - new) / (1 - old)
    return {c: (new if c == TARGET else s * scale) for c, s in shares.items()}


def simulate(size: int, scenario: Scenario, rng: random.Random) -> list[Slice]:
    """One catalog: ``size`` no's a quarter, as the slices ``whyno trends`` tests."""
    mixes = _industry_mix(rng)
    tables: dict[tuple[str | None, str | None], Counts] = {}
    last = PERIODS[-1]
    for period in PERIODS:
        for _ in range(size):
            industry = rng.choices(list(INDUSTRIES), list(INDUSTRIES.values()))[0]
            company = rng.choices(list(COMPANY_SIZES), list(COMPANY_SIZES.values()))[0]
            mix = mixes[industry]
            if (
                period == last
                and scenario.shift
                and (not scenario.segment_only or industry == SEGMENT[1])
            ):
                mix = _shifted(mix, scenario.shift)
            category = rng.choices(list(mix), list(mix.values()))[0]
            for key in ((None, None), ("industry", industry), ("size", company)):
                counts = tables.setdefault(key, {})
                n, revenue = counts.get((period, category), (0, 0.0))
                counts[(period, category)] = (n + 1, revenue + 10_000.0)
    return [Slice(f, v, counts) for (f, v), counts in tables.items()]


def _found(report: ShiftReport, scenario: Scenario) -> bool:
    """The shifted reason found rising: for everyone, or (one-segment shift) in that segment."""
    wanted = [None, {SEGMENT[0]: SEGMENT[1]}] if scenario.segment_only else [None]
    return any(
        f.category == TARGET and f.direction == "up" and f.segment in wanted
        for f in report.findings
    )


def _rate(trials: int, trial: Callable[[], bool]) -> str:
    """The share of ``trials`` where ``trial()`` is true, with its 95% Wilson interval."""
    hits = sum(trial() for _ in range(trials))
    low, high = stats.wilson(hits, trials)
    return f"{hits / trials:.1%} ({low:.1%}-{high:.1%})"


def _rows(
    sizes: tuple[int, ...],
    cases: Sequence[Case],
    seed: int,
    trials: Callable[[Case], int],
    trial: Callable[[int, Case, random.Random], bool],
) -> None:
    """One table row a size: the rate of each case, each from its own seeded generator."""
    for size in sizes:
        cells = []
        for index, case in enumerate(cases):
            rng = random.Random(seed * 1000 + size * 10 + index)
            cells.append(_rate(trials(case), partial(trial, size, case, rng)))
        print(f"| {size} | " + " | ".join(cells) + " |")
    print()


def _trends_trial(size: int, scenario: Scenario, rng: random.Random) -> bool:
    report = detect_shifts(simulate(size, scenario, rng), "quarter")
    return _found(report, scenario) if scenario.shift else bool(report.findings)


def run_trends(catalogs: int, null_catalogs: int, seed: int, sizes: tuple[int, ...]) -> None:
    print("## trends: per-catalog false alarms (null) and power (shift in the last quarter)")
    print(
        f"{null_catalogs} null catalogs, {catalogs} catalogs a shift; {len(PERIODS)} quarters; "
        "recent windows 1 and 2 quarters, baseline 4; 95% intervals\n"
    )
    print("| no's a quarter | false alarms | +5 pts | +10 pts | +20 pts | +20 pts, one segment |")
    print("| --- | --- | --- | --- | --- | --- |")
    scenarios = [Scenario(), *(Scenario(s) for s in SHIFTS), Scenario(0.20, True)]
    _rows(sizes, scenarios, seed, lambda s: catalogs if s.shift else null_catalogs, _trends_trial)


def _deals(
    n: int, effect: float, rng: random.Random
) -> dict[int, tuple[str, list[dict[str, object]]]]:
    """``n`` deals with one call each; 'pressure' lowers the win rate by ``effect``."""
    out: dict[int, tuple[str, list[dict[str, object]]]] = {}
    for deal in range(n):
        heard_no = rng.random() < 0.6
        metrics: dict[str, object] = {
            "labels": int(rng.random() < 0.4),
            "mirrors": int(rng.random() < 0.3),
            "no_oriented_questions": int(rng.random() < 0.2),
            "calibrated_share": rng.random(),
            "going_for_no": int(rng.random() < 0.2),
            "pressure": int(rng.random() < 0.3),
            "talk_ratio_words": rng.uniform(0.2, 0.8),
            "rejections_heard": int(heard_no),
            "asked_why": heard_no and rng.random() < 0.5,
            "accepted_no": heard_no and rng.random() < 0.5,
            "pushes_after_no": int(heard_no and rng.random() < 0.3),
        }
        rate = 0.4 - (effect / 2 if metrics["pressure"] else -effect / 2)
        won = rng.random() < rate
        out[deal] = ("won" if won else "lost", [metrics])
    return out


def _insights_trial(size: int, effect: float, rng: random.Random) -> bool:
    deals = _deals(size, effect, rng)
    won = {d for d, (status, _) in deals.items() if status == "won"}
    verdicts = {f.behaviour: f.verdict for f in insights.compare(deals, won)}
    if not effect:
        return any(v.startswith("goes with") for v in verdicts.values())
    return verdicts["pressure"] == "goes with losing"


def run_insights(teams: int, null_teams: int, seed: int, sizes: tuple[int, ...]) -> None:
    print("## coach insights: per-team false alarms (null) and power (pressure moves the win rate)")
    print(
        f"{null_teams} null teams, {teams} teams an effect; one call a deal; "
        "base win rate 40%; 95% intervals\n"
    )
    print("| deals | false alarms | 10 pts | 20 pts | 30 pts |")
    print("| --- | --- | --- | --- | --- |")
    effects = (0.0, 0.10, 0.20, 0.30)
    _rows(sizes, effects, seed, lambda e: teams if e else null_teams, _insights_trial)


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(","))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogs", type=int, default=100, help="catalogs (teams) a shift")
    parser.add_argument(
        "--null-catalogs", type=int, default=1000, help="catalogs (teams) with no change"
    )
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--sizes", type=_sizes, default=SIZES, help="no's a quarter")
    parser.add_argument("--deals", type=_sizes, default=DEALS, help="deals a team (insights)")
    parser.add_argument("--only", choices=("trends", "insights"), default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.only in (None, "trends"):
        run_trends(args.catalogs, args.null_catalogs, args.seed, args.sizes)
    if args.only in (None, "insights"):
        run_insights(args.catalogs, args.null_catalogs, args.seed, args.deals)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
