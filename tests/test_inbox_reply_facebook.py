"""Inbox replies through Facebook's real connector and its emulator, over HTTP: `POST
/{comment-id}/comments` as the Page (its Page token). A reply to a reply goes under the thread's
top-level comment; the next sync reads it back there; a refusal keeps Meta's words."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, CommentReply
from dreamsuite.platforms import meta
from dreamsuite.services import inbox_reply, sync
from tests.platform_helpers import collected_comments

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
GRAPH = f"/graph/{meta.GRAPH_VERSION}"


@pytest.fixture
async def collected(db, redis_url, emulators):
    scope, cid, comments = await collected_comments("facebook")
    return scope, cid, comments, emulators


def _reply(reply_id: int) -> CommentReply:
    with dbmod.session() as s:
        return s.get(CommentReply, reply_id)


async def test_replies_go_under_their_thread_once_and_come_back(collected):
    scope, cid, comments, emulators = collected
    fan = next(c for c in comments if not c.parent_platform_id and c.author != "Nova Lane")
    answer = next(c for c in comments if c.parent_platform_id)
    first = inbox_reply.store_reply(scope, fan.id, "Thanks for coming!")
    second = inbox_reply.store_reply(scope, answer.id, "See you next time")
    assert await inbox_reply.send_reply(first) == "sent" and await inbox_reply.send_reply(second) == "sent"
    assert await inbox_reply.send_reply(first) == "skipped"
    posted = [p.split("?")[0] for p in emulators["facebook"].served if p.startswith("POST") and "/comments" in p]
    assert posted == [f"POST {GRAPH}/{fan.platform_comment_id}/comments",
                      f"POST {GRAPH}/{answer.parent_platform_id}/comments"]
    await sync.collect_connection(cid)
    with dbmod.session() as s:
        back = {c.platform_comment_id: c.parent_platform_id for c in s.exec(select(Comment)).all()}
    assert back[_reply(first).platform_reply_id] == fan.platform_comment_id
    assert back[_reply(second).platform_reply_id] == answer.parent_platform_id


async def test_a_refusal_keeps_metas_words(collected):
    scope, _, comments, emulators = collected
    fan = next(c for c in comments if not c.parent_platform_id)
    await emulators.control("facebook", "fail", status=400, times=1, path=f"{GRAPH}/{fan.platform_comment_id}")
    reply_id = inbox_reply.store_reply(scope, fan.id, "hello")
    assert await inbox_reply.send_reply(reply_id) == "failed"
    assert _reply(reply_id).error == "The reply was not sent: Facebook refused the request: (#100) Invalid parameter"
