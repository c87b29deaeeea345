"""Scheduled publishing (DESIGN flow 5): validate and schedule, list, cancel.

Sending lives in publish_run.py (re-exported here) so the job and the pages share one API.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db, queue
from dreamsuite.models import (
    ConnectionStatus,
    DestinationStatus as DS,
    PlatformConnection,
    PostDestination,
    Role,
    ScheduledPost,
)
from dreamsuite.platforms import UnknownPlatform, account_label, get_adapter
from dreamsuite.services.publish_run import publish_destination, reconcile, rollup
from dreamsuite.services.scope import Scope, get_scoped, scoped
from dreamsuite.services.errors import UserError

__all__ = ["PublishValidationError", "AmbiguousTime", "schedule_post", "publish_destination", "reconcile",
           "list_posts", "cancel_post", "local_to_utc"]

log = logging.getLogger(__name__)

# "Now" typed into the composer is a few seconds old by the time it is saved.
PAST_GRACE = timedelta(minutes=1)
# Expiring tokens still work (they are refreshed before sending); expired ones do not.
# A failed collect ("error") says nothing about publishing: the post may still go out.
PUBLISHABLE = {ConnectionStatus.active, ConnectionStatus.expiring, ConnectionStatus.error}


# How far ahead a post may be scheduled (and so the range of dates we ever convert).
MAX_AHEAD = timedelta(days=2 * 365)


class PublishValidationError(UserError):
    """The post cannot be scheduled as given; the message tells the artist what to fix."""


class AmbiguousTime(PublishValidationError):
    """A local time that happens twice (clocks go back): the artist picks which one.

    `choices` are (fold, label) pairs: fold 0 is the first occurrence, 1 the second.
    """

    def __init__(self, message: str, choices: list[tuple[int, str]]):
        super().__init__(message)
        self.choices = choices


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise PublishValidationError(f"Unknown timezone: {timezone!r}.") from None


def _offset(dt: datetime) -> str:
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{dt.tzname()}, UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local_to_utc(local_when: datetime, timezone: str, fold: int | None = None) -> datetime:
    """The UTC instant of a wall-clock time in `timezone`.

    A time inside a spring-forward gap does not exist and is refused with a clear message; a
    time inside a fall-back overlap happens twice and raises AmbiguousTime unless `fold` says
    which (0 = the first, 1 = the second).
    """
    tz = _zone(timezone)
    naive = local_when.replace(tzinfo=None)
    try:
        first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
        at_first, at_second = first.astimezone(UTC), second.astimezone(UTC)
        back = at_first.astimezone(tz).replace(tzinfo=None), at_second.astimezone(tz).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise PublishValidationError("That date is out of range; pick a date within the next two years.") from None
    if at_first == at_second:
        return at_first
    when = f"{naive:%H:%M} on {naive.day} {naive:%B %Y}"
    if naive not in back:
        raise PublishValidationError(
            f"{when} does not exist in {timezone}: the clocks go forward then. Pick another time.")
    if fold not in (0, 1):
        raise AmbiguousTime(
            f"{when} happens twice in {timezone} (the clocks go back). Which one do you mean?",
            [(0, f"The first {naive:%H:%M} ({_offset(first)})"), (1, f"The second {naive:%H:%M} ({_offset(second)})")])
    return at_first if fold == 0 else at_second


async def schedule_post(
    scope: Scope, content: str, connection_ids: list[int], local_when: datetime, timezone: str,
    fold: int | None = None,
) -> ScheduledPost:
    post, dest_ids = await db.run(_store_post, scope, content, connection_ids, local_when, timezone, fold)
    for dest_id in dest_ids:
        try:
            await queue.enqueue_publish(dest_id, post.scheduled_at)
        except Exception:  # stored is what counts: the reconciler enqueues it when due
            log.warning("could not enqueue destination %s", dest_id, exc_info=True)
    return post


def _store_post(scope: Scope, content: str, connection_ids: list[int], local_when: datetime, timezone: str,
                fold: int | None) -> tuple[ScheduledPost, list[int]]:
    scope.require(Role.editor)
    if not (content or "").strip():
        raise PublishValidationError("Write something to post.")
    ids = list(dict.fromkeys(connection_ids or []))
    if not ids:
        raise PublishValidationError("Choose at least one account to post to.")
    when = local_to_utc(local_when, timezone, fold)
    now = db.utcnow()
    if when < now - PAST_GRACE:
        raise PublishValidationError("That time is in the past; pick a time from now on.")
    if when > now + MAX_AHEAD:
        raise PublishValidationError("Posts can be scheduled up to two years ahead; pick an earlier date.")

    with db.session() as s:
        conns = {c.id: c for c in s.exec(scoped(scope, PlatformConnection).where(PlatformConnection.id.in_(ids)))}
        if len(conns) != len(ids):
            raise PublishValidationError("One of the chosen accounts is not connected to this workspace.")
        for cid in ids:
            conn = conns[cid]
            try:
                adapter = get_adapter(conn.platform)
            except UnknownPlatform:
                raise PublishValidationError(f"{conn.platform} is not a supported platform.") from None
            name = account_label(conn.platform, conn.username)
            if not adapter.can_publish:
                raise PublishValidationError(f"Posting to {adapter.label} is not supported yet.")
            if conn.status not in PUBLISHABLE:
                raise PublishValidationError(f"{name} is {conn.status}: reconnect it first.")
            limit = adapter.max_text_length
            if limit is not None and len(content) > limit:
                raise PublishValidationError(
                    f"Too long for {name}: {len(content)} characters, the limit is {limit}.")

        post = ScheduledPost(workspace_id=scope.workspace_id, author_id=scope.user_id, content=content,
                             scheduled_at=when, timezone=timezone)
        s.add(post)
        s.flush()
        dests = [PostDestination(workspace_id=scope.workspace_id, post_id=post.id, connection_id=cid) for cid in ids]
        s.add_all(dests)
        s.flush()
        return post, [d.id for d in dests]


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    return value.astimezone(tz) if value else None


def list_posts(scope: Scope, limit: int = 100) -> list[dict[str, Any]]:
    """Newest first, each with its destinations; times in the post's own timezone."""
    with db.session() as s:
        posts = s.exec(scoped(scope, ScheduledPost)
                       .order_by(ScheduledPost.scheduled_at.desc(), ScheduledPost.id.desc()).limit(limit)).all()
        post_ids = [p.id for p in posts]
        dests = s.exec(scoped(scope, PostDestination).where(PostDestination.post_id.in_(post_ids))
                       .order_by(PostDestination.id)).all() if post_ids else []
        conns = {c.id: c for c in s.exec(scoped(scope, PlatformConnection).where(
            PlatformConnection.id.in_({d.connection_id for d in dests})))} if dests else {}
    by_post: dict[int, list[dict[str, Any]]] = {pid: [] for pid in post_ids}
    tzs = {p.id: ZoneInfo(p.timezone) for p in posts}
    for d in dests:
        conn = conns.get(d.connection_id)
        platform, username = (conn.platform, conn.username) if conn else ("", "")
        by_post[d.post_id].append({
            "id": d.id, "connection_id": d.connection_id, "platform": platform, "username": username,
            "account": account_label(platform, username) if platform else "a removed account",
            "profile_url": _profile_url(platform, username),
            "status": d.status, "attempts": d.attempts, "error": d.error,
            "platform_post_id": d.platform_post_id, "platform_url": d.platform_url,
            "published_at": _local(d.published_at, tzs[d.post_id]),
        })
    return [
        {"id": p.id, "content": p.content, "status": p.status, "timezone": p.timezone,
         "scheduled_at": _local(p.scheduled_at, tzs[p.id]), "scheduled_at_utc": p.scheduled_at,
         "destinations": by_post[p.id]}
        for p in posts
    ]


def _profile_url(platform: str, username: str) -> str:
    try:
        return get_adapter(platform).profile_url(username) if platform and username else ""
    except UnknownPlatform:
        return ""


def cancel_post(scope: Scope, post_id: int) -> int:
    """Cancel the destinations not yet sent; returns how many were cancelled."""
    scope.require(Role.editor)
    with db.session() as s:
        post = get_scoped(s, scope, ScheduledPost, post_id)
        # Conditional, like the publish claim: a destination being sent right now is left alone.
        res = s.exec(update(PostDestination)
                     .where(PostDestination.post_id == post.id, PostDestination.status == DS.pending)
                     .values(status=DS.cancelled, updated_at=db.utcnow())
                     .execution_options(synchronize_session=False))
        rollup(s, post.id)
        return res.rowcount
