"""One Redis client per (URL, event loop) for our own small uses (locks, rate limits).

A connection belongs to the loop that opened it, and tests, the seed and the benchmarks each
run loops of their own; `close_clients()` closes those of the running loop.
"""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from dreamsuite.settings import get_settings

_clients: dict[tuple[str, int], aioredis.Redis] = {}
# Connections one client keeps open; more callers than this at once wait a moment for one. A
# publish burst runs a few hundred sends at once, each a rate check and a live update: unbounded,
# the pool opened a new connection whenever all were busy (up to one per send in flight); bounded,
# they take turns on a few, each command well under a millisecond.
MAX_CONNECTIONS = 24
WAIT_FOR_CONNECTION = 10.0


def client() -> aioredis.Redis:
    key = (get_settings().redis_url, id(asyncio.get_running_loop()))
    if key not in _clients:
        # driver_info None: no CLIENT SETINFO round trip (and no package metadata read
        # from disk) for each new connection.
        pool = aioredis.BlockingConnectionPool.from_url(
            key[0], max_connections=MAX_CONNECTIONS, timeout=WAIT_FOR_CONNECTION, socket_timeout=5,
            socket_connect_timeout=2, driver_info=None)
        _clients[key] = aioredis.Redis.from_pool(pool)
    return _clients[key]


def dedicated() -> aioredis.Redis:
    """A client of its own, not the shared pool's: a subscribed connection serves nothing else.
    Opened as the shared client's connections are, without driver info: no package metadata
    read from disk and no CLIENT SETINFO round trip for each (every open page has one)."""
    return aioredis.from_url(get_settings().redis_url, driver_info=None)


async def warm(connections: int = 8) -> None:
    """Open some connections before they are needed (a worker's start): the first burst after a
    start then does not open them all while sending."""
    r = client()
    await asyncio.gather(*(r.ping() for _ in range(min(connections, MAX_CONNECTIONS))))


async def close_clients() -> None:
    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _clients if k[1] == loop_id]:
        await _clients.pop(key).aclose()
