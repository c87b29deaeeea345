"""Replies from the inbox: stored by an editor for a platform that takes them, sent once by the
worker's job through the adapter with an idempotency key; sent marks the comment answered; a
refusal is failed with the platform's words; a lost answer is unknown and never sent again; a
second run of the job sends nothing.

The platform is a double standing in for the adapter (the emulators' replies are in
test_inbox_reply_<platform>.py); everything else — the database, Redis, the arq worker — is real."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, CommentReply, ContentPost, PlatformConnection, Role
from dreamsuite.platforms.base import OutcomeUnknown, PlatformError
from dreamsuite.services import inbox_reply
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member, make_workspace, run_worker_burst

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


class Platform:
    """What the adapter's `reply()` was asked, and what it answers."""

    label = "X"

    def __init__(self, answer=None):
        self.calls: list[dict] = []
        self.answer = answer

    async def reply(self, client, token, comment_id, text, account=None, *, thread_id="", idempotency_key=""):
        self.calls.append({"parent": comment_id, "text": text, "key": idempotency_key, "token": token,
                           "account": account.platform_user_id})
        if isinstance(self.answer, BaseException):
            raise self.answer
        return "reply-1"


@pytest.fixture
def platform(monkeypatch):
    double = Platform()
    monkeypatch.setattr(inbox_reply, "get_adapter", lambda name, gate=None: double)

    async def token(connection_id, row=None):
        return f"token-{connection_id}"

    monkeypatch.setattr(inbox_reply.tokens, "access_token", token)
    return double


def _comment(ws_id: int, platform: str = "x", cid: str = "1700") -> int:
    with dbmod.session() as s:
        conn = PlatformConnection(workspace_id=ws_id, platform=platform, platform_user_id=f"acct-{ws_id}",
                                  username="nova")
        s.add(conn)
        s.flush()
        post = ContentPost(workspace_id=ws_id, connection_id=conn.id, platform=platform, platform_post_id=f"p{cid}",
                           posted_at=datetime(2026, 3, 1, tzinfo=UTC))
        s.add(post)
        s.flush()
        c = Comment(workspace_id=ws_id, post_id=post.id, platform=platform, platform_comment_id=cid,
                    text="when's the tour?", posted_at=datetime(2026, 3, 2, tzinfo=UTC))
        s.add(c)
        s.flush()
        return c.id


def _reply(reply_id: int) -> CommentReply:
    with dbmod.session() as s:
        return s.get(CommentReply, reply_id)


def _comment_row(comment_id: int) -> Comment:
    with dbmod.session() as s:
        return s.get(Comment, comment_id)


async def test_a_reply_goes_out_once_through_the_worker(db, redis_url, platform):
    _, ws, owner = make_workspace("nova@example.com")
    cid = _comment(ws.id)
    reply_id = await inbox_reply.reply(owner, cid, "  Spring, in Lyon & Tōkyō!  ")
    assert _reply(reply_id).status == inbox_reply.PENDING
    await run_worker_burst()
    assert [{k: v for k, v in call.items() if k != "token"} for call in platform.calls] == [
        {"parent": "1700", "text": "Spring, in Lyon & Tōkyō!", "key": f"dreamsuite-reply-{reply_id}",
         "account": f"acct-{ws.id}"}]
    r = _reply(reply_id)
    assert (r.status, r.platform_reply_id, r.error) == ("sent", "reply-1", "")
    c = _comment_row(cid)
    assert c.replied and c.is_read
    # The job again (arq re-running it, or a second enqueue): nothing is sent.
    assert await inbox_reply.send_reply(reply_id) == "skipped"
    assert len(platform.calls) == 1


async def test_refused_is_failed_with_the_platforms_words_and_lost_is_unknown(db, redis_url, platform):
    _, ws, owner = make_workspace("nova@example.com")
    cid = _comment(ws.id)
    platform.answer = PlatformError("You can only reply to posts you are mentioned in.")
    first = inbox_reply.store_reply(owner, cid, "thanks!")
    assert await inbox_reply.send_reply(first) == "failed"
    assert _reply(first).error == "The reply was not sent: You can only reply to posts you are mentioned in."
    assert not _comment_row(cid).replied
    platform.answer = OutcomeUnknown("X did not answer in time")
    second = inbox_reply.store_reply(owner, cid, "thanks!")
    assert await inbox_reply.send_reply(second) == "unknown"
    assert "may have been sent" in _reply(second).error
    # Neither is ever sent again.
    platform.answer = None
    assert await inbox_reply.send_reply(first) == "skipped" and await inbox_reply.send_reply(second) == "skipped"
    assert len(platform.calls) == 2
    shown = inbox_reply.replies_of(owner, [cid])[cid]
    assert [r["status"] for r in shown] == ["failed", "unknown"]


