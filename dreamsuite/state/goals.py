"""Goals: each open goal with its progress, the pace it needs against the pace kept, when the
stored forecast reaches it (with its band) and whether the deadline looks likely; create, edit
and archive (editors and owners); the level card; live when a sync, an analysis or XP lands."""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import date
from typing import Any

import reflex as rx

from dreamsuite import db
from dreamsuite.components import charts_base
from dreamsuite.components.charts_goal import goal_figure
from dreamsuite.platforms import platform_label
from dreamsuite.services import goals
from dreamsuite.services.errors import UserError
from dreamsuite.state import fmt
from dreamsuite.state.auth import to_login_page
from dreamsuite.state.level import LevelState
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)
ALL = "all"  # the platform select's value for "every platform added up"
FORM_ID = "new-goal"
TARGET_HELP = "Write the target as a whole number of followers, like 10,000 (or 10k)."
DEADLINE_HELP = "Write the deadline as a date (YYYY-MM-DD), or leave it empty."
_SUFFIX = {"k": 1_000, "m": 1_000_000}


def parse_target(text: str) -> int:
    """'10,000', '10 000', '10000', '10k', '1.5m' → a whole number; ValueError for anything else
    (words, fractions of a follower, more than 15 characters)."""
    s = re.sub(r"[\s,_']", "", (text or "").strip().lower())
    if not s or len(s) > 15:
        raise ValueError(text)
    factor = _SUFFIX.get(s[-1], 1)
    if factor > 1:
        s = s[:-1]
    if not re.fullmatch(r"-?\d+(\.\d+)?", s):
        raise ValueError(text)
    value = float(s) * factor
    if not value.is_integer():
        raise ValueError(text)
    return int(value)


def parse_deadline(text: str) -> date | None:
    """What a date input sends ('2027-06-30'), or None when empty; ValueError otherwise."""
    s = (text or "").strip()
    if not s:
        return None
    if len(s) != 10:
        raise ValueError(text)
    return date.fromisoformat(s)


def day(d: date | str | None, today: date) -> str:
    """'3 Mar' this year, '3 Mar 2027' another year."""
    if not d:
        return ""
    d = date.fromisoformat(d) if isinstance(d, str) else d
    return f"{d.day} {d:%b}" if d.year == today.year else f"{d.day} {d:%b %Y}"


def day_range(a: date | str, b: date | str, today: date) -> str:
    """'12 and 19 Feb 2027', '20 Jan and 19 Feb', '20 Dec 2026 and 3 Jan 2027': the shared month
    and year written once."""
    a = date.fromisoformat(a) if isinstance(a, str) else a
    b = date.fromisoformat(b) if isinstance(b, str) else b
    if a.year != b.year:
        return f"{day(a, today)} and {day(b, today)}"
    year = "" if a.year == today.year else f" {a.year}"
    if a.month == b.month:
        return f"{a.day} and {b.day} {b:%b}{year}"
    return f"{a.day} {a:%b} and {b.day} {b:%b}{year}"


def per_day(n: float) -> str:
    return f"{n:,.1f}" if abs(n) < 10 and not float(n).is_integer() else f"{n:,.0f}"


def pace_text(progress: dict | None) -> str:
    if not progress or progress["remaining"] == 0:
        return ""
    recent, needed = progress["recent_per_day"], progress["needed_per_day"]
    lately = ("not enough history yet for your recent pace (it takes a week)" if recent is None
              else f"lately {'+' if recent > 0 else ''}{per_day(recent)} a day")
    if needed is not None:
        return f"Needs {per_day(needed)} a day to make the deadline; {lately}."
    return lately[0].upper() + lately[1:] + "."


def projection_text(projection: dict | None, forecast_end: str | None, today: date) -> str:
    """When the stored forecast reaches the target, with its band, or honestly that it does not."""
    if projection is None:
        return "No forecast yet: one is made after each sync, from at least two weeks of numbers."
    if projection["reached"]:
        return ""
    expected, earliest, latest = projection["expected_date"], projection["earliest"], projection["latest"]
    end = f" (it runs to {day(forecast_end, today)})" if forecast_end else ""
    if expected:
        if earliest and latest:
            band = f"between {day_range(earliest, latest, today)}"
        elif earliest:
            band = f"as early as {day(earliest, today)}; at the slow end, not within the forecast"
        else:
            band = f"at the slow end, not within the forecast{end}"
        return f"Expected around {day(expected, today)} ({band})."
    if earliest:
        return (f"Not within the forecast at the expected pace{end}; at the fast end of its band, around "
                f"{day(earliest, today)}.")
    return f"Not within the forecast{end}: at the pace it sees, the target is further away."


