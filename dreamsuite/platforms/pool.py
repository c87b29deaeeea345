"""One HTTP client for a whole worker, its connections kept in several small pools.

httpcore looks over every connection of its pool on each request and each response (is it
closed, has it expired — a readiness check on its socket — and how many are idle), so with a
hundred connections open a burst of sends spends more CPU in the pool's bookkeeping than in
the requests: 1.3–3.6 ms a request in one pool against about 1.0 ms in ten pools of ten (40 in
flight, a local server answering after 20 ms). And a single pool keeps at most 20 idle
connections, so a burst opens and closes connections all along. Here each request goes to
the pool with the fewest requests in flight, and every pool keeps what it opened.
"""

from __future__ import annotations

from typing import AsyncIterator

import httpx

POOLS = 10
CONNECTIONS_PER_POOL = 10


class _Counted(httpx.AsyncByteStream):
    """A response's body that tells its pool's counter when it is closed (the request is over)."""

    def __init__(self, stream: httpx.AsyncByteStream, done) -> None:
        self._stream, self._done = stream, done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            done, self._done = self._done, None
            if done is not None:
                done()


class SpreadTransport(httpx.AsyncBaseTransport):
    """Requests spread over `pools` connection pools of `per_pool` connections each."""

    def __init__(self, pools: int = POOLS, per_pool: int = CONNECTIONS_PER_POOL) -> None:
        limits = httpx.Limits(max_connections=per_pool, max_keepalive_connections=per_pool)
        self._pools = [httpx.AsyncHTTPTransport(limits=limits) for _ in range(pools)]
        self._busy = [0] * pools

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        i = min(range(len(self._pools)), key=self._busy.__getitem__)
        self._busy[i] += 1

        def done() -> None:
            self._busy[i] -= 1

        try:
            response = await self._pools[i].handle_async_request(request)
        except BaseException:
            done()
            raise
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_Counted(response.stream, done), extensions=response.extensions)

    def in_flight(self) -> list[int]:
        return list(self._busy)

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()


def pooled_client(timeout: httpx.Timeout | float) -> httpx.AsyncClient:
    """The client a worker shares between its jobs (adapters take the client from the caller)."""
    return httpx.AsyncClient(timeout=timeout, transport=SpreadTransport())
