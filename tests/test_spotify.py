"""Spotify end to end through real HTTP against its emulator: OAuth (with Spotify's token
quirks), the artist found by search, collection, and every way the API can answer badly."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import ContentPost, DailyMetric, PlatformConnection
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms.base import AccountRef, Malformed, PermanentError, RateLimited, TransientError
from dreamsuite.services import sync
from tests.helpers import make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
async def spotify(db, redis_url, emulators):
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "spotify", "Nova Lane")
    return scope, cid, emulators


def _connection(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _rows(model, cid: int):
    with dbmod.session() as s:
        return s.exec(select(model).where(model.connection_id == cid)).all()


async def test_connect_finds_the_artist_profile_and_stores_its_id(spotify):
    scope, cid, emulators = spotify
    conn = _connection(cid)
    assert conn.status == "active" and conn.username == "Nova Lane"
    # The most followed exact match, not "Nova Lane Tribute" or "Nova Lane & The Night Shift".
    artist_id = conn.details["artist_id"]
    assert len(artist_id) == 22 and conn.details["artist_name"] == "Nova Lane"
    assert conn.platform_user_id and conn.platform_user_id != artist_id


async def test_first_collect_writes_followers_releases_and_top_tracks(spotify):
    scope, cid, emulators = spotify
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    [day] = _rows(DailyMetric, cid)
    assert day.follower_count > 1000 and 0 < day.metrics["popularity"] <= 100 and day.metrics["genres"]
    posts = _rows(ContentPost, cid)
    releases = [p for p in posts if p.details.get("kind") == "release"]
    tracks = [p for p in posts if p.post_type == "track"]
    assert len(releases) >= 5 and {p.post_type for p in releases} <= {"single", "album"}
    assert 1 <= len(tracks) <= 10 and all(0 <= t.details["popularity"] <= 100 for t in tracks)
    assert all(p.url.startswith("https://open.spotify.com/") for p in posts)
    # Streams are not in the public API: no field claims zero.
    assert "streams" not in day.metrics and "streams" in get_adapter("spotify").unavailable_metrics


async def test_collecting_again_writes_nothing_new(spotify):
    scope, cid, _ = spotify
    await sync.collect_connection(cid)
    again = await sync.collect_connection(cid)
    assert again["status"] == "success" and again["counts"] == {"daily_metrics": 0, "posts": 0, "comments": 0}


async def test_release_pages_are_followed_to_the_end(spotify, monkeypatch):
    from urllib.parse import parse_qs, urlsplit

    from dreamsuite.platforms import spotify as spotify_module

    scope, cid, _ = spotify
    offsets: list[str] = []
    real = spotify_module.SpotifyAdapter.send

    async def recorded(self, client, method, url, *args, **kwargs):
        if url.split("?")[0].endswith("/albums"):
            params = kwargs.get("params")
            offsets.append(params["offset"] if params else parse_qs(urlsplit(url).query)["offset"][0])
        return await real(self, client, method, url, *args, **kwargs)

    monkeypatch.setattr(spotify_module.SpotifyAdapter, "send", recorded)
    monkeypatch.setattr(spotify_module, "PAGE_SIZE", 2)  # several pages of two, via Spotify's `next` links
    await sync.collect_connection(cid)
    releases = [p for p in _rows(ContentPost, cid) if p.details.get("kind") == "release"]
    assert [str(o) for o in offsets] == [str(2 * i) for i in range(len(offsets))]
    assert len(offsets) == -(-len(releases) // 2) >= 3


async def test_a_listener_without_an_artist_profile_connects_and_is_told_what_to_do(db, redis_url, emulators):
    _, _, scope = make_workspace("fan@example.com")
    adapter = get_adapter("spotify")
    # An account whose name no artist has (the emulator's search finds none).
    cid = await connect_platform(scope, "spotify", "Just A Listener")
    emulators.store.reset()  # ...and now nobody's artist profile exists
    with dbmod.session() as s:
        row = s.get(PlatformConnection, cid)
        row.details = {}
        s.add(row)
    result = await sync.collect_connection(cid)
    assert result["status"] == "failed" and "choose yours on the Connections page" in result["error"]
    assert adapter.label == "Spotify"


async def test_a_missing_follower_count_writes_no_day_rather_than_zero(spotify, monkeypatch):
    from dreamsuite.platforms.emulators import spotify as emulated

    scope, cid, _ = spotify
    real = emulated.SpotifyEmulator._artist

    def without_followers(self, account, base):
        body = real(self, account, base)
        body.pop("followers")
        body.pop("genres")
        return body

    monkeypatch.setattr(emulated.SpotifyEmulator, "_artist", without_followers)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and _rows(DailyMetric, cid) == []
    assert _rows(ContentPost, cid)  # releases still collected


async def test_rate_limit_uses_spotifys_own_delay(spotify):
    scope, cid, emulators = spotify
    await emulators.control("spotify", "fail", status=429, times=1, path="/api/", retry_after=7)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 7 and "API rate limit exceeded" in info.value.message
    assert _rows(DailyMetric, cid) == []


async def test_an_expired_token_is_refreshed_once_and_the_collect_succeeds(spotify):
    scope, cid, emulators = spotify
    before = _connection(cid).access_token_enc
    await emulators.control("spotify", "fail", status=401, times=1, path="/api/v1/artists")
    result = await sync.collect_connection(cid)
    assert result["status"] == "success"
    conn = _connection(cid)
    assert conn.access_token_enc != before and conn.status == "active"
    # Spotify keeps the refresh token (no rotation): the same one works again.
    await emulators.control("spotify", "fail", status=401, times=1, path="/api/v1/artists")
    assert (await sync.collect_connection(cid))["status"] == "success"


async def test_server_errors_are_transient_and_write_nothing(spotify):
    scope, cid, emulators = spotify
    await emulators.control("spotify", "fail", status=503, times=1, path="/api/v1/artists")
    with pytest.raises(TransientError, match="server error 503"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_a_malformed_body_is_a_clear_error_and_nothing_is_half_written(spotify):
    scope, cid, emulators = spotify
    await emulators.control("spotify", "fail", status=200, times=1, path="/api/v1/artists/",
                            body='{"tracks": [{"id": ')
    with pytest.raises(Malformed, match="not JSON"):
        await sync.collect_connection(cid)
    top = f"/api/v1/artists/{_connection(cid).details['artist_id']}/top-tracks"
    await emulators.control("spotify", "fail", status=200, times=1, path=top, body='{"tracks": [{"name": "no id"}]}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_client_credentials_read_the_catalog_but_not_a_user(emulators):
    from dreamsuite.settings import demo_client

    cid, secret = demo_client("spotify")
    async with httpx.AsyncClient(timeout=10) as http:
        tok = await http.post(f"{emulators.base}/spotify/accounts/api/token", data={"grant_type": "client_credentials"},
                              auth=(cid, secret))
        assert tok.status_code == 200 and "refresh_token" not in tok.json()
        headers = {"Authorization": f"Bearer {tok.json()['access_token']}"}
        me = await http.get(f"{emulators.base}/spotify/api/v1/me", headers=headers)
        assert me.status_code == 401 and me.json()["error"]["status"] == 401
        found = await http.get(f"{emulators.base}/spotify/api/v1/search", headers=headers,
                               params={"q": "nobody", "type": "artist"})
        assert found.status_code == 200 and found.json()["artists"]["items"] == []
        bad = await http.post(f"{emulators.base}/spotify/accounts/api/token", data={"grant_type": "client_credentials"},
                              auth=(cid, "wrong"))
        assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"


async def test_the_consent_page_keeps_accounts_apart(db, redis_url, emulators):
    """Two people create two accounts: each workspace collects its own artist."""
    _, _, a = make_workspace("a@example.com")
    _, _, b = make_workspace("b@example.com")
    ca = await connect_platform(a, "spotify", "Artist Alpha")
    cb = await connect_platform(b, "spotify", "Artist Beta")
    assert _connection(ca).details["artist_id"] != _connection(cb).details["artist_id"]
    assert (await sync.collect_connection(ca))["status"] == (await sync.collect_connection(cb))["status"] == "success"
    [da], [dbb] = _rows(DailyMetric, ca), _rows(DailyMetric, cb)
    assert da.workspace_id == a.workspace_id and dbb.workspace_id == b.workspace_id
    # Reconnecting picks the same emulated account again (it belongs to whoever made it).
    assert await connect_platform(a, "spotify", "Artist Alpha") == ca


async def test_adapter_refuses_a_collect_without_an_artist(emulators):
    async with httpx.AsyncClient() as client:
        with pytest.raises(PermanentError, match="No Spotify artist profile"):
            await get_adapter("spotify").collect(client, "token", account=AccountRef("user-1"))