def verdict(view: dict, achieved: bool, today: date) -> tuple[str, str]:
    """(token, words) about the deadline: likely, possible, unlikely, on track, behind, passed."""
    if achieved:
        return "achieved", "Achieved"
    deadline = view["deadline"]
    if deadline is None:
        return "", ""
    if deadline <= today:
        return "passed", "Deadline passed"
    by = (view["projection"] or {}).get("by_deadline")
    if by in ("likely", "possible", "unlikely"):
        return by, f"{by.capitalize()} by the deadline"
    on_track = (view["progress"] or {}).get("on_track")
    if on_track is True:
        return "on_track", "On track at your recent pace"
    if on_track is False:
        return "behind", "Behind the pace it needs"
    return "", ""


@dataclasses.dataclass
class GoalCard:
    id: int = 0
    title: str = ""
    where: str = ""  # "Instagram" or "All platforms"
    current: str = "—"
    target: str = ""
    pct: int = 0  # of the target, for the bar
    pct_label: str = ""
    remaining: str = ""
    pace: str = ""
    projection: str = ""
    deadline: str = ""  # "Deadline 30 Jun 2027 · 120 days left"
    verdict: str = ""
    verdict_label: str = ""
    achieved: bool = False
    target_input: str = ""  # what the edit form starts with
    deadline_input: str = ""
    figure: dict[str, Any] = dataclasses.field(default_factory=lambda: charts_base.figure([], {}))  # draws nothing


@dataclasses.dataclass
class Choice:
    value: str = ""
    label: str = ""


def goal_card(view: dict[str, Any], today: date) -> GoalCard:
    progress, projection = view["progress"], view["projection"]
    achieved = bool(view["achieved_at"]) or bool(progress and progress["remaining"] == 0) \
        or bool(projection and projection["reached"])
    deadline = view["deadline"]
    token, words = verdict(view, achieved, today)
    left = (deadline - today).days if deadline else None
    forecast = view.get("forecast") or []
    return GoalCard(
        id=view["id"], title=view["title"], where=platform_label(view["platform"]) if view["platform"]
        else "All platforms",
        current=fmt.number(progress["current"]) if progress else "—", target=fmt.number(view["target"]),
        pct=int(progress["pct"]) if progress else 0,
        pct_label=fmt.pct(progress["pct"]) if progress else "",
        remaining=(f"{fmt.number(progress['remaining'])} to go" if progress and progress["remaining"] else "")
        if not achieved else "",
        pace="" if achieved else pace_text(progress),
        projection="" if achieved else projection_text(projection, forecast[-1][0] if forecast else None, today),
        deadline=(f"Deadline {day(deadline, today)}" + (f" · {left:,} day{'s' if left != 1 else ''} left"
                                                        if left and left > 0 else "")) if deadline else "",
        verdict=token, verdict_label=words, achieved=achieved,
        target_input=str(view["target"]), deadline_input=deadline.isoformat() if deadline else "",
        figure=goal_figure(view.get("series") or [], view["target"], forecast, platform=view["platform"],
                           deadline=deadline),
    )


