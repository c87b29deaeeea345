"""Lines over time, one per platform in its colour: followers (with anomalies and forecasts)
and engagement rate."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, Mapping, Sequence

from dreamsuite import styles as st
from dreamsuite.components.charts_base import (Figure, count_format, day_label, empty_figure, esc, figure, iso_day,
                                               line_dashes, number, ordered, trace)
from dreamsuite.platforms import platform_label

NO_GROWTH = "No follower numbers yet.<br>They appear after your first sync."
NO_ENGAGEMENT = "No engagement numbers yet.<br>They appear once you have posted."

Series = Mapping[str, Sequence[tuple]]  # {platform: [(iso_date, value), ...]}


def _from_rows(rows: Iterable[dict]) -> dict[str, list[tuple]]:
    """The older call style: [{"date", "platform", "followers"}, ...]."""
    out: dict[str, list[tuple]] = {}
    for row in rows:
        out.setdefault(row["platform"], []).append((row["date"], row["followers"]))
    return out


def _clean(points: Iterable[Sequence]) -> list[tuple]:
    """(iso_date, value, *rest) oldest first, without missing values."""
    return sorted(((iso_day(p[0]), *p[1:]) for p in points if p[1] is not None), key=lambda p: p[0])


def _date_axis(days: set[str]) -> dict:
    axis = {"type": "date", "tickformat": "%-d %b", "hoverformat": "%-d %b %Y"}
    if len(days) == 1:  # one day: a week around it, not a range of hours
        d = date.fromisoformat(next(iter(days)))
        axis["range"] = [(d - timedelta(days=3)).isoformat(), (d + timedelta(days=3)).isoformat()]
    return axis


def _flat_range(values: list[float]) -> dict:
    """One value everywhere (a single day, or no change): a range around it with whole-number
    ticks, not plotly's ±1 with half-followers."""
    if not values or min(values) != max(values):
        return {}
    v = values[0]
    pad = max(10.0, abs(v) * 0.05)
    return {"range": [max(0.0, v - pad) if v >= 0 else v - pad, v + pad]}


def _band(traces: list[dict], platform: str, points: list[tuple], shown) -> None:
    """The forecast: a shaded band from lo to hi, and the mean as a dashed line."""
    label, color = platform_label(platform), st.platform_color(platform)
    xs = [p[0] for p in points]
    common = {"legendgroup": platform, "showlegend": False, "visible": shown}
    traces.append(trace("scatter", x=xs, y=[p[3] for p in points], mode="lines", line={"width": 0, "color": color},
                        hoverinfo="skip", name=f"{label} forecast high", **common))
    traces.append(trace("scatter", x=xs, y=[p[2] for p in points], mode="lines", line={"width": 0, "color": color},
                        fill="tonexty", fillcolor=st.rgba(color, st.band_opacity), hoverinfo="skip",
                        name=f"{label} forecast low", **common))
    traces.append(trace(
        "scatter",
        x=xs, y=[p[1] for p in points], mode="lines", name=f"{label} forecast",
        line={"width": 2, "color": color, "dash": "dash"},
        customdata=[[p[2], p[3]] for p in points],
        hovertemplate="forecast %{y:,.0f} (%{customdata[0]:,.0f}–%{customdata[1]:,.0f})<extra>" + esc(label)
                      + "</extra>",
        **common))


def _anomalies(traces: list[dict], platform: str, points: list[tuple], shown) -> None:
    """Spikes (▲ green) and drops (▼ red) on the platform's line, each explained on hover."""
    label = platform_label(platform)
    kinds = [p[2] for p in points]
    traces.append(trace(
        "scatter", x=[p[0] for p in points], y=[p[1] for p in points], mode="markers", name=f"{label} anomalies",
        legendgroup=platform, showlegend=False, visible=shown,
        marker={"size": 12, "symbol": ["triangle-down" if k == "drop" else "triangle-up" for k in kinds],
                "color": [st.chart_down if k == "drop" else st.chart_up for k in kinds],
                "line": {"width": 1.5, "color": st.chart_marker_edge}},
        hovertext=[f"{'Drop' if p[2] == 'drop' else 'Spike'} on {day_label(p[0])}: {number(p[1])}"
                   + (f"<br>{esc(p[3])}" if len(p) > 3 and p[3] else "") for p in points],
        hovertemplate="%{hovertext}<extra>" + esc(label) + "</extra>",
    ))


