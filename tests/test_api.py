"""Our HTTP routes, with the real connect service behind the OAuth callback."""

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
from dreamsuite.services import connect
from tests.helpers import make_workspace

pytestmark = pytest.mark.usefixtures("close_arq_pools")


@pytest.fixture
def app_url(monkeypatch):
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("APP_URL", "http://app.test")
    get_settings.cache_clear()
    yield "http://app.test"
    get_settings.cache_clear()


def _connections() -> int:
    with dbm.session() as s:
        return s.exec(select(func.count()).select_from(PlatformConnection)).one()


def _callback(client: TestClient, query: dict) -> tuple[str, dict]:
    res = client.get("/oauth/callback/sandbox", params=query, follow_redirects=False)
    assert res.status_code == 302
    loc = urlsplit(res.headers["location"])
    return f"{loc.scheme}://{loc.netloc}{loc.path}", parse_qs(loc.query)


async def test_callback_completes_the_connection_and_returns_to_onboarding(db, redis_url, sandbox_url, app_url):
    _, _, scope = make_workspace("artist@example.com")
    params = await approve(await connect.start_connect(scope, "sandbox"))
    where, query = _callback(TestClient(create_api()), params)
    assert where == f"{app_url}/onboarding" and query == {"connected": ["sandbox"]}
    assert _connections() == 1


async def test_callback_with_a_wrong_state_stores_nothing(db, redis_url, sandbox_url, app_url):
    _, _, scope = make_workspace("artist@example.com")
    params = await approve(await connect.start_connect(scope, "sandbox"))
    where, query = _callback(TestClient(create_api()), {**params, "state": "forged"})
    assert where == f"{app_url}/onboarding" and "connected" not in query
    assert query["error"][0]  # a sentence for the banner, not a stack trace
    assert "Traceback" not in query["error"][0]
    assert _connections() == 0
    with dbm.session() as s:  # the real state is still pending: the forged one consumed nothing
        assert s.exec(select(func.count()).select_from(OAuthState)).one() == 1


async def test_callback_when_the_artist_denies(db, redis_url, sandbox_url, app_url):
    _, _, scope = make_workspace("artist@example.com")
    params = await approve(await connect.start_connect(scope, "sandbox"), decision="deny")
    assert params.get("error") == "access_denied"
    _, query = _callback(TestClient(create_api()), params)
    assert "error" in query and _connections() == 0


@pytest.mark.db
def test_healthz_checks_the_database(db):
    res = TestClient(create_api()).get("/healthz")
    assert res.status_code == 200 and res.json() == {"ok": True}


def test_the_apps_sandbox_mount_has_no_failure_injection():
    client = TestClient(create_api())
    assert client.post("/sandbox/_control/fail", json={"status": 500}).status_code == 404
    assert client.get("/sandbox/api/v1/me").status_code == 401  # the sandbox itself is there


def test_logo_is_served_by_the_backend():
    client = TestClient(create_api())
    for path in ("/brand/logo.svg", "/brand/logo-light.svg"):
        res = client.get(path)
        assert res.status_code == 200 and res.headers["content-type"].startswith("image/svg")
    assert "#ffffff" in client.get("/brand/logo-light.svg").text
