"""Chart builders: plain data in, plotly figures out — traces, colours from the platform adapters,
hidden platforms, anomalies, forecast bands, the best-time heatmap, and empty states. No database.

The builders write plotly's JSON as plain dicts; every one is read back here through plotly's
validating `go.Figure`, so a property plotly does not know, or a value it refuses, fails the test."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dreamsuite import styles as st
from dreamsuite.components import charts
from dreamsuite.components.charts import is_empty
from dreamsuite.platforms import CATALOG, get_adapter


def _validated(build):
    """The builder, its figures read back through plotly's validators."""
    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        out = build(*args, **kwargs)
        if isinstance(out, dict) and set(out) == {"data", "layout"}:
            return go.Figure(out)
        return {k: go.Figure(f) for k, f in out.items()}
    return wrapper


best_time_heatmap, comparison_figure, content_type_figure, demographics_figures, engagement_figure, growth_figure = (
    _validated(getattr(charts, name)) for name in ("best_time_heatmap", "comparison_figure", "content_type_figure",
                                                   "demographics_figures", "engagement_figure", "growth_figure"))

ROOT = Path(__file__).resolve().parent.parent
DAYS = [f"2026-03-{d:02d}" for d in range(1, 8)]


def color_of(name: str) -> str:
    return get_adapter(name).color


def by_name(fig, name: str):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, f"{name!r} in {[t.name for t in fig.data]}"
    return found[0]


def annotation_text(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations)


def assert_empty_state(fig, words: str) -> None:
    assert is_empty(fig) and fig.data == ()
    assert words in annotation_text(fig)
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False  # no empty axis box


# ------------------------------------------------------------------ tokens
def test_platform_colours_come_from_the_adapters_only():
    for card in CATALOG:
        assert st.platform_color(card.name) == get_adapter(card.name).color == card.color
    assert st.platform_color("myspace") == st.GRAY_HEX[9]
    assert not hasattr(charts, "PLATFORM_COLORS")


def test_components_and_pages_write_no_colour_literals():
    """Colours live in styles.py; components and pages name them."""
    literal = re.compile(r"#[0-9a-fA-F]{3,8}\b|(?<![\w.])rgba?\(|rx\.color\(")
    offenders = []
    for folder in ("components", "pages"):
        for path in sorted((ROOT / "dreamsuite" / folder).glob("*.py")):
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if literal.search(line):
                    offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []


def test_chart_layout_defaults():
    layout = st.chart_layout(200, legend={"y": -0.3}, hovermode="closest")
    assert layout["height"] == 200 and layout["hovermode"] == "closest"
    assert layout["legend"]["orientation"] == "h" and layout["legend"]["y"] == -0.3  # merged, not replaced
    assert layout["xaxis"]["nticks"] == layout["yaxis"]["nticks"] == st.chart_ticks
    assert layout["dragmode"] is False
    assert st.rgba("#E1306C", 0.2) == "rgba(225,48,108,0.2)"


# ------------------------------------------------------------------ growth
def test_growth_one_line_per_platform_in_its_colour():
    fig = growth_figure({
        "youtube": [(DAYS[1], 210), (DAYS[0], 200), (DAYS[2], None)],
        "instagram": [(d, 1000 + i) for i, d in enumerate(DAYS)],
    })
    assert [t.name for t in fig.data] == ["Instagram", "YouTube"]  # the catalog's order
    ig, yt = fig.data
    assert ig.line.color == color_of("instagram") and yt.line.color == color_of("youtube")
    assert list(yt.x) == DAYS[:2] and list(yt.y) == [200, 210]  # sorted, the missing day dropped
    assert ig.mode == "lines" and ig.visible is True
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y < 0  # below the plot
    assert fig.layout.xaxis.type == "date"


def test_growth_single_point_is_a_marker():
    fig = growth_figure({"spotify": [(DAYS[3], 5000)]})
    (line,) = fig.data
    assert line.mode == "lines+markers" and line.marker.color == color_of("spotify")
    lo, hi = fig.layout.xaxis.range  # a week around the day, not a span of hours
    assert lo == "2026-03-01" and hi == "2026-03-07"
    lo, hi = fig.layout.yaxis.range
    assert lo < 5000 < hi and hi - lo >= 20


def test_growth_accepts_the_older_row_style():
    rows = [{"date": DAYS[0], "platform": "tiktok", "followers": 10},
            {"date": DAYS[1], "platform": "tiktok", "followers": 12},
            {"date": DAYS[0], "platform": "facebook", "followers": 7}]
    old = growth_figure(rows)
    new = growth_figure({"tiktok": [(DAYS[0], 10), (DAYS[1], 12)], "facebook": [(DAYS[0], 7)]})
    assert old.to_plotly_json() == new.to_plotly_json()
    assert [t.name for t in old.data] == ["Facebook", "TikTok"]


