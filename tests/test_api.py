"""Our HTTP routes: the OAuth callback's redirects and the health check."""

from __future__ import annotations

import sys
import types
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from dreamsuite.api import create_api


class _ConnectError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@pytest.fixture
def fake_connect(monkeypatch):
    """Stands in for services.connect so the route is tested on its own."""
    calls = []
    mod = types.ModuleType("dreamsuite.services.connect")
    mod.ConnectError = _ConnectError

    async def complete_connect(platform, params):
        calls.append((platform, params))
        if params.get("error"):
            raise _ConnectError(f"{platform} said: {params['error']} & more")
        return types.SimpleNamespace(workspace_id=1, connection_id=2, platform=platform, username="nova")

    mod.complete_connect = complete_connect
    monkeypatch.setitem(sys.modules, "dreamsuite.services.connect", mod)
    monkeypatch.setenv("APP_URL", "http://app.test")
    from dreamsuite.settings import get_settings

    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def test_callback_success_redirects_to_onboarding(fake_connect):
    client = TestClient(create_api())
    res = client.get("/oauth/callback/sandbox?code=abc&state=xyz", follow_redirects=False)
    assert res.status_code == 302
    assert res.headers["location"] == "http://app.test/onboarding?connected=sandbox"
    assert fake_connect == [("sandbox", {"code": "abc", "state": "xyz"})]


def test_callback_error_carries_the_message_urlencoded(fake_connect):
    client = TestClient(create_api())
    res = client.get("/oauth/callback/sandbox?error=access_denied&state=xyz", follow_redirects=False)
    loc = urlsplit(res.headers["location"])
    assert res.status_code == 302 and loc.path == "/onboarding"
    assert parse_qs(loc.query) == {"error": ["sandbox said: access_denied & more"]}


def test_unexpected_failure_is_a_friendly_redirect(fake_connect, monkeypatch):
    async def boom(platform, params):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(sys.modules["dreamsuite.services.connect"], "complete_connect", boom)
    res = TestClient(create_api()).get("/oauth/callback/sandbox?code=1", follow_redirects=False)
    assert "secret internals" not in res.headers["location"]
    assert "error=" in res.headers["location"]


@pytest.mark.db
def test_healthz_checks_the_database(db):
    res = TestClient(create_api()).get("/healthz")
    assert res.status_code == 200 and res.json() == {"ok": True}


def test_logo_is_served_by_the_backend():
    client = TestClient(create_api())
    for path in ("/brand/logo.svg", "/brand/logo-light.svg"):
        res = client.get(path)
        assert res.status_code == 200 and res.headers["content-type"].startswith("image/svg")
    assert "#ffffff" in client.get("/brand/logo-light.svg").text
    assert client.get("/brand/logo-other.svg").status_code == 200  # unknown variants fall back
