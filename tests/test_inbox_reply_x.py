"""A reply from the inbox through X's real connector and its emulator, over HTTP: collected
comments answered with `POST /2/tweets` and `reply.in_reply_to_tweet_id`.

The emulator lets the account reply to posts it can see: its own posts and replies. A fan's reply
that the emulator's story makes up is not one of its stored posts, so the emulator refuses a reply
to it as X refuses a deleted or hidden post; the refusal is kept with X's words."""

from __future__ import annotations

import pytest

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, CommentReply
from dreamsuite.platforms import x as x_module
from dreamsuite.services import inbox_reply
from tests.platform_helpers import collected_comments

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
async def collected(db, redis_url, emulators, monkeypatch):
    monkeypatch.setattr(x_module, "POLL_SECONDS", 0.0)
    scope, _, comments = await collected_comments("x")
    return scope, comments, emulators


async def test_a_reply_to_the_accounts_own_reply_is_sent_once(collected):
    scope, comments, emulators = collected
    own = next(c for c in comments if c.author == "nova_lane")
    reply_id = inbox_reply.store_reply(scope, own.id, "And one more thing: the vinyl ships Friday 🎶")
    assert await inbox_reply.send_reply(reply_id) == "sent"
    with dbmod.session() as s:
        r, c = s.get(CommentReply, reply_id), s.get(Comment, own.id)
    assert r.platform_reply_id.isdigit() and r.error == "" and c.replied
    stored = await emulators.store.call(emulators.store.find_post, "x", r.platform_reply_id)
    assert stored is not None
    assert await inbox_reply.send_reply(reply_id) == "skipped"


async def test_a_refusal_keeps_xs_words_and_the_comment_stays_unanswered(collected):
    scope, comments, _ = collected
    fan = next(c for c in comments if c.author != "nova_lane")
    reply_id = inbox_reply.store_reply(scope, fan.id, "Thanks for listening!")
    assert await inbox_reply.send_reply(reply_id) == "failed"
    with dbmod.session() as s:
        r, c = s.get(CommentReply, reply_id), s.get(Comment, fan.id)
    assert r.error.startswith("The reply was not sent: X refused the request (400)")
    assert "not visible to you" in r.error and not c.replied
