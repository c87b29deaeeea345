"""Writing collected data: bulk upserts that write nothing when nothing changed.

Each table is written with `INSERT … ON CONFLICT (key) DO UPDATE … WHERE <a value differs>
RETURNING id` in batches (SQLite and PostgreSQL both support it): one statement per batch
instead of an ORM object and an UPDATE per row. A row whose values are all equal is neither
updated nor returned, so collecting the same day twice writes nothing and counts 0, and its
`updated_at` stays put. The artist's own flags on comments (read, archived, replied) are
never in the update.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Iterable

from sqlalchemy import JSON, String, and_, cast, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from dreamsuite.db import announce_after_commit, utcnow
from dreamsuite.models import AudienceSnapshot, Comment, ContentPost, DailyMetric, PlatformConnection
from dreamsuite.platforms.base import CollectResult

# Rows per statement: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
BATCH = 500
POST_COUNTS = ("likes", "comments", "shares", "saves", "views", "plays", "reach", "impressions")


def write_collected(s: Session, conn: PlatformConnection, result: CollectResult) -> dict[str, int]:
    days = _write_days(s, conn, result)
    post_ids, posts = _write_posts(s, conn, result)
    comments = _write_comments(s, conn, result, post_ids)
    counts = {"daily_metrics": days, "posts": posts, "comments": comments}
    if result.audience:
        counts["audience"] = _write_audience(s, conn, result.audience)
    return counts


def _write_audience(s: Session, conn: PlatformConnection, data: dict[str, Any]) -> int:
    """Today's picture of who the audience is (one row per account and day)."""
    row = {"workspace_id": conn.workspace_id, "connection_id": conn.id, "platform": conn.platform,
           "date": utcnow().date(), "data": data, "updated_at": utcnow()}
    return len(_upsert(s, AudienceSnapshot, [row], ["connection_id", "date"], ["data"]))


def _aware(value: datetime) -> datetime:
    # Adapters report naive UTC; the columns hold aware UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _batches(items: list, size: int = BATCH) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _changed(table, excluded, columns: Iterable[str]):
    """SQL that is true when any of `columns` would change (NULL-safe; JSON compared as text)."""
    tests = []
    for name in columns:
        old, new = table.c[name], excluded[name]
        if isinstance(old.type, JSON):  # PostgreSQL's json has no equality operator
            old, new = cast(old, String), cast(new, String)
        tests.append(old.is_distinct_from(new))
    return or_(*tests)


@lru_cache
def _upsert_statement(model, dialect_name: str, key: tuple[str, ...], compare: tuple[str, ...],
                      returning: tuple[str, ...]):
    """One statement per table and dialect, compiled once and reused (executemany fills it)."""
    table = model.__table__
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    excluded = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=list(key),
        set_={**{c: excluded[c] for c in compare}, "updated_at": excluded["updated_at"]},
        where=_changed(table, excluded, compare),
    ).returning(*(table.c[c] for c in returning))


def _upsert(s: Session, model, rows: list[dict[str, Any]], key: list[str], compare: list[str],
            returning: tuple[str, ...] = ("id",)) -> list[tuple]:
    """Insert new rows, update rows whose `compare` columns differ; the written rows' `returning`."""
    if not rows:
        return []
    stmt = _upsert_statement(model, s.get_bind().dialect.name, tuple(key), tuple(compare), returning)
    written: list[tuple] = []
    for part in _batches(rows):
        written.extend(tuple(r) for r in s.execute(stmt, part).all())
    return written


