"""Several artists from the sidebar in Chromium: a manager switches between two artists (other
names, numbers, posts and timezones: nothing of the first stays on screen), creates a third in one
dialog, reads a label's workspace as a viewer; nobody reaches a workspace they are not a member of
by editing the workspace cookie.

Screenshots: artifacts/screens/workspaces_menu.png, workspaces_viewer.png."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import shot

pytestmark = pytest.mark.browser


def _artist_data(workspace_id: int, followers: int, tz: str, post: str, day) -> None:
    """Thirty days of one sandbox account's numbers and a post scheduled at 10:00 in `tz`."""
    from dreamsuite import db
    from dreamsuite.models import DailyMetric, PlatformConnection, PostDestination, ScheduledPost

    today = datetime.now(UTC).date()
    with db.session() as s:
        conn = PlatformConnection(workspace_id=workspace_id, platform="sandbox", platform_user_id="main",
                                  username="main", display_name="Main account")
        s.add(conn)
        s.flush()
        for i in range(30):
            s.add(DailyMetric(workspace_id=workspace_id, connection_id=conn.id, platform="sandbox",
                              date=today - timedelta(days=29 - i), follower_count=followers + 100 * i,
                              follower_change_24h=100, engagement_total=500, content_count=1))
        at = datetime.combine(day, datetime.min.time()).replace(hour=10, tzinfo=ZoneInfo(tz))
        scheduled = ScheduledPost(workspace_id=workspace_id, content=post, timezone=tz,
                                  scheduled_at=at.astimezone(UTC))
        s.add(scheduled)
        s.flush()
        s.add(PostDestination(workspace_id=workspace_id, post_id=scheduled.id, connection_id=conn.id))


def _workspace(name: str, tz: str) -> int:
    from dreamsuite import db
    from dreamsuite.models import Workspace

    with db.session() as s:
        ws = Workspace(name=name, timezone=tz)
        s.add(ws)
        s.flush()
        return ws.id


def _switch_to(page, name: str) -> None:
    page.get_by_test_id("workspace-switcher").locator("visible=true").click()
    page.get_by_test_id("workspace-option").filter(has_text=name).click()
    expect(page.get_by_test_id("workspace-name").locator("visible=true")).to_have_text(name)


