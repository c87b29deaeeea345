"""The composer's "Generate with AI" in Chromium (the offline writer): a missing topic is a message
under the field; with X and Instagram chosen the caption is written for X (the tighter limit) and
leads with the artist's best hashtag (computed here from the rows); text the artist typed stays.

Screenshots at 1400 and 360 px go to artifacts/screens/ (composer-caption-*.png)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import assert_fits, shot

pytestmark = pytest.mark.browser
TAGS = ("tourdiary", "acoustic", "studiolife", "rehearsal")


def _accounts(workspace_id: int) -> None:
    """X and Instagram accounts; Instagram posts with two hashtags each, rated differently."""
    from dreamsuite import db
    from dreamsuite.models import ContentPost, PlatformConnection

    today = datetime.now(UTC).date()
    with db.session() as s:
        for platform in ("x", "instagram"):
            s.add(PlatformConnection(workspace_id=workspace_id, platform=platform, platform_user_id="nova",
                                     username="nova"))
        for i in range(10):
            tags = f"#{TAGS[i % 4]} #{TAGS[(i + 1) % 4]}"
            s.add(ContentPost(workspace_id=workspace_id, platform="instagram", platform_post_id=f"ig{i}",
                              caption=f"Show {i} {tags}", likes=80 + (i * 37) % 101, comments=i, reach=2_000 + 90 * i,
                              posted_at=datetime.combine(today - timedelta(days=2 + 3 * i), datetime.min.time(),
                                                         tzinfo=UTC)))


def _best(workspace_id: int) -> str:
    """The hashtag with the best average interactions / reach, from the rows."""
    from dreamsuite import db
    from dreamsuite.models import ContentPost

    rates: dict[str, list[float]] = defaultdict(list)
    with db.session() as s:
        for p in s.exec(select(ContentPost).where(ContentPost.workspace_id == workspace_id)).all():
            for tag in set(re.findall(r"#(\w+)", p.caption)):
                rates[tag].append((p.likes + p.comments + p.shares + p.saves) / p.reach)
    return max(rates, key=lambda t: sum(rates[t]) / len(rates[t]))


def _pick(page, trigger_testid: str, option: str) -> None:
    page.get_by_test_id(trigger_testid).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_generate_a_caption_for_the_chosen_accounts(module_app, new_context):
    base = module_app
    artist = seed.artist("Nova Lane")
    seed.off_loop(_accounts, artist.workspace_id)
    best = seed.off_loop(_best, artist.workspace_id)
    page = new_context().new_page()
    log_in(page, base, artist.email, artist.password)
    page.goto(f"{base}/composer")
    expect(page.get_by_test_id("composer-account")).to_have_count(2)

    page.get_by_test_id("caption-generate").click()  # no topic yet
    expect(page.get_by_test_id("caption-error")).to_contain_text("Say what the post is about first")
    expect(page.get_by_test_id("composer-text")).to_have_value("")

    page.get_by_test_id("caption-topic").fill("New single 'Night Drive' out Friday")
    _pick(page, "caption-tone", "Witty")
    for box in page.get_by_test_id("composer-account").all():
        box.click()
    page.get_by_test_id("caption-generate").click()
    expect(page.get_by_test_id("caption-note")).to_have_text(
        "Written for X (the tightest of your accounts, 280 characters): 5 hashtags. Edit it as you like.")
    expect(page.get_by_test_id("caption-error")).to_have_count(0)
    text = page.get_by_test_id("composer-text").input_value()
    assert text.startswith("Plot twist: New single 'Night Drive' out Friday.") and len(text) <= 280
    assert text.split("\n\n")[-1].split()[0] == f"#{best}" and text.count("#") == 5
    expect(page.get_by_test_id("composer-count")).to_contain_text(f"X {len(text)}/280")
    shot(page, "composer-caption-1400")

    # What the artist typed stays; the caption goes below it.
    page.get_by_test_id("composer-text").fill("Thank you Berlin!")
    _pick(page, "caption-tone", "Urgent")
    page.get_by_test_id("caption-generate").click()
    expect(page.get_by_test_id("composer-text")).to_have_value(re.compile(r"^Thank you Berlin!\n\nHeads up"))

    page.set_viewport_size({"width": 360, "height": 800})
    assert_fits(page, "composer with a caption at 360 px")
    shot(page, "composer-caption-360")
