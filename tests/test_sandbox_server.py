"""The sandbox OAuth server and API, over real HTTP (and once mounted under a prefix)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from dreamsuite.platforms.sandbox import data, signing
from dreamsuite.platforms.sandbox.server import create_app

CID, SECRET = "dreamsuite-sandbox", "sandbox-secret"
REDIRECT = "http://app.test/oauth/callback/sandbox"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def auth_params(challenge: str, **over) -> dict:
    return {"response_type": "code", "client_id": CID, "redirect_uri": REDIRECT, "scope": "profile read publish",
            "state": "st-1", "code_challenge": challenge, "code_challenge_method": "S256", **over}


def consent(client, base: str, params: dict, decision: str = "allow") -> dict:
    """GET the consent page, submit its form like a browser, return the redirect's query."""
    page = client.get(f"{base}/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    action = re.search(r"<form method='post' action='([^']+)'", page.text).group(1)
    fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", page.text))
    resp = client.post(f"{base}/oauth/{action}", data={**fields, "decision": decision}, follow_redirects=False)
    assert resp.status_code == 302
    loc = urlsplit(resp.headers["location"])
    assert f"{loc.scheme}://{loc.netloc}{loc.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(loc.query).items()}


def get_tokens(client, base: str, **form_over) -> dict:
    verifier, challenge = pkce()
    q = consent(client, base, auth_params(challenge))
    form = {"grant_type": "authorization_code", "code": q["code"], "redirect_uri": REDIRECT,
            "code_verifier": verifier, **form_over}
    resp = client.post(f"{base}/oauth/token", data=form, auth=(CID, SECRET))
    assert resp.status_code == 200, resp.text
    return resp.json()


@pytest.fixture(autouse=True)
def registered_redirect(monkeypatch):
    """Our test client's callback is a registered redirect URI (as an app's own callback is)."""
    from dreamsuite.settings import get_settings

    monkeypatch.setenv("SANDBOX_REDIRECT_URIS", REDIRECT)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def http():
    with httpx.Client(timeout=10) as c:
        yield c


def test_consent_page_names_the_artist_and_permissions(sandbox_url, http):
    _, challenge = pkce()
    page = http.get(f"{sandbox_url}/oauth/authorize", params=auth_params(challenge))
    assert page.status_code == 200
    assert data.artist(data.DEFAULT_USER).display_name in page.text
    assert "wants to read your followers, posts and comments and publish posts" in page.text
    assert "http" not in page.text.split("<body>")[1].replace(REDIRECT, "")  # no external assets


@pytest.mark.parametrize("over, message", [
    ({"client_id": "nope"}, "Unknown client_id"),
    ({"redirect_uri": "not-a-url"}, "redirect_uri"),
    ({"response_type": "token"}, "response_type=code"),
    ({"code_challenge_method": "plain"}, "PKCE is required"),
    ({"scope": "admin"}, "Unknown scope"),
])
def test_bad_authorization_requests_get_a_clear_400(sandbox_url, http, over, message):
    _, challenge = pkce()
    resp = http.get(f"{sandbox_url}/oauth/authorize", params=auth_params(challenge, **over))
    assert resp.status_code == 400
    assert message in resp.text


def test_deny_redirects_with_access_denied_and_state(sandbox_url, http):
    _, challenge = pkce()
    q = consent(http, sandbox_url, auth_params(challenge), decision="deny")
    assert q["error"] == "access_denied" and q["state"] == "st-1" and "code" not in q


