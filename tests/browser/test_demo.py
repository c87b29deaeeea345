"""The demo as `make run` sets it up: the seed connects five platforms through their emulators,
and the Connections page shows each with its last sync; "Sync now" shows its progress live."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
PLATFORMS = ("instagram", "youtube", "spotify", "tiktok", "facebook")


def test_demo_connections_show_every_platform_and_live_sync_progress(live_app, tmp_path, page):
    base = live_app
    env = {**os.environ, "DATABASE_URL": live_app.db_url, "REDIS_URL": live_app.redis_url, "APP_URL": base,
           "API_URL": base, "EMULATOR_URL": f"{base}/emulators", "EMULATOR_DB": str(tmp_path / "emulators.db"),
           "DREAMSUITE_DEMO": "1"}
    seeded = subprocess.run([sys.executable, "-m", "dreamsuite.seed"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=180)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    assert all(f"{p}: success" in seeded.stdout for p in PLATFORMS), seeded.stdout

    log_in(page, base, "demo@dreamsuite.app", "dreamsuite-demo")
    # The dashboard adds the five platforms up.
    for label in ("Instagram", "YouTube", "Spotify", "TikTok", "Facebook"):
        expect(page.get_by_test_id("growth-chart")).to_be_visible()
        expect(page.locator("body")).to_contain_text(label)

    page.get_by_test_id("nav-connections").click()
    page.wait_for_url(re.compile(r"/connections"))
    for platform in PLATFORMS:
        card = page.get_by_test_id(f"platform-card-{platform}")
        expect(card.get_by_test_id("account-status")).to_have_text("connected")
        expect(card.get_by_test_id("platform-last-synced")).to_contain_text("Last sync:")
    expect(page.get_by_test_id("platform-card-spotify").get_by_test_id("unavailable")).to_contain_text(
        "Spotify for Artists")
    expect(page.get_by_test_id("platform-card-youtube").get_by_test_id("quota")).to_contain_text(
        "of 10,000 quota units used today")

    # Sync now: the worker picks it up and the card follows it without a reload.
    spotify = page.get_by_test_id("platform-card-spotify")
    spotify.get_by_test_id("sync-spotify").click()
    progress = spotify.get_by_test_id("sync-progress")
    expect(progress).to_contain_text(re.compile("Waiting for a worker|Collecting|Synced just now"))
    expect(progress).to_contain_text("Synced just now", timeout=60_000)
    page.screenshot(path=str(ROOT / "artifacts" / "connections-demo.png"), full_page=True)

    # Promotion: today's advice open, and the brain's record from the replayed weeks before it.
    page.get_by_test_id("nav-promotion").click()
    page.wait_for_url(re.compile(r"/promotion"))
    expect(page.get_by_test_id("action").first).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("action").first.get_by_test_id("action-status")).to_have_text("To decide")
    expect(page.get_by_test_id("hit-adoption")).to_have_text(re.compile(r"^\d+%$"))
    expect(page.get_by_test_id("hit-accuracy")).to_have_text(re.compile(r"^\d+%$"))
    expect(page.get_by_test_id("hit-rate")).to_contain_text(re.compile(r"\d+ of \d+ answered actions? accepted"))
    expect(page.get_by_test_id("hit-rate")).to_contain_text(re.compile(r"\d+ of \d+ measured actions? reached"))
    expect(page.locator("body")).not_to_contain_text("creative creative")
    page.screenshot(path=str(ROOT / "artifacts" / "promotion-demo.png"), full_page=True)
