"""Portable upserts of collected data: load existing rows by key, update what differs, insert the rest.

Works the same on SQLite and PostgreSQL; a row whose values did not change is not touched
(updated_at kept), so collecting the same day twice writes nothing and counts 0.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any, Iterable

from sqlmodel import Session, select

from dreamsuite.db import utcnow
from dreamsuite.models import Comment, ContentPost, DailyMetric, PlatformConnection
from dreamsuite.platforms.base import CollectResult

CHUNK = 500  # keeps IN (...) lists well under every driver's parameter limit


def write_collected(s: Session, conn: PlatformConnection, result: CollectResult) -> dict[str, int]:
    days = _write_days(s, conn, result)
    post_ids, posts = _write_posts(s, conn, result)
    comments = _write_comments(s, conn, result, post_ids)
    return {"daily_metrics": days, "posts": posts, "comments": comments}


def _apply(row: Any, values: dict[str, Any]) -> bool:
    """Set the fields that differ; True when anything changed (then updated_at moves too)."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if changed:
        row.updated_at = utcnow()
    return changed


def _aware(value: datetime) -> datetime:
    # Adapters report naive UTC; the columns hold aware UTC (and compare equal only then).
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _write_days(s: Session, conn: PlatformConnection, result: CollectResult) -> int:
    if not result.days:
        return 0
    days = sorted({d.date: d for d in result.days}.values(), key=lambda d: d.date)
    ws, platform = conn.workspace_id, conn.platform
    wanted = [d.date for d in days] + [days[0].date - timedelta(days=1)]
    existing: dict = {}
    # This account's days only: another account on the same platform keeps its own rows.
    for part in _chunks(wanted):
        for row in s.exec(select(DailyMetric).where(
            DailyMetric.connection_id == conn.id, DailyMetric.date.in_(part)
        )):
            existing[row.date] = row
    followers = {d: r.follower_count for d, r in existing.items()}
    written = 0
    for day in days:
        followers[day.date] = day.follower_count
        prev = followers.get(day.date - timedelta(days=1))
        values = {
            "follower_count": day.follower_count,
            # Only an exact previous day counts as "24h"; after a gap we do not guess.
            "follower_change_24h": day.follower_count - prev if prev is not None else 0,
            "engagement_total": day.engagement_total,
            "content_count": day.content_count,
            "metrics": dict(day.metrics),
        }
        row = existing.get(day.date)
        if row is None:
            s.add(DailyMetric(workspace_id=ws, connection_id=conn.id, platform=platform, date=day.date, **values))
            written += 1
        elif _apply(row, values):
            written += 1
    return written


def _post_rows(s: Session, ws: int, platform: str, ids: list[str]) -> dict[str, ContentPost]:
    rows: dict[str, ContentPost] = {}
    for part in _chunks(ids):
        for row in s.exec(select(ContentPost).where(
            ContentPost.workspace_id == ws, ContentPost.platform == platform, ContentPost.platform_post_id.in_(part)
        )):
            rows[row.platform_post_id] = row
    return rows


def _write_posts(s: Session, conn: PlatformConnection, result: CollectResult) -> tuple[dict[str, int], int]:
    ws, platform = conn.workspace_id, conn.platform
    posts = {p.platform_post_id: p for p in result.posts}
    wanted = list(posts) + [c.platform_post_id for c in result.comments if c.platform_post_id not in posts]
    rows = _post_rows(s, ws, platform, list(dict.fromkeys(wanted)))
    written = 0
    for pid, post in posts.items():
        values = asdict(post)
        values.pop("platform_post_id")
        values["hashtags"] = list(values["hashtags"])
        values["posted_at"] = _aware(post.posted_at)
        values["connection_id"] = conn.id
        row = rows.get(pid)
        if row is None:
            rows[pid] = ContentPost(workspace_id=ws, platform=platform, platform_post_id=pid, **values)
            s.add(rows[pid])
            written += 1
        elif _apply(row, values):
            written += 1
    s.flush()  # new posts get their ids, which their comments reference
    return {pid: row.id for pid, row in rows.items()}, written


def _write_comments(s: Session, conn: PlatformConnection, result: CollectResult, post_ids: dict[str, int]) -> int:
    ws, platform = conn.workspace_id, conn.platform
    # A comment on a post the platform never showed us has nothing to hang on: skipped.
    comments = {c.platform_comment_id: c for c in result.comments if c.platform_post_id in post_ids}
    existing: dict[str, Comment] = {}
    for part in _chunks(list(comments)):
        for row in s.exec(select(Comment).where(
            Comment.workspace_id == ws, Comment.platform == platform, Comment.platform_comment_id.in_(part)
        )):
            existing[row.platform_comment_id] = row
    written = 0
    for cid, c in comments.items():
        # The artist's own flags (read, archived, replied) are never overwritten by a sync.
        values = {
            "post_id": post_ids[c.platform_post_id], "parent_platform_id": c.parent_platform_id,
            "author": c.author, "text": c.text, "likes": c.likes, "hidden": c.hidden, "posted_at": _aware(c.posted_at),
        }
        row = existing.get(cid)
        if row is None:
            s.add(Comment(workspace_id=ws, platform=platform, platform_comment_id=cid, **values))
            written += 1
        elif _apply(row, values):
            written += 1
    return written