def test_growth_hidden_platforms_stay_in_the_legend():
    series = {p: [(DAYS[0], 1), (DAYS[1], 2)] for p in ("instagram", "spotify", "x")}
    fig = growth_figure(series, visible={"spotify"}, anomalies={"x": [(DAYS[1], 2, "spike", "why")]},
                        forecasts={"instagram": [(DAYS[2], 3, 2, 4)]})
    assert by_name(fig, "Spotify").visible is True
    for name in ("Instagram", "X"):
        assert by_name(fig, name).visible == "legendonly" and by_name(fig, name).showlegend is not False
    # a hidden platform's forecast and anomalies hide with it, grouped under its legend entry
    for name in ("Instagram forecast", "Instagram forecast high", "Instagram forecast low", "X anomalies"):
        trace = by_name(fig, name)
        assert trace.visible == "legendonly" and trace.showlegend is False
    assert by_name(fig, "X anomalies").legendgroup == by_name(fig, "X").legendgroup == "x"
    assert growth_figure(series, visible=set()).data[0].visible == "legendonly"


def test_growth_anomaly_markers_at_their_dates():
    fig = growth_figure({"tiktok": [(d, 100 + i) for i, d in enumerate(DAYS)]},
                        anomalies={"tiktok": [(DAYS[5], 180, "spike", "Release week"),
                                              (DAYS[2], 40, "drop", "<b>Quiet</b> & slow")]})
    marks = by_name(fig, "TikTok anomalies")
    assert marks.mode == "markers"
    assert list(marks.x) == [DAYS[2], DAYS[5]] and list(marks.y) == [40, 180]
    assert list(marks.marker.symbol) == ["triangle-down", "triangle-up"]
    assert list(marks.marker.color) == [st.chart_down, st.chart_up]
    drop, spike = marks.hovertext
    assert drop.startswith("Drop on 3 Mar 2026: 40") and "&lt;b&gt;Quiet&lt;/b&gt; &amp; slow" in drop
    assert spike == "Spike on 6 Mar 2026: 180<br>Release week"


def test_growth_forecast_band_and_dashed_mean():
    forecast = [(DAYS[3], 110, 100, 125), (DAYS[4], 120, 105, 140)]
    fig = growth_figure({"youtube": [(d, 100) for d in DAYS[:3]]}, forecasts={"youtube": forecast})
    high, low = by_name(fig, "YouTube forecast high"), by_name(fig, "YouTube forecast low")
    mean = by_name(fig, "YouTube forecast")
    assert list(high.y) == [125, 140] and list(low.y) == [100, 105]
    assert list(low.x) == list(high.x) == list(mean.x) == [DAYS[3], DAYS[4]]
    assert low.fill == "tonexty" and low.fillcolor == st.rgba(color_of("youtube"), st.band_opacity)
    assert high.line.width == 0 and low.line.width == 0 and high.hoverinfo == "skip"
    assert fig.data.index(high) == fig.data.index(low) - 1  # the low trace fills up to the high one
    assert list(mean.y) == [110, 120] and mean.line.dash == "dash" and mean.line.color == color_of("youtube")
    assert [list(c) for c in mean.customdata] == [[100, 125], [105, 140]]


def test_growth_tells_look_alike_colours_apart():
    fig = growth_figure({"tiktok": [(DAYS[0], 1), (DAYS[1], 2)], "x": [(DAYS[0], 1), (DAYS[1], 2)]})
    assert by_name(fig, "TikTok").line.dash == "solid" and by_name(fig, "X").line.dash == "dot"
    assert by_name(fig, "X").line.color == color_of("x")


@pytest.mark.parametrize("series", [{}, [], None, {"instagram": []}, {"instagram": [(DAYS[0], None)]}])
def test_growth_empty_state(series):
    assert_empty_state(growth_figure(series), "No follower numbers yet")


def test_big_counts_get_short_ticks():
    assert growth_figure({"instagram": [(DAYS[0], 12_000), (DAYS[1], 13_000)]}).layout.yaxis.tickformat == ".3~s"
    assert growth_figure({"instagram": [(DAYS[0], 120), (DAYS[1], 130)]}).layout.yaxis.tickformat == ",~f"