class GoalsState(LevelState):
    cards: list[GoalCard] = []
    loaded: bool = False
    load_error: str = ""
    platforms: list[Choice] = []
    # The create form.
    new_platform: str = ALL
    new_target: str = ""
    new_deadline: str = ""
    form_error: str = ""
    form_ok: str = ""
    # A first goal to suggest when there is none ("10,000 Instagram followers").
    suggestion: str = ""
    suggestion_note: str = ""
    _suggested: tuple[str, int] = ("", 0)
    # Inline edit of one goal.
    edit_id: int = 0
    edit_target: str = ""
    edit_deadline: str = ""
    edit_error: str = ""
    # Archive, after a confirmation.
    confirm_id: int = 0
    confirm_title: str = ""
    _listen_gen: int = 0

    async def _reload(self) -> None:
        scope = await self._scope()
        try:
            data = await db.run(goals.page, scope)
        except Exception:
            log.exception("goals could not be loaded")
            self.load_error = "Your goals could not be loaded. Please reload the page."
            return
        today = db.utcnow().date()
        self.load_error = ""
        self.cards = [goal_card(v, today) for v in data["goals"]]
        self.platforms = [Choice(ALL, "All platforms"), *(Choice(p, label) for p, label in data["platforms"])]
        if self.new_platform not in {c.value for c in self.platforms}:
            self.new_platform = ALL
        s = data["suggestion"]
        if s:
            self.suggestion = f"{s['target']:,} {s['label']} followers"
            self.suggestion_note = f"You have {s['current']:,} on {s['label']}, your biggest platform."
            self._suggested = (s["platform"], int(s["target"]))
        else:
            self.suggestion, self.suggestion_note, self._suggested = "", "", ("", 0)
        await self._load_level(scope)
        self.loaded = True

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        self.form_error = self.form_ok = self.edit_error = ""
        self.edit_id = self.confirm_id = 0
        await self._reload()
        return GoalsState.watch

    # ------------------------------------------------------------------ create
    @rx.event
    def set_new_platform(self, value: str):
        self.new_platform = value

    @rx.event
    def set_new_target(self, value: str):
        self.new_target = value

    @rx.event
    def set_new_deadline(self, value: str):
        self.new_deadline = value

    @rx.event
    def use_suggestion(self):
        platform, target = self._suggested
        if platform:
            self.new_platform, self.new_target, self.new_deadline = platform, f"{target:,}", ""
            self.form_error = self.form_ok = ""
            return rx.scroll_to(FORM_ID)  # on a phone the form is further down

    @rx.event
    async def create(self):
        self.form_error = self.form_ok = ""
        try:
            target = parse_target(self.new_target)
        except ValueError:
            self.form_error = TARGET_HELP
            return
        try:
            deadline = parse_deadline(self.new_deadline)
        except ValueError:
            self.form_error = DEADLINE_HELP
            return
        scope = await self._scope()
        platform = None if self.new_platform in (ALL, "") else self.new_platform
        try:
            await db.run(goals.create, scope, platform, target, deadline)
        except UserError as exc:  # GoalError, or a viewer
            self.form_error = exc.message
            return
        self.form_ok = "Goal saved."
        self.new_target = self.new_deadline = ""
        await self._reload()

    # ------------------------------------------------------------------ edit
    @rx.event
    def start_edit(self, goal_id: int):
        card = next((c for c in self.cards if c.id == goal_id), None)
        if card is None:
            return
        self.edit_id, self.edit_target, self.edit_deadline = card.id, card.target_input, card.deadline_input
        self.edit_error = ""

    @rx.event
    def cancel_edit(self):
        self.edit_id, self.edit_error = 0, ""

    @rx.event
    def set_edit_target(self, value: str):
        self.edit_target = value

    @rx.event
    def set_edit_deadline(self, value: str):
        self.edit_deadline = value

    @rx.event
    async def save_edit(self):
        self.edit_error = ""
        try:
            target = parse_target(self.edit_target)
        except ValueError:
            self.edit_error = TARGET_HELP
            return
        try:
            deadline = parse_deadline(self.edit_deadline)
        except ValueError:
            self.edit_error = DEADLINE_HELP
            return
        scope = await self._scope()
        try:
            await db.run(goals.update, scope, self.edit_id, target, deadline)
        except UserError as exc:
            self.edit_error = exc.message
            return
        self.edit_id = 0
        await self._reload()

    # ------------------------------------------------------------------ archive
    @rx.event
    def ask_archive(self, goal_id: int, title: str):
        self.confirm_id, self.confirm_title = goal_id, title

    @rx.event
    def cancel_archive(self):
        self.confirm_id = 0

    @rx.event
    async def archive(self):
        goal_id, self.confirm_id = self.confirm_id, 0
        if not goal_id:
            return
        scope = await self._scope()
        try:
            await db.run(goals.archive, scope, goal_id)
        except UserError as exc:
            self.form_error = exc.message
            return
        self.form_ok = "Goal archived."
        if self.edit_id == goal_id:
            self.edit_id = 0
        await self._reload()

    # ------------------------------------------------------------------ live
    async def _on_event(self, ev: dict) -> None:
        if ev.get("kind") == "xp":
            await self._load_level()
        else:
            await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/goals", {"goal", "analysis", "sync", "xp"}, self._on_event):
            yield to_login_page()
