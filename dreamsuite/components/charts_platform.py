"""Charts of one platform's own numbers: a metric (or a few) over time, and a breakdown as bars.
Each builder returns plotly's figure JSON as a plain dict (see `charts_base`)."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from dreamsuite import styles as st
from dreamsuite.components.charts_base import Figure, count_format, empty_figure, esc, figure, iso_day, trace

NO_METRIC = "No numbers in this range yet."
SUFFIX = {"%": "%", "hours": " h", "min": " min", "/100": ""}
_LABEL_CHARS = 22


def _palette(platform: str) -> list[str]:
    return [st.platform_color(platform), st.chart_secondary, st.chart_primary, st.chart_down]


def metric_figure(series: Mapping[str, Sequence[tuple]], platform: str, unit: str = "", step: str = "day",
                  height: int = st.chart_height_sm + 40) -> Figure:
    """One of a platform's numbers over time, a line per metric (the first in the platform's
    colour). `series` = {label: [(iso_date, value)]}; `step` says whether a point is a day or a
    week (the hover says which)."""
    lines = {k: sorted(((iso_day(d), v) for d, v in pts if v is not None), key=lambda p: p[0])
             for k, pts in (series or {}).items()}
    lines = {k: v for k, v in lines.items() if v}
    if not lines:
        return empty_figure(NO_METRIC, height)
    suffix = SUFFIX.get(unit, f" {unit}" if unit else "")
    traces = []
    values: list[float] = []
    when = "week of %{x|%-d %b %Y}" if step == "week" else "%{x|%-d %b %Y}"
    digits = ",.0f" if unit in ("", "/100") else ",.1f"
    for (label, pts), color in zip(lines.items(), _palette(platform) * 2):
        traces.append(trace(
            "scatter", x=[p[0] for p in pts], y=[p[1] for p in pts], name=esc(label),
            mode="lines+markers" if len(pts) <= 2 else "lines",
            line={"width": st.line_width, "color": color}, marker={"size": 7, "color": color},
            hovertemplate=f"{when}: %{{y:{digits}}}{esc(suffix)}<extra>{esc(label)}</extra>",
        ))
        values += [p[1] for p in pts]
    yaxis = {"rangemode": "tozero", "ticksuffix": suffix}
    if unit in ("", "/100"):
        yaxis["tickformat"] = count_format(values)
    return figure(traces, st.chart_layout(height, showlegend=len(lines) > 1, hovermode="x unified",
                                          xaxis={"type": "date", "tickformat": "%-d %b"}, yaxis=yaxis))


def breakdown_figure(items: Iterable[Sequence], kind: str = "share", hours: bool = False) -> Figure:
    """Groups as bars: `items` = [(name, value)], shares as fractions of 1 (kind "share", shown
    in %) or counts (kind "count"). Hours of the day stand up in order; the rest lie down,
    largest first."""
    items = [(str(n), float(v)) for n, v in items or [] if v is not None and v > 0]
    if not items:
        return empty_figure(NO_METRIC, st.chart_height_sm)
    share = kind == "share"
    values = [v * 100 if share else v for _, v in items]
    names = [n if len(n) <= _LABEL_CHARS else n[:_LABEL_CHARS - 1] + "…" for n, _ in items]
    text = [f"{v:.0f}%" if share else f"{v:,.0f}" for v in values]
    fmt = "%{y:.1f}%" if hours else "%{x:.1f}%" if share else "%{x:,.0f}"
    bar = trace(
        "bar", x=[esc(n) for n in names] if hours else values, y=values if hours else [esc(n) for n in names],
        orientation="v" if hours else "h", marker={"color": st.chart_primary},
        text=None if hours else text, textposition="outside", cliponaxis=False,
        customdata=[[esc(n)] for n, _ in items], hovertemplate="%{customdata[0]}: " + fmt + "<extra></extra>",
    )
    value_axis = {"rangemode": "tozero", "range": [0, max(values) * 1.25], "nticks": 3,
                  **({"ticksuffix": "%"} if share else {"tickformat": count_format(values)})}
    category_axis = {"showgrid": False, "type": "category", "nticks": 0}
    if hours:
        category_axis["nticks"] = 8
    else:
        category_axis.update(autorange="reversed", dtick=1)
    height = st.chart_height_sm if hours else max(st.chart_height_sm - 60, 60 + 30 * len(items))
    return figure([bar], st.chart_layout(height, showlegend=False, bargap=0.25,
                                         xaxis=category_axis if hours else value_axis,
                                         yaxis=value_axis if hours else category_axis))


__all__ = ["breakdown_figure", "metric_figure"]
