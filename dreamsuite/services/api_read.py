"""What the public API reads, as plain JSON-ready data: connected accounts, posts (one shape for
create, read, update and list, so a post reads back as it was written), daily metrics.

Writes go through services/publish.py (its checks, its queue); this module only reads, always
through a Scope.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import DestinationStatus as DS, PlatformConnection, PostDestination, ScheduledPost
from dreamsuite.platforms import UnknownPlatform, get_adapter
from dreamsuite.services import series
from dreamsuite.services.publish import EDITABLE
from dreamsuite.services.scope import NotFound, Scope, scoped

MAX_METRIC_DAYS = 366


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def accounts(scope: Scope) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.exec(scoped(scope, PlatformConnection).order_by(PlatformConnection.id)).all()
    out = []
    for c in rows:
        try:
            can_publish = get_adapter(c.platform).can_publish
        except UnknownPlatform:
            can_publish = False
        out.append({"id": c.id, "platform": c.platform, "username": c.username, "display_name": c.display_name,
                    "status": c.status, "can_publish": can_publish, "last_synced_at": iso(c.last_synced_at),
                    "last_error": c.last_error, "connected_at": iso(c.created_at)})
    return out


def _post(p: ScheduledPost, dests: list[PostDestination], platforms: dict[int, str]) -> dict[str, Any]:
    tz = ZoneInfo(p.timezone or "UTC")
    local = p.scheduled_at.astimezone(tz).replace(tzinfo=None) if p.scheduled_at else None
    return {
        "id": p.id, "status": p.status, "content": p.content, "variants": dict(p.variants or {}),
        "first_comment": p.first_comment or "", "media": [i for i in (p.media or []) if isinstance(i, int)],
        "account_ids": [d.connection_id for d in dests], "scheduled_at": iso(p.scheduled_at),
        "timezone": p.timezone or "UTC", "local_time": iso(local),
        "editable": p.status in EDITABLE and all(d.status in (DS.pending, DS.cancelled) for d in dests),
        "created_at": iso(p.created_at), "updated_at": iso(p.updated_at),
        "destinations": [{"id": d.id, "account_id": d.connection_id, "platform": platforms.get(d.connection_id, ""),
                          "status": d.status, "attempts": d.attempts, "error": d.error,
                          "platform_post_id": d.platform_post_id, "platform_url": d.platform_url,
                          "published_at": iso(d.published_at)} for d in dests],
    }


def posts(scope: Scope, post_ids: list[int] | None = None, *, status: str | None = None, limit: int = 50,
          before: int | None = None) -> list[dict[str, Any]]:
    """Posts of the workspace, newest first (by id): the given ids, or a page of them."""
    with db.session() as s:
        q = scoped(scope, ScheduledPost)
        if post_ids is not None:
            q = q.where(ScheduledPost.id.in_(post_ids))
        if status:
            q = q.where(ScheduledPost.status == status)
        if before is not None:
            q = q.where(ScheduledPost.id < before)
        rows = s.exec(q.order_by(ScheduledPost.id.desc()).limit(limit)).all()
        ids = [p.id for p in rows]
        dests = s.exec(scoped(scope, PostDestination).where(PostDestination.post_id.in_(ids))
                       .order_by(PostDestination.id)).all() if ids else []
        platforms = dict(s.exec(select(PlatformConnection.id, PlatformConnection.platform).where(
            PlatformConnection.workspace_id == scope.workspace_id,
            PlatformConnection.id.in_({d.connection_id for d in dests}))).all()) if dests else {}
    by_post: dict[int, list[PostDestination]] = {i: [] for i in ids}
    for d in dests:
        by_post[d.post_id].append(d)
    return [_post(p, by_post[p.id], platforms) for p in rows]


def post(scope: Scope, post_id: int) -> dict[str, Any]:
    found = posts(scope, [post_id], limit=1)
    if not found:
        raise NotFound("That post is not in this workspace.")
    return found[0]


def metrics(scope: Scope, platform: str | None, start: date | None, end: date | None) -> dict[str, Any]:
    """Daily numbers per platform (the platform's accounts added up) for [start, end]; by default
    the last 30 days up to today in the artist's timezone."""
    with db.session() as s:
        end = end or series.workspace_today(s, scope)
        start = start or end - timedelta(days=29)
        start = max(start, end - timedelta(days=MAX_METRIC_DAYS - 1))  # `from` alone: at most a year
        rows = [r for r in series.metric_rows(s, scope, since=start)
                if r.date <= end and (not platform or r.platform == platform)]
    days = [{"date": iso(r.date), "platform": r.platform, "followers": r.follower_count,
             "follower_change": r.follower_change_24h, "engagement": r.engagement_total,
             "content_count": r.content_count} for r in rows]
    latest: dict[str, dict[str, Any]] = {}
    for d in days:
        t = latest.setdefault(d["platform"], {"followers": 0, "follower_change": 0, "engagement": 0})
        t["followers"] = d["followers"]
        t["follower_change"] += d["follower_change"]
        t["engagement"] += d["engagement"]
    return {"from": iso(start), "to": iso(end), "platform": platform, "days": days, "totals": latest}
