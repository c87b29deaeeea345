"""What the live app sends and shows that an attacker could use: frame and content policies on
every response, no cross-origin access to the backend, and chat answers that quote captions
as text (a caption is written by whoever posted it, not by us)."""

from __future__ import annotations

import base64
import os
import re
import socket
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import log_in
from tests.browser.test_layout import SCREENS as SCREENS_DIR

pytestmark = pytest.mark.browser

EVIL = "https://evil.example"

# Captions as a platform returns them: whatever the poster typed.
HOSTILE = [
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    "<h1>big</h1>",
    '<img src=x onerror="window.__xss=2">',
    "![t](http://127.0.0.1:9/pixel.png)",
    "[x](javascript:window.__xss=3)",
]


def _sandbox_authorize(base: str) -> str:
    query = {"client_id": "dreamsuite-sandbox", "redirect_uri": f"{base}/oauth/callback/sandbox",
             "response_type": "code", "scope": "", "state": "s" * 20,
             "code_challenge": "c" * 43, "code_challenge_method": "S256"}
    return f"/sandbox/oauth/authorize?{urlencode(query)}"


def test_every_response_refuses_framing_and_other_origins(module_app):
    base = module_app
    with httpx.Client(base_url=base, timeout=10) as client:
        for path in ["/", "/login", "/dashboard", "/admin/login", _sandbox_authorize(base), "/healthz"]:
            r = client.get(path)
            assert r.status_code < 500, (path, r.status_code)
            assert r.headers.get("x-frame-options") == "DENY", path
            csp = r.headers.get("content-security-policy", "")
            assert "frame-ancestors 'none'" in csp, (path, csp)
            assert "object-src 'none'" in csp, (path, csp)
            assert r.headers.get("x-content-type-options") == "nosniff", path
        # The consent page is the sandbox's own, and a valid request gets it (not an error page).
        assert "Authorize Dream Suite" in client.get(_sandbox_authorize(base)).text

        # Reflex's backend answers CORS only for our own origin: a page elsewhere cannot call it
        # with the visitor's cookies, nor read what it answers.
        for path in ["/ping", "/_event/?EIO=4&transport=polling", "/healthz"]:
            pre = client.options(path, headers={"Origin": EVIL, "Access-Control-Request-Method": "GET",
                                                "Access-Control-Request-Headers": "content-type"})
            assert pre.headers.get("access-control-allow-origin") in (None, ""), (path, pre.headers)
            got = client.get(path, headers={"Origin": EVIL})
            assert got.headers.get("access-control-allow-origin") in (None, ""), (path, got.headers)
        # ...while our own pages may (the check above is not passing because CORS is simply off).
        own = client.options("/ping", headers={"Origin": base, "Access-Control-Request-Method": "GET"})
        assert own.headers.get("access-control-allow-origin") == base, own.headers

    # The websocket (every event, with the session cookie) is refused to another origin's page.
    assert _websocket_status(base, EVIL) != 101
    assert _websocket_status(base, base) == 101


def _websocket_status(base: str, origin: str) -> int:
    """The status of a websocket handshake to the event endpoint sent with `origin`."""
    host = urlsplit(base)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host.netloc}\r\n"
               f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n")
    with socket.create_connection((host.hostname, host.port), timeout=10) as sock:
        sock.sendall(request.encode())
        head = b""
        while b"\r\n" not in head:
            chunk = sock.recv(1024)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0


