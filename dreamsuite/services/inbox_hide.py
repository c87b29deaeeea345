"""Hiding a comment from the public (or showing it again) from the inbox, done by a worker job.

`ask(scope, comment_id, hidden)` (editors and owners; the comment must be the workspace's and its
platform must let apps hide comments) writes what was asked into Redis under
`inbox_hide:<comment>`, a short-lived key the page reads to say "Hiding…", and enqueues the
`inbox_hide` job under the id `inbox_hide:<comment>`, so double clicks collapse into one job. The
job reads the key (the latest click wins, even one made while it runs), asks the platform, and only
once the platform confirmed sets the comment's `hidden`.

Hiding is idempotent, unlike a reply: asking twice hides once. So a refusal the platform may take
back (429, 5xx, a timeout) is tried again later (`TryLater`, which the worker turns into a retry)
up to MAX_TRIES; a final refusal leaves the flag as it was and keeps the platform's words for the
page (`inbox_hide_error:<comment>`, a day). No column holds the pending state: if the job is lost
the key expires and the artist may ask again.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

import httpx
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db, events, queue, redisconn
from dreamsuite.models import Comment, ContentPost, PlatformConnection, Role
from dreamsuite.platforms import adapter_class, get_adapter, platform_label
from dreamsuite.platforms.base import HTTP_TIMEOUT, AccountRef, PlatformError, RateLimited, TransientError
from dreamsuite.services import ratelimits, tokens
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope, get_scoped

log = logging.getLogger(__name__)

PENDING_TTL = 15 * 60  # a click whose job never ran stops saying "Hiding…" after this
ERROR_TTL = 24 * 3600
MAX_TRIES = 5
BACKOFF = (5, 20, 60, 180)  # seconds before tries 2.. when the platform said no wait
LONGEST_WAIT = 900
FOLLOW_UP_SECONDS = 3
# Deletes the asked value only if no newer click replaced it while the platform was asked.
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class TryLater(Exception):
    """The platform may take this refusal back: run the job again after `delay` seconds."""

    def __init__(self, delay: float, message: str):
        super().__init__(message)
        self.delay, self.message = delay, message


def can_hide(platform: str) -> bool:
    cls = adapter_class(platform)
    return bool(cls and cls.can_hide)


def why_not(platform: str) -> str:
    label = platform_label(platform)
    return f"{label} does not let apps hide comments: hide it in the {label} app."


def limits(platform: str) -> str:
    """What hiding means on this platform, in words ("" when it hides nothing)."""
    cls = adapter_class(platform)
    return cls.hide_limits if cls and cls.can_hide else ""


def job_id(comment_id: int) -> str:
    return f"inbox_hide:{comment_id}"


def _asked_key(comment_id: int) -> str:
    return f"inbox_hide:{comment_id}"


def _error_key(comment_id: int) -> str:
    return f"inbox_hide_error:{comment_id}"


# ---------------------------------------------------------------- asking
def _check(scope: Scope, comment_id: int) -> None:
    scope.require(Role.editor)
    with db.session() as s:
        comment = get_scoped(s, scope, Comment, comment_id)
        if not can_hide(comment.platform):
            raise UserError(why_not(comment.platform))


async def ask(scope: Scope, comment_id: int, hidden: bool) -> None:
    """Hide the comment (or show it again) through the worker; the page says so until it is done."""
    await db.run(_check, scope, comment_id)
    r = redisconn.client()
    asked = json.dumps({"hidden": bool(hidden), "by": scope.user_id, "n": secrets.token_hex(4)})
    try:
        await r.set(_asked_key(comment_id), asked, ex=PENDING_TTL)
        await r.delete(_error_key(comment_id))
        p = await queue.pool()
        if await p.enqueue_job("inbox_hide", comment_id, _job_id=job_id(comment_id)) is None:
            # One is queued or running and reads this ask; a run just finishing may have read the
            # one before, so a follow-up looks once more (it finds nothing left when all is done).
            await p.enqueue_job("inbox_hide", comment_id, _job_id=f"{job_id(comment_id)}:again",
                                _defer_by=FOLLOW_UP_SECONDS)
    except Exception as exc:
        log.warning("could not queue hiding comment %s", comment_id, exc_info=True)
        try:
            await r.delete(_asked_key(comment_id))
        except Exception:
            pass
        raise UserError(f"The comment could not be {'hidden' if hidden else 'shown'} right now "
                        f"({type(exc).__name__}): try again in a moment.") from exc
    await _announce(scope.workspace_id, comment_id, "asked")


async def states(comment_ids: list[int]) -> dict[int, dict[str, Any]]:
    """What the page shows for these comments: {id: {"asked": True|False (hide or show) or None,
    "error": the last refusal's words}}; only comments with something to show."""
    if not comment_ids:
        return {}
    r = redisconn.client()
    values = await r.mget([_asked_key(i) for i in comment_ids] + [_error_key(i) for i in comment_ids])
    out: dict[int, dict[str, Any]] = {}
    for i, asked, error in zip(comment_ids, values[:len(comment_ids)], values[len(comment_ids):], strict=True):
        if asked is None and error is None:
            continue
        try:
            wanted = json.loads(asked)["hidden"] if asked is not None else None
        except (ValueError, KeyError, TypeError):
            wanted = None
        out[i] = {"asked": wanted, "error": error.decode() if isinstance(error, bytes) else (error or "")}
    return out


# ---------------------------------------------------------------- the job
def _target(comment_id: int) -> tuple | None:
    with db.session() as s:
        return s.exec(select(Comment, PlatformConnection)
                      .join(ContentPost, ContentPost.id == Comment.post_id)
                      .join(PlatformConnection, PlatformConnection.id == ContentPost.connection_id, isouter=True)
                      .where(Comment.id == comment_id)).first()


def _set_hidden(comment_id: int, hidden: bool) -> None:
    with db.session() as s:
        ws = s.exec(update(Comment).where(Comment.id == comment_id).values(hidden=hidden, updated_at=db.utcnow())
                    .returning(Comment.workspace_id)).scalar()
        if ws is not None:
            db.announce_after_commit(s, ws, "inbox", comment_id=comment_id, hidden=hidden)


async def run(comment_id: int, *, client: httpx.AsyncClient | None = None, job_try: int = 1) -> str:
    """Make the platform show or hide the comment as last asked; "hidden", "shown", "failed" or
    "nothing" (no ask left: done already, or expired). Raises TryLater for a refusal worth retrying."""
    r = redisconn.client()
    own_client = client is None
    client = client or httpx.AsyncClient(timeout=HTTP_TIMEOUT)
    try:
        for _ in range(3):  # a click while the platform was asked is one more round
            raw = await r.get(_asked_key(comment_id))
            if raw is None:
                return "nothing"
            hidden = bool(json.loads(raw)["hidden"])
            found = await db.run(_target, comment_id)
            if found is None:  # deleted meanwhile
                await r.delete(_asked_key(comment_id))
                return "nothing"
            comment, conn = found
            if conn is None:
                return await _fail(comment, hidden, "The account this comment came from is no longer connected.")
            try:
                adapter = get_adapter(comment.platform, ratelimits.gate())
                token = await tokens.access_token(conn.id, row=conn)
                await adapter.hide(client, token, comment.platform_comment_id, hidden,
                                   AccountRef(conn.platform_user_id, conn.username, dict(conn.details or {})))
            except (RateLimited, TransientError) as exc:  # nothing changed, or the same change again: safe
                if job_try >= MAX_TRIES:
                    return await _fail(comment, hidden, exc.message)
                said = exc.retry_after if isinstance(exc, RateLimited) and exc.said else 0
                delay = said or BACKOFF[min(job_try, len(BACKOFF)) - 1]
                raise TryLater(min(delay, LONGEST_WAIT), exc.message) from exc
            except PlatformError as exc:
                return await _fail(comment, hidden, exc.message)
            await db.run(_set_hidden, comment_id, hidden)
            if await r.eval(_RELEASE, 1, _asked_key(comment_id), raw):
                return "hidden" if hidden else "shown"
        return "hidden" if hidden else "shown"
    finally:
        if own_client:
            await client.aclose()


async def _fail(comment: Comment, hidden: bool, message: str) -> str:
    r = redisconn.client()
    await r.set(_error_key(comment.id), f"Not {'hidden' if hidden else 'shown again'}: {message}", ex=ERROR_TTL)
    await r.delete(_asked_key(comment.id))
    await _announce(comment.workspace_id, comment.id, "failed")
    return "failed"


async def _announce(workspace_id: int, comment_id: int, status: str) -> None:
    try:
        await events.announce(workspace_id, "inbox", comment_id=comment_id, hide=status)
    except Exception:  # a missed live update only delays a refresh
        log.warning("could not announce hiding comment %s", comment_id, exc_info=True)
