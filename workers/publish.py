"""The publish job. It never raises Retry: sending is irreversible, so "try again later" is
decided by the service (which knows whether the request could have reached the platform)
and done by re-enqueueing under a new job id.
"""

from __future__ import annotations

from typing import Any

from dreamsuite.services import publish as publishing


async def publish(ctx: dict[str, Any], destination_id: int) -> str:
    return await publishing.publish_destination(destination_id, client=ctx.get("http"))
