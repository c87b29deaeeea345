"""Publishing as an artist does it, in Chromium against the real app and its arq worker: a photo
uploaded in the composer for two sandbox accounts, previewed, scheduled a few minutes ahead in the
artist's timezone; on the calendar the post is dragged to a later time, then moved to a minute from
now, and the worker publishes it: the calendar and the composer show it published on both
accounts, and the sandbox holds it once per account, with the photo.

Screenshots go to artifacts/screens/publish_flow_*.png (1400 px)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_calendar import _day, _stored
from tests.browser.test_composer_media import _upload
from tests.browser.test_layout import shot
from tests.media_files import picture

pytestmark = pytest.mark.browser
APP_WORKER = True  # the app's own worker publishes the post
PARIS = ZoneInfo("Europe/Paris")  # the artist's timezone (seed.artist) and the browser's
LOCAL_INPUT = "%Y-%m-%dT%H:%M"
HANDLES = ("@novareyes64", "@iriscalder43")  # the sandbox's names for its users nova-main and nova-live
TEXT = "Night Drive live session is out: one take on the Werk 2 rooftop, windows down. Link in bio."
PUBLISH_SECONDS = 150  # the minute it is due, the worker's pick-up and two sends


def _later(when: datetime) -> tuple[str, datetime]:
    """Where to drag a post due at `when` (local, naive) to move it later, in a view that shows both
    times: two hours on in the week view, else the next day at the same time (the week view keeps
    a post's minutes, the month view its time of day)."""
    if when.hour <= 21:
        return "week", when + timedelta(hours=2)
    nxt = when + timedelta(days=1)
    if when.weekday() < 6:
        return "week", nxt
    if nxt.month == when.month:  # a Sunday: Monday is in the next week, but on the same month's grid
        return "month", nxt
    pytest.skip("a Sunday night at the end of a month: no later time shows beside this post to drag it to")


def test_a_photo_post_for_two_accounts_moved_on_the_calendar_and_published(module_app, new_context, monkeypatch,
                                                                          tmp_path):
    from dreamsuite.settings import get_settings

    base = module_app
    # This process connects the accounts and reads the sandbox back: the app's addresses.
    monkeypatch.setenv("APP_URL", base)
    monkeypatch.setenv("API_URL", base)
    monkeypatch.setenv("SANDBOX_URL", "")
    get_settings.cache_clear()
    artist = seed.artist("Nova Lane")
    accounts = [seed.sandbox_account(artist, user) for user in ("nova-main", "nova-live")]
    photo = tmp_path / "rooftop-session.jpg"
    photo.write_bytes(picture(1080, 1350, fmt="JPEG", color=(40, 90, 170)))

    # The composer: both accounts, the photo uploaded from the picker, the preview with both.
    page = new_context().new_page()
    log_in(page, base, artist.email, artist.password)
    page.get_by_test_id("nav-composer").click()
    page.wait_for_url(re.compile(r"/composer"))
    cards = page.get_by_test_id("composer-account")
    expect(cards).to_have_count(2)
    for handle in HANDLES:
        expect(cards.filter(has_text=handle)).to_have_count(1)
    for card in cards.all():
        card.click()
    page.get_by_test_id("composer-text").fill(TEXT)
    page.get_by_test_id("composer-media-add").click()
    expect(page.get_by_test_id("picker-dialog")).to_be_visible()
    _upload(page, photo)
    expect(page.get_by_test_id("picker-item")).to_have_count(1)
    expect(page.get_by_test_id("picker-item")).to_contain_text("rooftop-session.jpg")
    page.get_by_test_id("picker-done").click()
    expect(page.get_by_test_id("picker-dialog")).to_have_count(0)
    expect(page.get_by_test_id("composer-media")).to_have_count(1)
    expect(page.get_by_test_id("composer-media-problem")).to_have_count(0)
    # One preview per platform: both accounts are the sandbox's, so one card, the text and the photo.
    preview = page.get_by_test_id("preview-sandbox")
    expect(preview).to_have_count(1)
    expect(page.get_by_test_id("preview-text")).to_have_count(1)  # no card besides it
    expect(preview.get_by_test_id("preview-text")).to_have_text(TEXT)
    expect(preview).to_contain_text("Nova Lane")
    img = preview.locator("img")
    expect(img).to_have_count(1)
    expect(img).to_have_js_property("complete", True)
    assert img.evaluate("el => el.naturalWidth") > 0  # the thumbnail route answered with a picture
    expect(page.get_by_test_id("composer-count")).to_contain_text(f"Sandbox {len(TEXT)}/2200")
    shot(page, "publish_flow_preview")

    # Scheduled a few minutes ahead in the artist's timezone (more than the minute within which a
    # post can no longer be moved, with time to reach the calendar).
    due = (datetime.now(PARIS) + timedelta(minutes=3)).replace(second=0, microsecond=0, tzinfo=None)
    page.get_by_test_id("composer-when").fill(due.strftime(LOCAL_INPUT))
    expect(page.get_by_test_id("composer-timezone")).to_contain_text("Europe/Paris")
    page.get_by_test_id("composer-submit").click()
    expect(page.get_by_test_id("composer-ok")).to_contain_text("Scheduled for")
    expect(page.get_by_test_id("post-card")).to_have_count(1)
    expect(page.get_by_test_id("post-status")).to_have_text(["scheduled", "scheduled"])
    expect(page.get_by_test_id("post-card").get_by_test_id("post-content")).to_have_text(TEXT)
    shot(page, "publish_flow_composer")

    # The calendar: the post at its time; dragged to a later one, which is shown and stored.
    view, later = _later(due)
    page.get_by_test_id("nav-calendar").click()
    page.wait_for_url(re.compile(r"/calendar"))
    page.goto(f"{base}/calendar?view={view}&date={due.date().isoformat()}")
    chip = page.get_by_test_id("calendar-chip").filter(has_text="Night Drive live session")
    expect(chip).to_have_count(1)
    post_id = int(chip.get_attribute("data-post-id"))
    assert seed.off_loop(_stored, post_id) == (due, "scheduled", ["pending", "pending"])
    expect(chip.get_by_test_id("chip-time")).to_have_text(f"{due:%H:%M}")
    expect(chip).to_have_attribute("data-status", "scheduled")
    if view == "week":
        target = page.locator(f'[data-testid="calendar-hour"][data-date="{later.date().isoformat()}"]'
                              f'[data-hour="{later.hour}"]')
        expect(page.locator(f'[data-testid="calendar-hour"][data-date="{due.date().isoformat()}"]'
                            f'[data-hour="{due.hour}"] [data-post-id="{post_id}"]')).to_be_visible()
    else:
        target = _day(page, later.date())
    target.scroll_into_view_if_needed()
    chip.drag_to(target)
    expect(page.get_by_test_id("calendar-notice")).to_contain_text(f"Moved to {later:%A %-d %B, %H:%M}")
    expect(target.locator(f'[data-post-id="{post_id}"]')).to_be_visible()
    expect(chip.get_by_test_id("chip-time")).to_have_text(f"{later:%H:%M}")
    assert seed.off_loop(_stored, post_id) == (later, "scheduled", ["pending", "pending"])
    page.reload()
    expect(target.locator(f'[data-post-id="{post_id}"]')).to_be_visible()
    chip.scroll_into_view_if_needed()
    shot(page, "publish_flow_calendar_moved")

    # Due soon: opened and moved to the coming minute (30 to 90 s ahead), the worker sends it.
    soon = (datetime.now(PARIS) + timedelta(seconds=90)).replace(second=0, microsecond=0, tzinfo=None)
    chip.click()
    dialog = page.get_by_test_id("calendar-post")
    expect(dialog.get_by_test_id("calendar-post-text")).to_have_text(TEXT)
    expect(dialog.get_by_test_id("calendar-dest")).to_have_count(2)
    expect(dialog.get_by_test_id("calendar-move-when")).to_have_value(later.strftime(LOCAL_INPUT))
    dialog.get_by_test_id("calendar-move-when").fill(soon.strftime(LOCAL_INPUT))
    dialog.get_by_test_id("calendar-move").click()
    expect(page.get_by_test_id("calendar-notice")).to_contain_text(f"Moved to {soon:%A %-d %B, %H:%M}")
    expect(page.get_by_test_id("calendar-post")).to_have_count(0)
    assert seed.off_loop(_stored, post_id) == (soon, "scheduled", ["pending", "pending"])
    page.goto(f"{base}/calendar?view=week&date={soon.date().isoformat()}")
    expect(page.locator(f'[data-testid="calendar-hour"][data-date="{soon.date().isoformat()}"]'
                        f'[data-hour="{soon.hour}"] [data-post-id="{post_id}"]')).to_be_visible()
    # Published: the chip turns so without a reload (the worker's result is announced).
    expect(chip).to_have_attribute("data-status", "published", timeout=PUBLISH_SECONDS * 1000)
    expect(chip.get_by_test_id("chip-time")).to_have_text(f"{soon:%H:%M}")
    chip.click()
    expect(dialog.get_by_test_id("calendar-dest-status")).to_have_text(["published", "published"])
    for handle in HANDLES:
        expect(dialog.get_by_test_id("calendar-dest").filter(has_text=handle)).to_have_count(1)
    expect(dialog.get_by_test_id("calendar-move-when")).to_have_count(0)  # out: no longer movable
    assert seed.off_loop(_stored, post_id) == (soon, "published", ["published", "published"])
    links = {a.get_attribute("href") for a in dialog.get_by_role("link", name="view").all()}
    shot(page, "publish_flow_calendar_published")

    page.goto(f"{base}/composer")
    card = page.get_by_test_id("post-card")
    expect(card).to_have_count(1)
    expect(card.get_by_test_id("post-status")).to_have_text(["published", "published"])
    expect(card.get_by_test_id("post-when")).to_contain_text(f"{soon:%H:%M}")
    shot(page, "publish_flow_composer_published")

    # The platform holds it once on each account, with the photo; the calendar's links are those posts.
    held = []
    for connection_id in accounts:
        posts = seed.on_sandbox(base, connection_id)  # all that was published there
        assert [p["caption"] for p in posts] == [TEXT], f"account {connection_id} holds {posts}"
        assert len(posts[0]["media"]) == 1 and posts[0]["media"][0]["url"], posts[0]
        held.append(posts[0]["url"])
    assert links == set(held) and len(links) == 2, (links, held)
