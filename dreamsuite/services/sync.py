"""Collecting a connection's numbers (DESIGN flow 2): the collect job's body and its triggers.

The platform is called outside any transaction; everything it returned is then written in
ONE transaction (upserts keyed by the unique constraints), so a failure leaves the previous
data intact and only a failed sync_run row says what happened.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import db, events, locks, queue
from dreamsuite.models import (
    ConnectionStatus,
    PlatformConnection,
    Role,
    SyncRun,
    SyncStatus,
)
from dreamsuite.platforms import account_label, get_adapter
# Re-exported: workers import only services, and map these two onto arq retries.
from dreamsuite.platforms.base import (
    HTTP_TIMEOUT, AccountRef, AuthExpired, PlatformError, RateLimited, TransientError,
)
from dreamsuite.services import ratelimits, tokens
from dreamsuite.services.notifications import notify
from dreamsuite.services.scope import Scope, get_scoped, scoped
from dreamsuite.services.sync_write import write_collected
from dreamsuite.services.errors import UserError

__all__ = [
    "RateLimited", "TransientError", "SyncError", "collect_connection", "request_sync",
    "sync_history", "enqueue_daily", "record_gave_up", "abandon_stale_runs",
]

log = logging.getLogger(__name__)

# Re-read a little before the last success: late-arriving numbers and yesterday's total.
OVERLAP = timedelta(days=1)
# A collect holds its connection's lock at most this long (the arq job times out at 600 s).
COLLECT_LOCK_SECONDS = 660
COLLECT_LOCK_WAIT = 300
# Longer than any collect job can run: a run still "running" after this was abandoned.
ABANDON_AFTER = timedelta(minutes=30)
SKIP_STATUSES = {ConnectionStatus.revoked, ConnectionStatus.expired}


class SyncError(UserError):
    """A sync the user asked for cannot run; the message says why."""


# ------------------------------------------------------------------ the job body
async def collect_connection(connection_id: int, *, client: httpx.AsyncClient | None = None,
                             done_since: datetime | None = None) -> dict[str, Any]:
    """Collect one connection. Returns a result dict; raises RateLimited/TransientError for retry.

    One collect per connection at a time across workers ("Sync now" and the daily run wait
    for each other): the second starts from what the first saved. `done_since` (aware or naive
    UTC): when a collect of this account already succeeded since then, skip. A job re-run after
    its worker died between saving and reporting done passes its enqueue time, so the account
    is collected once, not twice.
    """
    try:
        async with locks.hold(f"collect:{connection_id}", timeout=COLLECT_LOCK_SECONDS, wait=COLLECT_LOCK_WAIT):
            if done_since is not None:
                done = await db.run(_succeeded_since, connection_id, done_since)
                if done is not None:
                    return done
            return await _collect(connection_id, client)
    except locks.Busy:
        raise TransientError("Another sync of this account is still running; trying again shortly.") from None


async def _collect(connection_id: int, client: httpx.AsyncClient | None) -> dict[str, Any]:
    begun = await db.run(_begin, connection_id)
    if "status" in begun:
        return begun
    run_id, ws_id, platform, since = begun["run_id"], begun["workspace_id"], begun["platform"], begun["since"]

    await _announce(ws_id, connection_id, status="started")
    adapter = get_adapter(platform, ratelimits.gate())
    own_client = client is None
    client = client or httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    try:
        result = await _fetch(adapter, client, connection_id, since, begun["account"])
    except AuthExpired as exc:
        await db.run(_fail, run_id, connection_id, exc.message, expired=True)
        await _announce(ws_id, connection_id, status="failed", error=exc.message)
        return {"status": "expired", "sync_run_id": run_id, "error": exc.message}
    except (RateLimited, TransientError) as exc:
        await db.run(_fail, run_id, connection_id, exc.message)
        await _announce(ws_id, connection_id, status="failed", error=f"{exc.message} (trying again later)")
        raise
    except PlatformError as exc:
        await db.run(_fail, run_id, connection_id, exc.message, notify=True)
        await _announce(ws_id, connection_id, status="failed", error=exc.message)
        return {"status": "failed", "sync_run_id": run_id, "error": exc.message}
    except BaseException as exc:
        await db.run(_fail, run_id, connection_id, f"Unexpected error while collecting: {type(exc).__name__}")
        raise
    finally:
        if own_client:
            await client.aclose()

    try:
        counts = await db.run(_save, run_id, connection_id, result)
    except BaseException as exc:
        await db.run(_fail, run_id, connection_id, f"Saving the collected data failed: {type(exc).__name__}")
        raise
    await _announce(ws_id, connection_id, status="success", counts=counts)
    return {"status": "success", "sync_run_id": run_id, "counts": counts, "workspace_id": ws_id,
            "since": since.isoformat() if since else None}


async def _announce(workspace_id: int, connection_id: int, **data: Any) -> None:
    try:
        await events.announce(workspace_id, "sync", connection_id=connection_id, **data)
    except Exception:  # the data is saved; a missed live update only delays a page refresh
        log.warning("could not announce sync of connection %s", connection_id, exc_info=True)


def _succeeded_since(connection_id: int, since: datetime) -> dict[str, Any] | None:
    since = since.replace(tzinfo=timezone.utc) if since.tzinfo is None else since
    with db.reading() as s:
        run = s.exec(select(SyncRun).where(SyncRun.connection_id == connection_id, SyncRun.started_at >= since,
                                           SyncRun.status == SyncStatus.success)
                     .order_by(SyncRun.id.desc()).limit(1)).first()
        if run is None:
            return None
        return {"status": "skipped", "reason": "already collected since this job was queued",
                "sync_run_id": run.id, "workspace_id": run.workspace_id}


def _begin(connection_id: int) -> dict[str, Any]:
    with db.session() as s:
        conn = s.get(PlatformConnection, connection_id)
        if conn is None:
            return {"status": "skipped", "reason": f"connection {connection_id} no longer exists"}
        if conn.status in SKIP_STATUSES:
            return {"status": "skipped", "reason": f"connection is {conn.status}; reconnect it to sync again"}
        run = SyncRun(workspace_id=conn.workspace_id, connection_id=connection_id)
        s.add(run)
        s.flush()
        since = (conn.last_synced_at - OVERLAP).date() if conn.last_synced_at else None
        return {"run_id": run.id, "workspace_id": conn.workspace_id, "platform": conn.platform, "since": since,
                "account": AccountRef(conn.platform_user_id, conn.username, dict(conn.details or {}))}


async def _fetch(adapter, client: httpx.AsyncClient, connection_id: int, since: date | None, account: AccountRef):
    token = await tokens.access_token(connection_id)
    try:
        return await adapter.collect(client, token, since=since, account=account)
    except AuthExpired:
        # The platform may have revoked the token early: one forced refresh, then one retry.
        token = await tokens.force_refresh(connection_id)
        return await adapter.collect(client, token, since=since, account=account)


def _save(run_id: int, connection_id: int, result) -> dict[str, int]:
    # A concurrent collect of the same account may insert the same keys first: one re-run
    # of the whole transaction then finds those rows and updates them instead.
    for attempt in (1, 2):
        try:
            with db.session() as s:
                conn = s.get(PlatformConnection, connection_id)
                counts = write_collected(s, conn, result)
                now = db.utcnow()
                conn.last_synced_at = now
                conn.last_error = ""
                if conn.status == ConnectionStatus.error:
                    conn.status = ConnectionStatus.active
                run = s.get(SyncRun, run_id)
                run.status, run.finished_at, run.counts, run.error = SyncStatus.success, now, counts, ""
                return counts
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _fail(run_id: int, connection_id: int, message: str, *, expired: bool = False, notify: bool = False) -> None:
    with db.session() as s:
        run = s.get(SyncRun, run_id)
        if run is not None:
            run.status, run.finished_at, run.error = SyncStatus.failed, db.utcnow(), message[:2000]
        conn = s.get(PlatformConnection, connection_id)
        if conn is None:
            return
        conn.last_error = message[:2000]
        conn.updated_at = db.utcnow()
        if expired:
            # services.tokens may already have marked it (and notified) when the refresh failed.
            if conn.status != ConnectionStatus.expired:
                _notify(s, conn, "token_expired", f"Reconnect {_label(conn)}: {message}")
            conn.status = ConnectionStatus.expired
        elif notify:
            # A refusal retrying will not fix (a permission, a bad answer): the card says "sync
            # failed" with the reason until a sync succeeds. Publishing is not blocked by it.
            if conn.status == ConnectionStatus.active:
                conn.status = ConnectionStatus.error
            _notify(s, conn, "sync_failed", f"Syncing {_label(conn)} failed: {message}")


def record_gave_up(connection_id: int, message: str) -> None:
    """The job ran out of retries: tell the artist (transient failures are silent until then)."""
    with db.session() as s:
        conn = s.get(PlatformConnection, connection_id)
        if conn is not None:
            if conn.status == ConnectionStatus.active:
                conn.status = ConnectionStatus.error
            _notify(s, conn, "sync_failed", f"Syncing {_label(conn)} keeps failing: {message}")


def _notify(s: Session, conn: PlatformConnection, kind: str, message: str) -> None:
    notify(s, conn.workspace_id, kind, message, link="/connections")


def abandon_stale_runs(now: datetime | None = None) -> int:
    """Sync runs still "running" long after any job could (a worker died): mark them abandoned."""
    cutoff = (now or db.utcnow()) - ABANDON_AFTER
    with db.session() as s:
        res = s.exec(update(SyncRun).where(SyncRun.status == SyncStatus.running, SyncRun.started_at < cutoff)
                     .values(status=SyncStatus.abandoned, finished_at=db.utcnow(),
                             error="The sync stopped without finishing (the worker was interrupted).")
                     .execution_options(synchronize_session=False))
        return res.rowcount or 0


def _label(conn: PlatformConnection) -> str:
    return account_label(conn.platform, conn.username)


# ------------------------------------------------------------------ triggers and history
async def request_sync(scope: Scope, connection_id: int) -> bool:
    """"Sync now": True when a job was queued, False when one is already queued this minute."""
    await db.run(_check_syncable, scope, connection_id)
    return await queue.enqueue_collect(connection_id, db.utcnow().date(), manual=True)


def _check_syncable(scope: Scope, connection_id: int) -> None:
    scope.require(Role.editor)
    with db.session() as s:
        conn = get_scoped(s, scope, PlatformConnection, connection_id)
        if conn.status in SKIP_STATUSES:
            raise SyncError(f"{_label(conn)} is {conn.status}: reconnect it before syncing.")


def sync_history(scope: Scope, connection_id: int | None = None, limit: int = 20) -> list[dict[str, Any]]:
    with db.session() as s:
        stmt = scoped(scope, SyncRun)
        if connection_id is not None:
            get_scoped(s, scope, PlatformConnection, connection_id)  # NotFound for foreign ids
            stmt = stmt.where(SyncRun.connection_id == connection_id)
        runs = s.exec(stmt.order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(limit)).all()
        return [
            {"id": r.id, "connection_id": r.connection_id, "status": r.status, "started_at": r.started_at,
             "finished_at": r.finished_at, "counts": dict(r.counts or {}), "error": r.error}
            for r in runs
        ]


async def enqueue_daily(day: date) -> int:
    """One collect per connection that can still sync; returns how many jobs were new."""
    queued = 0
    for cid in await db.run(_syncable_ids):
        queued += await queue.enqueue_collect(cid, day)
    return queued


def _syncable_ids() -> list[int]:
    with db.session() as s:
        return list(s.exec(
            select(PlatformConnection.id).where(PlatformConnection.status.not_in(list(SKIP_STATUSES)))
        ).all())
