"""The analysis job against a real Redis and a real arq worker: a successful sync asks for it,
once per workspace and window; it stores forecasts, insights and XP; the daily cron covers
every workspace with a connection."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from arq.jobs import Job
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import Insight, PlatformConnection, StoredForecast, Workspace, XpEvent
from dreamsuite.services import analysis
from tests.helpers import connect_sandbox, control, make_workspace, run_worker_burst
from workers import analyse as analyse_job, collect as collect_job, maintenance

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


async def _queued(prefix: str) -> dict[str, float]:
    """Queued job ids starting with `prefix`, with when each is due (epoch ms)."""
    p = await queue.pool()
    return {k.decode(): score for k, score in await p.zrange(queue.QUEUE_NAME, 0, -1, withscores=True)
            if k.decode().startswith(prefix)}


async def _clear_queue() -> None:
    await (await queue.pool()).flushdb()


async def _away_from_a_window_edge(seconds: float) -> None:
    """Start with at least `seconds` left in the analysis window, so what follows shares it."""
    now = datetime.now(UTC)
    left = (queue.ANALYSE_WINDOW_MINUTES - now.minute % queue.ANALYSE_WINDOW_MINUTES) * 60 - now.second
    if left < seconds:
        await asyncio.sleep(left + 0.5)


def _workspace_of(cid: int) -> int:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid).workspace_id


async def test_a_successful_collect_asks_for_one_analysis_of_its_workspace(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("job@example.com")
    first = await connect_sandbox(scope, sandbox_user="job-one")
    second = await connect_sandbox(scope, sandbox_user="job-two")
    await _clear_queue()
    await _away_from_a_window_edge(20)
    started = datetime.now(UTC)
    assert (await collect_job.collect({}, first))["status"] == "success"
    [job_id] = await _queued("analyse:")
    assert job_id == queue.analyse_job_id(scope.workspace_id, started)
    assert job_id.startswith(f"analyse:{scope.workspace_id}:") and job_id.endswith(
        f"{started:%Y%m%d%H}{started.minute - started.minute % queue.ANALYSE_WINDOW_MINUTES:02d}")
    info = await Job(job_id, await queue.pool(), _queue_name=queue.QUEUE_NAME).info()
    assert (info.function, info.args) == ("analyse", (scope.workspace_id,))
    # It waits a little, for the workspace's other accounts to finish syncing.
    due = (await _queued("analyse:"))[job_id]
    assert abs(due / 1000 - (started.timestamp() + queue.ANALYSE_DELAY_SECONDS)) < 10
    # The second account's sync lands in the same window: still one analysis.
    assert (await collect_job.collect({}, second))["status"] == "success"
    assert list(await _queued("analyse:")) == [job_id]


async def test_a_failed_collect_asks_for_no_analysis(db, redis_url, sandbox_url):
    _, _, scope = make_workspace("failed@example.com")
    cid = await connect_sandbox(scope)
    await _clear_queue()
    await control(sandbox_url, "fail", status=401, times=5, path="/api/v1/")
    assert (await collect_job.collect({}, cid))["status"] == "expired"
    await control(sandbox_url, "reset")
    cid2 = await connect_sandbox(scope, sandbox_user="second")
    await _clear_queue()
    await control(sandbox_url, "fail", status=503, times=20, path="/api/v1/")
    result = await collect_job.collect({"job_try": collect_job.MAX_TRIES}, cid2)  # the last try gives up
    assert result["status"] == "failed"
    assert await _queued("analyse:") == {}


async def test_the_worker_collects_then_analyses_and_stores_forecasts_insights_and_xp(
        db, redis_url, sandbox_url, analysis_soon):
    _, _, scope = make_workspace("worker-analysis@example.com")
    cid = await connect_sandbox(scope)  # queues the first collect
    started = dbmod.utcnow()
    await run_worker_burst()  # the collect, then the analysis it asked for
    with dbmod.session() as s:
        forecasts = s.exec(select(StoredForecast).where(StoredForecast.workspace_id == scope.workspace_id)).all()
        xp = s.exec(select(XpEvent).where(XpEvent.workspace_id == scope.workspace_id)).all()
        insights = s.exec(select(Insight).where(Insight.workspace_id == scope.workspace_id)).all()
    assert {f.platform for f in forecasts} == {"sandbox", "all"}
    assert all(dbmod.utcnow() >= _aware(f.computed_at) >= started and len(f.points) == analysis.HORIZON
               for f in forecasts)
    assert f"connected_platform:connection:{cid}" in {e.dedupe_key for e in xp}
    # What the job stored is what the analysis finds: running it again adds nothing.
    again = await dbmod.run(analysis.analyse, scope.workspace_id)
    assert (again["insights"], again["xp_events"]) == (0, 0)
    assert len(insights) == len(await dbmod.run(_insights, scope.workspace_id))


def _insights(ws_id: int) -> list[Insight]:
    with dbmod.session() as s:
        return s.exec(select(Insight).where(Insight.workspace_id == ws_id)).all()


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def test_a_sync_after_the_analysis_ran_is_analysed_again(db, redis_url, sandbox_url, monkeypatch):
    """The window folds syncs that land together into one analysis; once that analysis has run,
    a later sync's numbers must be analysed too, even within the same window."""
    monkeypatch.setattr(queue, "ANALYSE_DELAY_SECONDS", 0)
    _, _, scope = make_workspace("again@example.com")
    cid = await connect_sandbox(scope)
    await _away_from_a_window_edge(30)
    await run_worker_burst()  # collect + analysis
    runs = []
    real = analysis.analyse
    monkeypatch.setattr(analysis, "analyse", lambda ws: runs.append(ws) or real(ws))
    assert await queue.enqueue_collect(cid, dbmod.utcnow().date(), manual=True)
    await run_worker_burst()
    assert runs == [scope.workspace_id]


async def test_the_daily_run_asks_for_every_workspace_with_a_connection(db, redis_url):
    with dbmod.session() as s:
        spaces = [Workspace(name=n) for n in ("with two", "with one", "without")]
        s.add_all(spaces)
        s.flush()
        ids = [w.id for w in spaces]
        s.add_all([PlatformConnection(workspace_id=ids[0], platform="instagram", platform_user_id="a"),
                   PlatformConnection(workspace_id=ids[0], platform="youtube", platform_user_id="b"),
                   PlatformConnection(workspace_id=ids[1], platform="tiktok", platform_user_id="c",
                                      status="expired")])
    await _clear_queue()
    await _away_from_a_window_edge(5)
    assert await analyse_job.daily_analyse({}) == 2
    queued = await _queued("analyse:")
    assert {int(j.split(":")[1]) for j in queued} == {ids[0], ids[1]}
    now_ms = datetime.now(UTC).timestamp() * 1000
    assert all(due <= now_ms + 1000 for due in queued.values())  # due now, not deferred
    assert await analyse_job.daily_analyse({}) == 0  # the same window: already queued
    assert len(await _queued("analyse:")) == 2


async def test_tidy_clears_expired_insights(db, redis_url):
    _, _, scope = make_workspace("tidy@example.com")
    now = dbmod.utcnow()
    with dbmod.session() as s:
        for key, expires in (("old", now - timedelta(minutes=1)), ("current", now + timedelta(days=1))):
            s.add(Insight(workspace_id=scope.workspace_id, type="growth", title=key, message=key, dedupe_key=key,
                          expires_at=expires))
    result = await maintenance.tidy({})
    assert result["insights_expired"] == 1
    assert [i.dedupe_key for i in await dbmod.run(_insights, scope.workspace_id)] == ["current"]
    assert (await maintenance.tidy({}))["insights_expired"] == 0
