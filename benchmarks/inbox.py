"""The comments inbox on 100,000 comments: each filter, sort and search page query with its total.

One workspace with 100,000 comments over 8 platforms and 400 posts across a year, a fifth read, a
tenth answered, a twentieth archived, one in fifty hidden (and another workspace with 20,000 comments that must not
slow it down). Times `list_comments` end to end (the count and the page), the unread badge, the
post filter's choices, and a bulk mark-read of 200 ids.

    python -m benchmarks.inbox            # SQLite, and PostgreSQL when BENCH_DATABASE_URL is set
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

COMMENTS = 100_000
OTHER = 20_000
POSTS = 400
PLATFORMS = ("instagram", "facebook", "youtube", "tiktok", "x", "soundcloud", "spotify", "deezer")
WORDS = ("love", "this", "song", "fire", "🔥", "encore", "tour", "when", "Berlin", "concert", "ÉNORME", "最高",
         "merci", "the", "drop", "at", "1:23", "hits", "different", "vinyl")


def _fill(label: str, comments: int, seed: int):
    from sqlalchemy import insert

    from dreamsuite import db
    from dreamsuite.models import Comment, ContentPost, Role
    from dreamsuite.services import auth
    from dreamsuite.services.scope import Scope

    user_id, ws_id, _ = auth.create_account(f"{label}-{time.time_ns()}@example.com", "benchmark-pw", label,
                                            "Europe/Berlin")
    rng = random.Random(seed)
    now = db.utcnow()
    start = now - timedelta(days=365)
    with db.get_engine().begin() as conn:
        conn.execute(insert(ContentPost), [
            {"workspace_id": ws_id, "platform": PLATFORMS[n % len(PLATFORMS)], "platform_post_id": f"{label}-{n}",
             "post_type": "post", "caption": f"post {n} — new single out now #tour", "url": f"https://x.example/{n}",
             "hashtags": [], "details": {}, "posted_at": start + timedelta(days=n * 365 / POSTS), "updated_at": now}
            for n in range(POSTS)])
        post_ids = [r[0] for r in conn.exec_driver_sql(
            f"SELECT id, platform FROM content_post WHERE workspace_id = {ws_id} ORDER BY id")]
        platforms = {r[0]: r[1] for r in conn.exec_driver_sql(
            f"SELECT id, platform FROM content_post WHERE workspace_id = {ws_id}")}
        batch = []
        for i in range(comments):
            pid = post_ids[rng.randrange(len(post_ids))]
            batch.append({
                "workspace_id": ws_id, "post_id": pid, "platform": platforms[pid], "platform_comment_id": f"c{i}",
                "parent_platform_id": f"c{i - 1}" if i and rng.random() < 0.15 else "",
                "author": f"fan_{rng.randrange(5000)}", "text": " ".join(rng.choices(WORDS, k=rng.randint(2, 14))),
                "likes": int(rng.paretovariate(1.3)) - 1, "hidden": rng.random() < 0.02,
                "is_read": rng.random() < 0.2,
                "archived": rng.random() < 0.05, "replied": rng.random() < 0.1,
                "posted_at": start + timedelta(seconds=rng.randrange(365 * 86400)), "updated_at": now})
            if len(batch) == 5000:
                conn.execute(insert(Comment), batch)
                batch = []
        if batch:
            conn.execute(insert(Comment), batch)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE comment")
            conn.exec_driver_sql("ANALYZE content_post")
        else:
            conn.exec_driver_sql("ANALYZE")
    return Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner), post_ids


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return f"median {statistics.median(s) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def run(label: str, repeat: int = 7) -> None:
    from dreamsuite.services import inbox
    from dreamsuite.services.inbox import Filters

    t = time.perf_counter()
    scope, post_ids = _fill(f"inbox-{label}", COMMENTS, 1)
    _fill(f"inbox-other-{label}", OTHER, 2)
    print(f"[{label}] inbox: {COMMENTS:,} comments (+{OTHER:,} in another workspace) written in "
          f"{time.perf_counter() - t:.1f} s")
    today = datetime.now(UTC).date()
    cases = [
        ("newest, page 1", Filters(), "newest", 1),
        ("newest, page 40", Filters(), "newest", 40),
        ("newest, last page", Filters(), "newest", 10_000),
        ("most liked, page 1", Filters(), "engaged", 1),
        ("unanswered first, page 1", Filters(), "unanswered", 1),
        ("unread only", Filters(read=False), "newest", 1),
        ("unanswered only", Filters(answered=False), "newest", 1),
        ("archive", Filters(archived=True), "newest", 1),
        ("hidden only", Filters(hidden=True), "newest", 1),
        ("one platform", Filters(platforms=("youtube",)), "newest", 1),
        ("one post", Filters(post_id=post_ids[123]), "newest", 1),
        ("last 7 days", Filters(since=today - timedelta(days=6), until=today), "newest", 1),
        ("one month, unread, liked", Filters(since=date.fromordinal(today.toordinal() - 60),
                                             until=date.fromordinal(today.toordinal() - 30), read=False),
         "engaged", 1),
        ("search 'encore' (common)", Filters(search="encore"), "newest", 1),
        ("search 'énorme' (any case)", Filters(search="énorme"), "newest", 1),
        ("search 'zzz' (no match)", Filters(search="zzz"), "newest", 1),
        ("search + platform + unread", Filters(search="vinyl", platforms=("tiktok",), read=False), "engaged", 1),
    ]
    for name, filters, sort, page in cases:
        samples, total = [], 0
        for _ in range(repeat):
            t = time.perf_counter()
            result = inbox.list_comments(scope, filters, sort, page, 25)
            samples.append(time.perf_counter() - t)
            total = result.total
        print(f"[{label}]   {name:<30} {total:>7,} matching   {_ms(samples)}")
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        inbox.counts(scope)
        samples.append(time.perf_counter() - t)
    print(f"[{label}]   {'badge counts (unread, unanswered)':<30} {'':>16}   {_ms(samples)}")
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        inbox.posts_with_comments(scope)
        samples.append(time.perf_counter() - t)
    print(f"[{label}]   {'post filter choices':<30} {'':>16}   {_ms(samples)}")
    ids = [i.id for i in inbox.list_comments(scope, Filters(), "newest", 1, 200).items]
    samples = []
    for n in range(repeat):
        t = time.perf_counter()
        inbox.mark_read(scope, ids, read=bool(n % 2))
        samples.append(time.perf_counter() - t)
    print(f"[{label}]   {'bulk mark read, 200 ids':<30} {'':>16}   {_ms(samples)}")


def main() -> int:
    from benchmarks.database import targets as databases, use_database

    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6391/0")
    targets = databases()
    for label, url in targets:
        use_database(url)
        run(label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
