"""The Promotion page's charts: pure builders from the read-model's plain rows to plotly's figure
JSON (`{"data": [...], "layout": {...}}`, see charts_base).

Money charts take one currency: amounts in two currencies never share an axis (the page has a
currency switcher). Names from the ad platforms are escaped before plotly reads them (its
labels understand a few HTML tags).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Iterable, Mapping

from plotly.colors import hex_to_rgb
from babel.numbers import get_currency_symbol

from dreamsuite import styles as st
from dreamsuite.analytics.money import minor_units
from dreamsuite.components.charts_base import Figure, day_label, empty_figure, esc, figure, trace

NO_SPEND = "No ad spend or shop sales in this range."
NO_ROAS = "No ad spend in this range."
NO_FATIGUE = "No tired creative: every creative's click-through<br>rate holds up against its first week."
NO_FORECAST = "No forecast yet: it needs 14 days of numbers<br>and the daily analysis."
MERCH_COLOR = st.chart_secondary
REVENUE_COLOR = st.chart_up
FATIGUE_COLORS = st.chart_series


def _close(a: str, b: str) -> bool:
    """Whether two colours are too alike to tell two stacked bars apart (RGB distance under 80)."""
    try:
        ra, rb = hex_to_rgb(a), hex_to_rgb(b)
    except (ValueError, TypeError):
        return False
    return sum((x - y) ** 2 for x, y in zip(ra, rb)) ** 0.5 < 80


def symbol(currency: str) -> str:
    return get_currency_symbol(currency, locale="en")


def _money_axis(currency: str) -> dict:
    digits = minor_units(currency)
    return {"tickprefix": symbol(currency), "tickformat": ",.0f" if digits == 0 else ",.3~s",
            "rangemode": "tozero"}


def _hover(currency: str) -> str:
    return symbol(currency) + ("%{y:,.0f}" if minor_units(currency) == 0 else "%{y:,.2f}")


def _date_axis(days: Iterable[str]) -> dict:
    axis = {"type": "date", "tickformat": "%-d %b", "hoverformat": "%-d %b %Y"}
    days = sorted(set(days))
    if len(days) == 1:
        d = date.fromisoformat(days[0])
        axis["range"] = [(d - timedelta(days=3)).isoformat(), (d + timedelta(days=3)).isoformat()]
    return axis


def _line(pts: list[tuple], name: str, line: dict, hover: str) -> dict:
    """A money line over days, named in the legend and on hover."""
    return trace("scatter", x=[p[0] for p in pts], y=[p[1] for p in pts], name=name, mode="lines", line=line,
                 hovertemplate=hover + "<extra>" + name + "</extra>")


def _spend_bars(spend: Mapping[int, Mapping[str, float]], channels: Mapping[int, tuple[str, str]],
                hover: str) -> list[dict]:
    """A bar series per channel, by label; a channel in about the colour of an earlier one
    (Meta's and Google's blues) hatched."""
    bars, seen = [], []
    for cid in sorted(spend, key=lambda c: channels.get(c, (str(c), ""))[0]):
        label, color = channels.get(cid, (f"Channel {cid}", st.chart_primary))
        pts = sorted(spend[cid].items())
        hatch = {"pattern": {"shape": "/", "solidity": 0.4}} if any(_close(color, c) for c in seen) else {}
        seen.append(color)
        bars.append(trace("bar", x=[p[0] for p in pts], y=[p[1] for p in pts], name=f"{esc(label)} spend",
                          marker={"color": st.rgba(color, 0.75), **hatch},
                          hovertemplate=hover + "<extra>" + esc(label) + " spend</extra>"))
    return bars


def spend_revenue_figure(daily: Iterable[Mapping], merch: Iterable[Mapping], currency: str,
                         channels: Mapping[int, tuple[str, str]]) -> Figure:
    """Daily ad spend as bars stacked by channel, what the ads brought back (the platforms'
    attributed revenue) and the shop's sales as lines, all in `currency`.
    `channels` = {channel id: (label, colour)}."""
    daily = [r for r in daily if r["currency"] == currency]
    merch = [r for r in merch if r["currency"] == currency]
    if not daily and not merch:
        return empty_figure(NO_SPEND)
    spend: dict[int, dict[str, float]] = defaultdict(dict)
    revenue: dict[str, float] = defaultdict(float)
    for r in daily:
        spend[r["channel_id"]][r["day"]] = float(r["spend"])
        revenue[r["day"]] += float(r["revenue"])
    days = {r["day"] for r in daily} | {r["day"] for r in merch}
    hover = _hover(currency)
    traces = _spend_bars(spend, channels, hover)
    if revenue:
        traces.append(_line(sorted(revenue.items()), "Ad revenue",
                            {"width": st.line_width, "color": REVENUE_COLOR}, hover))
    if merch:
        traces.append(_line(sorted((r["day"], float(r["revenue"])) for r in merch), "Merch sales",
                            {"width": st.line_width, "color": MERCH_COLOR, "dash": "dot"}, hover))
    return figure(traces, st.chart_layout(barmode="stack", hovermode="x unified", bargap=0.15,
                                          xaxis=_date_axis(days), yaxis=_money_axis(currency)))


def roas_figure(rows: Iterable[Mapping], labels: Mapping[int, tuple[str, str]], key: str = "channel_id",
                height: int | None = None) -> Figure:
    """ROAS per performer as horizontal bars (revenue ÷ spend: the same measure in any currency),
    with the break-even line at 1. `rows` are the read-model's performance rows."""
    rows = [r for r in rows if r.get("roas") is not None]
    if not rows:
        return empty_figure(NO_ROAS, height or st.chart_height_sm)
    rows = sorted(rows, key=lambda r: r["roas"])
    names, colors = [], []
    for r in rows:
        label, color = labels.get(r[key], (str(r[key]), st.chart_primary))
        names.append(f"{esc(label)} ({r['currency']})")
        colors.append(color)
    bars = trace("bar", x=[r["roas"] for r in rows], y=names, orientation="h", marker={"color": colors},
                 text=[f"{r['roas']:.2f}×" for r in rows], textposition="auto",
                 hovertemplate="ROAS %{x:.2f}×<extra>%{y}</extra>")
    h = height or max(st.chart_height_sm, 60 + 44 * len(rows))
    layout = st.chart_layout(h, showlegend=False, xaxis={"ticksuffix": "×", "rangemode": "tozero"},
                             yaxis={"automargin": True})
    # The break-even line: at x = 1, the plot's full height (plotly's add_vline).
    layout["shapes"] = [{"type": "line", "x0": 1, "x1": 1, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
                         "line": {"color": st.chart_target, "dash": "dash", "width": 1}}]
    return figure([bars], layout)


