"""Dashboard: quick stats and the growth chart, reloaded live when a sync or publish lands."""

from __future__ import annotations

import logging

import plotly.graph_objects as go
import reflex as rx

from dreamsuite import db
from dreamsuite.components.charts import growth_figure
from dreamsuite.platforms import platform_label
from dreamsuite.services.dashboard import dashboard_data
from dreamsuite.state import fmt
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)


class DashboardState(AuthState):
    loaded: bool = False
    has_data: bool = False
    followers: str = "—"
    change_7d: str = "—"
    change_7d_pct: str = ""
    change_positive: bool = True
    engagement_rate: str = "—"
    posts_count: str = "—"
    last_synced: str = ""
    as_of: str = ""
    platforms: list[dict[str, str]] = []
    figure: go.Figure = go.Figure()
    load_error: str = ""
    _listen_gen: int = 0

    async def _reload(self) -> None:
        scope = await self._scope()
        try:
            d = await db.run(dashboard_data, scope)
        except Exception:
            log.exception("dashboard data failed")
            self.load_error = "Your numbers could not be loaded. Please reload the page."
            return
        self.load_error = ""
        self.loaded = True
        self.has_data = bool(d.has_data)
        self.followers = fmt.number(d.total_followers)
        self.change_7d = fmt.signed(d.change_7d)
        self.change_7d_pct = fmt.pct(d.change_7d_pct, signed_=True) if d.change_7d_pct is not None else ""
        self.change_positive = (d.change_7d or 0) >= 0
        self.engagement_rate = fmt.pct(d.engagement_rate)
        self.posts_count = fmt.number(d.posts_count)
        self.last_synced = fmt.local_time(d.last_synced_at, self.user_timezone)
        self.as_of = d.as_of or ""
        self.platforms = [
            {"platform": platform_label(p["platform"]), "followers": fmt.number(p["followers"]),
             "change": fmt.signed(p["change_7d"])}
            for p in d.platforms
        ]
        self.figure = growth_figure(d.series)

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        await self._reload()
        return DashboardState.watch

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/dashboard", {"sync", "publish"}, lambda ev: self._reload()):
            yield to_login_page()
