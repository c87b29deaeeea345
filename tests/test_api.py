"""Our HTTP routes over real HTTP semantics: the OAuth callback bound to the browser that
started it, the login/sign-up/logout form posts and their cookie, the security headers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func
from sqlmodel import select
from starlette.testclient import TestClient

from dreamsuite import db as dbm
from dreamsuite.api import create_api
from dreamsuite.models import OAuthState, PlatformConnection
from dreamsuite.platforms.sandbox.consent import approve
from dreamsuite.services import auth, connect, flash
from dreamsuite.services.scope import Scope
from tests.helpers import APP

pytestmark = pytest.mark.usefixtures("close_arq_pools")


def _client() -> TestClient:
    return TestClient(create_api(), base_url=APP)


def _connections() -> int:
    with dbm.session() as s:
        return s.exec(select(func.count()).select_from(PlatformConnection)).one()


def _artist(email: str = "artist@example.com") -> tuple[Scope, str]:
    """An owner and a login token for them (as the login route would set in the cookie)."""
    from dreamsuite.models import Role

    user_id, ws_id, token = auth.create_account(email, "password1", email.split("@")[0], "UTC")
    return Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner), token


def _note(response) -> tuple[str, dict]:
    loc = urlsplit(response.headers["location"])
    query = parse_qs(loc.query)
    return f"{loc.scheme}://{loc.netloc}{loc.path}", query


# ------------------------------------------------------------------ the OAuth callback
async def test_callback_completes_in_the_browser_that_started_it(db, redis_url, sandbox_url, app_url):
    scope, token = _artist()
    params = await approve(await connect.start_connect(scope, "sandbox"))
    client = _client()
    client.cookies.set(auth.SESSION_COOKIE, token)
    res = client.get("/oauth/callback/sandbox", params=params, follow_redirects=False)
    assert res.status_code == 302
    where, query = _note(res)
    assert where == f"{APP}/connections" and set(query) == {"flash"}
    note = flash.read(query["flash"][0], user_id=scope.user_id)
    assert note["k"] == "connected" and note["platform"] == "sandbox" and note["username"]
    assert flash.read(query["flash"][0], user_id=scope.user_id + 1) is None  # only for that user
    assert _connections() == 1


@pytest.mark.parametrize("who", ["nobody", "someone else"])
async def test_a_callback_in_another_browser_connects_nothing(db, redis_url, sandbox_url, app_url, who):
    # An editor starts Connect and sends the authorization link to someone else: that person's
    # platform account must not land in the editor's workspace.
    editor, _ = _artist("editor@example.com")
    params = await approve(await connect.start_connect(editor, "sandbox"))
    client = _client()
    if who == "someone else":
        _, victim_token = _artist("victim@example.com")
        client.cookies.set(auth.SESSION_COOKIE, victim_token)
    res = client.get("/oauth/callback/sandbox", params=params, follow_redirects=False)
    assert res.status_code == 403
    assert "Nothing was connected" in res.text and "started by someone else" in res.text
    assert _connections() == 0
    with dbm.session() as s:  # the link is spent: replaying it later in the right browser fails too
        assert s.exec(select(func.count()).select_from(OAuthState)).one() == 0


async def test_callback_with_a_wrong_state_stores_nothing(db, redis_url, sandbox_url, app_url):
    scope, token = _artist()
    params = await approve(await connect.start_connect(scope, "sandbox"))
    client = _client()
    client.cookies.set(auth.SESSION_COOKIE, token)
    res = client.get("/oauth/callback/sandbox", params={**params, "state": "forged"}, follow_redirects=False)
    where, query = _note(res)
    note = flash.read(query["flash"][0], user_id=scope.user_id)
    assert where == f"{APP}/connections" and note["k"] == "connect_error"
    assert "not valid any more" in note["message"] and "Traceback" not in note["message"]
    assert _connections() == 0
    with dbm.session() as s:  # the real state is still pending: the forged one consumed nothing
        assert s.exec(select(func.count()).select_from(OAuthState)).one() == 1


async def test_the_platforms_words_never_reach_the_page(db, redis_url, sandbox_url, app_url):
    scope, token = _artist()
    url = await connect.start_connect(scope, "sandbox")
    state = parse_qs(urlsplit(url).query)["state"][0]
    client = _client()
    client.cookies.set(auth.SESSION_COOKIE, token)
    res = client.get("/oauth/callback/sandbox", follow_redirects=False, params={
        "state": state, "error": "server_error", "error_description": "<b>Call +1-555 to claim your prize</b>"})
    _, query = _note(res)
    note = flash.read(query["flash"][0], user_id=scope.user_id)
    assert note["message"] == "Sandbox did not connect the account. Please try again."
    denied = await approve(await connect.start_connect(scope, "sandbox"), decision="deny")
    _, query = _note(client.get("/oauth/callback/sandbox", params=denied, follow_redirects=False))
    assert "did not allow" in flash.read(query["flash"][0], user_id=scope.user_id)["message"]
    assert _connections() == 0


def test_a_note_typed_into_a_url_is_not_ours():
    assert flash.read("connected=instagram") is None
    forged = flash.make("connected", u=1, platform="instagram")[:-2] + "xx"
    assert flash.read(forged, user_id=1) is None
    assert flash.read(flash.make("connected", u=1, platform="instagram"), user_id=1)["platform"] == "instagram"


# ------------------------------------------------------------------ login, sign-up, logout
def _post(client: TestClient, path: str, data: dict, origin: str | None = APP):
    headers = {"Origin": origin} if origin else {}
    return client.post(path, data=data, headers=headers, follow_redirects=False)


@pytest.mark.db
def test_login_sets_an_httponly_cookie_and_logout_clears_it(db, redis_url, app_url):
    auth.create_account("me@example.com", "password1", "Me", "UTC")
    client = _client()
    res = _post(client, "/auth/login", {"email": "ME@example.com", "password": "password1", "next": "/chat"})
    assert res.status_code == 303 and res.headers["location"] == f"{APP}/chat"
    cookie = res.headers["set-cookie"]
    assert cookie.startswith(f"{auth.SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http here; https gets Secure (below)
    token = res.cookies[auth.SESSION_COOKIE]
    assert auth.session_for(token).email == "me@example.com"

    res = _post(client, "/auth/logout", {})
    assert res.status_code == 303 and res.headers["location"] == f"{APP}/login"
    assert f'{auth.SESSION_COOKIE}=""' in res.headers["set-cookie"] and "Max-Age=0" in res.headers["set-cookie"]
    assert auth.session_for(token) is None

    # Logging out can land on a page of ours (an invitation to accept as someone else), never elsewhere.
    for back, lands in (("/invite?token=abc", "/invite?token=abc"), ("//evil.example/x", "/dashboard"),
                        ("https://evil.example", "/dashboard")):
        res = _post(client, "/auth/logout", {"next": back})
        assert res.status_code == 303 and res.headers["location"] == f"{APP}{lands}"


@pytest.mark.db
def test_wrong_password_returns_to_the_form_with_our_message(db, redis_url, app_url):
    auth.create_account("me@example.com", "password1", "Me", "UTC")
    res = _post(_client(), "/auth/login", {"email": "me@example.com", "password": "nope-nope"})
    where, query = _note(res)
    note = flash.read(query["flash"][0])
    assert where == f"{APP}/login" and note["code"] == "bad_credentials" and note["email"] == "me@example.com"
    assert "set-cookie" not in res.headers


@pytest.mark.db
def test_login_is_throttled_per_account_and_per_address(db, redis_url, app_url, monkeypatch):
    auth.create_account("me@example.com", "password1", "Me", "UTC")
    client = _client()
    for _ in range(5):
        note = flash.read(_note(_post(client, "/auth/login", {"email": "me@example.com", "password": "x" * 9}))[1]
                          ["flash"][0])
        assert note["code"] == "bad_credentials"
    res = _post(client, "/auth/login", {"email": "me@example.com", "password": "password1"})  # right, too late
    note = flash.read(_note(res)[1]["flash"][0])
    assert note["code"] == "throttled" and note["message"] == "Too many attempts. Try again in 15 minutes."
    assert "set-cookie" not in res.headers
    # Another account from another address is not affected.
    auth.create_account("you@example.com", "password1", "You", "UTC")
    other = TestClient(create_api(), base_url=APP, client=("10.0.0.2", 5000))
    assert _post(other, "/auth/login", {"email": "you@example.com", "password": "password1"}).status_code == 303
    assert auth.session_for(_post(other, "/auth/login", {"email": "you@example.com", "password": "password1"})
                            .cookies[auth.SESSION_COOKIE])

    # One address trying many accounts is stopped too.
    monkeypatch.setenv("LOGIN_LIMIT_ADDRESS", "3 per 15 minutes")
    from dreamsuite.settings import get_settings

    get_settings.cache_clear()
    sprayer = TestClient(create_api(), base_url=APP, client=("10.0.0.3", 5000))
    codes = [flash.read(_note(_post(sprayer, "/auth/login", {"email": f"u{i}@example.com", "password": "guess-1234"}))
                        [1]["flash"][0])["code"] for i in range(4)]
    assert codes == ["bad_credentials"] * 3 + ["throttled"]


@pytest.mark.db
def test_forms_from_another_site_are_refused(db, redis_url, app_url):
    auth.create_account("me@example.com", "password1", "Me", "UTC")
    for origin in ("https://evil.example", None):
        res = _post(_client(), "/auth/login", {"email": "me@example.com", "password": "password1"}, origin=origin)
        assert "set-cookie" not in res.headers
        assert flash.read(_note(res)[1]["flash"][0])["code"] == "bad_request"


@pytest.mark.db
def test_signup_says_the_same_for_new_and_registered_emails(db, redis_url, app_url, tmp_path, monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("MAIL_DIR", str(tmp_path))
    get_settings.cache_clear()
    auth.create_account("taken@example.com", "password1", "Taken", "UTC")
    answers = []
    for email in ("taken@example.com", "fresh@example.com"):
        res = _post(_client(), "/auth/signup", {"email": email, "password": "password9", "name": "N",
                                                "timezone": "Europe/Paris"})
        where, query = _note(res)
        answers.append((res.status_code, where, flash.read(query["flash"][0], max_age=60)["k"],
                        "set-cookie" in res.headers))
    assert answers[0] == answers[1] == (303, f"{APP}/signup/sent", "sent", False)

    bad = _post(_client(), "/auth/signup", {"email": "x@example.com", "password": "short", "name": "X"})
    where, query = _note(bad)
    note = flash.read(query["flash"][0])
    assert where == f"{APP}/signup" and note["code"] == "short_password" and note["name"] == "X"


@pytest.mark.db
def test_the_signup_link_logs_the_new_artist_in_once(db, redis_url, app_url, tmp_path, monkeypatch):
    import re

    from dreamsuite.services import mail
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("MAIL_DIR", str(tmp_path))
    get_settings.cache_clear()
    auth.request_signup("fresh@example.com", "password9", "Fresh", "UTC")
    token = re.search(r"token=([\w-]+)", mail.latest_to("fresh@example.com").get_content()).group(1)
    res = _post(_client(), "/auth/verify", {"token": token})
    assert res.status_code == 303 and res.headers["location"] == f"{APP}/connections"
    assert auth.session_for(res.cookies[auth.SESSION_COOKIE]).email == "fresh@example.com"
    again = _post(_client(), "/auth/verify", {"token": token})
    assert flash.read(_note(again)[1]["flash"][0])["code"] == "link_invalid"


# ------------------------------------------------------------------ headers
@pytest.mark.db
def test_every_response_refuses_framing_and_carries_a_csp(db):
    client = _client()
    for res in (client.get("/healthz"), client.get("/brand/logo.svg"), client.get("/sandbox/oauth/authorize"),
                client.get("/oauth/callback/sandbox")):
        assert res.headers["x-frame-options"] == "DENY"
        csp = res.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert res.headers["x-content-type-options"] == "nosniff"


@pytest.mark.db
def test_https_gets_secure_cookies_and_hsts(db, redis_url, monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("APP_URL", "https://app.example")
    get_settings.cache_clear()
    auth.create_account("me@example.com", "password1", "Me", "UTC")
    client = TestClient(create_api(), base_url="https://app.example")
    res = client.post("/auth/login", data={"email": "me@example.com", "password": "password1"},
                      headers={"Origin": "https://app.example"}, follow_redirects=False)
    assert "Secure" in res.headers["set-cookie"] and "HttpOnly" in res.headers["set-cookie"]
    assert res.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.db
def test_healthz_checks_the_database(db):
    res = _client().get("/healthz")
    assert res.status_code == 200 and res.json() == {"ok": True}


def test_the_apps_sandbox_mount_has_no_failure_injection():
    client = _client()
    assert client.post("/sandbox/_control/fail", json={"status": 500}).status_code == 404
    assert client.get("/sandbox/api/v1/me").status_code == 401  # the sandbox itself is there


def test_the_sandbox_is_not_mounted_unless_asked(monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("DREAMSUITE_DEMO", "0")
    get_settings.cache_clear()
    try:
        assert _client().get("/sandbox/api/v1/me").status_code == 404
        # Mounted outside the demo with the public default secret: refused at start-up.
        monkeypatch.setenv("MOUNT_SANDBOX", "1")
        get_settings.cache_clear()
        with pytest.raises(RuntimeError, match="SANDBOX_CLIENT_SECRET"):
            create_api()
        monkeypatch.setenv("SANDBOX_CLIENT_SECRET", "a-real-secret-of-ours")
        get_settings.cache_clear()
        assert _client().get("/sandbox/api/v1/me").status_code == 401
    finally:
        get_settings.cache_clear()


def test_logo_is_served_by_the_backend():
    client = _client()
    for path in ("/brand/logo.svg", "/brand/logo-light.svg"):
        res = client.get(path)
        assert res.status_code == 200 and res.headers["content-type"].startswith("image/svg")
    assert "#ffffff" in client.get("/brand/logo-light.svg").text