def test_code_flow_with_basic_auth_and_single_use_code(sandbox_url, http):
    verifier, challenge = pkce()
    q = consent(http, sandbox_url, auth_params(challenge))
    assert q["state"] == "st-1"
    form = {"grant_type": "authorization_code", "code": q["code"], "redirect_uri": REDIRECT, "code_verifier": verifier}
    tok = http.post(f"{sandbox_url}/oauth/token", data=form, auth=(CID, SECRET))
    assert tok.status_code == 200
    body = tok.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["scope"] == "profile read publish"
    me = http.get(f"{sandbox_url}/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["id"] == data.DEFAULT_USER
    again = http.post(f"{sandbox_url}/oauth/token", data=form, auth=(CID, SECRET))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_client_secret_post_is_accepted_and_wrong_secret_is_401(sandbox_url, http):
    body = get_tokens(http, sandbox_url, client_id=CID, client_secret=SECRET)
    assert body["access_token"]
    verifier, challenge = pkce()
    q = consent(http, sandbox_url, auth_params(challenge))
    bad = http.post(f"{sandbox_url}/oauth/token", data={
        "grant_type": "authorization_code", "code": q["code"], "redirect_uri": REDIRECT,
        "code_verifier": verifier, "client_id": CID, "client_secret": "wrong"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"


def test_pkce_mismatch_and_redirect_mismatch_are_rejected(sandbox_url, http):
    _, challenge = pkce()
    q = consent(http, sandbox_url, auth_params(challenge))
    resp = http.post(f"{sandbox_url}/oauth/token", auth=(CID, SECRET), data={
        "grant_type": "authorization_code", "code": q["code"], "redirect_uri": REDIRECT,
        "code_verifier": pkce()[0]})
    assert resp.status_code == 400 and "PKCE" in resp.json()["error_description"]

    verifier, challenge = pkce()
    q = consent(http, sandbox_url, auth_params(challenge))
    resp = http.post(f"{sandbox_url}/oauth/token", auth=(CID, SECRET), data={
        "grant_type": "authorization_code", "code": q["code"], "redirect_uri": REDIRECT + "/other",
        "code_verifier": verifier})
    assert resp.status_code == 400 and "redirect_uri" in resp.json()["error_description"]


def test_refresh_grant_issues_new_tokens_and_rejects_garbage(sandbox_url, http):
    first = get_tokens(http, sandbox_url)
    resp = http.post(f"{sandbox_url}/oauth/token", auth=(CID, SECRET),
                     data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert resp.status_code == 200
    assert resp.json()["access_token"] != first["access_token"]
    # An access token is not a refresh token.
    resp = http.post(f"{sandbox_url}/oauth/token", auth=(CID, SECRET),
                     data={"grant_type": "refresh_token", "refresh_token": first["access_token"]})
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_grant"


def test_a_refresh_token_works_once(sandbox_url, http):
    """Like real providers, the sandbox rotates refresh tokens: a spent one is refused."""
    first = get_tokens(http, sandbox_url)
    grant = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    renewed = http.post(f"{sandbox_url}/oauth/token", auth=(CID, SECRET), data=grant)
    assert renewed.status_code == 200
    again = http.post(f"{sandbox_url}/oauth/token", auth=(CID, SECRET), data=grant)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert "already used" in again.json()["error_description"]
    rotated = {"grant_type": "refresh_token", "refresh_token": renewed.json()["refresh_token"]}
    assert http.post(f"{sandbox_url}/oauth/token", auth=(CID, SECRET), data=rotated).status_code == 200

def test_tokens_survive_a_server_restart(sandbox_url, http):
    """Tokens are signed, not remembered: a brand-new app instance accepts them."""
    token = get_tokens(http, sandbox_url)["access_token"]
    fresh = TestClient(create_app())
    assert fresh.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_api_rejects_missing_tampered_and_expired_tokens(sandbox_url, http):
    url = f"{sandbox_url}/api/v1/me"
    assert http.get(url).status_code == 401
    good = signing.sign(data.DEFAULT_USER, "access", "profile read", 60)
    head, body, mac = good.split(".")
    tampered = f"{head}.{body[:-2]}xx.{mac}"
    expired = signing.sign(data.DEFAULT_USER, "access", "profile read", -1)
    for tok in (tampered, expired):
        resp = http.get(url, headers={"Authorization": f"Bearer {tok}"})
        assert resp.status_code == 401 and resp.json()["error"] == "invalid_token"
    assert http.get(url, headers={"Authorization": f"Bearer {good}"}).status_code == 200
    no_publish = http.post(f"{sandbox_url}/api/v1/posts", json={"text": "hi"},
                           headers={"Authorization": f"Bearer {good}"})
    assert no_publish.status_code == 403


def _auth(scope: str = "profile read publish") -> dict:
    return {"Authorization": f"Bearer {signing.sign(data.DEFAULT_USER, 'access', scope, 600)}"}


def test_daily_metrics_cover_200_days_ending_today(sandbox_url, http):
    days = http.get(f"{sandbox_url}/api/v1/metrics/daily", headers=_auth()).json()["data"]
    today = datetime.now(UTC).date()
    assert len(days) == 200 and days[-1]["date"] == today.isoformat()
    assert {"monthly_listeners", "streams", "profile_views"} <= set(days[-1]["metrics"])
    since = (today - timedelta(days=6)).isoformat()
    week = http.get(f"{sandbox_url}/api/v1/metrics/daily", params={"since": since}, headers=_auth()).json()["data"]
    assert [d["date"] for d in week] == [d["date"] for d in days[-7:]] and week == days[-7:]
    assert http.get(f"{sandbox_url}/api/v1/metrics/daily", params={"since": "yesterday"},
                    headers=_auth()).status_code == 400


def test_posts_paginate_without_gaps_or_duplicates(sandbox_url, http):
    ids, cursor, pages = [], None, 0
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        page = http.get(f"{sandbox_url}/api/v1/posts", params=params, headers=_auth()).json()
        ids += [p["id"] for p in page["data"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    expected = [p["id"] for p in data.posts(data.DEFAULT_USER, datetime.now(UTC).date())]
    assert ids == expected and len(set(ids)) == len(ids) and pages > 3


def test_publish_validation_and_idempotency(sandbox_url, http):
    url = f"{sandbox_url}/api/v1/posts"
    assert http.post(url, json={"text": "   "}, headers=_auth()).status_code == 422
    too_long = http.post(url, json={"text": "x" * 2201}, headers=_auth())
    assert too_long.status_code == 422 and "2200" in too_long.json()["error_description"]
    assert http.post(url, content=b"{nope", headers=_auth()).status_code == 400

    key = {"Idempotency-Key": "dest-42"}
    first = http.post(url, json={"text": "New single Friday #newmusic"}, headers={**_auth(), **key})
    second = http.post(url, json={"text": "New single Friday #newmusic"}, headers={**_auth(), **key})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    reused = http.post(url, json={"text": "something else"}, headers={**_auth(), **key})
    assert reused.status_code == 422

    since = (datetime.now(UTC) - timedelta(minutes=5)).replace(tzinfo=None).isoformat()
    listed = http.get(url, params={"since": since}, headers=_auth()).json()["data"]
    assert [p["id"] for p in listed] == [first.json()["id"]]
    assert listed[0]["hashtags"] == ["newmusic"]


def test_failure_injection_counts_down_and_resets(sandbox_url, http):
    http.post(f"{sandbox_url}/_control/fail", json={"status": 429, "times": 1, "path": "/api/v1/me",
                                                     "retry_after": 7})
    first = http.get(f"{sandbox_url}/api/v1/me", headers=_auth())
    assert first.status_code == 429 and first.headers["Retry-After"] == "7"
    assert http.get(f"{sandbox_url}/api/v1/me", headers=_auth()).status_code == 200
    http.post(f"{sandbox_url}/_control/fail", json={"status": 503, "times": 5})
    assert http.get(f"{sandbox_url}/api/v1/posts", headers=_auth()).status_code == 503
    http.post(f"{sandbox_url}/_control/reset")
    assert http.get(f"{sandbox_url}/api/v1/posts", headers=_auth()).status_code == 200
    http.post(f"{sandbox_url}/_control/hang", json={"seconds": 0.5, "times": 1, "path": "/api/v1/me"})
    started = time.monotonic()
    assert http.get(f"{sandbox_url}/api/v1/me", headers=_auth()).status_code == 200
    assert time.monotonic() - started >= 0.45


def test_failure_injection_can_give_retry_after_as_an_http_date(sandbox_url, http):
    http.post(f"{sandbox_url}/_control/fail", json={"status": 429, "times": 1, "path": "/api/v1/me",
                                                     "retry_after_date": 90})
    resp = http.get(f"{sandbox_url}/api/v1/me", headers=_auth())
    value = resp.headers["Retry-After"]
    assert resp.status_code == 429 and value.endswith(" GMT")
    ahead = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
    assert 85 <= ahead <= 90

def test_mounted_under_a_prefix_every_url_keeps_it():
    outer = Starlette(routes=[Mount("/sandbox", create_app())])
    client = TestClient(outer, base_url="http://api.test")
    verifier, challenge = pkce()
    q = consent(client, "/sandbox", auth_params(challenge))  # the form's relative action resolves under /sandbox
    tok = client.post("/sandbox/oauth/token", auth=(CID, SECRET), data={
        "grant_type": "authorization_code", "code": q["code"], "redirect_uri": REDIRECT, "code_verifier": verifier})
    head = {"Authorization": f"Bearer {tok.json()['access_token']}"}
    post = client.post("/sandbox/api/v1/posts", json={"text": "hello"}, headers=head).json()
    assert post["url"].startswith("http://api.test/sandbox/p/")
    assert "hello" in client.get(post["url"]).text


def test_data_is_deterministic_and_stable_for_the_day():
    today = date(2026, 6, 1)
    assert data.daily_metrics("u1", today) == data.daily_metrics("u1", today)
    assert data.posts("u1", today) == data.posts("u1", today)
    assert data.daily_metrics("u1", today) != data.daily_metrics("u2", today)
    # Yesterday's posts keep their ids tomorrow: collecting again is idempotent.
    ids_today = {p["id"] for p in data.posts("u1", today)}
    ids_tomorrow = {p["id"] for p in data.posts("u1", today + timedelta(days=1))}
    assert len(ids_today & ids_tomorrow) >= len(ids_today) - 2


def test_data_has_seasonality_growth_and_a_release_spike():
    today = date(2026, 6, 1)
    days = data.daily_metrics("u1", today)
    f = [d["follower_count"] for d in days]
    gains = [b - a for a, b in zip(f, f[1:])]
    weekday = [date.fromisoformat(d["date"]).weekday() for d in days[1:]]
    a = data.artist("u1")
    release = data.release_date(a, today)
    quiet = [(g, w) for g, w, d in zip(gains, weekday, days[1:])
             if abs((date.fromisoformat(d["date"]) - release).days) > 40]
    weekend = sum(g for g, w in quiet if w >= 5) / sum(1 for _, w in quiet if w >= 5)
    weekdays = sum(g for g, w in quiet if w < 5) / sum(1 for _, w in quiet if w < 5)
    assert weekend > 1.5 * weekdays > 0
    assert f[-1] > f[0] * 1.1
    i = [d["date"] for d in days].index(release.isoformat())
    assert 1.12 < f[i + 4] / f[i - 1] < 1.3  # +15-25% over a few days
    posts = data.posts("u1", today)
    assert 30 <= len(posts) <= 60
    assert {"post", "reel", "video", "story", "track"} <= {p["type"] for p in posts}
    comments = data.comments("u1", today)
    assert any(c["parent_id"] for c in comments)
    assert all(c["post_id"] in {p["id"] for p in posts} for c in comments)
