"""Turn an Analysis into the report's HTML (presentation only: no analysis here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from whyno.report import charts
from whyno.trends import shifts as shift_method
from whyno.trends.analysis import Analysis

MAX_MIX_CATEGORIES = 14


def environment() -> Environment:
    """The report templates, with every value HTML-escaped."""
    return Environment(
        loader=PackageLoader("whyno.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(analysis: Analysis, title: str = "Why we lose") -> str:
    template = environment().get_template("report.html.j2")
    return template.render(title=title, **_context(analysis))


def write_report(analysis: Analysis, out: Path, title: str = "Why we lose") -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(analysis, title), encoding="utf-8")
    return out


def _context(a: Analysis) -> dict[str, Any]:
    labels = {c.id: c.label for c in a.taxonomy}
    categories = [c.id for c in a.taxonomy]
    gap_total = sum(g.gaps for g in a.gaps_by_month)
    gap_nos = sum(g.nos for g in a.gaps_by_month)
    window = a.shifts.window
    return {
        "a": a,
        "labels": labels,
        "window": window,
        "headline": {
            "nos": a.nos,
            "lost_revenue": a.lost_revenue,
            "gap_share": gap_total / gap_nos if gap_nos else 0.0,
            "findings": len(a.shifts.findings),
        },
        "mix_chart": _mix_chart(a, categories),
        "revenue_chart": charts.stacked_shares(
            list(a.revenue_series),
            {c: [a.revenue_series[p].get(c, 0.0) for p in a.revenue_series] for c in categories},
            categories,
        ),
        "legend": [(c, labels[c], charts.colour_for(c, categories)) for c in categories],
        "recommendations": [_recommendation(a, r, categories) for r in a.recommendations],
        "segments": _segments(a, labels),
        "gap_chart": charts.bars([(g.key, g.share, g.ci) for g in a.gaps_by_seller], "#9e9e9e"),
        "gap_months": a.gaps_by_month[-12:],
        "method": shift_method.__doc__ or "",
        "mix_total": sum(share.nos for share in a.mix),
        "partial_label": ", ".join(window.partial) if window else "",
        "partial_nos": sum(share.nos for share in a.partial),
    }


def _mix_chart(a: Analysis, categories: list[str]) -> str:
    periods = list(a.series)
    shares = {
        c: [a.series[p].get(c, (0, 1))[0] / max(_total(a.series[p]), 1) for p in periods]
        for c in categories[:MAX_MIX_CATEGORIES]
    }
    return charts.stacked_shares(periods, shares, categories)


def _total(cell: dict[str, tuple[int, int]]) -> int:
    return next(iter(cell.values()))[1] if cell else 0


def _recommendation(a: Analysis, rec: Any, categories: list[str]) -> dict[str, Any]:
    trend = rec.trend
    if trend is None or not trend.periods:
        return {"rec": rec, "f": rec.finding, "chart": ""}
    recent = a.shifts.window.recent if a.shifts.window else []
    colour = charts.colour_for(rec.category, categories)
    chart = charts.share_line(trend.periods, trend.shares, trend.low, trend.high, recent, colour)
    return {"rec": rec, "f": rec.finding, "chart": chart}


def _segments(a: Analysis, labels: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for field_name, values in a.segments.items():
        rows = []
        for value, mix in sorted(values.items(), key=lambda kv: -sum(kv[1].values())):
            n = sum(mix.values())
            if not n:
                continue
            top = sorted(mix.items(), key=lambda kv: -kv[1])[:3]
            rows.append(
                {"value": value, "n": n, "top": [(labels.get(c, c), k / n) for c, k in top]}
            )
        out.append({"field": field_name, "rows": rows[:12]})
    return out
