"""Live updates: workers announce changes on Redis pub/sub, open pages listen.

Channel `workspace:<id>`; a message is JSON {"kind": "sync" | "publish" | ..., ...}.
"""

from __future__ import annotations

import json
from typing import Any, AsyncIterator

import redis.asyncio as aioredis

from dreamsuite.settings import get_settings


def channel(workspace_id: int) -> str:
    return f"workspace:{workspace_id}"


async def announce(workspace_id: int, kind: str, **data: Any) -> None:
    client = aioredis.from_url(get_settings().redis_url)
    try:
        await client.publish(channel(workspace_id), json.dumps({"kind": kind, **data}))
    finally:
        await client.aclose()


async def listen(workspace_id: int) -> AsyncIterator[dict[str, Any]]:
    """Yield each event for the workspace until the consumer stops iterating."""
    client = aioredis.from_url(get_settings().redis_url)
    pubsub = client.pubsub()
    await pubsub.subscribe(channel(workspace_id))
    try:
        async for msg in pubsub.listen():
            if msg.get("type") != "message":
                continue
            try:
                yield json.loads(msg["data"])
            except (ValueError, TypeError):
                continue
    finally:
        await pubsub.aclose()
        await client.aclose()
