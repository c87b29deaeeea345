"""Bars: platforms side by side, content types, and who the audience is."""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from dreamsuite import styles as st
from dreamsuite.components.charts_base import Figure, as_percent, empty_figure, esc, figure, trace
from dreamsuite.platforms import platform_label

NO_COMPARISON = "Nothing to compare yet.<br>Connect a platform and sync it."
NO_CONTENT = "No posts to compare yet."
NO_AUDIENCE = "Not shared by your platforms yet."
TOP = 8  # bars in a demographics chart
DEMOGRAPHICS = {"age": "Age", "gender": "Gender", "countries": "Top countries", "cities": "Top cities"}
GENDERS = {"f": "Female", "female": "Female", "m": "Male", "male": "Male", "u": "Unspecified",
           "unknown": "Unspecified", "other": "Other"}
_LABEL_CHARS = 18  # a longer city name is cut on the axis (whole on hover), to fit a phone
# The comparison's two rows, one x axis: growth and engagement over each platform's share.
_ROWS_GAP = 0.14
_SHARE_TOP = round(0.38 * (1 - _ROWS_GAP), 4)


def _pct(value) -> float | None:
    return None if value is None else float(value)


def comparison_figure(rows: Iterable[Mapping]) -> Figure:
    """Platforms side by side, normalised for audience size: growth % and engagement rate as
    grouped bars (top), and each platform's share of the whole audience (below, in its colour).

    `rows` = [{"platform", "audience", "growth_pct", "engagement_rate", "share"}]; growth_pct and
    engagement_rate in percent, share a fraction of 1 (values in percent are read as such).
    Platforms are ordered by audience, largest first.
    """
    rows = sorted((r for r in rows or [] if r.get("platform")), key=lambda r: -(r.get("audience") or 0))
    if not rows:
        return empty_figure(NO_COMPARISON)
    labels = [platform_label(r["platform"]) for r in rows]
    audience = [r.get("audience") or 0 for r in rows]
    factor = as_percent([r.get("share") or 0 for r in rows])
    share = [(r.get("share") or 0) * factor for r in rows]
    custom = [[a] for a in audience]
    bars = [
        trace("bar", x=labels, y=[_pct(r.get("growth_pct")) for r in rows], name="Follower growth",
              marker={"color": st.chart_primary}, customdata=custom, xaxis="x", yaxis="y",
              hovertemplate="%{x}: %{y:+.1f}% growth<br>%{customdata[0]:,} followers<extra></extra>"),
        trace("bar", x=labels, y=[_pct(r.get("engagement_rate")) for r in rows], name="Engagement rate",
              marker={"color": st.chart_secondary}, customdata=custom, xaxis="x", yaxis="y",
              hovertemplate="%{x}: %{y:.2f}% engagement<br>%{customdata[0]:,} followers<extra></extra>"),
        trace("bar", x=labels, y=share, name="Audience share", showlegend=False,
              marker={"color": [st.platform_color(r["platform"]) for r in rows]},
              text=[f"{s:.0f}%" for s in share], textposition="outside", cliponaxis=False,
              customdata=custom, xaxis="x2", yaxis="y2",
              hovertemplate="%{x}: %{y:.1f}% of your audience<br>%{customdata[0]:,} followers<extra></extra>"),
    ]
    layout = st.chart_layout(barmode="group", bargap=0.3, hovermode="closest", margin={"t": 28})
    x_ticks = {"fixedrange": True, "tickfont": {"size": 11}, "nticks": 0}
    y_ticks = {"ticksuffix": "%", "gridcolor": st.chart_grid, "nticks": 4, "fixedrange": True, "tickfont": {"size": 11}}
    # Two rows sharing the x axis (the top one's labels hidden), each titled at its top left.
    layout["xaxis"] = {**layout["xaxis"], "anchor": "y", "domain": [0.0, 1.0], "matches": "x2",
                       "showticklabels": False, **x_ticks}
    layout["yaxis"] = {**layout["yaxis"], "anchor": "x", "domain": [round(_SHARE_TOP + _ROWS_GAP, 4), 1.0], **y_ticks}
    layout["xaxis2"] = {"anchor": "y2", "domain": [0.0, 1.0], **x_ticks}
    layout["yaxis2"] = {"anchor": "x2", "domain": [0.0, _SHARE_TOP], **y_ticks, "rangemode": "tozero",
                        "range": [0, max(share) * 1.3 or 1]}
    layout["annotations"] = [
        {"font": {"size": 12, "color": st.chart_text}, "showarrow": False, "text": text, "x": 0, "xanchor": "left",
         "xref": "paper", "y": y, "yanchor": "bottom", "yref": "paper"}
        for text, y in (("Growth and engagement", 1.0), ("Share of your audience", _SHARE_TOP))]
    return figure(bars, layout)


