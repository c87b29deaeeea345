"""arq WorkerSettings: `arq workers.main.WorkerSettings`."""

from __future__ import annotations

from typing import Any

import httpx
from arq import cron
from arq.worker import func

from dreamsuite import queue
from dreamsuite.services import sync
from workers import collect, maintenance, publish

# Job ids dedupe only while the job or its result exists. Kept results outlive a day so the
# daily `collect:<connection>:<date>` id cannot run twice on the same date (a restarted
# worker re-running the cron); publish ids carry the attempt, and the database claim makes
# a repeat a no-op anyway.
KEEP_RESULT = 26 * 3600


async def startup(ctx: dict[str, Any]) -> None:
    # One pooled client for every job of this worker (adapters take the client from us).
    ctx["http"] = httpx.AsyncClient(timeout=sync.HTTP_TIMEOUT)


async def shutdown(ctx: dict[str, Any]) -> None:
    client = ctx.pop("http", None)
    if client is not None:
        await client.aclose()
    await queue.close_pools()


class WorkerSettings:
    functions = [
        func(collect.collect, name="collect", max_tries=collect.MAX_TRIES, timeout=600),
        # arq re-runs a job interrupted by a shutdown; the claim makes that harmless, and
        # a few tries bound it. The job itself never asks for a retry.
        func(publish.publish, name="publish", max_tries=3, timeout=120),
    ]
    cron_jobs = [
        cron(maintenance.daily_collect, hour={3}, minute={0}, unique=True),
        cron(maintenance.reconcile_publishing, unique=True),  # every minute, at second 0
    ]
    redis_settings = queue.redis_settings()
    queue_name = queue.QUEUE_NAME
    on_startup = startup
    on_shutdown = shutdown
    keep_result = KEEP_RESULT
    max_tries = 5
    max_jobs = 10
