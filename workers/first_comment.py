"""The first comment job: a published post's first comment, posted under it once. Like the publish
job it never raises Retry: the comment cannot be taken back, so what follows a refusal is decided by
the service (which knows whether the comment could have reached the platform)."""

from __future__ import annotations

from typing import Any

from dreamsuite.services import first_comment as first_comments


async def first_comment(ctx: dict[str, Any], destination_id: int) -> str:
    return await first_comments.post_first_comment(destination_id, client=ctx.get("http"))
