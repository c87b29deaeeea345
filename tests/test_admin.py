"""The /admin/ back office over HTTP: only administrators get in, secrets never show."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dreamsuite.admin import mount_admin
from dreamsuite.services import auth

pytestmark = pytest.mark.db


@pytest.fixture
def client(db, redis_url):
    app = Starlette()
    mount_admin(app)
    with TestClient(app, base_url="http://testserver") as c:
        yield c


def _csrf(html: str) -> dict:
    # The admin's forms carry a double-submit CSRF token beside its signed cookie.
    m = re.search(r'name="csrftoken"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrftoken"', html
    )
    return {"csrftoken": m.group(1)} if m else {}


def _login(client: TestClient, email: str, password: str):
    page = client.get("/admin/login")
    data = {"username": email, "password": password, **_csrf(page.text)}
    return client.post("/admin/login", data=data, follow_redirects=True)


def test_anonymous_request_ends_on_the_login_page(client):
    res = client.get("/admin/", follow_redirects=True)
    assert res.status_code == 200
    assert res.url.path == "/admin/login"
    assert 'name="password"' in res.text
    assert "/admin/user/list" not in res.text
    listing = client.get("/admin/user/list", follow_redirects=True)
    assert listing.url.path == "/admin/login"


def test_non_admin_gets_the_same_refusal_as_a_wrong_password(client):
    # A distinct message would confirm that the artist's password is right.
    auth.create_account("artist@example.com", "password1", "Artist", "UTC")
    res = _login(client, "artist@example.com", "password1")
    assert auth.BAD_CREDENTIALS in res.text and "administrator" not in res.text
    assert client.get("/admin/", follow_redirects=True).url.path == "/admin/login"


def test_admin_login_is_throttled_like_the_apps(client):
    auth.create_admin("root@example.com", "adminpass")
    for _ in range(5):
        assert auth.BAD_CREDENTIALS in _login(client, "root@example.com", "wrong-guess").text
    res = _login(client, "root@example.com", "adminpass")  # right, but too late
    assert "Too many attempts. Try again in 15 minutes." in res.text
    assert client.get("/admin/", follow_redirects=True).url.path == "/admin/login"


def test_wrong_password_is_refused(client):
    auth.create_admin("root@example.com", "adminpass")
    res = _login(client, "root@example.com", "wrongpass")
    assert auth.BAD_CREDENTIALS in res.text
    assert client.get("/admin/", follow_redirects=True).url.path == "/admin/login"


def test_admin_sees_tables_without_secrets_and_can_log_out(client):
    artist_id, _, _ = auth.create_account("artist@example.com", "password1", "Artist", "UTC")
    auth.create_admin("root@example.com", "adminpass")
    res = _login(client, "root@example.com", "adminpass")
    assert res.url.path.startswith("/admin")
    assert res.url.path != "/admin/login"
    users = client.get("/admin/user/list")
    assert users.status_code == 200
    assert "artist@example.com" in users.text
    assert "password_hash" not in users.text and "$argon2" not in users.text
    detail = client.get("/admin/user/detail", params={"pk": artist_id})
    assert detail.status_code == 200 and "artist@example.com" in detail.text
    assert "$argon2" not in detail.text
    sessions = client.get("/admin/auth-session/list")
    assert sessions.status_code == 200 and "token_hash" not in sessions.text

    page = client.get("/admin/")
    client.post("/admin/logout", data=_csrf(page.text))
    assert client.get("/admin/", follow_redirects=True).url.path == "/admin/login"