# ------------------------------------------------------------------ engagement
def test_engagement_rate_over_time_per_platform():
    fig = engagement_figure([(DAYS[1], "instagram", 4.5), (DAYS[0], "instagram", 3.0), (DAYS[2], "instagram", None),
                             (DAYS[0], "facebook", 1.25)])
    ig, fb = fig.data
    assert (ig.name, fb.name) == ("Instagram", "Facebook")  # the catalog's order
    assert list(ig.x) == DAYS[:3] and list(ig.y) == [3.0, 4.5, None]  # a missing day is a gap
    assert ig.line.color == color_of("instagram") and fb.line.color == color_of("facebook")
    assert fb.mode == "lines+markers" and ig.mode == "lines"
    assert fig.layout.yaxis.ticksuffix == "%"


@pytest.mark.parametrize("rows", [[], None, [(DAYS[0], "instagram", None)]])
def test_engagement_empty_state(rows):
    assert_empty_state(engagement_figure(rows), "No engagement numbers yet")


# ------------------------------------------------------------------ comparison
COMPARE = [
    {"platform": "youtube", "audience": 2_000, "growth_pct": -1.5, "engagement_rate": 2.0, "share": 0.2},
    {"platform": "instagram", "audience": 8_000, "growth_pct": 3.2, "engagement_rate": 4.1, "share": 0.8},
]


def test_comparison_grouped_rates_and_share():
    fig = comparison_figure(COMPARE)
    growth, engagement, share = fig.data
    assert fig.layout.barmode == "group"
    assert list(growth.x) == ["Instagram", "YouTube"]  # largest audience first
    assert list(growth.y) == [3.2, -1.5] and list(engagement.y) == [4.1, 2.0]
    assert growth.name == "Follower growth" and engagement.name == "Engagement rate"
    assert growth.marker.color == st.chart_primary and engagement.marker.color == st.chart_secondary
    assert list(share.y) == [80.0, 20.0] and list(share.text) == ["80%", "20%"]
    assert list(share.marker.color) == [color_of("instagram"), color_of("youtube")]
    assert share.showlegend is False and share.yaxis == "y2"
    assert [list(c) for c in growth.customdata] == [[8000], [2000]]  # audience size on hover


def test_comparison_shares_already_in_percent():
    rows = [{**r, "share": r["share"] * 100} for r in COMPARE]
    assert list(comparison_figure(rows).data[2].y) == [80.0, 20.0]


def test_comparison_empty_state():
    assert_empty_state(comparison_figure([]), "Nothing to compare yet")


# ------------------------------------------------------------------ best times
def _slots():
    return [
        {"weekday": 1, "hour": 18, "avg_rate": 5.5, "posts": 3, "evidence": "ok"},
        {"weekday": 4, "hour": 9, "avg_rate": 2.0, "posts": 1, "evidence": "thin"},
        {"weekday": 6, "hour": 23, "avg_rate": None, "posts": 0, "evidence": "none"},
        {"weekday": 9, "hour": 3, "avg_rate": 1.0, "posts": 2, "evidence": "ok"},  # not a weekday: ignored
    ]


def test_heatmap_cells_in_three_layers():
    fig = best_time_heatmap(_slots(), "Europe/Paris")
    none, ok, thin = (by_name(fig, n) for n in ("No posts", "Enough posts", "Too few posts"))
    assert list(ok.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] and list(ok.x) == list(range(24))
    assert len(ok.z) == 7 and all(len(row) == 24 for row in ok.z)
    assert ok.z[1][18] == 5.5 and thin.z[4][9] == 2.0
    assert thin.z[1][18] is None and ok.z[4][9] is None and none.z[1][18] is None
    # every other hour is a pale cell, never a blank: exactly one layer holds each cell
    for d in range(7):
        for h in range(24):
            assert sum(layer.z[d][h] is not None for layer in (none, ok, thin)) == 1, (d, h)
    assert none.z[6][23] == 0 and none.colorscale[0][1] == st.chart_empty_cell
    # thin evidence is weaker: faded, and struck through
    assert thin.opacity == st.thin_opacity < 1 and ok.opacity in (None, 1)
    marks = by_name(fig, "Too few posts (marks)")
    assert list(marks.x) == [9] and list(marks.y) == ["Fri"] and marks.hoverinfo == "skip"
    assert ok.coloraxis == thin.coloraxis == "coloraxis"  # one colour scale for both
    assert fig.layout.coloraxis.cmin == 2.0 and fig.layout.coloraxis.cmax == 5.5
    assert "Europe/Paris" in fig.layout.xaxis.title.text
    assert fig.layout.yaxis.autorange == "reversed"  # Monday on top


