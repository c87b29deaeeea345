"""The collection write path beside a raw bulk upsert of the same rows, on the same database.

1,000 connections × (30 days of metrics + 50 posts): `write_collected` per connection, each
in its own transaction as a collect job does, against a bare `INSERT … ON CONFLICT DO UPDATE`
of the same rows per connection (no change detection, no 24 h change, no ids for comments).
Printed: rows/s of each, our share of the raw figure, first write and an unchanged re-write.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

CONNECTIONS = 1_000
DAYS = 30
POSTS = 50


def _results():
    from dreamsuite.platforms.base import CollectResult, MetricDay, PostData

    end = date(2026, 11, 1)
    out = []
    for c in range(CONNECTIONS):
        days = [MetricDay(date=end - timedelta(days=d), follower_count=10_000 + c + d, engagement_total=d,
                          content_count=1, metrics={"profile_views": d}) for d in range(DAYS)]
        posts = [PostData(platform_post_id=f"{c}-{p}", posted_at=datetime(2026, 10, 1) + timedelta(hours=p),
                          post_type="reel" if p % 3 else "photo", caption=f"post {p} #tour", likes=p, comments=p // 2,
                          views=p * 10, hashtags=["tour"]) for p in range(POSTS)]
        out.append(CollectResult(days=days, posts=posts))
    return out


def _connections(label: str) -> list:
    from dreamsuite import db
    from dreamsuite.models import PlatformConnection, Workspace

    with db.session() as s:
        ws = Workspace(name=f"bench-write-{label}-{time.time_ns()}")
        s.add(ws)
        s.flush()
        conns = [PlatformConnection(workspace_id=ws.id, platform="instagram", platform_user_id=f"{label}-{i}")
                 for i in range(CONNECTIONS)]
        s.add_all(conns)
        s.flush()
        return conns


def _ours(conns, results) -> float:
    from dreamsuite import db
    from dreamsuite.services.sync_write import write_collected

    t = time.perf_counter()
    for conn, result in zip(conns, results):
        with db.session() as s:
            write_collected(s, conn, result)
    return time.perf_counter() - t


def _raw(conns, results) -> float:
    from sqlalchemy.dialects import postgresql, sqlite

    from dreamsuite import db
    from dreamsuite.models import ContentPost, DailyMetric

    dialect = postgresql if db.get_engine().dialect.name == "postgresql" else sqlite
    now = db.utcnow()
    t = time.perf_counter()
    for conn, result in zip(conns, results):
        days = [{"workspace_id": conn.workspace_id, "connection_id": conn.id, "platform": conn.platform,
                 "date": d.date, "follower_count": d.follower_count, "follower_change_24h": 0,
                 "engagement_total": d.engagement_total, "content_count": d.content_count,
                 "metrics": d.metrics, "updated_at": now} for d in result.days]
        posts = [{"workspace_id": conn.workspace_id, "connection_id": conn.id, "platform": conn.platform,
                  "platform_post_id": p.platform_post_id, "post_type": p.post_type, "caption": p.caption,
                  "url": p.url, "likes": p.likes, "comments": p.comments, "shares": p.shares, "saves": p.saves,
                  "views": p.views, "plays": p.plays, "reach": p.reach, "impressions": p.impressions,
                  "hashtags": p.hashtags, "details": p.details, "posted_at": p.posted_at.replace(tzinfo=now.tzinfo),
                  "updated_at": now}
                 for p in result.posts]
        with db.get_engine().begin() as c:
            for table, rows, key in ((DailyMetric.__table__, days, ["connection_id", "date"]),
                                     (ContentPost.__table__, posts, ["workspace_id", "platform", "platform_post_id"])):
                stmt = dialect.insert(table)
                stmt = stmt.on_conflict_do_update(
                    index_elements=key, set_={k: stmt.excluded[k] for k in rows[0] if k not in key})
                c.execute(stmt, rows)
    return time.perf_counter() - t


def run(label: str) -> None:
    results = _results()
    rows = CONNECTIONS * (DAYS + POSTS)
    ours_conns, raw_conns = _connections("ours"), _connections("raw")
    raw_first, ours_first = _raw(raw_conns, results), _ours(ours_conns, results)
    raw_again, ours_again = _raw(raw_conns, results), _ours(ours_conns, results)
    for what, ours, raw in (("first write", ours_first, raw_first), ("unchanged re-write", ours_again, raw_again)):
        print(f"[{label}] collection {what:<19} ours {rows / ours:8,.0f} rows/s   raw upsert {rows / raw:8,.0f} rows/s"
              f"   = {raw / ours * 100:5.1f} % of raw   ({rows:,} rows)")
