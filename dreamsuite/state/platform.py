"""One platform's page (/platforms/<name>): its accounts, followers, its own numbers over a range
(30 days, 90 days, 12 months), breakdowns, posts, content types and audience; reloaded live
when a sync lands."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date
from typing import Any

import reflex as rx

from dreamsuite import db
from dreamsuite.components.charts import content_type_figure, demographics_figures, growth_figure
from dreamsuite.components.charts_base import EMPTY_FIGURE
from dreamsuite.components.charts_platform import breakdown_figure, metric_figure
from dreamsuite.state.export_links import export_links
from dreamsuite.services.platform_page import PlatformPage, describe, platform_page
from dreamsuite.settings import get_settings
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.live import watch_page
from dreamsuite.styles import platform_color

log = logging.getLogger(__name__)
RANGES = {"30": 30, "90": 90, "365": 365}


@dataclasses.dataclass
class AccountView:
    handle: str = ""
    status: str = ""
    status_label: str = ""
    last_synced: str = ""
    profile_url: str = ""


@dataclasses.dataclass
class StatView:
    label: str = ""
    value: str = ""
    sub: str = ""
    key: str = ""


@dataclasses.dataclass
class PostView:
    kind: str = ""
    date: str = ""
    caption: str = ""
    full_caption: str = ""
    url: str = ""
    cells: list[str] = dataclasses.field(default_factory=list)
    rate: str = ""
    rate_note: str = ""


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "/100":
        return f"{value:.0f}/100"
    if unit == "hours":
        return f"{value:,.0f} h" if value >= 100 else f"{value:,.1f} h"
    if unit == "min":
        minutes, seconds = divmod(round(value * 60), 60)
        return f"{minutes}:{seconds:02d} min"
    return fmt.number(value)


def _day(iso: str | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {d:%b %Y}"


def _range_words(days: int) -> str:
    return "12 months" if days >= 365 else f"{days} days"


class PlatformState(AuthState):
    """Holds nothing named `platform`: the route's own [platform] argument is that name."""

    page_status: str = "loading"  # loading | ok | unknown | no_api | not_connected | error
    message: str = ""
    name: str = ""
    label: str = ""
    color: str = ""
    range_key: str = "90"
    range_words: str = "90 days"
    start: str = ""
    end: str = ""
    range_label: str = ""
    last_synced: str = ""
    history_note: str = ""
    accounts: list[AccountView] = []
    stats: list[StatView] = []
    growth: dict[str, Any] = EMPTY_FIGURE
    chart_titles: list[str] = []
    chart_keys: list[str] = []
    charts: list[dict[str, Any]] = []
    breakdown_titles: list[str] = []
    breakdowns: list[dict[str, Any]] = []
    has_content_types: bool = False
    content_types: dict[str, Any] = EMPTY_FIGURE
    has_hashtags: bool = False
    hashtags: dict[str, Any] = EMPTY_FIGURE
    has_audience: bool = False
    audience_date: str = ""
    audience_parts: list[str] = []  # which of age, gender, countries, cities the platform gave
    age: dict[str, Any] = EMPTY_FIGURE
    gender: dict[str, Any] = EMPTY_FIGURE
    countries: dict[str, Any] = EMPTY_FIGURE
    cities: dict[str, Any] = EMPTY_FIGURE
    post_headers: list[str] = []
    posts: list[PostView] = []
    posts_note: str = ""
    unavailable: list[str] = []
    _listen_gen: int = 0

    @rx.var
    def export_urls(self) -> dict[str, str]:
        return export_links(get_settings().api_url, self.start, self.end, self.name)

    def _route_name(self) -> str:
        parts = [p for p in self.router.url.path.split("/") if p]
        return parts[1].lower() if len(parts) >= 2 and parts[0] == "platforms" else ""

    async def _reload(self) -> None:
        scope = await self._scope()
        try:
            data = await db.run(platform_page, scope, self.name, days=RANGES.get(self.range_key, 90))
        except Exception:
            log.exception("platform page data failed for %s", self.name)
            self.page_status, self.message = "error", "These numbers could not be loaded. Please reload the page."
            return
        self._show(data)

    def _show(self, d: PlatformPage) -> None:
        self.page_status, self.message, self.label = d.status, d.message, d.label or d.platform
        self.unavailable = [f"{what}: {why}" for what, why in d.unavailable]
        if d.status != "ok":
            return
        tz = self.user_timezone
        self.start, self.end = d.start or "", d.end or ""
        self.range_label = f"{_day(d.start)} – {_day(d.end)}"
        self.range_words = _range_words(RANGES.get(self.range_key, 90))
        self.last_synced = fmt.local_time(d.last_synced_at, tz)
        self.accounts = [AccountView(handle=a["handle"] or a["display_name"] or "account", status=a["status"],
                                     status_label=fmt.connection_status(a["status"]),
                                     last_synced=fmt.local_time(a["last_synced_at"], tz),
                                     profile_url=a["profile_url"]) for a in d.accounts]
        self.history_note = self._history_note(d)
        change = "" if d.followers_change is None else (
            f"{fmt.signed(d.followers_change)} in {self.range_words}"
            + (f" ({fmt.pct(d.followers_change_pct, signed_=True)})" if d.followers_change_pct is not None else ""))
        words = {"sum": f"in {self.range_words}", "mean": "daily average", "last": "latest"}
        self.stats = [StatView(d.followers_word, fmt.number(d.followers_now), change, "followers")] + [
            StatView(s["label"], value_text(s["value"], s["unit"]), words.get(s["agg"], ""), s["key"])
            for s in d.stats]
        self.growth = growth_figure({d.platform: d.followers})
        self.chart_titles = [c["title"] + (" per week" if d.step == "week" else "") for c in d.charts]
        self.chart_keys = ["-".join(c["keys"]) for c in d.charts]
        self.charts = [metric_figure(c["series"], d.platform, c["unit"], d.step) for c in d.charts]
        self.breakdown_titles = [b["title"] for b in d.breakdowns]
        self.breakdowns = [breakdown_figure(b["items"], b["kind"], hours=b["title"].startswith("When"))
                           for b in d.breakdowns]
        self.has_content_types = any(t["avg_rate"] is not None for t in d.content_types)
        self.content_types = content_type_figure(d.content_types)
        self.has_hashtags = bool(d.hashtags)
        self.hashtags = content_type_figure(d.hashtags, keys_as_given=True)
        kinds = ("age", "gender", "countries", "cities")
        self.audience_parts = [k for k in kinds if d.audience.get(k)]
        self.has_audience = bool(self.audience_parts)
        self.audience_date = _day(d.audience.get("date"))
        figs = demographics_figures(d.audience)
        self.age, self.gender, self.countries, self.cities = (figs[k] for k in kinds)
        self._posts(d, tz)

    def _history_note(self, d: PlatformPage) -> str:
        first = date.fromisoformat(d.first_day) if d.first_day else None
        since = _day(d.first_day) if first else "your first sync"
        days = f"{d.days_stored} day{'s' if d.days_stored != 1 else ''} so far"
        if not d.history:
            return (f"{d.label} gives only today's numbers, so the history builds from the day you connected: "
                    f"collected since {since}, {days}.")
        if first and d.start and first > date.fromisoformat(d.start):
            return f"{d.label} gave no days before {since}; each daily sync adds one."
        return ""

    def _posts(self, d: PlatformPage, tz: str) -> None:
        self.post_headers = [label for _, label in d.post_columns]
        rows = []
        for p in d.posts:
            cells = []
            for column, _ in d.post_columns:
                value = p.get(column)
                cells.append("—" if column in p["unknown"] or value is None else fmt.number(value))
            rate = p["rate"]
            rows.append(PostView(
                kind=p["type"].replace("_", " ").capitalize(), date=fmt.local_time(p["posted_at"], tz),
                caption=p["caption"] or "(no caption)", full_caption=p["full_caption"], url=p["url"],
                cells=cells, rate="—" if rate is None else f"{rate:.1f}%",
                rate_note="" if rate is None else f"interactions over {p['basis']}"))
        self.posts = rows
        shown = len(rows)
        self.posts_note = (f"The newest {shown} of {d.posts_total} posts." if d.posts_total > shown else "")

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        name = self._route_name()
        if name != self.name:
            self.range_key = "90"
        self.name = name
        self.page_status = "loading"
        first = describe(name)
        self.label = first.label or name
        self.color = platform_color(first.platform) if first.status != "unknown" else ""
        await self._reload()
        return PlatformState.watch

    @rx.event
    async def set_range(self, key: str | list[str]):
        self.range_key = key if isinstance(key, str) and key in RANGES else "90"
        await self._reload()

    @rx.event(background=True)
    async def watch(self):
        async with self:
            path = self.router.url.path.rstrip("/")
        if await watch_page(self, path, {"sync"}, lambda ev: self._reload()):
            yield to_login_page()
