"""The analysis job: forecasts, insights, goals and XP for one workspace, after its numbers land."""

from __future__ import annotations

import logging
from typing import Any

from dreamsuite import db, queue
from dreamsuite.services import analysis, webhook_delivery

log = logging.getLogger(__name__)


async def analyse(ctx: dict[str, Any], workspace_id: int) -> dict[str, Any]:
    # Forecasting is CPU work and the writes are database work: both off the event loop.
    result = await db.run(analysis.analyse, workspace_id)
    # New insights go to the workspace's webhooks now, not at the minute's sweep (never raises).
    await webhook_delivery.record_missed(workspace_id)
    return result


async def after_collect(workspace_id: int | None) -> None:
    """Ask for an analysis once a sync saved new numbers; a failure here never fails the sync."""
    if workspace_id is None:
        return
    try:
        await queue.enqueue_analyse(workspace_id)
    except Exception:  # noqa: BLE001 - the daily run catches up
        log.warning("could not enqueue the analysis of workspace %s", workspace_id, exc_info=True)


async def daily_analyse(ctx: dict[str, Any]) -> int:
    """Daily, after the collection: every workspace with a connection, even when no sync ran."""
    count = 0
    for ws_id in await db.run(analysis.workspaces_to_analyse):
        count += await queue.enqueue_analyse(ws_id, delay=0)
    return count
