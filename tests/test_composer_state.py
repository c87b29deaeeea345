"""The composer page's state without a browser: counters and previews per chosen platform, media
problems as soon as a file is chosen, uploads from the picker, errors next to their fields, and
opening a draft from its link (/composer?post=<id>) to finish and schedule it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import reflex as rx
from sqlmodel import select

from dreamsuite import db as dbm
from dreamsuite.models import PlatformConnection, ScheduledPost
from dreamsuite.services import auth, media, publish
from dreamsuite.services.scope import Scope
from dreamsuite.models import Role
from dreamsuite.settings import get_settings
from tests.media_files import fixture, picture
from tests.test_state import handler, tab

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
def artist(db, redis_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    get_settings.cache_clear()
    user_id, ws_id, token = auth.create_account("nova@example.com", "password1", "Nova Lane", "Europe/Paris")
    with dbm.session() as s:
        for platform in ("x", "instagram"):
            s.add(PlatformConnection(workspace_id=ws_id, platform=platform, platform_user_id="nova", username="nova"))
    return Scope(user_id, ws_id, Role.owner), token


async def _composer(token: str, query: dict | None = None):
    from dreamsuite.state.composer import ComposerState

    st = tab(ComposerState, token, "/composer", query)
    await handler(ComposerState, "check_login")(st)
    await handler(ComposerState, "load")(st)
    return st, ComposerState


def _ids(st) -> dict[str, str]:
    return {a.platform: a.connection_id for a in st.accounts}


async def test_counters_and_previews_follow_each_platform(artist):
    _, token = artist
    st, cls = await _composer(token)
    ids = _ids(st)
    assert [a.label for a in st.accounts] == ["Instagram @nova", "X @nova"]
    handler(cls, "toggle_account")(st, ids["x"], True)
    handler(cls, "toggle_account")(st, ids["instagram"], True)
    assert st.variant_tab == "x"  # the first chosen platform's tab opens
    st.content = "Night Drive, out Friday. " * 12 + "#a #b #c #d #e #f"  # 317 characters, 6 hashtags
    assert [c.text for c in st.counters] == ["Instagram 317/2200, 6/5 hashtags", "X 317/280"]
    assert [c.over for c in st.counters] == [True, True]
    ig, x = st.previews
    assert (ig.layout, ig.more, ig.text.endswith("…"), len(ig.text)) == ("instagram", True, True, 125)
    assert ig.problems == ["Instagram cannot post text alone: add a photo or a video to this post."]
    assert (x.layout, len(x.text), x.name, x.handle) == ("x", 280, "Nova Lane", "@nova")
    assert x.cut.startswith("X stops at 280 characters: 37 more would not be posted.")
    # X's own text: its counter and preview follow it; Instagram keeps the main text.
    handler(cls, "set_variant")(st, "Night Drive. Friday.")
    assert st.counters[1].text == "X 20/280"
    assert (st.previews[1].text, st.previews[1].cut) == ("Night Drive. Friday.", "")
    assert st.variant_counter == "X 20/280" and [t.own for t in st.platform_tabs] == [False, True]
    handler(cls, "use_main_text")(st)
    assert st.variants == {}


async def test_the_picker_uploads_into_the_library_and_the_post_with_problems_at_once(artist):
    scope, token = artist
    st, cls = await _composer(token)
    ids = _ids(st)
    handler(cls, "toggle_account")(st, ids["instagram"], True)
    await handler(cls, "open_picker")(st)
    assert st.picker_open and st.library == []
    files = [rx.UploadFile(file=io.BytesIO(picture(1080, 1350, fmt="PNG")), path=Path("cover.png")),
             rx.UploadFile(file=io.BytesIO(b"not a picture at all" * 10), path=Path("notes.jpg"))]
    async for _ in handler(cls, "handle_picker_upload")(st, files):
        pass
    assert [m.filename for m in st.media] == ["cover.png"] and [m.filename for m in st.library] == ["cover.png"]
    assert st.media[0].summary == "PNG · 1080×1350 · " + st.media[0].summary.rsplit(" · ", 1)[1]
    assert st.media[0].thumb.endswith(f"/media/thumb/{st.media[0].id}")
    assert st.picker_errors[0].startswith("notes.jpg is not a file we can use")
    assert st.media_problems == ["Instagram takes JPEG photos only: cover.png is PNG. Save it as JPEG and add it "
                                 "again."]
    jpeg = media.upload(scope, "cover.jpg", picture(1080, 1350, fmt="JPEG"))
    await handler(cls, "open_picker")(st)
    handler(cls, "toggle_media")(st, st.media[0].id)  # unchosen
    handler(cls, "toggle_media")(st, jpeg["id"])
    assert st.chosen_ids == [jpeg["id"]] and st.media_problems == []
    st.content = "Cover reveal"
    await handler(cls, "schedule")(st, "")
    assert st.form_ok.startswith("Scheduled for") and st.media == [] and st.content == ""
    with dbm.session() as s:
        assert s.exec(select(ScheduledPost)).one().media == [jpeg["id"]]


async def test_problems_show_next_to_their_fields_and_nothing_is_saved(artist):
    _, token = artist
    st, cls = await _composer(token)
    ids = _ids(st)
    handler(cls, "toggle_account")(st, ids["x"], True)
    st.content = "y" * 281
    st.first_comment = "z" * 300
    await handler(cls, "schedule")(st, "")
    assert st.content_errors == ["Too long for X (@nova): 281 characters, the limit is 280."]
    assert st.first_comment_errors == ["The first comment is too long for X (@nova): 300 characters, the limit "
                                       "is 280."]
    assert st.form_error == "Nothing was saved: 2 things to fix, marked above."
    handler(cls, "set_variant")(st, "z" * 290)  # the X text of its own is now the one too long
    await handler(cls, "schedule")(st, "")
    assert st.content_errors == [] and st.variant_errors == ["Too long for X (@nova): 290 characters, the limit "
                                                             "is 280."]
    assert [t.error for t in st.platform_tabs] == [True]
    with dbm.session() as s:
        assert s.exec(select(ScheduledPost)).all() == []


async def test_a_draft_opens_from_its_link_and_is_scheduled_from_there(artist):
    scope, token = artist
    st, cls = await _composer(token)
    ids = _ids(st)
    clip = media.upload(scope, "clip.mp4", fixture("clip.mp4"))
    draft = await publish.schedule_post(scope, "Idea for Friday", [int(ids["x"])], None, "Europe/Paris", draft=True,
                                        variants={"x": "Short idea"}, media=[clip["id"]], first_comment="Link below")
    st, cls = await _composer(token, {"post": str(draft.id)})
    assert (st.editing_id, st.heading, st.content) == (draft.id, "Editing a draft", "Idea for Friday")
    assert st.selected == [ids["x"]] and st.variants == {"x": "Short idea"} and st.first_comment == "Link below"
    assert [m.filename for m in st.media] == ["clip.mp4"] and st.media[0].duration == "4 s"
    [listed] = st.posts
    assert listed.status == "draft" and listed.editable and [d.label for d in listed.destinations] == ["draft"]
    st.when = "2099-01-01T10:00"  # beyond two years: said next to the time
    await handler(cls, "schedule")(st, "")
    assert st.when_error == "Posts can be scheduled up to two years ahead; pick an earlier date."
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    st.when = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    await handler(cls, "schedule")(st, "")
    assert st.form_ok.startswith("Scheduled for") and st.editing_id == 0 and st.heading == "New post"
    with dbm.session() as s:
        post = s.get(ScheduledPost, draft.id)
        assert post.status == "scheduled" and post.variants == {"x": "Short idea"}
    # A post that is no longer editable does not open.
    with dbm.session() as s:
        s.get(ScheduledPost, draft.id).status = "published"
    st, cls = await _composer(token, {"post": str(draft.id)})
    assert st.editing_id == 0 and "can no longer be changed" in st.form_error


async def test_the_first_comment_field_names_the_platforms_that_take_no_comments(artist):
    scope, token = artist
    with dbm.session() as s:
        s.add(PlatformConnection(workspace_id=scope.workspace_id, platform="tiktok", platform_user_id="nova",
                                 username="nova"))
    st, cls = await _composer(token)
    ids = _ids(st)
    handler(cls, "toggle_account")(st, ids["x"], True)
    assert st.first_comment_note == ""  # X replies under the post
    handler(cls, "toggle_account")(st, ids["tiktok"], True)
    assert st.first_comment_note == "TikTok will not get it: its API takes no comments. Add it there by hand."
    handler(cls, "toggle_account")(st, ids["x"], False)
    handler(cls, "toggle_account")(st, ids["x"], True)
    assert st.first_comment_note.startswith("TikTok will not get it")


async def test_each_destination_lists_its_history_in_the_posts_timezone(artist):
    from datetime import UTC, datetime

    from dreamsuite.models import DestinationEvent, PostDestination

    scope, token = artist
    with dbm.session() as s:
        conn = s.exec(select(PlatformConnection).where(PlatformConnection.platform == "x")).one()
        post = ScheduledPost(workspace_id=scope.workspace_id, author_id=scope.user_id, content="Out now",
                             first_comment="Pre-save", scheduled_at=datetime(2026, 11, 7, 17, 0, tzinfo=UTC),
                             timezone="America/New_York", status="published")
        s.add(post)
        s.flush()
        dest = PostDestination(workspace_id=scope.workspace_id, post_id=post.id, connection_id=conn.id,
                               status="published", platform_url="https://x.com/nova/status/1")
        s.add(dest)
        s.flush()
        at = datetime(2026, 11, 7, 17, 0, 1, tzinfo=UTC)
        for status, message in [("publishing", "Sending"), ("pending", "Will try again: X server error 503"),
                                ("publishing", "Sending again (attempt 2)"),
                                ("published", "https://x.com/nova/status/1"),
                                ("comment_sending", "Posting the first comment"),
                                ("comment_failed", "The first comment was not posted: X refused the request")]:
            s.add(DestinationEvent(workspace_id=scope.workspace_id, destination_id=dest.id, status=status,
                                   message=message, at=at))
    st, cls = await _composer(token)
    [shown] = st.posts
    [d] = shown.destinations
    assert [h.label for h in d.history] == ["sending", "waiting", "sending", "published", "first comment: sending",
                                            "first comment failed"]
    assert {h.when for h in d.history} == {"07 Nov 12:00:01 EST"}  # the post's timezone, not the user's
    assert d.history[3].link == "https://x.com/nova/status/1" and d.history[3].message == ""
    assert d.history[1].message == "Will try again: X server error 503" and d.history[1].tone == "wait"
    assert [h.tone for h in d.history[-2:]] == ["wait", "bad"]
    assert d.comment_trouble == "first comment not posted"  # said on the line too: the history may be folded
