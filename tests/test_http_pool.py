"""The worker's HTTP client: requests spread over several small connection pools, each request
counted in its pool until its answer is read or closed, whatever happens to it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from dreamsuite.platforms.pool import SpreadTransport, pooled_client
from dreamsuite.platforms.sandbox.serve import free_port, serve_app

WAIT = 0.2
seen_at_once = {"now": 0, "peak": 0}


async def slow_app(scope, receive, send):
    """Answers after WAIT seconds, counting the requests it holds at once."""
    if scope["type"] != "http":
        return
    seen_at_once["now"] += 1
    seen_at_once["peak"] = max(seen_at_once["peak"], seen_at_once["now"])
    try:
        await asyncio.sleep(WAIT)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"x" * 100_000})
    finally:
        seen_at_once["now"] -= 1


@pytest.fixture(scope="module")
def slow_server():
    with serve_app(slow_app) as url:
        yield url


async def test_concurrent_requests_spread_over_the_pools_and_each_is_freed(slow_server):
    transport = SpreadTransport(pools=4, per_pool=3)
    seen_at_once["peak"] = 0
    async with httpx.AsyncClient(transport=transport, timeout=10) as client:
        busy: list[list[int]] = []

        async def one():
            response = await client.get(slow_server)
            busy.append(transport.in_flight())
            return len(response.content)

        sizes = await asyncio.gather(*(one() for _ in range(12)))
        assert sizes == [100_000] * 12
        # Twelve at once fit twelve connections in four pools: every pool took its share (the least
        # busy is chosen), none more than its three, and the server held them all together.
        assert max(max(b) for b in busy) <= 3 and sum(busy[0]) >= 9
        assert seen_at_once["peak"] == 12
        assert transport.in_flight() == [0, 0, 0, 0]


async def test_a_streamed_answer_closed_unread_frees_its_pool(slow_server):
    transport = SpreadTransport(pools=2, per_pool=1)
    async with httpx.AsyncClient(transport=transport, timeout=10) as client:
        async with client.stream("GET", slow_server) as response:
            assert response.status_code == 200 and sum(transport.in_flight()) == 1
        assert transport.in_flight() == [0, 0]
        # The freed pool is usable at once: two more requests, one per pool, both answered.
        answers = await asyncio.gather(client.get(slow_server), client.get(slow_server))
        assert [a.status_code for a in answers] == [200, 200] and transport.in_flight() == [0, 0]


async def test_a_request_that_fails_is_not_counted_as_in_flight():
    transport = SpreadTransport(pools=2, per_pool=2)
    async with httpx.AsyncClient(transport=transport, timeout=2) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{free_port()}/")  # nothing listens there
        assert transport.in_flight() == [0, 0]


async def test_a_full_pool_is_passed_over_for_a_free_one(slow_server):
    # One pool of one connection, busy with a slow request, and an idle pool: the next request
    # goes to the idle one instead of queueing behind the first.
    transport = SpreadTransport(pools=2, per_pool=1)
    async with httpx.AsyncClient(transport=transport, timeout=10) as client:
        loop = asyncio.get_running_loop()
        first = asyncio.ensure_future(client.get(slow_server))
        await asyncio.sleep(0.05)
        started = loop.time()
        second = await client.get(slow_server)
        assert second.status_code == 200 and loop.time() - started < WAIT * 1.8
        await first


async def test_the_workers_client_uses_the_spread_pools():
    client = pooled_client(5)
    try:
        assert isinstance(client._transport, SpreadTransport)
    finally:
        await client.aclose()
