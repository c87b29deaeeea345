"""The publishing calendar: the workspace's posts by day in its own timezone, moving a post to
another time (re-enqueued under its new due time, the old job neutralised), cancelling one.

A post's day and hour are read in the WORKSPACE's timezone, so a post at 09:00 in Berlin sits
on the same day at 09:00 on both sides of a daylight-saving change. Queue slots (the artist's
usual posting times) live in queue_slots.py and are re-exported here.

Moving keeps the publish guarantees: only a post still wholly pending moves, in one transaction
that re-checks each destination is pending (a worker claiming it meanwhile makes the move fail,
never both), and never a post due within MOVE_CUTOFF (its job may be firing right now).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db, queue
from dreamsuite.models import (
    DestinationStatus as DS,
    PlatformConnection,
    PostDestination,
    PostStatus as PS,
    Role,
    ScheduledPost,
)
from dreamsuite.platforms import account_label
from dreamsuite.services.errors import UserError
from dreamsuite.services.publish import MAX_AHEAD, cancel_post, local_to_utc
from dreamsuite.services.queue_slots import add_slot, next_free_slot, remove_slot, slots, suggested_slots
from dreamsuite.services.scope import NotFound, Scope, scoped
from dreamsuite.services.series import workspace_today, workspace_zone_name

__all__ = ["between", "today", "month", "week", "detail", "reschedule", "cancel", "cancel_publish_job", "MoveRefused",
           "STATUS_GROUPS", "slots", "add_slot", "remove_slot", "suggested_slots", "next_free_slot"]

log = logging.getLogger(__name__)

# A post due this soon may be claimed by its job right now: it can be cancelled, not moved.
MOVE_CUTOFF = timedelta(minutes=1)
SHORT_TEXT = 60
FIRST_YEAR, LAST_YEAR = 1970, 2200  # the months the calendar pages through
# What the status filter offers, and the post statuses each stands for. Cancelled posts are
# shown only when asked for.
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "scheduled": (PS.scheduled, PS.publishing),
    "draft": (PS.draft,),
    "published": (PS.published,),
    "failed": (PS.failed, PS.partially_failed),
    "unconfirmed": (PS.unconfirmed,),
    "cancelled": (PS.cancelled,),
}
_REFUSED = {
    PS.publishing: "This post is being published right now, so it can no longer be moved.",
    PS.published: "This post has already been published, so it can no longer be moved.",
    PS.partially_failed: "This post has already gone out to some accounts, so it can no longer be moved.",
    PS.unconfirmed: "This post may already be live (the platform never confirmed it), so it can no longer be "
                    "moved. Check the account first.",
    PS.failed: "This post failed to publish, so it cannot be moved. Schedule it again from the composer.",
    PS.cancelled: "This post was cancelled, so it cannot be moved. Schedule it again from the composer.",
}


class MoveRefused(UserError):
    """The post cannot be moved as asked; the message says why."""


# ------------------------------------------------------------------ reading
def _zone(s, scope: Scope) -> tuple[str, ZoneInfo]:
    name = workspace_zone_name(s, scope)
    return name, ZoneInfo(name)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _short(text: str) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= SHORT_TEXT else line[:SHORT_TEXT - 1].rstrip() + "…"


def _statuses(groups: Iterable[str] | None) -> set[str]:
    chosen = [g for g in (groups or ()) if g]
    unknown = [g for g in chosen if g not in STATUS_GROUPS]
    if unknown:
        raise UserError(f"Unknown status {unknown[0]!r}: pick one of {', '.join(STATUS_GROUPS)}.")
    if not chosen:
        return {st for g, sts in STATUS_GROUPS.items() if g != "cancelled" for st in sts}
    return {st for g in chosen for st in STATUS_GROUPS[g]}


def _movable(status: str, dest_statuses: list[str], at: datetime | None, now: datetime) -> bool:
    if status == PS.draft:
        return True
    live = [d for d in dest_statuses if d != DS.cancelled]
    return (status == PS.scheduled and bool(live) and all(d == DS.pending for d in live)
            and at is not None and at > now + MOVE_CUTOFF)


def between(scope: Scope, first: date, last: date, platforms: Iterable[str] | None = None,
            statuses: Iterable[str] | None = None) -> dict[str, Any]:
    """The posts whose time falls on the days first…last (the workspace's days), oldest first,
    each with its local date and time, status, platforms and a short text; drafts without a time
    apart. `platforms` keeps posts going to any of them; `statuses` are STATUS_GROUPS keys
    (none: everything but cancelled posts)."""
    if last < first:
        raise UserError("The end of the range is before its start.")
    wanted, only = _statuses(statuses), {p for p in (platforms or ()) if p}
    now = db.utcnow()
    with db.session() as s:
        tz, zone = _zone(s, scope)
        cols = (ScheduledPost.id, ScheduledPost.status, ScheduledPost.content, ScheduledPost.scheduled_at)
        base = select(*cols).where(ScheduledPost.workspace_id == scope.workspace_id,
                                   ScheduledPost.status.in_(wanted))
        rows = s.connection().execute(
            base.where(ScheduledPost.scheduled_at >= _midnight(first, zone),
                       ScheduledPost.scheduled_at < _midnight(last + timedelta(days=1), zone))
            .order_by(ScheduledPost.scheduled_at, ScheduledPost.id)).all()
        undated = s.connection().execute(
            base.where(ScheduledPost.status == PS.draft, ScheduledPost.scheduled_at.is_(None))
            .order_by(ScheduledPost.id.desc())).all() if PS.draft in wanted else []
        dests = _destinations(s, scope, [r[0] for r in (*rows, *undated)])
    posts = []
    for pid, status, content, at in (*rows, *undated):
        mine = dests.get(pid, [])
        names = sorted({p for p, _ in mine if p})
        if only and not only & set(names):
            continue
        at = db_aware(at)
        local = at.astimezone(zone) if at else None
        posts.append({
            "id": pid, "status": status, "text": _short(content), "at": at,
            "local": local.replace(tzinfo=None) if local else None,
            "date": local.date() if local else None, "time": f"{local:%H:%M}" if local else "",
            "platforms": names, "movable": _movable(status, [d for _, d in mine], at, now),
        })
    return {"timezone": tz, "first": first, "last": last, "today": now.astimezone(zone).date(),
            "posts": [p for p in posts if p["at"] is not None],
            "undated": [p for p in posts if p["at"] is None]}


def db_aware(value: datetime | None) -> datetime | None:
    # Core selects hand back what the driver stores: naive on SQLite, aware on PostgreSQL.
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo("UTC")) if value.tzinfo is None else value


def _destinations(s, scope: Scope, post_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    if not post_ids:
        return {}
    rows = s.connection().execute(
        select(PostDestination.post_id, PlatformConnection.platform, PostDestination.status)
        .join(PlatformConnection, PlatformConnection.id == PostDestination.connection_id, isouter=True)
        .where(PostDestination.workspace_id == scope.workspace_id, PostDestination.post_id.in_(post_ids))
        .order_by(PostDestination.id)).all()
    out: dict[int, list[tuple[str, str]]] = {}
    for pid, platform, status in rows:
        out.setdefault(pid, []).append((platform or "", status))
    return out


def today(scope: Scope) -> date:
    """Today in the workspace's timezone (where the calendar opens)."""
    with db.session() as s:
        return workspace_today(s, scope)


def month(scope: Scope, year: int, month: int, **filters) -> dict[str, Any]:
    """The month's grid: whole weeks, Monday first, from the week of the 1st to the week of the
    last day (the days of the months either side included, as the grid shows them)."""
    try:
        first = date(int(year), int(month), 1)
    except (TypeError, ValueError):
        first = None
    if first is None or not FIRST_YEAR <= first.year <= LAST_YEAR:
        raise UserError(f"Pick a month between 1 and 12 of a year between {FIRST_YEAR} and {LAST_YEAR}.")
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    start, end = first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())
    return between(scope, start, end, **filters) | {"month_first": first, "month_last": last}


