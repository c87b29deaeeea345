"""Locks held across every app process and worker, in Redis.

One refresh of a connection's token at a time (providers rotate refresh tokens: the loser
of two concurrent refreshes would be told its token is invalid), one collect of a
connection at a time. When Redis cannot be reached the work goes ahead unlocked and the
log says so: an outage of our cache must not stop publishing.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from redis.exceptions import LockError, RedisError

from dreamsuite import redisconn

log = logging.getLogger(__name__)

class Busy(Exception):
    """Someone else held the lock for longer than we were willing to wait."""


@asynccontextmanager
async def hold(name: str, *, timeout: float, wait: float) -> AsyncIterator[None]:
    """Hold `lock:<name>` for at most `timeout` seconds (it expires if we die), waiting up to `wait`."""
    lock = redisconn.client().lock(f"lock:{name}", timeout=timeout, blocking_timeout=wait)
    try:
        acquired = await lock.acquire()
    except (RedisError, OSError) as exc:
        log.warning("lock %s unavailable (%s): going ahead without it", name, type(exc).__name__)
        yield
        return
    if not acquired:
        raise Busy(name)
    try:
        yield
    finally:
        try:
            await lock.release()
        except (LockError, RedisError, OSError):  # expired meanwhile, or Redis went away: nothing to free
            pass

