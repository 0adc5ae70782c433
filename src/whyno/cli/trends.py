"""`whyno trends`: which reasons rose or fell, with the test behind each finding."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from whyno.cli.common import console, open_store, print_json
from whyno.errors import InputError
from whyno.trends.analysis import Analysis, analyse

PeriodOpt = Annotated[str, typer.Option(help="month or quarter.")]
RecentOpt = Annotated[
    int | None, typer.Option(help="Recent window, in periods (default 6 months / 2 quarters).")
]
BaselineOpt = Annotated[
    int | None, typer.Option(help="Baseline window, in periods (default 12 months / 4 quarters).")
]


def run_analysis(
    ctx: typer.Context, period: str, recent: int | None, baseline: int | None
) -> Analysis:
    if period not in ("month", "quarter"):
        raise InputError(f"--period {period!r}: use month or quarter")
    sizes = None
    if recent is not None or baseline is not None:
        default_recent, default_baseline = (6, 12) if period == "month" else (2, 4)
        sizes = (recent or default_recent, baseline or default_baseline)
        if min(sizes) < 1:
            raise InputError("--recent and --baseline must be at least 1")
    return analyse(open_store(ctx), period, sizes=sizes)


def trends_cmd(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (findings that pass the test).")
    ] = False,
    period: PeriodOpt = "month",
    recent: RecentOpt = None,
    baseline: BaselineOpt = None,
) -> None:
    """Which reasons rose or fell in the recent window, and what to change."""
    analysis = run_analysis(ctx, period, recent, baseline)
    if as_json:
        print_json(analysis.trends_json())
        return
    shifts = analysis.shifts
    if shifts.window is None or not shifts.enough_evidence:
        console.print(
            "[yellow]Not enough evidence yet:[/yellow] fewer than 30 classified no's "
            "in the recent or baseline window. Keep logging no's (and run "
            "`whyno reasons apply`)."
        )
        return
    console.print(
        f"Recent {shifts.window.recent_label} against baseline "
        f"{shifts.window.baseline_label}: {shifts.tests} tests, "
        f"{len(shifts.findings)} findings (false discovery rate 5%)."
    )
    if not shifts.findings:
        console.print("No reason rose or fell beyond what chance explains.")
        return
    table = Table("#", "lever", "finding", "q", "what to change")
    for rec in analysis.recommendations:
        table.add_row(
            str(rec.rank),
            rec.lever_name,
            escape(rec.headline),
            f"{rec.finding.q_value:.2g}",
            escape(rec.suggestion),
        )
    console.print(table)
