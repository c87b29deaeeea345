"""Platform rate limits held across every worker, in Redis.

Adapters read what each answer says about our limits (Retry-After, X's x-rate-limit-*, Meta's
x-app-usage); the gate remembers it per account and platform, so the next call — from any
worker — waits *before* the platform has to say 429:

- a cooldown per account while the platform wants us to wait, or once 95 % of a window is used;
- a daily quota per account for platforms that count units (YouTube: 10,000 a day, reset at
  midnight Pacific time), shown to the artist on the connections page;
- at most `PLATFORM_CONCURRENCY` calls in flight per platform.

When Redis cannot be reached, calls go ahead (and the log says so): limits are a courtesy
the platforms enforce anyway, an outage of our cache must not stop collection.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import datetime
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from dreamsuite.platforms import get_adapter
from dreamsuite.platforms.base import Throttled
from dreamsuite.platforms.http import Usage
from dreamsuite import redisconn

log = logging.getLogger(__name__)

PLATFORM_CONCURRENCY = 8
NEARLY_USED = 0.95
WAIT_FOR_SLOT = 30.0


def _redis() -> aioredis.Redis:
    return redisconn.client()


def _quota(platform: str) -> tuple[int, ZoneInfo] | None:
    adapter = get_adapter(platform)
    quota = getattr(adapter, "daily_quota", None)
    return (quota, ZoneInfo(getattr(adapter, "quota_timezone", "UTC"))) if quota else None


def _quota_key(platform: str, account: str, zone: ZoneInfo) -> str:
    return f"ratelimit:quota:{platform}:{account}:{datetime.now(zone).date().isoformat()}"


def _seconds_to_midnight(zone: ZoneInfo) -> float:
    now = datetime.now(zone)
    return 86400 - (now.hour * 3600 + now.minute * 60 + now.second)


class RedisGate:
    """Each side of a call is one round trip to Redis (a pipeline), so the gate costs little."""

    async def before(self, platform: str, key: str, cost: int) -> None:
        quota = _quota(platform)
        try:
            r = _redis()
            async with r.pipeline(transaction=False) as pipe:
                pipe.pttl(f"ratelimit:cooldown:{platform}:{key}")
                if quota:
                    pipe.get(_quota_key(platform, key, quota[1]))
                waits = await pipe.execute()
            wait = waits[0]
            if wait and wait > 0:
                # Whole seconds, never early: a retry a moment too soon would only be held back again.
                raise Throttled(f"Waiting for {platform}'s rate limit to reset", retry_after=math.ceil(wait / 1000))
            if quota and int(waits[1] or 0) + cost > quota[0]:
                raise Throttled(f"Today's {platform} quota ({quota[0]:,} units) is used up; it resets at "
                                "midnight Pacific time", retry_after=_seconds_to_midnight(quota[1]))
            await self._slot(r, platform)
        except (RedisError, OSError) as exc:
            log.warning("rate gate unavailable (%s): calling %s without it", type(exc).__name__, platform)

    async def _slot(self, r: aioredis.Redis, platform: str) -> None:
        name = f"ratelimit:inflight:{platform}"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_FOR_SLOT
        while True:
            async with r.pipeline(transaction=False) as pipe:
                pipe.incr(name)
                pipe.expire(name, 120)  # a worker that dies holding slots frees them within minutes
                n, _ = await pipe.execute()
            if n <= PLATFORM_CONCURRENCY:
                return
            await r.decr(name)
            if loop.time() > deadline:
                raise Throttled(f"Too many calls to {platform} in flight; trying again shortly", retry_after=5)
            await asyncio.sleep(0.05)

    async def after(self, platform: str, key: str, cost: int, usage: Usage | None) -> None:
        quota = _quota(platform)
        cooldown = None
        if usage and usage.retry_after:
            cooldown = usage.retry_after
        elif usage and usage.used is not None and usage.used >= NEARLY_USED and usage.reset_in:
            cooldown = usage.reset_in
        try:
            async with _redis().pipeline(transaction=False) as pipe:
                pipe.decr(f"ratelimit:inflight:{platform}")
                if quota:
                    name = _quota_key(platform, key, quota[1])
                    pipe.incrby(name, cost)
                    pipe.expire(name, 2 * 86400)
                if cooldown:
                    pipe.set(f"ratelimit:cooldown:{platform}:{key}", 1, px=max(1, int(cooldown * 1000)))
                results = await pipe.execute()
            if results[0] < 0:  # a slot freed twice (a restart): never let the count go negative
                await _redis().set(f"ratelimit:inflight:{platform}", 0)
        except (RedisError, OSError) as exc:
            log.warning("rate gate unavailable (%s) after a %s call", type(exc).__name__, platform)


def gate() -> RedisGate:
    return RedisGate()


async def quota_used(platform: str, key: str) -> tuple[int, int] | None:
    """(units used today, daily quota) for a platform that counts units, else None."""
    quota = _quota(platform)
    if not quota:
        return None
    try:
        return int(await _redis().get(_quota_key(platform, key, quota[1])) or 0), quota[0]
    except (RedisError, OSError):
        return None

