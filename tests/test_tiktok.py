"""TikTok end to end through real HTTP against its emulator: Login Kit v2 (client_key, TikTok's
token endpoint, open_id, rotating refresh tokens), the Display API's user info and video pages, the
Content Posting API's direct post, and every way the API answers badly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import ContentPost, DailyMetric, PlatformConnection, PostDestination
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms import tiktok as tiktok_module
from dreamsuite.platforms.base import (
    AccountRef, Malformed, OutcomeUnknown, PermanentError, PermissionMissing, PublishRequest, RateLimited,
    TransientError,
)
from dreamsuite.platforms.emulators import tiktok as emulated
from dreamsuite.services import publish, sync, tokens
from dreamsuite.services.connect import start_connect
from tests.helpers import due_post, make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
async def tiktok(db, redis_url, emulators, monkeypatch):
    monkeypatch.setattr(tiktok_module, "POLL_SECONDS", 0.0)
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "tiktok", "Nova Lane")
    return scope, cid, emulators


def _connection(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _rows(model, cid: int):
    with dbmod.session() as s:
        return s.exec(select(model).where(model.connection_id == cid)).all()


def _account(emulators, cid: int):
    return emulators.store.account("tiktok", _connection(cid).platform_user_id)


def _story_videos(emulators, cid: int, now: datetime) -> list[dict]:
    emulator = emulators["tiktok"]
    account = _account(emulators, cid)
    story = emulator.story_of(account)
    return [emulator._story_video(account, p) for p in story.posts("tiktok", now.date()) if p.posted_at <= now]


async def test_connect_uses_client_key_and_keeps_the_open_id(tiktok, db, redis_url):
    scope, cid, emulators = tiktok
    conn = _connection(cid)
    assert conn.status == "active" and conn.username == "nova_lane" and conn.display_name == "Nova Lane"
    # open_id came with the token response and is what later calls address the account by.
    assert conn.details["open_id"] == conn.platform_user_id and len(conn.platform_user_id) == 36
    assert conn.details["profile_deep_link"].startswith("https://vm.tiktok.com/")
    assert conn.scopes.split() == ["user.info.basic", "user.info.profile", "user.info.stats", "video.list",
                                   "video.publish"]
    assert conn.token_expires_at - datetime.now(UTC) > timedelta(minutes=110)
    # The authorize URL names the client TikTok's way, scopes comma separated, and no PKCE (web app).
    url = await start_connect(scope, "tiktok")
    query = parse_qs(urlsplit(url).query)
    assert "client_key" in query and "client_id" not in query and "code_challenge" not in query
    assert urlsplit(url).path.endswith("/tiktok/www/v2/auth/authorize/")
    assert query["scope"] == ["user.info.basic,user.info.profile,user.info.stats,video.list,video.publish"]


async def test_the_emulator_refuses_a_client_id_and_answers_token_errors_with_200(tiktok):
    scope, cid, emulators = tiktok
    url = await start_connect(scope, "tiktok")
    async with httpx.AsyncClient(timeout=10) as http:
        page = await http.get(url.replace("client_key=", "client_id="))
        assert page.status_code == 400 and "client_key is missing" in page.text
        bad = await http.post(f"{emulators.base}/tiktok/open/v2/oauth/token/",
                              data={"client_key": "dreamsuite-demo-tiktok", "client_secret": "demo-secret-tiktok",
                                    "grant_type": "authorization_code", "code": "nope", "redirect_uri": "x"})
    assert bad.status_code == 200 and bad.json()["error"] == "invalid_grant" and bad.json()["log_id"]


async def test_first_collect_writes_todays_numbers_and_every_video(tiktok):
    scope, cid, emulators = tiktok
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    [day] = _rows(DailyMetric, cid)
    expected = _story_videos(emulators, cid, datetime.now(UTC))
    assert day.follower_count > 10_000 and day.content_count == len(expected)
    assert day.metrics["likes_count"] == sum(v["like_count"] for v in expected) and day.metrics["following_count"] > 0
    posts = {p.platform_post_id: p for p in _rows(ContentPost, cid)}
    assert set(posts) == {v["id"] for v in expected} and len(posts) > 100
    sample = expected[0]
    post = posts[sample["id"]]
    assert (post.views, post.likes, post.comments, post.shares) == (
        sample["view_count"], sample["like_count"], sample["comment_count"], sample["share_count"])
    assert post.url == sample["share_url"] and post.caption == sample["video_description"] and post.hashtags
    assert post.details["duration"] == sample["duration"] and "not_given" not in post.details
    assert post.posted_at.replace(tzinfo=UTC).timestamp() == sample["create_time"]
    # No comment texts and no demographics in the Display API: declared, not invented.
    assert result["counts"]["comments"] == 0 and "audience" not in result["counts"]
    assert {"comment_texts", "audience"} <= set(get_adapter("tiktok").unavailable_metrics)


async def test_collecting_again_writes_nothing_and_a_later_days_video_arrives(tiktok, monkeypatch):
    scope, cid, emulators = tiktok
    await sync.collect_connection(cid)
    again = await sync.collect_connection(cid)
    assert again["status"] == "success" and again["counts"] == {"daily_metrics": 0, "posts": 0, "comments": 0}
    assert again["since"] is not None  # incremental: from the last sync on
    # The next day on which the story has a video (the emulator's clock moves, ours does not).
    now = datetime.now(UTC)
    known = {p.platform_post_id for p in _rows(ContentPost, cid)}
    shift = next(d for d in range(1, 15) if {v["id"] for v in _story_videos(emulators, cid, now + timedelta(days=d))}
                 - known)
    later = now + timedelta(days=shift)
    monkeypatch.setattr(emulated.TikTokEmulator, "now", lambda self: later)
    pages: list[dict] = []
    real = tiktok_module.TikTokAdapter.send

    async def recorded(self, client, method, url, *args, **kwargs):
        if url.endswith("/v2/video/list/"):
            pages.append(kwargs.get("json") or {})
        return await real(self, client, method, url, *args, **kwargs)

    monkeypatch.setattr(tiktok_module.TikTokAdapter, "send", recorded)
    result = await sync.collect_connection(cid)
    new = {v["id"] for v in _story_videos(emulators, cid, later)} - known
    assert result["status"] == "success" and result["counts"]["posts"] == len(new) >= 1
    assert new <= {p.platform_post_id for p in _rows(ContentPost, cid)}
    # Only the re-read window was paged: newest first, stopping once past it.
    assert 1 <= len(pages) <= 3 and "cursor" not in pages[0]


async def test_video_pages_are_followed_to_the_end(tiktok, monkeypatch):
    scope, cid, emulators = tiktok
    monkeypatch.setattr(tiktok_module, "PAGE_SIZE", 7)
    asked: list[dict] = []
    answered: list[dict] = []
    real = tiktok_module.TikTokAdapter.request_json

    async def recorded(self, client, method, url, *args, **kwargs):
        body = await real(self, client, method, url, *args, **kwargs)
        if url.endswith("/v2/video/list/"):
            asked.append(kwargs["json"])
            answered.append(body["data"])
        return body

    monkeypatch.setattr(tiktok_module.TikTokAdapter, "request_json", recorded)
    await sync.collect_connection(cid)
    videos = _story_videos(emulators, cid, datetime.now(UTC))
    assert len(asked) == -(-len(videos) // 7) >= 10 and all(a["max_count"] == 7 for a in asked)
    # Each page asks from where the previous one ended; the last one said there was no more.
    assert [a.get("cursor") for a in asked] == [None] + [p["cursor"] for p in answered[:-1]]
    assert all(p["has_more"] for p in answered[:-1]) and not answered[-1]["has_more"]
    assert len(_rows(ContentPost, cid)) == len(videos)


async def test_an_account_without_videos(tiktok, monkeypatch):
    scope, cid, emulators = tiktok
    monkeypatch.setattr(emulated.TikTokEmulator, "_videos", lambda self, account: [])
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"]["posts"] == 0
    [day] = _rows(DailyMetric, cid)
    assert day.content_count == 0 and day.metrics["likes_count"] == 0 and day.follower_count > 0


async def test_missing_optional_fields_are_stored_as_missing_not_as_zero(tiktok, monkeypatch):
    scope, cid, emulators = tiktok
    real_video, real_user = emulated.TikTokEmulator._story_video, emulated.TikTokEmulator._user

    def sparse_video(self, account, post):
        video = real_video(self, account, post)
        for field in ("view_count", "share_count", "video_description", "duration"):
            video.pop(field)
        return video

    def no_stats(self, account):
        user = real_user(self, account)
        user.pop("follower_count")
        return user

    monkeypatch.setattr(emulated.TikTokEmulator, "_story_video", sparse_video)
    monkeypatch.setattr(emulated.TikTokEmulator, "_user", no_stats)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and _rows(DailyMetric, cid) == []  # no follower count: no day
    posts = _rows(ContentPost, cid)
    assert posts and all(p.details["not_given"] == ["shares", "views"] for p in posts)
    assert all("duration" not in p.details and p.caption == p.details["title"] for p in posts)
    assert any(p.likes > 0 for p in posts)  # what was given is stored


async def test_rate_limit_waits_tiktoks_one_minute_window(tiktok):
    scope, cid, emulators = tiktok
    await emulators.control("tiktok", "fail", status=429, times=1, path="/open/v2/video/list/")
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 60 and "rate_limit_exceeded" in info.value.message
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_the_emulators_own_limit_bites_with_a_429(db, redis_url, emulators):
    _, _, scope = make_workspace("busy@example.com")
    cid = await connect_platform(scope, "tiktok", "Busy Artist")
    await emulators.control("tiktok", "limit", calls=1, window=60)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 60 and info.value.status == 429


async def test_errors_inside_a_200_are_still_errors(tiktok):
    scope, cid, emulators = tiktok
    envelope = '{"data": {}, "error": {"code": "%s", "message": "%s", "log_id": "20261101"}}'
    await emulators.control("tiktok", "fail", status=200, times=1, path="/open/v2/video/list/",
                            body=envelope % ("rate_limit_exceeded", "slow down"))
    with pytest.raises(RateLimited, match="slow down"):
        await sync.collect_connection(cid)
    await emulators.control("tiktok", "fail", status=200, times=1, path="/open/v2/video/list/",
                            body=envelope % ("invalid_params", "max_count is invalid"))
    result = await sync.collect_connection(cid)
    assert result["status"] == "failed" and "invalid_params: max_count is invalid" in result["error"]
    assert _rows(ContentPost, cid) == []


async def test_an_expired_token_is_refreshed_once_and_the_refresh_token_rotates(tiktok):
    scope, cid, emulators = tiktok
    before = _connection(cid)
    await emulators.control("tiktok", "fail", status=401, times=1, path="/open/v2/user/info/")
    result = await sync.collect_connection(cid)
    assert result["status"] == "success"
    after = _connection(cid)
    assert after.access_token_enc != before.access_token_enc and after.status == "active"
    assert after.refresh_token_enc != before.refresh_token_enc  # TikTok hands out a new refresh token
    # The new one works for the next refresh (the spent one would not).
    await emulators.control("tiktok", "fail", status=200, times=1, path="/open/v2/user/info/",
                            body='{"data": {}, "error": {"code": "access_token_invalid", "message": "expired"}}')
    assert (await sync.collect_connection(cid))["status"] == "success"
    assert _connection(cid).status == "active"


async def test_a_refused_refresh_marks_the_connection_expired(tiktok):
    scope, cid, emulators = tiktok
    token = await tokens.access_token(cid)
    async with httpx.AsyncClient() as http:  # the refresh token is spent elsewhere first
        from dreamsuite import crypto
        from dreamsuite.settings import demo_client

        key, secret = demo_client("tiktok")
        spent = await http.post(f"{emulators.base}/tiktok/open/v2/oauth/token/", data={
            "client_key": key, "client_secret": secret, "grant_type": "refresh_token",
            "refresh_token": crypto.decrypt(_connection(cid).refresh_token_enc)})
    fresh = spent.json()
    assert spent.status_code == 200 and fresh["access_token"] != token and fresh["token_type"] == "Bearer"
    assert fresh["open_id"] == _connection(cid).platform_user_id and fresh["refresh_expires_in"] == 180 * 86400
    assert fresh["expires_in"] == 7200 and fresh["scope"].split(",")[0] == "user.info.basic"
    await emulators.control("tiktok", "fail", status=401, times=1, path="/open/v2/user/info/")
    result = await sync.collect_connection(cid)
    assert result["status"] == "expired" and "invalid_grant" in result["error"]
    assert _connection(cid).status == "expired"


async def test_server_errors_are_transient_and_write_nothing(tiktok):
    scope, cid, emulators = tiktok
    await emulators.control("tiktok", "fail", status=503, times=1, path="/open/v2/video/list/")
    with pytest.raises(TransientError, match="internal_error"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_a_malformed_body_is_a_clear_error_and_nothing_is_half_written(tiktok):
    scope, cid, emulators = tiktok
    await emulators.control("tiktok", "fail", status=200, times=1, path="/open/v2/video/list/",
                            body='{"data": {"videos": [')
    with pytest.raises(Malformed, match="not JSON"):
        await sync.collect_connection(cid)
    await emulators.control("tiktok", "fail", status=200, times=1, path="/open/v2/video/list/",
                            body='{"data": {"videos": [{"title": "no id"}], "has_more": false}, '
                                 '"error": {"code": "ok", "message": ""}}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_a_scope_left_out_on_tiktoks_consent_is_named(db, redis_url, emulators, monkeypatch):
    adapter_cls = tiktok_module.TikTokAdapter
    real = adapter_cls.oauth_config

    def without(self):
        cfg = real(self)
        cfg.scopes = [s for s in cfg.scopes if s not in ("video.list", "user.info.profile", "video.publish")]
        return cfg

    monkeypatch.setattr(adapter_cls, "oauth_config", without)
    _, _, scope = make_workspace("shy@example.com")
    cid = await connect_platform(scope, "tiktok", "Shy Artist")
    conn = _connection(cid)  # connected on the basic profile alone
    assert conn.display_name == conn.username == "Shy Artist" and "profile_deep_link" not in conn.details
    result = await sync.collect_connection(cid)  # scope_not_authorized comes as a 401: not an expired token
    # Not an expired token: the card says the sync failed, with the reason, until one succeeds.
    assert result["status"] == "failed" and "video.list" in result["error"]
    assert (_connection(cid).status, _connection(cid).last_error) == ("error", result["error"])
    async with httpx.AsyncClient() as client:
        with pytest.raises(PermissionMissing) as info:
            await get_adapter("tiktok").collect(client, await tokens.access_token(cid),
                                                account=AccountRef(conn.platform_user_id, conn.username))
        with pytest.raises(PermissionMissing) as posting:
            await get_adapter("tiktok").publish(client, await tokens.access_token(cid),
                                                PublishRequest("Hi", [{"url": "https://media.example.com/e.mp4"}]),
                                                AccountRef(conn.platform_user_id, conn.username))
    assert info.value.scope == "video.list" and info.value.status == 401 and posting.value.scope == "video.publish"
    assert _rows(ContentPost, cid) == [] and _published(emulators, cid) == []


# ------------------------------------------------------------------ publishing
async def _scheduled(scope, cid: int, text: str, media: list[dict]) -> int:
    return due_post(scope, cid, text, media)


def _published(emulators, cid: int) -> list[dict]:
    return emulators.store.posts("tiktok", _connection(cid).platform_user_id)


async def test_a_video_is_posted_once_and_shows_up_in_the_next_collect(tiktok):
    scope, cid, emulators = tiktok
    dest_id = await _scheduled(scope, cid, "Studio diary #newmusic", [{"url": "https://media.example.com/a.mp4"}])
    assert await publish.publish_destination(dest_id) == "published"
    assert await publish.publish_destination(dest_id) == "skipped"  # the job ran twice: one post
    [video] = _published(emulators, cid)
    with dbmod.session() as s:
        dest = s.get(PostDestination, dest_id)
    assert dest.platform_post_id == video["id"] and dest.platform_url == video["share_url"]
    assert video["title"] == "Studio diary #newmusic"
    await sync.collect_connection(cid)
    stored = {p.platform_post_id: p for p in _rows(ContentPost, cid)}
    assert stored[video["id"]].caption == "Studio diary #newmusic" and stored[video["id"]].hashtags == ["newmusic"]


async def test_a_lost_answer_after_init_is_unconfirmed_and_never_resent(tiktok):
    scope, cid, emulators = tiktok
    dest_id = await _scheduled(scope, cid, "Lost answer", [{"url": "https://media.example.com/b.mp4"}])
    await emulators.control("tiktok", "hang", seconds=3, times=1, path="/open/v2/post/publish/video/init/",
                            after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await publish.publish_destination(dest_id, client=client) == "unconfirmed"
        assert await publish.publish_destination(dest_id, client=client) == "skipped"
    assert len(_published(emulators, cid)) == 1  # it was in fact posted, once


async def test_the_adapter_reports_an_unknown_outcome_and_a_failed_pull(tiktok):
    scope, cid, emulators = tiktok
    conn = _connection(cid)
    account = AccountRef(conn.platform_user_id, conn.username, dict(conn.details))
    adapter, token = get_adapter("tiktok"), await tokens.access_token(cid)
    await emulators.control("tiktok", "hang", seconds=3, times=1, path="/open/v2/post/publish/video/init/",
                            after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        with pytest.raises(OutcomeUnknown):
            await adapter.publish(client, token, PublishRequest("Hang", [{"url": "https://media.example.com/c.mp4"}]),
                                  account)
        # A video TikTok cannot fetch fails after the init, with TikTok's reason; nothing is posted.
        with pytest.raises(PermanentError, match="video_pull_failed"):
            await adapter.publish(client, token, PublishRequest("Gone", [{"url": "https://nowhere.invalid/d.mp4"}]),
                                  account)
        with pytest.raises(PermanentError, match="need a video"):
            await adapter.publish(client, token, PublishRequest("Just words"), account)
    assert [v["title"] for v in _published(emulators, cid)] == ["Hang"]


async def test_a_local_file_is_uploaded_in_chunks(tiktok, tmp_path, monkeypatch):
    scope, cid, emulators = tiktok
    monkeypatch.setattr(tiktok_module, "SINGLE_CHUNK_MAX", 10)
    monkeypatch.setattr(tiktok_module, "CHUNK", 10)
    video = tmp_path / "clip.mp4"
    video.write_bytes(bytes(range(25)))  # two chunks: 10 bytes, then the last 15
    ranges: list[str] = []
    real = tiktok_module.TikTokAdapter.send

    async def recorded(self, client, method, url, *args, **kwargs):
        if method == "PUT":
            ranges.append(kwargs["headers"]["Content-Range"])
        return await real(self, client, method, url, *args, **kwargs)

    monkeypatch.setattr(tiktok_module.TikTokAdapter, "send", recorded)
    conn = _connection(cid)
    async with httpx.AsyncClient(timeout=10) as client:
        result = await get_adapter("tiktok").publish(
            client, await tokens.access_token(cid), PublishRequest("From a file", [{"path": str(video)}]),
            AccountRef(conn.platform_user_id, conn.username, dict(conn.details)))
    assert ranges == ["bytes 0-9/25", "bytes 10-24/25"]
    [posted] = _published(emulators, cid)
    assert result.platform_post_id == posted["id"] and result.url.endswith(f"/video/{posted['id']}")


async def test_disconnecting_revokes_the_grant_at_tiktok(tiktok):
    from dreamsuite import crypto
    from dreamsuite.services import connections

    scope, cid, emulators = tiktok
    conn = _connection(cid)
    access, refresh = crypto.decrypt(conn.access_token_enc), crypto.decrypt(conn.refresh_token_enc)
    assert await connections.disconnect(scope, cid) is True
    assert _connection(cid).status == "revoked"
    base = f"{emulators.base}/tiktok/open"
    async with httpx.AsyncClient(timeout=10) as http:
        me = await http.get(f"{base}/v2/user/info/", params={"fields": "open_id"},
                            headers={"Authorization": f"Bearer {access}"})
        again = await http.post(f"{base}/v2/oauth/token/", data={
            "client_key": "dreamsuite-demo-tiktok", "client_secret": "demo-secret-tiktok",
            "grant_type": "refresh_token", "refresh_token": refresh})
        # Revoking what is already revoked is not an error on our side: nothing is left to withdraw.
        twice = await get_adapter("tiktok").revoke(http, access, AccountRef(conn.platform_user_id))
    assert me.status_code == 401 and me.json()["error"]["code"] == "access_token_invalid"
    assert again.json()["error"] == "invalid_grant" and twice is False