def _write_days(s: Session, conn: PlatformConnection, result: CollectResult) -> int:
    if not result.days:
        return 0
    days = sorted({d.date: d for d in result.days}.values(), key=lambda d: d.date)
    # Only an exact previous day counts as "24h"; after a gap we do not guess. The day before
    # the batch comes from what is stored.
    before = s.execute(select(DailyMetric.follower_count).where(
        DailyMetric.connection_id == conn.id, DailyMetric.date == days[0].date - timedelta(days=1))).scalar()
    followers = {days[0].date - timedelta(days=1): before} if before is not None else {}
    now = utcnow()
    rows = []
    for day in days:
        prev = followers.get(day.date - timedelta(days=1))
        followers[day.date] = day.follower_count
        rows.append({
            "workspace_id": conn.workspace_id, "connection_id": conn.id, "platform": conn.platform,
            "date": day.date, "follower_count": day.follower_count,
            "follower_change_24h": day.follower_count - prev if prev is not None else 0,
            "engagement_total": day.engagement_total, "content_count": day.content_count,
            "metrics": dict(day.metrics), "updated_at": now,
        })
    compare = ["follower_count", "follower_change_24h", "engagement_total", "content_count", "metrics"]
    return len(_upsert(s, DailyMetric, rows, ["connection_id", "date"], compare))


def _post_row(conn: PlatformConnection, post, now: datetime) -> dict[str, Any]:
    return {
        "workspace_id": conn.workspace_id, "connection_id": conn.id, "platform": conn.platform,
        "platform_post_id": post.platform_post_id, "post_type": post.post_type, "caption": post.caption,
        "url": post.url, **{k: getattr(post, k) for k in POST_COUNTS}, "hashtags": list(post.hashtags),
        "details": dict(post.details), "posted_at": _aware(post.posted_at), "updated_at": now,
    }


def _write_posts(s: Session, conn: PlatformConnection, result: CollectResult) -> tuple[dict[str, int], int]:
    now = utcnow()
    rows = list({p.platform_post_id: _post_row(conn, p, now) for p in result.posts}.values())
    compare = ["connection_id", "post_type", "caption", "url", *POST_COUNTS, "hashtags", "details", "posted_at"]
    written = _upsert(s, ContentPost, rows, ["workspace_id", "platform", "platform_post_id"], compare,
                      returning=("platform_post_id", "id"))
    # Comments hang on posts by our ids: those just written came back; look up the others
    # (unchanged posts of this batch, posts collected earlier) only when a comment needs them.
    ids: dict[str, int] = dict(written)  # type: ignore[arg-type]
    wanted = list(dict.fromkeys(c.platform_post_id for c in result.comments if c.platform_post_id not in ids))
    for part in _batches(wanted):
        ids.update(s.execute(select(ContentPost.platform_post_id, ContentPost.id).where(and_(
            ContentPost.workspace_id == conn.workspace_id, ContentPost.platform == conn.platform,
            ContentPost.platform_post_id.in_(part)))).all())
    return ids, len(written)


def _write_comments(s: Session, conn: PlatformConnection, result: CollectResult, post_ids: dict[str, int]) -> int:
    now = utcnow()
    # A comment on a post the platform never showed us has nothing to hang on: skipped.
    rows = list({c.platform_comment_id: {
        "workspace_id": conn.workspace_id, "platform": conn.platform, "platform_comment_id": c.platform_comment_id,
        "post_id": post_ids[c.platform_post_id], "parent_platform_id": c.parent_platform_id, "author": c.author,
        "text": c.text, "likes": c.likes, "hidden": bool(c.hidden), "posted_at": _aware(c.posted_at),
        # Only for new rows: the update below never touches the artist's own flags.
        "is_read": False, "archived": False, "replied": False, "updated_at": now, "_says_hidden": c.hidden is not None,
    } for c in result.comments if c.platform_post_id in post_ids}.values())
    compare = ["post_id", "parent_platform_id", "author", "text", "likes", "hidden", "posted_at"]
    # Ids only grow: a written row above the largest id before this write is a new comment.
    before = s.execute(select(func.max(Comment.id))).scalar() or 0
    written = []
    # Where the platform does not say whether a comment is hidden, the stored flag (set when the
    # artist hid it from the inbox) is left as it is.
    for says, columns in ((True, compare), (False, [c for c in compare if c != "hidden"])):
        part = [{k: v for k, v in r.items() if k != "_says_hidden"} for r in rows if r["_says_hidden"] is says]
        written += _upsert(s, Comment, part, ["workspace_id", "platform", "platform_comment_id"], columns)
    new = sum(1 for (i,) in written if i > before)
    if new:  # open inboxes show them (once this transaction commits)
        announce_after_commit(s, conn.workspace_id, "inbox", new_comments=new)
    return len(written)
