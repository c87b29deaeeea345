"""The inbox's reply job: a reply to a fan's comment, sent once. Like the publish job it never
raises Retry: the reply cannot be taken back, so the service's claim decides (a re-run after an
interruption sends only if nothing went out)."""

from __future__ import annotations

from typing import Any

from dreamsuite.services import inbox_reply


async def inbox_reply_job(ctx: dict[str, Any], reply_id: int) -> str:
    return await inbox_reply.send_reply(reply_id, client=ctx.get("http"))


async def sweep_replies(ctx: dict[str, Any]) -> dict[str, int]:
    return await inbox_reply.sweep()
