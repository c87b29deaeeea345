"""The composer's post list in Chromium: a post with a first comment is posted now to the sandbox
(the app's own, mounted as in the demo) and sent by the publish job and then its first-comment job,
run here as the worker would run them; each destination's history fills in live under "History",
in the post's timezone. A second post whose platform post was deleted meanwhile shows its first
comment refused in the platform's words; choosing TikTok says it takes no first comment.

Screenshots go to artifacts/screens/composer_history.png (1400 px) and composer_history_360.png."""

from __future__ import annotations

import asyncio
import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import assert_fits, shot

pytestmark = pytest.mark.browser
COMMENT = "Pre-save Night Drive: https://nova.example/presave"


def _tiktok(workspace_id: int) -> None:
    from dreamsuite import db
    from dreamsuite.models import PlatformConnection

    with db.session() as s:
        s.add(PlatformConnection(workspace_id=workspace_id, platform="tiktok", platform_user_id="nova",
                                 username="novalane"))


def _scope(artist):
    from dreamsuite.models import Role
    from dreamsuite.services.scope import Scope

    return Scope(artist.user_id, artist.workspace_id, Role.owner)


async def _connect(scope) -> int:
    from dreamsuite import queue
    from tests.helpers import connect_sandbox

    try:
        return await connect_sandbox(scope)
    finally:
        await queue.close_pools()


def _destinations(workspace_id: int) -> list[tuple[int, str, str]]:
    from dreamsuite import db
    from dreamsuite.models import PostDestination, ScheduledPost

    with db.session() as s:
        return [(d.id, p.content, d.status) for d, p in s.exec(
            select(PostDestination, ScheduledPost).join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
            .where(ScheduledPost.workspace_id == workspace_id).order_by(PostDestination.id))]


def _gone(dest_id: int) -> None:
    from dreamsuite import db
    from dreamsuite.models import PostDestination

    with db.session() as s:  # the artist deleted the post on the platform before its comment went out
        dest = s.get(PostDestination, dest_id)
        dest.platform_post_id = "deleted-post"
        s.add(dest)


async def _send(dest_id: int, before_comment=None) -> tuple[str, str]:
    """What the worker does: the publish job, then the first-comment job it enqueued."""
    from dreamsuite import db, queue
    from dreamsuite.services import first_comment, publish

    try:
        published = await publish.publish_destination(dest_id)
        if before_comment is not None:
            await db.run(before_comment, dest_id)
        return published, await first_comment.post_first_comment(dest_id)
    finally:
        await queue.close_pools()