async def test_an_interruption_before_the_send_leaves_it_pending_and_after_it_unknown(db, redis_url, platform,
                                                                                   monkeypatch):
    _, ws, owner = make_workspace("nova@example.com")
    cid = _comment(ws.id)
    reply_id = inbox_reply.store_reply(owner, cid, "soon")

    async def broken(connection_id, row=None):
        raise RuntimeError("database went away")

    monkeypatch.setattr(inbox_reply.tokens, "access_token", broken)
    with pytest.raises(RuntimeError):
        await inbox_reply.send_reply(reply_id)
    assert _reply(reply_id).status == "pending" and platform.calls == []
    monkeypatch.undo()
    platform2 = Platform(answer=asyncio.CancelledError())  # the job cancelled mid-send
    monkeypatch.setattr(inbox_reply, "get_adapter", lambda name, gate=None: platform2)

    async def token(connection_id, row=None):
        return "t"

    monkeypatch.setattr(inbox_reply.tokens, "access_token", token)
    with pytest.raises(asyncio.CancelledError):
        await inbox_reply.send_reply(reply_id)
    assert _reply(reply_id).status == "unknown" and len(platform2.calls) == 1
    assert await inbox_reply.send_reply(reply_id) == "skipped"


async def test_who_may_reply_where(db, redis_url, platform):
    _, ws, owner = make_workspace("nova@example.com")
    _, other_ws, other = make_workspace("other@example.com")
    cid = _comment(ws.id)
    tiktok = _comment(ws.id, "tiktok", "tt-9")
    viewer = add_member(ws.id, "viewer@example.com", Role.viewer)
    with pytest.raises(AccessDenied):
        inbox_reply.store_reply(viewer, cid, "hi")
    with pytest.raises(NotFound):
        inbox_reply.store_reply(other, cid, "hi")  # another workspace's comment
    with pytest.raises(UserError, match="TikTok replies cannot be sent from here yet"):
        inbox_reply.store_reply(owner, tiktok, "hi")
    with pytest.raises(UserError, match="Write something"):
        inbox_reply.store_reply(owner, cid, "   ")
    with pytest.raises(UserError, match="limit is 2000"):
        inbox_reply.store_reply(owner, cid, "x" * 2001)
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    assert inbox_reply.store_reply(editor, cid, "ok") > 0
    assert inbox_reply.replies_of(other, [cid]) == {}
    with dbmod.session() as s:
        assert len(s.exec(select(CommentReply)).all()) == 1
    assert other_ws.id != ws.id


async def test_the_sweep_requeues_a_lost_reply_and_ends_a_dead_send_as_unknown(db, redis_url, platform):
    from datetime import timedelta

    from sqlalchemy import update

    _, ws, owner = make_workspace("nova@example.com")
    cid = _comment(ws.id)
    lost = inbox_reply.store_reply(owner, cid, "lost in Redis")
    dead = inbox_reply.store_reply(owner, cid, "the worker died")
    fresh = inbox_reply.store_reply(owner, cid, "just asked")
    long_ago = dbmod.utcnow() - timedelta(minutes=10)
    with dbmod.session() as s:
        s.exec(update(CommentReply).where(CommentReply.id == lost).values(updated_at=long_ago))
        s.exec(update(CommentReply).where(CommentReply.id == dead).values(status="sending", updated_at=long_ago))
    assert await inbox_reply.sweep() == {"requeued": 1, "unknown": 1}
    assert _reply(dead).status == "unknown" and "worker stopped" in _reply(dead).error
    await run_worker_burst()
    assert _reply(lost).status == "sent" and _reply(fresh).status == "pending"
    assert [c["text"] for c in platform.calls] == ["lost in Redis"]
