"""The Promotion page in Chromium: a workspace with ad channels in two currencies and a shop, a
planted tiring creative, a campaign that costs more than it brings and a spend spike, after a brain
run — the charts drawn, the tiring creative named, the actions with their impact; Accept stays
accepted after a reload and Dismiss dismisses; another range changes the numbers; a viewer reads
the actions without buttons; a creative named like HTML is text. At 1400 and 390 px wide.

Screenshots go to artifacts/screens/promotion-*.png and /tmp/shots (look at them)."""

from __future__ import annotations

import asyncio
import functools
import random
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from dreamsuite.analytics.promotion_data import DailyAdRow, DailyOrders
from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import assert_fits, guard_dialogs, snap
from tests.promotion_db import make_channel, put_ad_rows, put_orders
from tests.promotion_synth import START, concave, creative

pytestmark = pytest.mark.browser

DAYS = 100
TODAY = START + timedelta(days=DAYS)
HOSTILE = "<img src=x onerror=alert(1)>"
TIRED = "Summer teaser (vertical)"
LOAD = 20_000  # ms: a reload of the page's numbers on a busy two-core machine
CHARTS = ["spend-chart", "roas-chart", "fatigue-chart", "forecast-chart"]



@functools.lru_cache(maxsize=None)
def _rows() -> list[DailyAdRow]:
    rng = random.Random(21)
    rows = creative(rng, creative_id="tired", start=START + timedelta(days=30), days=70, fatigue_from=35,
                    spend=60, aov=30.0, gaps=0.05)
    rows += creative(rng, creative_id="steady", days=DAYS, spend=80, aov=30.0)
    # A campaign that costs more than it brings back, under a name written like HTML.
    rows += creative(rng, campaign="waste", creative_id="hostile", days=DAYS, spend=45, aov=4.0)
    rows += concave(rng, "tiktok", k=3.4 * 100 ** 0.1, b=0.9, spend=100, days=DAYS)
    rows += concave(rng, "google", k=2.4 * 80 ** 0.5, b=0.5, spend=80, days=DAYS)
    rows += creative(rng, channel="google", campaign="yt-c", creative_id="yt", currency="USD", days=DAYS, spend=50,
                     spikes={DAYS - 1: 4.0})  # yesterday
    return rows


def _workspace(workspace_id: int) -> None:
    put_ad_rows(workspace_id, _rows(), names={"tired": TIRED, "hostile": HOSTILE, "waste": "Radio push",
                                              "c1": "Album launch"})
    shop = make_channel(workspace_id, "shopify", "EUR", name="Nova merch")
    put_orders(workspace_id, shop, [DailyOrders(START + timedelta(days=i), "EUR", 3, Decimal("61.50"),
                                                "facebook" if i % 3 else None) for i in range(DAYS)])


async def _run(workspace_id: int) -> int:
    from dreamsuite.services.promotion_runs import run_brain

    return await run_brain(workspace_id, TODAY)


@pytest.fixture(scope="module")
def artist(module_app):
    a = seed.artist("Nova Lane")
    seed.off_loop(_workspace, a.workspace_id)
    seed.off_loop(asyncio.run, _run(a.workspace_id))
    return a


def _open(new_context, base: str, who, width: int = 1400, height: int = 900):
    page = new_context(width=width, height=height).new_page()
    dialogs = guard_dialogs(page)
    log_in(page, base, who.email, who.password)
    page.goto(f"{base}/promotion")
    expect(page.get_by_test_id("actions-card")).to_be_visible(timeout=30_000)
    return page, dialogs


def _plot(page, testid: str):
    return page.get_by_test_id(testid).locator(".js-plotly-plot")


def _charts_drawn(page) -> None:
    for testid in CHARTS:
        page.get_by_test_id(testid).scroll_into_view_if_needed()
        plot = _plot(page, testid)
        expect(plot.locator("svg.main-svg").first).to_be_attached(timeout=LOAD)
        assert plot.evaluate("el => (el.data || []).length") > 0, f"{testid} shows an empty state"