def week(scope: Scope, monday: date, **filters) -> dict[str, Any]:
    """Monday…Sunday of the week holding `monday` (any day of it is taken as its week)."""
    start = monday - timedelta(days=monday.weekday())
    return between(scope, start, start + timedelta(days=6), **filters)


def detail(scope: Scope, post_id: int) -> dict[str, Any]:
    """One post for the calendar's dialog: its text, local time, status and each destination."""
    now = db.utcnow()
    with db.session() as s:
        tz, zone = _zone(s, scope)
        post = s.exec(scoped(scope, ScheduledPost).where(ScheduledPost.id == post_id)).first()
        if post is None:
            raise NotFound("That post is not in this workspace (it may have been deleted).")
        dests = s.exec(scoped(scope, PostDestination).where(PostDestination.post_id == post.id)
                       .order_by(PostDestination.id)).all()
        conns = {c.id: c for c in s.exec(scoped(scope, PlatformConnection).where(
            PlatformConnection.id.in_([d.connection_id for d in dests])))} if dests else {}
    at = db_aware(post.scheduled_at)
    local = at.astimezone(zone) if at else None
    rows = []
    for d in dests:
        conn = conns.get(d.connection_id)
        rows.append({"id": d.id, "platform": conn.platform if conn else "", "status": d.status,
                     "account": account_label(conn.platform, conn.username) if conn else "a removed account",
                     "error": d.error or "", "url": d.platform_url or ""})
    return {"id": post.id, "content": post.content, "status": post.status, "at": at, "timezone": tz,
            "local": local.replace(tzinfo=None) if local else None, "destinations": rows,
            "movable": _movable(post.status, [r["status"] for r in rows], at, now),
            "cancellable": any(r["status"] == DS.pending for r in rows)}


# ------------------------------------------------------------------ moving
@dataclass(frozen=True)
class Moved:
    post_id: int
    old: datetime | None
    new: datetime  # aware UTC
    local: datetime  # naive, the workspace's wall clock
    timezone: str
    jobs: tuple[tuple[int, int], ...]  # (destination id, attempt) to enqueue; none for a draft


