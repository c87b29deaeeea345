"""The comments inbox in Chromium, over comments as platforms deliver them (odd authors, long
texts, emoji, HTML and markdown typed by fans): every filter, the search, the sorts, bulk
mark-read and archive with the unread badge following, and hostile text shown as text.

Screenshot: artifacts/screens/inbox_hostile.png."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import assert_fits, shot

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
MARKDOWN = "**markdown** and _more_ [link](javascript:alert(2))"
LONG_AUTHOR = "a" * 150  # no space to wrap at
LONG_TEXT = ("so good " * 400).strip()  # 3,199 characters

# (platform, post caption, author, text, likes, read, replied, minutes ago); newest first.
COMMENTS = [
    ("x", "Tour dates are out", "@tourfan", "When are you coming to Lisbon?", 3, False, False, 10),
    ("instagram", "Summer single out now", "", XSS, 1, False, False, 20),
    ("youtube", "Official video", "DJ 🔥🔥", "🔥🔥🔥 fire track 🎧", 12, False, True, 30),
    ("instagram", "Summer single out now", "Łukasz Żółć 🦄", MARKDOWN, 5, False, False, 40),
    ("youtube", "Official video", LONG_AUTHOR, LONG_TEXT, 50, True, False, 50),
    ("x", "Tour dates are out", "Ünïcödé", "Ça déchire 💯", 0, True, True, 60),
]


def _seed_comments(workspace_id: int) -> None:
    from dreamsuite import db
    from dreamsuite.models import Comment, ContentPost, PlatformConnection

    now = datetime.now(UTC)
    with db.session() as s:
        posts: dict[str, int] = {}
        for i, (platform, caption, author, text, likes, read, replied, ago) in enumerate(COMMENTS):
            if caption not in posts:
                conn = PlatformConnection(workspace_id=workspace_id, platform=platform,
                                          platform_user_id=f"{platform}-me", username="me")
                s.add(conn)
                s.flush()
                post = ContentPost(workspace_id=workspace_id, connection_id=conn.id, platform=platform,
                                   platform_post_id=f"post-{i}", caption=caption,
                                   posted_at=now - timedelta(days=1))
                s.add(post)
                s.flush()
                posts[caption] = post.id
            s.add(Comment(workspace_id=workspace_id, post_id=posts[caption], platform=platform,
                          platform_comment_id=f"c{i}", author=author, text=text, likes=likes, is_read=read,
                          replied=replied, posted_at=now - timedelta(minutes=ago)))


def _pick(page, testid: str, option: str) -> None:
    page.get_by_test_id(testid).click()
    page.get_by_role("option", name=option, exact=True).click()


def _row(page, text: str):
    return page.get_by_test_id("inbox-comment").filter(has_text=text)


def test_filters_search_sort_bulk_changes_and_hostile_text(module_app, new_context):
    base = module_app
    me = seed.artist("Inbox Artist")
    seed.off_loop(_seed_comments, me.workspace_id)
    context = new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if re.search(r"/x$", r.url) else None)
    log_in(page, base, me.email, me.password)

    page.goto(f"{base}/inbox")
    rows = page.get_by_test_id("inbox-comment")
    badge = page.get_by_test_id("inbox-unread-count")
    expect(rows).to_have_count(6)
    expect(badge).to_have_text("4 unread")
    expect(page.get_by_test_id("inbox-range")).to_have_text("1–6 of 6")
    expect(page.get_by_test_id("inbox-unread")).to_have_count(4)

    # Newest first; a comment without an author reads "Someone".
    expect(rows.first).to_contain_text("Lisbon")
    expect(rows.nth(1)).to_contain_text("Someone")

    # What fans typed is shown character for character: no element, no script, no markdown.
    expect(_row(page, "onerror").get_by_test_id("inbox-text")).to_have_text(XSS)
    expect(_row(page, "Łukasz").get_by_test_id("inbox-text")).to_have_text(MARKDOWN)
    listed = page.get_by_test_id("inbox-text")
    for tag in ["img", "strong", "em", "a", "script"]:
        expect(listed.locator(tag)).to_have_count(0)
    expect(_row(page, LONG_AUTHOR[:40]).get_by_test_id("inbox-text")).to_have_text(LONG_TEXT)
    # A long comment is cut to a few lines until asked for whole; a short one has nothing to show.
    long_row = _row(page, LONG_AUTHOR[:40])
    cut = long_row.get_by_test_id("inbox-text").bounding_box()["height"]
    assert cut < 200, cut
    long_row.get_by_test_id("inbox-more").click()
    expect(long_row.get_by_test_id("inbox-more")).to_have_text("Show less")
    assert long_row.get_by_test_id("inbox-text").bounding_box()["height"] > 3 * cut
    long_row.get_by_test_id("inbox-more").click()
    expect(long_row.get_by_test_id("inbox-more")).to_have_text("Show more")
    expect(_row(page, "onerror").get_by_test_id("inbox-more")).to_have_count(0)
    expect(_row(page, "DJ 🔥🔥")).to_contain_text("🔥🔥🔥 fire track 🎧")
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    # The long author and the long text wrap inside the page.
    assert_fits(page, "the inbox with long comments")
    shot(page, "inbox_hostile")

    # By platform: YouTube's two comments, each labelled so.
    _pick(page, "inbox-platform", "YouTube")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("inbox-platform-badge")).to_have_text(["YouTube", "YouTube"])
    _pick(page, "inbox-platform", "All platforms")
    expect(rows).to_have_count(6)

    # By post: the Instagram post's two comments.
    _pick(page, "inbox-post", "Instagram: Summer single out now")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(XSS)
    expect(rows.last).to_contain_text("Łukasz Żółć 🦄")
    page.get_by_test_id("inbox-clear").click()
    expect(rows).to_have_count(6)

    # Unread, then unread and unanswered.
    _pick(page, "inbox-read", "Unread")
    expect(rows).to_have_count(4)
    _pick(page, "inbox-answered", "Unanswered")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("inbox-unread")).to_have_count(3)
    expect(rows.filter(has_text="DJ 🔥🔥")).to_have_count(0)
    page.get_by_test_id("inbox-clear").click()
    expect(rows).to_have_count(6)

    # Search, in the text and the author, in any case and script.
    search = page.get_by_test_id("inbox-search")
    for term, found in [("LISBON", "@tourfan"), ("ünïcödé", "Ça déchire"), ("ÜNÏCÖDÉ", "Ça déchire"),
                        ("🎧", "DJ 🔥🔥"), ("onerror", "Someone"), ("%", None), ("_more_", "Łukasz")]:
        search.fill("")  # from the whole list each time: no term passes on its predecessor's result
        expect(rows).to_have_count(6)
        search.fill(term)
        if found is None:
            expect(page.get_by_test_id("inbox-empty")).to_be_visible()
            expect(rows).to_have_count(0)
        else:
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text(found)
    search.fill("")
    expect(rows).to_have_count(6)

    # Sorts: most liked first; unanswered before answered.
    _pick(page, "inbox-sort", "Most liked")
    expect(rows.first).to_contain_text(LONG_AUTHOR[:40])
    expect(rows.nth(1)).to_contain_text("DJ 🔥🔥")
    expect(rows.last).to_contain_text("Ünïcödé")
    _pick(page, "inbox-sort", "Unanswered first")  # each part newest first
    expect(rows.first).to_contain_text("Lisbon")
    expect(rows.nth(3)).to_contain_text(LONG_AUTHOR[:40])
    expect(rows.nth(4)).to_contain_text("DJ 🔥🔥")
    expect(rows.last).to_contain_text("Ünïcödé")
    for i in range(6):
        expect(rows.nth(i).get_by_text("Answered", exact=True)).to_have_count(1 if i >= 4 else 0)
    _pick(page, "inbox-sort", "Newest")
    expect(rows.first).to_contain_text("Lisbon")

    # Bulk: two checked, marked read; the badge follows.
    _row(page, "Lisbon").get_by_test_id("inbox-check").click()
    _row(page, "onerror").get_by_test_id("inbox-check").click()
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.get_by_test_id("inbox-mark-read").click()
    expect(page.get_by_test_id("inbox-notice")).to_contain_text("2 comments marked read.")
    expect(badge).to_have_text("2 unread")
    expect(page.get_by_test_id("inbox-unread")).to_have_count(2)
    expect(page.get_by_test_id("inbox-mark-read")).to_have_count(0)  # nothing selected any more

    # Two more archived: they leave the inbox (and the unread count), and wait in the archive.
    _row(page, "DJ 🔥🔥").get_by_test_id("inbox-check").click()
    _row(page, "Łukasz").get_by_test_id("inbox-check").click()
    page.get_by_test_id("inbox-archive").click()
    expect(page.get_by_test_id("inbox-notice")).to_contain_text("2 comments archived.")
    expect(rows).to_have_count(4)
    expect(badge).to_have_text("0 unread")
    _pick(page, "inbox-show", "Archive")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("inbox-text")).to_have_text(["🔥🔥🔥 fire track 🎧", MARKDOWN])

    # Select-all on the page, then one unchecked: only the other is brought back.
    page.get_by_test_id("inbox-select-all").click()
    expect(page.get_by_text("2 selected")).to_be_visible()
    _row(page, "Łukasz").get_by_test_id("inbox-check").click()
    page.get_by_test_id("inbox-unarchive").click()
    expect(page.get_by_test_id("inbox-notice")).to_contain_text("1 comment back in the inbox.")
    expect(rows).to_have_count(1)
    expect(badge).to_have_text("1 unread")

    # Stored, not only shown: a reload reads the same (the tab keeps its filters).
    page.reload()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Łukasz Żółć 🦄")
    _pick(page, "inbox-show", "Inbox")
    expect(rows).to_have_count(5)
    expect(badge).to_have_text("1 unread")
    expect(page.get_by_test_id("inbox-unread")).to_have_count(1)
    expect(_row(page, "DJ 🔥🔥").get_by_test_id("inbox-unread")).to_have_count(1)

    assert dialogs == [], f"a comment opened a dialog: {dialogs}"
    assert fetched == [], f"a comment made the browser fetch {fetched}"
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0


def test_a_viewer_reads_the_inbox_without_write_controls(module_app, new_context):
    base = module_app
    owner = seed.artist("Inbox Viewer Artist")
    seed.off_loop(_seed_comments, owner.workspace_id)
    viewer = seed.member(owner.workspace_id, "viewer")
    page = new_context(width=390, height=844).new_page()
    log_in(page, base, viewer.email, viewer.password)
    page.goto(f"{base}/inbox")
    rows = page.get_by_test_id("inbox-comment")
    expect(rows).to_have_count(6)
    expect(page.get_by_test_id("inbox-unread-count")).to_have_text("4 unread")
    # Reading, filtering and searching, yes; checking, marking, archiving, replying, no.
    for testid in ["inbox-check", "inbox-select-all", "inbox-mark-one", "inbox-reply-open", "inbox-archive"]:
        expect(page.get_by_test_id(testid)).to_have_count(0)
    page.get_by_test_id("inbox-search").fill("lisbon")
    expect(rows).to_have_count(1)
    assert_fits(page, "the inbox of a viewer at 390px")
