"""Sending one destination exactly once, and the reconciler that keeps the queue honest.

The database is the source of truth: a destination is sent only by whoever moves it from
pending to publishing in one conditional UPDATE. A request that may have reached the
platform is never re-sent automatically; it becomes `unconfirmed` for the artist to check.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import bindparam, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from dreamsuite import db, events, queue
from dreamsuite.models import (
    ConnectionStatus,
    DestinationEvent,
    DestinationStatus as DS,
    PlatformConnection,
    PostDestination,
    PostStatus,
    ScheduledPost,
)
from dreamsuite.platforms import account_label, get_adapter
from dreamsuite.platforms.base import (
    HTTP_TIMEOUT, AccountRef, AuthExpired, OutcomeUnknown, PlatformError, ProcessingFailed, PublishRequest,
    RateLimited, Throttled, TransientError,
)
from dreamsuite.services import media, ratelimits, tokens
from dreamsuite.services.first_comment import after_publish
from dreamsuite.services.post_checks import text_for
from dreamsuite.services.post_history import history, history_row
from dreamsuite.services.send_retry import waiting_out_refusals
from dreamsuite.services import notifications
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The longest wait worth holding a publish job for (see services/send_retry).
IN_JOB_WAIT = 5.0
STUCK_AFTER = timedelta(minutes=10)
# The reconciler leaves alone what just fell due: its own job is running or about to.
RECONCILE_GRACE = timedelta(seconds=20)
# A post the platform is still processing is first looked at after this (publish_check).
FIRST_CHECK = timedelta(seconds=30)
# Batches one publish job claims at most, one after the other while what is due keeps coming
# (settings: publish_drain_rounds); set here to override it (tests).
DRAIN_ROUNDS: int | None = None
# A job may fire a moment before scheduled_at (clock skew between hosts): still fine.
EARLY_GRACE = timedelta(seconds=5)


def idempotency_key(destination_id: int) -> str:
    return f"dreamsuite-dest-{destination_id}"


@dataclass(frozen=True)
class Claimed:
    """What one send needs, read in the transaction that claimed the destination."""

    destination_id: int
    workspace_id: int
    post_id: int
    attempts: int
    connection_id: int
    platform: str
    connection_status: str
    request: PublishRequest
    account: AccountRef
    scheduled_at: datetime  # names the job (see queue.publish_job_id)
    connection: PlatformConnection  # read with the claim: its token needs no second trip
    first_comment: bool  # the post has one: after_publish looks further


def _claim(destination_id: int | None, now: datetime, batch: int = 1) -> list[Claimed]:
    """pending → publishing in conditional UPDATEs: only one caller ever gets a row. First the
    job's own destination (due, or within EARLY_GRACE of it: clock skew between hosts); then, with
    `batch` > 1, up to batch - 1 more destinations already due (never early), passing over rows
    another worker is claiming this instant (SKIP LOCKED on PostgreSQL; SQLite has one writer).
    Their own jobs find them taken and skip. The same transaction reads what the sends need,
    tokens included, and notes the step in each destination's history. Without a destination of
    its own (a job draining what is due), only destinations already due."""
    with db.session() as s:
        return _claim_in(s, destination_id, now, batch)


def _claim_in(s: Session, destination_id: int, now: datetime, batch: int) -> list[Claimed]:
    due_posts = select(ScheduledPost.id).where(ScheduledPost.scheduled_at <= now + EARLY_GRACE)
    claim = (update(PostDestination)
             .values(status=DS.publishing, attempts=PostDestination.attempts + 1, updated_at=now)
             .returning(PostDestination.id, PostDestination.attempts)
             .execution_options(synchronize_session=False))
    got = []
    if destination_id is not None:
        got = s.execute(claim.where(PostDestination.id == destination_id, PostDestination.status == DS.pending,
                                    PostDestination.post_id.in_(due_posts))).all()
        if not got:
            return []  # done, cancelled, not due, or another worker holds it
    if batch > len(got):
        # Picked first, then claimed: inside `IN (…)` PostgreSQL may run a LIMIT … SKIP LOCKED
        # subquery more than once and so claim more than the limit.
        others = list(s.exec(select(PostDestination.id)
                             .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                             .where(PostDestination.status == DS.pending, ScheduledPost.scheduled_at <= now,
                                    PostDestination.id != (destination_id or 0))
                             .order_by(ScheduledPost.scheduled_at, PostDestination.id)
                             .limit(batch - len(got))
                             .with_for_update(of=PostDestination, skip_locked=True)))
        if others:
            got += s.execute(claim.where(PostDestination.id.in_(others),
                                         PostDestination.status == DS.pending)).all()
    if not got:
        return []
    attempts = {dest_id: n for dest_id, n in got}
    rows = {dest_id: (post, conn) for dest_id, post, conn in s.exec(
        select(PostDestination.id, ScheduledPost, PlatformConnection)
        .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
        .join(PlatformConnection, PlatformConnection.id == PostDestination.connection_id)
        .where(PostDestination.id.in_(list(attempts))))}
    # Posts are locked in id order, as the finish's rollups lock them: two workers never wait
    # on each other in a circle.
    starting = list(s.exec(select(ScheduledPost.id)
                           .where(ScheduledPost.id.in_({post.id for post, _ in rows.values()}),
                                  ScheduledPost.status == PostStatus.scheduled)
                           .order_by(ScheduledPost.id).with_for_update()))
    if starting:
        s.exec(update(ScheduledPost).where(ScheduledPost.id.in_(starting),
                                           ScheduledPost.status == PostStatus.scheduled)
               .values(status=PostStatus.publishing, updated_at=now)
               .execution_options(synchronize_session=False))  # the posts read above are not asked their status
    claimed, steps = [], []
    for dest_id, n in got:
        post, conn = rows[dest_id]
        steps.append(history_row(post.workspace_id, dest_id, DS.publishing,
                                 "Sending" if n == 1 else f"Sending again (attempt {n})", now))
        claimed.append(Claimed(
            dest_id, post.workspace_id, post.id, n, conn.id, conn.platform, conn.status,
            PublishRequest(text=text_for(post, conn.platform), media=_media(s, post),
                           idempotency_key=idempotency_key(dest_id)),
            AccountRef(conn.platform_user_id, conn.username, dict(conn.details or {})),
            post.scheduled_at, conn, bool((post.first_comment or "").strip())))
    s.connection().execute(DestinationEvent.__table__.insert(), steps)  # one statement, not an object a row
    return claimed


def _media(s: Session, post: ScheduledPost) -> list[dict]:
    """The post's library media as addresses the platform can fetch, in the post's order. Items
    already given as addresses (a post made by hand, not through the composer) go as they are."""
    items = list(post.media or [])
    if any(isinstance(m, dict) for m in items):
        return [m for m in items if isinstance(m, dict)]
    return media.publish_items(post.workspace_id, items, s)


# Per event loop (a worker process has one; tests race threads with loops of their own): the
# destinations its batches are sending now, and the lock its claims take turns on.
_processes: dict[int, tuple[set[int], asyncio.Lock]] = {}


def _this_process() -> tuple[set[int], asyncio.Lock]:
    key = id(asyncio.get_running_loop())
    here = _processes.get(key)
    if here is None:
        here = _processes[key] = (set(), asyncio.Lock())
    return here


async def publish_destination(destination_id: int, *, client: httpx.AsyncClient | None = None,
                              batch: int = 1) -> str:
    """Publish one destination if it is still pending; returns its resulting status (or "skipped").
    With `batch` > 1 (the worker's job), other destinations already due go out with it.

    A failure at the claim (the database unreachable) changes nothing: the destination stays
    pending and the reconciler sends it on its next pass.
    """
    sending, claiming = _this_process()
    if destination_id in sending:
        return "skipped"  # one of this process's batches is sending it now: no trip to the database
    own_client = client is None
    client = client or httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    writer = _Writer()
    tasks: list[asyncio.Future] = []

    async def one(c: Claimed) -> str:
        try:
            return await _publish_claimed(c, client, writer)
        finally:  # before a retry's job can start (it is deferred): that job must claim it again
            sending.discard(c.destination_id)

    async def take(own: int | None) -> int:
        # One claim at a time per process: a burst's jobs then make a few full batches instead of
        # dozens of small claims fighting over the same rows (each costs the same few statements).
        async with claiming:
            if own is not None and own in sending:
                return 0
            claimed = await db.run(_claim, own, db.utcnow(), batch)
            sending.update(c.destination_id for c in claimed)
            tasks.extend(asyncio.ensure_future(one(c)) for c in claimed)  # sending starts now
        await _forget_jobs(claimed if own is None else claimed[1:])
        return len(claimed)

    try:
        claimed_now = await take(destination_id)
        if not claimed_now:
            return "skipped"
        # A full batch means more is due: this job goes on claiming what is due, batch after
        # batch while the first ones are sent, instead of leaving each batch to the next job
        # the queue happens to start (a burst then waits on the queue's polling, not on sends).
        rounds = 1
        most = DRAIN_ROUNDS or get_settings().publish_drain_rounds
        while batch > 1 and claimed_now == batch and rounds < most:
            rounds += 1
            try:
                claimed_now = await take(None)
            except Exception:  # the database away: what is claimed goes out; the rest waits its job
                log.warning("could not claim more due destinations", exc_info=True)
                break
        results = await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if own_client:
            await client.aclose()
    for result in results:  # a bug or a cancellation: each send recorded its own state first
        if isinstance(result, BaseException):
            raise result
    return results[0]


async def _publish_claimed(claimed: Claimed, client: httpx.AsyncClient, writer: "_Writer") -> str:
    destination_id = claimed.destination_id
    sent = False
    try:
        if claimed.connection_status in (ConnectionStatus.expired, ConnectionStatus.revoked):
            raise PlatformError(f"The account is {claimed.connection_status}: reconnect it and schedule again.")
        adapter = get_adapter(claimed.platform, ratelimits.gate())
        token = await tokens.access_token(claimed.connection_id, row=claimed.connection)
        sent = True  # from here on the request may reach the platform
        try:
            result = await _send(adapter, client, token, claimed)
        except AuthExpired:
            # A 401 means nothing was accepted: one forced refresh and one more send is safe
            # (same idempotency key). A second 401, or a refused refresh, fails the destination.
            result = await _send(adapter, client, await tokens.force_refresh(claimed.connection_id), claimed)
    except OutcomeUnknown as exc:
        status = await writer.finish(destination_id, DS.unconfirmed, error=exc.message, notify=True)
    except (RateLimited, TransientError) as exc:
        # Raised before the platform accepted anything (the adapter maps post-send
        # timeouts to OutcomeUnknown), so sending again later is safe.
        status = await _retry_later(destination_id, claimed.attempts, exc, claimed.scheduled_at)
    except PlatformError as exc:  # PermanentError, AuthExpired, NotSupported
        status = await writer.finish(destination_id, DS.failed, error=exc.message, notify=True)
    except BaseException as exc:  # a bug or a cancelled job: record what we know, then re-raise
        msg = f"Interrupted while publishing ({type(exc).__name__})"
        if sent:
            await db.run(_finish, destination_id, DS.unconfirmed, error=msg, notify=True)
        elif claimed.attempts < MAX_ATTEMPTS:
            await db.run(_release, destination_id, msg)  # nothing went out: the reconciler re-enqueues it
        else:
            await db.run(_finish, destination_id, DS.failed, error=msg, notify=True)
        raise
    else:
        if result.processing:  # accepted; a read-only look later says when it is live (publish_check)
            check_at = db.utcnow() + FIRST_CHECK
            status = await writer.finish(destination_id, DS.processing, remote_id=result.platform_post_id,
                                         platform_url=result.url, check_after=check_at, error="")
            if status == DS.processing:
                await enqueue_check(destination_id, check_at)
        else:
            status = await writer.finish(destination_id, DS.published, platform_post_id=result.platform_post_id,
                                         platform_url=result.url, published_at=db.utcnow(), error="")
        if status == DS.published and claimed.first_comment:  # it goes out as a job of its own
            await after_publish(destination_id)
    await _announce(claimed.workspace_id, post_id=claimed.post_id, destination_id=destination_id, status=status)
    return status


async def _forget_jobs(others: list[Claimed]) -> None:
    """The batch's other destinations have jobs of their own, which would start only to skip:
    out of the queue with them (each was enqueued under its attempts so far and its due time)."""
    try:
        await queue.forget_publish_jobs([(c.destination_id, c.attempts - 1, c.scheduled_at) for c in others])
    except Exception:  # left in the queue, they skip: the claim, not the queue, decides
        log.warning("could not take claimed destinations' jobs out of the queue", exc_info=True)


class _Writer:
    """A batch's outcomes written together: those that arrive while a write runs go in the next
    one (group commit), so twenty sends cost a few transactions, not twenty."""

    def __init__(self) -> None:
        self._waiting: list[tuple[tuple, asyncio.Future]] = []
        self._lock = asyncio.Lock()

    async def finish(self, destination_id: int, status: DS, *, notify: bool = False, **values) -> str:
        mine = asyncio.get_running_loop().create_future()
        self._waiting.append(((destination_id, status, notify, values), mine))
        async with self._lock:
            if not mine.done():
                batch, self._waiting = self._waiting, []
                try:
                    done = await db.run(_finish_many, [item for item, _ in batch])
                except BaseException as exc:
                    for _, fut in batch:
                        if fut is not mine:
                            fut.set_exception(exc)
                    raise
                for (item, fut) in batch:
                    fut.set_result(done[item[0]])
        return mine.result()


async def _send(adapter, client: httpx.AsyncClient, token: str, claimed: Claimed):
    """Send, waiting out short refusals inside the job (services/send_retry); a longer wait goes up
    to the caller, which re-enqueues: a re-enqueue costs arq's polling and two more transactions."""
    return await waiting_out_refusals(lambda: _within_posting_limits(adapter, client, token, claimed),
                                      gate_wait=IN_JOB_WAIT, platform_wait=IN_JOB_WAIT)


async def _within_posting_limits(adapter, client: httpx.AsyncClient, token: str, claimed: Claimed):
    """One send, in its place among the account's posts of the platform's window (held back with
    Throttled when there is none). A refusal before acceptance gives the place back; a send that
    may have gone out keeps it, as the platform may have counted it."""
    account, key = claimed.account.platform_user_id, f"dest-{claimed.destination_id}"
    await ratelimits.reserve_post(claimed.platform, account, key)
    try:
        return await adapter.publish(client, token, claimed.request, account=claimed.account)
    except (OutcomeUnknown, ProcessingFailed):
        raise
    except PlatformError:
        await ratelimits.release_post(claimed.platform, account, key)
        raise


def _finish(destination_id: int, status: DS, *, notify: bool = False, **values) -> str:
    return _finish_many([(destination_id, status, notify, values)])[destination_id]


# Where each outcome may be written from. A confirmed success also overrides the reconciler's
# "unconfirmed" guess; a post the platform is processing ends published, failed or unconfirmed.
FROM_STATES = {
    DS.published: (DS.publishing, DS.unconfirmed, DS.processing),
    DS.processing: (DS.publishing, DS.processing),
    DS.failed: (DS.publishing, DS.processing),
    DS.unconfirmed: (DS.publishing, DS.processing),
}


def _finish_many(items: list[tuple[int, DS, bool, dict]]) -> dict[int, str]:
    """Each (destination, status, notify, values) recorded in one transaction, from the states
    FROM_STATES allows (else whoever got there first stands); returns each destination's
    resulting status. Outcomes of one shape go in one executemany UPDATE, their history lines in
    one INSERT: a burst's writes cost a few statements, not a few per post."""
    now = db.utcnow()
    wanted = {destination_id: (status, notify, values) for destination_id, status, notify, values in items}
    shapes: dict[tuple, list[dict]] = defaultdict(list)
    for destination_id, (status, _, values) in wanted.items():
        shapes[(status, tuple(sorted(values)))].append(
            {"b_id": destination_id, **{f"b_{k}": v for k, v in values.items()}})
    table = PostDestination.__table__
    out: dict[int, str] = {}
    posts: set[int] = set()
    events: list[dict] = []
    with db.session() as s:
        conn = s.connection()
        for (status, keys), params in shapes.items():
            conn.execute(table.update()
                         .where(table.c.id == bindparam("b_id"),  # (no IN: executemany takes no list)
                                or_(*(table.c.status == st for st in FROM_STATES.get(status, (DS.publishing,)))))
                         .values(status=status, updated_at=now, **{k: bindparam(f"b_{k}") for k in keys}),
                         params)
        for destination_id, current, post_id, workspace_id, connection_id, updated_at in s.exec(
                select(PostDestination.id, PostDestination.status, PostDestination.post_id,
                       PostDestination.workspace_id, PostDestination.connection_id, PostDestination.updated_at)
                .where(PostDestination.id.in_(list(wanted)))):
            out[destination_id] = current
            status, notify, values = wanted[destination_id]
            if current != status or updated_at != now:
                continue  # the reconciler got there first; its verdict stands
            said = values.get("error") or (values.get("platform_url") or "" if status == DS.published else "")
            if status == DS.processing:
                said = "Sent; the platform is still processing it"
            events.append(history_row(workspace_id, destination_id, status, said, now))
            if notify:
                _tell(s, workspace_id, connection_id, status, values.get("error", ""))
            posts.add(post_id)
        if events:
            conn.execute(DestinationEvent.__table__.insert(), events)
        if posts:
            rollup_many(s, list(posts))  # locked in id order, as the claim locks them
    return out


def _tell(s: Session, workspace_id: int, connection_id: int, status: DS, error: str) -> None:
    """Tell the artist about a destination that was not published, or may have been."""
    conn = s.get(PlatformConnection, connection_id)
    what = ("may have been published: check the account before posting it again"
            if status == DS.unconfirmed else "was not published")
    notifications.notify(s, workspace_id, "publish_failed", f"Your post to {_label(conn)} {what}. {error}",
                         link="/composer")


async def _retry_later(destination_id: int, attempts: int, exc: PlatformError, due: datetime) -> str:
    # Held back by our own gate (a long cooldown, a used-up daily quota), nothing was sent:
    # waiting it out never gives up. `attempts` still counts it, so each job id is new.
    if attempts >= MAX_ATTEMPTS and not isinstance(exc, Throttled):
        return await db.run(_finish, destination_id, DS.failed, notify=True,
                            error=f"Gave up after {attempts} attempts: {exc.message}")
    said = isinstance(exc, RateLimited) and exc.said
    delay = exc.retry_after if said else min(5 * 2 ** (attempts - 1), 1800)
    if not await db.run(_release, destination_id, exc.message):
        return await db.run(_status, destination_id)
    try:
        # A new job id per attempt: the finished job's kept result would swallow a reused one.
        await queue.enqueue_publish(destination_id, db.utcnow() + timedelta(seconds=delay), attempt=attempts, due=due)
    except Exception:  # Redis down: the reconciler re-enqueues due pending destinations
        log.warning("could not re-enqueue destination %s", destination_id, exc_info=True)
    return "retrying"


def _release(destination_id: int, message: str) -> bool:
    """publishing → pending (only from publishing: a reconciler verdict is never undone)."""
    with db.session() as s:
        got = s.execute(update(PostDestination)
                        .where(PostDestination.id == destination_id, PostDestination.status == DS.publishing)
                        .values(status=DS.pending, error=message[:2000], updated_at=db.utcnow())
                        .returning(PostDestination.workspace_id)
                        .execution_options(synchronize_session=False)).first()
        if got is not None:
            history(s, got[0], destination_id, DS.pending, f"Will try again: {message}")
        return got is not None


def _status(destination_id: int) -> str:
    with db.session() as s:
        return s.get(PostDestination, destination_id).status


def rollup(s: Session, post_id: int) -> str:
    return rollup_many(s, [post_id])[post_id]


def rollup_many(s: Session, post_ids: list[int]) -> dict[int, str]:
    """Each post's status from its destinations'.

    The post rows are locked first, in id order (FOR UPDATE; SQLite serialises writers anyway),
    so two destinations finishing at once cannot each miss the other's write and leave the post
    "publishing" forever. An unconfirmed destination is never reported as failed: the post may
    be live, and "failed" would invite the artist to post it again by hand. Only the ids and
    statuses are read, and the changed ones written in one statement: a burst's batch of fifty
    posts is not fifty objects loaded and flushed one by one.
    """
    ids = sorted(set(post_ids))
    now_status = dict(s.exec(select(ScheduledPost.id, ScheduledPost.status).where(ScheduledPost.id.in_(ids))
                             .order_by(ScheduledPost.id).with_for_update()).all())
    statuses: dict[int, list[str]] = {i: [] for i in ids}
    for post_id, status in s.exec(select(PostDestination.post_id, PostDestination.status)
                                  .where(PostDestination.post_id.in_(ids), PostDestination.status != DS.cancelled)):
        statuses[post_id].append(status)
    out, changed = {}, []
    for post_id, status in now_status.items():
        new = out[post_id] = _post_status(statuses[post_id])
        if status != new:
            changed.append({"b_id": post_id, "b_status": new})
    if changed:
        table, now = ScheduledPost.__table__, db.utcnow()
        s.connection().execute(table.update().where(table.c.id == bindparam("b_id"))
                               .values(status=bindparam("b_status"), updated_at=now), changed)
        for c in changed:  # a caller's own copy (cancel_post) says what was written
            post = s.identity_map.get(s.identity_key(ScheduledPost, c["b_id"]))
            if post is not None:
                set_committed_value(post, "status", c["b_status"])
                set_committed_value(post, "updated_at", now)
    return out


def _post_status(statuses: list[str]) -> PostStatus:
    if not statuses:
        return PostStatus.cancelled
    if DS.publishing in statuses or DS.processing in statuses or (DS.pending in statuses and len(set(statuses)) > 1):
        return PostStatus.publishing
    if DS.pending in statuses:
        return PostStatus.scheduled
    if all(x == DS.published for x in statuses):
        return PostStatus.published
    if DS.unconfirmed in statuses:
        return PostStatus.unconfirmed
    if DS.published in statuses:
        return PostStatus.partially_failed
    return PostStatus.failed


async def reconcile(now: datetime | None = None) -> int:
    """Re-enqueue due pending destinations without a job; publishing for too long → unconfirmed.

    Returns how many destinations it acted on.
    """
    now = now or db.utcnow()
    stuck, due, looks = await db.run(_reconcile_rows, now)
    acted = stuck
    for dest_id, attempts, scheduled_at in due:
        # Same id as the job that should exist: a no-op when it is still queued or deferred.
        acted += await queue.enqueue_publish(dest_id, now, attempt=attempts, due=scheduled_at)
    for dest_id, check_after in looks:  # a post being processed whose look was lost
        acted += await queue.enqueue_publish_check(dest_id, check_after)
    return acted


def _reconcile_rows(now: datetime) -> tuple[int, list[tuple[int, int, datetime]], list[tuple[int, datetime]]]:
    with db.session() as s:
        stuck = s.exec(select(PostDestination).where(
            PostDestination.status == DS.publishing, PostDestination.updated_at < now - STUCK_AFTER)).all()
        for dest in stuck:
            # It may have been sent before the worker died: never pending again.
            dest.status, dest.updated_at = DS.unconfirmed, db.utcnow()
            dest.error = "The worker stopped while publishing; check the account before posting again."
            s.add(dest)
            s.flush()
            history(s, dest.workspace_id, dest.id, DS.unconfirmed, dest.error)
            _tell(s, dest.workspace_id, dest.connection_id, DS.unconfirmed, dest.error)
            rollup(s, dest.post_id)
        due = s.exec(select(PostDestination.id, PostDestination.attempts, ScheduledPost.scheduled_at)
                     .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                     .where(PostDestination.status == DS.pending,
                            ScheduledPost.scheduled_at <= now - RECONCILE_GRACE)).all()
        looks = s.exec(select(PostDestination.id, PostDestination.check_after)
                       .where(PostDestination.status == DS.processing,
                              PostDestination.check_after <= now - RECONCILE_GRACE)).all()
    return len(stuck), [(d, a, at) for d, a, at in due], [(d, at) for d, at in looks]


async def enqueue_check(destination_id: int, when: datetime) -> None:
    try:
        await queue.enqueue_publish_check(destination_id, when)
    except Exception:  # Redis down: the reconciler enqueues a check whose time has passed
        log.warning("could not enqueue the check of destination %s", destination_id, exc_info=True)


def _label(conn: PlatformConnection | None) -> str:
    return account_label(conn.platform, conn.username) if conn else "an account"


async def _announce(ws_id: int, **data) -> None:
    try:
        await events.announce(ws_id, "publish", **data)
    except Exception:  # the outcome is stored; a missed live update only delays a refresh
        log.warning("could not announce publish event", exc_info=True)
