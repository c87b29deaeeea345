"""Queue slots: a workspace's usual posting times ("Tuesdays 18:00"), kept in its own timezone;
suggestions from the best-time analytics; the next free slot for "Add to queue".

A slot is a weekday and a minute after local midnight, so it stays at 18:00 on both sides of a
daylight-saving change. An occurrence that does not exist (inside the spring-forward gap) is
skipped; one that happens twice (clocks going back) is its first occurrence.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from dreamsuite import db
from dreamsuite.analytics import timing
from dreamsuite.models import PostStatus, QueueSlot, Role, ScheduledPost
from dreamsuite.services import series
from dreamsuite.services.errors import UserError
from dreamsuite.services.publish import PublishValidationError, local_to_utc
from dreamsuite.services.scope import Scope, get_scoped, scoped

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_SLOTS = 50
# The window the suggestions learn from (as the chat's "best time to post" does).
SUGGEST_DAYS = 90
FOLLOWERS_DAYS = 60
# How far ahead "the next free slot" looks.
FREE_WEEKS = 8


class SlotError(UserError):
    """A posting time that cannot be added or removed as asked; the message says why."""


def label(weekday: int, minute: int) -> str:
    return f"{WEEKDAYS[weekday]} {minute // 60:02d}:{minute % 60:02d}"


def _check(weekday: Any, minute: Any) -> tuple[int, int]:
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise SlotError("Pick a day of the week.")
    if isinstance(minute, bool) or not isinstance(minute, int) or not 0 <= minute <= 1439:
        raise SlotError("Pick a time between 00:00 and 23:59.")
    return weekday, minute


def slots(scope: Scope) -> list[dict[str, Any]]:
    """The workspace's posting times, Monday first, earliest first."""
    with db.session() as s:
        rows = s.exec(scoped(scope, QueueSlot).order_by(QueueSlot.weekday, QueueSlot.minute)).all()
    return [{"id": r.id, "weekday": r.weekday, "minute": r.minute, "label": label(r.weekday, r.minute)}
            for r in rows]


def add_slot(scope: Scope, weekday: int, minute: int) -> dict[str, Any]:
    scope.require(Role.editor)
    weekday, minute = _check(weekday, minute)
    taken = SlotError(f"{label(weekday, minute)} is already one of your posting times.")
    try:
        with db.session() as s:
            mine = s.exec(scoped(scope, QueueSlot)).all()
            if any(r.weekday == weekday and r.minute == minute for r in mine):
                raise taken
            if len(mine) >= MAX_SLOTS:
                raise SlotError(f"You have {MAX_SLOTS} posting times already; remove one first.")
            row = QueueSlot(workspace_id=scope.workspace_id, weekday=weekday, minute=minute)
            s.add(row)
            s.flush()
            return {"id": row.id, "weekday": weekday, "minute": minute, "label": label(weekday, minute)}
    except IntegrityError:  # the same time added at the same moment from another tab
        raise taken from None


def remove_slot(scope: Scope, slot_id: int) -> None:
    scope.require(Role.editor)
    with db.session() as s:
        s.delete(get_scoped(s, scope, QueueSlot, slot_id))


def suggested_slots(scope: Scope, n: int = 5) -> dict[str, Any]:
    """The best weekday-and-hour slots of the last 90 days' posts in the workspace's timezone,
    best first, only those with enough posts to trust ("ok": 3 rated posts or more). Empty, with
    `reason` in words, when there are too few posts."""
    with db.session() as s:
        tz = series.workspace_zone_name(s, scope)
        today = series.workspace_today(s, scope)
        posts = series.post_rows(s, scope, today - timedelta(days=SUGGEST_DAYS - 1), today)
        recent = series.by_platform(series.metric_rows(s, scope, since=today - timedelta(days=FOLLOWERS_DAYS)))
        have = {(r.weekday, r.minute) for r in s.exec(scoped(scope, QueueSlot)).all()}
    followers = {p: pts[-1][1] for p, pts in recent.items() if pts and pts[-1][1] > 0}
    best = [sl for sl in timing.best_times(posts, tz, followers) if sl.evidence == "ok"][:max(0, n)]
    out = [{"weekday": sl.weekday, "hour": sl.hour, "minute": sl.hour * 60, "avg_rate": sl.avg_rate,
            "posts": sl.posts, "label": label(sl.weekday, sl.hour * 60),
            "added": (sl.weekday, sl.hour * 60) in have} for sl in best]
    reason = ""
    if not out:
        reason = ("No posts in the last 90 days to learn from yet." if not posts else
                  f"Not enough posts yet: a time is suggested once {timing.OK_POSTS} or more of your posts with "
                  f"numbers went out at that hour on that weekday ({len(posts)} post"
                  f"{'s' if len(posts) != 1 else ''} in the last 90 days).")
    return {"timezone": tz, "posts": len(posts), "slots": out, "reason": reason}


def next_free_slot(scope: Scope, after: datetime | None = None) -> dict[str, Any] | None:
    """The first posting time after `after` (aware; default now) that no post already takes,
    within FREE_WEEKS: {"at": aware UTC, "local": naive local, "timezone", "label"}; None when the
    workspace has no posting times."""
    after = db.utcnow() if after is None else (after if after.tzinfo else after.replace(tzinfo=ZoneInfo("UTC")))
    horizon = after + timedelta(weeks=FREE_WEEKS, days=1)
    with db.session() as s:
        tz = series.workspace_zone_name(s, scope)
        mine = s.exec(select(QueueSlot.weekday, QueueSlot.minute).where(
            QueueSlot.workspace_id == scope.workspace_id)).all()
        if not mine:
            return None
        taken = {_minute_of(at) for at in s.exec(select(ScheduledPost.scheduled_at).where(
            ScheduledPost.workspace_id == scope.workspace_id, ScheduledPost.status != PostStatus.cancelled,
            ScheduledPost.scheduled_at > after - timedelta(minutes=1), ScheduledPost.scheduled_at <= horizon))}
    by_day: dict[int, list[int]] = {}
    for weekday, minute in sorted(mine):
        by_day.setdefault(weekday, []).append(minute)
    start: date = after.astimezone(ZoneInfo(tz)).date()
    for offset in range(FREE_WEEKS * 7 + 1):
        day = start + timedelta(days=offset)
        for minute in by_day.get(day.weekday(), []):
            local = datetime.combine(day, time(minute // 60, minute % 60))
            try:
                at = local_to_utc(local, tz, fold=0)
            except PublishValidationError:  # inside the spring-forward gap: no such time that day
                continue
            if at > after and _minute_of(at) not in taken:
                return {"at": at, "local": local, "timezone": tz,
                        "label": f"{WEEKDAYS[day.weekday()]} {day.day} {day:%b %Y}, {local:%H:%M}"}
    return None


def _minute_of(at: datetime) -> datetime:
    at = at if at.tzinfo else at.replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(ZoneInfo("UTC")).replace(second=0, microsecond=0)

