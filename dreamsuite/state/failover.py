"""A tab that reconnects after its app process died is the same tab, not a copy of it.

With state in Redis, Reflex records which process holds each tab's socket (for an hour). A
process that is killed never removes its records, so when the tab reconnects through the
balancer to another process, Reflex finds the record, takes the tab for a duplicate of a live
one, and hands it a new token: a fresh state, and the range picked or the platform hidden are
gone. Each process therefore keeps a short-lived "alive" key in Redis while it runs, and a
socket record naming a process without one is dropped before Reflex looks (a copied tab, whose
original is still connected, still gets a token of its own, a few seconds later).
"""

from __future__ import annotations

import asyncio
import logging
import pickle

log = logging.getLogger(__name__)
BEAT_SECONDS = 1.0
ALIVE_SECONDS = 3  # three missed beats: the process is gone


def alive_key(instance_id: str) -> str:
    return f"dreamsuite:app-alive:{instance_id}"


async def _beat(manager) -> None:
    while True:
        try:
            # Read each time: Reflex gives each server process a fresh id when it starts serving.
            await manager.redis.set(alive_key(manager.instance_id), b"1", ex=ALIVE_SECONDS)
        except Exception as exc:  # noqa: BLE001 - Redis away: the records simply stay as Reflex left them
            log.warning("could not record this app process as alive: %s", type(exc).__name__)
        await asyncio.sleep(BEAT_SECONDS)


async def _drop_if_dead(manager, token: str) -> None:
    """Drop the token's socket record when the process it names is gone. A tab reconnects within
    a second or two, sooner than a dead process's alive key expires, so a record whose owner
    still looks alive is watched for that long: it goes when the owner sees the old socket close
    (a network blip) or when the owner's key expires (a crash). Only a record that outlives it
    belongs to a live tab, and Reflex gives the newcomer (a copied tab) a token of its own."""
    key = manager._get_redis_key(token)
    deadline = asyncio.get_running_loop().time() + ALIVE_SECONDS + BEAT_SECONDS
    while True:
        raw = await manager.redis.get(key)
        if not raw:
            return
        owner = pickle.loads(raw).instance_id
        if owner == manager.instance_id:
            return
        if not await manager.redis.exists(alive_key(owner)):
            await manager.redis.delete(key)
            return
        if asyncio.get_running_loop().time() > deadline:
            return
        await asyncio.sleep(0.2)


def install(app) -> asyncio.Task | None:
    """Start this process's heartbeat and check socket records before Reflex links a tab; None
    when state is not in Redis (one process: nothing to fail over to)."""
    from reflex.utils.token_manager import RedisTokenManager

    manager = getattr(app.event_namespace, "_token_manager", None)
    if not isinstance(manager, RedisTokenManager):
        return None
    link = manager.link_token_to_sid

    async def link_token_to_sid(token: str, sid: str) -> str | None:
        try:
            await _drop_if_dead(manager, token)
        except Exception as exc:  # noqa: BLE001 - at worst Reflex treats the tab as a duplicate
            log.warning("could not check the tab's previous process: %s", type(exc).__name__)
        return await link(token, sid)

    manager.link_token_to_sid = link_token_to_sid
    return asyncio.create_task(_beat(manager))
