"""Scheduled publishing (DESIGN flow 5): compose a post (check it per account, store it with its
destinations, enqueue them), edit a draft or a post not yet sent, list, cancel.

Sending lives in publish_run.py (re-exported here) so the job and the pages share one API. A draft
keeps the accounts it is meant for as destinations that are not going out (status cancelled:
never claimed, never reconciled); scheduling it makes them pending and enqueues them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete as sql_delete, update
from sqlmodel import Session, select

from dreamsuite import db, queue
from dreamsuite.models import (
    DestinationEvent,
    DestinationStatus as DS,
    MediaAsset,
    PlatformConnection,
    PostDestination,
    PostStatus,
    Role,
    ScheduledPost,
)
from dreamsuite.platforms import UnknownPlatform, account_label, get_adapter
from dreamsuite.services.media import as_dict as asset_dict
from dreamsuite.services.post_checks import (
    PUBLISHABLE, FieldErrors, Problems, PublishValidationError, check_accounts, clean_variants, text_for,
)
from dreamsuite.services.post_time import MAX_AHEAD, PAST_GRACE, AmbiguousTime, local_to_utc, zone
from dreamsuite.services.publish_run import publish_destination, reconcile, rollup
from dreamsuite.services.scope import NotFound, Scope, get_scoped, scoped

__all__ = ["PublishValidationError", "FieldErrors", "AmbiguousTime", "schedule_post", "update_post", "get_post",
           "publish_destination", "reconcile", "list_posts", "destination_history", "cancel_post", "local_to_utc",
           "text_for", "PUBLISHABLE", "MAX_AHEAD", "Compose", "check_compose", "store_checked", "enqueue_destinations"]

log = logging.getLogger(__name__)
# A draft (or a post not yet sent) the composer may still change.
EDITABLE = (PostStatus.draft, PostStatus.scheduled)


@dataclass
class Compose:
    """What the composer sends: the post as the artist left it."""

    content: str
    connection_ids: list[int]
    local_when: datetime | None
    timezone: str
    fold: int | None = None
    variants: dict[str, str] = field(default_factory=dict)
    first_comment: str = ""
    media: list[int] = field(default_factory=list)
    draft: bool = False
    post_now: bool = False


async def schedule_post(
    scope: Scope, content: str, connection_ids: list[int], local_when: datetime | None, timezone: str,
    fold: int | None = None, *, variants: dict[str, str] | None = None, first_comment: str = "",
    media: list[int] | None = None, draft: bool = False, post_now: bool = False,
) -> ScheduledPost:
    """Store a new post, checked per chosen account (every problem at once, by field: FieldErrors),
    and enqueue each destination at its time. `draft`: stored without going out (it may lack a
    time); `post_now`: due at once."""
    c = Compose(content or "", list(connection_ids or []), local_when, timezone, fold, dict(variants or {}),
                first_comment or "", list(media or []), draft, post_now)
    post, dest_ids = await db.run(_store_post, scope, c)
    await enqueue_destinations(post, dest_ids)
    return post


async def update_post(
    scope: Scope, post_id: int, content: str, connection_ids: list[int], local_when: datetime | None,
    timezone: str, fold: int | None = None, *, variants: dict[str, str] | None = None, first_comment: str = "",
    media: list[int] | None = None, draft: bool = False, post_now: bool = False,
) -> ScheduledPost:
    """Change a draft, or a scheduled post none of whose destinations has started going out; it
    may become a draft again, or go out (at its new time). Each destination still to go out is
    enqueued at the post's time: job ids carry the time, so a moved post gets new jobs and the
    old ones, finding it not due, skip."""
    c = Compose(content or "", list(connection_ids or []), local_when, timezone, fold, dict(variants or {}),
                first_comment or "", list(media or []), draft, post_now)
    post, dest_ids = await db.run(_update_post, scope, post_id, c)
    await enqueue_destinations(post, dest_ids)
    return post


async def enqueue_destinations(post: ScheduledPost, dest_ids: list[int]) -> None:
    for dest_id in dest_ids:
        try:
            await queue.enqueue_publish(dest_id, post.scheduled_at)
        except Exception:  # stored is what counts: the reconciler enqueues it when due
            log.warning("could not enqueue destination %s", dest_id, exc_info=True)


def _when(c: Compose, now: datetime) -> datetime | None:
    if c.post_now:
        zone(c.timezone)
        return now
    if c.local_when is None:
        if c.draft:
            return None
        raise PublishValidationError("Pick a date and time for the post.")
    when = local_to_utc(c.local_when, c.timezone, c.fold)
    if when < now - PAST_GRACE and not c.draft:
        raise PublishValidationError("That time is in the past; pick a time from now on.")
    if when > now + MAX_AHEAD:
        raise PublishValidationError("Posts can be scheduled up to two years ahead; pick an earlier date.")
    return when


def check_compose(s: Session, scope: Scope, c: Compose, now: datetime
             ) -> tuple[datetime | None, list[int], list[int], dict[str, str]]:
    """Everything the post needs, checked in one pass; raises FieldErrors with all the problems
    (AmbiguousTime only once nothing else is wrong). Locks the chosen media (a deletion waits)."""
    scope.require(Role.editor)
    problems = Problems()
    ids = [int(i) for i in dict.fromkeys(c.connection_ids)]
    conns = {x.id: x for x in s.exec(scoped(scope, PlatformConnection).where(PlatformConnection.id.in_(ids)))} \
        if ids else {}
    if len(conns) != len(ids):
        problems.add("accounts", "One of the chosen accounts is not connected to this workspace.")
    if not ids and not c.draft:
        problems.add("accounts", "Choose at least one account to post to.")
    asset_ids = [int(i) for i in dict.fromkeys(c.media)]
    rows = {a.id: a for a in s.exec(scoped(scope, MediaAsset).where(MediaAsset.id.in_(asset_ids))
                                    .with_for_update())} if asset_ids else {}
    if len(rows) != len(asset_ids):
        problems.add("media", "One of the chosen files is not in this workspace's media library (it may have been "
                              "deleted): remove it from the post and choose it again.")
    assets = [asset_dict(rows[i]) for i in asset_ids if i in rows]
    variants = clean_variants(c.variants)
    ambiguous: AmbiguousTime | None = None
    when = None
    try:
        when = _when(c, now)
    except AmbiguousTime as exc:
        ambiguous = exc
    except PublishValidationError as exc:
        problems.add("when", exc.message)
    if c.draft:
        if not (c.content.strip() or assets or variants):
            problems.add("content", "Write something or add a photo before saving a draft.")
    else:
        check_accounts(problems, [conns[i] for i in ids if i in conns], c.content, variants, assets,
                       c.first_comment)
    problems.raise_any()
    if ambiguous is not None:
        raise ambiguous
    return when, [i for i in ids if i in conns], asset_ids, variants


def _stored_time(when: datetime | None, now: datetime) -> datetime | None:
    # A draft without a time: none where the column allows it, else the time it was saved.
    if when is None and not ScheduledPost.__table__.c.scheduled_at.nullable:
        return now
    return when


def _store_post(scope: Scope, c: Compose) -> tuple[ScheduledPost, list[int]]:
    now = db.utcnow()
    with db.session() as s:
        post, dest_ids = store_checked(s, scope, c, check_compose(s, scope, c, now), now)
        db.announce_after_commit(s, scope.workspace_id, "publish", post_id=post.id)
        return post, dest_ids


def store_checked(s: Session, scope: Scope, c: Compose, checked: tuple, now: datetime
                  ) -> tuple[ScheduledPost, list[int]]:
    """A new post and its destinations from what `check_compose` found (the composer's one post,
    or each post of an import in one transaction); the ids of the destinations to enqueue."""
    when, ids, asset_ids, variants = checked
    post = ScheduledPost(workspace_id=scope.workspace_id, author_id=scope.user_id, content=c.content,
                         media=asset_ids, variants=variants, first_comment=c.first_comment,
                         scheduled_at=_stored_time(when, now), timezone=c.timezone,
                         status=PostStatus.draft if c.draft else PostStatus.scheduled)
    s.add(post)
    s.flush()
    status = DS.cancelled if c.draft else DS.pending
    dests = [PostDestination(workspace_id=scope.workspace_id, post_id=post.id, connection_id=cid, status=status)
             for cid in ids]
    s.add_all(dests)
    s.flush()
    return post, [] if c.draft else [d.id for d in dests]


def _update_post(scope: Scope, post_id: int, c: Compose) -> tuple[ScheduledPost, list[int]]:
    now = db.utcnow()
    with db.session() as s:
        # Locked like the rollup locks it: a destination finishing meanwhile waits for us.
        post = s.exec(scoped(scope, ScheduledPost).where(ScheduledPost.id == post_id).with_for_update()).first()
        if post is None:
            raise NotFound("That post is not in this workspace (it may have been deleted).")
        if post.status not in EDITABLE:
            raise PublishValidationError(f"This post is {post.status.replace('_', ' ')}: it can no longer be "
                                         "changed. Write a new one instead.")
        dests = {d.connection_id: d for d in s.exec(select(PostDestination).where(PostDestination.post_id == post.id))}
        going = [d.id for d in dests.values() if d.status != DS.cancelled]
        # Conditional, like the claim: a destination claimed meanwhile keeps the post as it was.
        if going:
            res = s.exec(update(PostDestination)
                         .where(PostDestination.id.in_(going), PostDestination.status == DS.pending)
                         .values(updated_at=now).execution_options(synchronize_session=False))
            if res.rowcount != len(going):
                raise PublishValidationError("This post started going out meanwhile, so it can no longer be "
                                             "changed.")
        when, ids, asset_ids, variants = check_compose(s, scope, c, now)
        post.content, post.media, post.variants, post.first_comment = c.content, asset_ids, variants, c.first_comment
        post.scheduled_at, post.timezone = _stored_time(when, now), c.timezone
        post.status, post.updated_at = (PostStatus.draft if c.draft else PostStatus.scheduled), now
        s.add(post)
        unwanted = [d for cid, d in dests.items() if cid not in ids]
        if unwanted:  # never sent (pending or a draft's): nothing of them to keep
            s.exec(sql_delete(PostDestination).where(PostDestination.id.in_([d.id for d in unwanted]))
                   .execution_options(synchronize_session=False))
            for d in unwanted:  # out of the session too: SQLite may hand a new destination the same id
                s.expunge(d)
        status = DS.cancelled if c.draft else DS.pending
        out = []
        for cid in ids:
            dest = dests.get(cid) or PostDestination(workspace_id=scope.workspace_id, post_id=post.id,
                                                     connection_id=cid)
            dest.status, dest.error, dest.updated_at = status, "", now
            s.add(dest)
            out.append(dest)
        s.flush()
        db.announce_after_commit(s, scope.workspace_id, "publish", post_id=post.id)
        return post, [] if c.draft else [d.id for d in out]


def get_post(scope: Scope, post_id: int) -> dict[str, Any]:
    """A post as the composer edits it: texts, accounts, media (those still in the library), time."""
    with db.session() as s:
        post = s.exec(scoped(scope, ScheduledPost).where(ScheduledPost.id == post_id)).first()
        if post is None:
            raise NotFound("That post is not in this workspace (it may have been deleted).")
        dests = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)
                       .order_by(PostDestination.id)).all()
        ids = [i for i in (post.media or []) if isinstance(i, int)]
        rows = {a.id: a for a in s.exec(scoped(scope, MediaAsset).where(MediaAsset.id.in_(ids)))} if ids else {}
        editable = post.status in EDITABLE and all(d.status in (DS.pending, DS.cancelled) for d in dests)
        tz = post.timezone or "UTC"
        local = post.scheduled_at.astimezone(ZoneInfo(tz)).replace(tzinfo=None) if post.scheduled_at else None
        return {"id": post.id, "status": post.status, "content": post.content, "variants": dict(post.variants or {}),
                "first_comment": post.first_comment or "", "media": [asset_dict(rows[i]) for i in ids if i in rows],
                "connection_ids": [d.connection_id for d in dests], "timezone": tz, "local_when": local,
                "scheduled_at": post.scheduled_at, "editable": editable}


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
         "media": [i for i in (p.media or []) if isinstance(i, int)], "variants": dict(p.variants or {}),
         "first_comment": p.first_comment or "", "destinations": by_post[p.id],
         "editable": p.status in EDITABLE and all(d["status"] in (DS.pending, DS.cancelled) for d in by_post[p.id])}
        for p in posts
    ]


def destination_history(scope: Scope, post_ids: int | list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each destination's steps (sending, retries, the outcome, the first comment's), oldest first,
    with their time in the post's own timezone: {destination_id: [{"at", "local", "status",
    "message"}]}, for one post or the listed ones, in one query. A post of another workspace (or
    none) is NotFound."""
    wanted = {int(post_ids)} if isinstance(post_ids, int) else {int(i) for i in post_ids}
    if not wanted:
        return {}
    with db.session() as s:
        found = dict(s.exec(select(ScheduledPost.id, ScheduledPost.timezone).where(
            ScheduledPost.workspace_id == scope.workspace_id, ScheduledPost.id.in_(wanted))).all())
        if len(found) != len(wanted):
            raise NotFound("That post is not in this workspace (it may have been deleted).")
        # In the order they were written (ids), which is the order they happened.
        rows = s.exec(select(DestinationEvent, PostDestination.post_id)
                      .join(PostDestination, PostDestination.id == DestinationEvent.destination_id)
                      .where(DestinationEvent.workspace_id == scope.workspace_id,
                             PostDestination.workspace_id == scope.workspace_id, PostDestination.post_id.in_(wanted))
                      .order_by(DestinationEvent.destination_id, DestinationEvent.id)).all()
    out: dict[int, list[dict[str, Any]]] = {}
    zones = {pid: ZoneInfo(tz or "UTC") for pid, tz in found.items()}
    for event, post_id in rows:
        out.setdefault(event.destination_id, []).append({
            "at": event.at, "local": event.at.astimezone(zones[post_id]), "status": event.status,
            "message": event.message})
    return out


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
