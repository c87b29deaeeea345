"""Inbox replies through Instagram's real connector and its emulator, over HTTP: `POST
/{ig-comment-id}/replies` with `message`. A reply to a reply goes to its thread's top-level
comment (Instagram threads are one level deep); a refusal keeps Meta's words; a 5xx before
acceptance is sent again once it answers; a lost answer is unknown and never sent again; two
workers running the same reply send it once."""

from __future__ import annotations

import asyncio

import httpx
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
    scope, cid, comments = await collected_comments("instagram")
    return scope, cid, comments, emulators


def _made(emulators) -> list[dict]:
    """Every comment and reply the account made through the API, as the emulator stored them."""
    store = emulators.store
    account = store.accounts("instagram")[0]
    return [c for made in store.get(f"instagram:comments:{account.id}", {}).values() for c in made]


def _row(reply_id: int) -> tuple[CommentReply, Comment]:
    with dbmod.session() as s:
        r = s.get(CommentReply, reply_id)
        return r, s.get(Comment, r.comment_id)


async def test_a_reply_is_sent_once_and_comes_back_under_its_comment(collected):
    scope, cid, comments, emulators = collected
    fan = next(c for c in comments if not c.parent_platform_id and c.author != "nova_lane")
    reply_id = inbox_reply.store_reply(scope, fan.id, "Thank you 🖤 see you in Lyon")
    assert await inbox_reply.send_reply(reply_id) == "sent"
    r, c = _row(reply_id)
    assert r.platform_reply_id and r.error == "" and c.replied and c.is_read
    stored = [m for m in _made(emulators) if m["id"] == r.platform_reply_id]
    assert [(m["text"], m["parent_id"]) for m in stored] == [("Thank you 🖤 see you in Lyon", fan.platform_comment_id)]
    assert any(p.startswith(f"POST {GRAPH}/{fan.platform_comment_id}/replies") for p in emulators["instagram"].served)
    assert await inbox_reply.send_reply(reply_id) == "skipped"
    await sync.collect_connection(cid)  # the next sync reads it back as a reply of the fan's comment
    with dbmod.session() as s:
        back = s.exec(select(Comment).where(Comment.platform_comment_id == r.platform_reply_id)).one()
    assert back.parent_platform_id == fan.platform_comment_id


async def test_a_reply_to_a_reply_goes_to_the_thread(collected):
    scope, _, comments, emulators = collected
    answer = next(c for c in comments if c.parent_platform_id)
    reply_id = inbox_reply.store_reply(scope, answer.id, "and one more thing")
    assert await inbox_reply.send_reply(reply_id) == "sent"
    r, _ = _row(reply_id)
    assert [m["parent_id"] for m in _made(emulators) if m["id"] == r.platform_reply_id] == [answer.parent_platform_id]


async def test_two_workers_send_it_once(collected):
    scope, _, comments, emulators = collected
    fan = next(c for c in comments if not c.parent_platform_id)
    reply_id = inbox_reply.store_reply(scope, fan.id, "once only")
    outcomes = await asyncio.gather(inbox_reply.send_reply(reply_id), inbox_reply.send_reply(reply_id))
    assert sorted(outcomes) == ["sent", "skipped"]
    assert [m["text"] for m in _made(emulators)].count("once only") == 1


async def test_a_refusal_keeps_metas_words(collected):
    scope, _, comments, emulators = collected
    fan = next(c for c in comments if not c.parent_platform_id)
    await emulators.control("instagram", "fail", status=400, times=1, path=f"{GRAPH}/{fan.platform_comment_id}")
    reply_id = inbox_reply.store_reply(scope, fan.id, "hello")
    assert await inbox_reply.send_reply(reply_id) == "failed"
    r, c = _row(reply_id)
    assert r.error == "The reply was not sent: Instagram refused the request: (#100) Invalid parameter"
    assert not c.replied and _made(emulators) == []


async def test_a_server_error_before_acceptance_is_sent_again_once_it_answers(collected):
    scope, _, comments, emulators = collected
    fan = next(c for c in comments if not c.parent_platform_id)
    await emulators.control("instagram", "fail", status=500, times=1, path=f"{GRAPH}/{fan.platform_comment_id}")
    reply_id = inbox_reply.store_reply(scope, fan.id, "second time lucky")
    assert await inbox_reply.send_reply(reply_id) == "sent"
    assert [m["text"] for m in _made(emulators)] == ["second time lucky"]


async def test_a_lost_answer_is_unknown_and_never_sent_again(collected):
    scope, _, comments, emulators = collected
    fan = next(c for c in comments if not c.parent_platform_id)
    await emulators.control("instagram", "hang", seconds=3, times=1, after_effect=True,
                            path=f"{GRAPH}/{fan.platform_comment_id}/replies")
    reply_id = inbox_reply.store_reply(scope, fan.id, "did it go?")
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await inbox_reply.send_reply(reply_id, client=client) == "unknown"
    r, c = _row(reply_id)
    assert "may have been sent" in r.error and not c.replied
    assert await inbox_reply.send_reply(reply_id) == "skipped"
    await asyncio.sleep(2.2)  # the emulator finishes its answer
    assert [m["text"] for m in _made(emulators)] == ["did it go?"]  # it went out, once
