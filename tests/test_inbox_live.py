"""New comments appear live: when collection inserts comments for a workspace it announces how many
are new (after the transaction commits; updated rows do not count), and an open inbox reloads its
first page and unread badge, or, further down the list, says they are on the first page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, ContentPost, PlatformConnection
from dreamsuite.platforms.base import CollectResult, CommentData, PostData
from dreamsuite.services import sync
from dreamsuite.services.sync_write import write_collected
from dreamsuite.state.inbox import PER_PAGE, InboxState
from tests.helpers import EventProbe, make_workspace
from tests.platform_helpers import connect_platform
from tests.test_inbox_state import _artist, _page, _seed
from tests.test_state import handler

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
WHEN = datetime(2026, 3, 1, tzinfo=UTC)


def _result(comments: dict[str, int], hidden: bool | None = False) -> CollectResult:
    """One post and these comments ({id: likes})."""
    return CollectResult(posts=[PostData("p1", WHEN, caption="new single")],
                         comments=[CommentData(cid, "p1", WHEN, author="fan", text=f"hi {cid}", likes=likes,
                                               hidden=hidden) for cid, likes in comments.items()])


def _write(conn_id: int, result: CollectResult) -> None:
    with dbmod.session() as s:
        write_collected(s, s.get(PlatformConnection, conn_id), result)


def _connection(ws_id: int, platform: str = "instagram") -> int:
    with dbmod.session() as s:
        conn = PlatformConnection(workspace_id=ws_id, platform=platform, platform_user_id="acct", username="nova")
        s.add(conn)
        s.flush()
        return conn.id


async def test_only_new_comments_are_announced_after_commit(db, redis_url):
    _, ws, _ = make_workspace("nova@example.com")
    conn_id = _connection(ws.id)
    async with EventProbe(ws.id) as probe:
        await dbmod.run(_write, conn_id, _result({"c1": 0, "c2": 0}))
        assert await probe.next() == {"kind": "inbox", "new_comments": 2}
        await dbmod.run(_write, conn_id, _result({"c1": 5, "c2": 0, "c3": 0}))  # c1 updated, c3 new
        assert await probe.next() == {"kind": "inbox", "new_comments": 1}
        await dbmod.run(_write, conn_id, _result({"c1": 9, "c2": 1, "c3": 0}))  # updates only
        await dbmod.run(_write, conn_id, _result({"c1": 9, "c2": 1, "c3": 0}))  # nothing at all
        assert await probe.next(timeout=1.0) is None
        with pytest.raises(RuntimeError):  # a write that does not commit announces nothing
            with dbmod.session() as s:
                write_collected(s, s.get(PlatformConnection, conn_id), _result({"c4": 0}))
                raise RuntimeError("the sync failed before its commit")
        assert await probe.next(timeout=1.0) is None
    with dbmod.session() as s:
        assert sorted(c.platform_comment_id for c in s.exec(select(Comment)).all()) == ["c1", "c2", "c3"]


async def test_a_platform_that_does_not_say_hidden_keeps_the_stored_flag(db, redis_url):
    _, ws, _ = make_workspace("nova@example.com")
    conn_id = _connection(ws.id, "x")
    await dbmod.run(_write, conn_id, _result({"c1": 0}, hidden=None))
    with dbmod.session() as s:
        c = s.exec(select(Comment)).one()
        assert c.hidden is False
        c.hidden = True  # hidden from the inbox since
    await dbmod.run(_write, conn_id, _result({"c1": 3}, hidden=None))
    with dbmod.session() as s:
        c = s.exec(select(Comment)).one()
        assert (c.hidden, c.likes) == (True, 3)


async def test_a_sync_through_the_emulator_announces_its_new_comments_once(db, redis_url, emulators):
    _, ws, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "instagram", "Nova Lane")
    async with EventProbe(ws.id) as probe:
        await sync.collect_connection(cid)
        events = []
        while (ev := await probe.next(timeout=1.0)) is not None:
            events.append(ev)
        with dbmod.session() as s:
            stored = len(s.exec(select(Comment).where(Comment.workspace_id == ws.id)).all())
        assert [e for e in events if e["kind"] == "inbox"] == [{"kind": "inbox", "new_comments": stored}]
        await sync.collect_connection(cid)  # the same comments again: nothing new
        events = []
        while (ev := await probe.next(timeout=1.0)) is not None:
            events.append(ev)
        assert [e for e in events if e["kind"] == "inbox"] == []


async def test_an_open_inbox_reloads_its_first_page_and_badge(db, redis_url):
    ws_id, token = _artist()
    _seed(ws_id, PER_PAGE + 5, "instagram", "old {i}")
    st = await _page(token)
    assert st.unread == PER_PAGE + 5
    with dbmod.session() as s:
        post = s.exec(select(ContentPost)).first()
        s.add(Comment(workspace_id=ws_id, post_id=post.id, platform="instagram", platform_comment_id="fresh",
                      text="just now", author="newfan", posted_at=datetime(2026, 4, 1, tzinfo=UTC)))
    await st._on_event({"kind": "inbox", "new_comments": 1})
    assert st.items[0].text == "just now" and st.unread == PER_PAGE + 6 and st.notice == ""
    await handler(InboxState, "go_to_page")(st, 2)
    await st._on_event({"kind": "inbox", "new_comments": 1})
    assert st.page == 2 and st.notice == "1 new comment on the first page." and not st.notice_error
