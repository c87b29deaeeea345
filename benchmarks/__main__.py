"""Measures the paths a user waits on, on a fresh migrated database (SQLite; PostgreSQL too
when BENCH_DATABASE_URL is set):

- collect: a first full sync of the sandbox artist (200 days, ~45 posts, ~180 comments)
  through HTTP, and the idempotent re-run;
- dashboard: `dashboard_data` for that workspace (what a page load waits on), and for a heavy
  artist (11 accounts × 3 years, 20,000 posts) beside the time of its SQL alone
  (benchmarks/dashboard.py);
- chat: a full streamed offline-analyst answer, first chunk and total; and 30 typical questions on a
  demo-sized and a heavy workspace (benchmarks/chat.py);
- publish: scheduling and publishing 20 posts (claim, HTTP send, roll-up) one after another;
- collection writes: rows/s of the write path beside a raw bulk upsert of the same rows
  (benchmarks/collect_write.py);
- event loop: how late other users' events would be while logins and heavy dashboards run
  (benchmarks/event_loop.py);
- promotion: the brain alone on a busy workspace in memory (benchmarks/promotion_brain.py), and
  one run as the worker does it, read from and stored to the database (benchmarks/promotion_run.py).

Prints median and p95 in milliseconds and the process's peak memory.
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import sys
import time
from datetime import datetime, timedelta

from benchmarks import ROOT  # noqa: F401 - the package sets up the benchmarks' environment


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return f"median {statistics.median(s) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms   (n={len(s)})"


async def _timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - t)
    return out


async def run_suite(label: str) -> None:
    from dreamsuite.models import Role
    from dreamsuite.platforms.sandbox.consent import approve
    from dreamsuite.services import auth, chat, connect, dashboard, publish, sync
    from dreamsuite.services.scope import Scope

    from dreamsuite import db

    user_id, ws_id, _ = await db.run(auth.create_account, f"bench-{time.time_ns()}@example.com", "benchmark-pw",
                                      "Bench", "UTC")
    scope = Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner)
    params = await approve(await connect.start_connect(scope, "sandbox"))
    conn_id = (await connect.complete_connect("sandbox", params, user_id)).connection_id

    import httpx

    from dreamsuite.platforms.base import HTTP_TIMEOUT

    # One pooled client for every call, as the worker holds one (making a client costs ~30 ms of TLS setup).
    http = httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    t = time.perf_counter()
    first = await sync.collect_connection(conn_id, client=http)
    first_s = time.perf_counter() - t
    rerun = await _timed(lambda: sync.collect_connection(conn_id, client=http), 5)
    print(f"[{label}] collect, first full sync       {first_s * 1000:8.1f} ms   {first.get('counts')}")
    print(f"[{label}] collect, idempotent re-run     {_ms(rerun)}")

    async def dash():
        await db.run(dashboard.dashboard_data, scope)

    print(f"[{label}] dashboard_data (90 days)       {_ms(await _timed(dash, 30))}")

    conv = await db.run(chat.create_conversation, scope)
    first_chunk: list[float] = []

    async def ask():
        t0 = time.perf_counter()
        got_first = False
        async for _ in chat.stream_reply(scope, conv, "How did my followers grow this month?"):
            if not got_first:
                first_chunk.append(time.perf_counter() - t0)
                got_first = True

    total = await _timed(ask, 10)
    print(f"[{label}] chat answer, first chunk        {_ms(first_chunk)}")
    print(f"[{label}] chat answer, complete           {_ms(total)}")

    samples = []
    for i in range(20):
        when = datetime.now() + timedelta(minutes=5)
        post = await publish.schedule_post(scope, f"bench post {i}", [conn_id], when, "UTC")
        dest_id = await db.run(_make_due, post.id)
        t0 = time.perf_counter()
        status = await publish.publish_destination(dest_id, client=http)
        samples.append(time.perf_counter() - t0)
        assert status == "published", status
    print(f"[{label}] publish one destination         {_ms(samples)}")
    await http.aclose()


def _make_due(post_id: int) -> int:
    """Move a post scheduled five minutes ahead to the past, so it can be sent now."""
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import PostDestination, ScheduledPost

    with db.session() as s:
        dest = s.exec(select(PostDestination).where(PostDestination.post_id == post_id)).one()
        row = s.get(ScheduledPost, post_id)
        row.scheduled_at = row.scheduled_at - timedelta(minutes=10)
        return dest.id


def main() -> int:
    from benchmarks.database import targets as databases, use_database
    from dreamsuite.platforms.sandbox.serve import serve_sandbox
    from dreamsuite.settings import get_settings

    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6391/0")  # `make bench` starts it
    targets = databases()
    with serve_sandbox() as url:
        os.environ["SANDBOX_URL"] = url
        get_settings.cache_clear()
        for label, db_url in targets:
            use_database(db_url)
            asyncio.run(run_suite(label))
            from benchmarks import chat as chat_bench, collect_write, dashboard, event_loop, inbox

            dashboard.run(label)
            chat_bench.run(label)
            collect_write.run(label)
            inbox.run(label)
            print(f"[{label}] ", end="")
            asyncio.run(event_loop.run())
    __import__("benchmarks.promotion_brain").promotion_brain.run()  # pure analytics: no database, run once
    from benchmarks import promotion_run

    for label, db_url in targets:  # after the brain's own, whose first run is the one importing statsmodels
        use_database(db_url)
        promotion_run.run(label)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) of the benchmark process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
