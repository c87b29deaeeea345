"""Access tokens: decrypt, refresh before expiry against the real sandbox, expire cleanly."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from dreamsuite import crypto, redisconn
from dreamsuite import db as dbm
from dreamsuite.models import Notification, PlatformConnection, Workspace
from dreamsuite.oauth import OAuthError
from dreamsuite.platforms.base import AuthExpired, TransientError
from dreamsuite.platforms.sandbox import data, signing
from dreamsuite.services import tokens


def make_connection(expires_in: timedelta, refresh_token: str | None = None, status: str = "active") -> tuple[int, str]:
    access = signing.sign(data.DEFAULT_USER, "access", "profile read publish", 3600)
    refresh = signing.sign(data.DEFAULT_USER, "refresh", "profile read publish", 86400) \
        if refresh_token is None else refresh_token
    with dbm.session() as s:
        ws = Workspace(name="Luna")
        s.add(ws)
        s.flush()
        row = PlatformConnection(workspace_id=ws.id, platform="sandbox", platform_user_id=data.DEFAULT_USER,
                                 username="luna", access_token_enc=crypto.encrypt(access),
                                 refresh_token_enc=crypto.encrypt(refresh),
                                 token_expires_at=dbm.utcnow() + expires_in, status=status)
        s.add(row)
        s.flush()
        return row.id, access


def load(cid: int) -> PlatformConnection:
    with dbm.session() as s:
        return s.get(PlatformConnection, cid)


def notifications() -> list[Notification]:
    with dbm.session() as s:
        return list(s.exec(select(Notification)).all())


def accepted(sandbox_url: str, token: str) -> bool:
    return httpx.get(f"{sandbox_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


async def test_a_fresh_token_is_returned_without_refreshing(db, sandbox_url):
    cid, access = make_connection(timedelta(hours=1))
    before = load(cid)
    assert await tokens.access_token(cid) == access
    assert load(cid).access_token_enc == before.access_token_enc


async def test_an_expiring_token_is_refreshed_and_persisted(db, sandbox_url, caplog):
    caplog.set_level(logging.DEBUG)
    cid, old = make_connection(timedelta(minutes=4))
    new = await tokens.access_token(cid)
    assert new != old and accepted(sandbox_url, new)
    row = load(cid)
    assert crypto.decrypt(row.access_token_enc) == new and new not in row.access_token_enc
    assert row.status == "active" and row.token_expires_at - dbm.utcnow() > timedelta(minutes=55)
    assert await tokens.access_token(cid) == new  # now fresh: no second refresh
    assert new not in caplog.text and old not in caplog.text


async def test_force_refresh_replaces_a_token_that_still_looks_valid(db, sandbox_url):
    cid, old = make_connection(timedelta(hours=1))
    new = await tokens.force_refresh(cid)
    assert new != old and accepted(sandbox_url, new)
    assert crypto.decrypt(load(cid).access_token_enc) == new


async def test_refresh_failure_marks_expired_and_notifies_once(db, sandbox_url):
    cid, _ = make_connection(timedelta(minutes=1), refresh_token="sbx.revoked.token")
    with pytest.raises(AuthExpired, match="Reconnect"):
        await tokens.access_token(cid)
    row = load(cid)
    assert row.status == "expired" and "refresh token is invalid" in row.last_error
    with pytest.raises(AuthExpired):
        await tokens.force_refresh(cid)
    [note] = notifications()
    assert note.kind == "token_expired" and note.workspace_id == row.workspace_id and "@luna" in note.message


async def test_platform_outage_during_refresh_is_transient_not_expired(db, sandbox_url):
    httpx.post(f"{sandbox_url}/_control/fail", json={"status": 503, "times": 1, "path": "/oauth/token"})
    cid, _ = make_connection(timedelta(minutes=1))
    with pytest.raises(TransientError):
        await tokens.access_token(cid)
    assert load(cid).status == "active" and notifications() == []
    assert accepted(sandbox_url, await tokens.access_token(cid))  # works once the platform is back


async def test_disconnected_connection_gives_no_token(db, sandbox_url):
    cid, _ = make_connection(timedelta(hours=1), status="revoked")
    with pytest.raises(AuthExpired, match="disconnected"):
        await tokens.access_token(cid)


async def test_a_refresh_won_by_another_worker_is_reused(db, sandbox_url, monkeypatch):
    cid, _ = make_connection(timedelta(minutes=1))
    winner = signing.sign(data.DEFAULT_USER, "access", "profile read publish", 3600)

    async def lost_race(platform, refresh_token):
        with dbm.session() as s:  # the other worker stored its fresh token, then rotated ours away
            row = s.get(PlatformConnection, cid)
            row.access_token_enc = crypto.encrypt(winner)
            row.token_expires_at = dbm.utcnow() + timedelta(hours=1)
            s.add(row)
        raise OAuthError("refresh token already used", error="invalid_grant")

    monkeypatch.setattr(tokens, "refresh", lost_race)
    assert await tokens.access_token(cid) == winner
    assert load(cid).status == "active" and notifications() == []


# ------------------------------------------------------------------ concurrent refreshes
@pytest.fixture
def refresh_probe(monkeypatch):
    """Counts refreshes that reach the sandbox's token endpoint.

    Each refresh first waits until `callers` token reads have happened, so callers that are not
    serialised would all hold the same (soon spent) refresh token when they call the platform.
    """
    lock = threading.Lock()
    probe = {"loads": 0, "refreshes": 0, "callers": 1}
    real_load, real_refresh = tokens._load, tokens.refresh

    def load(connection_id):
        with lock:
            probe["loads"] += 1
        return real_load(connection_id)

    async def refresh(platform, refresh_token):
        deadline = time.monotonic() + 3
        while probe["loads"] < probe["callers"] and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        with lock:
            probe["refreshes"] += 1
        return await real_refresh(platform, refresh_token)

    monkeypatch.setattr(tokens, "_load", load)
    monkeypatch.setattr(tokens, "refresh", refresh)
    return probe


def _check_one_refresh(probe: dict, cid: int, results: list, sandbox_url: str) -> None:
    assert all(isinstance(r, str) for r in results), results
    assert probe["refreshes"] == 1
    assert len(set(results)) == 1 and accepted(sandbox_url, results[0])
    row = load(cid)
    assert row.status == "active" and crypto.decrypt(row.access_token_enc) == results[0]
    assert notifications() == []


async def test_concurrent_callers_share_one_refresh(db, redis_url, sandbox_url, refresh_probe, close_arq_pools):
    cid, old = make_connection(timedelta(minutes=1))
    refresh_probe["callers"] = 5
    results = await asyncio.gather(*(tokens.access_token(cid) for _ in range(5)), return_exceptions=True)
    assert old not in results
    _check_one_refresh(refresh_probe, cid, results, sandbox_url)


async def test_two_workers_refreshing_at_once_share_one_refresh(db, redis_url, sandbox_url, refresh_probe):
    """Two threads, each with its own event loop and Redis connection: two workers."""

    cid, _ = make_connection(timedelta(minutes=1))
    refresh_probe["callers"] = 2
    start = threading.Barrier(2, timeout=10)
    results: list = [None, None]

    def worker(i: int) -> None:
        async def go() -> str:
            try:
                return await tokens.access_token(cid)
            finally:
                await redisconn.close_clients()

        start.wait()
        try:
            results[i] = asyncio.run(go())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertions
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    await asyncio.to_thread(lambda: [t.join(30) for t in threads])
    _check_one_refresh(refresh_probe, cid, results, sandbox_url)

