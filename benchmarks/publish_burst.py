"""A burst of posts due at the same second, published by real arq workers against the sandbox
platform with latency and 429s: is every post published exactly once, and how late?

`python -m benchmarks.publish_burst [--posts 1000] [--accounts 50] [--workers 2] [--rate-429 0.05]
[--database-url URL]` — defaults: 1,000 posts over 50 accounts due at one instant, two
worker processes, the platform answering after 20 ms and refusing 5 % of sends with 429
(half of those without Retry-After). Lateness is the time from a post's due second to the
moment the platform accepted it (the destination's published_at). Exactly once is read back
from the platform: each post's text must be there once, on its account.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LATENCY, RATE_429, WITHOUT_RETRY_AFTER = 0.020, 0.05, 0.5


def _pct(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(round(q * (len(sorted_values) - 1))))]


async def _setup(accounts: int) -> tuple[object, list[int]]:
    from dreamsuite import db
    from dreamsuite.models import Role
    from dreamsuite.platforms.sandbox.consent import approve
    from dreamsuite.services import auth, connect
    from dreamsuite.services.scope import Scope

    user_id, ws_id, _ = await db.run(auth.create_account, f"burst-{time.time_ns()}@example.com", "benchmark-pw",
                                      "Burst", "UTC")
    scope = Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner)
    ids = []
    for i in range(accounts):
        params = await approve(await connect.start_connect(scope, "sandbox"), login_hint=f"burst{i}")
        ids.append((await connect.complete_connect("sandbox", params, user_id)).connection_id)
    return scope, ids


def _outcome(post_ids: list[int]) -> list[tuple]:
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import PostDestination, ScheduledPost

    with db.session() as s:
        return s.exec(select(PostDestination.status, PostDestination.published_at, ScheduledPost.scheduled_at,
                             PostDestination.attempts, PostDestination.error)
                      .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                      .where(ScheduledPost.id.in_(post_ids))).all()


async def _on_platform(sandbox: str, connection_ids: list[int]) -> dict[str, int]:
    """How many times each text is on the platform, over every account (read back as the tests do)."""
    from tests.helpers import published_on_sandbox

    seen: dict[str, int] = {}
    for cid in connection_ids:
        for p in await published_on_sandbox(sandbox, cid):
            seen[p["caption"]] = seen.get(p["caption"], 0) + 1
    return seen


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pids_named(name: str) -> list[int]:
    """Processes of this machine whose command is `name` (PostgreSQL's backends, redis-server)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _cpu_now(workers: list[subprocess.Popen]) -> dict[str, float]:
    """CPU seconds so far: our workers, this process (the platform double, polling), PostgreSQL and
    Redis on this machine (a backend that ends between two readings is left out)."""
    def total(pids):
        got = 0.0
        for pid in pids:
            try:
                got += _cpu_seconds(pid)
            except (OSError, IndexError):
                continue
        return got

    return {"workers": total([p.pid for p in workers]), "platform double and this process": time.process_time(),
            "PostgreSQL": total(_pids_named("postgres")), "Redis": total(_pids_named("redis-server"))}


def _workers(n: int, env: dict) -> list[subprocess.Popen]:
    return [subprocess.Popen([str(ROOT / ".venv/bin/arq"), "workers.main.WorkerSettings"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            for _ in range(n)]


async def platform_chaos(sandbox: str, rate_429: float | None) -> None:
    """The platform double's latency and 429s as the issue sets them (only sends are slowed and
    refused; the seed makes runs alike), or calm again with None."""
    import httpx

    chaos = {} if rate_429 is None else {
        "latency": LATENCY, "rate_429": rate_429, "without_retry_after": WITHOUT_RETRY_AFTER, "retry_after": 1,
        "path": "/api/v1/posts", "seed": 7}
    async with httpx.AsyncClient() as client:
        (await client.post(f"{sandbox}/_control/chaos", json=chaos)).raise_for_status()


async def burst(posts: int, accounts: int, workers: int, lead: float, rate_429: float = RATE_429) -> dict:
    from dreamsuite import db
    from dreamsuite.services import publish

    sandbox = os.environ["SANDBOX_URL"]
    scope, conns = await _setup(accounts)
    await platform_chaos(sandbox, rate_429)
    due = (datetime.now(UTC) + timedelta(seconds=lead)).replace(microsecond=0)
    started = time.perf_counter()
    run = time.time_ns()
    post_ids = []
    for i in range(posts):
        post = await publish.schedule_post(scope, f"burst {run} #{i}", [conns[i % accounts]],
                                           due.replace(tzinfo=None), "UTC")
        post_ids.append(post.id)
    scheduling = time.perf_counter() - started
    if datetime.now(UTC) >= due:
        raise SystemExit(f"scheduling took {scheduling:.0f} s, past the due time: raise --lead")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = _workers(workers, env)
    at_due = None
    try:
        deadline = due + timedelta(seconds=240)
        while datetime.now(UTC) < deadline:
            if at_due is None:  # the burst's own CPU: from the due second on (no start-up, no scheduling)
                await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
                at_due = _cpu_now(procs)
            rows = await db.run(_outcome, post_ids)
            if rows and all(r[0] not in ("pending", "publishing") for r in rows):
                break
            await asyncio.sleep(0.5)
    finally:
        end = _cpu_now(procs)
        cpu = {k: end[k] - (at_due or end)[k] for k in end}
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
    rows = await db.run(_outcome, post_ids)
    await platform_chaos(sandbox, None)  # calm again, to read back what was published
    seen = await _on_platform(sandbox, conns)
    texts = [f"burst {run} #{i}" for i in range(posts)]
    late = sorted(((r[1] if r[1].tzinfo else r[1].replace(tzinfo=UTC))
                   - (r[2] if r[2].tzinfo else r[2].replace(tzinfo=UTC))).total_seconds()
                  for r in rows if r[0] == "published")
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r[0]] = statuses.get(r[0], 0) + 1
    last = max((r[1] for r in rows if r[1] is not None), default=None)
    span = ((last if last.tzinfo else last.replace(tzinfo=UTC)) - due).total_seconds() if last else 0
    return {"posts": posts, "scheduling_s": scheduling, "cpu": cpu, "statuses": statuses,
            "exactly_once": sum(1 for t in texts if seen.get(t) == 1), "twice": sum(1 for t in texts if
                                                                                  seen.get(t, 0) > 1),
            "late": late, "span_s": span, "retries": sum(max(0, r[3] - 1) for r in rows)}


def report(label: str, r: dict) -> None:
    late = r["late"]
    print(f"[{label}] {r['posts']:,} posts due at one second, scheduled in {r['scheduling_s']:.1f} s; "
          f"statuses {r['statuses']}; retried sends {r['retries']}")
    print(f"[{label}] exactly once on the platform: {r['exactly_once']:,}/{r['posts']:,} "
          f"({r['exactly_once'] / r['posts']:.1%}); twice or more: {r['twice']}")
    if late:
        within = sum(1 for x in late if x <= 60) / r["posts"]
        print(f"[{label}] lateness p50 {statistics.median(late):.2f} s, p99 {_pct(late, 0.99):.2f} s, "
              f"max {late[-1]:.2f} s; {within:.1%} within 60 s; "
              f"{len(late) / r['span_s'] if r['span_s'] else 0:.0f} posts/s over the burst")
    print(f"[{label}] CPU from the due second to the last post, per post: "
          + ", ".join(f"{k} {v / r['posts'] * 1000:.1f} ms" for k, v in r["cpu"].items())
          + f"; {sum(r['cpu'].values()):.1f} CPU-s in all over {r['span_s']:.1f} s on {os.cpu_count()} cores")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--accounts", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--lead", type=float, default=90.0, help="seconds from scheduling to the due second")
    ap.add_argument("--rate-429", type=float, default=RATE_429,
                    help="share of sends refused with 429 (0: how late the burst is without the platform's cooldowns)")
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", "sqlite:///" + str(ROOT / "bench.db")))
    args = ap.parse_args()

    from benchmarks.database import use_database
    from dreamsuite.platforms.sandbox.serve import serve_app
    from dreamsuite.platforms.sandbox.server import create_app
    from dreamsuite.settings import get_settings

    use_database(args.database_url)
    with serve_app(create_app(with_control=True)) as sandbox:
        os.environ["SANDBOX_URL"] = sandbox
        get_settings.cache_clear()
        label = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
        report(label, asyncio.run(burst(args.posts, args.accounts, args.workers, args.lead, args.rate_429)))


if __name__ == "__main__":
    sys.exit(main())