def test_each_destination_shows_its_history_with_the_first_comment(module_app, new_context, monkeypatch):
    from dreamsuite.settings import get_settings

    base = module_app
    # This process plays the worker: it reaches the app's sandbox at the app's address.
    monkeypatch.setenv("APP_URL", base)
    monkeypatch.setenv("API_URL", base)
    monkeypatch.setenv("SANDBOX_URL", "")
    get_settings.cache_clear()
    artist = seed.artist("Nova Lane")
    scope = _scope(artist)
    seed.off_loop(asyncio.run, _connect(scope))
    seed.off_loop(_tiktok, artist.workspace_id)

    page = new_context().new_page()
    log_in(page, base, artist.email, artist.password)
    page.goto(f"{base}/composer")
    cards = page.get_by_test_id("composer-account")
    expect(cards).to_have_count(2)
    # Choosing TikTok: the first comment's field says it will not get it.
    cards.filter(has_text="TikTok").click()
    expect(page.get_by_test_id("composer-first-comment-note")).to_have_text(
        "TikTok will not get it: its API takes no comments. Add it there by hand.")
    cards.filter(has_text="TikTok").click()
    expect(page.get_by_test_id("composer-first-comment-note")).to_have_count(0)
    cards.filter(has_text="Sandbox").click()
    page.get_by_test_id("composer-text").fill("Night Drive is out now. Windows down, volume up.")
    page.get_by_test_id("composer-first-comment").fill(COMMENT)
    page.get_by_test_id("composer-post-now").click()
    expect(page.get_by_test_id("composer-ok")).to_have_text("Posting now.")
    seed.wait_for_listeners(module_app.redis_url, artist.workspace_id, 1)

    [(dest_id, _, status)] = seed.off_loop(_destinations, artist.workspace_id)
    assert status == "pending"
    assert seed.off_loop(asyncio.run, _send(dest_id)) == ("published", "comment_posted")
    card = page.get_by_test_id("post-card").first
    expect(card.get_by_test_id("post-status")).to_have_text("published")  # live, no reload
    toggle = card.get_by_test_id("history-toggle")
    expect(toggle).to_have_text("History (4)")
    toggle.click()
    steps = card.get_by_test_id("history-step")
    expect(steps).to_have_count(4)
    expect(card.get_by_test_id("history-status")).to_have_text(
        ["sending", "published", "first comment: sending", "first comment posted"])
    expect(steps.nth(0).get_by_test_id("history-message")).to_have_count(0)  # "Sending" says nothing more
    expect(steps.nth(1).locator("a")).to_have_attribute("href", re.compile(r"/sandbox/p/"))
    expect(steps.nth(3).get_by_test_id("history-message")).to_have_text(re.compile(r"^id \S+_cm_\w+$"))
    # The times are the post's timezone's (the artist's, Europe/Paris: CET or CEST).
    expect(card.get_by_test_id("history-time").first).to_have_text(re.compile(r"^\d\d \w{3} \d\d:\d\d:\d\d CES?T$"))

    # A second post: its platform post is deleted before the comment goes out, and the platform says so.
    from dreamsuite.services import publish

    seed.off_loop(asyncio.run, _schedule(scope, publish))
    [_, (second, _, _)] = seed.off_loop(_destinations, artist.workspace_id)
    assert seed.off_loop(asyncio.run, _send(second, _gone)) == ("published", "comment_failed")
    expect(page.get_by_test_id("post-card")).to_have_count(2)
    newest = page.get_by_test_id("post-card").first
    expect(newest.get_by_test_id("post-content")).to_have_text("Tour dates next week")
    newest.get_by_test_id("history-toggle").click()
    expect(newest.get_by_test_id("history-status").last).to_have_text("first comment failed")
    expect(newest.get_by_test_id("history-message").last).to_have_text(
        "The first comment was not posted: Sandbox refused the request (404): not_found: No post deleted-post on "
        "this account")
    expect(newest.get_by_test_id("post-status")).to_have_text("published")  # the post itself is out
    expect(newest.get_by_test_id("comment-trouble")).to_have_text("first comment not posted")
    expect(page.get_by_test_id("post-card").nth(1).get_by_test_id("comment-trouble")).to_have_count(0)
    # The other post's history stays open through the live reload.
    expect(page.get_by_test_id("post-card").nth(1).get_by_test_id("history-step")).to_have_count(4)
    shot(page, "composer_history")

    page.set_viewport_size({"width": 360, "height": 800})
    assert_fits(page, "the composer's post list with histories at 360 px")
    shot(page, "composer_history_360")


async def _schedule(scope, publish) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from dreamsuite import db, queue
    from dreamsuite.models import PlatformConnection

    def sandbox_id() -> int:
        with db.session() as s:
            return s.exec(select(PlatformConnection.id).where(PlatformConnection.workspace_id == scope.workspace_id,
                                                              PlatformConnection.platform == "sandbox")).one()

    try:
        await publish.schedule_post(scope, "Tour dates next week", [await db.run(sandbox_id)],
                                    datetime.now(ZoneInfo("Europe/Paris")).replace(tzinfo=None), "Europe/Paris",
                                    first_comment="Tickets: https://nova.example/tour", post_now=True)
    finally:
        await queue.close_pools()
