"""The chat page in Chromium: a suggested question streams its answer with what it looked at,
Stop keeps the partial answer, answers show small tables, and everything survives a reload."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dreamsuite import db
from dreamsuite.models import ChatMessage, Role
from dreamsuite.services import chat
from dreamsuite.services.scope import Scope
from tests.browser import seed
from tests.browser.conftest import log_in
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
# Each piece of an answer waits a little, so an answer takes seconds: Stop can land mid-answer.
APP_ENV = {"CHAT_CHUNK_DELAY_MS": "120"}
SCREENS = Path(ROOT) / "artifacts" / "screens"
STOPPED = "(Answer stopped.)"


def _signed_in(module_app, new_context, width: int = 1400, height: int = 900):
    me = seed.artist()
    seed.numbers(me.workspace_id, ["Studio day", "New single out now", "Tour dates"])
    page = new_context(width=width, height=height).new_page()
    log_in(page, module_app, me.email, me.password)
    return me, page


def _screen(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / name))


def _watch_lengths(page) -> None:
    """Record every length the last answer bubble shows: a streamed answer grows in steps."""
    page.evaluate("""() => {
        window.__lengths = new Set();
        new MutationObserver(() => {
            const m = document.querySelectorAll('[data-testid=chat-message-assistant]');
            if (m.length) window.__lengths.add(m[m.length - 1].textContent.length);
        }).observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")


def test_a_suggested_question_streams_and_says_what_it_looked_at(module_app, new_context):
    _, page = _signed_in(module_app, new_context)
    page.goto(f"{module_app}/chat")
    suggestion = page.get_by_test_id("chat-suggestion").first
    expect(suggestion).to_have_text("How did my Sandbox grow this week?")
    _watch_lengths(page)
    suggestion.click()
    expect(page.get_by_test_id("chat-stop")).to_be_visible()  # Send became Stop while it streams
    answer = page.get_by_test_id("chat-message-assistant").last
    expect(page.get_by_test_id("chat-send")).to_be_visible(timeout=60_000)  # the answer is complete
    expect(answer.get_by_test_id("chat-tools")).to_have_text("Looked at: Followers across platforms, this week")
    assert page.evaluate("() => window.__lengths.size") >= 3, "the answer arrived in one piece, not streamed"
    text = answer.inner_text()
    assert "followers" in text and STOPPED not in text
    page.wait_for_url(re.compile(r"/chat\?c=\d+"))
    _screen(page, "chat-answer-tools.png")

    page.reload()
    again = page.get_by_test_id("chat-message-assistant").last
    expect(again.get_by_test_id("chat-tools")).to_have_text("Looked at: Followers across platforms, this week")
    assert again.inner_text() == text
    expect(page.get_by_test_id("chat-message-user")).to_have_text("How did my Sandbox grow this week?")

    # The list of conversations: a new one comes in at the top under its question; asking again
    # in an older one moves that one to the top.
    items = page.get_by_test_id("conversation-item")
    expect(items.first).to_have_text("How did my Sandbox grow this week?")
    page.get_by_test_id("chat-new").click()
    _ask_and_wait(page, "When should I post?", answers=1)
    expect(items.nth(0)).to_have_text("When should I post?")
    expect(items.nth(1)).to_have_text("How did my Sandbox grow this week?")
    items.nth(1).click()
    expect(page.get_by_test_id("chat-message-user")).to_have_count(1)
    _ask_and_wait(page, "Compare my platforms", answers=2)
    expect(items.nth(0)).to_have_text("How did my Sandbox grow this week?")
    expect(items.nth(1)).to_have_text("When should I post?")


def _ask_and_wait(page, question: str, answers: int) -> None:
    """Type and send a question; return once the conversation shows `answers` complete answers."""
    page.get_by_test_id("chat-input").fill(question)
    page.get_by_test_id("chat-send").click()
    expect(page.get_by_test_id("chat-message-assistant")).to_have_count(answers, timeout=60_000)
    expect(page.get_by_test_id("chat-send")).to_be_visible(timeout=60_000)


def test_stop_keeps_the_partial_answer_across_a_reload(module_app, new_context):
    _, page = _signed_in(module_app, new_context)
    question = "How did my followers grow this month and what was my best post?"
    page.goto(f"{module_app}/chat")
    page.get_by_test_id("chat-input").fill(question)
    page.get_by_test_id("chat-send").click()
    expect(page.get_by_test_id("chat-stop")).to_be_visible()
    expect(page.get_by_test_id("chat-send")).to_be_visible(timeout=60_000)
    full = page.get_by_test_id("chat-message-assistant").last.inner_text()

    page.get_by_test_id("chat-new").click()
    page.wait_for_url(re.compile(r"/chat$"))
    page.get_by_test_id("chat-input").fill(question)
    page.get_by_test_id("chat-send").click()
    answer = page.get_by_test_id("chat-message-assistant").last
    expect(answer).to_contain_text(re.compile(r"\w+ \w+"))  # a few words are in
    _screen(page, "chat-streaming-stop-button.png")
    page.get_by_test_id("chat-stop").click()
    expect(page.get_by_test_id("chat-send")).to_be_visible(timeout=10_000)
    expect(answer).to_contain_text(STOPPED)
    stopped = answer.inner_text()
    said = stopped.split(STOPPED)[0].strip()
    assert said and len(said) < len(full.split("Looked at:")[0]), "Stop did not stop the answer"
    assert re.sub(r"\s+", " ", full).startswith(re.sub(r"\s+", " ", said)), (said, full)
    page.wait_for_timeout(1500)  # the task has ended: nothing more arrives
    assert answer.inner_text() == stopped
    _screen(page, "chat-stopped.png")

    page.reload()
    again = page.get_by_test_id("chat-message-assistant").last
    expect(again).to_contain_text(STOPPED)
    assert again.inner_text() == stopped
    expect(again.get_by_test_id("chat-tools")).to_contain_text("Looked at: Followers across platforms, this month")


TABLE = """Your top posts of the last 90 days:

| # | Post | Platform | Likes | Comments | Shares | Views | Posted |
|--:|------|----------|------:|---------:|-------:|------:|--------|
| 1 | New single out now — link in bio, pre-save | Instagram | 1,204 | 88 | 41 | 15,902 | 2026-11-02 |
| 2 | Studio day | TikTok | 903 | 35 | 12 | 9,871 | 2026-10-28 |
| 3 | Tour dates | YouTube | 512 | 20 | 8 | 4,410 | 2026-10-19 |

Reels did best."""
HOSTILE = 'A caption said <img src=x onerror="window.__xss=1"> and <b>bold</b>.'


def _stored_conversation(me: seed.Artist) -> int:
    scope = Scope(user_id=me.user_id, workspace_id=me.workspace_id, role=Role.owner)

    def write() -> int:
        cid = chat.create_conversation(scope, "Top posts")
        tools = json.dumps([{"tool": "ranked_posts", "args": {"metric": "likes", "limit": 3}}])
        with db.session() as s:
            for role, content, used in (("user", "my top posts", ""), ("assistant", TABLE, tools),
                                        ("user", "and the captions?", ""), ("assistant", HOSTILE, "")):
                s.add(ChatMessage(workspace_id=me.workspace_id, conversation_id=cid, role=role, content=content,
                                  agent="content", tools_json=used))
        return cid

    return seed.off_loop(write)


@pytest.mark.parametrize("width", [1400, 390])
def test_answers_show_small_tables_and_raw_html_as_text(module_app, new_context, width):
    me, page = _signed_in(module_app, new_context, width=width, height=844 if width < 500 else 900)
    page.goto(f"{module_app}/chat?c={_stored_conversation(me)}")
    answers = page.get_by_test_id("chat-message-assistant")
    first, second = answers.nth(0), answers.nth(1)
    table = first.locator("table")
    expect(table).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("th").nth(3)).to_have_text("Likes")
    expect(first.get_by_test_id("chat-tools")).to_have_text("Looked at: Posts ranked by likes, last 90 days")
    # Small: the table's text is smaller than the answer's, and a wide table scrolls inside its bubble.
    sizes = table.evaluate("""t => [parseFloat(getComputedStyle(t).fontSize),
        parseFloat(getComputedStyle(t.closest('[data-testid=chat-message-assistant]').querySelector('p')).fontSize)]""")
    assert sizes[0] < sizes[1], sizes
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    # On a desktop the long caption wraps and the table fits; on a phone it scrolls inside its box.
    box = first.get_by_test_id("markdown-table")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth") == (width < 500), f"table scrolling at {width}px"
    expect(table.locator("td.long-text")).to_have_count(1)  # only the caption may wrap
    # Raw HTML in an answer is shown as text, never run.
    expect(second).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(second).to_contain_text("<b>bold</b>")
    expect(second.locator("img")).to_have_count(0)
    expect(second.locator("b")).to_have_count(0)
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    _screen(page, f"chat-table-{width}.png")
