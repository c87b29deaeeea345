"""Webhook jobs: one try of one delivery, the minute's sweep, and the log's monthly tidy."""

from __future__ import annotations

from typing import Any

from dreamsuite import db
from dreamsuite.services import webhook_delivery


async def deliver_webhook(ctx: dict[str, Any], delivery_id: int) -> str:
    # Retries are deliveries of their own (deferred jobs named by the try), decided by the service
    # from what it wrote down: a job never raises Retry.
    return await webhook_delivery.deliver(delivery_id, client=ctx.get("http"))


async def sweep_webhooks(ctx: dict[str, Any]) -> int:
    return await webhook_delivery.sweep()


async def purge_webhook_log(ctx: dict[str, Any]) -> int:
    return await db.run(webhook_delivery.purge_old)
