"""The collect job: a thin arq wrapper over services.sync.collect_connection."""

from __future__ import annotations

from typing import Any

from arq import Retry

from dreamsuite import db
from dreamsuite.services import sync
from workers.analyse import after_collect

MAX_TRIES = 6
BASE_BACKOFF = 30  # seconds; doubles each try: 1 min, 2 min, 4 min...
MAX_BACKOFF = 3600


def backoff(job_try: int) -> int:
    return min(BASE_BACKOFF * 2**job_try, MAX_BACKOFF)


async def collect(ctx: dict[str, Any], connection_id: int) -> dict[str, Any]:
    job_try = ctx.get("job_try", 1)
    try:
        # A re-run (the worker died mid-job, or a retry): a collect that already succeeded since
        # the job was queued is not repeated.
        done_since = ctx.get("enqueue_time") if job_try > 1 else None
        result = await sync.collect_connection(connection_id, client=ctx.get("http"), done_since=done_since)
    except (sync.RateLimited, sync.TransientError) as exc:
        if job_try >= MAX_TRIES:
            await db.run(sync.record_gave_up, connection_id, exc.message)
            return {"status": "failed", "error": exc.message, "tries": job_try}
        if isinstance(exc, sync.RateLimited):
            raise Retry(defer=exc.retry_after) from exc  # the platform's own delay
        raise Retry(defer=backoff(job_try)) from exc
    # A skipped re-run asks too: the try that died may have saved before asking.
    if result.get("status") == "success" or (result.get("status") == "skipped" and "sync_run_id" in result):
        await after_collect(result.get("workspace_id"))
    return result
