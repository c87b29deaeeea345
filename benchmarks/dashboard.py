"""The dashboard's data for a heavy workspace, beside the time of its own SQL.

A heavy artist: 11 accounts × 3 years of daily numbers and 20,000 posts (and the demo-sized
one: 5 accounts × 1 year, 900 posts). `dashboard_data` for a 90-day range (and the heavy one's
three years) is timed end to end;
then the exact statements it ran (recorded with their parameters) are replayed on a bare
database connection with every row fetched: "its SQL alone". The ratio says how much the
Python around the SQL costs (target ≤ 1.5×; p95 target ≤ 100 ms).
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, insert

PLATFORMS = ("instagram", "facebook", "spotify", "youtube", "tiktok", "soundcloud", "x", "deezer",
             "instagram", "youtube", "tiktok")  # 11 accounts (three platforms with a second one)
TYPES = {"instagram": ("reel", "photo", "carousel"), "facebook": ("post", "photo", "video"),
         "youtube": ("video", "short"), "tiktok": ("video",), "x": ("post",), "spotify": ("track",),
         "soundcloud": ("track",), "deezer": ("track",)}


def make_workspace(label: str, accounts: tuple[str, ...], days: int, posts: int):
    """A workspace with `accounts` (one per entry), `days` of history each and `posts` posts."""
    from dreamsuite import db
    from dreamsuite.models import ContentPost, DailyMetric, PlatformConnection, Role
    from dreamsuite.services import auth
    from dreamsuite.services.scope import Scope

    user_id, ws_id, _ = auth.create_account(f"{label}-{time.time_ns()}@example.com", "benchmark-pw", label, "UTC")
    rng = random.Random(7)
    today = datetime.now(UTC).date()
    now = db.utcnow()
    with db.get_engine().begin() as conn:
        conn_ids = []
        for i, platform in enumerate(accounts):
            res = conn.execute(insert(PlatformConnection).values(
                workspace_id=ws_id, platform=platform, platform_user_id=f"{label}-{i}", username=f"{label}{i}",
                details={}, created_at=now, updated_at=now, last_synced_at=now))
            conn_ids.append((res.inserted_primary_key[0], platform))
        for cid, platform in conn_ids:
            base = rng.randint(2_000, 60_000)
            rows = [{"workspace_id": ws_id, "connection_id": cid, "platform": platform,
                     "date": today - timedelta(days=d), "follower_count": int(base * (1 + 0.001 * (days - d))),
                     "follower_change_24h": int(base * 0.001), "engagement_total": rng.randint(50, 900),
                     "content_count": 0, "metrics": {"views": rng.randint(500, 9000)}, "updated_at": now}
                    for d in range(days)]
            conn.execute(insert(DailyMetric), rows)
        post_rows = []
        for n in range(posts):
            cid, platform = conn_ids[n % len(conn_ids)]
            post_rows.append({
                "workspace_id": ws_id, "connection_id": cid, "platform": platform, "platform_post_id": f"{label}-{n}",
                "post_type": rng.choice(TYPES[platform]), "caption": f"post {n} #tour #newmusic", "url": "",
                "likes": rng.randint(10, 3000), "comments": rng.randint(0, 200), "shares": rng.randint(0, 100),
                "saves": rng.randint(0, 100), "views": rng.randint(100, 50_000), "plays": 0,
                "reach": rng.randint(500, 40_000), "impressions": 0, "hashtags": ["tour", "newmusic"],
                "details": {}, "posted_at": datetime.combine(today - timedelta(days=rng.randint(0, days - 1)),
                                                             datetime.min.time(), tzinfo=UTC)
                + timedelta(hours=rng.randint(8, 22)), "updated_at": now})
        conn.execute(insert(ContentPost), post_rows)
    return Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner)


class Recorder:
    """The statements one call runs, with their parameters, to replay them bare."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append((statement, parameters))

    def replay(self) -> float:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            t = time.perf_counter()
            for statement, parameters in self.statements:
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            elapsed = time.perf_counter() - t
            raw.rollback()
            return elapsed
        finally:
            raw.close()


def _p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def measure(label: str, scope, runs: int = 30, **range_) -> dict:
    from dreamsuite import db
    from dreamsuite.services.dashboard import dashboard_data

    dashboard_data(scope, **range_)  # warm: compiled statements, imports
    totals, sqls = [], []
    for _ in range(runs):
        with Recorder(db.get_engine()) as rec:
            t = time.perf_counter()
            dashboard_data(scope, **range_)
            totals.append(time.perf_counter() - t)
        sqls.append(rec.replay())
        gc.collect()
    total, sql = statistics.median(totals), statistics.median(sqls)
    print(f"  {label:<44} median {total * 1000:6.1f} ms  p95 {_p95(totals) * 1000:6.1f} ms"
          f"   its SQL alone {sql * 1000:6.1f} ms   ratio {total / sql:4.2f}×   ({len(rec.statements)} statements)")
    return {"median": total, "p95": _p95(totals), "sql": sql}


def run(label: str) -> None:
    """Both workspaces on the database in use; the heavy one for 90 days and for three years."""
    print(f"[{label}] dashboard_data, the whole dashboard's data for a range:")
    demo = make_workspace("demo", ("instagram", "youtube", "spotify", "tiktok", "facebook"), 365, 900)
    heavy = make_workspace("heavy", PLATFORMS, 3 * 365, 20_000)
    small = measure("demo size (5 accounts × 1 year), 90 days", demo)
    big = measure("heavy (11 accounts × 3 years, 20k posts), 90 days", heavy)
    measure("heavy, all three years", heavy, runs=15, days=3 * 365)
    print(f"  growth from demo size to heavy (90 days): × {big['median'] / small['median']:.2f} "
          f"(the data grew × {(11 * 3 * 365 + 20_000) / (5 * 365 + 900):.1f})")
