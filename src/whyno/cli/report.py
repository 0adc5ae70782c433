"""`whyno report`: the analysis as one self-contained HTML file, plus a terminal summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from whyno.cli.common import console
from whyno.cli.trends import AsOfOpt, BaselineOpt, PeriodOpt, RecentOpt, run_analysis
from whyno.report.render import write_report


def report_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Where to write the HTML report.")] = Path(
        "report.html"
    ),
    period: PeriodOpt = "month",
    recent: RecentOpt = None,
    baseline: BaselineOpt = None,
    title: Annotated[str, typer.Option(help="The report's title.")] = "Why we lose",
    as_of: AsOfOpt = None,
) -> None:
    """Write the report (what to change, reason mix, segments, learning gaps, method)."""
    analysis = run_analysis(ctx, period, recent, baseline, as_of)
    path = write_report(analysis, out, title)
    for rec in analysis.recommendations[:5]:
        console.print(f"  {rec.rank}. {escape(f'[{rec.lever_name}]')} {escape(rec.headline)}")
    if not analysis.recommendations:
        console.print("  No reason rose or fell beyond chance (or not enough evidence yet).")
    console.print(f"Report written to {escape(str(path.resolve()))}")
