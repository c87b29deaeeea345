"""Queueing promotion work: the job ids (naming the day, so a second enqueue is a no-op) and the
"Collect now" a page asks for. Pages and the connect flow call these; the jobs are workers/promotion.py."""

from __future__ import annotations

from datetime import date, datetime, timezone

from dreamsuite import db, queue
from dreamsuite.models import ConnectionStatus, PromotionChannel, Role
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope, get_scoped

SKIP = (ConnectionStatus.revoked, ConnectionStatus.expired)


class CollectRefused(UserError):
    """This channel cannot be collected now; the message says why."""


def collect_job_id(channel_id: int, day: date, manual: bool = False) -> str:
    # One scheduled collect per channel a day; "Collect now" gets an id per minute, so a double
    # click is one job but the artist can collect again after the daily run.
    if manual:
        return f"promotion_collect:{channel_id}:{day.isoformat()}:manual:{datetime.now(timezone.utc):%H%M}"
    return f"promotion_collect:{channel_id}:{day.isoformat()}"


def brain_job_id(workspace_id: int, day: date) -> str:
    return f"promotion_brain:{workspace_id}:{day.isoformat()}"


async def _pool(redis=None):
    return redis if redis is not None else await queue.pool()


async def enqueue_collect(channel_id: int, day: date, *, manual: bool = False, redis=None) -> bool:
    """True when a job was queued, False when one with the same id already exists."""
    job = await (await _pool(redis)).enqueue_job("collect_promotion", channel_id,
                                                 _job_id=collect_job_id(channel_id, day, manual))
    return job is not None


async def enqueue_brain(workspace_id: int, day: date, *, delay: float = 0, redis=None) -> bool:
    job = await (await _pool(redis)).enqueue_job("promotion_brain", workspace_id,
                                                 _job_id=brain_job_id(workspace_id, day), _defer_by=delay or None)
    return job is not None


async def request_collect(scope: Scope, channel_id: int) -> bool:
    """"Collect now" (an editor or owner): True when a job was queued, False when one already was."""
    await db.run(_check, scope, channel_id)
    return await enqueue_collect(channel_id, db.utcnow().date(), manual=True)


def _check(scope: Scope, channel_id: int) -> None:
    scope.require(Role.editor)
    with db.session() as s:
        ch = get_scoped(s, scope, PromotionChannel, channel_id)  # NotFound for another workspace's id
        if ch.status in SKIP:
            raise CollectRefused(f"{ch.name or ch.external_id} is {ch.status}: connect it again before collecting.")
