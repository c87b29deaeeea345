"""Insights: every current insight, most urgent first, with what it rests on; read when shown,
dismissed, or acted on ("I did this" earns XP); filtered by type; new ones arrive live."""

from __future__ import annotations

import dataclasses
import logging

import reflex as rx

from dreamsuite import db
from dreamsuite.models import InsightType
from dreamsuite.services import insights
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope
from dreamsuite.state import fmt
from dreamsuite.state.auth import to_login_page
from dreamsuite.state.insight_text import basis, sources_sentence
from dreamsuite.state.level import LevelState
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)
ALL = "all"
TYPE_LABELS = {"growth": "Growth", "content": "Content", "strategy": "Strategy", "trend": "Trend", "goal": "Goal",
               "promotion": "Promotion"}
PRIORITY_LABELS = {"urgent": "Urgent", "high": "High", "medium": "Medium", "low": "Low"}


@dataclasses.dataclass
class InsightCard:
    id: int = 0
    type: str = ""
    type_label: str = ""
    priority: str = ""
    priority_label: str = ""
    title: str = ""
    message: str = ""
    actions: list[str] = dataclasses.field(default_factory=list)
    basis: list[str] = dataclasses.field(default_factory=list)
    sources: str = ""
    when: str = ""
    new: bool = False  # unread when this page showed it
    dismissed: bool = False
    acted_on: bool = False


# The type filter's choices: (value, label).
TYPE_CHOICES = [(ALL, "All types"), *((t.value, TYPE_LABELS[t.value]) for t in InsightType)]


def card(row: dict, tz: str, new: bool) -> InsightCard:
    return InsightCard(
        id=row["id"], type=row["type"], type_label=TYPE_LABELS.get(row["type"], row["type"].capitalize()),
        priority=row["priority"], priority_label=PRIORITY_LABELS.get(row["priority"], row["priority"].capitalize()),
        title=row["title"], message=row["message"], actions=[str(a) for a in row["actions"]],
        basis=basis(row["figures"]), sources=sources_sentence(row["sources"]),
        when=fmt.local_time(row["created_at"], tz, "%d %b, %H:%M"), new=new,
        dismissed=bool(row["dismissed"]), acted_on=bool(row["acted_on"]))


def _mark_read(scope: Scope, ids: list[int]) -> None:
    for i in ids:
        insights.mark_read(scope, i)


class InsightsState(LevelState):
    items: list[InsightCard] = []
    loaded: bool = False
    filter_type: str = ALL
    show_dismissed: bool = False
    new_count: int = 0
    total: int = 0
    notice: str = ""
    notice_error: bool = False
    _rows: list[dict] = []
    # Shown unread on this page: read now, still marked "new" until "mark all read" or a new visit.
    _fresh: list[int] = []
    _listen_gen: int = 0

    async def _reload(self, scope: Scope | None = None) -> None:
        scope = scope or await self._scope()
        self._rows = await db.run(insights.feed, scope, include_dismissed=self.show_dismissed)
        await self._show(scope)

    async def _show(self, scope: Scope) -> None:
        """Build the cards the filter lets through, and mark the unread ones among them read."""
        shown = [r for r in self._rows if self.filter_type == ALL or r["type"] == self.filter_type]
        unseen = [r["id"] for r in shown if not r["is_read"] and not r["dismissed"]]
        if unseen:
            try:
                await db.run(_mark_read, scope, unseen)
            except UserError:
                log.info("insights could not be marked read", exc_info=True)
            else:
                self._fresh = [*self._fresh, *(i for i in unseen if i not in self._fresh)]
        fresh = set(self._fresh)
        tz = self.user_timezone
        self.items = [card(r, tz, new=(r["id"] in fresh or not r["is_read"]) and not r["dismissed"]) for r in shown]
        live = [r for r in self._rows if not r["dismissed"]]
        self.total = len(live)
        self.new_count = sum(1 for r in live if r["id"] in fresh or not r["is_read"])
        self.loaded = True

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        self._fresh = []
        self.notice = ""
        scope = await self._scope()
        await self._reload(scope)
        await self._load_level(scope)
        return InsightsState.watch

    @rx.event
    async def set_filter(self, value: str):
        self.filter_type = value if value in {ALL, *(t.value for t in InsightType)} else ALL
        await self._show(await self._scope())

    @rx.event
    async def set_show_dismissed(self, value: bool):
        self.show_dismissed = bool(value)
        await self._reload()

    @rx.event
    async def mark_all_read(self):
        scope = await self._scope()
        await db.run(insights.mark_read, scope, None)
        self._fresh = []
        await self._reload(scope)

    @rx.event
    async def dismiss(self, insight_id: int):
        scope = await self._scope()
        try:
            await db.run(insights.dismiss, scope, insight_id)
        except UserError as exc:
            self.notice, self.notice_error = exc.message, True
            return
        self.notice, self.notice_error = "Dismissed. It will not come back while it holds.", False
        await self._reload(scope)

    @rx.event
    async def act_on(self, insight_id: int):
        scope = await self._scope()
        before = self.xp_total
        try:
            await db.run(insights.act_on, scope, insight_id)
        except UserError as exc:  # a viewer, or an insight that is gone
            self.notice, self.notice_error = exc.message, True
            return
        await self._reload(scope)
        await self._load_level(scope)
        earned = "" if self.xp_total == before else " XP earned: see your level."
        self.notice, self.notice_error = f"Well done: marked as done.{earned}", False

    @rx.event
    def dismiss_notice(self):
        self.notice = ""

    async def _on_event(self, ev: dict) -> None:
        if ev.get("kind") == "xp":
            await self._load_level()
        else:
            await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/insights", {"insight", "analysis", "xp"}, self._on_event):
            yield to_login_page()
