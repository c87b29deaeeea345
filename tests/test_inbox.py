"""The comments inbox service: filters, sorts, search, pages and counts over one workspace's
comments only, with the date filter in the workspace's own timezone; bulk read and archive by an
editor, foreign ids ignored and reported, viewers refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, ContentPost, Role
from dreamsuite.services import inbox
from dreamsuite.services.inbox import Filters
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member, make_workspace

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("redis_url")]


def _post(ws_id: int, platform: str, pid: str, caption: str, url: str = "") -> int:
    with dbmod.session() as s:
        p = ContentPost(workspace_id=ws_id, platform=platform, platform_post_id=pid, caption=caption, url=url,
                        posted_at=datetime(2026, 1, 1, tzinfo=UTC))
        s.add(p)
        s.flush()
        return p.id


def _comment(ws_id: int, post_id: int, platform: str, cid: str, text: str, at: datetime, **kw) -> int:
    with dbmod.session() as s:
        c = Comment(workspace_id=ws_id, post_id=post_id, platform=platform, platform_comment_id=cid, text=text,
                    posted_at=at, **kw)
        s.add(c)
        s.flush()
        return c.id


def _world():
    """A Tokyo artist with comments on YouTube and Instagram, and a Los Angeles artist whose
    comments carry the same words."""
    _, ws, owner = make_workspace("kaori@example.com", timezone="Asia/Tokyo")
    _, other_ws, other = make_workspace("la@example.com", timezone="America/Los_Angeles")
    yt = _post(ws.id, "youtube", "v1", "Première — « Nuit blanche » live at the Ōsaka hall, full set with the band and the choir of the Tōkyō school",
               "https://youtube.example/v1")
    ig = _post(ws.id, "instagram", "p1", "New single out", "https://instagram.example/p1")
    theirs = _post(other_ws.id, "youtube", "v1", "Their video")
    # 2026-03-03 15:30 UTC is 4 March 00:30 in Tokyo.
    ids = {
        "tokyo_midnight": _comment(ws.id, yt, "youtube", "c1", "ÉNORME concert!!", datetime(2026, 3, 3, 15, 30,
                                                                                         tzinfo=UTC), likes=5),
        "utc_evening": _comment(ws.id, yt, "youtube", "c2", "straße of dreams <b>bold</b>",
                                datetime(2026, 3, 3, 14, 59, tzinfo=UTC), likes=40, replied=True),
        "reply": _comment(ws.id, ig, "instagram", "c3", "日本語のコメント 100%_sure", datetime(2026, 3, 5, 1, 0,
                                                                                        tzinfo=UTC),
                          likes=40, parent_platform_id="c0", is_read=True, author="Fan_One"),
        "old": _comment(ws.id, ig, "instagram", "c4", "first!", datetime(2026, 2, 1, tzinfo=UTC), likes=1,
                        archived=True),
    }
    foreign = _comment(other_ws.id, theirs, "youtube", "c1", "ÉNORME concert!!", datetime(2026, 3, 4, tzinfo=UTC),
                       likes=999)
    return ws, owner, other, ids, foreign, yt, ig


def _ids(page) -> list[int]:
    return [i.id for i in page.items]


def test_filters_search_sorts_and_another_workspace_never_shows(db):
    ws, owner, other, ids, foreign, yt, ig = _world()
    everything = inbox.list_comments(owner, Filters(archived=None))
    assert foreign not in _ids(everything) and everything.total == 4
    # The inbox leaves the archive out; newest first.
    page = inbox.list_comments(owner)
    assert _ids(page) == [ids["reply"], ids["tokyo_midnight"], ids["utc_evening"]]
    first = page.items[0]
    assert (first.platform, first.is_reply, first.author, first.post_url) == ("instagram", True, "Fan_One",
                                                                             "https://instagram.example/p1")
    assert page.items[1].post_caption.endswith("…") and len(page.items[1].post_caption) <= inbox.SNIPPET
    assert page.items[2].text == "straße of dreams <b>bold</b>"  # stored and returned as text
    assert _ids(inbox.list_comments(owner, Filters(archived=True))) == [ids["old"]]
    assert _ids(inbox.list_comments(owner, Filters(platforms=("youtube",)))) == [ids["tokyo_midnight"],
                                                                                 ids["utc_evening"]]
    assert _ids(inbox.list_comments(owner, Filters(post_id=ig, archived=None))) == [ids["reply"], ids["old"]]
    assert _ids(inbox.list_comments(owner, Filters(read=False))) == [ids["tokyo_midnight"], ids["utc_evening"]]
    assert _ids(inbox.list_comments(owner, Filters(read=True))) == [ids["reply"]]
    assert _ids(inbox.list_comments(owner, Filters(answered=True))) == [ids["utc_evening"]]
    assert _ids(inbox.list_comments(owner, Filters(answered=False))) == [ids["reply"], ids["tokyo_midnight"]]
    # Another workspace's post id shows nothing.
    assert inbox.list_comments(owner, Filters(post_id=foreign)).total == 0
    assert _ids(inbox.list_comments(other, Filters(post_id=yt))) == []
    # Most engaged: likes, then newest; unanswered first, then newest.
    assert _ids(inbox.list_comments(owner, sort="engaged")) == [ids["reply"], ids["utc_evening"],
                                                                ids["tokyo_midnight"]]
    assert _ids(inbox.list_comments(owner, sort="unanswered")) == [ids["reply"], ids["tokyo_midnight"],
                                                                   ids["utc_evening"]]
    with pytest.raises(inbox.BadFilter):
        inbox.list_comments(owner, sort="random")


@pytest.mark.parametrize("term,expected", [
    ("énorme", ["tokyo_midnight"]), ("ÉNORME CONCERT", ["tokyo_midnight"]),
    ("STRAẞE", ["utc_evening"]), ("日本語", ["reply"]), ("100%_", ["reply"]), ("%", ["reply"]), ("_", ["reply"]),
    ("fan_one", ["reply"]), ("<b>", ["utc_evening"]), ("   ", ["reply", "tokyo_midnight", "utc_evening"]),
])
def test_search_is_case_insensitive_in_any_script_and_takes_wildcards_literally(db, term, expected):
    ws, owner, other, ids, foreign, yt, ig = _world()
    assert _ids(inbox.list_comments(owner, Filters(search=term))) == [ids[k] for k in expected]
    assert set(_ids(inbox.list_comments(other, Filters(search=term)))) <= {foreign}


def test_date_range_is_in_the_workspace_timezone(db):
    ws, owner, other, ids, foreign, yt, ig = _world()
    # 4 March in Tokyo starts at 3 March 15:00 UTC: the 15:30 comment is on the 4th, the 14:59 one on the 3rd.
    assert _ids(inbox.list_comments(owner, Filters(since=date(2026, 3, 4), until=date(2026, 3, 4)))) == [
        ids["tokyo_midnight"]]
    assert _ids(inbox.list_comments(owner, Filters(until=date(2026, 3, 3)))) == [ids["utc_evening"]]
    assert _ids(inbox.list_comments(owner, Filters(since=date(2026, 3, 5)))) == [ids["reply"]]
    # The Los Angeles artist's comment at 4 March 00:00 UTC is on 3 March there.
    assert _ids(inbox.list_comments(other, Filters(since=date(2026, 3, 3), until=date(2026, 3, 3)))) == [foreign]
    assert inbox.list_comments(other, Filters(since=date(2026, 3, 4))).total == 0


def test_pages_cover_every_comment_once_with_the_total(db):
    _, ws, owner = make_workspace("many@example.com", timezone="Europe/Paris")
    post = _post(ws.id, "tiktok", "t1", "clip")
    at = datetime(2026, 5, 1, tzinfo=UTC)
    # Equal times and likes: the order must still be total so pages neither repeat nor skip.
    made = [_comment(ws.id, post, "tiktok", f"k{i}", f"n°{i}", at + timedelta(minutes=i // 3), likes=i % 4,
                     replied=i % 5 == 0) for i in range(23)]
    # What each sort means, worked out here: (key, id) descending for newest, etc.
    newest = sorted(made, key=lambda c: (made.index(c) // 3, c), reverse=True)
    expected = {"newest": newest,
                "engaged": sorted(newest, key=lambda c: made.index(c) % 4, reverse=True),
                "unanswered": sorted(newest, key=lambda c: made.index(c) % 5 == 0)}
    for sort in inbox.SORTS:
        seen = []
        for n in range(1, 5):
            page = inbox.list_comments(owner, sort=sort, page=n, per_page=10)
            assert (page.total, page.pages) == (23, 3)
            seen += _ids(page)
        # Pages past the end show the last page again.
        assert seen[:23] == expected[sort] and seen[23:] == seen[20:23]
    assert inbox.list_comments(owner, page=0, per_page=10).page == 1


def test_bulk_read_and_archive_ignore_foreign_ids_and_refuse_viewers(db):
    ws, owner, other, ids, foreign, yt, ig = _world()
    assert inbox.counts(owner) == {"unread": 2, "unanswered": 2}
    done = inbox.mark_read(owner, [ids["tokyo_midnight"], foreign, 987654, "x", ids["tokyo_midnight"]])
    assert (done.changed, done.ignored) == (1, [foreign, 987654])
    with dbmod.session() as s:
        assert s.get(Comment, foreign).is_read is False
    assert inbox.counts(owner)["unread"] == 1
    assert inbox.mark_read(owner, [ids["tokyo_midnight"]], read=False).changed == 1
    assert inbox.counts(owner)["unread"] == 2
    done = inbox.archive(owner, [ids["tokyo_midnight"], ids["utc_evening"], foreign])
    assert (done.changed, done.ignored) == (2, [foreign])
    assert _ids(inbox.list_comments(owner)) == [ids["reply"]]
    assert inbox.counts(owner) == {"unread": 0, "unanswered": 1}
    assert inbox.archive(owner, [ids["utc_evening"]], archived=False).changed == 1
    # The other workspace's owner cannot touch ours either: nothing of theirs named, refused.
    with pytest.raises(NotFound):
        inbox.archive(other, [ids["reply"]])
    with dbmod.session() as s:
        assert s.get(Comment, ids["reply"]).archived is False
    viewer = add_member(ws.id, "viewer@example.com", Role.viewer)
    assert inbox.list_comments(viewer).total == 2  # viewers read
    for change in (inbox.mark_read, inbox.archive):
        with pytest.raises(AccessDenied):
            change(viewer, [ids["reply"]])
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    assert inbox.mark_read(editor, [ids["reply"]], read=False).changed == 1
    with dbmod.session() as s:
        assert s.exec(select(Comment.is_read).where(Comment.id == ids["reply"])).one() is False


def test_many_ids_at_once(db):
    _, ws, owner = make_workspace("bulk@example.com")
    post = _post(ws.id, "x", "x1", "tweet")
    at = datetime(2026, 6, 1, tzinfo=UTC)
    with dbmod.session() as s:
        s.add_all([Comment(workspace_id=ws.id, post_id=post, platform="x", platform_comment_id=f"b{i}", text="hi",
                           posted_at=at) for i in range(1200)])
    all_ids = _ids(inbox.list_comments(owner, per_page=inbox.MAX_PER_PAGE))
    every = [c for c in range(1, 5000)]
    done = inbox.archive(owner, every)
    assert done.changed == 1200 and len(done.ignored) == 5000 - 1 - 1200
    assert inbox.list_comments(owner).total == 0 and all_ids