def growth_figure(series: Series | list[dict], *, visible: set[str] | None = None,
                  anomalies: Mapping[str, Sequence[tuple]] | None = None,
                  forecasts: Mapping[str, Sequence[tuple]] | None = None) -> Figure:
    """Followers over time, a line per platform in its colour (a lone day drawn as a point).

    `series` = {platform: [(iso_date, followers), ...]} (or the older [{"date", "platform",
    "followers"}] rows); `visible` = the platforms drawn (the others stay in the legend, hidden;
    None = all); `anomalies` = {platform: [(iso_date, value, "spike" | "drop", label)]};
    `forecasts` = {platform: [(iso_date, mean, lo, hi)]}, drawn dashed over a shaded band.
    """
    if not isinstance(series, Mapping):
        series = _from_rows(series or [])
    lines = {p: pts for p, pts in ((p, _clean(pts)) for p, pts in series.items()) if pts}
    if not lines:
        return empty_figure(NO_GROWTH)
    anomalies, forecasts = anomalies or {}, forecasts or {}
    platforms = ordered(lines)
    dashes = line_dashes(platforms)
    traces: list[dict] = []
    days, values = set(), []
    for p in platforms:
        shown = True if visible is None or p in visible else "legendonly"
        label, pts = platform_label(p), lines[p]
        ahead = _clean(forecasts.get(p) or [])
        if ahead:
            _band(traces, p, ahead, shown)
            days.update(x[0] for x in ahead)
            values.extend(x[3] for x in ahead)
        traces.append(trace(
            "scatter", x=[x[0] for x in pts], y=[x[1] for x in pts], name=label, legendgroup=p, visible=shown,
            mode="lines+markers" if len(pts) == 1 else "lines",
            line={"width": st.line_width, "color": st.platform_color(p), "dash": dashes[p]},
            marker={"size": 9, "color": st.platform_color(p)},
            hovertemplate="%{y:,.0f} followers<extra>" + esc(label) + "</extra>",
        ))
        marks = _clean(anomalies.get(p) or [])
        if marks:
            _anomalies(traces, p, marks, shown)
        days.update(x[0] for x in pts)
        values.extend(x[1] for x in pts)
    return figure(traces, st.chart_layout(hovermode="x unified", xaxis=_date_axis(days),
                                          yaxis={"tickformat": count_format(values), **_flat_range(values)}))


def engagement_figure(rows: Iterable[Sequence]) -> Figure:
    """Engagement rate over time, a line per platform in its colour.

    `rows` = [(iso_date, platform, rate_pct)]; a missing rate (None) leaves a gap.
    """
    by_platform: dict[str, list[tuple]] = {}
    for day, platform, rate in rows or []:
        by_platform.setdefault(platform, []).append((iso_day(day), rate))
    if not any(r is not None for pts in by_platform.values() for _, r in pts):
        return empty_figure(NO_ENGAGEMENT)
    platforms = ordered(p for p, pts in by_platform.items() if any(r is not None for _, r in pts))
    dashes = line_dashes(platforms)
    traces: list[dict] = []
    days = set()
    for p in platforms:
        pts = sorted(by_platform[p], key=lambda x: x[0])
        label, color = platform_label(p), st.platform_color(p)
        traces.append(trace(
            "scatter", x=[x[0] for x in pts], y=[x[1] for x in pts], name=label, legendgroup=p, connectgaps=False,
            mode="lines+markers" if sum(x[1] is not None for x in pts) == 1 else "lines",
            line={"width": st.line_width, "color": color, "dash": dashes[p]}, marker={"size": 9, "color": color},
            hovertemplate="%{y:.2f}%<extra>" + esc(label) + "</extra>",
        ))
        days.update(x[0] for x in pts)
    return figure(traces, st.chart_layout(hovermode="x unified", xaxis=_date_axis(days),
                                          yaxis={"ticksuffix": "%", "tickformat": ".1~f", "rangemode": "tozero"}))