def test_the_page_with_charts_actions_and_the_tiring_creative(module_app, artist, new_context):
    page, dialogs = _open(new_context, module_app, artist)
    _charts_drawn(page)
    # Totals per currency, each in its own money.
    expect(page.get_by_test_id("total-currency")).to_have_text(["EUR", "USD"])
    expect(page.get_by_test_id("total-spend").first).to_have_text(re.compile(r"^€[\d,]+\.\d\d$"))
    expect(page.get_by_test_id("total-spend").nth(1)).to_have_text(re.compile(r"^\$[\d,]+\.\d\d$"))
    # The money chart shows one currency; the switcher draws the other.
    names = _plot(page, "spend-chart").evaluate("el => el.data.map(t => t.name)")
    assert "Merch sales" in names and any(n.endswith(" spend") for n in names), names
    page.get_by_test_id("currency-USD").first.click()
    page.wait_for_function("() => !document.querySelector('[data-testid=spend-chart] .js-plotly-plot')"
                           ".data.some(t => t.name === 'Merch sales')", timeout=LOAD)
    # The tiring creative is named, and flagged among the creatives.
    expect(page.get_by_test_id("fatigue-row").first).to_contain_text(TIRED)
    tired_row = page.get_by_test_id("creative-row").filter(has_text=TIRED)
    expect(tired_row.get_by_test_id("perf-tired")).to_be_visible()
    # The wasteful campaign's creative shows a ROAS under 1, its name as text.
    hostile = page.get_by_test_id("creative-row").filter(has_text=HOSTILE)
    expect(hostile.get_by_test_id("perf-name")).to_have_text(HOSTILE)
    expect(hostile).to_contain_text("Radio push")
    assert float(hostile.get_by_test_id("perf-roas").inner_text().rstrip("×")) < 1
    assert page.locator("img[src='x']").count() == 0
    # Actions ranked, each with its impact a day and its status.
    actions = page.get_by_test_id("action")
    assert actions.count() >= 2
    expect(actions.first.get_by_test_id("action-impact")).to_have_text(re.compile(r"^[€$][\d,]+\.\d\d a day$"))
    expect(actions.first.get_by_test_id("action-status")).to_have_text("To decide")
    kinds = page.get_by_test_id("action-title").all_inner_texts()
    assert "Pause a tired creative" in kinds, kinds
    pause = actions.filter(has_text="Pause a tired creative")
    expect(pause.get_by_test_id("action-target")).to_contain_text(TIRED)
    expect(page.get_by_test_id("hit-adoption")).to_be_visible()
    expect(page.get_by_test_id("run-note")).to_contain_text("Analysed")
    assert_fits(page, "promotion at 1400 px")
    snap(page, "promotion-1400")
    assert dialogs == []


def test_accept_and_dismiss_stick(module_app, artist, new_context):
    page, _ = _open(new_context, module_app, artist)
    first = page.get_by_test_id("action").first
    sentence = first.get_by_test_id("action-sentence").inner_text()
    first.get_by_test_id("action-accept").click()
    accepted = page.get_by_test_id("action").filter(has_text=sentence)
    expect(accepted.get_by_test_id("action-status")).to_have_text("Accepted", timeout=LOAD)
    expect(accepted.get_by_test_id("action-accept")).to_have_count(0)
    expect(accepted.get_by_test_id("action-decided")).to_contain_text("Accepted")
    # Dismiss another (the first still to decide).
    other = page.get_by_test_id("action").filter(has=page.get_by_test_id("action-dismiss")).first
    other_sentence = other.get_by_test_id("action-sentence").inner_text()
    other.get_by_test_id("action-dismiss").click()
    dismissed = page.get_by_test_id("action").filter(has_text=other_sentence)
    expect(dismissed.get_by_test_id("action-status")).to_have_text("Dismissed", timeout=LOAD)
    page.reload()
    expect(page.get_by_test_id("action").filter(has_text=sentence).get_by_test_id("action-status")).to_have_text(
        "Accepted", timeout=30_000)
    expect(page.get_by_test_id("action").filter(has_text=other_sentence).get_by_test_id("action-status")) \
        .to_have_text("Dismissed")


