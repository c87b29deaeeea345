"""A real arq worker, in-process, against the test Redis, the sandbox and both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from arq.worker import create_worker
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import DailyMetric, PostDestination, SyncRun
from dreamsuite.services import publish, sync
from tests.helpers import connect_sandbox, control, make_workspace, published_on_sandbox
from workers import maintenance
from workers.main import WorkerSettings

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]



async def _run_worker(**overrides) -> None:
    worker = create_worker(WorkerSettings, burst=True, handle_signals=False, poll_delay=0.1,
                           redis_settings=queue.redis_settings(), **overrides)
    try:
        await worker.async_run()
    finally:
        await worker.close()


def _utc_naive(seconds: float = 0) -> datetime:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).replace(tzinfo=None)


def _runs(cid: int) -> list[SyncRun]:
    with dbmod.session() as s:
        return s.exec(select(SyncRun).where(SyncRun.connection_id == cid).order_by(SyncRun.id)).all()


async def test_worker_runs_a_deferred_publish_and_a_collect(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("worker@example.com")
    cid = await connect_sandbox(scope)  # also queues the first collect
    await queue.enqueue_collect(cid, dbmod.utcnow().date())
    when = _utc_naive(seconds=2)
    post = await publish.schedule_post(scope, "From the worker", [cid], when, "UTC")
    await _run_worker()
    with dbmod.session() as s:
        dest = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)).one()
        metrics = s.exec(select(DailyMetric)).all()
    assert dest.status == "published" and dest.published_at >= post.scheduled_at
    assert [p["id"] for p in await published_on_sandbox(sandbox_url, cid)] == [dest.platform_post_id]
    assert metrics and all(r.status == "success" for r in _runs(cid))
    # The daily id is still taken (kept result): the cron cannot collect twice that day.
    assert await sync.enqueue_daily(dbmod.utcnow().date()) == 0


async def test_worker_retries_a_rate_limited_collect_after_the_platforms_delay(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("retry@example.com")
    cid = await connect_sandbox(scope)
    await control(sandbox_url, "fail", status=429, times=1, path="/api/v1/", retry_after=1)
    started = datetime.now()
    await _run_worker()
    assert [r.status for r in _runs(cid)] == ["failed", "success"]
    assert (datetime.now() - started).total_seconds() >= 1


async def test_maintenance_crons_fan_out_collects_and_reconcile(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("cron@example.com")
    cid = await connect_sandbox(scope)
    post = await publish.schedule_post(scope, "Lost job", [cid], _utc_naive(), "UTC")
    p = await queue.pool()
    await p.flushdb()
    assert await maintenance.daily_collect({}) == 1
    assert await maintenance.reconcile_publishing({}) == 1
    await _run_worker()
    with dbmod.session() as s:
        dest = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)).one()
    assert dest.status == "published" and len(await published_on_sandbox(sandbox_url, cid)) == 1
    assert [r.status for r in _runs(cid)] == ["success"]
