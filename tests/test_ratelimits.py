"""The rate gate on a real Redis: calls in flight per platform capped across workers, a
platform's cooldown held for every worker, and collection going on when Redis is away."""

from __future__ import annotations

import asyncio

import pytest

from dreamsuite import redisconn
from dreamsuite.platforms.base import RateLimited
from dreamsuite.platforms.http import Usage
from dreamsuite.services import ratelimits
from dreamsuite.services.ratelimits import RedisGate

pytestmark = pytest.mark.usefixtures("close_clients")


@pytest.fixture
async def close_clients():
    yield
    await redisconn.close_clients()


async def test_calls_in_flight_per_platform_never_exceed_the_cap_across_workers(redis_url, monkeypatch):
    monkeypatch.setattr(ratelimits, "PLATFORM_CONCURRENCY", 3)
    workers = [RedisGate(), RedisGate()]  # two workers' gates: only Redis is shared
    in_flight, peak, done = 0, 0, []

    async def call(n: int) -> None:
        nonlocal in_flight, peak
        gate = workers[n % 2]
        await gate.before("tiktok", f"account-{n}", 1)
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.1)
        in_flight -= 1
        await gate.after("tiktok", f"account-{n}", 1, None)
        done.append(n)

    await asyncio.gather(*(call(n) for n in range(10)))
    assert sorted(done) == list(range(10)) and peak == 3
    # Another platform has slots of its own, and every slot was given back.
    await RedisGate().before("x", "a", 1)
    assert int(await redisconn.client().get("ratelimit:inflight:tiktok")) == 0


async def test_a_full_platform_says_try_again_shortly_after_waiting(redis_url, monkeypatch):
    monkeypatch.setattr(ratelimits, "PLATFORM_CONCURRENCY", 1)
    monkeypatch.setattr(ratelimits, "WAIT_FOR_SLOT", 0.2)
    gate = RedisGate()
    await gate.before("youtube", "a", 1)
    with pytest.raises(RateLimited, match="in flight") as info:
        await gate.before("youtube", "b", 1)
    assert info.value.retry_after == 5
    await gate.after("youtube", "a", 1, None)
    await gate.before("youtube", "b", 1)  # the slot freed: the next call goes


async def test_a_platforms_delay_holds_for_that_account_in_every_worker(redis_url):
    first, second = RedisGate(), RedisGate()
    await first.before("x", "nova", 1)
    await first.after("x", "nova", 1, Usage(retry_after=3))
    with pytest.raises(RateLimited) as info:
        await second.before("x", "nova", 1)
    # What is left of the platform's wait, to the millisecond and a little past it (not whole seconds).
    assert 2.9 <= info.value.retry_after <= 3 + ratelimits.PAST_THE_WAIT
    await second.before("x", "other-account", 1)  # another account of the platform is not held
    # Nearly all of a window used: wait for its reset before the platform has to say 429.
    await second.after("x", "other-account", 1, Usage(used=0.97, reset_in=60))
    with pytest.raises(RateLimited):
        await first.before("x", "other-account", 1)


async def test_without_redis_calls_go_ahead(monkeypatch, caplog):
    import redis.asyncio as aioredis

    down = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    monkeypatch.setattr(ratelimits, "_redis", lambda: down)
    gate = RedisGate()
    await gate.before("instagram", "a", 1)
    await gate.after("instagram", "a", 1, Usage(retry_after=30))
    assert "rate gate unavailable" in caplog.text
    await down.aclose()


async def test_a_cooldown_ending_within_the_second_holds_a_call_only_that_long(redis_url):
    # A burst's account held by a 429 with Retry-After: a post reaching the gate near the end of the
    # wait goes out when it ends, not a whole second later.
    gate = RedisGate()
    await gate.before("sandbox", "acct-c", 1)
    await gate.after("sandbox", "acct-c", 1, Usage(retry_after=0.3))
    with pytest.raises(RateLimited) as info:
        await gate.before("sandbox", "acct-c", 1)
    assert 0.2 <= info.value.retry_after <= 0.3 + ratelimits.PAST_THE_WAIT
    await asyncio.sleep(info.value.retry_after)  # the wait it names is enough, never early
    await gate.before("sandbox", "acct-c", 1)
    await gate.after("sandbox", "acct-c", 1, None)
