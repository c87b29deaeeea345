"""The connect use case end to end: our app, the real sandbox OAuth server, Redis, both databases."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import redis as redis_sync
from sqlmodel import select

from dreamsuite import crypto, queue
from dreamsuite import db as dbm
from dreamsuite.models import Membership, OAuthState, PlatformConnection, Role, User, Workspace
from dreamsuite.services import connect
from dreamsuite.services import connections as accounts
from dreamsuite.services.connect import ConnectError, complete_connect, start_connect
from dreamsuite.services.scope import AccessDenied, NotFound, Scope, scope_for

pytestmark = pytest.mark.usefixtures("close_arq_pools")


def member(email: str, role: Role = Role.owner, workspace_id: int | None = None) -> Scope:
    with dbm.session() as s:
        user = User(email=email, password_hash="x")
        s.add(user)
        if workspace_id is None:
            ws = Workspace(name=f"{email}'s space")
            s.add(ws)
            s.flush()
            workspace_id = ws.id
        s.flush()
        s.add(Membership(user_id=user.id, workspace_id=workspace_id, role=role))
        s.flush()
        return scope_for(s, user.id, workspace_id)


def browser(auth_url: str, decision: str = "allow") -> dict:
    """What a browser does: open the consent page, press a button, land on our callback."""
    with httpx.Client(timeout=10) as http:
        page = http.get(auth_url)
        assert page.status_code == 200, page.text
        fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", page.text))
        action = re.search(r"action='([^']+)'", page.text).group(1)
        resp = http.post(str(httpx.URL(auth_url).join(action)), data={**fields, "decision": decision},
                         follow_redirects=False)
    assert resp.status_code == 302
    loc = urlsplit(resp.headers["location"])
    assert f"{loc.scheme}://{loc.netloc}{loc.path}" == connect.redirect_uri("sandbox")
    return {k: v[0] for k, v in parse_qs(loc.query).items()}


def connections() -> list[PlatformConnection]:
    with dbm.session() as s:
        return list(s.exec(select(PlatformConnection)).all())



async def test_full_flow_stores_encrypted_tokens_and_enqueues_first_sync(db, redis_url, sandbox_url):
    scope = member("artist@example.com")
    params = browser(await start_connect(scope, "sandbox"))
    result = await complete_connect("sandbox", params, scope.user_id)
    assert result.workspace_id == scope.workspace_id and result.platform == "sandbox" and result.username

    [row] = connections()
    assert row.id == result.connection_id and row.status == "active" and row.platform_user_id == "sbx-artist-1"
    token = crypto.decrypt(row.access_token_enc)
    assert token and token not in row.access_token_enc and crypto.decrypt(row.refresh_token_enc) not in (
        row.refresh_token_enc)
    assert row.token_expires_at - dbm.utcnow() > timedelta(minutes=50)
    me = httpx.get(f"{sandbox_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["username"] == result.username

    job_key = f"arq:job:{queue.collect_job_id(row.id, dbm.utcnow().date())}"
    assert redis_sync.Redis.from_url(redis_url).exists(job_key)
    with dbm.session() as s:
        assert s.exec(select(OAuthState)).all() == []  # consumed

    with pytest.raises(ConnectError, match="not valid"):  # a replayed callback does nothing
        await complete_connect("sandbox", params, scope.user_id)

    again = await complete_connect("sandbox", browser(await start_connect(scope, "sandbox")), scope.user_id)
    assert again.connection_id == result.connection_id and len(connections()) == 1

    card = next(c for c in accounts.list_cards(scope) if c["name"] == "sandbox")
    assert card["status"] == "active" and card["connection_id"] == row.id and card["username"] == result.username


async def test_unknown_state_stores_nothing(db, redis_url, sandbox_url):
    scope = member("a@example.com")
    params = browser(await start_connect(scope, "sandbox"))
    with pytest.raises(ConnectError, match="not valid"):
        await complete_connect("sandbox", {**params, "state": "forged"}, scope.user_id)
    with pytest.raises(ConnectError):
        await complete_connect("sandbox", {"code": params["code"]}, scope.user_id)
    assert connections() == []


async def test_expired_state_stores_nothing(db, redis_url, sandbox_url):
    scope = member("a@example.com")
    params = browser(await start_connect(scope, "sandbox"))
    with dbm.session() as s:
        row = s.exec(select(OAuthState)).one()
        row.expires_at = dbm.utcnow() - timedelta(seconds=1)
        s.add(row)
    with pytest.raises(ConnectError, match="expired"):
        await complete_connect("sandbox", params, scope.user_id)
    assert connections() == []


async def test_state_of_another_platform_is_refused(db, redis_url, sandbox_url):
    scope = member("a@example.com")
    params = browser(await start_connect(scope, "sandbox"))
    with dbm.session() as s:
        row = s.exec(select(OAuthState)).one()
        row.platform = "spotify"
        s.add(row)
    with pytest.raises(ConnectError, match="another platform"):
        await complete_connect("sandbox", params, scope.user_id)
    assert connections() == []


async def test_denied_consent_is_a_clear_error_and_stores_nothing(db, redis_url, sandbox_url):
    scope = member("a@example.com")
    params = browser(await start_connect(scope, "sandbox"), decision="deny")
    with pytest.raises(ConnectError, match="did not allow"):
        await complete_connect("sandbox", params, scope.user_id)
    assert connections() == []
    with dbm.session() as s:
        assert s.exec(select(OAuthState)).all() == []


async def test_pkce_mismatch_is_rejected_by_the_platform(db, redis_url, sandbox_url):
    scope = member("a@example.com")
    params = browser(await start_connect(scope, "sandbox"))
    with dbm.session() as s:
        row = s.exec(select(OAuthState)).one()
        row.code_verifier_enc = crypto.encrypt("x" * 64)  # not the verifier the challenge was made from
        s.add(row)
    with pytest.raises(ConnectError, match="PKCE"):
        await complete_connect("sandbox", params, scope.user_id)
    assert connections() == []


async def test_verifier_is_stored_encrypted(db, redis_url, sandbox_url):
    scope = member("a@example.com")
    url = await start_connect(scope, "sandbox")
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["dreamsuite-sandbox"]
    with dbm.session() as s:
        row = s.exec(select(OAuthState)).one()
    verifier = crypto.decrypt(row.code_verifier_enc)
    assert len(verifier) >= 43 and verifier not in row.code_verifier_enc
    assert row.state == query["state"][0] and row.workspace_id == scope.workspace_id
    assert timedelta(minutes=9) < row.expires_at - dbm.utcnow() <= timedelta(minutes=10)


async def test_connection_is_saved_when_redis_is_down(db, sandbox_url, monkeypatch, caplog):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(connect, "REDIS_TIMEOUT", 0.5)
    from dreamsuite.settings import get_settings

    get_settings.cache_clear()
    scope = member("a@example.com")
    result = await complete_connect("sandbox", browser(await start_connect(scope, "sandbox")), scope.user_id)
    [row] = connections()
    assert row.id == result.connection_id and row.status == "active"
    assert "could not enqueue first sync" in caplog.text


async def test_roles_and_workspaces_are_enforced(db, redis_url, sandbox_url):
    a = member("a@example.com")
    b = member("b@example.com")
    viewer = member("v@example.com", Role.viewer, workspace_id=a.workspace_id)
    with dbm.session() as s:
        with pytest.raises(AccessDenied):
            scope_for(s, a.user_id, b.workspace_id)
    with pytest.raises(AccessDenied):
        await start_connect(viewer, "sandbox")
    with pytest.raises(ConnectError, match="cannot be connected yet"):
        await start_connect(a, "apple_music")
    with pytest.raises(ConnectError, match="no platform"):
        await start_connect(a, "myspace")

    b_conn = (await complete_connect("sandbox", browser(await start_connect(b, "sandbox")), b.user_id)).connection_id
    assert all(c["connection_id"] is None for c in accounts.list_cards(a))
    with pytest.raises(NotFound):
        await accounts.disconnect(a, b_conn)
    with pytest.raises(AccessDenied):
        await accounts.disconnect(viewer, b_conn)
    [row] = connections()
    assert row.status == "active" and row.access_token_enc

    assert await accounts.disconnect(b, b_conn) is False  # the sandbox has no way to revoke
    [row] = connections()
    assert row.status == "revoked" and row.access_token_enc == "" and row.refresh_token_enc == ""
    cards = {c["name"]: c for c in accounts.list_cards(b)}
    assert cards["sandbox"]["connection_id"] is None and cards["sandbox"]["status"] == ""
    assert cards["tidal"]["note"] == "No public API yet"
    assert cards["sandbox"]["connections"][0]["status"] == "revoked"
    # Connecting again revives the same row (same account) with fresh tokens.
    again = (await complete_connect("sandbox", browser(await start_connect(b, "sandbox")), b.user_id)).connection_id
    cards = {c["name"]: c for c in accounts.list_cards(b)}
    assert again == b_conn and cards["sandbox"]["status"] == "active"
