"""Locks held across every app process and worker, in Redis.

One refresh of a connection's token at a time (providers rotate refresh tokens: the loser
of two concurrent refreshes would be told its token is invalid), one collect of a
connection at a time. When Redis cannot be reached the work goes ahead unlocked and the
log says so: an outage of our cache must not stop publishing.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

import redis.asyncio as aioredis
from redis.exceptions import LockError, RedisError

from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)

_clients: dict[tuple[str, int], aioredis.Redis] = {}


class Busy(Exception):
    """Someone else held the lock for longer than we were willing to wait."""


def _client() -> aioredis.Redis:
    key = (get_settings().redis_url, id(asyncio.get_running_loop()))
    if key not in _clients:
        _clients[key] = aioredis.from_url(key[0], socket_timeout=5, socket_connect_timeout=2)
    return _clients[key]


@asynccontextmanager
async def hold(name: str, *, timeout: float, wait: float) -> AsyncIterator[None]:
    """Hold `lock:<name>` for at most `timeout` seconds (it expires if we die), waiting up to `wait`."""
    lock = _client().lock(f"lock:{name}", timeout=timeout, blocking_timeout=wait)
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


async def close() -> None:
    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _clients if k[1] == loop_id]:
        await _clients.pop(key).aclose()
