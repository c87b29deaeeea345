"""Dashboard: every number and chart for a date range, the insights, goals and level, reloaded
live when a sync, a publish, an analysis, an insight, a goal or XP lands.

The services read; `dashboard_view` turns their plain data into rows and figures; this class
keeps what the page shows, the range and the hidden platforms (kept while the range changes).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx

from dreamsuite import db
from dreamsuite.components.charts import demographics_figures
from dreamsuite.components.charts_base import EMPTY_FIGURE, Figure
from dreamsuite.platforms import platform_label
from dreamsuite.services import connections, goals, insights, sync, xp
from dreamsuite.services.dashboard import DashboardData, dashboard_data, data_mark
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope
from dreamsuite.settings import get_settings
from dreamsuite.state import dashboard_cache as cache
from dreamsuite.state import dashboard_view as view
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.dashboard_range import (CUSTOM, DEFAULT_PRESET, Choice, custom_choice, forecast_days,
                                              preset_choice, range_words)
from dreamsuite.state.export_links import export_links
from dreamsuite.state.live import watch_page
from dreamsuite.state.plain import plain

log = logging.getLogger(__name__)

ALL_PARTS = frozenset({"data", "insights", "goals", "level"})
# Which parts of the page each live event changes.
EVENT_PARTS = {"sync": ALL_PARTS, "publish": ALL_PARTS, "analysis": ALL_PARTS,
               "insight": frozenset({"insights"}), "goal": frozenset({"goals"}), "xp": frozenset({"level"})}
INSIGHTS_SHOWN = 5
LOAD_ERROR = "Your numbers could not be loaded just now. Please reload the page in a moment."


def read(scope: Scope, choice: Choice, parts: frozenset[str], known: DashboardData | None = None) -> dict[str, Any]:
    """Everything the page needs, read in one trip to the database threads (the numbers only
    when `known` does not already hold them). The side panels fail on their own (None): a
    broken goal must not hide the numbers."""
    out: dict[str, Any] = {}
    if "data" in parts:
        d = known if known is not None else dashboard_data(scope, choice.days, choice.start, choice.end)
        out["data"], out["cards"] = d, connections.list_cards(scope)
        out["runs"] = [] if d.has_data else sync.sync_history(scope, limit=50)
    for part, fn in (("insights", lambda: insights.feed(scope, limit=INSIGHTS_SHOWN)),
                     ("goals", lambda: goals.views(scope)), ("level", lambda: xp.level(scope))):
        if part in parts:
            try:
                out[part] = fn()
            except Exception:
                log.exception("dashboard %s could not be read", part)
                out[part] = None
    return out


class DashboardState(AuthState):
    loaded: bool = False
    has_data: bool = False
    has_connections: bool = False
    loading: bool = False
    load_error: str = ""
    # The range: a preset, or a custom from–to (the inputs show the range on screen).
    preset: str = DEFAULT_PRESET
    custom_from: str = ""
    custom_to: str = ""
    range_error: str = ""
    range_label: str = ""
    shown_start: str = ""  # the range the charts show (iso), for the export links
    shown_end: str = ""
    today: str = ""
    last_synced: str = ""
    forecast_note: str = ""
    engagement_note: str = ""
    heatmap_note: str = ""
    stats: view.Stats = view.Stats()
    platforms: list[view.PlatformRow] = []
    chips: list[view.Chip] = []
    hidden: list[str] = []
    setup: list[view.SetupRow] = []
    posts: list[view.PostCard] = []
    insights: list[view.InsightRow] = []
    insights_error: str = ""
    action_error: str = ""
    goals: list[view.GoalRow] = []
    goals_error: str = ""
    level: view.LevelView = view.LevelView()
    level_known: bool = False
    audience_options: list[view.Option] = []
    audience_platform: str = ""
    audience_note: str = ""
    # The charts as plotly's JSON (what the browser draws), not Figure objects: a tab's state is
    # unpickled and pickled again on every event, and a Figure costs milliseconds each way.
    growth_fig: dict[str, Any] = EMPTY_FIGURE
    engagement_fig: dict[str, Any] = EMPTY_FIGURE
    comparison_fig: dict[str, Any] = EMPTY_FIGURE
    content_fig: dict[str, Any] = EMPTY_FIGURE
    heatmap_fig: dict[str, Any] = EMPTY_FIGURE
    age_fig: dict[str, Any] = EMPTY_FIGURE
    gender_fig: dict[str, Any] = EMPTY_FIGURE
    countries_fig: dict[str, Any] = EMPTY_FIGURE
    cities_fig: dict[str, Any] = EMPTY_FIGURE
    heights: dict[str, str] = {k: "360px" for k in ("growth", "engagement", "comparison", "content", "heatmap",
                                                     "age", "gender", "countries", "cities")}
    _listen_gen: int = 0
    _start: str = ""  # the custom range applied (iso); "" with a preset
    _end: str = ""
    _inputs_dirty: bool = False  # the artist is editing the dates: a live reload leaves them be
    # What the growth chart and the audience need again without a read (toggles, platform picks).
    _growth: dict = {}
    _audience: dict = {}

    @rx.var
    def export_urls(self) -> dict[str, str]:
        """The Export menu's links, for the range the charts show."""
        return export_links(get_settings().api_url, self.shown_start, self.shown_end)

    # ------------------------------------------------------------------ reading
    def _choice(self) -> Choice:
        if self.preset == CUSTOM and self._start and self._end:
            start, end = date.fromisoformat(self._start), date.fromisoformat(self._end)
            return Choice(CUSTOM, (end - start).days + 1, start, end)
        return preset_choice(self.preset)

    def _today(self) -> date:
        try:
            zone = ZoneInfo(self.user_timezone or "UTC")
        except Exception:
            zone = ZoneInfo("UTC")
        return datetime.now(zone).date()

    async def _reload(self, parts: frozenset[str] = ALL_PARTS) -> None:
        scope = await self._scope()
        choice, entry = self._choice(), None
        # Every tab of the artist on this range shares one read and one set of figures, until
        # an announcement for the workspace lands (dashboard_cache).
        cache.ensure_listening()
        ver, key = cache.version(scope.workspace_id), None
        if "data" in parts and ver is not None:
            try:  # and only while the data's fingerprint holds (a change nobody announced)
                mark = cache.recent_mark(scope.workspace_id, ver)
                if mark is None:
                    mark = await db.run(data_mark, scope)
                    cache.remember_mark(scope.workspace_id, ver, mark)
                key = (choice.preset, choice.days, choice.start, choice.end, mark)
            except Exception:
                log.warning("dashboard data mark failed; reading afresh", exc_info=True)
            entry = cache.lookup(scope.workspace_id, ver if key else None, key)
        try:
            got = await db.run(read, scope, choice, parts, entry.data if entry else None)
        except Exception:
            log.exception("dashboard data failed")
            self.load_error = LOAD_ERROR
            self.loaded = True
            return
        self.today = self._today().isoformat()
        if "data" in got:
            self.load_error = ""
            if entry is None:
                entry = cache.store(scope.workspace_id, ver if key else None, key, got["data"])
            self._show_data(got["data"], got["cards"], got["runs"], entry)
        tz = self.user_timezone
        if "insights" in got:
            rows = got["insights"]
            self.insights = view.insight_rows(rows or [], tz)
            self.insights_error = "" if rows is not None else "Insights could not be loaded just now."
        if "goals" in got:
            rows = got["goals"]
            self.goals = view.goal_rows(rows or [])
            self.goals_error = "" if rows is not None else "Goals could not be loaded just now."
        if "level" in got:
            self.level_known = got["level"] is not None
            self.level = view.level_view(got["level"] or {})
        self.loaded = True

    def _show_data(self, d: DashboardData, cards: list[dict], runs: list[dict],
                   entry: cache.Entry | None = None) -> None:
        status = view.connection_status(cards)
        self.has_data, self.has_connections = bool(d.has_data), bool(status)
        self.setup = view.setup_rows(cards, runs) if not d.has_data else []
        self.last_synced = fmt.local_time(d.last_synced_at, self.user_timezone)
        self.stats = view.stats(d)
        self.platforms = view.platform_rows(d, status)
        self.posts = view.post_cards(d, self.user_timezone)
        first = min((pts[0][0] for pts in d.series.values() if pts), default=None)
        self.range_label = range_words(d.start, d.end, self.preset, first)
        self.shown_start, self.shown_end = d.start or "", d.end or ""
        if not self._inputs_dirty:
            self.custom_from, self.custom_to = d.start or "", d.end or ""
        self._growth = {"has_data": d.has_data, "start": d.start, "end": d.end, "series": d.series,
                        "anomalies": d.anomalies, "forecasts": d.forecasts}
        self.chips = view.chips(d, self.hidden)
        hidden = list(self.hidden)
        figs = {name: cache.figure(entry, (name, tuple(sorted(hidden)) if name == "growth" else ()),
                                   lambda build=build: build(d, hidden))
                for name, build in view.FIGURE_BUILDERS.items()}
        self.growth_fig, self.engagement_fig = figs["growth"], figs["engagement"]
        self.comparison_fig, self.content_fig, self.heatmap_fig = figs["comparison"], figs["content"], figs["heatmap"]
        self.heights = {**self.heights, **{k: view.height(f) for k, f in figs.items()}}
        drawn = [p for p in d.forecasts if p != view.TOTAL_FORECAST and p in d.series]
        self.forecast_note = (f"Dashed: the next {forecast_days(view._span(d))} days' forecast; the shaded band is "
                              "its likely range." if drawn else
                              "No forecast: it is drawn when the range ends on your latest day." if d.end != d.as_of
                              else "")
        self.engagement_note = ("Average engagement rate of the posts published each "
                                + ("day" if d.engagement_step == "day" else "week (from Monday)") + ", per platform.")
        self.heatmap_note = f"Hours in {d.timezone.replace('_', ' ')}. Faded cells: too few posts to trust."
        self._audience = d.audience
        self.audience_options = view.audience_options(d)
        values = [o.value for o in self.audience_options]
        if self.audience_platform not in values:
            self.audience_platform = values[0] if values else ""
        self._show_audience(entry)

    def _show_audience(self, entry: cache.Entry | None = None) -> None:
        data = plain((self._audience or {}).get(self.audience_platform) or {})
        built: dict[str, Figure] = {}

        def build(k: str) -> Figure:  # the four are made together, and only on a miss
            if not built:
                built.update(demographics_figures(data))
            return built[k]

        figs = {k: cache.figure(entry, ("audience", self.audience_platform, k), lambda k=k: build(k))
                for k in view.DEMOGRAPHICS}
        self.age_fig, self.gender_fig = figs["age"], figs["gender"]
        self.countries_fig, self.cities_fig = figs["countries"], figs["cities"]
        self.heights = {**self.heights, **{k: view.height(f) for k, f in figs.items()}}
        when = str(data.get("date") or "")
        self.audience_note = (f"{platform_label(self.audience_platform)}'s own figures, as of "
                              f"{view.short_day(when)}.") if when else ""

    def _redraw_growth(self) -> None:
        g = plain(self._growth or {})
        d = DashboardData(has_data=bool(g.get("has_data")), start=g.get("start"), end=g.get("end"),
                          series=g.get("series") or {}, anomalies=g.get("anomalies") or {},
                          forecasts=g.get("forecasts") or {})
        self.chips = view.chips(d, self.hidden)
        self.growth_fig = cache.figure(None, "growth", lambda: view.growth(d, self.hidden))
        self.heights = {**self.heights, "growth": view.height(self.growth_fig)}

    # ------------------------------------------------------------------ events
    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        await self._reload()
        return DashboardState.watch

    async def _reload_range(self):
        self.loading = True
        yield
        try:
            await self._reload(frozenset({"data"}))
        finally:
            self.loading = False

    @rx.event
    async def set_preset(self, value: str | list[str]):
        choice = preset_choice(str(value[0] if isinstance(value, list) and value else value))
        self.preset, self._start, self._end = choice.preset, "", ""
        self.range_error, self._inputs_dirty = "", False
        async for update in self._reload_range():
            yield update

    @rx.event
    def set_custom_from(self, value: str):
        self.custom_from, self._inputs_dirty, self.range_error = str(value)[:32], True, ""

    @rx.event
    def set_custom_to(self, value: str):
        self.custom_to, self._inputs_dirty, self.range_error = str(value)[:32], True, ""

    @rx.event
    async def apply_custom(self, form_data: dict | None = None):
        # The form's own values: the inputs' last keystrokes may not have reached the state yet.
        form = form_data if isinstance(form_data, dict) else {}
        self.custom_from = str(form.get("from", self.custom_from))[:32]
        self.custom_to = str(form.get("to", self.custom_to))[:32]
        choice = custom_choice(self.custom_from, self.custom_to, self._today())
        if isinstance(choice, str):
            self.range_error = choice
            return
        self.preset, self._start, self._end = CUSTOM, choice.start.isoformat(), choice.end.isoformat()
        self.range_error, self._inputs_dirty = "", False
        async for update in self._reload_range():
            yield update

    @rx.event
    async def toggle_platform(self, platform: str):
        await self._scope()
        platform = str(platform)
        self.hidden = [p for p in self.hidden if p != platform] if platform in self.hidden else [*self.hidden, platform]
        self._redraw_growth()

    @rx.event
    async def set_audience_platform(self, platform: str):
        await self._scope()
        if platform in (self._audience or {}):
            self.audience_platform = str(platform)
            self._show_audience()

    async def _on_insight(self, fn, insight_id: int, removes: bool) -> None:
        self.action_error = ""
        scope = await self._scope()
        if removes:  # gone from the panel at once; the reload below confirms it
            self.insights = [i for i in self.insights if i.id != insight_id]
        try:
            await db.run(fn, scope, int(insight_id))
        except UserError as exc:
            self.action_error = exc.message
        except Exception:
            log.exception("insight action failed")
            self.action_error = "That did not work just now; please try again."
        await self._reload(frozenset({"insights", "level"}))

    @rx.event
    async def mark_read(self, insight_id: int):
        await self._on_insight(insights.mark_read, insight_id, removes=False)

    @rx.event
    async def dismiss(self, insight_id: int):
        await self._on_insight(insights.dismiss, insight_id, removes=True)

    @rx.event
    async def act_on(self, insight_id: int):
        await self._on_insight(insights.act_on, insight_id, removes=True)

    async def _on_event(self, ev: dict) -> None:
        kind = ev.get("kind")
        if kind == "sync" and ev.get("status") == "started" and self.has_data:
            return  # nothing changed yet; the numbers follow when it finishes
        await self._reload(EVENT_PARTS.get(kind, ALL_PARTS))

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/dashboard", set(EVENT_PARTS), self._on_event):
            yield to_login_page()