def test_another_range_changes_the_numbers(module_app, artist, new_context):
    page, _ = _open(new_context, module_app, artist)
    spend = page.get_by_test_id("total-spend").first
    expect(spend).to_have_text(re.compile(r"^€"))
    before = spend.inner_text()
    expect(page.get_by_test_id("range-label")).to_contain_text("(30 days)")
    page.get_by_test_id("range-7d").click()
    expect(page.get_by_test_id("range-label")).to_contain_text("(7 days)", timeout=LOAD)
    expect(spend).not_to_have_text(before)
    seven = spend.inner_text()
    # A custom range: two weeks in February.
    page.get_by_test_id("range-from").fill("2026-02-01")
    page.get_by_test_id("range-to").fill("2026-02-14")
    page.get_by_test_id("range-apply").click()
    expect(page.get_by_test_id("range-label")).to_contain_text("1 Feb – 14 Feb 2026 (14 days)", timeout=LOAD)
    expect(spend).not_to_have_text(seven)
    days = _plot(page, "spend-chart").evaluate("el => el.data[0].x")
    assert min(days) >= "2026-02-01" and max(days) <= "2026-02-14", (min(days), max(days))
    # A bad range says what to change and keeps the numbers.
    page.get_by_test_id("range-from").fill("2026-02-20")
    page.get_by_test_id("range-apply").click()
    expect(page.get_by_test_id("range-error")).to_contain_text("after the end date", timeout=LOAD)


def test_a_viewer_reads_the_actions_without_buttons(module_app, artist, new_context):
    viewer = seed.member(artist.workspace_id, "viewer")
    page, dialogs = _open(new_context, module_app, viewer)
    expect(page.get_by_test_id("action").first).to_be_visible()
    expect(page.get_by_test_id("actions-role-note")).to_be_visible()
    expect(page.get_by_test_id("action-accept")).to_have_count(0)
    expect(page.get_by_test_id("action-dismiss")).to_have_count(0)
    assert dialogs == []


def test_at_phone_width(module_app, artist, new_context):
    page, dialogs = _open(new_context, module_app, artist, width=390, height=844)
    _charts_drawn(page)
    expect(page.get_by_test_id("creative-row").filter(has_text=HOSTILE)).to_be_visible()
    assert_fits(page, "promotion at 390 px")
    snap(page, "promotion-390")
    assert dialogs == []


def test_without_a_channel_the_page_says_what_to_do(module_app, new_context):
    nobody = seed.artist()
    page = new_context().new_page()
    log_in(page, module_app, nobody.email, nobody.password)
    page.goto(f"{module_app}/promotion")
    expect(page.get_by_test_id("promotion-empty")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("channels-panel")).to_be_visible()
    expect(page.get_by_test_id("nav-promotion").locator("visible=true")).to_have_count(1)


async def _answer_elsewhere(user_id: int, workspace_id: int, action_id: int) -> None:
    from dreamsuite.models import Role
    from dreamsuite.services.promotion_actions import decide_action
    from dreamsuite.services.scope import Scope

    await decide_action(Scope(user_id, workspace_id, Role.owner), action_id, accept=False)


def _open_action_id(workspace_id: int, sentence: str) -> int:
    from sqlmodel import select

    from dreamsuite import db
    from dreamsuite.models import PromotionAction

    with db.session() as s:
        return s.exec(select(PromotionAction.id).where(PromotionAction.workspace_id == workspace_id,
                                                       PromotionAction.sentence == sentence)).one()


def test_an_answer_given_elsewhere_shows_on_the_open_page(module_app, artist, new_context):
    page, _ = _open(new_context, module_app, artist)
    open_actions = page.get_by_test_id("action").filter(has=page.get_by_test_id("action-dismiss"))
    assert open_actions.count() > 0, "the tests before answered every action: plant another finding"
    sentence = open_actions.first.get_by_test_id("action-sentence").inner_text()
    action_id = seed.off_loop(_open_action_id, artist.workspace_id, sentence)
    seed.wait_for_listeners(module_app.redis_url, artist.workspace_id, 1)
    seed.off_loop(asyncio.run, _answer_elsewhere(artist.user_id, artist.workspace_id, action_id))
    expect(page.get_by_test_id("action").filter(has_text=sentence).get_by_test_id("action-status")) \
        .to_have_text("Dismissed", timeout=LOAD)
