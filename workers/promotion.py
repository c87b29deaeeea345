"""Promotion jobs: collect one channel, run one workspace's brain, and the daily fan-out.

Every day at 03:30 UTC (after the social collection's 03:00 fan-out) each channel that can still
collect gets a `promotion_collect:<channel>:<day>` job and each workspace with channels a
`promotion_brain:<workspace>:<day>` job; the ids name the day, so however many workers run the
cron, each job is queued once. The brain job waits (re-queued every `WAIT_SECONDS`) while any
collect of its workspace for that day is still queued or running, then runs on what is stored.
A collect that saved new numbers later in the day (a retry, "Collect now") asks for a brain run
under the same id: folded into the day's run while that one waits, a new run once it is done.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

from arq import Retry
from arq.jobs import Job, JobStatus
from sqlmodel import select

from dreamsuite import db, queue
from dreamsuite.models import ConnectionStatus, PromotionChannel
from dreamsuite.services import promotion_collect
from dreamsuite.services.promotion_queue import collect_job_id, enqueue_brain, enqueue_collect
from dreamsuite.services.promotion_runs import run_brain
from workers.collect import backoff

log = logging.getLogger(__name__)

MAX_TRIES = 6
BRAIN_TRIES = 40
WAIT_SECONDS = 90  # between looks at the workspace's collects: at most an hour of waiting
BRAIN_DELAY = 60  # the daily brain job first looks once the collects had time to start
PENDING = {JobStatus.deferred, JobStatus.queued, JobStatus.in_progress}
SKIP = [ConnectionStatus.revoked, ConnectionStatus.expired]


async def _redis(ctx: dict[str, Any]):
    return ctx.get("redis") or await queue.pool()


def _today() -> date:
    return datetime.now(UTC).date()


async def collect_promotion(ctx: dict[str, Any], channel_id: int) -> dict[str, Any]:
    job_try = ctx.get("job_try", 1)
    try:
        result = await promotion_collect.collect_channel(channel_id, client=ctx.get("http"))
    except (promotion_collect.RateLimited, promotion_collect.TransientError) as exc:
        if job_try >= MAX_TRIES:
            await db.run(promotion_collect.record_gave_up, channel_id, exc.message)
            return {"status": "failed", "error": exc.message, "tries": job_try}
        if isinstance(exc, promotion_collect.RateLimited):
            raise Retry(defer=exc.retry_after) from exc  # the platform's own delay
        raise Retry(defer=backoff(job_try)) from exc
    if result.get("status") == "success":
        try:
            await enqueue_brain(result["workspace_id"], _today(), redis=await _redis(ctx))
        except Exception:  # noqa: BLE001 - the daily run catches up
            log.warning("could not ask for the brain run of workspace %s", result["workspace_id"], exc_info=True)
    return result


async def promotion_brain(ctx: dict[str, Any], workspace_id: int) -> dict[str, Any]:
    job_try = ctx.get("job_try", 1)
    waiting = await _collects_pending(await _redis(ctx), workspace_id, _today())
    if waiting and job_try < BRAIN_TRIES:
        raise Retry(defer=WAIT_SECONDS)
    run_id = await run_brain(workspace_id)
    return {"workspace_id": workspace_id, "brain_run_id": run_id, "collects_still_pending": waiting}


async def _collects_pending(redis, workspace_id: int, day: date) -> int:
    pending = 0
    for cid in await db.run(_channel_ids, workspace_id):
        status = await Job(collect_job_id(cid, day), redis, _queue_name=queue.QUEUE_NAME).status()
        pending += status in PENDING
    return pending


async def daily_promotion(ctx: dict[str, Any]) -> dict[str, int]:
    """The daily fan-out: every channel's collect, then every workspace's brain (which waits for them)."""
    redis, day = await _redis(ctx), _today()
    collects = brains = 0
    by_workspace = await db.run(_collectable)
    for ws_id, channel_ids in by_workspace.items():
        for cid in channel_ids:
            collects += await enqueue_collect(cid, day, redis=redis)
        brains += await enqueue_brain(ws_id, day, delay=BRAIN_DELAY, redis=redis)
    return {"collects": collects, "brains": brains}


def _collectable() -> dict[int, list[int]]:
    with db.session() as s:
        rows = s.exec(select(PromotionChannel.id, PromotionChannel.workspace_id)
                      .where(PromotionChannel.status.not_in(SKIP)).order_by(PromotionChannel.id)).all()
    out: dict[int, list[int]] = {}
    for cid, ws_id in rows:
        out.setdefault(ws_id, []).append(cid)
    return out


def _channel_ids(workspace_id: int) -> list[int]:
    with db.session() as s:
        return list(s.exec(select(PromotionChannel.id).where(PromotionChannel.workspace_id == workspace_id,
                                                             PromotionChannel.status.not_in(SKIP))).all())
