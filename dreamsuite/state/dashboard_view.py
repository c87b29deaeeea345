"""What the dashboard shows, made from the services' plain data: rows of words and numbers
formatted for the artist (times in their timezone), and the figures.

Pure functions (no Reflex state, no database), so the state only assigns their results and the
tests check them without a browser.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, Iterable

from dreamsuite import styles as st
from dreamsuite.components.charts import (best_time_heatmap, comparison_figure, content_type_figure, empty_figure,
                                          engagement_figure, growth_figure)
from dreamsuite.components.charts_base import Figure, ordered
from dreamsuite.platforms import account_label, platform_label
from dreamsuite.services.dashboard import DashboardData
from dreamsuite.state import fmt
from dreamsuite.state.dashboard_range import day_label, forecast_days

TOTAL_FORECAST = "all"  # the forecast of every platform added up: not a platform's line
DEMOGRAPHICS = ("age", "gender", "countries", "cities")


@dataclasses.dataclass
class Stats:
    followers: str = "—"
    followers_sub: str = ""
    change_24h: str = "—"
    change_7d: str = "—"
    change_7d_pct: str = ""
    change_30d: str = "—"
    change_30d_note: str = ""
    change: str = "—"
    change_pct: str = ""
    change_sub: str = ""
    change_up: bool = True
    engagement_rate: str = "—"
    engagement_basis: str = ""
    posts: str = "—"
    posts_sub: str = ""


@dataclasses.dataclass
class PlatformRow:
    platform: str = ""
    label: str = ""
    color: str = ""
    followers: str = "—"
    change_7d: str = ""
    change: str = ""
    status: str = ""  # "" when the account works; else a STATUS_COLORS key
    status_label: str = ""
    note: str = ""
    href: str = ""


@dataclasses.dataclass
class Chip:
    platform: str = ""
    label: str = ""
    color: str = ""
    on: bool = True


@dataclasses.dataclass
class PostCard:
    id: int = 0
    platform: str = ""
    label: str = ""
    color: str = ""
    kind: str = ""
    caption: str = ""
    when: str = ""
    thumbnail: str = ""  # https only, else "" (a placeholder is drawn)
    url: str = ""  # http(s) only, else "" (no link)
    interactions: str = ""
    rate: str = ""


@dataclasses.dataclass
class InsightRow:
    id: int = 0
    type: str = ""
    priority: str = ""
    priority_color: str = "gray"
    title: str = ""
    message: str = ""
    actions: list[str] = dataclasses.field(default_factory=list)
    unread: bool = False
    when: str = ""


@dataclasses.dataclass
class GoalRow:
    id: int = 0
    title: str = ""
    pct: int = 0
    progress: str = ""
    outlook: str = ""
    color: str = "violet"


@dataclasses.dataclass
class LevelView:
    level: int = 1
    title: str = "Level 1"
    name: str = ""
    pct: int = 0
    words: str = ""


@dataclasses.dataclass
class SetupRow:
    label: str = ""
    color: str = ""
    words: str = ""
    running: bool = False
    failed: bool = False


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


# ------------------------------------------------------------------ numbers
def _signed_pct(pct: float | None) -> str:
    return f"({fmt.pct(pct, signed_=True)})" if pct is not None else ""


def basis_words(basis: str | None, posts: int) -> str:
    n = f"{posts:,} post{'s' if posts != 1 else ''}"
    return {
        "reach": f"interactions ÷ reach, average of {n}",
        "followers": f"interactions ÷ followers (no reach given), average of {n}",
        "mixed": f"interactions ÷ reach where given, else ÷ followers; average of {n}",
    }.get(basis or "", "no posts in this range")


def stats(d: DashboardData) -> Stats:
    span = _span(d)
    s = Stats(followers=fmt.number(d.total_followers), change_24h=fmt.signed(d.change_24h),
              change_7d=fmt.signed(d.change_7d), change_7d_pct=_signed_pct(d.change_7d_pct),
              change_30d=fmt.signed(d.change_30d), change=fmt.signed(d.change), change_pct=_signed_pct(d.change_pct),
              change_up=(d.change or 0) >= 0, engagement_rate=fmt.pct(d.engagement_rate),
              engagement_basis=basis_words(d.engagement_basis, d.posts_count), posts=fmt.number(d.posts_count))
    n = len(d.platforms)
    s.followers_sub = f"on {n} platform{'s' if n != 1 else ''}" + (
        f", as of {day_label(date.fromisoformat(d.as_of))}" if d.as_of else "")
    s.change_30d_note = "" if d.change_30d is not None else "30 days need a month of history"
    if d.previous_change is not None:
        s.change_sub = f"against {fmt.signed(d.previous_change)} in the {span} days before"
    else:
        s.change_sub = f"no record of the {span} days before"
    if d.change is not None and not d.change_complete:
        s.change_sub += " · some histories start later"
    s.posts_sub = "published in this range"
    return s


def _span(d: DashboardData) -> int:
    if not d.start or not d.end:
        return 0
    return (date.fromisoformat(d.end) - date.fromisoformat(d.start)).days + 1


# ------------------------------------------------------------------ platforms and connections
def connection_status(cards: Iterable[dict]) -> dict[str, tuple[str, str]]:
    """Each connected platform's worst account status: {platform: (status, words)}; a platform
    whose accounts all work maps to ("", "")."""
    order = ["error", "expired", "expiring"]
    out = {}
    for card in cards:
        live = [a for a in card.get("connections", []) if a.get("status") != "revoked"]
        if not live:
            continue
        worst = next((s for s in order if any(a.get("status") == s for a in live)), "")
        out[card["name"]] = (worst, fmt.connection_status(worst) if worst else "")
    return out


def platform_rows(d: DashboardData, status: dict[str, tuple[str, str]]) -> list[PlatformRow]:
    """One row per platform with numbers (biggest first), then connected ones still without."""
    rows = []
    for p in d.platforms:
        name = p["platform"]
        bad, words = status.get(name, ("revoked", fmt.connection_status("revoked")))
        points = d.series.get(name) or []
        note = ""
        if len(points) == 1:  # one day on record: no change to speak of yet
            note = f"numbers since {short_day(points[0][0])}"
        elif p.get("date") and d.as_of and p["date"] < d.as_of:
            note = f"numbers up to {short_day(p['date'])}"
        rows.append(PlatformRow(
            platform=name, label=platform_label(name), color=st.platform_color(name),
            followers=fmt.number(p["followers"]),
            change_7d=f"{fmt.signed(p['change_7d'])} in 7 d" if p.get("change_7d") is not None else "",
            change=(f"{fmt.signed(p['change'])} in range" if p.get("change") is not None and len(points) > 1
                    else ""),
            status=bad, status_label=words, note=note, href=f"/platforms/{name}"))
    shown = {r.platform for r in rows}
    for name in ordered(p for p in status if p not in shown):
        bad, words = status[name]
        rows.append(PlatformRow(platform=name, label=platform_label(name), color=st.platform_color(name),
                                status=bad, status_label=words, note="no numbers in this range yet",
                                href=f"/platforms/{name}"))
    return rows


def short_day(iso: str) -> str:
    d = date.fromisoformat(str(iso)[:10])
    return f"{d.day} {d:%b}"


def setup_rows(cards: Iterable[dict], runs: Iterable[dict]) -> list[SetupRow]:
    """Connected, no numbers yet: where each account's first sync is, in words."""
    latest: dict[int, dict] = {}
    for run in runs:  # newest first
        latest.setdefault(run["connection_id"], run)
    out = []
    for card in cards:
        for a in card.get("connections", []):
            if a.get("status") == "revoked":
                continue
            label = account_label(card["name"], a.get("username", ""))
            run = latest.get(a["connection_id"])
            if run is None:
                row = SetupRow(label, card["color"], "waiting for a worker to start the first sync…", running=True)
            elif run["status"] == "running":
                row = SetupRow(label, card["color"], "collecting your numbers…", running=True)
            elif run["status"] in ("failed", "abandoned"):
                row = SetupRow(label, card["color"], f"the sync failed: {run['error'] or 'no reason given'}. "
                                                     "Try again from Connections.", failed=True)
            else:
                row = SetupRow(label, card["color"], "synced: your numbers are on their way…", running=True)
            out.append(row)
    return out