def test_heatmap_hover_says_the_evidence_in_words():
    fig = best_time_heatmap(_slots(), "America/New_York")
    text = by_name(fig, "Enough posts").text
    assert text[1][18] == "Tue 18:00–19:00<br>5.5% average engagement<br>3 posts — ok"
    assert text[4][9] == "Fri 09:00–10:00<br>2.0% average engagement<br>1 post — too few to trust"
    assert text[6][23] == "Sun 23:00–00:00<br>no posts yet"
    assert text[0][0] == "Mon 00:00–01:00<br>no posts yet"
    assert "America/New York" in fig.layout.xaxis.title.text
    assert charts.evidence_words(2, "thin") == "2 posts — too few to trust"


@pytest.mark.parametrize("slots", [[], None, [{"weekday": 0, "hour": 0, "avg_rate": None, "posts": 0,
                                               "evidence": "none"}]])
def test_heatmap_empty_state(slots):
    assert_empty_state(best_time_heatmap(slots, "UTC"), "No posts to learn from yet")


# ------------------------------------------------------------------ demographics, content types
def test_demographics_top_eight_as_percent():
    figs = demographics_figures({
        "age": {"25-34": 0.4, "65+": 0.05, "13-17": 0.05, "18-24": 0.5},
        "gender": {"F": 0.6, "M": 0.38, "U": 0.02},
        "countries": {c: s for c, s in zip("abcdefghij", [0.3, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.04, 0.03, 0.03])},
        "cities": {"Paris, Île-de-France <3": 0.7, "Lyon": 0.3},
    })
    assert list(figs) == ["age", "gender", "countries", "cities"]
    age = figs["age"].data[0]
    assert list(age.x) == ["13-17", "18-24", "25-34", "65+"] and list(age.y) == [5.0, 50.0, 40.0, 5.0]
    gender = figs["gender"].data[0]
    assert list(gender.y) == ["Female", "Male", "Unspecified"] and list(gender.x) == [60.0, 38.0, 2.0]
    countries = figs["countries"].data[0]
    assert list(countries.y) == ["A", "B", "C", "D", "E", "F", "G", "H"]  # top 8, largest first
    assert countries.orientation == "h" and list(countries.text)[:2] == ["30%", "20%"]
    city = figs["cities"].data[0]
    assert city.y[0] == "Paris, Île-de-Fra…" and city.customdata[0][0] == "Paris, Île-de-France &lt;3"
    assert "Top cities" in figs["cities"].layout.title.text


def test_demographics_missing_breakdowns_say_so():
    figs = demographics_figures({"age": {}, "countries": {"fr": 1.0}})
    assert set(figs) == {"age", "gender", "countries", "cities"}
    for kind in ("age", "gender", "cities"):
        assert_empty_state(figs[kind], "Not shared by your platforms yet")
    assert list(figs["countries"].data[0].x) == [100.0]
    assert all(is_empty(f) for f in demographics_figures(None).values())


def test_content_types_best_first():
    fig = content_type_figure([{"key": "photo", "avg_rate": 2.0, "posts": 30},
                               {"key": "carousel_album", "avg_rate": 3.1, "posts": 1},
                               {"key": "story", "avg_rate": None, "posts": 0}])
    (bars,) = fig.data
    assert list(bars.y) == ["Carousel album", "Photo"] and list(bars.x) == [3.1, 2.0]
    assert list(bars.text) == ["3.1% · 1 post", "2.0% · 30 posts"]
    assert bars.marker.color == st.chart_primary and fig.layout.yaxis.autorange == "reversed"


def test_content_types_empty_state():
    assert_empty_state(content_type_figure([]), "No posts to compare yet")


def test_builders_write_plain_json_without_plotly_objects_or_template():
    """What the state keeps and the browser gets: plain dicts that json can write, no plotly
    template (7 kB a figure on the wire, and a look we set ourselves)."""
    import json

    slots = [{"weekday": 2, "hour": 9, "avg_rate": 3.0, "posts": 4, "evidence": "ok"}]
    made = [charts.growth_figure({"tiktok": [(DAYS[0], 1), (DAYS[1], 2)]}),
            charts.engagement_figure([(DAYS[0], "instagram", 3.0)]),
            charts.comparison_figure([{"platform": "instagram", "audience": 10, "share": 1.0}]),
            charts.content_type_figure([{"key": "reel", "avg_rate": 2.0, "posts": 3}]),
            charts.best_time_heatmap(slots, "UTC"), charts.empty_figure("Nothing yet."),
            *charts.demographics_figures({"age": {"18-24": 1.0}}).values()]
    for fig in made:
        assert type(fig) is dict and set(fig) == {"data", "layout"}
        assert json.loads(json.dumps(fig)) == fig and "template" not in fig["layout"]
