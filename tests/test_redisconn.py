"""The process's shared Redis client: a burst of live updates and rate checks takes turns on a
few connections instead of opening one each, and every one of them still goes out."""

from __future__ import annotations

import asyncio

import pytest

from dreamsuite import events, redisconn
from dreamsuite.services.ratelimits import RedisGate

pytestmark = pytest.mark.usefixtures("close_clients")


@pytest.fixture
async def close_clients():
    yield
    await redisconn.close_clients()


def _count_new_connections(client) -> list[int]:
    made = [0]
    pool = client.connection_pool
    original = pool.make_connection

    def counting():
        made[0] += 1
        return original()

    pool.make_connection = counting
    return made


async def test_a_burst_of_announcements_shares_a_few_connections_and_each_is_heard(redis_url, monkeypatch):
    monkeypatch.setattr(redisconn, "MAX_CONNECTIONS", 4)
    made = _count_new_connections(redisconn.client())
    heard: list[dict] = []

    async def listen() -> None:
        async for event in events.listen(41):
            heard.append(event)
            if len(heard) == 150:
                return

    listening = asyncio.create_task(listen())
    await asyncio.sleep(0.2)  # subscribed before the burst
    gate = RedisGate()

    async def one(n: int) -> None:
        await gate.before("sandbox", f"account-{n % 7}", 1)
        await events.announce(41, "publish", destination_id=n)
        await gate.after("sandbox", f"account-{n % 7}", 1, None)

    await asyncio.gather(*(one(n) for n in range(150)))
    await asyncio.wait_for(listening, 10)
    assert sorted(e["destination_id"] for e in heard) == list(range(150))
    assert 1 <= made[0] <= 4


async def test_warming_opens_connections_the_first_commands_then_use(redis_url, monkeypatch):
    monkeypatch.setattr(redisconn, "MAX_CONNECTIONS", 4)
    client = redisconn.client()
    made = _count_new_connections(client)
    await redisconn.warm(3)
    assert made[0] == 3
    await asyncio.gather(*(client.incr("warm-test") for _ in range(3)))
    assert made[0] == 3 and int(await client.get("warm-test")) == 3
