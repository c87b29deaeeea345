"""Charts: pure builders that turn plain data into plotly figures, and the cards that show them.

The builders (in charts_growth, charts_compare, charts_heatmap) take lists and dicts, never
state or the database, colour each platform with its adapter's colour, put the legend below
and keep ticks few so a chart reads at 360 px, and answer "no data yet" in words when there is
nothing to draw. State classes build the figures; pages show them with `chart_card`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from dreamsuite import styles as st
from dreamsuite.components.charts_base import empty_figure, is_empty
from dreamsuite.components.charts_compare import comparison_figure, content_type_figure, demographics_figures
from dreamsuite.components.charts_growth import engagement_figure, growth_figure
from dreamsuite.components.charts_heatmap import best_time_heatmap, evidence_words


def chart(figure, height: int | str | rx.Var = st.chart_height, **props) -> rx.Component:
    """A figure the state keeps as plotly's JSON (a dict var), `height` in pixels or a CSS length.
    The plotly component's prop is typed as a Figure, hence the cast (of the var's type only:
    nothing is built on the server)."""
    data = figure.to(go.Figure) if isinstance(figure, rx.Var) else figure
    size = f"{height}px" if isinstance(height, int) else height
    return rx.plotly(data=data, width="100%", height=size, config=st.chart_config, **props)


def chart_card(title: str, figure, testid: str, height: int = st.chart_height) -> rx.Component:
    """A card with a title and one figure, full width."""
    return rx.card(
        rx.text(title, weight="bold", size=st.size_lg),
        chart(figure, height),
        **st.card,
        data_testid=testid,
    )


def growth_chart(figure) -> rx.Component:
    return chart_card("Follower growth", figure, "growth-chart")


__all__ = ["best_time_heatmap", "chart", "chart_card", "comparison_figure", "content_type_figure",
           "demographics_figures", "empty_figure", "engagement_figure", "evidence_words", "growth_chart",
           "growth_figure", "is_empty"]
