"""The frame around every page: the bell fills in live, phones get a top bar and a drawer and
nothing wider than the screen, and a lost connection reads "Reconnecting…" in words.

Screenshots of each page at each width go to artifacts/screens/ (look at them)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import ROOT, log_in

pytestmark = pytest.mark.browser

# The browser reaches this module's app through a proxy, so a test can cut the connection.
APP_BEHIND_PROXY = True

SCREENS = Path(ROOT) / "artifacts" / "screens"
SHOTS = Path("/tmp/shots")
PHONES = [(360, 740), (390, 844)]
DESKTOP = (1400, 900)
# 80 characters without a space: nothing may wrap it, so it must be cut with an ellipsis.
LONG_NAME = "Supercalifragilisticexpialidocious" * 2 + "TheBandOfTheYear"
assert len(LONG_NAME) == 84

# Elements that reach past the window's right or left edge, and text cut off without an ellipsis.
OVERFLOW = """() => {
    const W = document.documentElement.clientWidth;
    const name = el => `${el.tagName.toLowerCase()}${el.dataset.testid ? '[' + el.dataset.testid + ']' : ''}`
        + `${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''}`
        + ` "${(el.innerText || '').slice(0, 40)}"`;
    const outside = [], cut = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        const st = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || st.visibility === 'hidden') continue;
        // (Parked wholly off screen on purpose, like plotly's measuring svg, is not "past the edge".)
        const straddles = (r.right > W + 1 && r.left < W) || (r.left < -1 && r.right > 0);
        if (straddles) outside.push(`${name(el)} ${Math.round(r.left)}..${Math.round(r.right)}`);
        const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (text && el.scrollWidth > el.clientWidth + 1 && ['hidden', 'clip'].includes(st.overflowX)
                && st.textOverflow !== 'ellipsis') cut.push(name(el));
    }
    return {scroll: document.documentElement.scrollWidth, width: window.innerWidth, outside, cut};
}"""


def visible(page, testid: str):
    return page.get_by_test_id(testid).locator("visible=true")


def assert_fits(page, where: str) -> None:
    got = page.evaluate(OVERFLOW)
    assert got["scroll"] <= got["width"], f"{where}: the page scrolls sideways ({got['scroll']} > {got['width']})"
    assert got["outside"] == [], f"{where}: past the window's edge: {got['outside'][:8]}"
    assert got["cut"] == [], f"{where}: text cut off without an ellipsis: {got['cut'][:8]}"


def assert_ellipsis_inside(page, locator, container, where: str) -> None:
    """The text is cut with an ellipsis and stays inside its container."""
    box, outer = locator.bounding_box(), container.bounding_box()
    assert box["x"] + box["width"] <= outer["x"] + outer["width"] + 1, f"{where}: {box} outside {outer}"
    style = locator.evaluate("el => [getComputedStyle(el).textOverflow, el.scrollWidth > el.clientWidth]")
    assert style == ["ellipsis", True], f"{where}: not cut with an ellipsis ({style})"


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True, animations="disabled")


def snap(page, name: str) -> None:
    """A screenshot kept in artifacts/screens and copied to /tmp/shots, where they are looked at."""
    shot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(SCREENS / f"{name}.png", SHOTS / f"{name}.png")


def guard_dialogs(page) -> list[str]:
    """Every dialog a page opens (none should), dismissed."""
    seen: list[str] = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    return seen


def _ready(page, name: str) -> None:
    """Wait until the page shows its data (not a spinner)."""
    if name == "dashboard":
        expect(page.get_by_test_id("stat-followers")).to_have_text(re.compile(r"^\d{1,3}(,\d{3})*$"))
        expect(page.get_by_test_id("growth-chart").locator(".js-plotly-plot")).to_be_visible()
    elif name == "connections":
        expect(page.get_by_test_id("platform-card-tidal")).to_be_visible()
        expect(page.get_by_test_id("platform-username")).to_have_text("@main")
    elif name == "chat":
        expect(page.get_by_test_id("chat-message-assistant").last).to_contain_text("followers")
    elif name == "composer":
        expect(page.get_by_test_id("composer-account").first).to_be_visible()
    elif name == "account":
        expect(page.get_by_test_id("password-submit")).to_be_visible()
    elif name == "inbox":
        expect(page.get_by_test_id("inbox-search")).to_be_visible()
        expect(page.get_by_test_id("inbox-unread-count")).to_be_visible()
    elif name == "goals":  # the sandbox numbers suggest a first goal
        expect(page.get_by_test_id("goal-suggestion")).to_contain_text("Sandbox followers")
        expect(page.get_by_test_id("level-card")).to_be_visible()
    elif name == "team":
        expect(page.get_by_test_id("member-row")).to_have_count(1)
        expect(page.get_by_test_id("invite-email")).to_be_visible()
    elif name == "insights":
        expect(page.get_by_test_id("insights-empty")).to_be_visible()
        expect(page.get_by_test_id("level-card")).to_be_visible()


def test_every_page_fits_phones_and_desktop(module_app, new_context):
    base = module_app
    me = seed.artist(LONG_NAME)
    seed.numbers(me.workspace_id, ["A caption with a very long link https://example.com/" + "x" * 120])
    seed.notification(module_app.redis_url, me.workspace_id,
                      "Sandbox could not be synced: " + "the-platform-answered-with-a-very-long-error-" * 3)
    pages = {name: f"/{name}" for name in ["dashboard", "insights", "goals", "connections", "chat", "composer",
                                           "inbox", "team", "account"]}

    for width, height in [DESKTOP, *PHONES]:
        page = new_context(width=width, height=height).new_page()
        log_in(page, base, me.email, me.password)
        if pages["chat"] == "/chat":  # one conversation, asked once, shown at every width
            page.goto(f"{base}/chat")
            page.get_by_test_id("chat-input").fill("How did my followers grow in the last 30 days?")
            page.get_by_test_id("chat-send").click()
            expect(page.get_by_test_id("chat-send")).to_be_enabled(timeout=60_000)
            page.wait_for_url(re.compile(r"/chat\?c=\d+"))
            pages["chat"] = page.url.removeprefix(base)
        for name, path in pages.items():
            page.goto(f"{base}{path}")
            _ready(page, name)
            shot(page, f"{name}-{width}")
            assert_fits(page, f"{name} at {width}px")
            phone = width < 768
            # Phones: a top bar (menu, logo, bell) instead of the sidebar.
            expect(page.get_by_test_id("sidebar")).to_be_visible(visible=not phone)
            expect(page.get_by_test_id("topbar")).to_be_visible(visible=phone)
            expect(visible(page, "bell")).to_have_count(1)

        if phone:
            visible(page, "menu").click()
            drawer = page.get_by_test_id("nav-drawer")
            expect(drawer).to_be_visible()
            for label in ["dashboard", "insights", "goals", "connections", "chat", "composer", "team", "account"]:
                expect(drawer.get_by_test_id(f"nav-{label}")).to_be_visible()
            expect(drawer.get_by_test_id("logout")).to_be_visible()
            assert_ellipsis_inside(page, drawer.get_by_test_id("workspace-name"), drawer, f"drawer at {width}px")
            shot(page, f"menu-{width}")
            assert_fits(page, f"the menu at {width}px")
            drawer.get_by_test_id("nav-composer").click()
            page.wait_for_url(re.compile(r"/composer"))
            expect(page.get_by_test_id("nav-drawer")).to_have_count(0)
            _ready(page, "composer")
        else:
            sidebar = page.get_by_test_id("sidebar")
            assert_ellipsis_inside(page, sidebar.get_by_test_id("workspace-name"), sidebar, "sidebar")
            assert_ellipsis_inside(page, sidebar.get_by_text(LONG_NAME).last, sidebar, "sidebar account")

        # The bell's list fits the screen too.
        visible(page, "bell").click()
        expect(page.get_by_test_id("notification-item")).to_contain_text("could not be synced")
        shot(page, f"bell-{width}")
        assert_fits(page, f"the notifications at {width}px")
        page.keyboard.press("Escape")
        page.context.close()


def test_bell_counts_new_notifications_live(module_app, new_context):
    base = module_app
    me = seed.artist()
    page = new_context().new_page()
    log_in(page, base, me.email, me.password)
    expect(page.get_by_test_id("dashboard-empty")).to_be_visible()
    expect(visible(page, "bell-count")).to_have_count(0)

    # The page is listening (the worker's announcement would otherwise go unheard).
    seed.wait_for_listeners(module_app.redis_url, me.workspace_id, 1)
    seed.notification(module_app.redis_url, me.workspace_id, "Your post to Sandbox failed: media too large")
    # Without a reload, the bell shows it.
    expect(visible(page, "bell-count")).to_have_text("1")
    seed.notification(module_app.redis_url, me.workspace_id, "Sandbox access expires in 7 days")
    expect(visible(page, "bell-count")).to_have_text("2")

    visible(page, "bell").click()
    items = page.get_by_test_id("notification-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("expires in 7 days")  # newest first
    expect(items.last).to_contain_text("media too large")
    page.get_by_test_id("mark-all-read").click()
    expect(visible(page, "bell-count")).to_have_count(0)
    expect(page.get_by_test_id("mark-all-read")).to_have_count(0)
    expect(items).to_have_count(2)  # still listed, now read

    # Read stays read after a reload (it is stored, not only shown).
    page.reload()
    expect(page.get_by_test_id("dashboard-empty")).to_be_visible()
    expect(visible(page, "bell-count")).to_have_count(0)


def test_lost_connection_says_reconnecting_in_words(module_app, new_context):
    base = module_app
    me = seed.artist()
    page = new_context(width=390, height=844).new_page()
    log_in(page, base, me.email, me.password)
    expect(page.get_by_test_id("dashboard-empty")).to_be_visible()
    banner = page.get_by_test_id("reconnecting")
    expect(banner).to_have_count(0)

    proxy = module_app.proxy
    proxy.down()
    try:
        expect(banner).to_be_visible(timeout=15_000)
        expect(banner).to_contain_text("Reconnecting…")
        # Several attempts failed by now: where Reflex would have raised its socket-error toast.
        attempts = proxy.refused
        deadline = time.monotonic() + 30
        while proxy.refused < attempts + 3:
            assert time.monotonic() < deadline, "the page stopped trying to reconnect"
            page.wait_for_timeout(200)
        shot(page, "reconnecting-390")
        expect(page.locator("[data-sonner-toast]")).to_have_count(0)
        body = page.locator("body").inner_text()
        for words in ["Cannot connect to server", "websocket", "Backend is not responding"]:
            assert words.lower() not in body.lower(), f"the page shows {words!r}"
        assert_fits(page, "the reconnecting note at 390px")
    finally:
        proxy.up()
    # Back online: the note goes away and the page works again.
    expect(banner).to_have_count(0, timeout=20_000)
    visible(page, "menu").click()
    page.get_by_test_id("nav-drawer").get_by_test_id("nav-composer").click()
    page.wait_for_url(re.compile(r"/composer"))
    expect(page.get_by_test_id("composer-text")).to_be_visible()