def content_type_figure(groups: Iterable[Mapping], keys_as_given: bool = False) -> Figure:
    """Average engagement rate by content type (reels, photos, videos…), best first; with
    `keys_as_given` the keys are shown as they are (hashtags: "#new_music" stays so).

    `groups` = [{"key", "avg_rate" (percent, or None when unknown), "posts"}].
    """
    groups = sorted((g for g in groups or [] if g.get("avg_rate") is not None), key=lambda g: -g["avg_rate"])
    if not groups:
        return empty_figure(NO_CONTENT, st.chart_height_sm)
    labels = [esc(str(g["key"]) if keys_as_given else str(g["key"]).replace("_", " ").capitalize()) for g in groups]
    posts = [int(g.get("posts") or 0) for g in groups]
    bar = trace(
        "bar", x=[g["avg_rate"] for g in groups], y=labels, orientation="h", marker={"color": st.chart_primary},
        text=[f"{g['avg_rate']:.1f}% · {n} post{'s' if n != 1 else ''}" for g, n in zip(groups, posts)],
        textposition="auto", customdata=[[n] for n in posts],
        hovertemplate="%{y}: %{x:.2f}% average engagement<br>%{customdata[0]} posts<extra></extra>",
    )
    return figure([bar], st.chart_layout(_bars_height(len(groups)), showlegend=False,
                                         xaxis={"ticksuffix": "%", "rangemode": "tozero"},
                                         yaxis={"autorange": "reversed", "showgrid": False, "nticks": 0, "dtick": 1}))


def _bars_height(n: int) -> int:
    return max(st.chart_height_sm - 60, 60 + 30 * n)


def _age_key(bracket: str) -> tuple:
    found = re.match(r"\d+", str(bracket))
    return (int(found.group()) if found else 999, str(bracket))


def _demographic(kind: str, shares: Mapping[str, float] | None) -> Figure:
    title = DEMOGRAPHICS[kind]
    items = [(str(k), float(v)) for k, v in (shares or {}).items() if isinstance(v, (int, float)) and v > 0]
    if not items:
        return empty_figure(f"<b>{title}</b><br>{NO_AUDIENCE}", st.chart_height_sm)
    factor = as_percent(v for _, v in items)
    if kind == "age":
        items = sorted(items, key=lambda kv: _age_key(kv[0]))[:TOP]
    else:
        items = sorted(items, key=lambda kv: -kv[1])[:TOP]
    if kind == "gender":
        names = [GENDERS.get(k.lower(), k) for k, _ in items]
    elif kind == "countries":
        names = [k.upper() for k, _ in items]
    else:
        names = [k for k, _ in items]
    ticks = [esc(n if len(n) <= _LABEL_CHARS else n[:_LABEL_CHARS - 1] + "…") for n in names]
    pct = [v * factor for _, v in items]
    horizontal = kind != "age"
    bar = trace(
        "bar", x=pct if horizontal else ticks, y=ticks if horizontal else pct, orientation="h" if horizontal else "v",
        marker={"color": st.chart_primary}, text=[f"{p:.0f}%" for p in pct], textposition="outside",
        cliponaxis=False, customdata=[[esc(n)] for n in names],
        hovertemplate="%{customdata[0]}: " + ("%{x:.1f}%" if horizontal else "%{y:.1f}%") + "<extra></extra>",
    )
    value_axis = {"ticksuffix": "%", "rangemode": "tozero", "range": [0, max(pct) * 1.25], "nticks": 3}
    category_axis = {"showgrid": False, "type": "category", "nticks": 0, "dtick": 1}  # every label
    if horizontal:
        category_axis["autorange"] = "reversed"
    return figure([bar], st.chart_layout(
        _bars_height(len(items)) if horizontal else st.chart_height_sm, showlegend=False,
        title={"text": f"<b>{title}</b>", "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top",
               "font": {"size": 13, "color": st.chart_text}},
        margin={"t": 32},
        xaxis=value_axis if horizontal else category_axis, yaxis=category_axis if horizontal else value_axis))


def demographics_figures(audience: Mapping | None) -> dict[str, Figure]:
    """Who the audience is: {"age", "gender", "countries", "cities"} → a small titled bar chart
    each (the top 8, as % of the audience; age in bracket order, the others largest first).

    `audience` = {"age": {bracket: share}, "gender": {...}, "countries": {code: share},
    "cities": {...}}, shares as fractions of 1 (as the audience snapshot stores them).
    A breakdown the platforms did not give is an empty state, not an empty chart.
    """
    audience = audience or {}
    return {kind: _demographic(kind, audience.get(kind)) for kind in DEMOGRAPHICS}


__all__ = ["comparison_figure", "content_type_figure", "demographics_figures"]
