"""Small static SVG charts for the printable report: no script, no fonts to fetch, crisp on
paper. Every label is escaped; colours are the design tokens and the platforms' own."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Mapping, Sequence

from dreamsuite import styles as st
from dreamsuite.platforms import platform_label

W, H = 720, 260
PAD_L, PAD_R, PAD_T, PAD_B = 64, 16, 12, 28
FONT = f"font-family=\"{escape(st.chart_font)}\" font-size=\"11\" fill=\"{st.GRAY_HEX[11]}\""


def _short(n: float) -> str:
    a = abs(n)
    if a >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if a >= 10_000:
        return f"{n / 1000:.0f}k"
    if a >= 1000:
        return f"{n / 1000:.1f}k"
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:.1f}"


def _day(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {d:%b %Y}"


def line_chart(series: Mapping[str, Sequence[Sequence]], title: str) -> str:
    """Followers per platform over the range, a line each in the platform's colour, all on one
    axis from 0 (so a small platform looks small, as it is)."""
    lines = {p: [(str(d)[:10], float(v)) for d, v in pts if v is not None] for p, pts in series.items()}
    lines = {p: pts for p, pts in lines.items() if pts}
    if not lines:
        return f"<p class=\"empty\">{escape(title)}: no numbers in this range.</p>"
    days = sorted({d for pts in lines.values() for d, _ in pts})
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    span = max(1, (last - first).days)
    top = max(v for pts in lines.values() for _, v in pts) * 1.08 or 1
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def x(d: str) -> float:
        return PAD_L + plot_w * (date.fromisoformat(d) - first).days / span

    def y(v: float) -> float:
        return PAD_T + plot_h * (1 - v / top)

    parts = [f"<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{escape(title)}\" class=\"chart\">"]
    for i in range(5):
        v = top * i / 4
        parts.append(f"<line x1=\"{PAD_L}\" x2=\"{W - PAD_R}\" y1=\"{y(v):.1f}\" y2=\"{y(v):.1f}\" "
                     f"stroke=\"{st.GRAY_HEX[5]}\" stroke-width=\"1\"/>")
        parts.append(f"<text x=\"{PAD_L - 6}\" y=\"{y(v) + 4:.1f}\" text-anchor=\"end\" {FONT}>{_short(v)}</text>")
    parts.append(f"<text x=\"{PAD_L}\" y=\"{H - 8}\" {FONT}>{escape(_day(days[0]))}</text>")
    parts.append(f"<text x=\"{W - PAD_R}\" y=\"{H - 8}\" text-anchor=\"end\" {FONT}>{escape(_day(days[-1]))}</text>")
    for platform, pts in lines.items():
        color = escape(st.platform_color(platform))
        if len(pts) == 1:
            d, v = pts[0]
            parts.append(f"<circle cx=\"{x(d):.1f}\" cy=\"{y(v):.1f}\" r=\"4\" fill=\"{color}\"/>")
            continue
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in pts)
        parts.append(f"<polyline points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" "
                     f"stroke-linejoin=\"round\"><title>{escape(platform_label(platform))}</title></polyline>")
    parts.append("</svg>")
    legend = "".join(f"<span class=\"key\"><i style=\"background:{escape(st.platform_color(p))}\"></i>"
                     f"{escape(platform_label(p))}</span>" for p in lines)
    return "".join(parts) + f"<div class=\"legend\">{legend}</div>"


def bar_chart(items: Sequence[tuple[str, float, str]], title: str, suffix: str = "") -> str:
    """Horizontal bars: [(label, value, colour)], largest first, the value written at the end."""
    items = [(str(n), float(v), c) for n, v, c in items if v is not None]
    if not items:
        return f"<p class=\"empty\">{escape(title)}: nothing to compare yet.</p>"
    row, label_w = 26, 170
    height = PAD_T + row * len(items) + 8
    top = max(v for _, v, _ in items) or 1
    bar_w = W - label_w - 80
    parts = [f"<svg viewBox=\"0 0 {W} {height}\" role=\"img\" aria-label=\"{escape(title)}\" class=\"chart\">"]
    for i, (name, v, color) in enumerate(items):
        y = PAD_T + i * row
        w = max(1.0, bar_w * max(0.0, v) / top)
        shown = name if len(name) <= 26 else name[:25] + "…"
        parts.append(f"<text x=\"{label_w - 8}\" y=\"{y + 15}\" text-anchor=\"end\" {FONT}>{escape(shown)}</text>")
        parts.append(f"<rect x=\"{label_w}\" y=\"{y + 3}\" width=\"{w:.1f}\" height=\"{row - 8}\" rx=\"3\" "
                     f"fill=\"{escape(color)}\"/>")
        parts.append(f"<text x=\"{label_w + w + 6:.1f}\" y=\"{y + 15}\" {FONT}>"
                     f"{escape(_short(v) + suffix)}</text>")
    parts.append("</svg>")
    return "".join(parts)
