"""Cron functions: the daily collect fan-out and the publish reconciler."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dreamsuite.services import publish, sync


async def daily_collect(ctx: dict[str, Any]) -> int:
    return await sync.enqueue_daily(datetime.now(UTC).date())


async def reconcile_publishing(ctx: dict[str, Any]) -> int:
    return await publish.reconcile()
