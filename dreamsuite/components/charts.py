"""Follower growth chart: one line per platform, built as a plotly figure in Python."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from dreamsuite.platforms import platform_label

# Brand-ish colours so a platform keeps its colour across pages.
PLATFORM_COLORS = {
    "instagram": "#E1306C", "facebook": "#1877F2", "spotify": "#1DB954", "youtube": "#FF0000",
    "tiktok": "#111111", "soundcloud": "#FF5500", "x": "#555555", "deezer": "#A238FF",
    "sandbox": "#7C3AED",
}


def growth_figure(series: list[dict]) -> go.Figure:
    """`series` rows are {"date", "platform", "followers"}, oldest first."""
    by_platform: dict[str, tuple[list, list]] = {}
    for row in series:
        xs, ys = by_platform.setdefault(row["platform"], ([], []))
        xs.append(row["date"])
        ys.append(row["followers"])
    fig = go.Figure()
    for platform, (xs, ys) in sorted(by_platform.items()):
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers" if len(xs) == 1 else "lines", name=platform_label(platform),
            line={"width": 2.5, "color": PLATFORM_COLORS.get(platform)},
            hovertemplate="%{x|%d %b %Y}<br>%{y:,} followers<extra>" + platform_label(platform) + "</extra>",
        ))
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=360,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "y": -0.15},
        hovermode="x unified",
        yaxis={"tickformat": ",d", "gridcolor": "rgba(128,128,128,0.15)"},
        xaxis={"gridcolor": "rgba(128,128,128,0.08)"},
    )
    return fig


def growth_chart(figure) -> rx.Component:
    return rx.card(
        rx.text("Follower growth", weight="bold", size="4"),
        rx.plotly(data=figure, width="100%", height="360px", config={"displayModeBar": False}),
        width="100%",
        data_testid="growth-chart",
    )