def _fatigue_traces(i: int, f: Mapping, pts: list[tuple]) -> list[dict]:
    """One tired creative: its daily CTR (%), its first week's rate dotted, and a marker on the day
    the decline began (when that day is drawn), all in one legend group."""
    color, name = FATIGUE_COLORS[i % len(FATIGUE_COLORS)], esc(f["name"])
    out = [trace("scatter", x=[p[0] for p in pts], y=[p[1] for p in pts], name=name, mode="lines",
                 line={"width": st.line_width, "color": color}, legendgroup=str(i),
                 hovertemplate="CTR %{y:.2f}%<extra>" + name + "</extra>")]
    if f.get("baseline_ctr") is not None and pts:
        base = float(f["baseline_ctr"]) * 100
        out.append(trace("scatter", x=[pts[0][0], pts[-1][0]], y=[base, base], mode="lines", showlegend=False,
                         legendgroup=str(i), line={"width": 1, "color": color, "dash": "dot"},
                         hovertemplate=f"first week {base:.2f}%<extra>{name}</extra>"))
    start = f.get("start")
    if start and pts and pts[0][0] <= start <= pts[-1][0]:
        y = dict(pts).get(start)
        out.append(trace(
            "scatter", x=[start], y=[y if y is not None else pts[0][1]], mode="markers", showlegend=False,
            legendgroup=str(i), marker={"size": 11, "symbol": "triangle-down", "color": color,
                                        "line": {"width": 1.5, "color": st.chart_marker_edge}},
            hovertemplate=f"Tiring from {day_label(start)}<extra>{name}</extra>"))
    return out


def fatigue_figure(fatigued: Iterable[Mapping]) -> Figure:
    """Each tired creative's daily click-through rate, its first week's rate as a dotted line and
    the day the decline began marked."""
    fatigued = [f for f in fatigued if any(p[1] is not None for p in f.get("points") or [])]
    if not fatigued:
        return empty_figure(NO_FATIGUE)
    traces: list[dict] = []
    days: set[str] = set()
    for i, f in enumerate(fatigued):
        pts = [(d, v * 100) for d, v in f["points"] if v is not None]
        days.update(p[0] for p in pts)
        traces.extend(_fatigue_traces(i, f, pts))
    return figure(traces, st.chart_layout(hovermode="closest", xaxis=_date_axis(days),
                                          yaxis={"ticksuffix": "%", "tickformat": ".1~f", "rangemode": "tozero"}))


def _forecast_traces(f: Mapping, currency: str) -> list[dict]:
    """One metric's forecast: its band (high, then low filled up to it) and the expected line
    dashed over it, in one legend group."""
    color = st.chart_primary if f["metric"] == "spend" else REVENUE_COLOR
    label = "Spend" if f["metric"] == "spend" else ("Merch sales" if f.get("source") == "orders" else "Ad revenue")
    pts = [(p[0], float(p[1]["amount"]), float(p[2]["amount"]), float(p[3]["amount"])) for p in f["points"]]
    xs, sym = [p[0] for p in pts], symbol(currency)
    return [
        trace("scatter", x=xs, y=[p[3] for p in pts], mode="lines", line={"width": 0, "color": color},
              hoverinfo="skip", showlegend=False, legendgroup=label),
        trace("scatter", x=xs, y=[p[2] for p in pts], mode="lines", line={"width": 0, "color": color},
              fill="tonexty", fillcolor=st.rgba(color, st.band_opacity), hoverinfo="skip",
              showlegend=False, legendgroup=label),
        trace("scatter", x=xs, y=[p[1] for p in pts], mode="lines", name=label, legendgroup=label,
              line={"width": 2, "color": color, "dash": "dash"}, customdata=[[p[2], p[3]] for p in pts],
              hovertemplate=_hover(currency) + " (" + sym + "%{customdata[0]:,.0f}–" + sym
              + "%{customdata[1]:,.0f})<extra>" + label + "</extra>"),
    ]


def forecast_figure(forecasts: Iterable[Mapping], currency: str) -> Figure:
    """The next 14 days' spend and revenue in `currency`: the expected line dashed over its band."""
    mine = [f for f in forecasts if f.get("currency") == currency and f.get("points")]
    if not mine:
        return empty_figure(NO_FORECAST, st.chart_height_sm + 60)
    traces: list[dict] = []
    days: set[str] = set()
    for f in sorted(mine, key=lambda f: f["metric"] != "spend"):
        traces.extend(_forecast_traces(f, currency))
        days.update(p[0] for p in f["points"])
    return figure(traces, st.chart_layout(st.chart_height_sm + 60, hovermode="x unified", xaxis=_date_axis(days),
                                          yaxis=_money_axis(currency)))
