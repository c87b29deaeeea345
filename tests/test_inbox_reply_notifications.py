"""A reply that ends failed or unknown tells its author through the bell (notifications are per
workspace: the message names the author), with the platform's words and a link to the inbox; a
sent reply tells nobody. Through Instagram's connector and emulator over HTTP, and the sweep."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, CommentReply, Role
from dreamsuite.platforms import meta
from dreamsuite.services import inbox_reply, notifications, sync
from tests.helpers import add_member, make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
GRAPH = f"/graph/{meta.GRAPH_VERSION}"


@pytest.fixture
async def fan(db, redis_url, emulators):
    _, ws, owner = make_workspace("nova@example.com")
    cid = await connect_platform(owner, "instagram", "Nova Lane")
    await sync.collect_connection(cid)
    with dbmod.session() as s:
        comment = s.exec(select(Comment).where(Comment.workspace_id == ws.id, Comment.parent_platform_id == "")
                         .order_by(Comment.id)).first()
    editor = add_member(ws.id, "mia@example.com", Role.editor)
    notifications.mark_read(owner)  # the connection's own news out of the way
    return owner, editor, comment, emulators


def _news(scope) -> list[dict]:
    return [n for n in notifications.summary(scope)["items"] if n["kind"].startswith("reply_")]


async def test_a_refused_reply_tells_its_author_in_the_platforms_words(fan):
    owner, editor, comment, emulators = fan
    await emulators.control("instagram", "fail", status=400, times=1, path=f"{GRAPH}/{comment.platform_comment_id}")
    reply_id = inbox_reply.store_reply(editor, comment.id, "See you at the show on Friday night, bring friends!!")
    assert await inbox_reply.send_reply(reply_id) == "failed"
    [news] = _news(owner)
    assert news["kind"] == "reply_failed" and news["link"] == "/inbox" and not news["is_read"]
    assert news["message"] == (f"mia's reply to {comment.author} on Instagram (“See you at the show on "
                               "Friday night, bring friends!!”): The reply was not sent: Instagram refused the "
                               "request: (#100) Invalid parameter")
    assert notifications.summary(editor)["unread"] == 1


async def test_an_unknown_reply_says_to_check_before_replying_again(fan):
    owner, _, comment, emulators = fan
    await emulators.control("instagram", "hang", seconds=3, times=1, after_effect=True,
                            path=f"{GRAPH}/{comment.platform_comment_id}/replies")
    reply_id = inbox_reply.store_reply(owner, comment.id, "x" * 80)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await inbox_reply.send_reply(reply_id, client=client) == "unknown"
    [news] = _news(owner)
    assert news["kind"] == "reply_unknown" and "x" * 59 + "…”" in news["message"]
    assert "The reply may have been sent: check on the platform before replying again." in news["message"]


async def test_a_sent_reply_tells_nobody_and_a_dead_send_found_by_the_sweep_does(fan):
    owner, _, comment, _ = fan
    sent = inbox_reply.store_reply(owner, comment.id, "thanks!")
    assert await inbox_reply.send_reply(sent) == "sent"
    assert _news(owner) == []
    dead = inbox_reply.store_reply(owner, comment.id, "the worker died")
    with dbmod.session() as s:
        s.exec(update(CommentReply).where(CommentReply.id == dead)
               .values(status="sending", updated_at=dbmod.utcnow() - timedelta(minutes=10)))
    assert await inbox_reply.sweep() == {"requeued": 0, "unknown": 1}
    [news] = _news(owner)
    assert news["kind"] == "reply_unknown" and "The worker stopped while sending the reply" in news["message"]
    assert f"'s reply to {comment.author} on Instagram (“the worker died”)" in news["message"]
