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
from datetime import datetime
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from dreamsuite.platforms import UnknownPlatform, adapter_class
from dreamsuite.platforms.base import Throttled
from dreamsuite.platforms.http import Usage
from dreamsuite import redisconn
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)

# Calls in flight per platform across every worker (settings: platform_concurrency); set here
# to override it (tests).
PLATFORM_CONCURRENCY: int | None = None
NEARLY_USED = 0.95
WAIT_FOR_SLOT = 30.0


def _redis() -> aioredis.Redis:
    return redisconn.client()


# A process's own calls wait their turn here before asking Redis for one of the platform's
# slots: a burst of a hundred sends in one worker costs Redis a handful of waiters, not a
# hundred polling it. One semaphore per (event loop, platform): an asyncio primitive belongs
# to one loop.
_local: dict[tuple[int, str], asyncio.Semaphore] = {}


def concurrency() -> int:
    return PLATFORM_CONCURRENCY or get_settings().platform_concurrency


def _local_slots(platform: str) -> asyncio.Semaphore:
    key = (id(asyncio.get_running_loop()), platform)
    sem = _local.get(key)
    if sem is None:
        sem = _local[key] = asyncio.Semaphore(concurrency())
    return sem


def _quota(platform: str) -> tuple[int, ZoneInfo] | None:
    adapter = adapter_class(platform)  # a social platform or a promotion channel
    if adapter is None:
        raise UnknownPlatform(f"Unknown platform {platform!r}")
    quota = getattr(adapter, "daily_quota", None)
    return (quota, ZoneInfo(getattr(adapter, "quota_timezone", "UTC"))) if quota else None


def _quota_key(platform: str, account: str, zone: ZoneInfo) -> str:
    return f"ratelimit:quota:{platform}:{account}:{datetime.now(zone).date().isoformat()}"


def _seconds_to_midnight(zone: ZoneInfo) -> float:
    now = datetime.now(zone)
    return 86400 - (now.hour * 3600 + now.minute * 60 + now.second)


# One round trip before each call: the account's cooldown, its daily quota, then a slot among
# the platform's calls in flight (taken back at once when none is free).
_ENTER = """
local wait = redis.call('PTTL', KEYS[1])
if wait > 0 then return {1, wait} end
local quota = tonumber(ARGV[2])
if quota > 0 then
  local used = tonumber(redis.call('GET', KEYS[2]) or '0')
  if used + tonumber(ARGV[3]) > quota then return {2, used} end
end
local n = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], 120)
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[3])
  return {3, n}
end
return {0, n}
"""
_scripts: dict = {}


def _enter_script(r: aioredis.Redis):
    script = _scripts.get(id(r))
    if script is None:
        script = _scripts[id(r)] = r.register_script(_ENTER)
    return script


class RedisGate:
    """Each side of a call is one round trip to Redis, so the gate costs little."""

    async def before(self, platform: str, key: str, cost: int) -> None:
        local = _local_slots(platform)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_FOR_SLOT
        try:
            await asyncio.wait_for(local.acquire(), WAIT_FOR_SLOT)  # released in after(), which hears of every call
        except TimeoutError:
            raise _full(platform) from None
        try:
            await self._enter(platform, key, cost, deadline)
        except BaseException:
            local.release()  # no call is made: after() will not run
            raise

    async def _enter(self, platform: str, key: str, cost: int, deadline: float) -> None:
        quota = _quota(platform)
        keys = [f"ratelimit:cooldown:{platform}:{key}",
                _quota_key(platform, key, quota[1]) if quota else "ratelimit:no-quota",
                f"ratelimit:inflight:{platform}"]
        args = [concurrency(), quota[0] if quota else 0, cost]
        loop = asyncio.get_running_loop()
        while True:
            try:
                code, value = await _enter_script(_redis())(keys=keys, args=args)
            except (RedisError, OSError) as exc:
                log.warning("rate gate unavailable (%s): calling %s without it", type(exc).__name__, platform)
                return
            if code == 0:
                return
            if code == 1:
                # To the millisecond Redis counts (whole seconds held a post up to a second past the
                # cooldown), and a little after it: a retry a moment too soon would be held again.
                raise Throttled(f"Waiting for {platform}'s rate limit to reset", retry_after=_after_ms(value))
            if code == 2:
                raise Throttled(f"Today's {platform} quota ({quota[0]:,} units) is used up; it resets at "
                                "midnight Pacific time", retry_after=_seconds_to_midnight(quota[1]))
            if loop.time() > deadline:
                raise _full(platform)
            await asyncio.sleep(0.05)

    async def after(self, platform: str, key: str, cost: int, usage: Usage | None) -> None:
        _local_slots(platform).release()
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


