"""The one module that knows arq: job names, job ids and enqueueing.

arq is in maintenance mode upstream; keeping it behind these few functions means a
replacement touches one file. Job ids make enqueueing idempotent: a second enqueue with
the same id while the job (or its kept result) exists is a no-op.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from arq import create_pool
from arq.constants import in_progress_key_prefix, job_key_prefix
from arq.connections import ArqRedis, RedisSettings

from dreamsuite.settings import get_settings

QUEUE_NAME = "dreamsuite:queue"

# One pool per (Redis URL, event loop): a connection belongs to the loop that opened it, and
# tests, the seed and benchmarks each run their own loop.
_pools: dict[tuple[str, int], ArqRedis] = {}


def redis_settings(url: str | None = None) -> RedisSettings:
    return RedisSettings.from_dsn(url or get_settings().redis_url)


async def pool() -> ArqRedis:
    import asyncio

    key = (get_settings().redis_url, id(asyncio.get_running_loop()))
    p = _pools.get(key)
    if p is None:
        p = await create_pool(redis_settings(key[0]), default_queue_name=QUEUE_NAME)
        _pools[key] = p
    return p


async def close_pools() -> None:
    """Close the pools (and the shared client live updates go out on) opened on the running loop."""
    import asyncio

    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _pools if k[1] == loop_id]:
        await _pools.pop(key).aclose()
    from dreamsuite import redisconn

    await redisconn.close_clients()


def collect_job_id(connection_id: int, day: date, manual: bool = False) -> str:
    # One scheduled collect per connection per day; "Sync now" gets its own id per minute so a
    # user can sync again after the daily run but double clicks still collapse into one job.
    if manual:
        return f"collect:{connection_id}:{day.isoformat()}:manual:{datetime.now(timezone.utc):%H%M}"
    return f"collect:{connection_id}:{day.isoformat()}"


def publish_job_id(destination_id: int, attempt: int = 0, due: datetime | None = None) -> str:
    # The due time is part of the id: a post moved to another time gets a job of its own (the
    # old one, when it fires, finds the post not due and skips); the same time twice is one job.
    stamp = f":{int(_aware(due).timestamp())}" if due is not None else ""
    return f"publish:{destination_id}:{attempt}{stamp}"


def _aware(when: datetime) -> datetime:
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when


async def enqueue_collect(connection_id: int, day: date, *, manual: bool = False) -> bool:
    """True when a job was enqueued, False when one with the same id already exists."""
    p = await pool()
    job = await p.enqueue_job("collect", connection_id, _job_id=collect_job_id(connection_id, day, manual))
    return job is not None


async def enqueue_publish(destination_id: int, when: datetime, attempt: int = 0, due: datetime | None = None) -> bool:
    """Run the publish job at `when` (aware UTC; naive is taken as UTC). `due` is the post's
    scheduled time, which names the job (default: `when`)."""
    p = await pool()
    job = await p.enqueue_job("publish", destination_id, _job_id=publish_job_id(destination_id, attempt, due or when),
                              _defer_until=_aware(when))
    return job is not None


def publish_check_job_id(destination_id: int, when: datetime) -> str:
    # One look per destination per time: the reconciler's enqueue of a look already queued is a no-op.
    return f"publish_check:{destination_id}:{int(_aware(when).timestamp())}"


async def enqueue_publish_check(destination_id: int, when: datetime) -> bool:
    """Look at a post the platform is processing at `when` (aware UTC; naive is taken as UTC)."""
    p = await pool()
    job = await p.enqueue_job("publish_check", destination_id, _job_id=publish_check_job_id(destination_id, when),
                              _defer_until=_aware(when))
    return job is not None


async def cancel_publish_job(destination_id: int, attempt: int, due: datetime) -> bool:
    """Remove a publish job that has not started from the queue (a moved post's old job); True
    when one was removed. A job already running is left alone."""
    job_id = publish_job_id(destination_id, attempt, due)
    p = await pool()
    if await p.exists(in_progress_key_prefix + job_id):
        return False
    async with p.pipeline(transaction=True) as pipe:
        pipe.zrem(QUEUE_NAME, job_id)
        pipe.delete(job_key_prefix + job_id)
        removed, _ = await pipe.execute()
    return bool(removed)


async def forget_publish_jobs(jobs: list[tuple[int, int, datetime]]) -> int:
    """Take (destination, attempt, due) jobs out of the queue in one round trip: their destinations
    were claimed by another job's batch, so they would only start and skip. A job already running
    skips on its own; returns how many were removed."""
    if not jobs:
        return 0
    p = await pool()
    async with p.pipeline(transaction=False) as pipe:
        for destination_id, attempt, due in jobs:
            job_id = publish_job_id(destination_id, attempt, due)
            pipe.zrem(QUEUE_NAME, job_id)
            pipe.delete(job_key_prefix + job_id)
        results = await pipe.execute()
    return sum(results[::2])


def first_comment_job_id(destination_id: int) -> str:
    return f"first_comment:{destination_id}"


async def enqueue_first_comment(destination_id: int) -> bool:
    """Post the destination's first comment now (its post just went out); one job per destination:
    False when it was enqueued already."""
    p = await pool()
    job = await p.enqueue_job("first_comment", destination_id, _job_id=first_comment_job_id(destination_id))
    return job is not None


# Several accounts of one workspace finish syncing within seconds of each other: the analysis
# waits a little and runs once for all of them (one id per workspace per window).
ANALYSE_DELAY_SECONDS = 30
ANALYSE_WINDOW_MINUTES = 5


def analyse_job_id(workspace_id: int, at: datetime | None = None) -> str:
    at = at or datetime.now(timezone.utc)
    bucket = at.replace(minute=at.minute - at.minute % ANALYSE_WINDOW_MINUTES, second=0, microsecond=0)
    return f"analyse:{workspace_id}:{bucket:%Y%m%d%H%M}"


async def enqueue_analyse(workspace_id: int, *, delay: float | None = None) -> bool:
    """True when a job was enqueued; False when this window's job is already waiting or running."""
    p = await pool()
    delay = ANALYSE_DELAY_SECONDS if delay is None else delay
    job = await p.enqueue_job("analyse", workspace_id, _job_id=analyse_job_id(workspace_id), _defer_by=delay)
    return job is not None
