"""Inline SVG charts. Pure functions: data in, an SVG string out (labels escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

LEVER_COLOURS = {
    "approach": ["#1f5fa8", "#4f8fd6", "#9cc3ee"],
    "product": ["#c4570e", "#e8843f", "#f4b183", "#f7cfae", "#a8430a"],
    "market": ["#2e7d32", "#5aa55e", "#96cc98", "#c9e6ca"],
    "fit": ["#6a3d9a"],
    "unknown": ["#9e9e9e"],
}


def colour_for(category: str, categories: Sequence[str]) -> str:
    lever = category.split(".")[0]
    same = [c for c in categories if c.split(".")[0] == lever]
    palette = LEVER_COLOURS.get(lever, ["#607d8b"])
    return palette[same.index(category) % len(palette)] if category in same else palette[0]


def stacked_shares(
    periods: Sequence[str],
    shares: dict[str, list[float]],
    categories: Sequence[str],
    width: int = 760,
    height: int = 260,
) -> str:
    """Stacked columns: each period's reason mix (shares sum to 1)."""
    left, bottom, top = 36, 40, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    step = plot_w / max(len(periods), 1)
    parts = [_svg_open(width, height, "Reason mix by period")]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" class="axis" text-anchor="end">{tick:.0%}</text>'
        )
    for i, period in enumerate(periods):
        x, base = left + i * step, float(top + plot_h)
        for category in categories:
            value = shares.get(category, [0.0] * len(periods))[i]
            h = value * plot_h
            base -= h
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{base:.1f}" width="{max(step - 2, 1):.1f}" '
                f'height="{h:.1f}" fill="{colour_for(category, categories)}">'
                f"<title>{escape(period)} {escape(category)}: {value:.0%}</title></rect>"
            )
        if len(periods) <= 12 or i % max(1, len(periods) // 12) == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" class="axis" '
                f'text-anchor="middle">{escape(period)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def share_line(
    periods: Sequence[str],
    values: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    recent: Sequence[str],
    colour: str = "#c4570e",
    width: int = 360,
    height: int = 140,
) -> str:
    """One reason's share per period, with its 95% interval and the recent window shaded."""
    left, bottom, top = 34, 22, 8
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max([*high, 0.05]) * 1.1
    step = plot_w / max(len(periods) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + plot_h * (1 - v / peak)

    parts = [_svg_open(width, height, "Share over time")]
    first_recent = next((i for i, p in enumerate(periods) if p in set(recent)), None)
    if first_recent is not None:
        x0 = xy(first_recent, 0)[0] - step / 2
        parts.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{left + plot_w - x0:.1f}" '
            f'height="{plot_h}" class="recent"/>'
        )
    band = [xy(i, v) for i, v in enumerate(high)] + [
        xy(i, v) for i, v in reversed(list(enumerate(low)))
    ]
    parts.append(f'<polygon points="{_points(band)}" fill="{colour}" opacity="0.18"/>')
    parts.append(
        f'<polyline points="{_points([xy(i, v) for i, v in enumerate(values)])}" '
        f'fill="none" stroke="{colour}" stroke-width="2"/>'
    )
    for tick in (0.0, peak / 2, peak):
        y = xy(0, tick)[1]
        parts.append(
            f'<text x="{left - 3}" y="{y + 3:.1f}" class="axis" text-anchor="end">{tick:.0%}</text>'
        )
    for i in (0, len(periods) - 1):
        parts.append(
            f'<text x="{xy(i, 0)[0]:.1f}" y="{height - 6}" class="axis" '
            f'text-anchor="{"start" if i == 0 else "end"}">{escape(periods[i])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bars(
    items: Sequence[tuple[str, float, tuple[float, float] | None]],
    colour: str = "#1f5fa8",
    width: int = 520,
    row: int = 22,
) -> str:
    """Horizontal bars for shares in [0, 1], with an optional 95% interval whisker."""
    label_w, height = 170, row * len(items) + 8
    plot_w = width - label_w - 50
    parts = [_svg_open(width, height, "Shares")]
    for i, (label, value, ci) in enumerate(items):
        y = 4 + i * row
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row / 2 + 4:.1f}" class="axis" '
            f'text-anchor="end">{escape(label[:28])}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{value * plot_w:.1f}" '
            f'height="{row - 8}" fill="{colour}"/>'
        )
        if ci:
            x1, x2 = label_w + ci[0] * plot_w, label_w + ci[1] * plot_w
            mid = y + row / 2
            parts.append(
                f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" class="ci"/>'
            )
        parts.append(
            f'<text x="{label_w + value * plot_w + 4:.1f}" y="{y + row / 2 + 4:.1f}" '
            f'class="axis">{value:.0%}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _svg_open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
    )
