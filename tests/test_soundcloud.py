"""SoundCloud end to end through real HTTP against its emulator: OAuth 2.1 with PKCE and single-use
refresh tokens, the `OAuth` header, tracks and comments through linked partitioning, and every
way the API can answer badly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from dreamsuite import crypto, db as dbmod
from dreamsuite.models import Comment, ContentPost, DailyMetric, PlatformConnection
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms import soundcloud as sc_module
from dreamsuite.platforms.base import AccountRef, Malformed, PermissionMissing, RateLimited, TransientError
from dreamsuite.platforms.emulators import soundcloud as emulated
from dreamsuite.platforms.soundcloud import parse_tags, parse_time
from dreamsuite.services import sync
from dreamsuite.services.connect import start_connect
from dreamsuite.settings import demo_client, get_settings
from tests.helpers import make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
NOTHING = {"daily_metrics": 0, "posts": 0, "comments": 0}


@pytest.fixture
async def soundcloud(db, redis_url, emulators):
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "soundcloud", "Nova Lane")
    return scope, cid, emulators


def _connection(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _rows(model, cid: int):
    with dbmod.session() as s:
        if model is Comment:
            posts = [p.id for p in s.exec(select(ContentPost).where(ContentPost.connection_id == cid)).all()]
            return s.exec(select(Comment).where(Comment.post_id.in_(posts))).all() if posts else []
        return s.exec(select(model).where(model.connection_id == cid)).all()


def _nothing_written(cid: int) -> bool:
    return _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == [] and _rows(Comment, cid) == []


def _record_gets(monkeypatch) -> list[str]:
    """Every URL the adapter asks for (with its query), in order."""
    seen: list[str] = []
    real = sc_module.SoundCloudAdapter.send

    async def recorded(self, client, method, url, *args, **kwargs):
        params = kwargs.get("params")
        seen.append(str(httpx.URL(url, params=params)) if params else url)
        return await real(self, client, method, url, *args, **kwargs)

    monkeypatch.setattr(sc_module.SoundCloudAdapter, "send", recorded)
    return seen


def _persona_story(emulators, name: str = "Nova Lane"):
    [account] = [a for a in emulators.store.accounts("soundcloud") if a.name == name]
    return account, emulators["soundcloud"].story_of(account)


# ------------------------------------------------------------------ OAuth
async def test_connect_runs_pkce_and_keeps_the_urn_and_a_one_hour_token(soundcloud):
    scope, cid, _ = soundcloud
    conn = _connection(cid)
    assert conn.status == "active" and conn.platform_user_id.startswith("soundcloud:users:")
    assert conn.username == "nova_lane" and conn.display_name == "Nova Lane"
    assert conn.details["permalink_url"] == "https://soundcloud.com/nova_lane"
    left = (conn.token_expires_at.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()
    assert 3500 < left <= 3600 and crypto.decrypt(conn.refresh_token_enc)
    url = await start_connect(scope, "soundcloud")
    query = parse_qs(urlsplit(url).query)
    assert url.split("?")[0].endswith("/soundcloud/secure/authorize") and query["code_challenge_method"] == ["S256"]


async def test_the_authorize_page_refuses_a_request_without_pkce(db, redis_url, emulators):
    cid, _ = demo_client("soundcloud")
    redirect = f"{get_settings().api_url}/oauth/callback/soundcloud"
    async with httpx.AsyncClient(timeout=10) as http:
        page = await http.get(f"{emulators.base}/soundcloud/secure/authorize",
                              params={"client_id": cid, "redirect_uri": redirect, "response_type": "code",
                                      "state": "s"})
    assert page.status_code == 400 and "PKCE is required" in page.text


async def test_the_api_takes_the_documented_oauth_header_only(soundcloud):
    scope, cid, emulators = soundcloud
    token = crypto.decrypt(_connection(cid).access_token_enc)
    async with httpx.AsyncClient(timeout=10) as http:
        bearer = await http.get(f"{emulators.base}/soundcloud/api/me", headers={"Authorization": f"Bearer {token}"})
        oauth = await http.get(f"{emulators.base}/soundcloud/api/me", headers={"Authorization": f"OAuth {token}"})
    assert bearer.status_code == 401 and bearer.json()["code"] == 401 and bearer.json()["link"].startswith("https://")
    assert oauth.status_code == 200 and oauth.json()["urn"] == _connection(cid).platform_user_id


# ------------------------------------------------------------------ collect
async def test_first_collect_writes_followers_tracks_and_their_comments(soundcloud):
    scope, cid, emulators = soundcloud
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    [day] = _rows(DailyMetric, cid)
    posts = _rows(ContentPost, cid)
    account, s = _persona_story(emulators)
    assert day.follower_count == s.followers("soundcloud", datetime.now(UTC).date())
    assert day.content_count == len(posts) == len(s.posts("soundcloud", datetime.now(UTC).date())) > 5
    assert day.metrics["plays_total"] == sum(p.plays for p in posts) > 0
    assert day.metrics["likes_total"] == sum(p.likes for p in posts)
    assert all(p.platform_post_id.startswith("soundcloud:tracks:") and p.post_type == "track" for p in posts)
    assert all(p.url.startswith("https://soundcloud.com/nova_lane/") and p.details["duration_ms"] > 0 for p in posts)
    # Tags: words, and quoted multi-word tags kept whole.
    assert any(" " in tag for p in posts for tag in p.hashtags)
    assert not any('"' in tag for p in posts for tag in p.hashtags)
    comments = _rows(Comment, cid)
    assert len(comments) == sum(p.comments for p in posts) > 0
    assert all(c.platform_comment_id.startswith("soundcloud:comments:") and c.text for c in comments)
    # The artist's replies come back flat (the API has no threads), naming whom they answer.
    assert any(c.author == "Nova Lane" and c.text.startswith("@") for c in comments)
    assert not any(c.hidden for c in comments)


async def test_collecting_again_writes_nothing_new(soundcloud):
    scope, cid, _ = soundcloud
    assert (await sync.collect_connection(cid))["status"] == "success"
    again = await sync.collect_connection(cid)
    assert again["status"] == "success" and again["counts"] == NOTHING and again["since"]


async def test_a_later_day_brings_its_new_track_and_stops_reading_old_comment_pages(soundcloud, monkeypatch):
    scope, cid, emulators = soundcloud
    monkeypatch.setattr(sc_module, "COMMENT_PAGE_SIZE", 1)
    seen = _record_gets(monkeypatch)
    await sync.collect_connection(cid)
    first_comment_calls = [u for u in seen if "/comments" in u]
    account, s = _persona_story(emulators)
    today = datetime.now(UTC).date()
    count = len(s.posts("soundcloud", today))
    later = next(today + timedelta(days=n) for n in range(1, 200)
                 if len(s.posts("soundcloud", today + timedelta(days=n))) > count)
    monkeypatch.setattr(emulated.SoundCloudEmulator, "today", staticmethod(lambda: later))
    seen.clear()
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"]["posts"] >= 1
    newest = s.posts("soundcloud", later)[-1]
    stored = {p.platform_post_id for p in _rows(ContentPost, cid)}
    assert f"soundcloud:tracks:{int(newest.id)}" in stored and len(stored) == count + 1
    # Since the last sync, comment lists (newest first, a page of one here) are read only until
    # they reach a comment older than `since`: one page more than the new comments of each track.
    since = datetime.fromisoformat(result["since"]).date()
    second_comment_calls = [u for u in seen if "/comments" in u]
    assert len(second_comment_calls) < len(first_comment_calls)
    with dbmod.session() as s:
        for post in _rows(ContentPost, cid):
            calls = sum(1 for u in second_comment_calls if f"/tracks/{post.platform_post_id}/comments" in u)
            newer = [c for c in s.exec(select(Comment).where(Comment.post_id == post.id)).all()
                     if c.posted_at.date() >= since]
            all_comments = s.exec(select(Comment).where(Comment.post_id == post.id)).all()
            assert calls == (0 if not all_comments else min(len(all_comments), len(newer) + 1)), post.platform_post_id


async def test_an_account_without_tracks_collects_its_followers_only(soundcloud, monkeypatch):
    scope, cid, _ = soundcloud
    real_me = emulated.SoundCloudEmulator._me

    def no_tracks_me(self, account, base):
        return {**real_me(self, account, base), "track_count": 0}

    monkeypatch.setattr(emulated.SoundCloudEmulator, "_tracks", lambda self, account, base: [])
    monkeypatch.setattr(emulated.SoundCloudEmulator, "_me", no_tracks_me)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"] == {**NOTHING, "daily_metrics": 1}
    [day] = _rows(DailyMetric, cid)
    assert day.follower_count > 0 and day.content_count == 0 and "plays_total" not in day.metrics


async def test_hidden_and_missing_numbers_are_not_stored_as_zeros(soundcloud, monkeypatch):
    scope, cid, _ = soundcloud
    real_track, real_me = emulated.SoundCloudEmulator._track, emulated.SoundCloudEmulator._me
    quiet: list[str] = []

    def quiet_first(self, account, post, base):
        body = real_track(self, account, post, base)
        if not quiet:  # the oldest track is in quiet mode: stats and comments hidden
            quiet.append(body["urn"])
        if body["urn"] == quiet[0]:
            for key in ("playback_count", "favoritings_count", "likes_count", "download_count"):
                body.pop(key)
            body.update(reveal_stats=False, reveal_comments=False, genre="", tag_list="")
        return body

    monkeypatch.setattr(emulated.SoundCloudEmulator, "_track", quiet_first)
    monkeypatch.setattr(emulated.SoundCloudEmulator, "_me",
                        lambda self, a, b: {k: v for k, v in real_me(self, a, b).items() if k != "followings_count"})
    assert (await sync.collect_connection(cid))["status"] == "success"
    posts = {p.platform_post_id: p for p in _rows(ContentPost, cid)}
    hidden = posts[quiet[0]]
    assert hidden.details["stats_hidden"] is True and hidden.plays == 0 and hidden.hashtags == []
    assert set(hidden.details["hidden_numbers"]) == {"playback_count", "likes", "download_count"}
    assert "genre" not in hidden.details and "download_count" not in hidden.details
    others = [p for p in posts.values() if p.platform_post_id != quiet[0]]
    assert all("hidden_numbers" not in p.details for p in others)
    [day] = _rows(DailyMetric, cid)
    assert day.metrics["plays_total"] == sum(p.plays for p in others) and "followings_count" not in day.metrics
    with dbmod.session() as s:
        on_quiet = s.exec(select(Comment).where(Comment.post_id == hidden.id)).all()
    assert all(c.hidden for c in on_quiet) and not any(c.hidden for c in _rows(Comment, cid) if c.post_id != hidden.id)


async def test_no_follower_count_means_no_day_row(soundcloud, monkeypatch):
    scope, cid, _ = soundcloud
    real_me = emulated.SoundCloudEmulator._me
    monkeypatch.setattr(emulated.SoundCloudEmulator, "_me",
                        lambda self, a, b: {k: v for k, v in real_me(self, a, b).items() if k != "followers_count"})
    assert (await sync.collect_connection(cid))["status"] == "success"
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid)


async def test_track_pages_are_followed_to_the_end(soundcloud, monkeypatch):
    scope, cid, _ = soundcloud
    monkeypatch.setattr(sc_module, "PAGE_SIZE", 2)
    seen = _record_gets(monkeypatch)
    await sync.collect_connection(cid)
    pages = [u for u in seen if urlsplit(u).path.endswith("/me/tracks")]
    tracks = _rows(ContentPost, cid)
    assert len(pages) == -(-len(tracks) // 2) >= 3
    first, rest = pages[0], pages[1:]
    assert "cursor" not in first and all(parse_qs(urlsplit(u).query)["limit"] == ["2"] for u in pages)
    cursors = [parse_qs(urlsplit(u).query)["cursor"][0] for u in rest]
    assert len(set(cursors)) == len(cursors) and all(parse_qs(urlsplit(u).query)["linked_partitioning"] for u in rest)


# ------------------------------------------------------------------ failures
async def test_rate_limit_waits_until_soundclouds_reset_time(soundcloud):
    scope, cid, emulators = soundcloud
    await emulators.control("soundcloud", "fail", status=429, times=1, path="/api/me/tracks", retry_after=7)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 7 and "Too Many Requests" in info.value.message
    assert _nothing_written(cid)
    # The gate now holds the account until the reset: the next collect waits without calling.
    await emulators.control("soundcloud", "fail", status=503, times=1, path="/api/")
    with pytest.raises(RateLimited, match="Waiting for soundcloud's rate limit"):
        await sync.collect_connection(cid)
    async with httpx.AsyncClient(timeout=10) as http:  # the injected 503 was never reached
        token = crypto.decrypt(_connection(cid).access_token_enc)
        assert (await http.get(f"{emulators.base}/soundcloud/api/me",
                               headers={"Authorization": f"OAuth {token}"})).status_code == 503


async def test_the_emulators_own_limit_bites_with_a_reset_time(soundcloud):
    scope, cid, emulators = soundcloud
    await emulators.control("soundcloud", "limit", calls=2, window=30)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert 29 <= info.value.retry_after <= 30 and _nothing_written(cid)


async def test_a_rejected_token_is_refreshed_once_and_the_spent_refresh_token_dies(soundcloud):
    scope, cid, emulators = soundcloud
    before = _connection(cid)
    old_refresh = crypto.decrypt(before.refresh_token_enc)
    await emulators.control("soundcloud", "fail", status=401, times=1, path="/api/me/tracks")
    assert (await sync.collect_connection(cid))["status"] == "success"
    after = _connection(cid)
    assert after.access_token_enc != before.access_token_enc and after.status == "active"
    assert crypto.decrypt(after.refresh_token_enc) != old_refresh  # rotated
    client_id, secret = demo_client("soundcloud")
    async with httpx.AsyncClient(timeout=10) as http:
        spent = await http.post(f"{emulators.base}/soundcloud/secure/oauth/token", data={
            "grant_type": "refresh_token", "refresh_token": old_refresh, "client_id": client_id,
            "client_secret": secret})
    assert spent.status_code == 400 and spent.json()["message"] == "invalid_grant"


async def test_a_token_about_to_expire_is_refreshed_before_collecting(soundcloud):
    scope, cid, _ = soundcloud
    with dbmod.session() as s:
        row = s.get(PlatformConnection, cid)
        row.token_expires_at = datetime.now(UTC) + timedelta(minutes=2)
        s.add(row)
    before = _connection(cid).access_token_enc
    assert (await sync.collect_connection(cid))["status"] == "success"
    conn = _connection(cid)
    assert conn.access_token_enc != before
    assert (conn.token_expires_at.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds() > 3000


async def test_server_errors_are_transient_and_write_nothing(soundcloud):
    scope, cid, emulators = soundcloud
    await emulators.control("soundcloud", "fail", status=503, times=1, path="/api/tracks/")
    with pytest.raises(TransientError, match="server error 503"):
        await sync.collect_connection(cid)
    assert _nothing_written(cid)


async def test_a_malformed_body_is_a_clear_error_and_nothing_is_half_written(soundcloud):
    scope, cid, emulators = soundcloud
    await emulators.control("soundcloud", "fail", status=200, times=1, path="/api/me/tracks", body='{"collection": [')
    with pytest.raises(Malformed, match="not JSON"):
        await sync.collect_connection(cid)
    await emulators.control("soundcloud", "fail", status=200, times=1, path="/api/me/tracks",
                            body='{"collection": [{"title": "no urn", "created_at": "2026/01/02 12:34:56 +0000"}]}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    await emulators.control("soundcloud", "fail", status=200, times=1, path="/api/me/tracks",
                            body='{"next_href": null}')
    with pytest.raises(Malformed, match="without its collection"):
        await sync.collect_connection(cid)
    assert _nothing_written(cid)


async def test_a_refused_call_is_a_missing_permission_with_soundclouds_message(soundcloud):
    scope, cid, emulators = soundcloud
    conn = _connection(cid)
    await emulators.control("soundcloud", "fail", status=403, times=1, path="/api/tracks/")
    async with httpx.AsyncClient(timeout=10) as http:
        with pytest.raises(PermissionMissing) as info:
            await get_adapter("soundcloud").collect(http, crypto.decrypt(conn.access_token_enc),
                                                    account=AccountRef(conn.platform_user_id, conn.username))
    # SoundCloud has no scopes to name: the refusal carries SoundCloud's own words instead.
    assert info.value.status == 403 and info.value.scope == "" and "Permission denied" in info.value.message
    await emulators.control("soundcloud", "fail", status=403, times=1, path="/api/tracks/")
    result = await sync.collect_connection(cid)
    assert result["status"] == "failed" and "Permission denied" in result["error"] and _nothing_written(cid)


def test_tag_lists_and_times_parse_as_soundcloud_writes_them():
    assert parse_tags('indie "bedroom pop" newmusic') == ["indie", "bedroom pop", "newmusic"]
    assert parse_tags('broken "quote here') == ["broken", "quote", "here"] and parse_tags(None) == []
    assert parse_time("2026/01/02 12:34:56 +0000") == datetime(2026, 1, 2, 12, 34, 56, tzinfo=UTC)
    assert parse_time("2026-01-02T12:34:56Z") == datetime(2026, 1, 2, 12, 34, 56, tzinfo=UTC)
