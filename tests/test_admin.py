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


def _workspaces_to_operate() -> dict[str, int]:
    """Two artists: one busy (three members, an account that needs a new login, posts waiting,
    failed and unconfirmed), one just signed up."""
    from datetime import UTC, datetime, timedelta

    from dreamsuite import db
    from dreamsuite.models import Membership, PlatformConnection, Role, ScheduledPost

    _, busy, _ = auth.create_account("nova@example.com", "password1", "Nova Busy", "Europe/Paris")
    _, quiet, _ = auth.create_account("quiet@example.com", "password1", "Quiet Artist", "America/Chicago")
    editor, _, _ = auth.create_account("editor@example.com", "password1", "Eddie Editor", "UTC")
    viewer, _, _ = auth.create_account("viewer@example.com", "password1", "Vera Viewer", "UTC")
    synced = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    with db.session() as s:
        s.add(Membership(user_id=editor, workspace_id=busy, role=Role.editor))
        s.add(Membership(user_id=viewer, workspace_id=busy, role=Role.viewer))
        s.add(PlatformConnection(workspace_id=busy, platform="instagram", platform_user_id="1",
                                 access_token_enc="gAAAA-secret-cipher", last_synced_at=synced))
        s.add(PlatformConnection(workspace_id=busy, platform="x", platform_user_id="2", status="expired",
                                 last_synced_at=synced - timedelta(days=3)))
        when = datetime(2026, 12, 1, tzinfo=UTC)
        for status in ["scheduled", "scheduled", "failed", "partially_failed", "unconfirmed", "published"]:
            s.add(ScheduledPost(workspace_id=busy, content=status, status=status, scheduled_at=when))
    return {"busy": busy, "quiet": quiet}


def _cells(html: str, row_text: str) -> str:
    """The list page's table row that contains `row_text`, as plain text."""
    for row in re.findall(r"<tr\b.*?</tr>", html, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        if row_text in text:
            return text
    raise AssertionError(f"no row with {row_text!r}")


def _names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: html.index(n) if n in html else 1 << 30)


def test_workspace_view_shows_each_artists_members_accounts_posts_and_last_sync(client):
    ids = _workspaces_to_operate()
    auth.create_admin("root@example.com", "adminpass")
    _login(client, "root@example.com", "adminpass")

    listing = client.get("/admin/workspace/list")
    assert listing.status_code == 200
    busy = _cells(listing.text, "Nova Busy")
    # members 3, accounts 2 (1 needing a new login), posts 2 scheduled, 2 failed, 1 unconfirmed
    assert re.search(r"Nova Busy Europe/Paris .*? 3 2 1 2 2 1 ", busy), busy
    assert busy.endswith("Nov 20, 2026, 9:30:00 AM"), busy  # the latest of its accounts' syncs
    quiet = _cells(listing.text, "Quiet Artist")
    assert re.search(r"Quiet Artist America/Chicago .*? 1 0 0 0 0 0", quiet), quiet
    assert "gAAAA" not in listing.text and "access_token" not in listing.text

    # Sorted by failed posts, most first; filtered to those with failures; searched by name.
    by_failed = client.get("/admin/workspace/list", params={"sort": "posts_failed__desc"}).text
    assert _names_in_order(by_failed, ["Quiet Artist", "Nova Busy"]) == ["Nova Busy", "Quiet Artist"]
    by_name = client.get("/admin/workspace/list", params={"sort": "posts_failed__asc"}).text
    assert _names_in_order(by_name, ["Quiet Artist", "Nova Busy"]) == ["Quiet Artist", "Nova Busy"]
    failing = client.get("/admin/workspace/list", params={"filter": "posts_failed__gt=0"})
    assert failing.status_code == 200, failing.text[:500]
    assert "Nova Busy" in failing.text and "Quiet Artist" not in failing.text
    never = client.get("/admin/workspace/list", params={"filter": "last_sync__is_null"}).text
    assert "Quiet Artist" in never and "Nova Busy" not in never
    crowded = client.get("/admin/workspace/list", params={"filter": "members__gt=2"}).text
    assert "Nova Busy" in crowded and "Quiet Artist" not in crowded
    found = client.get("/admin/workspace/list", params={"q": "chicago"}).text
    assert "Quiet Artist" in found and "Nova Busy" not in found

    detail = client.get("/admin/workspace/detail", params={"pk": ids["busy"]})
    assert detail.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", detail.text).split())
    for label, value in [("Members", "3"), ("Connected accounts", "2"), ("Posts failed", "2"),
                         ("Posts unconfirmed", "1")]:
        assert re.search(rf"{label} {value}\b", text), (label, text[:3000])
    # The numbers are shown, never edited.
    edit = client.get("/admin/workspace/edit", params={"pk": ids["busy"]})
    assert 'name="posts_failed"' not in edit.text and 'name="members"' not in edit.text


def test_member_view_lists_role_and_email_and_finds_by_either(client):
    ids = _workspaces_to_operate()
    auth.create_admin("root@example.com", "adminpass")
    _login(client, "root@example.com", "adminpass")

    listing = client.get("/admin/membership/list")
    assert listing.status_code == 200
    row = _cells(listing.text, "viewer@example.com")
    assert "Vera Viewer" in row and "Nova Busy" in row and "viewer" in row, row
    assert "$argon2" not in listing.text and "password" not in listing.text.lower().split("</nav>")[-1]

    found = client.get("/admin/membership/list", params={"q": "EDITOR@example"}).text
    assert "editor@example.com" in found and "viewer@example.com" not in found
    in_busy = client.get("/admin/membership/list", params={"q": "nova busy"}).text
    assert {"nova@example.com", "editor@example.com", "viewer@example.com"} <= set(
        re.findall(r"[a-z]+@example\.com", in_busy)) and "quiet@example.com" not in in_busy
    viewers = client.get("/admin/membership/list", params={"filter": "role__in=viewer"})
    assert viewers.status_code == 200, viewers.text[:500]
    assert "viewer@example.com" in viewers.text and "editor@example.com" not in viewers.text
    of_busy = client.get("/admin/membership/list", params={"filter": f"workspace_id__eq={ids['busy']}"}).text
    assert "quiet@example.com" not in of_busy and "nova@example.com" in of_busy
    by_mail = client.get("/admin/membership/list", params={"filter": "email__contains=quiet"}).text
    assert "quiet@example.com" in by_mail and "nova@example.com" not in by_mail
    by_email = client.get("/admin/membership/list", params={"sort": "email__desc"}).text
    assert _names_in_order(by_email, ["editor@example.com", "viewer@example.com"]) == [
        "viewer@example.com", "editor@example.com"]
