"""The sandbox platform as a server we could leave running: it sends codes only to registered
redirect URIs, keeps a bounded amount in memory, and spends each refresh token once."""

from __future__ import annotations

import httpx
import pytest

from dreamsuite.platforms.sandbox import server as sandbox_server
from dreamsuite.platforms.sandbox import store as sandbox_store
from dreamsuite.platforms.sandbox.store import Code, Store
from tests.test_sandbox_server import CID, REDIRECT, SECRET, auth_params, get_tokens, pkce


@pytest.fixture
def http():
    with httpx.Client(timeout=10) as c:
        yield c


@pytest.fixture(autouse=True)
def registered_redirect(monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("SANDBOX_REDIRECT_URIS", REDIRECT)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("uri", ["https://evil.example/oauth/callback/sandbox", REDIRECT + "x",
                                 REDIRECT.replace("http://", "https://"), "http://app.test/"])
def test_codes_go_only_to_registered_redirect_uris(sandbox_url, http, uri):
    _, challenge = pkce()
    for method in ("GET", "POST"):
        params = auth_params(challenge, redirect_uri=uri)
        resp = (http.get(f"{sandbox_url}/oauth/authorize", params=params) if method == "GET" else
                http.post(f"{sandbox_url}/oauth/authorize", data={**params, "decision": "allow"},
                          follow_redirects=False))
        assert resp.status_code == 400 and "redirect_uri is not registered" in resp.text
        assert "location" not in resp.headers


def test_without_a_configured_list_only_our_own_callback_is_registered(monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.delenv("SANDBOX_REDIRECT_URIS")
    monkeypatch.setenv("API_URL", "https://app.example")
    get_settings.cache_clear()
    assert sandbox_server.registered_redirect_uris() == {"https://app.example/oauth/callback/sandbox"}


def test_a_refresh_token_works_once(sandbox_url, http):
    tokens = get_tokens(http, sandbox_url)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    first = http.post(f"{sandbox_url}/oauth/token", data=form, auth=(CID, SECRET))
    assert first.status_code == 200 and first.json()["refresh_token"] != tokens["refresh_token"]
    again = http.post(f"{sandbox_url}/oauth/token", data=form, auth=(CID, SECRET))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    rotated = {"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]}
    assert http.post(f"{sandbox_url}/oauth/token", data=rotated, auth=(CID, SECRET)).status_code == 200


def test_memory_is_bounded_whatever_callers_do(monkeypatch):
    monkeypatch.setattr(sandbox_store, "MAX_CODES", 50)
    monkeypatch.setattr(sandbox_store, "MAX_PUBLISHED_PER_USER", 20)
    monkeypatch.setattr(sandbox_store, "MAX_IDEMPOTENCY_KEYS", 30)
    monkeypatch.setattr(sandbox_store, "MAX_USED_REFRESH", 40)
    store = Store()
    far = 2**40
    for i in range(500):
        store.add_code(f"c{i}", Code(CID, REDIRECT, "u", "read", "x" * 43, far))
        store.add_published("u", {"id": str(i)}, key=f"k{i}")
        assert store.spend_refresh(f"n{i}", far)
    assert len(store.codes) == 50 and "c499" in store.codes and "c0" not in store.codes  # newest kept
    assert len(store.published["u"]) == 20 and store.published["u"][-1]["id"] == "499"
    assert len(store.idempotency) == 30 and ("u", "k499") in store.idempotency
    assert len(store.used_refresh) == 40 and not store.spend_refresh("n499", far)  # recent ones still refused
