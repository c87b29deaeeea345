"""A post's first comment, posted under the published post by a job of its own.

Once a destination is published, `after_publish` enqueues the `first_comment` job (one job id per
destination) where the post has a first comment and the platform takes comments through its API;
where it does not, the destination's history says so. A comment is a second irreversible send, so
it gets the post's care: one claim, one send, an unknown state. The claim is a step in the
destination's history ("comment_sending"), written while the destination's row is locked, so two
runs of the job (arq re-runs an interrupted one) never both send. A 429 or 5xx before the platform
accepted the comment is sent again a few times after a short wait (with the same idempotency key
where the platform takes one); a lost answer is "comment_unknown" and never sent again; a refusal
is "comment_failed" with the platform's words. The outcome never changes the post's status; a
failure or an unknown outcome notifies the artist.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update
from sqlmodel import Session, select

from dreamsuite import db, events, queue
from dreamsuite.models import (
    ConnectionStatus,
    DestinationEvent,
    DestinationStatus as DS,
    PlatformConnection,
    PostDestination,
    ScheduledPost,
)
from dreamsuite.platforms import UnknownPlatform, account_label, get_adapter
from dreamsuite.platforms.base import (
    HTTP_TIMEOUT, AccountRef, AuthExpired, OutcomeUnknown, PlatformError,
)
from dreamsuite.services import notifications, ratelimits, tokens
from dreamsuite.services.post_history import history
from dreamsuite.services.send_retry import waiting_out_refusals

log = logging.getLogger(__name__)

# The steps a first comment goes through, as the destination's history names them (20 characters
# at most: the column's size).
SENDING = "comment_sending"
POSTED = "comment_posted"
FAILED = "comment_failed"
UNKNOWN = "comment_unknown"
RETRYING = "comment_retrying"  # interrupted before anything went out: a later run may send
UNSUPPORTED = "comment_unsupported"
FINAL = frozenset({POSTED, FAILED, UNKNOWN, UNSUPPORTED})

# The longest wait the platform may ask for before we give up, and the longest our own rate gate
# may hold us (see services/send_retry).
PLATFORM_WAIT = 5.0
GATE_WAIT = 30.0
# The job's time limit (workers/main.py): a "sending" step older than this (and a margin) belongs
# to a run that died without a word.
JOB_TIMEOUT = 120
STALE_SENDING = timedelta(seconds=JOB_TIMEOUT + 60)


def idempotency_key(destination_id: int) -> str:
    return f"dreamsuite-comment-{destination_id}"


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# ---------------------------------------------------------------- after the post went out
async def after_publish(destination_id: int) -> bool:
    """Called once a destination is published: its first comment's job is enqueued when there is
    something to post and the platform can take it (True). Never raises: the post is out whatever
    happens here."""
    try:
        if not await db.run(_wanted, destination_id):
            return False
        await queue.enqueue_first_comment(destination_id)
        return True
    except Exception as exc:  # Redis or the database down: say so, the artist can comment by hand
        log.warning("could not enqueue the first comment of destination %s", destination_id, exc_info=True)
        try:
            await db.run(_not_queued, destination_id, type(exc).__name__)
        except Exception:
            log.warning("could not record that the first comment was not queued", exc_info=True)
        return False


def _wanted(destination_id: int) -> bool:
    """Whether the destination's first comment should be sent; a platform without comments in its
    API gets a line in the history instead."""
    with db.session() as s:
        found = s.exec(select(PostDestination, ScheduledPost.first_comment, PlatformConnection.platform)
                       .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                       .join(PlatformConnection, PlatformConnection.id == PostDestination.connection_id)
                       .where(PostDestination.id == destination_id)).first()
        if found is None or not (found[1] or "").strip():
            return False
        dest, _, platform = found
        try:
            adapter = get_adapter(platform)
        except UnknownPlatform:
            return False
        if not adapter.can_comment:
            history(s, dest.workspace_id, dest.id, UNSUPPORTED, _unsupported(adapter.label))
            return False
        return True


def _unsupported(label: str) -> str:
    return f"{label} takes no comments through its API: the first comment was not posted. Add it in the {label} app."


def _not_queued(destination_id: int, why: str) -> None:
    with db.session() as s:
        dest = s.get(PostDestination, destination_id)
        if dest is not None:
            message = (f"The first comment could not be queued ({why}): it was not posted. Add it on the platform "
                       "by hand.")
            history(s, dest.workspace_id, dest.id, FAILED, message)
            _tell(s, dest.workspace_id, dest.connection_id, FAILED, message)


# ---------------------------------------------------------------- the job
@dataclass(frozen=True)
class Claimed:
    workspace_id: int
    post_id: int
    connection_id: int
    platform: str
    connection_status: str
    platform_post_id: str
    text: str
    account: AccountRef
    connection: PlatformConnection  # read with the claim: its token needs no second trip


async def post_first_comment(destination_id: int, *, client: httpx.AsyncClient | None = None) -> str:
    """Post the destination's first comment once; returns the step it ended on, or "skipped"
    (nothing to do, done already, or another run holds it)."""
    claimed = await db.run(_claim, destination_id, db.utcnow())
    if isinstance(claimed, str):
        if claimed != "skipped":
            await _announce(destination_id, claimed)
        return claimed

    own_client = client is None
    client = client or httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    sent = False
    try:
        if claimed.connection_status in (ConnectionStatus.expired, ConnectionStatus.revoked):
            raise PlatformError(f"The account is {claimed.connection_status}: reconnect it.")
        adapter = get_adapter(claimed.platform, ratelimits.gate())
        token = await tokens.access_token(claimed.connection_id, row=claimed.connection)
        sent = True  # from here on the comment may reach the platform
        try:
            comment_id = await _send(adapter, client, token, claimed, destination_id)
        except AuthExpired:
            # A 401 means nothing was accepted: one forced refresh and one more send is safe.
            fresh = await tokens.force_refresh(claimed.connection_id)
            comment_id = await _send(adapter, client, fresh, claimed, destination_id)
    except OutcomeUnknown as exc:
        step = await db.run(_finish, destination_id, claimed, UNKNOWN,
                            f"The first comment may have been posted: check the post before commenting again. "
                            f"{exc.message}")
    except PlatformError as exc:  # refused, or still refused after a few tries
        step = await db.run(_finish, destination_id, claimed, FAILED,
                            f"The first comment was not posted: {exc.message}")
    except BaseException as exc:  # a bug or a cancelled job: record what we know, then re-raise
        if sent:
            await db.run(_finish, destination_id, claimed, UNKNOWN,
                         f"Interrupted while posting the first comment ({type(exc).__name__}): check the post "
                         "before commenting again.")
        else:
            await db.run(_release, destination_id, claimed.workspace_id,
                         f"Interrupted before the first comment went out ({type(exc).__name__})")
        raise
    else:
        step = await db.run(_finish, destination_id, claimed, POSTED, f"First comment posted (id {comment_id})")
    finally:
        if own_client:
            await client.aclose()
    await _announce(destination_id, step, workspace_id=claimed.workspace_id, post_id=claimed.post_id)
    return step


def _claim(destination_id: int, now: datetime) -> Claimed | str:
    with db.session() as s:
        # Lock the destination's row (a write that changes nothing): a second run of the job waits
        # here until the first one's step is committed, and then sees it.
        locked = s.execute(update(PostDestination)
                           .where(PostDestination.id == destination_id, PostDestination.status == DS.published)
                           .values(updated_at=PostDestination.updated_at)
                           .returning(PostDestination.workspace_id)
                           .execution_options(synchronize_session=False)).first()
        if locked is None:
            return "skipped"  # not published (or gone): nothing to comment under
        last = s.exec(select(DestinationEvent)
                      .where(DestinationEvent.destination_id == destination_id,
                             DestinationEvent.status.in_([SENDING, RETRYING, *FINAL]))
                      .order_by(DestinationEvent.id.desc()).limit(1)).first()
        dest, post, conn = s.exec(select(PostDestination, ScheduledPost, PlatformConnection)
                                  .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                                  .join(PlatformConnection, PlatformConnection.id == PostDestination.connection_id)
                                  .where(PostDestination.id == destination_id)).one()
        if last is not None and last.status in FINAL:
            return "skipped"
        if last is not None and last.status == SENDING:
            if now - _aware(last.at) < STALE_SENDING:
                return "skipped"  # another run is sending it right now
            message = ("The worker stopped while posting the first comment: check the post before commenting "
                       "again.")
            history(s, dest.workspace_id, dest.id, UNKNOWN, message)
            _tell(s, dest.workspace_id, dest.connection_id, UNKNOWN, message)
            return UNKNOWN
        text = post.first_comment or ""
        if not text.strip():
            return "skipped"
        try:
            adapter = get_adapter(conn.platform)
        except UnknownPlatform:
            return "skipped"
        if not adapter.can_comment:
            history(s, dest.workspace_id, dest.id, UNSUPPORTED, _unsupported(adapter.label))
            return UNSUPPORTED
        if not dest.platform_post_id:
            message = "The first comment was not posted: the platform did not say which post it made."
            history(s, dest.workspace_id, dest.id, FAILED, message)
            _tell(s, dest.workspace_id, dest.connection_id, FAILED, message)
            return FAILED
        history(s, dest.workspace_id, dest.id, SENDING,
                "Posting the first comment" if last is None else "Posting the first comment again (nothing went "
                                                                 "out before)")
        return Claimed(dest.workspace_id, post.id, conn.id, conn.platform, conn.status, dest.platform_post_id, text,
                       AccountRef(conn.platform_user_id, conn.username, dict(conn.details or {})), conn)


async def _send(adapter, client: httpx.AsyncClient, token: str, claimed: Claimed, destination_id: int) -> str:
    """Send, waiting out short refusals (services/send_retry); a longer wait, or a refusal after its
    last send, goes up to the caller, which gives up with the platform's message."""
    return await waiting_out_refusals(
        lambda: adapter.comment(client, token, claimed.platform_post_id, claimed.text, claimed.account,
                                idempotency_key=idempotency_key(destination_id)),
        gate_wait=GATE_WAIT, platform_wait=PLATFORM_WAIT)