def _move(scope: Scope, post_id: int, local_when: datetime, fold: int | None) -> Moved:
    scope.require(Role.editor)
    now = db.utcnow()
    with db.session() as s:
        tz = workspace_zone_name(s, scope)
        # Locked like the rollup locks it, so a finishing destination cannot change it under us.
        post = s.exec(scoped(scope, ScheduledPost).where(ScheduledPost.id == post_id).with_for_update()).first()
        if post is None:
            raise NotFound("That post is not in this workspace (it may have been deleted).")
        if post.status not in (PS.scheduled, PS.draft):
            raise MoveRefused(_REFUSED.get(post.status, f"This post is {post.status}, so it cannot be moved."))
        dests = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)
                       .with_for_update()).all()
        live = [d for d in dests if d.status != DS.cancelled]
        if post.status == PS.scheduled:
            if any(d.status != DS.pending for d in live) or not live:
                raise MoveRefused("Part of this post has already gone out or is going out now, so it can no "
                                  "longer be moved.")
        new = local_to_utc(local_when, tz, fold)
        old = db_aware(post.scheduled_at)
        if post.status == PS.scheduled and old is not None and old <= now + MOVE_CUTOFF:
            raise MoveRefused("This post is due to go out now, so it can no longer be moved. Cancel it if it "
                              "should not go out.")
        if new < now:
            raise MoveRefused("That time has already passed; pick a time from now on.")
        if new > now + MAX_AHEAD:
            raise MoveRefused("Posts can be scheduled up to two years ahead; pick an earlier date.")
        local = new.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
        if old == new:
            return Moved(post.id, old, new, local, tz, ())
        res = s.exec(update(ScheduledPost)
                     .where(ScheduledPost.id == post.id, ScheduledPost.status == post.status)
                     .values(scheduled_at=new, updated_at=now).execution_options(synchronize_session=False))
        if res.rowcount != 1:
            raise MoveRefused("This post changed meanwhile; reload the calendar and try again.")
        jobs: tuple[tuple[int, int], ...] = ()
        if post.status == PS.scheduled:
            # Conditional, like the publish claim: a destination claimed meanwhile undoes the move.
            ids = [d.id for d in live]
            res = s.exec(update(PostDestination)
                         .where(PostDestination.id.in_(ids), PostDestination.status == DS.pending)
                         .values(updated_at=now).execution_options(synchronize_session=False))
            if res.rowcount != len(ids):
                raise MoveRefused("This post started going out meanwhile, so it was not moved.")
            jobs = tuple((d.id, d.attempts) for d in live)
        db.announce_after_commit(s, scope.workspace_id, "publish", post_id=post.id, moved=True)
        return Moved(post.id, old, new, local, tz, jobs)


async def reschedule(scope: Scope, post_id: int, local_when: datetime, fold: int | None = None) -> Moved:
    """Move a post to `local_when` in the workspace's timezone (`fold` picks the first or second
    of a time that happens twice; publish.AmbiguousTime asks which). Each pending destination is
    enqueued under the new due time and its old deferred job removed; the old job, if it cannot
    be removed, finds the post not due when it fires and skips. With Redis down the move is still
    stored and the reconciler enqueues the post when it is due."""
    moved = await db.run(_move, scope, post_id, local_when, fold)
    for dest_id, attempt in moved.jobs:
        try:
            await queue.enqueue_publish(dest_id, moved.new, attempt=attempt)
        except Exception:  # stored is what counts: the reconciler enqueues it when due
            log.warning("could not enqueue moved destination %s", dest_id, exc_info=True)
            continue
        if moved.old is not None:
            await _forget_job(dest_id, attempt, moved.old)
    return moved


async def cancel(scope: Scope, post_id: int) -> int:
    """Cancel the post's destinations not yet sent (publish.cancel_post) and drop their deferred
    jobs from the queue (harmless if left: a cancelled destination is never claimed)."""
    due, pending = await db.run(_pending_jobs, scope, post_id)
    count = await db.run(cancel_post, scope, post_id)
    if due is not None:
        for dest_id, attempt in pending:
            await _forget_job(dest_id, attempt, due)
    return count


def _pending_jobs(scope: Scope, post_id: int) -> tuple[datetime | None, list[tuple[int, int]]]:
    with db.session() as s:
        post = s.exec(scoped(scope, ScheduledPost).where(ScheduledPost.id == post_id)).first()
        if post is None:
            raise NotFound("That post is not in this workspace (it may have been deleted).")
        rows = s.exec(select(PostDestination.id, PostDestination.attempts).where(
            PostDestination.post_id == post.id, PostDestination.status == DS.pending)).all()
        return db_aware(post.scheduled_at), [(d, a) for d, a in rows]


async def _forget_job(dest_id: int, attempt: int, due: datetime) -> None:
    try:
        await cancel_publish_job(dest_id, attempt, due)
    except Exception:  # the job, left in place, skips a post that is not due
        log.warning("could not remove the old job of destination %s", dest_id, exc_info=True)


async def cancel_publish_job(dest_id: int, attempt: int, due: datetime) -> bool:
    """Remove a publish job that has not started (see queue.cancel_publish_job)."""
    return await queue.cancel_publish_job(dest_id, attempt, due)
