"""Calendar: the month grid or the week's hours of the workspace's posts in its timezone; drag a
post to another day or hour to move it, click it to see, edit, move or cancel it; the
workspace's usual posting times with suggestions. Live: a publish result reloads the view."""

from __future__ import annotations

import logging
from datetime import date, datetime

import reflex as rx

from dreamsuite import db
from dreamsuite.models import Role
from dreamsuite.services import calendar
from dreamsuite.services.errors import UserError
from dreamsuite.services.publish import AmbiguousTime
from dreamsuite.state.auth import AuthState, to_login_page
from dreamsuite.state.calendar_view import (
    ALL, PLATFORM_LABEL, STATUS_CHOICES, Chip, Choice, Day, DestRow, HourRow, SlotRow, Suggestion, TimeChoice,
    build_month, build_week, chip, dest_row, parse_clock, parse_local, period_title, shift,
)
from dreamsuite.state.live import watch_page

log = logging.getLogger(__name__)
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class CalendarState(AuthState):
    view: str = "month"  # "month" | "week"
    anchor: str = ""  # ISO date the view shows (its month, or its week)
    title: str = ""
    timezone: str = ""
    loaded: bool = False
    load_error: str = ""
    days: list[Day] = []  # month: the grid, whole weeks, Monday first
    heads: list[Day] = []  # week: the seven days
    hours: list[HourRow] = []  # week: 24 rows of 7 cells
    drafts: list[Chip] = []  # drafts without a time
    platform: str = ALL
    status: str = ALL
    platforms: list[Choice] = []
    notice: str = ""
    notice_error: bool = False
    # The open post.
    open_id: int = 0
    d_text: str = ""
    d_when: str = ""
    d_status: str = ""
    d_dests: list[DestRow] = []
    d_movable: bool = False
    d_cancellable: bool = False
    move_when: str = ""
    move_error: str = ""
    time_choices: list[TimeChoice] = []
    confirm_cancel: bool = False
    # Posting times.
    slots: list[SlotRow] = []
    new_day: str = "0"
    new_time: str = "18:00"
    slot_error: str = ""
    suggestions: list[Suggestion] = []
    suggestion_reason: str = ""
    _drag_id: int = 0
    _times: dict[int, str] = {}  # post id → "HH:MM" local, what a drop onto a day keeps
    _listen_gen: int = 0

    # ------------------------------------------------------------------ loading
    async def _reload(self) -> None:
        scope = await self._scope()
        filters = {"platforms": [] if self.platform == ALL else [self.platform],
                   "statuses": [] if self.status == ALL else [self.status]}
        anchor = date.fromisoformat(self.anchor)
        try:
            if self.view == "week":
                got = await db.run(calendar.week, scope, anchor, **filters)
            else:
                got = await db.run(calendar.month, scope, anchor.year, anchor.month, **filters)
        except UserError as exc:
            self.load_error = exc.message
            return
        except Exception:
            log.exception("calendar could not be loaded")
            self.load_error = "The calendar could not be loaded. Please reload the page."
            return
        self.load_error, self.timezone = "", got["timezone"]
        self._times = {p["id"]: p["time"] for p in got["posts"]}
        self.title = period_title(self.view, got)
        if self.view == "week":
            (self.heads, self.hours), self.days = build_week(got), []
        else:
            self.days, self.heads, self.hours = build_month(got), [], []
        self.drafts = [chip(p) for p in got["undated"]]
        self.loaded = True

    async def _reload_slots(self) -> None:
        scope = await self._scope()
        self.slots = [SlotRow(s["id"], s["label"]) for s in await db.run(calendar.slots, scope)]
        got = await db.run(calendar.suggested_slots, scope)
        self.suggestions = [Suggestion(s["weekday"], s["minute"], s["label"],
                                       f"{s['avg_rate']:.1f}% engagement over {s['posts']} posts", s["added"])
                            for s in got["slots"]]
        self.suggestion_reason = got["reason"]

    async def _choices(self) -> None:
        from dreamsuite.services.connections import list_cards

        seen = {}
        for card in await db.run(list_cards, await self._scope()):
            if card.get("can_publish") and card.get("connections"):
                seen[card["name"]] = card["label"]
        self.platforms = [Choice(ALL, PLATFORM_LABEL), *(Choice(k, v) for k, v in sorted(seen.items()))]

    def _url(self):
        return rx.call_script(f"window.history.replaceState(null, '', '/calendar?view={self.view}&date={self.anchor}')")

    @rx.event
    async def load(self):
        if not self.is_logged_in:
            return
        query = self.router.url.query_parameters
        self.view = "week" if query.get("view") == "week" else "month"
        try:
            self.anchor = date.fromisoformat(str(query.get("date", ""))[:10]).isoformat()
        except ValueError:
            self.anchor = ""
        self.notice, self.open_id, self.confirm_cancel, self.slot_error = "", 0, False, ""
        if not self.anchor:
            self.anchor = (await self._today()).isoformat()
        await self._choices()
        await self._reload()
        await self._reload_slots()
        return CalendarState.watch

    async def _today(self) -> date:
        return await db.run(calendar.today, await self._scope())

    # ------------------------------------------------------------------ navigation and filters
    @rx.event
    async def show(self, view: str | list[str]):
        self.view, self.notice = "week" if view == "week" else "month", ""
        await self._reload()
        return self._url()

    @rx.event
    async def step(self, direction: int):
        try:
            self.anchor = shift(self.view, date.fromisoformat(self.anchor), direction).isoformat()
        except (ValueError, OverflowError):  # past the first or last date there is
            return
        self.notice = ""
        await self._reload()
        return self._url()

    @rx.event
    async def today(self):
        self.anchor, self.notice = (await self._today()).isoformat(), ""
        await self._reload()
        return self._url()

    @rx.event
    async def open_day(self, iso: str):
        """From a crowded day of the month: its week, where every post shows."""
        self.view, self.anchor = "week", iso
        await self._reload()
        return self._url()

    @rx.event
    async def set_platform(self, value: str):
        self.platform = value
        await self._reload()

    @rx.event
    async def set_status(self, value: str):
        self.status = value if value in {c.value for c in STATUS_CHOICES} else ALL
        await self._reload()

    # ------------------------------------------------------------------ moving
    @rx.event
    def drag_start(self, post_id: int):
        self._drag_id = post_id

    @rx.event
    async def drop_day(self, iso: str):
        """Month view: the post keeps its time of day."""
        post_id, self._drag_id = self._drag_id, 0
        if post_id:
            clock = self._times.get(post_id, "12:00")
            await self._move(post_id, datetime.fromisoformat(f"{iso}T{clock}"))

    @rx.event
    async def drop_hour(self, iso: str, hour: int):
        """Week view: the post keeps its minutes past the hour."""
        post_id, self._drag_id = self._drag_id, 0
        if post_id:
            minute = int(self._times.get(post_id, "00:00")[3:5])
            await self._move(post_id, datetime.fromisoformat(f"{iso}T{int(hour):02d}:{minute:02d}"))

    async def _move(self, post_id: int, local: datetime, fold: int | None = None) -> bool:
        self.notice, self.notice_error = "", False
        try:
            moved = await calendar.reschedule(await self._scope(Role.editor), post_id, local, fold)
        except AmbiguousTime as exc:  # the artist picks which one, in the post's dialog
            await self._open(post_id)
            self.move_when, self.move_error = local.strftime(LOCAL_INPUT), exc.message
            self.time_choices = [TimeChoice(str(f), text) for f, text in exc.choices]
            return False
        except UserError as exc:
            self.notice, self.notice_error = exc.message, True
            return False
        self.notice = f"Moved to {moved.local:%A %-d %B, %H:%M} ({moved.timezone})."
        await self._reload()
        return True

    # ------------------------------------------------------------------ one post
    async def _open(self, post_id: int) -> None:
        got = await db.run(calendar.detail, await self._scope(), post_id)
        self.open_id, self.d_text, self.d_status = got["id"], got["content"], got["status"]
        self.d_when = f"{got['local']:%A %-d %B %Y, %H:%M} ({got['timezone']})" if got["local"] else "No time yet"
        self.d_dests = [dest_row(d) for d in got["destinations"]]
        self.d_movable, self.d_cancellable = got["movable"], got["cancellable"]
        self.move_when = got["local"].strftime(LOCAL_INPUT) if got["local"] else ""
        self.move_error, self.time_choices, self.confirm_cancel = "", [], False

    @rx.event
    async def open_post(self, post_id: int):
        try:
            await self._open(post_id)
        except UserError as exc:
            self.notice, self.notice_error = exc.message, True

    @rx.event
    def close_post(self, open_: bool = False):
        if not open_:
            self.open_id, self.confirm_cancel = 0, False

    @rx.event
    def set_move_when(self, value: str):
        self.move_when, self.time_choices = value, []

    @rx.event
    async def move_post(self, fold: str = ""):
        try:
            local = parse_local(self.move_when)
        except ValueError:
            self.move_error = "Pick a date and time."
            return
        post_id = self.open_id
        if await self._move(post_id, local, int(fold) if fold in ("0", "1") else None):
            self.open_id = 0
        elif self.notice_error:
            self.move_error, self.notice = self.notice, ""

    @rx.event
    def ask_cancel(self):
        self.confirm_cancel = True

    @rx.event
    def keep_post(self):
        self.confirm_cancel = False

    @rx.event
    async def cancel_post(self):
        post_id, self.confirm_cancel = self.open_id, False
        try:
            n = await calendar.cancel(await self._scope(Role.editor), post_id)
        except UserError as exc:
            self.move_error = exc.message
            return
        self.open_id = 0
        self.notice, self.notice_error = ("Post cancelled." if n else "Nothing left to cancel: it has gone out."), False
        await self._reload()

    # ------------------------------------------------------------------ posting times
    @rx.event
    def set_new_day(self, value: str):
        self.new_day = value

    @rx.event
    def set_new_time(self, value: str):
        self.new_time = value

    async def _add(self, weekday: int, minute: int) -> None:
        self.slot_error = ""
        try:
            await db.run(calendar.add_slot, await self._scope(Role.editor), weekday, minute)
        except UserError as exc:
            self.slot_error = exc.message
            return
        await self._reload_slots()

    @rx.event
    async def add_slot(self):
        try:
            minute = parse_clock(self.new_time)
        except ValueError:
            self.slot_error = "Write the time as hours and minutes, like 18:00."
            return
        await self._add(int(self.new_day) if self.new_day.isdigit() else -1, minute)

    @rx.event
    async def add_suggestion(self, weekday: int, minute: int):
        await self._add(int(weekday), int(minute))

    @rx.event
    async def remove_slot(self, slot_id: int):
        self.slot_error = ""
        try:
            await db.run(calendar.remove_slot, await self._scope(Role.editor), slot_id)
        except UserError as exc:
            self.slot_error = exc.message
        await self._reload_slots()

    # ------------------------------------------------------------------ live
    async def _on_event(self, ev: dict) -> None:
        await self._reload()

    @rx.event(background=True)
    async def watch(self):
        if await watch_page(self, "/calendar", {"publish"}, self._on_event):
            yield to_login_page()

