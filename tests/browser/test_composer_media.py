"""The composer with media in Chromium: a photo uploaded from the composer's picker for an X and an
Instagram account, both previews showing it (X cut at 280 characters, Instagram folded with
"… more"), a PNG refused for Instagram as soon as it is chosen, the post scheduled; then the media
library page showing the photo, in use, and refusing to delete it.

Screenshots at 1400 and 360 px go to artifacts/screens/ (composer_*.png, media_library_*.png)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import assert_fits, shot
from tests.media_files import picture

pytestmark = pytest.mark.browser
TZ = "Europe/Paris"


def _accounts(workspace_id: int) -> None:
    from dreamsuite import db
    from dreamsuite.models import PlatformConnection

    with db.session() as s:
        for platform in ("x", "instagram"):
            s.add(PlatformConnection(workspace_id=workspace_id, platform=platform, platform_user_id="nova",
                                     username="novalane"))


def _stored(workspace_id: int) -> list[tuple[str, list, list[str]]]:
    from dreamsuite import db
    from dreamsuite.models import PostDestination, ScheduledPost

    with db.session() as s:
        return [(p.status, p.media, [d.status for d in s.exec(select(PostDestination).where(
            PostDestination.post_id == p.id))]) for p in s.exec(select(ScheduledPost).where(
                ScheduledPost.workspace_id == workspace_id))]


def _upload(page, path) -> None:
    page.get_by_test_id("picker-upload").locator("input[type=file]").set_input_files(str(path))


def test_a_photo_for_two_accounts_previewed_scheduled_and_in_the_library(module_app, new_context, tmp_path):
    base = module_app
    artist = seed.artist("Nova Lane")
    seed.off_loop(_accounts, artist.workspace_id)
    photo, png = tmp_path / "night-drive-cover.jpg", tmp_path / "flyer.png"
    photo.write_bytes(picture(1080, 1350, fmt="JPEG", color=(76, 52, 160)))
    png.write_bytes(picture(1080, 1080, fmt="PNG", color=(230, 120, 60)))

    page = new_context().new_page()
    log_in(page, base, artist.email, artist.password)
    page.goto(f"{base}/composer")
    expect(page.get_by_test_id("composer-account")).to_have_count(2)
    expect(page.get_by_test_id("preview-empty")).to_be_visible()
    for card in page.get_by_test_id("composer-account").all():
        card.click()
    text = ("Night Drive is out Friday. Recorded in one night in Leipzig with the windows open, the city in "
            "every take. Thank you for waiting with us — pre-save it now and tell us which song you will play "
            "first on the way home. Tour dates follow next week, with a surprise or two for Berlin. "
            "#newmusic #nightdrive")
    assert len(text) > 280
    page.get_by_test_id("composer-text").fill(text)
    expect(page.get_by_test_id("composer-count")).to_contain_text(f"X {len(text)}/280")
    expect(page.get_by_test_id("composer-count")).to_contain_text(f"Instagram {len(text)}/2200, 2/5 hashtags")
    # Instagram refuses text alone: said at once, under the media and on its preview.
    expect(page.get_by_test_id("composer-media-problem")).to_have_text(
        "Instagram cannot post text alone: add a photo or a video to this post.")

    # The picker: a PNG is refused for Instagram as soon as it is chosen; the JPEG is fine.
    page.get_by_test_id("composer-media-add").click()
    expect(page.get_by_test_id("picker-dialog")).to_be_visible()
    _upload(page, png)
    expect(page.get_by_test_id("composer-media")).to_have_count(1)
    expect(page.get_by_test_id("composer-media-problem")).to_have_text(
        "Instagram takes JPEG photos only: flyer.png is PNG. Save it as JPEG and add it again.")
    page.get_by_test_id("picker-item").first.click()  # unchosen again
    expect(page.get_by_test_id("composer-media")).to_have_count(0)
    _upload(page, photo)
    expect(page.get_by_test_id("picker-item")).to_have_count(2)
    expect(page.get_by_test_id("composer-media")).to_have_count(1)
    expect(page.get_by_test_id("picker-item").first).to_contain_text("night-drive-cover.jpg")
    expect(page.get_by_test_id("picker-item").first).to_contain_text(re.compile(r"JPEG · 1080×1350 · \d+ KB"))
    shot(page, "composer_picker_1400")
    page.get_by_test_id("picker-done").click()
    expect(page.get_by_test_id("picker-dialog")).to_have_count(0)
    expect(page.get_by_test_id("composer-media-problem")).to_have_count(0)

    # Both previews, each with the photo; X cut at 280, Instagram folded with "more".
    x, ig = page.get_by_test_id("preview-x"), page.get_by_test_id("preview-instagram")
    expect(x.locator("img")).to_have_count(1)
    expect(ig.locator("img")).to_have_count(1)
    for img in (x.locator("img"), ig.locator("img")):
        expect(img).to_have_js_property("complete", True)
        assert img.evaluate("el => el.naturalWidth") > 0  # the thumbnail route answered with a picture
    expect(x.get_by_test_id("preview-text")).to_have_text(text[:280])
    expect(x.get_by_test_id("preview-cut")).to_contain_text("X stops at 280 characters")
    expect(ig.get_by_test_id("preview-text")).to_contain_text("more")
    shot(page, "composer_previews_1400")

    # X gets a text of its own; then the post is scheduled for both accounts.
    page.get_by_test_id("variant-tab").filter(has_text="X").click()
    page.get_by_test_id("variant-text").fill("Night Drive is out Friday. Pre-save it now! #newmusic")
    expect(x.get_by_test_id("preview-text")).to_have_text("Night Drive is out Friday. Pre-save it now! #newmusic")
    expect(x.get_by_test_id("preview-cut")).to_have_count(0)
    when = (datetime.now(ZoneInfo(TZ)) + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_test_id("composer-when").fill(when)
    expect(page.get_by_test_id("composer-timezone")).to_contain_text(TZ)
    page.get_by_test_id("composer-submit").click()
    expect(page.get_by_test_id("composer-ok")).to_contain_text("Scheduled for")
    expect(page.get_by_test_id("post-card")).to_have_count(1)
    expect(page.get_by_test_id("post-status")).to_have_count(2)
    [(status, media_ids, dests)] = seed.off_loop(_stored, artist.workspace_id)
    assert status == "scheduled" and len(media_ids) == 1 and dests == ["pending", "pending"]
    shot(page, "composer_scheduled_1400")

    # The library: both files, the photo in use by the post, and its deletion refused with the reason.
    page.get_by_test_id("nav-media").click()
    page.wait_for_url(re.compile(r"/media"))
    tiles = page.get_by_test_id("media-tile")
    expect(tiles).to_have_count(2)
    used = tiles.filter(has_text="night-drive-cover.jpg")
    expect(used.get_by_test_id("media-in-use")).to_have_text("in 1 post")
    expect(used.locator("img")).to_have_js_property("complete", True)
    used.get_by_test_id("media-delete").click()
    page.get_by_test_id("media-delete-confirm").click()
    expect(page.get_by_test_id("library-error")).to_contain_text(
        "night-drive-cover.jpg is used by a post not yet published")
    expect(tiles).to_have_count(2)
    # The unused PNG goes.
    tiles.filter(has_text="flyer.png").get_by_test_id("media-delete").click()
    page.get_by_test_id("media-delete-confirm").click()
    expect(page.get_by_test_id("library-ok")).to_have_text("Deleted flyer.png.")
    expect(tiles).to_have_count(1)
    shot(page, "media_library_1400")

    page.set_viewport_size({"width": 360, "height": 800})
    assert_fits(page, "the media library at 360 px")
    shot(page, "media_library_360")
    page.goto(f"{base}/composer")
    expect(page.get_by_test_id("composer-account")).to_have_count(2)
    page.get_by_test_id("composer-account").first.click()
    page.get_by_test_id("composer-text").fill(text)
    expect(page.get_by_test_id("composer-count")).to_contain_text(f"{len(text)}/2200")
    assert_fits(page, "the composer at 360 px")
    shot(page, "composer_360")
