"""Replies from the inbox: stored by the page, sent by a worker job with the publish pipeline's care.

`reply(scope, comment_id, text)` stores a pending reply (editors and owners; the comment must be
the workspace's and its platform must take replies through its API) and enqueues the
`inbox_reply` job. The job claims the reply with one conditional UPDATE (pending → sending): a
second run of the job (arq re-runs an interrupted one) finds it claimed and sends nothing. Then
one send through the adapter, with an idempotency key where the platform takes one, short
refusals waited out (services/send_retry); the outcome is sent (the comment is marked answered),
failed with the platform's words, or unknown — never sent again.

Which platforms: those whose adapter says `can_reply` — X (a reply is a post replying to the
fan's post), Facebook (`POST /{comment-id}/comments`), Instagram (`POST /{comment-id}/replies`) and
YouTube (`comments.insert` with a parentId). Instagram and YouTube hang replies on the thread's
top-level comment, so the adapter is told the thread too. The others have no comment API at all;
the page says so for those. A reply that ends failed or unknown tells its author (notifications).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db, events, queue
from dreamsuite.models import Comment, CommentReply, ContentPost, PlatformConnection, Role, User
from dreamsuite.platforms import adapter_class, get_adapter, platform_label
from dreamsuite.platforms.base import HTTP_TIMEOUT, AccountRef, OutcomeUnknown, PlatformError
from dreamsuite.services import notifications, ratelimits, tokens
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope, get_scoped
from dreamsuite.services.send_retry import waiting_out_refusals

log = logging.getLogger(__name__)

MAX_TEXT = 2000
PENDING, SENDING, SENT, FAILED, UNKNOWN = "pending", "sending", "sent", "failed", "unknown"
PLATFORM_WAIT = 5.0
GATE_WAIT = 30.0
JOB_TIMEOUT = 120
# A reply still pending this long lost its job (Redis emptied, enqueue failed after the store): the
# sweep enqueues it again. One "sending" older than the job's time limit (and a margin) belongs to
# a run that died without a word: it may have gone out, so it becomes unknown, never resent.
LOST_PENDING = timedelta(minutes=2)
STALE_SENDING = timedelta(seconds=JOB_TIMEOUT + 60)
DEAD_SEND = "The worker stopped while sending the reply: check on the platform before replying again."


def can_reply(platform: str) -> bool:
    cls = adapter_class(platform)
    return bool(cls and cls.can_reply)


def why_not(platform: str) -> str:
    label = platform_label(platform)
    return f"{label} replies cannot be sent from here yet: reply in the {label} app."


def idempotency_key(reply_id: int) -> str:
    return f"dreamsuite-reply-{reply_id}"


def job_id(reply_id: int) -> str:
    return f"inbox_reply:{reply_id}"


# ---------------------------------------------------------------- asking
def store_reply(scope: Scope, comment_id: int, text: str) -> int:
    """A pending reply to one of the workspace's comments; its id."""
    scope.require(Role.editor)
    text = (text or "").strip()
    if not text:
        raise UserError("Write something to reply.")
    if len(text) > MAX_TEXT:
        raise UserError(f"The reply is {len(text)} characters; the limit is {MAX_TEXT}.")
    with db.session() as s:
        comment = get_scoped(s, scope, Comment, comment_id)
        if not can_reply(comment.platform):
            raise UserError(why_not(comment.platform))
        row = CommentReply(workspace_id=scope.workspace_id, comment_id=comment.id, user_id=scope.user_id, text=text)
        s.add(row)
        s.flush()
        return row.id


async def enqueue(reply_id: int) -> bool:
    p = await queue.pool()
    return await p.enqueue_job("inbox_reply", reply_id, _job_id=job_id(reply_id)) is not None


async def reply(scope: Scope, comment_id: int, text: str) -> int:
    """Store the reply and hand it to the worker; its id. If the queue is down the reply stays
    pending and says so (it was not sent)."""
    reply_id = await db.run(store_reply, scope, comment_id, text)
    try:
        await enqueue(reply_id)
    except Exception as exc:
        log.warning("could not enqueue reply %s", reply_id, exc_info=True)
        await db.run(_finish, reply_id, FAILED, f"The reply could not be queued ({type(exc).__name__}): it was not "
                                                "sent. Try again.")
    return reply_id


def replies_of(scope: Scope, comment_ids: list[int]) -> dict[int, list[dict]]:
    """The replies asked for on these comments, oldest first."""
    with db.session() as s:
        rows = s.exec(select(CommentReply).where(CommentReply.workspace_id == scope.workspace_id,
                                                 CommentReply.comment_id.in_(comment_ids))
                      .order_by(CommentReply.id)).all()
    out: dict[int, list[dict]] = {}
    for r in rows:
        out.setdefault(r.comment_id, []).append({"id": r.id, "text": r.text, "status": r.status, "error": r.error,
                                                 "at": r.created_at})
    return out


# ---------------------------------------------------------------- the job
def _claim(reply_id: int) -> tuple | None:
    with db.session() as s:
        won = s.execute(update(CommentReply).where(CommentReply.id == reply_id, CommentReply.status == PENDING)
                        .values(status=SENDING, updated_at=db.utcnow())
                        .execution_options(synchronize_session=False)).rowcount
        if won != 1:
            return None  # sent, failed, unknown, or another run holds it
        found = s.exec(select(CommentReply, Comment, PlatformConnection)
                       .join(Comment, Comment.id == CommentReply.comment_id)
                       .join(ContentPost, ContentPost.id == Comment.post_id)
                       .join(PlatformConnection, PlatformConnection.id == ContentPost.connection_id, isouter=True)
                       .where(CommentReply.id == reply_id)).first()
        return found


