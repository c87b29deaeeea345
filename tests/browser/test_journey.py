"""A new artist's first session, end to end in Chromium against the real app and worker:
sign up, connect X through the consent page of its emulator, see the numbers, ask the chat,
schedule a post and watch it get published — every update arriving live, without reloads."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TZ = "Europe/Paris"


def test_new_artist_journey(live_app, page):
    base = live_app
    email = f"nova-{uuid.uuid4().hex[:8]}@example.com"

    # Logged out: every page sends you to the login form.
    page.goto(f"{base}/dashboard")
    page.wait_for_url(re.compile(r"/login"))

    # Sign up; the browser's timezone is captured and stored.
    page.goto(f"{base}/signup")
    expect(page.get_by_test_id("signup-timezone")).to_contain_text(TZ)
    page.fill("#name", "Nova Lux")
    page.fill("#email", email)
    page.fill("#password", "correct horse")
    page.get_by_test_id("signup-submit").click()
    page.wait_for_url(re.compile(r"/signup/sent"))
    # A link cut short in the mail client: no code, so no button to press, and it says why.
    page.goto(f"{base}/verify")
    expect(page.get_by_text("This link is missing its code")).to_be_visible()
    expect(page.get_by_test_id("verify-submit")).to_be_disabled()
    # The same answer for any email: the link arrives by mail (the app's outbox here).
    page.goto(live_app.link_in_mail_to(email))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_url(re.compile(r"/connections"))
    expect(page.get_by_test_id("workspace-name")).to_have_text("Nova Lux")
    expect(page.get_by_test_id("platform-card-tidal")).to_contain_text("No public API yet")

    # Connect X with the real connector, through the consent page of its local emulator: a new
    # account of the artist's there.
    page.get_by_test_id("connect-x").click()
    page.fill("input[name=new_name]", "Nova Lux")
    page.locator("button.allow").click()
    page.wait_for_url(re.compile(r"/connections/?\?flash="))
    expect(page.get_by_test_id("connections-banner")).to_contain_text("Connected X (@nova_lux)")
    # The first sync runs in the worker; the card learns of it live.
    expect(page.get_by_test_id("platform-last-synced")).to_contain_text("Last sync", timeout=90_000)

    # Dashboard numbers.
    page.get_by_test_id("nav-dashboard").click()
    followers = page.get_by_test_id("stat-followers")
    expect(followers).to_have_text(re.compile(r"^\d{1,3}(,\d{3})*$"))
    total = followers.inner_text()
    assert int(total.replace(",", "")) > 0
    expect(page.get_by_test_id("stat-change")).to_have_text(re.compile(r"^[+-]\d"))
    expect(page.get_by_test_id("growth-chart").locator(".js-plotly-plot")).to_be_visible()

    # Chat: a streamed answer that quotes the real follower count.
    page.get_by_test_id("nav-chat").click()
    # Suggestions built from this artist's data: their one platform, X.
    expect(page.get_by_test_id("chat-suggestion").first).to_have_text("How did my X grow this week?")
    page.get_by_test_id("chat-input").fill("How many followers do I have?")
    # Record every length the answer bubble shows: a streamed answer grows in steps.
    page.evaluate("""() => {
        window.__answerLengths = new Set();
        new MutationObserver(() => {
            const m = document.querySelectorAll('[data-testid=chat-message-assistant]');
            if (m.length) window.__answerLengths.add(m[m.length - 1].textContent.length);
        }).observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")
    page.get_by_test_id("chat-send").click()
    answer = page.get_by_test_id("chat-message-assistant").last
    expect(answer).to_contain_text(total, timeout=60_000)
    expect(answer.get_by_test_id("chat-agent")).to_have_text("Career Agent")
    assert page.evaluate("() => window.__answerLengths.size") >= 3, "the answer arrived in one piece, not streamed"
    page.wait_for_url(re.compile(r"/chat\?c=\d+"))
    page.reload()
    expect(page.get_by_test_id("chat-message-assistant").last).to_contain_text(total)

    # Composer: schedule a post a minute ahead, in the artist's timezone.
    page.get_by_test_id("nav-composer").click()
    expect(page.get_by_test_id("composer-timezone")).to_contain_text(TZ)
    page.get_by_test_id("composer-text").fill("New single out Friday — pre-save now!")
    expect(page.get_by_test_id("composer-count")).to_contain_text("37")
    page.get_by_test_id("composer-account").first.click()
    when = (datetime.now(ZoneInfo(TZ)) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_test_id("composer-when").fill(when)
    page.get_by_test_id("composer-submit").click()
    expect(page.get_by_test_id("composer-ok")).to_contain_text("Scheduled for")
    status = page.get_by_test_id("post-status").first
    expect(status).to_have_text(re.compile("scheduled|publishing|published"))
    # Published by the worker at the chosen minute; the badge changes without a reload.
    expect(status).to_have_text("published", timeout=150_000)
