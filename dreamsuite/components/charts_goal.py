"""A goal's chart: the followers it counts, the stored forecast with its band, the target as a
horizontal line and the deadline as a vertical one. Pure: plain data in, plotly's figure JSON out
(a plain dict, see `charts_base`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Sequence

from dreamsuite import styles as st
from dreamsuite.components.charts_base import (Figure, count_format, day_label, empty_figure, esc, figure, iso_day,
                                               number, trace)
from dreamsuite.platforms import platform_label

NO_NUMBERS = "No follower numbers yet.<br>The chart appears after your first sync."
ALL_PLATFORMS = "All platforms"


def _points(rows: Sequence[Sequence] | None, width: int) -> list[tuple]:
    """(iso_date, values...) oldest first, rows with a missing or unreadable value left out."""
    out = []
    for row in rows or ():
        try:
            values = tuple(float(v) for v in row[1:width])
        except (TypeError, ValueError):
            continue
        if len(values) == width - 1:
            out.append((iso_day(row[0]), *values))
    return sorted(out, key=lambda p: p[0])


def goal_figure(series: Sequence[Sequence] | None, target: int | float,
                forecast: Sequence[Sequence] | None = None, *, platform: str | None = None,
                deadline: date | str | None = None, height: int = st.chart_height_goal) -> Figure:
    """Followers over time for one goal.

    `series` = [(iso_date, followers)]; `forecast` = [(iso_date, mean, lo, hi)] (only the days
    after the last known one are drawn); `platform` None means every platform added up (drawn in
    the accent colour); `deadline` adds a dotted vertical line when it is given.
    """
    line = _points(series, 2)
    if not line:
        return empty_figure(NO_NUMBERS, height)
    label = platform_label(platform) if platform else ALL_PLATFORMS
    color = st.platform_color(platform) if platform else st.chart_primary
    ahead = [p for p in _points(forecast, 4) if p[0] > line[-1][0]]
    traces = []
    if ahead:
        xs = [p[0] for p in ahead]
        traces.append(trace("scatter", x=xs, y=[p[3] for p in ahead], mode="lines", line={"width": 0, "color": color},
                            hoverinfo="skip", name="Forecast high", showlegend=False))
        traces.append(trace("scatter", x=xs, y=[p[2] for p in ahead], mode="lines", line={"width": 0, "color": color},
                            fill="tonexty", fillcolor=st.rgba(color, st.band_opacity), hoverinfo="skip",
                            name="Forecast low", showlegend=False))
        traces.append(trace(
            "scatter", x=xs, y=[p[1] for p in ahead], mode="lines", name="Forecast",
            line={"width": 2, "color": color, "dash": "dash"}, customdata=[[p[2], p[3]] for p in ahead],
            hovertemplate="forecast %{y:,.0f} (%{customdata[0]:,.0f}–%{customdata[1]:,.0f})<extra></extra>"))
    traces.append(trace(
        "scatter", x=[p[0] for p in line], y=[p[1] for p in line], name=label,
        mode="lines+markers" if len(line) == 1 else "lines",
        line={"width": st.line_width, "color": color}, marker={"size": 8, "color": color},
        hovertemplate="%{y:,.0f} followers<extra>" + esc(label) + "</extra>"))
    first, last = line[0][0], (ahead[-1][0] if ahead else line[-1][0])
    due = iso_day(deadline) if deadline else None
    if due and due > last:
        last = due
    traces.append(trace("scatter", x=[first, last], y=[target, target], mode="lines", name="Target",
                        line={"width": 1.5, "color": st.chart_target, "dash": "dot"}, hoverinfo="skip"))
    annotations = [{"x": last, "y": target, "xanchor": "right", "yanchor": "bottom", "showarrow": False,
                    "text": f"target {number(target)}", "font": {"size": 11, "color": st.chart_target}}]
    shapes = []
    if due:
        shapes.append({"type": "line", "x0": due, "x1": due, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"width": 1, "color": st.chart_deadline, "dash": "dot"}})
        annotations.append({"x": due, "y": 0, "yref": "paper", "xanchor": "right", "yanchor": "bottom",
                            "showarrow": False, "text": f"deadline {day_label(due)}",
                            "font": {"size": 10, "color": st.chart_deadline}})
    span = [first, last]
    if first == last:  # one day: a week around it, not a range of hours
        d = date.fromisoformat(first)
        span = [(d - timedelta(days=3)).isoformat(), (d + timedelta(days=3)).isoformat()]
    values = [p[1] for p in line] + [p[2] for p in ahead] + [p[3] for p in ahead] + [float(target)]
    low, high = min(values), max(values)
    pad = max(10.0, (high - low) * 0.08)
    layout = st.chart_layout(
        height, showlegend=False, hovermode="x unified",
        xaxis={"type": "date", "tickformat": "%-d %b", "hoverformat": "%-d %b %Y", "range": span},
        yaxis={"tickformat": count_format(values), "range": [max(0.0, low - pad), high + pad]})
    layout["annotations"] = annotations
    if shapes:
        layout["shapes"] = shapes
    return figure(traces, layout)
