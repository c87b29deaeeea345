"""Collecting from the real sandbox server into SQLite and PostgreSQL, with Redis for jobs."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime, timedelta, timezone

import pytest
from arq import Retry
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import (
    Comment, ContentPost, DailyMetric, Notification, PlatformConnection, Role, SyncRun,
)
from dreamsuite.services import ratelimits, sync, sync_write
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import EventProbe, add_member, connect_sandbox, control, cooldowns_pass, make_workspace
from workers import collect as collect_job

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]



@pytest.fixture
async def conn_id(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("luna@example.com")
    return await connect_sandbox(scope)


def _rows(model):
    with dbmod.session() as s:
        return s.exec(select(model)).all()


def _stamps():
    """Every collected row's updated_at, by table and id."""
    return {m.__name__: {r.id: r.updated_at for r in _rows(m)} for m in (DailyMetric, ContentPost, Comment)}


def _runs(cid):
    with dbmod.session() as s:
        return s.exec(select(SyncRun).where(SyncRun.connection_id == cid).order_by(SyncRun.id)).all()


async def test_collect_writes_metrics_posts_comments_and_a_sync_run(conn_id):
    result = await sync.collect_connection(conn_id)
    assert result["status"] == "success" and result["since"] is None
    days, posts, comments = _rows(DailyMetric), _rows(ContentPost), _rows(Comment)
    assert len(days) > 30 and len(posts) > 5 and len(comments) > 5
    assert result["counts"] == {"daily_metrics": len(days), "posts": len(posts), "comments": len(comments)}
    # follower_change_24h is the difference with the previous day's row.
    by_date = {d.date: d for d in days}
    checked = 0
    for d in days:
        prev = by_date.get(d.date - timedelta(days=1))
        if prev:
            assert d.follower_change_24h == d.follower_count - prev.follower_count
            checked += 1
    assert checked == len(days) - 1
    # Every comment hangs on a post of the same workspace.
    post_ids = {p.id: p.workspace_id for p in posts}
    assert all(post_ids[c.post_id] == c.workspace_id for c in comments)
    [run] = _runs(conn_id)
    assert (run.status, run.error, run.counts) == ("success", "", result["counts"])
    with dbmod.session() as s:
        conn = s.get(PlatformConnection, conn_id)
    assert conn.last_synced_at is not None and conn.last_error == ""


async def test_collecting_twice_changes_nothing(conn_id):
    first = await sync.collect_connection(conn_id)
    stamps = _stamps()
    again = await sync.collect_connection(conn_id)
    assert again["since"] is not None  # incremental the second time
    assert again["counts"] == {"daily_metrics": 0, "posts": 0, "comments": 0}
    # Even a full re-collect (no `since`) finds every row already up to date.
    with dbmod.session() as s:
        s.get(PlatformConnection, conn_id).last_synced_at = None
    full = await sync.collect_connection(conn_id)
    assert full["since"] is None and full["counts"] == again["counts"]
    assert _stamps() == stamps
    assert sum(first["counts"].values()) == sum(len(v) for v in stamps.values())


async def test_a_job_rerun_after_its_worker_died_does_not_collect_again(conn_id, redis_url):
    """arq re-runs a job whose worker died before it reported done, with job_try 2. When the dead
    try had already saved, the re-run finds that success (since the job was queued) and stops;
    a retry after a failed try, a first try, and a success older than the job all collect."""
    queued = datetime.now(timezone.utc) - timedelta(seconds=5)
    first = await collect_job.collect({"job_try": 1, "enqueue_time": queued}, conn_id)
    assert first["status"] == "success"
    p = await queue.pool()
    analyses = f"arq:job:analyse:{first['workspace_id']}:*"
    assert await p.keys(analyses)
    await p.delete(*await p.keys(analyses))  # the analysis it asked for

    rerun = await collect_job.collect({"job_try": 2, "enqueue_time": queued}, conn_id)
    assert rerun == {"status": "skipped", "reason": "already collected since this job was queued",
                     "sync_run_id": first["sync_run_id"], "workspace_id": first["workspace_id"]}
    assert [r.status for r in _runs(conn_id)] == ["success"]
    # The try that died may have saved without asking for the analysis: the re-run asks.
    assert await p.keys(analyses)

    # A first try is never skipped (a success by another job is not this job's).
    assert (await collect_job.collect({"job_try": 1, "enqueue_time": queued}, conn_id))["status"] == "success"
    # A job queued after the last success collects even on a re-run.
    later = datetime.now(timezone.utc) + timedelta(seconds=1)
    assert (await collect_job.collect({"job_try": 2, "enqueue_time": later}, conn_id))["status"] == "success"
    assert [r.status for r in _runs(conn_id)] == ["success"] * 3

    # A re-run after a try that failed collects.
    with dbmod.session() as s:
        for r in s.exec(select(SyncRun).where(SyncRun.connection_id == conn_id)):
            r.status = "failed"
    assert (await collect_job.collect({"job_try": 2, "enqueue_time": queued}, conn_id))["status"] == "success"


