"""Inbox replies through YouTube's real connector and its emulator, over HTTP: comments.insert
(`POST /youtube/v3/comments?part=snippet` with snippet.parentId and snippet.textOriginal, 50 quota
units). A reply to a reply goes to the thread's top-level comment; Google's refusals keep their
words; a 503 before acceptance is sent again; a lost answer is unknown and never sent again; two
workers running the same reply send it once."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, CommentReply
from dreamsuite.services import inbox_reply, sync
from tests.platform_helpers import collected_comments

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
INSERT = "/api/youtube/v3/comments"


@pytest.fixture
async def collected(db, redis_url, emulators):
    scope, cid, comments = await collected_comments("youtube")
    return scope, cid, comments, emulators


def _made(emulators) -> list[dict]:
    store = emulators.store
    account = store.accounts("youtube")[0]
    return [r for replies in store.get(f"youtube:replies:{account.id}", {}).values() for r in replies]


def _row(reply_id: int) -> tuple[CommentReply, Comment]:
    with dbmod.session() as s:
        r = s.get(CommentReply, reply_id)
        return r, s.get(Comment, r.comment_id)


async def test_a_reply_is_sent_once_and_comes_back_in_its_thread(collected):
    scope, cid, comments, emulators = collected
    top = next(c for c in comments if not c.parent_platform_id)
    used = emulators["youtube"].units_used()
    reply_id = inbox_reply.store_reply(scope, top.id, "Merci ! Tour dates on Friday")
    assert await inbox_reply.send_reply(reply_id) == "sent"
    assert emulators["youtube"].units_used() - used == 50  # comments.insert's quota cost
    r, c = _row(reply_id)
    assert r.platform_reply_id.startswith(top.platform_comment_id + ".") and c.replied
    assert [(m["snippet"]["parentId"], m["snippet"]["textOriginal"]) for m in _made(emulators)] == [
        (top.platform_comment_id, "Merci ! Tour dates on Friday")]
    assert await inbox_reply.send_reply(reply_id) == "skipped"
    await sync.collect_connection(cid)
    with dbmod.session() as s:
        back = s.exec(select(Comment).where(Comment.platform_comment_id == r.platform_reply_id)).one()
    assert back.parent_platform_id == top.platform_comment_id


async def test_a_reply_to_a_reply_goes_to_the_top_level_comment(collected):
    scope, _, comments, emulators = collected
    answer = next(c for c in comments if c.parent_platform_id)
    reply_id = inbox_reply.store_reply(scope, answer.id, "yes!")
    assert await inbox_reply.send_reply(reply_id) == "sent"
    assert [m["snippet"]["parentId"] for m in _made(emulators)] == [answer.parent_platform_id]


async def test_two_workers_send_it_once(collected):
    scope, _, comments, emulators = collected
    top = next(c for c in comments if not c.parent_platform_id)
    reply_id = inbox_reply.store_reply(scope, top.id, "only once")
    outcomes = await asyncio.gather(inbox_reply.send_reply(reply_id), inbox_reply.send_reply(reply_id))
    assert sorted(outcomes) == ["sent", "skipped"] and len(_made(emulators)) == 1


async def test_googles_refusals_keep_their_words(collected):
    scope, _, comments, emulators = collected
    top = next(c for c in comments if not c.parent_platform_id)
    await emulators.control("youtube", "fail", status=403, times=1, path=INSERT)  # a scope not granted
    first = inbox_reply.store_reply(scope, top.id, "hi")
    assert await inbox_reply.send_reply(first) == "failed"
    assert _row(first)[0].error.startswith("The reply was not sent: YouTube needs the permission 'youtube.force-ssl'")
    account = emulators.store.accounts("youtube")[0]  # held for review since it was collected: private
    emulators.store.put(f"youtube:held:{account.id}", [top.platform_comment_id])
    second = inbox_reply.store_reply(scope, top.id, "hi again")
    assert await inbox_reply.send_reply(second) == "failed"
    r, c = _row(second)
    assert r.error == ("The reply was not sent: YouTube refused the request (400): The specified parent comment is "
                       "private. The API does not support replies to private comments.")
    assert not c.replied and _made(emulators) == []


async def test_an_unavailable_service_is_asked_again(collected):
    scope, _, comments, emulators = collected
    top = next(c for c in comments if not c.parent_platform_id)
    await emulators.control("youtube", "fail", status=503, times=1, path=INSERT)
    reply_id = inbox_reply.store_reply(scope, top.id, "patience")
    assert await inbox_reply.send_reply(reply_id) == "sent"
    assert [m["snippet"]["textOriginal"] for m in _made(emulators)] == ["patience"]


async def test_a_lost_answer_is_unknown_and_never_sent_again(collected):
    scope, _, comments, emulators = collected
    top = next(c for c in comments if not c.parent_platform_id)
    await emulators.control("youtube", "hang", seconds=3, times=1, after_effect=True, path=INSERT)
    reply_id = inbox_reply.store_reply(scope, top.id, "lost?")
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await inbox_reply.send_reply(reply_id, client=client) == "unknown"
    assert "may have been sent" in _row(reply_id)[0].error
    assert await inbox_reply.send_reply(reply_id) == "skipped"
    await asyncio.sleep(2.2)
    assert [m["snippet"]["textOriginal"] for m in _made(emulators)] == ["lost?"]