def _finish(destination_id: int, claimed: Claimed, step: str, message: str) -> str:
    with db.session() as s:
        history(s, claimed.workspace_id, destination_id, step, message)
        if step != POSTED:
            _tell(s, claimed.workspace_id, claimed.connection_id, step, message)
    return step


def _release(destination_id: int, workspace_id: int, message: str) -> None:
    with db.session() as s:
        history(s, workspace_id, destination_id, RETRYING, message)


def _tell(s: Session, workspace_id: int, connection_id: int, step: str, message: str) -> None:
    """Tell the artist about a first comment that was not posted, or may have been."""
    conn = s.get(PlatformConnection, connection_id)
    where = account_label(conn.platform, conn.username) if conn else "an account"
    said = message[:1].lower() + message[1:]
    notifications.notify(s, workspace_id, "comment_failed", f"Your post to {where} is out, but {said}",
                         link="/composer")


async def _announce(destination_id: int, step: str, **data) -> None:
    workspace_id = data.pop("workspace_id", None)
    try:
        if workspace_id is None:
            workspace_id = await db.run(_workspace_of, destination_id)
        if workspace_id is not None:
            await events.announce(workspace_id, "publish", destination_id=destination_id, status=step, **data)
    except Exception:  # the outcome is stored; a missed live update only delays a refresh
        log.warning("could not announce the first comment's outcome", exc_info=True)


def _workspace_of(destination_id: int) -> int | None:
    with db.session() as s:
        dest = s.get(PostDestination, destination_id)
        return dest.workspace_id if dest else None
