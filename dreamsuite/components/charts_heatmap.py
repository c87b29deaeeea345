"""When to post: a week of hours (7 × 24) coloured by the engagement posts got at that hour."""

from __future__ import annotations

from typing import Iterable, Mapping

from dreamsuite import styles as st
from dreamsuite.components.charts_base import Figure, empty_figure, esc, figure, trace

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # weekday 0 = Monday, as Python counts
HOURS = list(range(24))
NO_TIMES = "No posts to learn from yet.<br>Best times appear after a few posts."


def evidence_words(posts: int, evidence: str) -> str:
    """'3 posts — ok', '1 post — too few to trust', 'no posts yet'."""
    if evidence == "none" or posts <= 0:
        return "no posts yet"
    noun = "post" if posts == 1 else "posts"
    return f"{posts} {noun} — {'too few to trust' if evidence == 'thin' else 'ok'}"


def _cells(slots: Iterable[Mapping]) -> dict[tuple[int, int], Mapping]:
    out = {}
    for s in slots or []:
        day, hour = s.get("weekday"), s.get("hour")
        if isinstance(day, int) and isinstance(hour, int) and 0 <= day < 7 and 0 <= hour < 24:
            out[(day, hour)] = s
    return out


def _kind(slot: Mapping | None) -> str:
    """'ok', 'thin' or 'none' (a slot without a rate has nothing to show, whatever it claims)."""
    if not slot or slot.get("avg_rate") is None or (slot.get("posts") or 0) <= 0:
        return "none"
    return "thin" if slot.get("evidence") == "thin" else "ok"


def _scale_ticks(low: float, high: float) -> list[float]:
    """Three ticks on the colour bar: lowest, middle, highest rate."""
    if high <= low:
        return [round(low, 1)]
    return [round(low + (high - low) * f, 1) for f in (0, 0.5, 1)]


def best_time_heatmap(slots: Iterable[Mapping], tz: str) -> Figure:
    """Average engagement by weekday and hour, in the artist's timezone.

    `slots` = [{"weekday": 0-6 (Monday 0), "hour": 0-23, "avg_rate": percent | None, "posts": int,
    "evidence": "none" | "thin" | "ok"}], weekday and hour already in `tz` (the artist's IANA
    timezone, named on the axis). Hours with enough posts are solid; "thin" ones are faded and
    struck through; hours without posts are a pale gray cell, never a blank. Hover says how much
    evidence there is in words ("3 posts — ok", "1 post — too few to trust").
    """
    cells = _cells(slots)
    kinds = {(d, h): _kind(cells.get((d, h))) for d in range(7) for h in HOURS}
    if all(k == "none" for k in kinds.values()):
        return empty_figure(NO_TIMES)
    layers = {k: [[None] * 24 for _ in range(7)] for k in ("ok", "thin", "none")}
    text = [[""] * 24 for _ in range(7)]
    for (d, h), kind in kinds.items():
        slot = cells.get((d, h)) or {}
        posts = int(slot.get("posts") or 0)
        when = f"{WEEKDAYS[d]} {h:02d}:00–{(h + 1) % 24:02d}:00"
        if kind == "none":
            layers["none"][d][h] = 0
            text[d][h] = f"{when}<br>{evidence_words(0, 'none')}"
        else:
            rate = float(slot["avg_rate"])
            layers[kind][d][h] = rate
            text[d][h] = f"{when}<br>{rate:.1f}% average engagement<br>{evidence_words(posts, kind)}"
    rates = [v for k in ("ok", "thin") for row in layers[k] for v in row if v is not None]
    common = {"x": HOURS, "y": WEEKDAYS, "text": text, "xgap": 2, "ygap": 2, "hoverongaps": False,
              "hovertemplate": "%{text}<extra></extra>"}
    traces = [
        trace("heatmap", z=layers["none"], name="No posts",
              colorscale=[[0, st.chart_empty_cell], [1, st.chart_empty_cell]], showscale=False, **common),
        trace("heatmap", z=layers["ok"], name="Enough posts", coloraxis="coloraxis", **common),
        trace("heatmap", z=layers["thin"], name="Too few posts", coloraxis="coloraxis", opacity=st.thin_opacity,
              **common),
    ]
    thin = [(h, WEEKDAYS[d]) for (d, h), k in kinds.items() if k == "thin"]
    if thin:  # a diagonal stroke on each faded cell, so "weak" does not rely on colour alone
        traces.append(trace("scatter", x=[c[0] for c in thin], y=[c[1] for c in thin], mode="markers",
                            name="Too few posts (marks)", hoverinfo="skip", showlegend=False,
                            marker={"symbol": "line-ne", "size": 9, "line": {"width": 1, "color": st.GRAY_HEX[11]}}))
    low, high = min(rates), max(rates)
    ticks = _scale_ticks(low, high)
    return figure(traces, st.chart_layout(
        st.chart_height - 60, showlegend=False, hovermode="closest",
        coloraxis={"colorscale": st.chart_scale, "cmin": low, "cmax": high if high > low else low + 1,
                   "colorbar": {"orientation": "h", "y": -0.3, "yanchor": "top", "x": 0, "xanchor": "left",
                                "len": 1, "thickness": 10, "tickvals": ticks, "ticktext": [f"{t:g}%" for t in ticks],
                                "title": {"text": "average engagement", "side": "top", "font": {"size": 11}},
                                "tickfont": {"size": 10}, "outlinewidth": 0}},
        xaxis={"title": {"text": f"Hour ({esc(tz.replace('_', ' '))})", "font": {"size": 11}},
               "tickvals": [0, 6, 12, 18], "ticktext": ["00:00", "06:00", "12:00", "18:00"], "showgrid": False,
               "range": [-0.5, 23.5]},
        yaxis={"autorange": "reversed", "showgrid": False, "type": "category", "nticks": 0, "dtick": 1},
        margin={"b": 8}))