async def send_reply(reply_id: int, *, client: httpx.AsyncClient | None = None) -> str:
    """Send the reply once; returns its final status, or "skipped"."""
    claimed = await db.run(_claim, reply_id)
    if claimed is None:
        return "skipped"
    row, comment, conn = claimed
    if conn is None:
        return await _end(row, FAILED, "The account this comment came from is no longer connected.")
    own_client = client is None
    client = client or httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    sent = False
    try:
        adapter = get_adapter(comment.platform, ratelimits.gate())
        token = await tokens.access_token(conn.id, row=conn)
        account = AccountRef(conn.platform_user_id, conn.username, dict(conn.details or {}))
        sent = True  # from here on the reply may reach the platform
        reply_platform_id = await waiting_out_refusals(
            lambda: adapter.reply(client, token, comment.platform_comment_id, row.text, account,
                                  thread_id=comment.parent_platform_id, idempotency_key=idempotency_key(reply_id)),
            gate_wait=GATE_WAIT, platform_wait=PLATFORM_WAIT)
    except OutcomeUnknown as exc:
        return await _end(row, UNKNOWN, f"The reply may have been sent: check on the platform before replying "
                                        f"again. {exc.message}")
    except PlatformError as exc:
        return await _end(row, FAILED, f"The reply was not sent: {exc.message}")
    except BaseException as exc:
        if sent:
            await _end(row, UNKNOWN, f"Interrupted while sending the reply ({type(exc).__name__}): check on the "
                                     "platform before replying again.")
        else:
            await db.run(_release, reply_id)
        raise
    finally:
        if own_client:
            await client.aclose()
    return await _end(row, SENT, "", str(reply_platform_id))


def _finish(reply_id: int, status: str, error: str, platform_reply_id: str = "", *, notify: bool = False) -> str:
    with db.session() as s:
        r = s.get(CommentReply, reply_id)
        if r is None:
            return status
        r.status, r.error, r.platform_reply_id, r.updated_at = status, error, platform_reply_id, db.utcnow()
        if status == SENT:
            s.exec(update(Comment).where(Comment.id == r.comment_id)
                   .values(replied=True, is_read=True, updated_at=db.utcnow()))
        elif notify:
            _tell_author(s, r)
        s.add(r)
    return status


def _tell_author(s, r: CommentReply) -> None:
    """The bell of the reply's workspace, naming its author (notifications are per workspace), with the
    platform's words: the author left the page long ago when a job ends this way."""
    comment, author = s.get(Comment, r.comment_id), s.get(User, r.user_id) if r.user_id else None
    who = f"{author.name or author.email}'s reply" if author else "A reply"
    fan = f" to {comment.author}" if comment and comment.author else ""
    where = platform_label(comment.platform) if comment else "the platform"
    quoted = r.text if len(r.text) <= 60 else r.text[:59].rstrip() + "…"
    notifications.notify(s, r.workspace_id, "reply_failed" if r.status == FAILED else "reply_unknown",
                         f"{who}{fan} on {where} (“{quoted}”): {r.error}", link="/inbox")


def _release(reply_id: int) -> None:
    """Nothing went out: the reply is pending again for a later run."""
    with db.session() as s:
        s.exec(update(CommentReply).where(CommentReply.id == reply_id, CommentReply.status == SENDING)
               .values(status=PENDING, updated_at=db.utcnow()))


async def _end(row: CommentReply, status: str, error: str, platform_reply_id: str = "") -> str:
    await db.run(_finish, row.id, status, error, platform_reply_id, notify=True)
    try:
        await events.announce(row.workspace_id, "inbox", reply_id=row.id, comment_id=row.comment_id, status=status)
    except Exception:  # stored; a missed live update only delays a refresh
        log.warning("could not announce reply %s", row.id, exc_info=True)
    return status


# ---------------------------------------------------------------- the sweep (cron, every minute)
def _lost(now) -> tuple[list[int], list[tuple[int, int, int]]]:
    with db.session() as s:
        pending = s.exec(select(CommentReply.id).where(CommentReply.status == PENDING,
                                                       CommentReply.updated_at < now - LOST_PENDING)).all()
        stale = s.exec(select(CommentReply).where(CommentReply.status == SENDING,
                                                  CommentReply.updated_at < now - STALE_SENDING)).all()
        dead = []
        for r in stale:
            won = s.execute(update(CommentReply).where(CommentReply.id == r.id, CommentReply.status == SENDING)
                            .values(status=UNKNOWN, updated_at=now, error=DEAD_SEND)
                            .execution_options(synchronize_session=False)).rowcount
            if won:
                r.status, r.error = UNKNOWN, DEAD_SEND
                _tell_author(s, r)
                dead.append((r.id, r.workspace_id, r.comment_id))
    return list(pending), dead


async def sweep() -> dict[str, int]:
    """Enqueue replies whose job was lost; end the ones a dead run left sending as unknown."""
    now = db.utcnow()
    pending, dead = await db.run(_lost, now)
    for reply_id, workspace_id, comment_id in dead:
        try:
            await events.announce(workspace_id, "inbox", reply_id=reply_id, comment_id=comment_id, status=UNKNOWN)
        except Exception:
            log.warning("could not announce reply %s", reply_id, exc_info=True)
    if pending:
        p = await queue.pool()
        stamp = now.strftime("%Y%m%d%H%M")
        for reply_id in pending:  # a new id each sweep; the claim keeps a reply from going out twice
            await p.enqueue_job("inbox_reply", reply_id, _job_id=f"{job_id(reply_id)}:{stamp}")
    return {"requeued": len(pending), "unknown": len(dead)}
