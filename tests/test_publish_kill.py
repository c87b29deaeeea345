"""A worker process killed (SIGKILL) in the middle of a publish burst, a second worker and the
reconciler finishing the rest: nothing is lost, nothing is sent twice. Real arq worker
processes, the real sandbox platform (answering slowly, so sends are in flight), both databases."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import PostDestination, ScheduledPost
from dreamsuite.services import publish, publish_run
from tests.helpers import connect_sandbox, control, make_workspace, published_on_sandbox

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]

ROOT = Path(__file__).resolve().parent.parent
POSTS, ACCOUNTS = 24, 4


def _worker() -> subprocess.Popen:
    # Small batches (one per job, not drained) and few jobs at once, so that when the first worker
    # dies some posts are out, some in flight (claimed in batches of three) and some not yet claimed.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKER_MAX_JOBS": "2", "PUBLISH_BATCH": "3",
           "PUBLISH_DRAIN_ROUNDS": "1"}
    return subprocess.Popen([str(ROOT / ".venv" / "bin" / "arq"), "workers.main.WorkerSettings"], cwd=ROOT,
                            env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _statuses(post_ids: list[int]) -> dict[int, str]:
    with dbmod.session() as s:
        return {d: st for d, st in s.exec(select(PostDestination.id, PostDestination.status)
                                         .where(PostDestination.post_id.in_(post_ids)))}


async def _until(check, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.1)


async def test_a_worker_killed_mid_burst_loses_nothing_and_sends_nothing_twice(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("killed@example.com")
    conns = [await connect_sandbox(scope, sandbox_user=f"kill{i}") for i in range(ACCOUNTS)]
    due = (datetime.now(UTC) - timedelta(seconds=30)).replace(tzinfo=None)
    post_ids = [(await publish.schedule_post(scope, f"survives a crash #{i}", [conns[i % ACCOUNTS]], due, "UTC")).id
                for i in range(POSTS)]
    await control(sandbox_url, "chaos", latency=0.5, path="/api/v1/posts")  # sends stay in flight a while

    first = _worker()
    try:
        await _until(lambda: "published" in _statuses(post_ids).values()
                     and "publishing" in _statuses(post_ids).values(), 60)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    in_flight = {d for d, st in _statuses(post_ids).items() if st == "publishing"}
    assert in_flight, "the worker was killed with sends in flight"
    assert "pending" in _statuses(post_ids).values(), "some posts were left for the second worker"

    second = _worker()
    try:
        # Every job the first worker had not started is the second's; the claims of the ones it
        # died holding stay taken, so nothing is sent again.
        await _until(lambda: all(st not in ("pending", "publishing") or d in in_flight
                                 for d, st in _statuses(post_ids).items()), 90)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    # Ten minutes on, the reconciler calls what was in flight unconfirmed: maybe sent, never resent.
    await publish.reconcile(now=dbmod.utcnow() + publish_run.STUCK_AFTER + timedelta(minutes=1))

    final = _statuses(post_ids)
    assert {d for d, st in final.items() if st == "unconfirmed"} == in_flight
    assert all(st == "published" for d, st in final.items() if d not in in_flight), final
    await control(sandbox_url, "chaos")  # calm, to read back
    on_platform: dict[str, int] = {}
    for cid in conns:
        for p in await published_on_sandbox(sandbox_url, cid):
            on_platform[p["caption"]] = on_platform.get(p["caption"], 0) + 1
    with dbmod.session() as s:
        texts = {d: t for d, t in s.exec(select(PostDestination.id, ScheduledPost.content)
                                        .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                                        .where(ScheduledPost.id.in_(post_ids)))}
    assert all(on_platform.get(texts[d]) == 1 for d, st in final.items() if st == "published"), on_platform
    assert all(on_platform.get(texts[d], 0) <= 1 for d in in_flight), on_platform
    assert max(on_platform.values()) == 1
