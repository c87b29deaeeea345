"""Posts a platform accepted but is still processing (a TikTok video being transcoded): read-only
looks until the post is live, failed, or too long in the making.

Nothing is sent again here: the post went out once, and these calls only ask where it stands
(`adapter.check_publish`). Looks come further apart as the wait grows (a quarter of the time
waited so far, from 30 seconds to 10 minutes); a look that fails (the platform down, a 429) is
simply tried later. After PROCESSING_LIMIT the destination is unconfirmed, for the artist to
check on the platform: never resent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, update
from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import DestinationEvent, DestinationStatus as DS, PlatformConnection, PostDestination, ScheduledPost
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms.base import HTTP_TIMEOUT, AccountRef, NotSupported, PlatformError, ProcessingFailed
from dreamsuite.services import ratelimits, tokens
from dreamsuite.services.first_comment import after_publish
from dreamsuite.services.publish_run import _announce, _finish, enqueue_check

log = logging.getLogger(__name__)

PROCESSING_LIMIT = timedelta(hours=2)
MIN_GAP, MAX_GAP = timedelta(seconds=30), timedelta(minutes=10)


@dataclass(frozen=True)
class Processing:
    workspace_id: int
    post_id: int
    remote_id: str
    platform: str
    connection: PlatformConnection
    account: AccountRef
    started: datetime  # when the platform first said "processing"
    first_comment: bool


def _processing(destination_id: int) -> Processing | None:
    with db.session() as s:
        found = s.exec(select(PostDestination, ScheduledPost.first_comment, PlatformConnection)
                       .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                       .join(PlatformConnection, PlatformConnection.id == PostDestination.connection_id)
                       .where(PostDestination.id == destination_id, PostDestination.status == DS.processing)).first()
        if found is None:
            return None  # live, failed or unconfirmed meanwhile
        dest, first_comment, conn = found
        started = s.exec(select(func.min(DestinationEvent.at))
                         .where(DestinationEvent.destination_id == destination_id,
                                DestinationEvent.status == DS.processing)).one()
        return Processing(dest.workspace_id, dest.post_id, dest.remote_id, conn.platform, conn,
                          AccountRef(conn.platform_user_id, conn.username, dict(conn.details or {})),
                          started or dest.updated_at, bool((first_comment or "").strip()))


def _look_again_at(destination_id: int, when: datetime) -> bool:
    with db.session() as s:
        got = s.execute(update(PostDestination)
                        .where(PostDestination.id == destination_id, PostDestination.status == DS.processing)
                        .values(check_after=when, updated_at=db.utcnow())
                        .execution_options(synchronize_session=False))
        return got.rowcount == 1


def next_look(started: datetime, now: datetime) -> datetime:
    return now + min(MAX_GAP, max(MIN_GAP, (now - started) / 4))


async def check_processing(destination_id: int, *, client: httpx.AsyncClient | None = None) -> str:
    """One look at a destination the platform is processing; returns its status then (or "skipped")."""
    p = await db.run(_processing, destination_id)
    if p is None:
        return "skipped"
    own_client = client is None
    client = client or httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    try:
        adapter = get_adapter(p.platform, ratelimits.gate())
        token = await tokens.access_token(p.connection.id, row=p.connection)
        result = await adapter.check_publish(client, token, p.remote_id, p.account)
    except ProcessingFailed as exc:
        return await _done(p, destination_id, await db.run(_finish, destination_id, DS.failed, error=exc.message,
                                                           notify=True))
    except NotSupported:
        return await _done(p, destination_id, await db.run(
            _finish, destination_id, DS.unconfirmed, notify=True,
            error="The platform was still processing the post and cannot be asked about it: check the account."))
    except PlatformError as exc:  # a look that failed says nothing about the post: look again later
        log.info("could not look at destination %s: %s", destination_id, exc.message)
        result = None
    finally:
        if own_client:
            await client.aclose()
    now = db.utcnow()
    if result is not None and not result.processing:
        status = await db.run(_finish, destination_id, DS.published, platform_post_id=result.platform_post_id,
                              platform_url=result.url or "", published_at=now, error="")
        if status == DS.published and p.first_comment:
            await after_publish(destination_id)
        return await _done(p, destination_id, status)
    if now - p.started >= PROCESSING_LIMIT:
        hours = PROCESSING_LIMIT.total_seconds() / 3600
        return await _done(p, destination_id, await db.run(
            _finish, destination_id, DS.unconfirmed, notify=True,
            error=f"The platform was still processing the post after {hours:g} hours: check the account."))
    when = next_look(p.started, now)
    if await db.run(_look_again_at, destination_id, when):
        await enqueue_check(destination_id, when)
    return DS.processing


async def _done(p: Processing, destination_id: int, status: str) -> str:
    await _announce(p.workspace_id, post_id=p.post_id, destination_id=destination_id, status=status)
    return status