# A post's place in each of the account's posting windows (a sorted set of post -> time sent per
# window), taken only if every window has room, in one step: two workers cannot both take the
# last place. Redis's clock, so every worker counts on the same one. Returns {0, 0}, or the
# milliseconds until the account has room again and which window holds it back.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait, full = 0, 0
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if not redis.call('ZSCORE', key, ARGV[1]) and redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local until_room = tonumber(oldest[2]) + window - now
    if until_room > wait then wait, full = until_room, i end
  end
end
if wait > 0 then return {wait, full} end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 1]))
end
return {0, 0}
"""


def _posting_keys(platform: str, account: str, limits) -> list[str]:
    return [f"ratelimit:posts:{platform}:{account}:{window}" for _, window in limits]


def _in_words(seconds: int) -> str:
    for unit, one, name in ((3600, "an hour", "hours"), (60, "a minute", "minutes"), (1, "a second", "seconds")):
        if seconds % unit == 0:
            return one if seconds == unit else f"{seconds // unit} {name}"
    return f"{seconds} seconds"


async def reserve_post(platform: str, account: str, post_key: str) -> None:
    """Take the post's place in the account's posting windows (the adapter's `posting_limits`), or
    raise Throttled with the wait until one frees: nothing is sent, so waiting never gives up.
    The same post asking again keeps its one place. Without Redis the post goes ahead."""
    cls = adapter_class(platform)  # what it allows, without making an adapter on every send
    limits = cls.posting_limits if cls else ()
    if not limits:
        return
    args: list = [post_key]
    for count, window in limits:
        args += [count, window * 1000]
    try:
        r = _redis()
        script = _scripts.get(("reserve", id(r)))
        if script is None:
            script = _scripts[("reserve", id(r))] = r.register_script(_RESERVE)
        wait_ms, full = await script(keys=_posting_keys(platform, account, limits), args=args)
    except (RedisError, OSError) as exc:
        log.warning("posting limits unavailable (%s): sending to %s without them", type(exc).__name__, platform)
        return
    if wait_ms > 0:
        count, window = limits[int(full) - 1]
        raise Throttled(f"{cls.label} takes at most {count} posts per account in "
                        f"{_in_words(window)} through its API; this one goes out when the account has room again",
                        retry_after=_after_ms(int(wait_ms)))


async def release_post(platform: str, account: str, post_key: str) -> None:
    """Give the post's places back: the platform refused it before accepting anything."""
    cls = adapter_class(platform)
    limits = cls.posting_limits if cls else ()
    if not limits:
        return
    try:
        async with _redis().pipeline(transaction=False) as pipe:
            for key in _posting_keys(platform, account, limits):
                pipe.zrem(key, post_key)
            await pipe.execute()
    except (RedisError, OSError) as exc:
        log.warning("posting limits unavailable (%s) after a refused %s post", type(exc).__name__, platform)


# Added to a wait Redis measured: its clock and ours tick apart, and the key must be gone.
PAST_THE_WAIT = 0.02


def _after_ms(ms: int) -> float:
    return round(ms / 1000 + PAST_THE_WAIT, 3)


def _full(platform: str) -> Throttled:
    return Throttled(f"Too many calls to {platform} in flight; trying again shortly", retry_after=5)


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

