"""The inbox page's state without a browser: filters and search reach the database, times in the
user's timezone, text kept as text, bulk read and archive of the checked comments, viewers
refused with a message, pages, and a refresh when a sync collected new comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, ContentPost, Membership, Role
from dreamsuite.services import auth
from dreamsuite.state.inbox import PER_PAGE, InboxState
from tests.test_state import handler, tab

import dreamsuite.pages  # noqa: E402,F401  (registered in this context, as tests/test_state.py explains)
import dreamsuite.pages.inbox  # noqa: E402,F401

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


def _artist(email: str = "me@example.com", tz: str = "America/Sao_Paulo", role: Role = Role.owner):
    user_id, ws_id, token = auth.create_account(email, "password1", "Me", tz)
    if role != Role.owner:
        with dbmod.session() as s:
            s.exec(update(Membership).where(Membership.user_id == user_id).values(role=role.value))
    return ws_id, token


def _seed(ws_id: int, n: int, platform: str = "youtube", text: str = "comment {i}", start: int = 0) -> int:
    with dbmod.session() as s:
        post = ContentPost(workspace_id=ws_id, platform=platform, platform_post_id=f"{platform}-{start}",
                           caption="Tour diary <script>alert(1)</script>", url="javascript:alert(1)",
                           posted_at=datetime(2026, 1, 1, tzinfo=UTC))
        s.add(post)
        s.flush()
        s.add_all([Comment(workspace_id=ws_id, post_id=post.id, platform=platform,
                           platform_comment_id=f"{platform}-{start + i}", text=text.format(i=i), likes=i,
                           author=f"fan{i}", posted_at=datetime(2026, 3, 1, 12, tzinfo=UTC) + timedelta(hours=i))
                   for i in range(n)])
        return post.id


async def _page(token: str) -> InboxState:
    st = tab(InboxState, token, "/inbox")
    await handler(InboxState, "check_login")(st)
    await handler(InboxState, "load")(st)
    return st


async def test_list_filters_search_and_times_in_the_users_timezone(db, redis_url):
    ws_id, token = _artist()
    _seed(ws_id, 3, "youtube", "<img src=x onerror=alert(1)> n°{i}")
    _seed(ws_id, 2, "instagram", "Ça déchire {i}", start=100)
    other_ws, _ = _artist("other@example.com")
    _seed(other_ws, 4, "youtube", "not yours {i}", start=200)
    st = await _page(token)
    assert st.total == 5 and st.unread == 5 and len(st.items) == 5
    assert [c[1] for c in st.platform_choices] == ["All platforms", "Instagram", "YouTube"]
    newest = st.items[0]
    assert newest.text == "<img src=x onerror=alert(1)> n°2" and newest.platform_label == "YouTube"
    assert newest.when == "01 Mar 2026, 11:00"  # 14:00 UTC in São Paulo
    assert newest.post_url == "" and newest.post_caption.startswith("Tour diary <script>")
    await handler(InboxState, "set_platform")(st, "instagram")
    assert [c.platform for c in st.items] == ["instagram", "instagram"]
    await handler(InboxState, "set_search")(st, "ÇA DÉCHIRE 1")
    assert [c.text for c in st.items] == ["Ça déchire 1"]
    await handler(InboxState, "set_platform")(st, "not-a-platform")  # anything else: all platforms
    assert st.platform == "all" and st.total == 1
    await handler(InboxState, "clear_filters")(st)
    await handler(InboxState, "set_since")(st, "2026-03-01")
    await handler(InboxState, "set_until")(st, "2026-03-01")
    assert st.total == 5
    await handler(InboxState, "set_since")(st, "2026-03-02")
    assert st.total == 0
    await handler(InboxState, "set_since")(st, "yesterday")
    assert st.notice_error and "date" in st.notice
    await handler(InboxState, "set_since")(st, "")
    await handler(InboxState, "set_sort")(st, "engaged")
    assert [c.likes for c in st.items] == ["2", "1", "1", "0", "0"]


async def test_bulk_read_archive_pages_and_viewers(db, redis_url):
    ws_id, token = _artist()
    _seed(ws_id, PER_PAGE + 5)
    st = await _page(token)
    assert (st.pages, st.range_text) == (2, f"1–{PER_PAGE} of {PER_PAGE + 5}")
    await handler(InboxState, "go_to_page")(st, 2)
    assert len(st.items) == 5 and st.range_text == f"{PER_PAGE + 1}–{PER_PAGE + 5} of {PER_PAGE + 5}"
    handler(InboxState, "toggle_all")(st, True)
    assert st.selected_count == 5 and st.all_selected
    await handler(InboxState, "mark_selected_read")(st)
    assert st.unread == PER_PAGE and st.selected == [] and st.notice == "5 comments marked read."
    handler(InboxState, "toggle")(st, st.items[0].id, True)
    st.selected = [*st.selected, 999_999]  # a forged id from the browser
    await handler(InboxState, "archive_selected")(st)
    assert "1 comment archived." in st.notice and "1 could not be found" in st.notice
    assert st.total == PER_PAGE + 4
    await handler(InboxState, "set_show")(st, "archive")
    assert st.total == 1 and st.items[0].archived
    handler(InboxState, "toggle")(st, st.items[0].id, True)
    await handler(InboxState, "unarchive_selected")(st)
    assert st.total == 0
    # A viewer reads but cannot change anything; the message says so.
    with dbmod.session() as s:
        s.exec(update(Membership).where(Membership.workspace_id == ws_id).values(role=Role.viewer.value))
    st = await _page(token)
    assert st.total == PER_PAGE + 5 and not st.can_edit
    handler(InboxState, "toggle")(st, st.items[0].id, True)
    await handler(InboxState, "mark_selected_read")(st)
    assert st.notice_error and "editor" in st.notice
    assert st.unread == PER_PAGE


async def test_new_comments_after_a_sync_appear(db, redis_url):
    ws_id, token = _artist()
    _seed(ws_id, 1)
    st = await _page(token)
    assert st.total == 1
    _seed(ws_id, 2, "tiktok", start=50)
    await st._on_event({"kind": "sync", "status": "started"})
    assert st.total == 1
    await st._on_event({"kind": "sync", "status": "success", "counts": {"comments": 2}})
    assert st.total == 3 and "tiktok" in [c[0] for c in st.platform_choices]


async def test_reply_from_the_page_is_queued_and_platforms_without_replies_say_so(db, redis_url):
    from dreamsuite.models import CommentReply

    ws_id, token = _artist()
    _seed(ws_id, 1, "x", "drop the date <b>pls</b>")
    _seed(ws_id, 1, "tiktok", "tt comment", start=10)
    st = await _page(token)
    by_platform = {c.platform: c for c in st.items}
    assert by_platform["x"].can_reply and by_platform["x"].no_reply == ""
    assert not by_platform["tiktok"].can_reply
    assert by_platform["tiktok"].no_reply == "TikTok replies cannot be sent from here yet: reply in the TikTok app."
    handler(InboxState, "open_reply")(st, by_platform["x"].id)
    handler(InboxState, "set_reply_text")(st, "   ")
    await handler(InboxState, "send_reply")(st)
    assert st.notice_error and st.replying_to == by_platform["x"].id  # nothing stored
    handler(InboxState, "set_reply_text")(st, "Friday!")
    await handler(InboxState, "send_reply")(st)
    assert not st.notice_error and st.replying_to == 0
    assert {c.platform: c.reply_status for c in st.items}["x"] == "Reply queued…"
    with dbmod.session() as s:
        assert [(r.text, r.status) for r in s.exec(select(CommentReply)).all()] == [("Friday!", "pending")]


async def test_hide_from_the_page_says_hiding_until_the_worker_is_done_and_filters_by_hidden(db, redis_url):
    from dreamsuite.services import inbox_hide

    ws_id, token = _artist()
    _seed(ws_id, 2, "facebook", "fb {i}")
    _seed(ws_id, 1, "tiktok", "tt {i}", start=10)
    st = await _page(token)
    by_platform = {c.platform: c for c in st.items}
    fb, tt = by_platform["facebook"], by_platform["tiktok"]
    assert fb.can_hide and fb.hide_limits and not tt.can_hide
    assert tt.no_hide == "TikTok does not let apps hide comments: hide it in the TikTok app."
    await handler(InboxState, "hide_comment")(st, fb.id)
    shown = next(c for c in st.items if c.id == fb.id)
    assert shown.hide_pending and shown.hide_status == "Hiding…" and not shown.hidden and not st.notice_error
    assert await inbox_hide.run(fb.id) == "failed"  # no connection behind these seeded comments
    await handler(InboxState, "set_hidden")(st, "visible")
    shown = next(c for c in st.items if c.id == fb.id)
    assert not shown.hide_pending and shown.hide_error and shown.hide_status.startswith("Not hidden: ")
    with dbmod.session() as s:
        s.exec(update(Comment).where(Comment.id == fb.id).values(hidden=True))
    await handler(InboxState, "set_hidden")(st, "hidden")
    assert [c.id for c in st.items] == [fb.id] and st.items[0].hidden
    await handler(InboxState, "clear_filters")(st)
    assert st.hidden == "all" and len(st.items) == 3
    await handler(InboxState, "hide_comment")(st, tt.id)
    assert st.notice_error and "does not let apps hide" in st.notice


async def test_viewers_cannot_hide(db, redis_url):
    ws_id, token = _artist(role=Role.viewer)
    _seed(ws_id, 1, "facebook")
    st = await _page(token)
    await handler(InboxState, "hide_comment")(st, st.items[0].id)
    assert st.notice_error and not st.items[0].hide_pending
