"""A goal's chart: followers in the platform's colour, the forecast band after the last known day,
the target as a horizontal line (always in view), the deadline, and the empty state. No database.
The builder gives plotly's JSON; the tests read it back through plotly's validating Figure."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go

from dreamsuite import styles as st
from dreamsuite.components.charts import is_empty
from dreamsuite.components.charts_goal import NO_NUMBERS
from dreamsuite.components.charts_goal import goal_figure as goal_json
from dreamsuite.platforms import get_adapter

START = date(2026, 3, 1)
SERIES = [((START + timedelta(days=i)).isoformat(), 8_000 + 20 * i) for i in range(30)]
LAST = START + timedelta(days=29)
# The stored forecast starts on the last known day (as the worker stores it) and runs 60 days.
FORECAST = [((LAST + timedelta(days=d)).isoformat(), 8_580 + 20 * d, 8_580 + 10 * d, 8_580 + 30 * d)
            for d in range(0, 61)]


def goal_figure(*args, **kwargs) -> go.Figure:
    """The builder's figure JSON, as a Figure to read (plotly validates every property)."""
    fig = goal_json(*args, **kwargs)
    assert isinstance(fig, dict) and set(fig) == {"data", "layout"}
    return go.Figure(fig)


def by_name(fig, name: str):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, f"{name!r} in {[t.name for t in fig.data]}"
    return found[0]


def texts(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_followers_forecast_band_and_target():
    fig = goal_figure(SERIES, 10_000, FORECAST, platform="instagram")
    color = get_adapter("instagram").color
    line = by_name(fig, "Instagram")
    assert line.line.color == color and list(line.y) == [v for _, v in SERIES]
    mean, low, high = by_name(fig, "Forecast"), by_name(fig, "Forecast low"), by_name(fig, "Forecast high")
    assert mean.line.dash == "dash" and mean.line.color == color
    assert low.fill == "tonexty" and low.fillcolor == st.rgba(color, st.band_opacity)
    # Only the days after the last known one: the band does not sit on top of the line.
    assert mean.x[0] == (LAST + timedelta(days=1)).isoformat() and len(mean.x) == 60
    assert list(high.y) == [p[3] for p in FORECAST[1:]] and list(low.y) == [p[2] for p in FORECAST[1:]]
    target = by_name(fig, "Target")
    assert list(target.y) == [10_000, 10_000] and target.line.color == st.chart_target
    assert list(target.x) == [SERIES[0][0], FORECAST[-1][0]]  # across the whole chart
    assert "target 10,000" in texts(fig)
    assert fig.layout.height == st.chart_height_goal and fig.layout.showlegend is False
    # The target is in view even far above every number.
    far = goal_figure(SERIES, 100_000, FORECAST, platform="instagram")
    assert far.layout.yaxis.range[1] > 100_000 and far.layout.yaxis.tickformat == ".3~s"


def test_every_platform_in_the_accent_colour_and_without_a_forecast():
    fig = goal_figure(SERIES, 10_000, platform=None)
    assert [t.name for t in fig.data] == ["All platforms", "Target"]
    assert by_name(fig, "All platforms").line.color == st.chart_primary
    assert list(fig.layout.xaxis.range) == [SERIES[0][0], SERIES[-1][0]]


def test_the_deadline_is_drawn_and_kept_in_view():
    deadline = LAST + timedelta(days=120)  # past the forecast's end
    fig = goal_figure(SERIES, 10_000, FORECAST, platform="spotify", deadline=deadline)
    [shape] = fig.layout.shapes
    assert shape.x0 == shape.x1 == deadline.isoformat() and shape.line.color == st.chart_deadline
    assert f"deadline {deadline.day} {deadline:%b %Y}" in texts(fig)
    assert fig.layout.xaxis.range[1] == deadline.isoformat()
    assert list(by_name(fig, "Target").x)[-1] == deadline.isoformat()
    soon = goal_figure(SERIES, 10_000, FORECAST, platform="spotify", deadline=LAST + timedelta(days=10))
    assert soon.layout.xaxis.range[1] == FORECAST[-1][0]


def test_one_day_unreadable_rows_and_nothing_at_all():
    one = goal_figure([("2026-03-14", 500)], 1_000)
    line = by_name(one, "All platforms")
    assert line.mode == "lines+markers" and list(one.layout.xaxis.range) == ["2026-03-11", "2026-03-17"]
    messy = goal_figure([("2026-03-02", None), ("2026-03-01", 10), ("2026-03-03", "x"), ("2026-03-04", 12)], 50,
                        [("2026-03-05", 13, None, 14), ("2026-03-05", 13, 12, 14)])
    assert list(by_name(messy, "All platforms").y) == [10, 12] and len(by_name(messy, "Forecast").x) == 1
    for raw in (goal_json([], 1_000), goal_json(None, 1_000, FORECAST), goal_json([("2026-03-01", None)], 5)):
        empty = go.Figure(raw)
        assert is_empty(raw) and NO_NUMBERS.split("<br>")[0] in texts(empty)[0]
        assert empty.layout.xaxis.visible is False and empty.layout.height == st.chart_height_goal