def test_a_manager_switches_artists_creates_one_and_reads_as_a_viewer(module_app, new_context):
    base = module_app
    day = datetime.now(ZoneInfo("America/New_York")).date() + timedelta(days=2)
    nova = seed.artist("Nova Blue")  # Europe/Paris
    seed.off_loop(_artist_data, nova.workspace_id, 10_000, "Europe/Paris", "Nova: single teaser", day)
    kai = seed.off_loop(_workspace, "Kai Rivers", "America/New_York")
    seed.off_loop(_artist_data, kai, 250_000, "America/New_York", "Kai: tour announcement", day)
    seed.join(nova.user_id, kai, "editor")
    label = seed.off_loop(_workspace, "Label Showcase", "Asia/Tokyo")
    seed.join(nova.user_id, label, "viewer")

    page = new_context().new_page()
    log_in(page, base, nova.email, nova.password)
    name, role = page.get_by_test_id("workspace-name").locator("visible=true"), page.get_by_test_id(
        "workspace-role").locator("visible=true")
    expect(name).to_have_text("Nova Blue")
    expect(role).to_have_text("owner")
    expect(page.get_by_test_id("stat-followers")).to_have_text("12,900")

    # The menu lists the other two with the role held in each.
    page.get_by_test_id("workspace-switcher").locator("visible=true").click()
    options = page.get_by_test_id("workspace-option")
    expect(options).to_have_count(2)
    expect(options.filter(has_text="Kai Rivers")).to_contain_text("editor")
    expect(options.filter(has_text="Label Showcase")).to_contain_text("viewer")
    shot(page, "workspaces_menu")
    page.keyboard.press("Escape")

    page.goto(f"{base}/calendar?date={day.isoformat()}")
    expect(page.get_by_test_id("calendar-timezone")).to_contain_text("Europe/Paris")
    chips = page.get_by_test_id("calendar-chip")
    expect(chips.get_by_test_id("chip-text")).to_have_text(["Nova: single teaser"])

    # Switch on the calendar: Kai's post at 10:00 in New York, nothing of Nova's.
    _switch_to(page, "Kai Rivers")
    expect(role).to_have_text("editor")
    expect(page.get_by_test_id("calendar-timezone")).to_contain_text("America/New_York")
    expect(chips.get_by_test_id("chip-text")).to_have_text(["Kai: tour announcement"])
    expect(chips.get_by_test_id("chip-time")).to_have_text(["10:00"])
    page.get_by_test_id("nav-dashboard").locator("visible=true").click()
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.get_by_test_id("stat-followers")).to_have_text("252,900")
    # Still Kai after a reload (the choice is remembered), and back to Nova from the menu.
    page.reload()
    expect(name).to_have_text("Kai Rivers")
    expect(page.get_by_test_id("stat-followers")).to_have_text("252,900")
    _switch_to(page, "Nova Blue")
    expect(page.get_by_test_id("stat-followers")).to_have_text("12,900")

    # A viewer reads the label's workspace and is told why the composer is not there.
    _switch_to(page, "Label Showcase")
    expect(role).to_have_text("viewer")
    expect(page.get_by_test_id("dashboard-empty")).to_be_visible()
    page.goto(f"{base}/composer")
    expect(page.get_by_test_id("role-note")).to_contain_text("You are a viewer of this workspace")
    expect(page.get_by_test_id("composer-text")).to_have_count(0)
    page.goto(f"{base}/calendar")
    expect(page.get_by_test_id("calendar-timezone")).to_contain_text("Asia/Tokyo")
    expect(page.get_by_test_id("slot-add")).to_have_count(0)
    shot(page, "workspaces_viewer")

    # A new artist in one dialog: the name, the browser's timezone already filled in.
    page.get_by_test_id("workspace-switcher").locator("visible=true").click()
    page.get_by_test_id("new-workspace").click()
    expect(page.get_by_test_id("new-workspace-timezone")).to_have_value("Europe/Paris")
    page.get_by_test_id("new-workspace-create").click()
    expect(page.get_by_test_id("new-workspace-error")).to_contain_text("Give the artist workspace a name.")
    page.get_by_test_id("new-workspace-timezone").fill("Mars/Olympus_Mons")
    page.get_by_test_id("new-workspace-name").fill("  Mira   Sol  ")
    page.get_by_test_id("new-workspace-create").click()
    expect(page.get_by_test_id("new-workspace-error")).to_contain_text("That timezone is not one we know")
    page.get_by_test_id("new-workspace-timezone").fill("America/Sao_Paulo")
    page.get_by_test_id("new-workspace-create").click()
    expect(name).to_have_text("Mira Sol")
    expect(role).to_have_text("owner")
    expect(page.get_by_test_id("calendar-timezone")).to_contain_text("America/Sao_Paulo")
    expect(page.get_by_test_id("calendar-chip")).to_have_count(0)
    page.get_by_test_id("workspace-switcher").locator("visible=true").click()
    expect(page.get_by_test_id("workspace-option")).to_have_count(3)


def test_a_workspace_cookie_naming_another_artist_changes_nothing(module_app, new_context):
    base = module_app
    day = datetime.now(ZoneInfo("Europe/Paris")).date() + timedelta(days=2)
    victim = seed.artist("Victim Artist")
    seed.off_loop(_artist_data, victim.workspace_id, 80_000, "Europe/Paris", "Victim: secret release", day)
    me = seed.artist("Curious Artist")

    context = new_context()
    page = context.new_page()
    log_in(page, base, me.email, me.password)
    expect(page.get_by_test_id("dashboard-empty")).to_be_visible()
    for value in [str(victim.workspace_id), f'"{victim.workspace_id}"', "0", "-1", "1e3", "x" * 50]:
        context.add_cookies([{"name": "ds_workspace", "value": value, "url": base}])
        page.goto(f"{base}/dashboard")
        expect(page.get_by_test_id("workspace-name").locator("visible=true")).to_have_text("Curious Artist")
        expect(page.get_by_test_id("dashboard-empty")).to_be_visible()
        page.goto(f"{base}/calendar?date={day.isoformat()}")
        expect(page.get_by_test_id("calendar-timezone")).to_be_visible()
        expect(page.get_by_test_id("workspace-name").locator("visible=true")).to_have_text("Curious Artist")
        expect(page.get_by_test_id("calendar-chip")).to_have_count(0)
        assert "secret release" not in page.locator("body").inner_text()
    # Nor is the other artist offered in the menu.
    page.get_by_test_id("workspace-switcher").locator("visible=true").click()
    expect(page.get_by_test_id("workspace-option")).to_have_count(0)
    expect(page.get_by_test_id("new-workspace")).to_be_visible()
