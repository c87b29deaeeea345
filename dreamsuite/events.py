"""Live updates: workers announce changes on Redis pub/sub, open pages listen.

Channel `ds<db>:workspace:<id>`; a message is JSON {"kind": "sync" | "publish" | ..., ...}. Redis
pub/sub channels are shared by every database of a server, so the channel names the database:
two installs on one Redis server (different database numbers) never hear each other.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit
from typing import Any, AsyncIterator, Awaitable, Callable

from dreamsuite import redisconn
from dreamsuite.settings import get_settings


def channel(workspace_id: int, redis_url: str | None = None) -> str:
    path = urlsplit(redis_url or get_settings().redis_url).path.strip("/") or "0"
    return f"ds{path}:workspace:{workspace_id}"



Listener = Callable[[int, str, dict], Awaitable[None]]
# Who else hears each announcement in this process (the webhooks, which register themselves):
# this module stays below the services that listen.
_listeners: list[Listener] = []
log = logging.getLogger(__name__)


def add_listener(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


async def announce(workspace_id: int, kind: str, **data: Any) -> None:
    # The process's shared client (announcing is on every sync and publish: its few warm
    # connections, not one opened per announcement in a burst).
    await redisconn.client().publish(channel(workspace_id), json.dumps({"kind": kind, **data}))
    for listener in _listeners:
        try:
            await listener(workspace_id, kind, data)
        except Exception:  # a listener's trouble never undoes the announcement
            log.warning("an announcement listener failed", exc_info=True)


async def listen(workspace_id: int) -> AsyncIterator[dict[str, Any]]:
    """Yield each event for the workspace until the consumer stops iterating."""
    client = redisconn.dedicated()
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
