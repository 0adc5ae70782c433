"""`whyno trends`: which reasons rose or fell, with the test behind each finding."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from whyno.cli.common import console, open_store, print_json
from whyno.errors import InputError
from whyno.trends.analysis import Analysis, analyse, check_window
from whyno.trends.shifts import WINDOWS

PeriodOpt = Annotated[str, typer.Option(help="month or quarter.")]
RecentOpt = Annotated[
    int | None, typer.Option(help="Recent window, in periods (default 6 months / 2 quarters).")
]
BaselineOpt = Annotated[
    int | None, typer.Option(help="Baseline window, in periods (default 12 months / 4 quarters).")
]


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Analyse as on this day (YYYY-MM-DD; default today): the period holding it is "
        "not over, so it is shown but not tested.",
    ),
]


def run_analysis(
    ctx: typer.Context,
    period: str,
    recent: int | None,
    baseline: int | None,
    as_of: str | None = None,
) -> Analysis:
    sizes = None
    if recent is not None or baseline is not None:
        default_recent, default_baseline = WINDOWS.get(period, (6, 12))
        sizes = (recent or default_recent, baseline or default_baseline)
    today = None
    if as_of is not None:
        try:
            today = dt.date.fromisoformat(as_of)
        except ValueError:
            raise InputError(f"--as-of {as_of!r}: use a date like 2026-12-31") from None
    try:
        check_window(period, sizes)
    except InputError as error:
        raise InputError(f"{error} (--period, --recent, --baseline)") from None
    return analyse(open_store(ctx), period, sizes=sizes, today=today)


def trends_cmd(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (findings that pass the test).")
    ] = False,
    period: PeriodOpt = "month",
    recent: RecentOpt = None,
    baseline: BaselineOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Which reasons rose or fell in the recent window, and what to change."""
    analysis = run_analysis(ctx, period, recent, baseline, as_of)
    if as_json:
        print_json(analysis.trends_json())
        return
    shifts = analysis.shifts
    if shifts.window is not None and shifts.window.partial:
        console.print(
            f"[dim]{', '.join(shifts.window.partial)} is not over yet: shown in the report, "
            f"not tested (last complete {period}: {analysis.last_complete}).[/dim]"
        )
    if shifts.window is None or not shifts.enough_evidence:
        console.print(
            "[yellow]Not enough evidence yet to say what changed:[/yellow] fewer than 30 "
            "classified no's in the recent or baseline window. Keep logging no's (and run "
            "`whyno reasons apply`). What we have heard so far:"
        )
        print_mix(analysis)
        return
    console.print(
        f"Recent {shifts.window.recent_label} (and its last {period}s) against baseline "
        f"{shifts.window.baseline_label}: {shifts.tests} tests in one family, "
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


def print_mix(analysis: Analysis) -> None:
    """Plain counts and shares with 95% intervals: useful at any catalog size."""
    if not analysis.mix:
        console.print("No classified, dated no's yet.")
        return
    total = sum(share.nos for share in analysis.mix)
    table = Table("reason", "no's", "share", "95% interval", title=f"{total} classified no's")
    for share in analysis.mix:
        table.add_row(
            escape(share.label),
            str(share.nos),
            f"{share.share:.0%}",
            f"{share.low:.0%}-{share.high:.0%}",
        )
    console.print(table)
