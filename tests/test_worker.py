"""A real arq worker, in-process, against the test Redis, the sandbox and both databases."""

from __future__ import annotations

import dataclasses
import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from arq.worker import create_worker
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import DailyMetric, PostDestination, SyncRun
from dreamsuite.services import publish, sync
from tests.helpers import connect_sandbox, control, make_workspace, published_on_sandbox, run_worker_burst
from workers import maintenance
from workers.main import WorkerSettings

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools", "analysis_soon")]


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
    await run_worker_burst()
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
    await run_worker_burst()
    assert [r.status for r in _runs(cid)] == ["failed", "success"]
    assert (datetime.now() - started).total_seconds() >= 1


async def test_a_collect_that_runs_out_of_retries_shows_sync_failed_until_one_succeeds(db, redis_url, sandbox_url):
    from dreamsuite.models import Notification, PlatformConnection
    from workers import collect as collect_job

    _, ws, scope = make_workspace("gaveup@example.com")
    cid = await connect_sandbox(scope)
    await control(sandbox_url, "fail", status=503, times=1, path="/api/v1/")
    out = await collect_job.collect({"job_try": collect_job.MAX_TRIES}, cid)  # the last try fails too
    with dbmod.session() as s:
        conn = s.get(PlatformConnection, cid)
        said = [n.message for n in s.exec(select(Notification).where(Notification.workspace_id == ws.id))]
    assert out["status"] == "failed" and conn.status == "error" and conn.last_error
    assert any("keeps failing" in m for m in said)
    assert (await collect_job.collect({"job_try": 1}, cid))["status"] == "success"
    with dbmod.session() as s:
        conn = s.get(PlatformConnection, cid)
    assert (conn.status, conn.last_error) == ("active", "")


async def test_maintenance_crons_fan_out_collects_and_reconcile(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("cron@example.com")
    cid = await connect_sandbox(scope)
    # Due half a minute ago: the reconciler leaves only what just fell due to its own job.
    post = await publish.schedule_post(scope, "Lost job", [cid], _utc_naive(-30), "UTC")
    p = await queue.pool()
    await p.flushdb()
    assert await maintenance.daily_collect({}) == 1
    assert await maintenance.reconcile_publishing({}) == 1
    await run_worker_burst()
    with dbmod.session() as s:
        dest = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)).one()
    assert dest.status == "published" and len(await published_on_sandbox(sandbox_url, cid)) == 1
    assert [r.status for r in _runs(cid)] == ["success"]


async def test_a_test_burst_runs_only_the_jobs_the_test_queued(db, redis_url, sandbox_url, monkeypatch):
    """The reconciler's cron fires at :30 of every minute: a burst crossing that second used to
    enqueue it and publish a post the test meant to leave alone (a flaky CI failure). Here the
    cron is due at once, as it would be at that second; the burst must not run it."""
    from arq import cron

    _, _, scope = make_workspace("nocron@example.com")
    cid = await connect_sandbox(scope)
    post = await publish.schedule_post(scope, "Left for the reconciler", [cid], _utc_naive(-30), "UTC")
    await (await queue.pool()).flushdb()  # the post is due and no job is queued for it
    monkeypatch.setattr(WorkerSettings, "cron_jobs",
                        [cron(maintenance.reconcile_publishing, run_at_startup=True, unique=True)])
    await run_worker_burst()
    with dbmod.session() as s:
        dest = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)).one()
    assert dest.status == "pending" and await published_on_sandbox(sandbox_url, cid) == []


