"""The publish job. It never raises Retry: sending is irreversible, so "try again later" is
decided by the service (which knows whether the request could have reached the platform)
and done by re-enqueueing under a new job id.
"""

from __future__ import annotations

from typing import Any

from dreamsuite.services import publish as publishing, publish_check
from dreamsuite.settings import get_settings


async def publish(ctx: dict[str, Any], destination_id: int) -> str:
    # Other destinations already due go out with this one (one claim for the lot): a burst of
    # posts due at one second is sent by a few jobs, the rest of its jobs find theirs taken.
    return await publishing.publish_destination(destination_id, client=ctx.get("http"),
                                                batch=get_settings().publish_batch)


async def check(ctx: dict[str, Any], destination_id: int) -> str:
    """A read-only look at a post the platform is still processing (services/publish_check)."""
    return await publish_check.check_processing(destination_id, client=ctx.get("http"))