def test_chat_quotes_hostile_captions_as_text(module_app, new_context):
    base = module_app
    me = seed.artist()
    seed.numbers(me.workspace_id, HOSTILE)
    page = new_context().new_page()
    fetched: list[str] = []
    page.on("request", lambda req: fetched.append(req.url) if "127.0.0.1:9/" in req.url else None)
    log_in(page, base, me.email, me.password)

    page.get_by_test_id("nav-chat").click()
    page.wait_for_url(re.compile(r"/chat"))
    page.get_by_test_id("chat-input").fill("Which of my posts performed best?")
    page.get_by_test_id("chat-send").click()
    answer = page.get_by_test_id("chat-message-assistant").last
    expect(answer).to_contain_text("Your top 5 posts", timeout=60_000)
    expect(page.get_by_test_id("chat-send")).to_be_enabled()  # the answer is complete
    page.wait_for_url(re.compile(r"/chat\?c=\d+"))

    def check(answer) -> None:
        # The tags are shown as the caption's text...
        for text in ['<iframe srcdoc="<script>parent.__xss=1</script>">', "<h1>big</h1>",
                     '<img src=x onerror="window.__xss=2">']:
            expect(answer).to_contain_text(text)
        # ...and none became an element of the page.
        for tag in ["iframe", "h1", "img", "script", "object", "embed"]:
            expect(answer.locator(tag)).to_have_count(0)
        # A markdown image is a placeholder (no request to the tracking pixel).
        expect(answer).to_contain_text("[image]")
        # A javascript: link keeps its words and loses its target.
        links = answer.locator("a")
        expect(links.filter(has_text=re.compile(r"^x$"))).to_have_count(1)
        for i in range(links.count()):
            assert not (links.nth(i).get_attribute("href") or "").lower().strip().startswith("javascript:")
        assert page.evaluate("() => typeof window.__xss") == "undefined"
        assert page.evaluate("() => document.querySelectorAll('iframe').length") == 0

    check(answer)
    # The stored conversation, read back from the database after a reload, is just as inert.
    page.reload()
    check(page.get_by_test_id("chat-message-assistant").last)
    assert fetched == [], f"a caption made the browser fetch {fetched}"


def test_back_office_login_page_works_under_the_policy(module_app, new_context):
    """The admin pages are starlette-admin's, with their own scripts and styles: they work
    under the policy, without a violation, and nothing loads from another site."""
    browser = new_context()
    page = browser.new_page()
    elsewhere: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(module_app) or req.url.startswith("data:")
            else elsewhere.append(req.url))
    page.goto(f"{module_app}/admin/login")
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
    page.fill("input[name=username]", "nobody@example.com")
    page.fill("input[name=password]", "not the password")
    page.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text(re.compile(r"invalid|incorrect|wrong", re.I))
    violations, browser.csp_violations[:] = list(browser.csp_violations), []
    assert violations == [], violations
    assert elsewhere == [], f"the back office loaded from other sites: {elsewhere}"


def test_an_operator_finds_workspaces_and_members_in_the_back_office(module_app, new_context):
    """The Workspaces view's numbers and the Members view's search work in the browser, under the
    policy, and show no secret."""
    from dreamsuite.services import auth

    me = seed.artist("Operator Check Artist")
    seed.numbers(me.workspace_id)
    fan = seed.member(me.workspace_id, "viewer", "Operator Check Viewer")
    admin_email = f"ops-{me.user_id}@example.com"
    seed.off_loop(auth.create_admin, admin_email, "admin password 1")
    page = new_context().new_page()
    page.goto(f"{module_app}/admin/login")
    page.fill("input[name=username]", admin_email)
    page.fill("input[name=password]", "admin password 1")
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/?$"))

    page.goto(f"{module_app}/admin/workspace/list?q=Operator%20Check")
    row = page.locator("tr").filter(has_text="Operator Check Artist")
    expect(row).to_have_count(1)
    # members 2, accounts 1 (none in trouble), no posts; a sync time is not set by seed.numbers
    expect(row).to_contain_text(re.compile(r"Europe/Paris.*\b2\s+1\s+0\s+0\s+0\s+0\b", re.S))
    page.screenshot(path=str(SCREENS_DIR / "admin-workspaces.png"), full_page=True)

    page.goto(f"{module_app}/admin/membership/list?q={fan.email}")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("viewer")
    expect(rows.first).to_contain_text("Operator Check Artist")
    body = page.content()
    assert "$argon2" not in body and "token_hash" not in body
