"""The demo artist's own platform pages (YouTube's watch time and traffic sources, Instagram's
reach and profile views, Spotify's snapshot), the export menu's CSV, and the printable report,
on screen and as printed. Screenshots go to artifacts/platforms/."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_layout import assert_fits
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
SHOTS = Path(ROOT) / "artifacts" / "platforms"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")


def _seed(live_app, tmp_path) -> None:
    base = live_app
    env = {**os.environ, "DATABASE_URL": live_app.db_url, "REDIS_URL": live_app.redis_url, "APP_URL": base,
           "API_URL": base, "EMULATOR_URL": f"{base}/emulators", "EMULATOR_DB": str(tmp_path / "emulators.db"),
           "DREAMSUITE_DEMO": "1"}
    seeded = subprocess.run([sys.executable, "-m", "dreamsuite.seed"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=240)
    assert seeded.returncode == 0, seeded.stderr[-2000:]


def _plot(page, testid: str):
    card = page.get_by_test_id(testid)
    expect(card.locator(".js-plotly-plot")).to_be_visible()
    return card


def test_platform_pages_export_and_report(live_app, tmp_path, new_context):
    base = live_app
    _seed(live_app, tmp_path)
    page = new_context().new_page()
    log_in(page, base, "demo@dreamsuite.app", "dreamsuite-demo")

    # YouTube: its own numbers (views, watch time in hours, view duration), traffic sources, videos.
    page.goto(f"{base}/platforms/youtube")
    expect(page.get_by_test_id("platform-label")).to_have_text("YouTube")
    expect(page.get_by_test_id("platform-account")).to_contain_text("Last sync:")
    expect(page.get_by_test_id("platform-stat-followers")).to_contain_text("Subscribers")
    _plot(page, "platform-growth-chart")
    _plot(page, "metric-chart-views")
    expect(_plot(page, "metric-chart-estimatedMinutesWatched")).to_contain_text("Watch time (hours)")
    _plot(page, "metric-chart-averageViewDuration")
    traffic = page.get_by_test_id("breakdown-chart").filter(has_text="Traffic sources")
    expect(traffic.locator(".js-plotly-plot")).to_be_visible()
    expect(traffic).to_contain_text("YouTube search")
    # Age, gender and countries (YouTube gives no cities: no empty chart for them).
    expect(page.get_by_test_id("audience-charts").locator(".js-plotly-plot")).to_have_count(3)
    expect(page.get_by_test_id("content-type-chart").locator(".js-plotly-plot")).to_be_visible()
    rows = page.get_by_test_id("post-row")
    expect(rows.first).to_be_visible()
    link = rows.first.get_by_test_id("post-link")
    expect(link).to_have_attribute("href", re.compile(r"^https://www\.youtube\.com/watch\?v="))
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    page.wait_for_timeout(500)  # plotly's transition into place
    shot(page, "youtube-90d")
    page.get_by_test_id("platform-header").screenshot(path=str(SHOTS / "youtube-header.png"))

    # A year is drawn per week.
    page.get_by_test_id("range").get_by_role("radio").nth(2).click()
    expect(page.get_by_test_id("metric-chart-views")).to_contain_text("Views per week")
    page.wait_for_timeout(500)
    shot(page, "youtube-12m")

    # The CSV of what the page shows, downloaded through the export menu.
    page.get_by_test_id("export-menu").click()
    with page.expect_download() as got:
        page.get_by_test_id("export-csv").click()
    download = got.value
    assert re.fullmatch(r"dreamsuite-nova-lane-youtube-\d{4}-\d\d-\d\d_to_\d{4}-\d\d-\d\d\.csv",
                        download.suggested_filename)
    rows_csv = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert rows_csv[0] == ["section", "platform", "date", "item", "metric", "value"]
    assert {r[1] for r in rows_csv if r[0] == "followers"} == {"youtube"}
    page.keyboard.press("Escape")

    # Instagram: reach, profile views, who the followers are and when they are online.
    page.goto(f"{base}/platforms/instagram")
    expect(page.get_by_test_id("platform-label")).to_have_text("Instagram")
    _plot(page, "metric-chart-reach")
    _plot(page, "metric-chart-profile_views")
    _plot(page, "metric-chart-follows-unfollows")
    expect(page.get_by_test_id("breakdown-chart").filter(has_text="When your followers are online")
           ).to_contain_text("Europe/Berlin")
    expect(page.get_by_test_id("audience-charts").locator(".js-plotly-plot")).to_have_count(4)
    expect(_plot(page, "hashtag-chart")).to_contain_text("#")
    expect(page.get_by_test_id("post-row").first).to_be_visible()
    page.wait_for_timeout(500)
    shot(page, "instagram-90d")

    # Spotify gives only today's numbers: they show as numbers, and the page says why.
    page.goto(f"{base}/platforms/spotify")
    expect(page.get_by_test_id("history-note")).to_contain_text("history builds from the day you connected")
    expect(page.get_by_test_id("platform-stat-popularity")).to_contain_text("/100")
    expect(page.get_by_test_id("platform-unavailable")).to_contain_text("Spotify for Artists")
    shot(page, "spotify")

    # Names that are not (or cannot be) connected here.
    for name, testid in [("deezer", "platform-not-connected"), ("apple_music", "platform-no-api"),
                         ("myspace", "platform-unknown")]:
        page.goto(f"{base}/platforms/{name}")
        expect(page.get_by_test_id(testid)).to_be_visible()
        expect(page.get_by_test_id(testid).get_by_role("link")).to_have_attribute("href", "/connections")
    shot(page, "unknown")

    # On a phone, the platform page fits the screen (posts as a list, not a wide table).
    phone = new_context(width=390, height=844).new_page()
    log_in(phone, base, "demo@dreamsuite.app", "dreamsuite-demo")
    phone.goto(f"{base}/platforms/youtube")
    _plot(phone, "metric-chart-views")
    expect(phone.get_by_test_id("posts-table")).to_be_hidden()
    phone.wait_for_timeout(500)
    shot(phone, "youtube-phone")
    assert_fits(phone, "/platforms/youtube at 390px")

    # The dashboard's Export menu: the JSON of its range, and the report of the period.
    page.goto(f"{base}/dashboard")
    expect(page.get_by_test_id("growth-chart").locator(".js-plotly-plot")).to_be_visible()
    page.get_by_test_id("export-menu").click()
    with page.expect_download() as got:
        page.get_by_test_id("export-json").click()
    data = json.loads(Path(got.value.path()).read_text())
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("export-json")).to_be_hidden()
    series = data["dashboard"]["series"]
    assert {"instagram", "youtube", "facebook", "tiktok", "spotify"} <= set(series), sorted(series)
    assert data["start"] and data["end"] and data["quick_stats"]["total_followers"] > 0
    page.get_by_test_id("export-menu").click()
    expect(page.get_by_test_id("export-report")).to_be_visible()
    href = page.get_by_test_id("export-report").get_attribute("href")
    page.keyboard.press("Escape")
    assert href and "/report?" in href and "start=" in href and "end=" in href and "platform=" not in href
    report = new_context(width=1000, height=1400).new_page()
    report.context.add_cookies(page.context.cookies())
    report.goto(href)
    expect(report.locator("h1")).to_have_text("Nova Lane")
    expect(report.get_by_test_id("generated")).to_contain_text("Europe/Berlin")
    # A line for each platform with history; TikTok and Spotify, counted from today, are a dot.
    expect(report.locator("svg polyline")).to_have_count(3)
    expect(report.locator("svg circle")).to_have_count(2)
    shot(report, "report")
    report.emulate_media(media="print")
    expect(report.locator(".actions")).to_be_hidden()
    shot(report, "report-print")
    report.pdf(path=str(SHOTS / "report.pdf"), format="A4")
