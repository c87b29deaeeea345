"""Cron functions: the daily collect fan-out, the publish reconciler and housekeeping."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dreamsuite import db
from dreamsuite.services import auth, connections, insights, publish, sync


async def daily_collect(ctx: dict[str, Any]) -> int:
    return await sync.enqueue_daily(datetime.now(UTC).date())


async def reconcile_publishing(ctx: dict[str, Any]) -> int:
    return await publish.reconcile()


async def tidy(ctx: dict[str, Any]) -> dict[str, int]:
    """Every ten minutes: expired logins and sign-up links go, abandoned sync runs are marked,
    stale insights are cleared."""
    return {
        "expired_removed": await db.run(auth.purge_expired),
        "runs_abandoned": await db.run(sync.abandon_stale_runs),
        "insights_expired": await db.run(insights.purge_expired),
    }


async def warn_expiring(ctx: dict[str, Any]) -> int:
    """Daily: accounts whose access ends within seven days are flagged and their artists told."""
    return await db.run(connections.warn_expiring)