async def test_a_changed_value_is_updated_and_counted(conn_id):
    await sync.collect_connection(conn_id)
    with dbmod.session() as s:
        post = s.exec(select(ContentPost).order_by(ContentPost.posted_at.desc())).first()
        pid, likes, old_stamp = post.id, post.likes, post.updated_at
        post.likes += 1000
    with dbmod.session() as s:
        s.get(PlatformConnection, conn_id).last_synced_at = None
    result = await sync.collect_connection(conn_id)
    assert result["counts"]["posts"] == 1 and result["counts"]["daily_metrics"] == 0
    with dbmod.session() as s:
        post = s.get(ContentPost, pid)
    assert post.likes == likes and post.updated_at > old_stamp  # the platform's value restored


async def test_rate_limit_raises_with_the_platforms_delay_and_writes_nothing(conn_id, sandbox_url):
    await control(sandbox_url, "fail", status=429, times=1, path="/api/v1/", retry_after=7)
    with pytest.raises(sync.RateLimited) as info:
        await sync.collect_connection(conn_id)
    assert info.value.retry_after == 7
    [run] = _runs(conn_id)
    assert run.status == "failed" and "rate limit" in run.error.lower()
    assert _rows(DailyMetric) == [] and _rows(ContentPost) == []
    # The job turns it into an arq retry after what is left of that delay (the gate holds it now),
    # to the millisecond and a moment past it.
    await control(sandbox_url, "fail", status=429, times=1, path="/api/v1/", retry_after=7)
    with pytest.raises(Retry) as retry:
        await collect_job.collect({"job_try": 1}, conn_id)
    assert 6000 <= retry.value.defer_score <= 7000 + ratelimits.PAST_THE_WAIT * 1000


async def test_a_retry_after_given_as_an_http_date_is_honoured(conn_id, sandbox_url):
    # RFC 9110 allows an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT") instead of seconds.
    await control(sandbox_url, "fail", status=429, times=1, path="/api/v1/", retry_after_date=120)
    with pytest.raises(sync.RateLimited) as info:
        await sync.collect_connection(conn_id)
    assert 115 <= info.value.retry_after <= 120  # the date has whole seconds; not the 60 s default
    # The wait is remembered across workers: the next collect waits without calling the platform.
    with pytest.raises(sync.RateLimited, match="Waiting for sandbox's rate limit") as info:
        await sync.collect_connection(conn_id)
    assert 110 <= info.value.retry_after <= 120
    await cooldowns_pass()
    await control(sandbox_url, "fail", status=429, times=1, path="/api/v1/", retry_after_date=120)
    with pytest.raises(Retry) as retry:
        await collect_job.collect({"job_try": 1}, conn_id)
    assert 115_000 <= retry.value.defer_score <= 120_000
    # A date already past means "now" (at least a second), never a negative delay.
    await cooldowns_pass()
    await control(sandbox_url, "fail", status=429, times=1, path="/api/v1/", retry_after_date=-30)
    with pytest.raises(sync.RateLimited) as info:
        await sync.collect_connection(conn_id)
    assert info.value.retry_after == 1.0


async def test_two_collects_of_one_account_run_one_after_the_other(conn_id, monkeypatch):
    from dreamsuite.platforms.sandbox.adapter import SandboxAdapter

    real = SandboxAdapter.collect
    spans: list[list[float]] = []
    active = {"now": 0, "max": 0}
    overlap = asyncio.Event()

    async def recorded(self, client, token, since=None, **kwargs):
        n = len(spans)
        spans.append([time.monotonic(), 0.0])
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
        if active["now"] > 1:
            overlap.set()
        try:
            if n == 0:  # the first gives a concurrent collect every chance to start alongside it
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(overlap.wait(), 0.5)
            return await real(self, client, token, since=since, **kwargs)
        finally:
            active["now"] -= 1
            spans[n][1] = time.monotonic()

    monkeypatch.setattr(SandboxAdapter, "collect", recorded)
    first, second = await asyncio.gather(sync.collect_connection(conn_id), sync.collect_connection(conn_id))
    assert active["max"] == 1 and len(spans) == 2
    assert spans[1][0] >= spans[0][1]  # the second entered after the first had left
    assert first["status"] == second["status"] == "success"
    # Whichever waited for the lock started from what the other had saved (an incremental collect).
    assert sorted(r["since"] is None for r in (first, second)) == [False, True]
    assert [r.status for r in _runs(conn_id)] == ["success", "success"]


