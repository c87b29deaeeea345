"""What every chart builder shares: the figure as plain data, the empty state, platform order and
line styles, escaping and number formats. Pure functions over plain data; nothing here knows
state or the database.

A figure is plotly's JSON itself (`{"data": [trace, ...], "layout": {...}}`), what the browser
draws, written directly: building it through plotly's graph objects (validators, magic-underscore
paths, the default template) cost 100–300 ms of CPU per dashboard and range, two orders of
magnitude more than the dicts, and was most of a busy app process's time. `tests/test_charts.py`
reads every builder's output back through plotly's validating `go.Figure`.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any, Iterable

from dreamsuite import styles as st
from dreamsuite.platforms import CATALOG

_ORDER = {card.name: i for i, card in enumerate(CATALOG)}
# Two platforms whose colours are closer than this (RGB distance) cannot be told apart by
# colour alone (TikTok's black and X's near-black): the later one is drawn dotted.
_TOO_CLOSE = 60.0


Figure = dict[str, Any]  # plotly's figure JSON: {"data": [trace, ...], "layout": {...}}


def trace(kind: str, **props: Any) -> dict[str, Any]:
    """One trace of type `kind` ("scatter", "bar", "heatmap"), its None properties left out as
    plotly leaves out what is not set."""
    return {"type": kind, **{k: v for k, v in props.items() if v is not None}}


def figure(traces: Iterable[dict[str, Any]], layout: dict[str, Any]) -> Figure:
    return {"data": list(traces), "layout": layout}


# A state's figure before anything is shown: draws nothing. Shared as the states' default:
# they replace a figure, never change one in place.
EMPTY_FIGURE: Figure = figure([], {})


def empty_figure(message: str, height: int = st.chart_height) -> Figure:
    """A figure that says there is nothing to draw yet: words, no empty axes."""
    layout = st.chart_layout(height, showlegend=False, xaxis={"visible": False}, yaxis={"visible": False})
    layout["annotations"] = [{"text": message, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                              "showarrow": False, "font": {"size": 14, "color": st.chart_text}, "align": "center"}]
    return figure([], layout)


def is_empty(fig: Figure) -> bool:
    """Whether a figure is an empty state (no traces, one annotation)."""
    return not fig["data"]


def ordered(platforms: Iterable[str]) -> list[str]:
    """Platforms in the order artists know them (the catalog's), unknown ones after, by name."""
    return sorted(set(platforms), key=lambda p: (_ORDER.get(p, len(_ORDER)), p))


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    try:
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    except ValueError:
        return 128, 128, 128


def line_dashes(platforms: Iterable[str]) -> dict[str, str]:
    """A dash per platform: solid, or dotted when an earlier platform's colour looks the same."""
    seen: list[tuple[int, int, int]] = []
    out = {}
    for p in platforms:
        rgb = _rgb(st.platform_color(p))
        close = any(sum((a - b) ** 2 for a, b in zip(rgb, other)) ** 0.5 < _TOO_CLOSE for other in seen)
        out[p] = "dot" if close else "solid"
        seen.append(rgb)
    return out


def esc(text) -> str:
    """Text from a platform or a person, safe inside plotly's hover and tick labels (which read
    a few HTML tags)."""
    return html.escape(str(text), quote=False)


def iso_day(value) -> str:
    """'2026-03-14' from an ISO date string, a date or a datetime."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


def day_label(value) -> str:
    """'14 Mar 2026'."""
    try:
        d = date.fromisoformat(iso_day(value))
    except ValueError:
        return esc(value)
    return f"{d.day} {d:%b %Y}"


def number(value: float) -> str:
    """12,345 (whole) or 12.5 (a fraction)."""
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def count_format(values: Iterable[float]) -> str:
    """Axis tick format: 12.3k for big counts (short enough for a phone), 1,234 below."""
    biggest = max((abs(v) for v in values), default=0)
    return ".3~s" if biggest >= 10_000 else ",~f"


def as_percent(shares: Iterable[float]) -> float:
    """The factor that turns shares into percentages: fractions of 1 (what audience snapshots
    store) are multiplied by 100; values already in percent (summing past 1.5) are kept."""
    return 1.0 if sum(shares) > 1.5 else 100.0