async def test_a_database_error_at_the_claim_only_delays_the_post_until_the_next_reconcile(
        db, redis_url, sandbox_url, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from dreamsuite.services import publish_run

    _, _, scope = make_workspace("blip@example.com")
    cid = await connect_sandbox(scope)
    p = await queue.pool()
    await p.flushdb()  # only the publish job below (connecting queued a first collect)
    post = await publish.schedule_post(scope, "Despite the blip", [cid], _utc_naive(-30), "UTC")
    real_claim, claims = publish_run._claim, []

    def claim_once_unreachable(*args):
        claims.append(args)
        if len(claims) == 1:
            raise OperationalError("UPDATE post_destination ...", {}, ConnectionError("server closed the connection"))
        return real_claim(*args)

    monkeypatch.setattr(publish_run, "_claim", claim_once_unreachable)
    await run_worker_burst()  # the job fails at the claim
    with dbmod.session() as s:
        dest = s.exec(select(PostDestination).where(PostDestination.post_id == post.id)).one()
    assert len(claims) == 1 and (dest.status, dest.attempts) == ("pending", 0)
    assert await published_on_sandbox(sandbox_url, cid) == []
    # The failed job left nothing behind that would refuse the same job id for a day.
    assert await publish.reconcile() == 1
    await run_worker_burst()
    with dbmod.session() as s:
        dest = s.get(PostDestination, dest.id)
    assert len(claims) == 2 and (dest.status, dest.attempts) == ("published", 1)
    assert [x["id"] for x in await published_on_sandbox(sandbox_url, cid)] == [dest.platform_post_id]
    assert await publish.reconcile() == 0


async def test_tidy_marks_sync_runs_stuck_running_as_abandoned(db):
    from dreamsuite.models import PlatformConnection, Workspace

    now = dbmod.utcnow()
    with dbmod.session() as s:
        ws = Workspace(name="Tidy")
        s.add(ws)
        s.flush()
        conn = PlatformConnection(workspace_id=ws.id, platform="sandbox", platform_user_id="sbx-tidy")
        s.add(conn)
        s.flush()
        runs = [SyncRun(workspace_id=ws.id, connection_id=conn.id, started_at=now - age, status=status)
                for age, status in [(timedelta(minutes=31), "running"), (timedelta(minutes=5), "running"),
                                    (timedelta(hours=2), "success")]]
        s.add_all(runs)
        s.flush()
        ids = [r.id for r in runs]

    def statuses() -> list[str]:
        with dbmod.session() as s:
            return [s.get(SyncRun, i).status for i in ids]

    assert await dbmod.run(sync.abandon_stale_runs) == 1
    assert statuses() == ["abandoned", "running", "success"]
    with dbmod.session() as s:
        gone = s.get(SyncRun, ids[0])
    assert gone.finished_at is not None and "interrupted" in gone.error
    assert await dbmod.run(sync.abandon_stale_runs) == 0  # the recent run may still be working
    # The ten-minute housekeeping cron does it too.
    with dbmod.session() as s:
        s.get(SyncRun, ids[1]).started_at = now - timedelta(minutes=45)
    assert await maintenance.tidy({}) == {"expired_removed": 0, "runs_abandoned": 1, "insights_expired": 0}
    assert statuses() == ["abandoned", "abandoned", "success"]


def test_tidy_is_a_cron_every_ten_minutes():
    [job] = [c for c in WorkerSettings.cron_jobs if c.coroutine is maintenance.tidy]
    job = dataclasses.replace(job)  # a copy: the worker's own schedule stays untouched
    start = datetime(2026, 11, 1, 8, 1, tzinfo=UTC)
    runs = []
    for _ in range(3):
        job.calculate_next(runs[-1] if runs else start)
        runs.append(job.next_run)
    assert [f"{r:%H:%M}" for r in runs] == ["08:10", "08:20", "08:30"] and job.unique


async def test_crons_run_in_utc_whatever_the_machines_timezone():
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Auckland"
    time.tzset()
    try:
        assert datetime.now().astimezone().utcoffset() != timedelta(0)  # the zone really changed
        worker = create_worker(WorkerSettings, burst=True, handle_signals=False,
                               redis_settings=queue.redis_settings(),
                               cron_jobs=[dataclasses.replace(c) for c in WorkerSettings.cron_jobs])
        now = datetime.now(tz=worker.timezone)  # what arq's heartbeat passes to run_cron
        await worker.run_cron(now, 0.5)  # schedules each cron's next run; nothing is due
        [daily] = [c for c in worker.cron_jobs if c.coroutine is maintenance.daily_collect]
        at = daily.next_run.astimezone(UTC)
        assert (at.hour, at.minute) == (3, 0)
        assert timedelta(0) < at - datetime.now(UTC) <= timedelta(days=1)
    finally:
        if previous is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = previous
        time.tzset()
