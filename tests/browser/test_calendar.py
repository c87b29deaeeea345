"""The publishing calendar in Chromium: a scheduled post's chip on its day, dragged to another
day (kept after a reload, stored at the same time of day) and to another hour in the week view,
opened, and cancelled; posting times added by hand and from the suggestions.

Screenshots go to artifacts/screens/: calendar_month.png, calendar_week.png (1400 px) and
calendar_month_360.png."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import assert_fits, shot

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")  # the workspace's timezone (seed.artist)


def _schedule(workspace_id: int, local: datetime, content: str) -> int:
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import PlatformConnection, PostDestination, ScheduledPost

    with db.session() as s:
        conn = s.exec(select(PlatformConnection).where(PlatformConnection.workspace_id == workspace_id)).first()
        post = ScheduledPost(workspace_id=workspace_id, content=content, timezone="Europe/Paris",
                             scheduled_at=local.replace(tzinfo=PARIS).astimezone(UTC))
        s.add(post)
        s.flush()
        s.add(PostDestination(workspace_id=workspace_id, post_id=post.id, connection_id=conn.id))
        return post.id


def _stored(post_id: int) -> tuple[datetime, str, list[str]]:
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import PostDestination, ScheduledPost

    with db.session() as s:
        post = s.get(ScheduledPost, post_id)
        dests = s.exec(select(PostDestination.status).where(PostDestination.post_id == post_id)).all()
        return post.scheduled_at.astimezone(PARIS).replace(tzinfo=None), post.status, list(dests)


def _day(page, d: date):
    return page.locator(f'[data-testid="calendar-day"][data-date="{d.isoformat()}"]')


def test_drag_a_post_to_another_day_and_hour_then_cancel_it(module_app, new_context):
    base = module_app
    me = seed.artist("Calendar Artist")
    # Thirty days of posts at midnight UTC: every weekday's 01:00 (Paris) has four, enough to suggest.
    seed.numbers(me.workspace_id, [f"Post number {i}" for i in range(30)])
    today = datetime.now(PARIS).date()
    # The post moves to the next day, in the same month and the same week (Monday first), so the
    # month view and the week view of `day` both show it on whatever day the test runs.
    day = today + timedelta(days=3)
    while day.weekday() == 6 or (day + timedelta(days=1)).month != day.month:
        day += timedelta(days=1)
    target = day + timedelta(days=1)
    post_id = seed.off_loop(_schedule, me.workspace_id, datetime.combine(day, datetime.min.time()).replace(hour=10),
                            "Release day! New single out now")
    seed.off_loop(_schedule, me.workspace_id, datetime.combine(day, datetime.min.time()).replace(hour=18),
                  "Listening party tonight")

    page = new_context().new_page()
    log_in(page, base, me.email, me.password)
    page.get_by_test_id("nav-calendar").click()
    page.wait_for_url(re.compile(r"/calendar"))
    expect(page.get_by_test_id("calendar-timezone")).to_contain_text("Europe/Paris")
    page.goto(f"{base}/calendar?date={day.isoformat()}")
    expect(page.get_by_test_id("calendar-title")).to_have_text(f"{day:%B %Y}")
    mine = page.locator(f'[data-testid="calendar-chip"][data-post-id="{post_id}"]')
    expect(_day(page, day).locator(f'[data-post-id="{post_id}"]')).to_be_visible()
    expect(mine.get_by_test_id("chip-time")).to_have_text("10:00")
    expect(mine.get_by_test_id("chip-text")).to_have_text("Release day! New single out now")
    expect(mine).to_have_attribute("data-status", "scheduled")
    expect(mine.get_by_test_id("chip-platform")).to_have_attribute("title", "Sandbox")

    # Drag it onto another day: it moves there, at the same time of day.
    mine.drag_to(_day(page, target))
    moved = f"Moved to {target:%A} {target.day} {target:%B}, 10:00"
    expect(page.get_by_test_id("calendar-notice")).to_contain_text(moved)
    expect(_day(page, target).locator(f'[data-post-id="{post_id}"]')).to_be_visible()
    assert seed.off_loop(_stored, post_id)[0] == datetime.combine(target, datetime.min.time()).replace(hour=10)
    page.reload()
    expect(_day(page, target).locator(f'[data-post-id="{post_id}"]')).to_be_visible()
    expect(_day(page, day).locator(f'[data-post-id="{post_id}"]')).to_have_count(0)
    # The past cannot take it: a day before today says so and the post stays.
    if _day(page, today - timedelta(days=1)).count():
        mine.drag_to(_day(page, today - timedelta(days=1)))
        expect(page.get_by_test_id("calendar-notice")).to_contain_text("already passed")
        expect(_day(page, target).locator(f'[data-post-id="{post_id}"]')).to_be_visible()
    shot(page, "calendar_month")
    assert_fits(page, "calendar month at 1400px")

    # The week view: the post in its hour; dragged to 15:00 it keeps its minutes.
    page.get_by_test_id("calendar-view-week").click()
    expect(page).to_have_url(re.compile(r"view=week"))
    cell = page.locator(f'[data-testid="calendar-hour"][data-date="{target.isoformat()}"][data-hour="10"]')
    expect(cell.locator(f'[data-post-id="{post_id}"]')).to_be_visible()
    three = page.locator(f'[data-testid="calendar-hour"][data-date="{target.isoformat()}"][data-hour="15"]')
    three.scroll_into_view_if_needed()
    mine.drag_to(three)
    expect(page.get_by_test_id("calendar-notice")).to_contain_text("15:00")
    expect(mine.get_by_test_id("chip-time")).to_have_text("15:00")
    assert seed.off_loop(_stored, post_id)[0] == datetime.combine(target, datetime.min.time()).replace(hour=15)
    mine.scroll_into_view_if_needed()
    shot(page, "calendar_week")

    # Open it: its text, its account and status, Edit goes to the composer; cancel it.
    mine.click()
    dialog = page.get_by_test_id("calendar-post")
    expect(dialog.get_by_test_id("calendar-post-text")).to_have_text("Release day! New single out now")
    expect(dialog.get_by_test_id("calendar-dest")).to_contain_text("scheduled")
    expect(dialog.get_by_test_id("calendar-post-when")).to_contain_text("15:00 (Europe/Paris)")
    expect(dialog.get_by_test_id("calendar-edit")).to_have_attribute("href", f"/composer?post={post_id}")
    shot(page, "calendar_post")
    dialog.get_by_test_id("calendar-cancel").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Cancel this post?")
    page.get_by_test_id("confirm-cancel-post").click()
    expect(page.get_by_test_id("calendar-notice")).to_have_text("Post cancelled.")
    expect(mine).to_have_count(0)  # cancelled posts are shown only when asked for
    assert seed.off_loop(_stored, post_id)[1:] == ("cancelled", ["cancelled"])
    page.get_by_test_id("calendar-status").click()
    page.get_by_role("option", name="Cancelled", exact=True).click()
    expect(mine).to_have_attribute("data-status", "cancelled")

    # Posting times: one by hand, one from the suggestions (the sandbox posts' hour).
    page.get_by_test_id("calendar-view-month").click()
    page.get_by_test_id("slot-day").click()
    page.get_by_role("option", name="Tuesday", exact=True).click()
    page.get_by_test_id("slot-time").fill("18:00")
    page.get_by_test_id("slot-add").click()
    expect(page.get_by_test_id("slot-label")).to_have_text(["Tuesday 18:00"])
    page.get_by_test_id("slot-add").click()
    expect(page.get_by_test_id("slot-error")).to_contain_text("already one of your posting times")
    suggestion = page.get_by_test_id("suggestion").first
    expect(suggestion).to_contain_text(re.compile(r"day 0[12]:00"))
    label = suggestion.get_by_test_id("suggestion-label").inner_text()
    suggestion.get_by_test_id("suggestion-add").click()
    expect(suggestion).to_contain_text("Added")
    expect(page.get_by_test_id("slot-label").filter(has_text=label)).to_have_count(1)

    # A phone: the month still fits the screen.
    phone = new_context(width=360, height=740).new_page()
    log_in(phone, base, me.email, me.password)
    phone.goto(f"{base}/calendar?date={day.isoformat()}")
    expect(phone.get_by_test_id("calendar-chip").first).to_be_visible()
    shot(phone, "calendar_month_360")
    assert_fits(phone, "calendar month at 360px")
    phone.get_by_test_id("calendar-view-week").click()
    expect(phone.get_by_test_id("calendar-hour").first).to_be_visible()
    shot(phone, "calendar_week_360")
    assert_fits(phone, "calendar week at 360px")
