"""The dashboard in Chromium on the demo artist (seeded through the real connectors and the
emulators, then analysed): every chart drawn, at desktop and phone width; ranges (presets and
custom, with a clear message for bad dates) and platform toggles; a sync finishing elsewhere
updates the open page; a dismissed insight stays gone.

Screenshots go to artifacts/dashboard-*.png (look at them)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import redis as redis_sync
from playwright.sync_api import expect
from sqlalchemy import update
from sqlmodel import select

from dreamsuite import db
from dreamsuite.models import DailyMetric, Membership, PlatformConnection, User
from dreamsuite.settings import get_settings
from tests.browser import seed
from tests.browser.conftest import log_in, running_app
from tests.browser.test_layout import assert_fits
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

DEMO_EMAIL, DEMO_PASSWORD = "demo@dreamsuite.app", "dreamsuite-demo"
ARTIFACTS = Path(ROOT) / "artifacts"
# Every chart the demo has data for: its card's test id.
CHARTS = ["growth-chart", "engagement-chart", "comparison-chart", "content-chart", "heatmap-chart",
          "audience-age", "audience-gender", "audience-countries", "audience-cities"]
TRACES = "el => (el.data || []).length"
NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$")


def _workspace_of_demo() -> int:
    with db.session() as s:
        user = s.exec(select(User).where(User.email == DEMO_EMAIL)).one()
        return s.exec(select(Membership.workspace_id).where(Membership.user_id == user.id)).one()


@pytest.fixture(scope="module")
def demo(_redis_server, tmp_path_factory):
    """The app and its worker, with the demo artist seeded and analysed: (app, workspace id)."""
    from dreamsuite.services import analysis

    redis_url = f"{_redis_server.rsplit('/', 1)[0]}/{os.environ.get('TEST_REDIS_DB', '9')}"
    redis_sync.Redis.from_url(redis_url).flushdb()
    tmp = tmp_path_factory.mktemp("dashboard")
    with pytest.MonkeyPatch.context() as mp, running_app(redis_url, tmp, worker=True) as app:
        mp.setenv("DATABASE_URL", app.db_url)
        mp.setenv("REDIS_URL", redis_url)
        get_settings.cache_clear()
        env = {**os.environ, "APP_URL": app, "API_URL": app, "EMULATOR_URL": f"{app}/emulators",
               "EMULATOR_DB": str(tmp / "emulators.db"), "DREAMSUITE_DEMO": "1"}
        seeded = subprocess.run([sys.executable, "-m", "dreamsuite.seed"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300)
        assert seeded.returncode == 0, seeded.stderr[-2000:]
        workspace_id = seed.off_loop(_workspace_of_demo)
        # Forecasts, unusual days, insights and XP exist before the first page opens.
        seed.off_loop(_ensure_goal, workspace_id)
        assert seed.off_loop(analysis.analyse, workspace_id)["status"] == "success"
        try:
            yield app, workspace_id
        finally:
            get_settings.cache_clear()


def _open(new_context, base: str, width: int = 1400, height: int = 900):
    page = new_context(width=width, height=height).new_page()
    log_in(page, base, DEMO_EMAIL, DEMO_PASSWORD)
    expect(page.get_by_test_id("stat-followers")).to_have_text(NUMBER, timeout=30_000)
    return page


def _plot(page, testid: str):
    return page.get_by_test_id(testid).locator(".js-plotly-plot")


def _trace_points(page, testid: str, name: str) -> int:
    return _plot(page, testid).evaluate(
        "(el, name) => { const t = (el.data || []).find(t => t.name === name); return t ? t.x.length : -1 }", name)


def _trace_visible(page, testid: str, name: str):
    return _plot(page, testid).evaluate(
        "(el, name) => { const t = (el.data || []).find(t => t.name === name); return t ? t.visible : null }", name)


def _assert_every_chart_drawn(page) -> None:
    for testid in CHARTS:
        plot = _plot(page, testid)
        expect(plot.locator("svg.main-svg").first).to_be_attached()
        assert plot.evaluate(TRACES) > 0, f"{testid} shows an empty state"


def test_every_chart_renders_at_desktop_and_phone_width(demo, new_context):
    app, _ = demo
    page = _open(new_context, app)
    _assert_every_chart_drawn(page)
    expect(page.get_by_test_id("stat-change")).to_have_text(re.compile(r"^[+-]\d"))
    expect(page.get_by_test_id("stat-engagement-basis")).to_contain_text("interactions ÷")
    expect(page.get_by_test_id("range-label")).to_contain_text("(90 days)")
    # Forecast bands and unusual days are on the follower chart (the analysis stored them).
    names = _plot(page, "growth-chart").evaluate("el => el.data.map(t => t.name)")
    assert any(n.endswith(" forecast") for n in names) and any(n.endswith(" anomalies") for n in names), names
    # Each platform row leads to its own page.
    expect(page.get_by_test_id("platform-row-instagram")).to_have_attribute("href", "/platforms/instagram")
    # Top content: thumbnails or a placeholder, permalinks in a new tab without an opener.
    cards = page.get_by_test_id("post-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3
    link = cards.first.get_by_test_id("post-link")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    assert link.get_attribute("href").startswith("https://")
    # A thumbnail that cannot load (no internet here) leaves the placeholder, not a broken image.
    page.get_by_test_id("top-posts").scroll_into_view_if_needed()
    try:
        page.wait_for_function("""() => [...document.querySelectorAll('[data-testid=post-thumbnail]')]
            .every(i => i.complete && (i.naturalWidth > 0 || getComputedStyle(i).visibility === 'hidden'))""",
                               timeout=30_000)
    except Exception:
        print(page.evaluate("""() => [...document.querySelectorAll('[data-testid=post-thumbnail]')].map(i =>
            [i.src, i.complete, i.naturalWidth, getComputedStyle(i).visibility, i.outerHTML.slice(0, 300)])"""))
        raise
    # Insights with their actions, goals and the level.
    expect(page.get_by_test_id("insight").first).to_be_visible()
    expect(page.get_by_test_id("all-insights")).to_have_attribute("href", "/insights")
    expect(page.get_by_test_id("goal").first).to_be_visible()
    expect(page.get_by_test_id("level")).to_have_text(re.compile(r"^Level \d+$"))
    # The audience of the biggest platform with audience data is shown first.
    expect(page.get_by_test_id("audience-platform")).to_contain_text("Instagram")
    page.wait_for_timeout(500)  # plotly's last resize
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-1400.png"), full_page=True, animations="disabled")
    assert_fits(page, "dashboard at 1400px")

    phone = _open(new_context, app, 360, 740)
    _assert_every_chart_drawn(phone)
    phone.wait_for_timeout(500)
    phone.screenshot(path=str(ARTIFACTS / "dashboard-360.png"), full_page=True, animations="disabled")
    assert_fits(phone, "dashboard at 360px")


def test_ranges_and_platform_toggles_redraw_the_charts(demo, new_context):
    app, _ = demo
    page = _open(new_context, app)
    label = page.get_by_test_id("range-label")
    expect(label).to_contain_text("(90 days)")
    assert _trace_points(page, "growth-chart", "Instagram") == 30  # Instagram's API gives 30 days

    # Hide YouTube: its line stays in the figure, hidden; the state keeps it across ranges.
    toggle = page.get_by_test_id("toggle-youtube")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    _wait(lambda: _trace_visible(page, "growth-chart", "YouTube") == "legendonly")

    page.get_by_test_id("range-7d").click()
    expect(label).to_contain_text("(7 days)")
    _wait(lambda: _trace_points(page, "growth-chart", "Instagram") == 7)
    expect(page.get_by_test_id("toggle-youtube")).to_have_attribute("aria-pressed", "false")
    assert _trace_visible(page, "growth-chart", "YouTube") == "legendonly"
    _wait(lambda: 0 < _trace_points(page, "engagement-chart", "Instagram") <= 7)  # days, not weeks, now

    page.get_by_test_id("range-12m").click()
    expect(label).to_contain_text("(365 days)")
    _wait(lambda: _trace_points(page, "growth-chart", "YouTube") > 300)  # YouTube's year of history
    page.get_by_test_id("toggle-youtube").click()
    expect(page.get_by_test_id("toggle-youtube")).to_have_attribute("aria-pressed", "true")
    _wait(lambda: _trace_visible(page, "growth-chart", "YouTube") is True)

    # Bad dates get a clear message, and nothing else moves.
    frm, to = page.get_by_test_id("range-from"), page.get_by_test_id("range-to")
    end = to.input_value()
    frm.fill(end)
    to.fill(_day(end, -10))
    page.get_by_test_id("range-apply").click()
    expect(page.get_by_test_id("range-error")).to_contain_text("is after the end date")
    expect(label).to_contain_text("(365 days)")
    to.fill(_day(end, 400))
    page.get_by_test_id("range-apply").click()
    expect(page.get_by_test_id("range-error")).to_contain_text("in the future")
    _assert_every_chart_drawn(page)

    # A custom range: three weeks around the release, ending before the latest day (no forecast).
    frm.fill(_day(end, -50))
    to.fill(_day(end, -30))
    expect(page.get_by_test_id("range-error")).to_have_count(0)
    page.get_by_test_id("range-apply").click()
    expect(label).to_contain_text("(21 days)")
    _wait(lambda: _trace_points(page, "growth-chart", "YouTube") == 21)
    names = _plot(page, "growth-chart").evaluate("el => el.data.map(t => t.name)")
    assert not any(n.endswith(" forecast") for n in names), names
    expect(page.get_by_test_id("growth-chart")).to_contain_text("No forecast")
    page.screenshot(path=str(ARTIFACTS / "dashboard-custom-range.png"), full_page=True, animations="disabled")


def test_a_sync_finishing_updates_the_open_dashboard(demo, new_context):
    app, workspace_id = demo
    # Today's Spotify number as an older sync left it: 1,000 lower than the platform's.
    spotify, before = seed.off_loop(_lower_todays_spotify, workspace_id, 1000)
    context = new_context()
    page = context.new_page()
    log_in(page, app, DEMO_EMAIL, DEMO_PASSWORD)
    followers = page.get_by_test_id("stat-followers")
    expect(followers).to_have_text(NUMBER, timeout=30_000)
    shown = int(followers.inner_text().replace(",", ""))
    spotify_row = page.get_by_test_id("platform-row-spotify")
    expect(spotify_row).to_contain_text(f"{before - 1000:,}")
    seed.wait_for_listeners(app.redis_url, workspace_id, 1)

    # "Sync now" in another tab of the same browser.
    other = context.new_page()
    other.goto(f"{app}/connections")
    card = other.get_by_test_id("platform-card-spotify")
    card.get_by_test_id("sync-spotify").click()
    expect(card.get_by_test_id("sync-progress")).to_contain_text("Synced just now", timeout=90_000)

    # The open dashboard follows without a reload.
    expect(followers).to_have_text(f"{shown + 1000:,}", timeout=30_000)
    expect(spotify_row).to_contain_text(f"{before:,}")
    page.bring_to_front()


def test_a_dismissed_insight_disappears_and_stays_gone(demo, new_context):
    app, _ = demo
    page = _open(new_context, app)
    first = page.get_by_test_id("insight").first
    expect(first).to_be_visible()
    title = first.get_by_test_id("insight-title").inner_text()
    count = page.get_by_test_id("insight").count()
    first.get_by_test_id("insight-dismiss").click()
    panel = page.get_by_test_id("insights")
    expect(panel.get_by_text(title, exact=True)).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("stat-followers")).to_have_text(NUMBER, timeout=30_000)
    expect(page.get_by_test_id("insight").first).to_be_visible()
    expect(panel.get_by_text(title, exact=True)).to_have_count(0)
    assert page.get_by_test_id("insight").count() <= count


# ------------------------------------------------------------------ helpers
def _day(iso: str, days: int) -> str:
    from datetime import date

    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()


def _wait(check, timeout: float = 15.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the chart did not change"
        time.sleep(0.1)


def _ensure_goal(workspace_id: int) -> None:
    from dreamsuite.models import Goal, Role
    from dreamsuite.services import goals
    from dreamsuite.services.scope import Scope

    with db.session() as s:
        if s.exec(select(Goal).where(Goal.workspace_id == workspace_id)).first():
            return
        user_id = s.exec(select(Membership.user_id).where(Membership.workspace_id == workspace_id)).first()
    goals.create(Scope(user_id=user_id, workspace_id=workspace_id, role=Role.owner), "instagram", 30_000,
                 db.utcnow().date() + timedelta(days=150))


def _lower_todays_spotify(workspace_id: int, by: int) -> tuple[int, int]:
    with db.session() as s:
        cid = s.exec(select(PlatformConnection.id).where(PlatformConnection.workspace_id == workspace_id,
                                                         PlatformConnection.platform == "spotify")).one()
        row = s.exec(select(DailyMetric).where(DailyMetric.connection_id == cid)
                     .order_by(DailyMetric.date.desc())).first()
        before = row.follower_count
        s.exec(update(DailyMetric).where(DailyMetric.id == row.id).values(follower_count=before - by))
        return cid, before