async def test_server_error_mid_collect_leaves_nothing_half_written(conn_id, sandbox_url):
    # Metrics and posts answer; comments fail: nothing of the first two may be saved.
    await control(sandbox_url, "fail", status=500, times=1, path="/api/v1/comments")
    with pytest.raises(sync.TransientError):
        await sync.collect_connection(conn_id)
    assert _rows(DailyMetric) == [] and _rows(ContentPost) == [] and _rows(Comment) == []
    [run] = _runs(conn_id)
    assert run.status == "failed" and "500" in run.error
    with dbmod.session() as s:
        conn = s.get(PlatformConnection, conn_id)
    assert conn.last_synced_at is None and "500" in conn.last_error
    # The job backs off exponentially.
    await control(sandbox_url, "fail", status=503, times=1, path="/api/v1/metrics")
    with pytest.raises(Retry) as retry:
        await collect_job.collect({"job_try": 3}, conn_id)
    assert retry.value.defer_score == collect_job.backoff(3) * 1000 > collect_job.backoff(1) * 1000


async def test_a_failure_while_saving_rolls_everything_back(conn_id, monkeypatch):
    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sync_write, "_write_comments", broken)
    with pytest.raises(RuntimeError):
        await sync.collect_connection(conn_id)
    assert _rows(DailyMetric) == [] and _rows(ContentPost) == []
    [run] = _runs(conn_id)
    assert run.status == "failed" and "RuntimeError" in run.error


async def test_401_then_a_working_refresh_succeeds(conn_id, sandbox_url):
    with dbmod.session() as s:
        before = s.get(PlatformConnection, conn_id).access_token_enc
    await control(sandbox_url, "fail", status=401, times=1, path="/api/v1/")
    result = await sync.collect_connection(conn_id)
    assert result["status"] == "success"
    with dbmod.session() as s:
        conn = s.get(PlatformConnection, conn_id)
    assert conn.status == "active" and conn.access_token_enc != before  # force-refreshed
    assert [r.status for r in _runs(conn_id)] == ["success"]


async def test_401_that_survives_the_refresh_marks_expired_and_notifies(conn_id, sandbox_url):
    await control(sandbox_url, "fail", status=401, times=5, path="/api/v1/")
    result = await sync.collect_connection(conn_id)
    assert result["status"] == "expired"
    with dbmod.session() as s:
        conn = s.get(PlatformConnection, conn_id)
        notes = s.exec(select(Notification)).all()
    assert conn.status == "expired"
    assert [n.kind for n in notes] == ["token_expired"] and "Reconnect" in notes[0].message
    assert [r.status for r in _runs(conn_id)] == ["failed"]
    assert _rows(DailyMetric) == []
    # An expired connection is skipped from then on, without a new sync_run.
    skipped = await sync.collect_connection(conn_id)
    assert skipped["status"] == "skipped" and len(_runs(conn_id)) == 1


async def test_request_sync_enqueues_once_and_respects_roles_and_workspaces(conn_id, redis_url):
    with dbmod.session() as s:
        ws_id = s.get(PlatformConnection, conn_id).workspace_id
    editor = add_member(ws_id, "ed@example.com", Role.editor)
    viewer = add_member(ws_id, "vi@example.com", Role.viewer)
    _, _, stranger = make_workspace("other@example.com")
    await queue.pool()
    # connect_sandbox already queued the first sync; "Sync now" is a separate job.
    assert await sync.request_sync(editor, conn_id) is True
    assert await sync.request_sync(editor, conn_id) is False  # a double click collapses
    with pytest.raises(AccessDenied):
        await sync.request_sync(viewer, conn_id)
    with pytest.raises(NotFound):
        await sync.request_sync(stranger, conn_id)
    await sync.collect_connection(conn_id)
    assert [r["status"] for r in sync.sync_history(viewer, conn_id)] == ["success"]
    assert sync.sync_history(stranger) == []
    with pytest.raises(NotFound):
        sync.sync_history(stranger, conn_id)


async def test_enqueue_daily_queues_one_collect_per_syncable_connection(db, redis_url, sandbox_url):
    _, _, a = make_workspace("a@example.com")
    _, _, b = make_workspace("b@example.com")
    ca = await connect_sandbox(a)
    cb = await connect_sandbox(b, sandbox_user="sbx-artist-2")
    with dbmod.session() as s:
        s.get(PlatformConnection, cb).status = "revoked"
    day = dbmod.utcnow().date() + timedelta(days=1)
    assert await sync.enqueue_daily(day) == 1
    assert await sync.enqueue_daily(day) == 0  # same job id: no duplicate
    p = await queue.pool()
    assert await p.exists(f"arq:job:{queue.collect_job_id(ca, day)}")


async def test_a_successful_sync_is_announced_to_open_pages(conn_id):
    with dbmod.session() as s:
        ws_id = s.get(PlatformConnection, conn_id).workspace_id
    async with EventProbe(ws_id) as probe:
        result = await sync.collect_connection(conn_id)
        # Progress for the Connections page: started, then done with what changed.
        assert await probe.next() == {"kind": "sync", "connection_id": conn_id, "status": "started"}
        # The inbox hears of the comments that are new (once they are committed).
        new = await probe.next()
        assert new["kind"] == "inbox" and 0 < new["new_comments"] <= result["counts"]["comments"]
        assert await probe.next() == {"kind": "sync", "connection_id": conn_id, "status": "success",
                                      "counts": result["counts"]}
