"""A worker process killed (SIGKILL) in the middle of collecting, a second worker finishing: every
account is collected, and nothing is written twice. Real arq worker processes, the real sandbox
platform answering slowly (collects are in flight when the first worker dies), both databases."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
import redis as redis_sync
from arq.constants import in_progress_key_prefix
from sqlalchemy import func
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import ContentPost, DailyMetric, SyncRun
from dreamsuite.services import sync
from tests.helpers import connect_sandbox, control, make_workspace
from tests.test_publish_kill import _until, _worker

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
ACCOUNTS = 6


def _runs(conns: list[int]) -> dict[int, list[str]]:
    with dbmod.session() as s:
        rows = s.exec(select(SyncRun.connection_id, SyncRun.status).where(SyncRun.connection_id.in_(conns))
                      .order_by(SyncRun.id)).all()
    out: dict[int, list[str]] = {c: [] for c in conns}
    for cid, status in rows:
        out[cid].append(str(status))
    return out


def _rows_and_counts(cid: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(daily metrics, posts) stored for the connection, and as its successful runs counted them."""
    with dbmod.session() as s:
        metrics = s.exec(select(func.count()).select_from(DailyMetric).where(DailyMetric.connection_id == cid)).one()
        posts = s.exec(select(func.count()).select_from(ContentPost).where(ContentPost.connection_id == cid)).one()
        counted = [r.counts for r in s.exec(select(SyncRun).where(SyncRun.connection_id == cid,
                                                                  SyncRun.status == "success"))]
    return (metrics, posts), (sum(c.get("daily_metrics", 0) for c in counted), sum(c.get("posts", 0) for c in counted))


async def test_a_worker_killed_mid_collect_loses_no_account_and_writes_nothing_twice(db, redis_url, sandbox_url):
    conns = []
    for i in range(ACCOUNTS):
        _, _, scope = make_workspace(f"collect-kill{i}@example.com")
        conns.append(await connect_sandbox(scope, sandbox_user=f"collectkill{i}"))
    # Connecting queued each account's first collect (its daily job id): no worker runs yet.
    today = dbmod.utcnow().date()
    for cid in conns:
        assert not await queue.enqueue_collect(cid, today), "the first collect is already queued"
    await control(sandbox_url, "chaos", latency=0.3)  # every call slow: collects stay in flight a while

    first = _worker()
    try:
        await _until(lambda: any("success" in r for r in _runs(conns).values())
                     and any(r[-1:] == ["running"] for r in _runs(conns).values()), 90)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    running = [c for c, r in _runs(conns).items() if r[-1:] == ["running"]]
    assert running, "the worker was killed with collects in flight"
    # arq's own mark of the jobs it handed the dead worker: one may not have reached its run row
    # yet (the collect's first steps are platform calls), and arq holds it like the others.
    r = redis_sync.Redis.from_url(redis_url)
    in_flight = [c for c in conns if r.exists(in_progress_key_prefix + queue.collect_job_id(c, today))]
    assert set(running) <= set(in_flight)
    assert any(not r for r in _runs(conns).values()), "some accounts were left for the second worker"

    second = _worker()
    try:
        # Jobs the first worker had not started are the second's at once.
        await _until(lambda: all("success" in r for c, r in _runs(conns).items() if c not in in_flight), 120)
        # The dead worker's jobs stay queued, marked in progress until that mark and the account's
        # collect lock expire (minutes; arq re-runs an interrupted job). Let those minutes pass:
        for cid in in_flight:
            assert r.delete(in_progress_key_prefix + queue.collect_job_id(cid, today)) == 1
            assert r.delete(f"lock:collect:{cid}") == 1 or cid not in running  # a running collect holds it
        await _until(lambda: all("success" in r for r in _runs(conns).values()), 120)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    # Half an hour on, the runs the dead worker left "running" are called abandoned.
    assert await dbmod.run(sync.abandon_stale_runs, dbmod.utcnow() + sync.ABANDON_AFTER + timedelta(minutes=1)) \
        == len(running)

    final = _runs(conns)
    for cid in conns:
        assert final[cid].count("success") == 1, final
        assert final[cid].count("abandoned") == (cid in running), final
        stored, counted = _rows_and_counts(cid)
        # Each row written once: what is stored is exactly what the one successful run wrote (an
        # interrupted run committed nothing, and the re-run did not write over anything).
        assert stored == counted and stored[0] > 0 and stored[1] > 0, (cid, stored, counted)
