"""Goals and insights in Chromium, on the demo artist (seeded through the platform emulators, then
analysed): a goal created through the form (a bad one first: its message, nothing saved), its
projection and chart, edited, archived; insights dismissed, acted on (the level card's XP goes
up), filtered by type; an insight stored while the page is open appears without a reload.

Screenshots of both pages at 1400 and 360 px go to artifacts/screens/ (*-demo-*.png)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import assert_fits, shot
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
DEMO = ("demo@dreamsuite.app", "dreamsuite-demo")


def _analyse(workspace_id: int) -> dict:
    from dreamsuite.services import analysis

    return analysis.analyse(workspace_id)


def _demo_workspace() -> int:
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import Membership, User

    with db.session() as s:
        user = s.exec(select(User).where(User.email == DEMO[0])).one()
        return s.exec(select(Membership.workspace_id).where(Membership.user_id == user.id)).first()


@pytest.fixture(scope="module")
def demo(module_app) -> int:
    """The demo artist as `make run` seeds it, analysed: forecasts, insights and XP stored."""
    base = module_app
    env = {**os.environ, "DATABASE_URL": module_app.db_url, "REDIS_URL": module_app.redis_url, "APP_URL": base,
           "API_URL": base, "EMULATOR_URL": f"{base}/emulators",
           "EMULATOR_DB": str(module_app.log.parent / "emulators.db"), "DREAMSUITE_DEMO": "1"}
    seeded = subprocess.run([sys.executable, "-m", "dreamsuite.seed"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    workspace_id = seed.off_loop(_demo_workspace)
    seed.off_loop(_analyse, workspace_id)
    return workspace_id


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def _pick(page, trigger_testid: str, option: str) -> None:
    page.get_by_test_id(trigger_testid).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_goals_create_bad_and_good_edit_archive(module_app, demo, new_context):
    base = module_app
    page = new_context().new_page()
    log_in(page, base, *DEMO)
    page.get_by_test_id("nav-goals").click()
    page.wait_for_url(re.compile(r"/goals"))
    expect(page.get_by_test_id("level-number")).to_contain_text(re.compile(r"Level \d+"))
    cards = page.get_by_test_id("goal-card")
    expect(cards.or_(page.get_by_test_id("goals-empty")).first).to_be_visible()
    before = cards.count()

    # A bad target: a message in words, nothing saved.
    _pick(page, "goal-platform", "Instagram")
    page.get_by_test_id("goal-target").fill("lots")
    page.get_by_test_id("goal-submit").click()
    expect(page.get_by_test_id("goal-form-error")).to_contain_text("whole number of followers, like 10,000")
    page.get_by_test_id("goal-target").fill("0")
    page.get_by_test_id("goal-submit").click()
    expect(page.get_by_test_id("goal-form-error")).to_contain_text("more than zero")
    page.reload()
    expect(page.get_by_test_id("level-card")).to_be_visible()
    expect(cards).to_have_count(before)

    # A good one, with a deadline: progress, pace, the forecast's date and band, the chart.
    deadline = date.today() + timedelta(days=75)
    _pick(page, "goal-platform", "Instagram")
    page.get_by_test_id("goal-target").fill("250,000")
    page.get_by_test_id("goal-deadline-input").fill(deadline.isoformat())
    page.get_by_test_id("goal-submit").click()
    expect(page.get_by_test_id("goal-form-ok")).to_have_text("Goal saved.")
    expect(cards).to_have_count(before + 1)
    mine = cards.filter(has_text="250,000 Instagram followers")
    expect(mine.get_by_test_id("goal-target-value")).to_have_text("of 250,000")
    expect(mine.get_by_test_id("goal-pace")).to_contain_text(re.compile(r"Needs [\d,.]+ a day to make the deadline"))
    expect(mine.get_by_test_id("goal-projection")).to_contain_text(
        re.compile(r"Expected around \d+ \w{3}.*\(between|Not within the forecast"))
    expect(mine.get_by_test_id("goal-verdict")).to_contain_text(re.compile(r"by the deadline|Behind|On track"))
    expect(mine.get_by_test_id("goal-chart").locator(".js-plotly-plot")).to_be_visible()
    expect(mine.get_by_test_id("goal-deadline")).to_contain_text("days left")

    # Edit inline: a bad target keeps it; a good one renames it.
    mine.get_by_test_id("goal-edit").click()
    page.get_by_test_id("goal-edit-target").fill("a lot")
    page.get_by_test_id("goal-edit-save").click()
    expect(page.get_by_test_id("goal-edit-error")).to_contain_text("whole number")
    page.get_by_test_id("goal-edit-target").fill("40000")
    page.get_by_test_id("goal-edit-deadline").fill("")
    page.get_by_test_id("goal-edit-save").click()
    edited = cards.filter(has_text="40,000 Instagram followers")
    expect(edited).to_have_count(1)
    expect(edited.get_by_test_id("goal-deadline")).to_have_count(0)
    expect(edited.get_by_test_id("goal-projection")).to_contain_text(re.compile(r"Expected around|Not within"))
    shot(page, "goals-demo-1400")

    # Archive, after the question.
    edited.get_by_test_id("goal-archive").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("40,000 Instagram followers")
    page.get_by_test_id("confirm-archive").click()
    expect(cards.filter(has_text="40,000 Instagram followers")).to_have_count(0)
    expect(cards).to_have_count(before)


def test_insights_dismiss_act_filter_and_live(module_app, demo, new_context):
    base = module_app
    page = new_context().new_page()
    log_in(page, base, *DEMO)
    page.get_by_test_id("nav-insights").click()
    page.wait_for_url(re.compile(r"/insights"))
    cards = page.get_by_test_id("insight-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3, "the demo's analysis writes several insights"
    expect(page.get_by_test_id("insights-new-count")).to_contain_text(re.compile(r"^[1-9]\d* new$"))
    xp = page.get_by_test_id("xp-total")
    expect(xp).to_contain_text("XP")
    xp_before = _number(xp.inner_text())

    # What it rests on: collapsed, then open.
    first = cards.first
    basis = first.get_by_test_id("insight-basis")
    expect(basis).not_to_have_attribute("open", "")
    first.get_by_test_id("insight-basis-toggle").click()
    expect(basis).to_contain_text(" — ")

    # "I did this": it leaves the feed and the level card's XP goes up.
    acted = first.get_by_test_id("insight-title").inner_text()
    first.get_by_test_id("insight-act").click()
    expect(page.get_by_test_id("insights-notice")).to_contain_text("Well done")
    expect(xp).to_have_text(f"{xp_before + 25:,} XP")
    expect(page.get_by_test_id("xp-event").first).to_contain_text("Acted on an insight")
    expect(cards.filter(has_text=acted)).to_have_count(0)

    # Dismiss: gone, until "show dismissed".
    dismissed = cards.first.get_by_test_id("insight-title").inner_text()
    cards.first.get_by_test_id("insight-dismiss").click()
    expect(cards.filter(has_text=dismissed)).to_have_count(0)
    page.get_by_test_id("show-dismissed").click()
    expect(cards.filter(has_text=dismissed).get_by_test_id("insight-dismissed")).to_have_text("Dismissed")
    expect(cards.filter(has_text=acted).get_by_test_id("insight-dismissed")).to_have_text("Done")
    page.get_by_test_id("show-dismissed").click()
    expect(cards.filter(has_text=dismissed)).to_have_count(0)

    # Filter by type: only that type, then all again.
    kind = cards.first.get_by_test_id("insight-type").inner_text()
    total = cards.count()
    _pick(page, "insights-filter", kind)
    expect(cards.first).to_be_visible()
    for label in cards.get_by_test_id("insight-type").all_inner_texts():
        assert label == kind
    _pick(page, "insights-filter", "All types")
    expect(cards).to_have_count(total)

    # A new insight while the page is open: it appears, new, as plain text.
    seed.wait_for_listeners(module_app.redis_url, demo, 1)
    seed.off_loop(_store_one, demo)
    fresh = cards.filter(has_text="Live test: <b>not bold</b>")
    expect(fresh).to_have_count(1)
    expect(fresh.get_by_test_id("insight-new")).to_be_visible()
    expect(fresh.get_by_test_id("insight-priority")).to_have_text("Urgent")
    expect(cards.first).to_contain_text("Live test")  # urgent first
    expect(fresh.locator("b")).to_have_count(0)
    shot(page, "insights-demo-1400")

    page.get_by_test_id("insights-mark-all-read").click()
    expect(page.get_by_test_id("insights-new-count")).to_have_text("0 new")
    expect(page.get_by_test_id("insight-new")).to_have_count(0)


def _store_one(workspace_id: int) -> None:
    from dreamsuite import db
    from dreamsuite.insights.drafts import Draft
    from dreamsuite.services import insights

    with db.session() as s:
        insights.store(s, workspace_id, [Draft(
            type="goal", priority="urgent", title="Live test: <b>not bold</b>",
            message="<img src=x onerror=alert(1)> stays text.", dedupe_key="live-test",
            actions=("Check it arrived live.",), sources=({"table": "goal"},),
            figures={"target": {"value": 10_000, "source": {"kind": "goal_target", "goal_id": 1}}})])


@pytest.mark.parametrize("path,ready", [("/goals", "level-card"), ("/insights", "insight-card")])
def test_both_pages_fit_a_phone(module_app, demo, new_context, path, ready):
    page = new_context(width=360, height=740).new_page()
    log_in(page, module_app, *DEMO)
    page.goto(f"{module_app}{path}")
    expect(page.get_by_test_id(ready).first).to_be_visible()
    if path == "/goals":
        expect(page.get_by_test_id("goal-card").first.locator(".js-plotly-plot")).to_be_visible()
    page.wait_for_timeout(300)  # charts settle to the width
    name = path.strip("/")
    shot(page, f"{name}-demo-360")
    assert_fits(page, f"{name} at 360px")
