"""Sending webhook deliveries: one signed POST per try, retried with growing pauses, every try
written to the delivery log; and the sweep that records missed events and re-enqueues lost jobs.

The database is the source of truth: a delivery is claimed (pending → sending) before it is sent,
so two jobs never post it at once; a job lost with Redis is found again by the sweep. A try the
worker died in is sent again after a while: receivers deduplicate on the `DreamSuite-Delivery`
header (or the event's `id` in the body), as with any webhook.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from dreamsuite import crypto, db, events
from dreamsuite.models import (
    DeliveryStatus as S, Insight, PostDestination, SyncRun, SyncStatus, Webhook, WebhookDelivery,
)
from dreamsuite.services import webhooks as wh

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30.0  # 30 s, 2 min, 8 min, 32 min, 2 h 8 min, then every 12 h
BACKOFF_FACTOR = 4
BACKOFF_CAP_SECONDS = 12 * 3600
TIMEOUT_SECONDS = 10.0
STUCK_AFTER = timedelta(minutes=2)  # "sending" this long: the worker died mid-try
LOST_AFTER = timedelta(seconds=20)  # due this long without being sent: its job was lost
CATCH_UP = timedelta(minutes=15)  # how far back the sweep looks for events nobody announced
USER_AGENT = "DreamSuite-Webhooks/1"
EARLY = timedelta(seconds=1)  # a deferred job may start this much before its try's time


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones (a little jitter, never less)."""
    base = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * BACKOFF_FACTOR ** max(0, attempts - 1))
    return base * (1 + random.random() * 0.1)


def job_id(delivery_id: int, attempts: int) -> str:
    return f"webhook:{delivery_id}:{attempts}"


async def enqueue(delivery_ids: list[int], attempts: int = 0, when: datetime | None = None) -> None:
    """Enqueue each delivery's next try (now, or at `when`); a failure leaves it to the sweep."""
    from dreamsuite.queue import pool

    try:
        p = await pool()
        for delivery_id in delivery_ids:
            await p.enqueue_job("deliver_webhook", delivery_id, _job_id=job_id(delivery_id, attempts),
                                **({"_defer_until": when} if when else {}))
    except Exception as exc:  # noqa: BLE001 - stored is what counts: the sweep enqueues it
        log.warning("could not enqueue %d webhook deliveries: %s", len(delivery_ids), type(exc).__name__)


