"""The workspace's level and XP, shown on the goals and insights pages (both states derive from
this one, so an XP event seen by either page updates the same card)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from dreamsuite import db
from dreamsuite.services import xp
from dreamsuite.services.scope import Scope
from dreamsuite.state.auth import AuthState

XP_LABELS = {
    "connected_platform": "Connected a platform",
    "acted_on_insight": "Acted on an insight",
    "milestone": "Follower milestone",
    "goal_reached": "Goal reached",
    "posting_streak": "Posting streak",
}


@dataclasses.dataclass
class XpRow:
    label: str = ""
    points: str = ""  # "+25 XP"
    detail: str = ""


def xp_label(kind: str) -> str:
    return XP_LABELS.get(kind, kind.replace("_", " ").capitalize())


class LevelState(AuthState):
    level: int = 0
    level_name: str = ""
    xp_total: str = "0"
    xp_into: int = 0
    xp_for_next: int = 0
    xp_events: list[XpRow] = []

    @rx.var
    def xp_pct(self) -> int:
        return min(100, max(0, round(self.xp_into * 100 / self.xp_for_next))) if self.xp_for_next else 0

    @rx.var
    def xp_progress(self) -> str:
        """'380 of 1,000 XP'."""
        return f"{self.xp_into:,} of {self.xp_for_next:,} XP"

    @rx.var
    def xp_to_next(self) -> str:
        left = max(0, self.xp_for_next - self.xp_into)
        return f"{left:,} XP to level {self.level + 1}" if self.level else ""

    async def _load_level(self, scope: Scope | None = None) -> None:
        d = await db.run(xp.level, scope or await self._scope())
        self.level, self.level_name = int(d["level"]), str(d["name"])
        self.xp_total = f"{int(d['total']):,}"
        self.xp_into, self.xp_for_next = int(d["xp_into_level"]), int(d["xp_for_next"])
        self.xp_events = [XpRow(xp_label(e["kind"]), f"+{int(e['points']):,} XP", e.get("detail") or "")
                          for e in d["recent"]]
