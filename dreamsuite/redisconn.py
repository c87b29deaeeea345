"""One Redis client per (URL, event loop) for our own small uses (locks, rate limits).

A connection belongs to the loop that opened it, and tests, the seed and the benchmarks each
run loops of their own; `close_clients()` closes those of the running loop.
"""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from dreamsuite.settings import get_settings

_clients: dict[tuple[str, int], aioredis.Redis] = {}


def client() -> aioredis.Redis:
    key = (get_settings().redis_url, id(asyncio.get_running_loop()))
    if key not in _clients:
        _clients[key] = aioredis.from_url(key[0], socket_timeout=5, socket_connect_timeout=2)
    return _clients[key]


async def close_clients() -> None:
    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _clients if k[1] == loop_id]:
        await _clients.pop(key).aclose()