def chips(d: DashboardData, hidden: Iterable[str]) -> list[Chip]:
    off = set(hidden)
    return [Chip(p, platform_label(p), st.platform_color(p), p not in off) for p in ordered(d.series)]


# ------------------------------------------------------------------ content, insights, goals, level
def _web_url(url: str | None) -> str:
    """A permalink we may link to: http(s) only (never javascript: or data: from a platform)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def post_cards(d: DashboardData, tz: str) -> list[PostCard]:
    out = []
    for p in d.top_posts:
        name = p["platform"]
        rate = ""
        if p.get("rate") is not None:
            rate = f"{p['rate']:.1f}% of {'reach' if p.get('basis') == 'reach' else 'followers'}"
        thumb = p.get("thumbnail") or ""
        out.append(PostCard(
            id=int(p.get("id") or 0), platform=name, label=platform_label(name), color=st.platform_color(name),
            kind=str(p.get("type") or "post").replace("_", " ").capitalize(), caption=str(p.get("caption") or ""),
            when=fmt.local_time(datetime.fromisoformat(p["posted_at"]), tz, "%d %b %Y, %H:%M"),
            thumbnail=thumb if thumb.startswith("https://") else "", url=_web_url(p.get("url")),
            interactions=f"{fmt.number(p.get('interactions'))} interactions", rate=rate))
    return out


def insight_rows(feed: Iterable[dict], tz: str) -> list[InsightRow]:
    return [InsightRow(
        id=int(i["id"]), type=str(i.get("type") or ""), priority=str(i.get("priority") or "medium"),
        priority_color=st.PRIORITY_COLORS.get(str(i.get("priority")), "gray"), title=str(i.get("title") or ""),
        message=str(i.get("message") or ""), actions=[str(a) for a in i.get("actions") or []],
        unread=not i.get("is_read"), when=fmt.local_time(i.get("created_at"), tz, "%d %b, %H:%M"),
    ) for i in feed]


def _on(value: Any) -> str:
    try:
        return day_label(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return ""


def goal_rows(views: Iterable[dict]) -> list[GoalRow]:
    out = []
    for g in views:
        prog, proj = g.get("progress") or {}, g.get("projection") or {}
        pct = int(prog.get("pct") or 0)
        if prog:
            words = f"{fmt.number(prog['current'])} of {fmt.number(prog['target'])} ({prog['pct']:.0f}%)"
        else:
            words = f"target {fmt.number(g.get('target'))}: no numbers yet"
        if g.get("achieved_at") or (prog and prog.get("remaining") == 0):
            outlook, color, pct = "Reached!", "green", 100
        elif prog.get("on_track") is False:
            need = prog.get("needed_per_day")
            outlook, color = "Behind pace" + (f": needs {fmt.signed(need)} a day" if need else ""), "orange"
        elif proj.get("expected_date"):
            outlook, color = f"Likely around {_on(proj['expected_date'])}", "violet"
        elif prog.get("on_track"):
            outlook, color = "On track", "green"
        else:
            outlook, color = "", "violet"
        out.append(GoalRow(id=int(g["id"]), title=str(g.get("title") or ""), pct=max(0, min(100, pct)),
                           progress=words, outlook=outlook, color=color))
    return out


def level_view(lv: dict) -> LevelView:
    into, need = int(lv.get("xp_into_level") or 0), int(lv.get("xp_for_next") or 0)
    level = int(lv.get("level") or 1)
    return LevelView(level=level, title=f"Level {level}", name=str(lv.get("name") or ""),
                     pct=int(into * 100 / need) if need else 0,
                     words=f"{into:,} of {need:,} XP to level {level + 1} · {int(lv.get('total_xp') or 0):,} XP in all")


def audience_options(d: DashboardData) -> list[Option]:
    """Platforms with audience data, biggest audience first (the default is the first)."""
    size = {p["platform"]: p["followers"] for p in d.platforms}
    names = sorted((p for p, a in d.audience.items() if any(a.get(k) for k in DEMOGRAPHICS)),
                   key=lambda p: (-size.get(p, 0), p))
    return [Option(p, platform_label(p)) for p in names]


# ------------------------------------------------------------------ figures
def growth(d: DashboardData, hidden: Iterable[str]) -> Figure:
    words = _between(d)
    if not d.series:
        return empty_figure(f"No follower numbers {words}." if d.has_data else
                            "No follower numbers yet.<br>They appear after your first sync.")
    visible = {p for p in d.series if p not in set(hidden)}
    if not visible:
        return empty_figure("Every platform is hidden:<br>turn one on above the chart.")
    ahead = forecast_days(_span(d))
    forecasts = {p: list(pts)[:ahead] for p, pts in d.forecasts.items() if p != TOTAL_FORECAST}
    fig = growth_figure(d.series, visible=visible, anomalies=d.anomalies, forecasts=forecasts)
    fig["layout"]["showlegend"] = False  # the chips above the chart are its legend (and its switches)
    return fig


def _between(d: DashboardData) -> str:
    if not d.start or not d.end:
        return "in this range"
    return f"between {day_label(date.fromisoformat(d.start))} and {day_label(date.fromisoformat(d.end))}"


def comparison_rows(d: DashboardData) -> list[dict]:
    """The comparison's rows, without a growth figure for a platform with one day on record (its
    "0 %" would read as no growth rather than not known yet)."""
    return [{**r, "growth_pct": r.get("growth_pct") if len(d.series.get(r["platform"]) or []) > 1 else None}
            for r in d.comparison]


def comparison(d: DashboardData) -> Figure:
    if d.has_data and not d.platforms:
        return empty_figure(f"No numbers {_between(d)} to compare.")
    return comparison_figure(comparison_rows(d))


def _posts_figure(build, height: int = st.chart_height):
    """A posts chart, or the words saying the range has no posts (without building the chart)."""
    def make(d: DashboardData, hidden: Iterable[str] = ()) -> Figure:
        if d.has_data and d.posts_count == 0:
            return empty_figure(f"No posts {_between(d)}.", height)
        return build(d)
    return make


# Each chart of the data part by name; only the growth chart depends on the hidden platforms.
FIGURE_BUILDERS = {
    "growth": growth,
    "engagement": _posts_figure(lambda d: engagement_figure(d.engagement)),
    "comparison": lambda d, hidden=(): comparison(d),
    "content": _posts_figure(lambda d: content_type_figure(d.content_types), st.chart_height_sm),
    "heatmap": _posts_figure(lambda d: best_time_heatmap(d.best_times, d.timezone), st.chart_height - 60),
}


def height(fig: Figure) -> str:
    """The figure's own height, for the box that holds it."""
    h = (fig.get("layout") or {}).get("height")
    return f"{int(h or st.chart_height)}px"
