"""The inbox's jobs. The reply job sends a reply to a fan's comment once: like the publish job it
never raises Retry, the reply cannot be taken back, so the service's claim decides (a re-run after
an interruption sends only if nothing went out). The hide job hides or shows a comment: that is
idempotent, so a refusal the platform may take back is retried."""

from __future__ import annotations

from typing import Any

from arq import Retry

from dreamsuite.services import inbox_hide, inbox_reply


async def inbox_reply_job(ctx: dict[str, Any], reply_id: int) -> str:
    return await inbox_reply.send_reply(reply_id, client=ctx.get("http"))


async def sweep_replies(ctx: dict[str, Any]) -> dict[str, int]:
    return await inbox_reply.sweep()


async def inbox_hide_job(ctx: dict[str, Any], comment_id: int) -> str:
    try:
        return await inbox_hide.run(comment_id, client=ctx.get("http"), job_try=ctx.get("job_try", 1))
    except inbox_hide.TryLater as later:
        raise Retry(defer=later.delay) from later
