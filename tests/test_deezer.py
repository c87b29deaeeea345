"""Deezer end to end through real HTTP against its emulator: Deezer's own OAuth (app_id, perms,
access_token.php, tokens that never expire and no refresh), the artist page found by search,
albums through index/limit pages, top tracks, and errors that arrive with HTTP 200."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlmodel import select

from dreamsuite import crypto, db as dbmod
from dreamsuite.models import ContentPost, DailyMetric, Notification, PlatformConnection
from dreamsuite.platforms import deezer as dz_module, get_adapter
from dreamsuite.platforms.base import (
    AccountRef, Malformed, PermanentError, PermissionMissing, RateLimited, TransientError,
)
from dreamsuite.platforms.emulators import deezer as emulated
from dreamsuite.platforms.emulators.consent import approve
from dreamsuite.services import sync
from dreamsuite.services.connect import ConnectError, complete_connect, start_connect
from dreamsuite.settings import demo_client, get_settings
from tests.helpers import make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
NOTHING = {"daily_metrics": 0, "posts": 0, "comments": 0}


@pytest.fixture
async def deezer(db, redis_url, emulators):
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "deezer", "Nova Lane")
    return scope, cid, emulators


def _connection(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _rows(model, cid: int):
    with dbmod.session() as s:
        return s.exec(select(model).where(model.connection_id == cid)).all()


def _nothing_written(cid: int) -> bool:
    return _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


def _story(emulators, name: str = "Nova Lane"):
    [account] = [a for a in emulators.store.accounts("deezer") if a.name == name]
    return account, emulators["deezer"].story_of(account)


def _dialog(emulators, perms: str) -> str:
    client_id, _ = demo_client("deezer")
    return f"{emulators.base}/deezer/connect/oauth/auth.php?" + urlencode({
        "app_id": client_id, "redirect_uri": f"{get_settings().api_url}/oauth/callback/deezer", "perms": perms,
        "state": "xyz"})


# ------------------------------------------------------------------ OAuth
async def test_connect_speaks_deezers_dialog_and_keeps_a_token_that_never_expires(deezer):
    scope, cid, emulators = deezer
    url = await start_connect(scope, "deezer")
    query = parse_qs(urlsplit(url).query)
    assert url.split("?")[0].endswith("/deezer/connect/oauth/auth.php")
    assert query["app_id"] == [demo_client("deezer")[0]] and "client_id" not in query
    assert query["perms"] == ["basic_access,offline_access"] and "code_challenge" not in query
    conn = _connection(cid)
    assert conn.status == "active" and conn.token_expires_at is None
    assert crypto.decrypt(conn.refresh_token_enc) == ""  # Deezer has no refresh token
    account, _ = _story(emulators)
    # The artist page with the most fans among exact matches ("Tribute to Nova Lane" is not it).
    assert conn.details["artist_id"] == emulators["deezer"].artist_id(account)
    assert conn.details["artist_name"] == "Nova Lane" and conn.platform_user_id == account.id


async def test_access_token_php_answers_as_deezer_does(db, redis_url, emulators):
    adapter = get_adapter("deezer")
    creds = demo_client("deezer")
    redirect = f"{get_settings().api_url}/oauth/callback/deezer"
    # Without offline_access the token lasts an hour (and still comes without a refresh token).
    code = (await approve(_dialog(emulators, "basic_access"), account_name="Nova Lane"))["code"]
    async with httpx.AsyncClient(timeout=10) as http:
        tokens = await adapter.exchange_code(http, code, "", redirect, creds)
        assert tokens.refresh_token == "" and 3500 < (tokens.expires_at - datetime.now(UTC)).total_seconds() <= 3600
        with pytest.raises(PermanentError, match="wrong code"):  # a code works once
            await adapter.exchange_code(http, code, "", redirect, creds)
        # Without output=json, the same answer as a query string; a bad secret is "wrong code" too.
        code = (await approve(_dialog(emulators, "basic_access,offline_access"), account_name="Nova Lane"))["code"]
        token_url = f"{emulators.base}/deezer/connect/oauth/access_token.php"
        bad = await http.get(token_url, params={"app_id": creds[0], "secret": "nope", "code": code})
        assert bad.status_code == 200 and bad.text == "wrong code"
        text = await http.get(token_url, params={"app_id": creds[0], "secret": creds[1], "code": code})
        assert parse_qs(text.text)["expires"] == ["0"] and parse_qs(text.text)["access_token"]


async def test_a_refused_dialog_connects_nothing(db, redis_url, emulators):
    _, _, scope = make_workspace("shy@example.com")
    params = await approve(await start_connect(scope, "deezer"), account_name="Nova Lane", decision="deny")
    assert params["error_reason"] == "user_denied" and "code" not in params
    with pytest.raises(ConnectError):
        await complete_connect("deezer", params, scope.user_id)
    with dbmod.session() as s:
        assert s.exec(select(PlatformConnection)).all() == []


async def test_a_token_without_basic_access_is_a_missing_permission_named(db, redis_url, emulators):
    code = (await approve(_dialog(emulators, "email"), account_name="Nova Lane"))["code"]
    adapter = get_adapter("deezer")
    async with httpx.AsyncClient(timeout=10) as http:
        tokens = await adapter.exchange_code(http, code, "", "", demo_client("deezer"))
        raw = await http.get(f"{emulators.base}/deezer/api/user/me", params={"access_token": tokens.access_token})
        assert raw.status_code == 200 and raw.json()["error"]["code"] == 200  # an error inside a 200
        with pytest.raises(PermissionMissing) as info:
            await adapter.fetch_profile(http, tokens.access_token)
    assert info.value.scope == "basic_access" and "basic_access" in info.value.message


# ------------------------------------------------------------------ collect
async def test_first_collect_writes_fans_albums_and_top_tracks(deezer):
    scope, cid, emulators = deezer
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    account, s = _story(emulators)
    [day] = _rows(DailyMetric, cid)
    assert day.follower_count == s.followers("deezer", datetime.now(UTC).date()) > 0
    posts = _rows(ContentPost, cid)
    albums = [p for p in posts if p.details.get("kind") == "release"]
    tracks = [p for p in posts if p.post_type == "track"]
    assert day.content_count == day.metrics["nb_album"] == len(albums) >= 3
    assert {p.post_type for p in albums} <= {"single", "ep", "album"}
    assert all(p.saves == p.details["fans"] > 0 and p.url.startswith("https://www.deezer.com/album/") for p in albums)
    # The story's release is the album the most fans saved.
    assert max(albums, key=lambda p: p.saves).caption == "Afterglow"
    assert len(tracks) == len(albums) and all(0 < t.details["rank"] < 1_000_000 for t in tracks)
    by_album = {p.platform_post_id: p for p in albums}
    assert all(t.posted_at == by_album[f"album:{t.details['album_id']}"].posted_at for t in tracks)
    assert all(120 <= t.details["duration_s"] <= 300 for t in tracks)
    # Streams are not in the public API: nothing claims zero.
    assert "streams" not in day.metrics and "streams" in get_adapter("deezer").unavailable_metrics
    assert all(p.plays == 0 and "streams" not in p.details for p in posts)


async def test_collecting_again_writes_nothing_new(deezer):
    scope, cid, _ = deezer
    assert (await sync.collect_connection(cid))["status"] == "success"
    again = await sync.collect_connection(cid)
    assert again["status"] == "success" and again["counts"] == NOTHING


async def test_a_later_release_arrives_with_its_track(deezer, monkeypatch):
    scope, cid, emulators = deezer
    await sync.collect_connection(cid)
    before = {p.platform_post_id for p in _rows(ContentPost, cid)}
    account, s = _story(emulators)
    today = datetime.now(UTC).date()
    count = len(s.posts("deezer", today))
    later = next(today + timedelta(days=n) for n in range(1, 400)
                 if len(s.posts("deezer", today + timedelta(days=n))) > count)
    monkeypatch.setattr(emulated.DeezerEmulator, "today", staticmethod(lambda: later))
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"]["posts"] == 2
    new = [p for p in _rows(ContentPost, cid) if p.platform_post_id not in before]
    assert sorted(p.post_type == "track" for p in new) == [False, True]
    assert all(p.posted_at.date() == later for p in new)


async def test_an_artist_without_releases_collects_its_fans_only(deezer, monkeypatch):
    scope, cid, _ = deezer
    monkeypatch.setattr(emulated.DeezerEmulator, "_albums", lambda self, account, base: [])
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"] == {**NOTHING, "daily_metrics": 1}
    [day] = _rows(DailyMetric, cid)
    assert day.follower_count > 0 and day.content_count == 0


async def test_missing_numbers_are_left_out_not_stored_as_zero(deezer, monkeypatch):
    scope, cid, _ = deezer
    real_artist, real_albums, real_tracks = (emulated.DeezerEmulator._artist, emulated.DeezerEmulator._albums,
                                             emulated.DeezerEmulator._tracks)
    monkeypatch.setattr(emulated.DeezerEmulator, "_artist", lambda self, a, b: {
        k: v for k, v in real_artist(self, a, b).items() if k != "nb_fan"})
    monkeypatch.setattr(emulated.DeezerEmulator, "_albums", lambda self, a, b: [
        {k: v for k, v in album.items() if k != "fans" or i} for i, album in enumerate(real_albums(self, a, b))])
    monkeypatch.setattr(emulated.DeezerEmulator, "_tracks", lambda self, a, b: [
        {k: v for k, v in t.items() if k != "rank" or i} for i, t in enumerate(real_tracks(self, a, b))])
    assert (await sync.collect_connection(cid))["status"] == "success"
    assert _rows(DailyMetric, cid) == []  # no fan count: no day, rather than a zero
    posts = _rows(ContentPost, cid)
    albums = sorted((p for p in posts if p.details.get("kind") == "release"), key=lambda p: p.posted_at)
    assert "fans" not in albums[-1].details and albums[-1].saves == 0  # the newest album told no fans
    assert all("fans" in p.details for p in albums[:-1])
    assert sum("rank" not in p.details for p in posts if p.post_type == "track") == 1


async def test_album_pages_are_followed_to_the_end(deezer, monkeypatch):
    scope, cid, _ = deezer
    seen: list[dict] = []
    real = dz_module.DeezerAdapter.send

    async def recorded(self, client, method, url, *args, **kwargs):
        if url.endswith("/albums"):
            seen.append(dict(kwargs.get("params") or {}))
        return await real(self, client, method, url, *args, **kwargs)

    monkeypatch.setattr(dz_module.DeezerAdapter, "send", recorded)
    monkeypatch.setattr(dz_module, "PAGE_SIZE", 2)
    await sync.collect_connection(cid)
    albums = [p for p in _rows(ContentPost, cid) if p.details.get("kind") == "release"]
    assert [p["index"] for p in seen] == [2 * i for i in range(len(seen))] and len(seen) == -(-len(albums) // 2) >= 3
    assert all(p["limit"] == 2 and p["access_token"] for p in seen)


async def test_a_next_link_carries_the_index_but_never_the_token(deezer):
    scope, cid, emulators = deezer
    conn = _connection(cid)
    async with httpx.AsyncClient(timeout=10) as http:
        page = (await http.get(f"{emulators.base}/deezer/api/artist/{conn.details['artist_id']}/albums",
                               params={"access_token": crypto.decrypt(conn.access_token_enc), "limit": 2})).json()
    assert len(page["data"]) == 2 and page["total"] > 2
    assert parse_qs(urlsplit(page["next"]).query) == {"limit": ["2"], "index": ["2"]}


# ------------------------------------------------------------------ failures (errors inside a 200)
async def test_the_quota_error_waits_five_seconds_and_the_gate_holds_it(deezer):
    scope, cid, emulators = deezer
    await emulators.control("deezer", "fail", status=429, times=1, path="/api/artist/")
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 5 and "Quota limit exceeded" in info.value.message and info.value.status == 200
    assert _nothing_written(cid)
    await emulators.control("deezer", "fail", status=502, times=1, path="/api/")
    with pytest.raises(RateLimited, match="Waiting for deezer's rate limit"):
        await sync.collect_connection(cid)
    async with httpx.AsyncClient(timeout=10) as http:  # the call was never made: the 502 still waits
        assert (await http.get(f"{emulators.base}/deezer/api/search/artist", params={"q": "x"})).status_code == 502


async def test_fifty_calls_in_five_seconds_is_deezers_own_limit(deezer):
    scope, cid, emulators = deezer
    await emulators.control("deezer", "limit", calls=2, window=5)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 5 and _nothing_written(cid)
    assert emulated.DeezerEmulator.rate_limit == (50, 5.0)


async def test_an_invalid_token_expires_the_connection_since_deezer_cannot_refresh(deezer):
    scope, cid, emulators = deezer
    await emulators.control("deezer", "fail", status=401, times=1, path="/api/artist/")
    result = await sync.collect_connection(cid)
    assert result["status"] == "expired" and "reconnect" in result["error"].lower()
    conn = _connection(cid)
    assert conn.status == "expired" and _nothing_written(cid)
    with dbmod.session() as s:
        [note] = s.exec(select(Notification).where(Notification.workspace_id == conn.workspace_id)).all()
    assert "Deezer" in note.message


async def test_busy_and_broken_servers_are_transient_and_write_nothing(deezer):
    scope, cid, emulators = deezer
    await emulators.control("deezer", "fail", status=503, times=1, path="/api/artist/")
    with pytest.raises(TransientError, match="Service busy"):
        await sync.collect_connection(cid)
    await emulators.control("deezer", "fail", status=502, times=1, path="/api/artist/")
    with pytest.raises(TransientError):
        await sync.collect_connection(cid)
    assert _nothing_written(cid)


async def test_a_malformed_body_is_a_clear_error_and_nothing_is_half_written(deezer):
    scope, cid, emulators = deezer
    artist = _connection(cid).details["artist_id"]
    await emulators.control("deezer", "fail", status=200, times=1, path="/api/artist/", body='{"id": ')
    with pytest.raises(Malformed, match="not JSON"):
        await sync.collect_connection(cid)
    await emulators.control("deezer", "fail", status=200, times=1, path=f"/api/artist/{artist}/albums",
                            body='{"total": 3}')
    with pytest.raises(Malformed, match="without its data"):
        await sync.collect_connection(cid)
    await emulators.control("deezer", "fail", status=200, times=1, path=f"/api/artist/{artist}/albums",
                            body='{"data": [{"title": "no id", "release_date": "2026-01-01"}], "total": 1}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    assert _nothing_written(cid)


async def test_an_artist_page_that_is_gone_is_a_clear_failure(deezer):
    scope, cid, emulators = deezer
    with dbmod.session() as s:
        row = s.get(PlatformConnection, cid)
        row.details = {**row.details, "artist_id": 1}
        s.add(row)
    result = await sync.collect_connection(cid)
    assert result["status"] == "failed" and "no such item: no data" in result["error"]


async def test_adapter_refuses_a_collect_without_an_artist(emulators):
    async with httpx.AsyncClient() as client:
        with pytest.raises(PermanentError, match="No Deezer artist page"):
            await get_adapter("deezer").collect(client, "token", account=AccountRef("user-1"))
