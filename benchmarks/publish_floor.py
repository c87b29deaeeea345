"""How late can a burst be at best on this machine? The publish burst's setup (1,000 posts due at
one second over 50 accounts, the platform double answering after 20 ms and refusing 5 % with 429,
half without Retry-After) sent by the bare minimum: client processes (two, as the burst's
workers) holding every token and request ready before the due second, their connections open,
sending all at once through the adapter with the publish job's own in-job retry
(services/send_retry) — no database, no Redis, no queue, no claim, no rate gate, no outcome
written. Whatever the pipeline adds comes on top.

`python -m benchmarks.publish_floor [--posts 1000] [--accounts 50] [--rate-429 0.05] [--runs 3]
[--clients 2] [--database-url URL]` — the database only makes the sandbox accounts and their tokens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from benchmarks.publish_burst import RATE_429, ROOT, _pct, _setup, platform_chaos


async def _client(job: dict) -> dict:
    """The sending process: everything read before the due second, then one send per post."""
    from dreamsuite.platforms import get_adapter
    from dreamsuite.platforms.base import HTTP_TIMEOUT, AccountRef, PublishRequest
    from dreamsuite.platforms.pool import pooled_client
    from dreamsuite.services.send_retry import waiting_out_refusals

    adapter = get_adapter("sandbox")  # no gate: nothing held back on our side
    due = datetime.fromisoformat(job["due"])
    sends = [(s["token"], AccountRef(*s["account"]), PublishRequest(text=s["text"], idempotency_key=s["key"]))
             for s in job["sends"]]
    async with pooled_client(HTTP_TIMEOUT) as client:
        # Connections open before the due second (a GET each, in parallel as the burst will be).
        await asyncio.gather(*(client.get(f"{job['sandbox']}/_control/chaos") for _ in range(100)),
                             return_exceptions=True)
        await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
        cpu_at_due = time.process_time()

        async def one(token, account, request) -> float:
            await waiting_out_refusals(lambda: adapter.publish(client, token, request, account=account),
                                       gate_wait=5, platform_wait=5)
            return (datetime.now(UTC) - due).total_seconds()

        late = await asyncio.gather(*(one(*s) for s in sends), return_exceptions=True)
    return {"late": [x for x in late if isinstance(x, float)],
            "errors": [repr(x) for x in late if not isinstance(x, float)][:5],
            "cpu": time.process_time() - cpu_at_due}


async def _prepare(posts: int, accounts: int, due: datetime, run: int) -> dict:
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import PlatformConnection
    from dreamsuite.services import tokens

    def read(conns: list[int]) -> dict[int, PlatformConnection]:
        with db.session() as s:
            return {c.id: c for c in s.exec(select(PlatformConnection).where(PlatformConnection.id.in_(conns)))}

    _, conns = await _setup(accounts)
    rows = await db.run(read, conns)
    token = {cid: await tokens.access_token(cid) for cid in conns}
    sends = []
    for i in range(posts):
        c = rows[conns[i % accounts]]
        sends.append({"token": token[c.id], "account": [c.platform_user_id, c.username, dict(c.details or {})],
                      "text": f"floor {run} #{i}", "key": f"floor-{run}-{i}"})
    return {"sandbox": os.environ["SANDBOX_URL"], "due": due.isoformat(), "sends": sends}


async def floor(posts: int, accounts: int, rate_429: float, lead: float, clients: int) -> dict:
    sandbox = os.environ["SANDBOX_URL"]
    due = (datetime.now(UTC) + timedelta(seconds=lead)).replace(microsecond=0)
    job = await _prepare(posts, accounts, due, time.time_ns())
    await platform_chaos(sandbox, rate_429)
    if datetime.now(UTC) >= due - timedelta(seconds=2):
        raise SystemExit("setting up took past the due time: raise --lead")
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.publish_floor", "--client", cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for _ in range(clients)]
    # Each client process takes every n-th post, as the workers share a burst.
    sending = [asyncio.ensure_future(p.communicate(json.dumps({**job, "sends": job["sends"][i::clients]}).encode()))
               for i, p in enumerate(procs)]
    # The platform double's CPU (this process) from the due second on, as the burst counts it.
    await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
    platform_at_due = time.process_time()
    outs = [json.loads((await s)[0]) for s in sending]
    platform_cpu = time.process_time() - platform_at_due
    await platform_chaos(sandbox, None)
    got = {"late": [x for o in outs for x in o["late"]], "errors": [e for o in outs for e in o["errors"]][:5],
           "cpu": sum(o["cpu"] for o in outs)}
    got["platform_cpu"] = platform_cpu
    return got


def report(posts: int, r: dict) -> None:
    late = sorted(r["late"])
    print(f"sent {len(late):,}/{posts:,} (errors: {r['errors'] or 'none'}); lateness p50 "
          f"{statistics.median(late):.2f} s, p99 {_pct(late, 0.99):.2f} s, max {late[-1]:.2f} s; "
          f"CPU per post: client {r['cpu'] / posts * 1000:.1f} ms, platform double "
          f"{r['platform_cpu'] / posts * 1000:.1f} ms", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--accounts", type=int, default=50)
    ap.add_argument("--rate-429", type=float, default=RATE_429)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--clients", type=int, default=2, help="sending processes (the burst runs two workers)")
    ap.add_argument("--lead", type=float, default=8.0)
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", "sqlite:///" + str(ROOT / "bench.db")))
    args = ap.parse_args()
    if args.client:
        print(json.dumps(asyncio.run(_client(json.loads(sys.stdin.read())))))
        return

    from benchmarks.database import use_database
    from dreamsuite.platforms.sandbox.serve import serve_app
    from dreamsuite.platforms.sandbox.server import create_app
    from dreamsuite.settings import get_settings

    use_database(args.database_url)
    with serve_app(create_app(with_control=True)) as sandbox:
        os.environ["SANDBOX_URL"] = sandbox
        get_settings.cache_clear()
        for _ in range(args.runs):
            report(args.posts, asyncio.run(floor(args.posts, args.accounts, args.rate_429, args.lead, args.clients)))


if __name__ == "__main__":
    sys.exit(main())