# ------------------------------------------------------------------ one try
def _claim(delivery_id: int, now: datetime) -> dict[str, Any] | None:
    with db.session() as s:
        got = s.exec(update(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.status == S.pending,
            WebhookDelivery.attempts < MAX_ATTEMPTS,
            # Not before its time: a stray job for a try that is not due yet sends nothing.
            or_(WebhookDelivery.next_try_at.is_(None), WebhookDelivery.next_try_at <= now + EARLY))
            .values(status=S.sending, attempts=WebhookDelivery.attempts + 1, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if not got:
            return None
        row = s.exec(select(WebhookDelivery, Webhook).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                     .where(WebhookDelivery.id == delivery_id)).first()
        d, hook = row
        return {"url": hook.url, "secret": crypto.decrypt(hook.secret_enc), "payload": d.payload, "event": d.event,
                "attempts": d.attempts, "active": hook.active}


def _finish(delivery_id: int, ok: bool, code: int | None, error: str) -> tuple[str, datetime | None, int]:
    now = db.utcnow()
    with db.session() as s:
        d = s.get(WebhookDelivery, delivery_id)
        if d is None:  # the webhook was deleted meanwhile
            return "gone", None, 0
        d.response_code, d.error, d.updated_at = code, error[:500], now
        if ok:
            d.status, d.delivered_at, d.next_try_at = S.delivered, now, None
        elif d.attempts >= MAX_ATTEMPTS:
            d.status, d.next_try_at = S.failed, None
        else:
            d.status, d.next_try_at = S.pending, now + timedelta(seconds=backoff(d.attempts))
        s.add(d)
        return d.status, d.next_try_at, d.attempts


async def _check_host(url: str) -> None:
    # Again at each try: the name may point somewhere else since it was registered.
    host = urlsplit(url).hostname or ""
    addresses = await asyncio.get_running_loop().run_in_executor(None, wh.resolve, host)
    wh.check_addresses(host, addresses)


async def deliver(delivery_id: int, *, client: httpx.AsyncClient | None = None) -> str:
    """Try one delivery if it is due; returns its status afterwards (or "skipped")."""
    claimed = await db.run(_claim, delivery_id, db.utcnow())
    if claimed is None:
        return "skipped"
    code: int | None = None
    ok, error = False, ""
    if not claimed["active"]:
        error = "The webhook is turned off."
    else:
        body = json.dumps(claimed["payload"], separators=(",", ":"), default=str).encode()
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "DreamSuite-Event": claimed["event"], "DreamSuite-Delivery": str(delivery_id),
                   wh.SIGNATURE_HEADER: wh.sign(claimed["secret"], body)}
        own = client is None
        client = client or httpx.AsyncClient()
        try:
            await _check_host(claimed["url"])
            r = await client.post(claimed["url"], content=body, headers=headers, timeout=TIMEOUT_SECONDS,
                                  follow_redirects=False)
            code, ok = r.status_code, 200 <= r.status_code < 300
            error = "" if ok else f"The receiver answered HTTP {r.status_code}."
        except wh.UnsafeAddress as exc:
            error = exc.message
        except httpx.HTTPError as exc:
            error = f"Could not reach the receiver ({type(exc).__name__})."
        finally:
            if own:
                await client.aclose()
    status, next_at, attempts = await db.run(_finish, delivery_id, ok, code, error)
    if status == S.pending and next_at is not None:
        await enqueue([delivery_id], attempts, next_at)
    return status


# ------------------------------------------------------------------ the sweep
def _missed_events(now: datetime, workspace_id: int | None = None) -> list[int]:
    """Record the events of the last minutes that no announcement recorded (each key once); of
    every workspace with webhooks, or of one."""
    since = now - CATCH_UP
    out: list[int] = []
    with db.session() as s:
        q = select(Webhook).where(Webhook.active == True)  # noqa: E712
        hooks = s.exec(q if workspace_id is None else q.where(Webhook.workspace_id == workspace_id)).all()
        by_ws: dict[int, list[Webhook]] = {}
        for h in hooks:
            by_ws.setdefault(h.workspace_id, []).append(h)
        for ws_id, ws_hooks in by_ws.items():
            events = {e for h in ws_hooks for e in (h.events or [])}
            found: list[tuple[datetime, tuple[str, str, dict] | None]] = []
            if events & {f"post.{x}" for x in wh.POST_EVENTS}:
                for d in s.exec(select(PostDestination).where(
                        PostDestination.workspace_id == ws_id, PostDestination.updated_at >= since,
                        PostDestination.status.in_(wh.POST_EVENTS))).all():
                    found.append((d.updated_at, wh.post_event(s, ws_id, d.id)))
            if "sync.finished" in events:
                for run in s.exec(select(SyncRun).where(
                        SyncRun.workspace_id == ws_id, SyncRun.finished_at >= since,
                        SyncRun.status.in_([SyncStatus.success, SyncStatus.failed]))).all():
                    found.append((run.finished_at, wh.sync_event(s, run)))
            if "insight.created" in events:
                for i in s.exec(select(Insight).where(Insight.workspace_id == ws_id, Insight.created_at >= since)):
                    found.append((i.created_at, wh.insight_event(i)))
            for at, item in found:
                if item is None:
                    continue
                event, key, data = item
                # Only to webhooks that existed when it happened (a new one gets no backlog).
                targets = [h for h in ws_hooks if event in (h.events or []) and h.created_at <= at]
                if targets:
                    out += wh.record(s, ws_id, event, key, data, hooks=targets)
    return out


def _due_and_stuck(now: datetime) -> list[tuple[int, int]]:
    with db.session() as s:
        s.exec(update(WebhookDelivery).where(WebhookDelivery.status == S.sending,
                                             WebhookDelivery.updated_at < now - STUCK_AFTER)
               # Due already: enqueued again by the query below.
               .values(status=S.pending, next_try_at=now - LOST_AFTER, updated_at=now,
                       error="Interrupted while sending.")
               .execution_options(synchronize_session=False))
        s.exec(update(WebhookDelivery).where(WebhookDelivery.status == S.pending,
                                             WebhookDelivery.attempts >= MAX_ATTEMPTS)
               .values(status=S.failed, next_try_at=None, updated_at=now)
               .execution_options(synchronize_session=False))
        return [(i, a) for i, a in s.exec(select(WebhookDelivery.id, WebhookDelivery.attempts).where(
            WebhookDelivery.status == S.pending, WebhookDelivery.next_try_at <= now - LOST_AFTER)).all()]


async def record_missed(workspace_id: int) -> int:
    """One workspace's unsent events now (after its analysis wrote insights), not at the next sweep.
    Never raises; returns how many deliveries it enqueued."""
    try:
        new = await db.run(_missed_events, db.utcnow(), workspace_id)
    except Exception as exc:  # noqa: BLE001 - the minute's sweep records them
        log.warning("could not record workspace %s's webhook events: %s", workspace_id, type(exc).__name__)
        return 0
    if new:
        await enqueue(new)
    return len(new)


async def sweep(now: datetime | None = None) -> int:
    """Record missed events and enqueue them; re-enqueue due deliveries whose job was lost. Returns
    how many deliveries it enqueued (an enqueue of a job still queued is a no-op)."""
    now = now or db.utcnow()
    try:
        new = await db.run(_missed_events, now)
    except Exception as exc:  # noqa: BLE001 - e.g. the announce hook recorded one meanwhile: next minute
        log.warning("webhook sweep could not record missed events: %s", type(exc).__name__)
        new = []
    if new:
        await enqueue(new)
    due = await db.run(_due_and_stuck, now)
    for delivery_id, attempts in due:
        await enqueue([delivery_id], attempts)
    return len(new) + len(due)


KEEP_LOG = timedelta(days=30)


def purge_old(now: datetime | None = None) -> int:
    """Finished deliveries older than a month leave the log."""
    from sqlalchemy import delete

    cutoff = (now or db.utcnow()) - KEEP_LOG
    with db.session() as s:
        return s.exec(delete(WebhookDelivery).where(WebhookDelivery.created_at < cutoff,
                                                    WebhookDelivery.status.in_([S.delivered, S.failed]))
                      .execution_options(synchronize_session=False)).rowcount or 0


async def on_announce(workspace_id: int, kind: str, data: dict) -> None:
    """Hears every live update (events.add_listener, below; the worker imports this module):
    publish and sync outcomes become deliveries. Never raises (the sweep records what this missed)."""
    if kind not in ("publish", "sync"):
        return
    try:
        if not await wh.workspace_has_hooks(workspace_id):
            return
        try:
            ids = await db.run(wh.record_announced, workspace_id, kind, data)
        except IntegrityError:  # recorded meanwhile by the sweep: recording again finds it
            ids = await db.run(wh.record_announced, workspace_id, kind, data)
        if ids:
            await enqueue(ids)
    except Exception as exc:  # noqa: BLE001 - the event is stored; the sweep sends it
        log.warning("could not record a webhook event (%s): %s", kind, type(exc).__name__)


events.add_listener(on_announce)
