"""X end to end through real HTTP against its emulator: OAuth 2.0 with PKCE (Basic auth, rotating
refresh tokens), the user, their posts and the replies of the last week, posting with media, the
x-rate-limit-* headers holding the rate gate, and every way the API answers badly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import Comment, ContentPost, DailyMetric, PlatformConnection, PostDestination
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms import x as x_module
from dreamsuite.platforms.base import (
    AccountRef, Malformed, OutcomeUnknown, PermanentError, PermissionMissing, PublishRequest, RateLimited,
    TransientError,
)
from dreamsuite.platforms.emulators import x as emulated
from dreamsuite.platforms.emulators.x_shapes import parse_time
from dreamsuite.services import publish, sync
from dreamsuite.services.connect import start_connect
from tests.helpers import make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
async def x(db, redis_url, emulators, monkeypatch):
    monkeypatch.setattr(x_module, "POLL_SECONDS", 0.0)
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "x", "Nova Lane")
    return scope, cid, emulators


def _connection(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _rows(model, cid: int):
    with dbmod.session() as s:
        if model is Comment:
            ids = [p.id for p in s.exec(select(ContentPost).where(ContentPost.connection_id == cid)).all()]
            return s.exec(select(Comment).where(Comment.post_id.in_(ids))).all()
        return s.exec(select(model).where(model.connection_id == cid)).all()


def _account(emulators, cid: int):
    return emulators.store.account("x", _connection(cid).platform_user_id)


async def test_connect_with_pkce_and_basic_auth(x):
    scope, cid, emulators = x
    conn = _connection(cid)
    assert conn.status == "active" and conn.username == "nova_lane" and conn.display_name == "Nova Lane"
    assert conn.platform_user_id.isdigit() and conn.details["subscription_type"] == "None"
    assert set(conn.scopes.split()) == {"tweet.read", "users.read", "tweet.write", "media.write",
                                           "tweet.moderate.write", "offline.access"}
    url = await start_connect(scope, "x")
    query = parse_qs(urlsplit(url).query)
    assert urlsplit(url).path.endswith("/x/web/i/oauth2/authorize")
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["dreamsuite-demo-x"]


async def test_first_collect_writes_followers_posts_and_recent_replies(x):
    scope, cid, emulators = x
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    [day] = _rows(DailyMetric, cid)
    emulator, account = emulators["x"], _account(emulators, cid)
    user = emulator._user(account)
    assert day.follower_count == user["public_metrics"]["followers_count"] > 1000
    assert day.content_count == user["public_metrics"]["tweet_count"] and day.metrics["listed_count"] > 0
    posts = {p.platform_post_id: p for p in _rows(ContentPost, cid)}
    timeline = emulator._timeline(account, with_replies=False)
    assert set(posts) == {t["id"] for t in timeline} and len(posts) > 200
    video = next(t for t in timeline if t.get("attachments"))
    stored = posts[video["id"]]
    assert stored.post_type == "video" and stored.impressions == video["public_metrics"]["impression_count"]
    assert stored.likes == video["public_metrics"]["like_count"] and stored.shares == video["public_metrics"][
        "retweet_count"]
    assert stored.url == f"https://x.com/nova_lane/status/{video['id']}" and stored.hashtags
    assert {p.post_type for p in posts.values()} == {"post", "video"}
    # Replies of the last seven days hang on their posts; the artist's answers on the fan's reply.
    now, week = datetime.now(UTC), timedelta(days=7)
    replies = {r["id"]: parse_time(r["created_at"]) for r in emulator._replies_of(account, now)}
    comments = {c.platform_comment_id: c for c in _rows(Comment, cid)}
    # Search reaches back seven days (give or take the moments between its answer and now).
    inside = {i for i, when in replies.items() if when > now - week + timedelta(minutes=1)}
    reachable = {i for i, when in replies.items() if when > now - week - timedelta(minutes=1)}
    assert inside and inside <= set(comments) <= reachable
    answers = [c for c in comments.values() if c.parent_platform_id]
    fans = [c for c in comments.values() if not c.parent_platform_id]
    assert fans and all(c.author != "nova_lane" and c.text.startswith("@nova_lane ") for c in fans)
    # An answer hangs on its fan's reply, unless that reply is older than search reaches (a fan
    # wrote eight days ago, the artist answered six days ago): then the fan's reply is not collected.
    assert all(c.author == "nova_lane" and (c.parent_platform_id in comments or (
        c.parent_platform_id in replies and replies[c.parent_platform_id] <= now - week + timedelta(minutes=1)))
        for c in answers)
    assert any(c.parent_platform_id in comments for c in answers)


async def test_collecting_again_writes_nothing_and_a_later_days_post_arrives(x, monkeypatch):
    scope, cid, emulators = x
    await sync.collect_connection(cid)
    again = await sync.collect_connection(cid)
    assert again["status"] == "success" and again["counts"] == {"daily_metrics": 0, "posts": 0, "comments": 0}
    emulator, account = emulators["x"], _account(emulators, cid)
    known = {p.platform_post_id for p in _rows(ContentPost, cid)}
    now = datetime.now(UTC)

    def timeline_at(moment):
        monkeypatch.setattr(emulated.XEmulator, "now", lambda self: moment)
        return {t["id"] for t in emulator._timeline(account, with_replies=False)}

    shift = next(d for d in range(1, 6) if timeline_at(now + timedelta(days=d)) - known)
    later = now + timedelta(days=shift)
    new = timeline_at(later) - known
    asked: list[dict] = []
    real = x_module.XAdapter.send

    async def recorded(self, client, method, url, *args, **kwargs):
        asked.append({"url": url, **(kwargs.get("params") or {})})
        return await real(self, client, method, url, *args, **kwargs)

    monkeypatch.setattr(x_module.XAdapter, "send", recorded)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"]["posts"] >= len(new) >= 1
    assert new <= {p.platform_post_id for p in _rows(ContentPost, cid)}
    # X's own filters: the timeline from a week before the last sync, replies since the last sync.
    timeline = next(a for a in asked if a["url"].endswith("/tweets"))
    search = next(a for a in asked if a["url"].endswith("/search/recent"))
    last = datetime.fromisoformat(again["since"])
    assert timeline["start_time"] == (last - timedelta(days=7)).strftime("%Y-%m-%dT00:00:00Z")
    assert search["start_time"] == last.strftime("%Y-%m-%dT00:00:00Z")


async def test_a_long_gap_asks_recent_search_for_its_seven_days_only(x):
    scope, cid, emulators = x
    with dbmod.session() as s:
        conn = s.get(PlatformConnection, cid)
        conn.last_synced_at = datetime.now(UTC) - timedelta(days=12)
        s.add(conn)
    result = await sync.collect_connection(cid)  # an older start_time would be refused with a 400
    assert result["status"] == "success" and result["counts"]["comments"] > 0


async def test_post_and_reply_pages_are_followed_to_the_end(x, monkeypatch):
    scope, cid, emulators = x
    monkeypatch.setattr(x_module, "PAGE_SIZE", 10)
    calls: dict[str, list] = {"/tweets": [], "/search/recent": []}
    real = x_module.XAdapter.request_json

    async def recorded(self, client, method, url, *args, **kwargs):
        body = await real(self, client, method, url, *args, **kwargs)
        for suffix, seen in calls.items():
            if url.endswith(suffix):
                seen.append((kwargs["params"], body["meta"]))
        return body

    monkeypatch.setattr(x_module.XAdapter, "request_json", recorded)
    await sync.collect_connection(cid)
    posts, replies = calls["/tweets"], calls["/search/recent"]
    emulator, account = emulators["x"], _account(emulators, cid)
    assert len(posts) == -(-len(emulator._timeline(account, with_replies=False)) // 10) >= 20
    assert len(replies) >= 2
    for pages, name in ((posts, "pagination_token"), (replies, "next_token")):
        assert [p.get(name) for p, _ in pages] == [None] + [m["next_token"] for _, m in pages[:-1]]
        assert "next_token" not in pages[-1][1] and all(p["max_results"] == 10 for p, _ in pages)
    assert len(_rows(ContentPost, cid)) == sum(m["result_count"] for _, m in posts)


async def test_an_account_without_posts_or_replies(x, monkeypatch):
    scope, cid, emulators = x
    monkeypatch.setattr(emulated.XEmulator, "_timeline", lambda self, account, with_replies: [])
    monkeypatch.setattr(emulated.XEmulator, "_replies_of", lambda self, account, now: [])
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"]["posts"] == result["counts"]["comments"] == 0
    [day] = _rows(DailyMetric, cid)
    assert day.content_count == 0 and day.follower_count > 0


async def test_missing_optional_fields_are_stored_as_missing_not_as_zero(x, monkeypatch):
    scope, cid, emulators = x
    real_post, real_user = emulated.XEmulator._story_post, emulated.XEmulator._user

    def sparse(self, account, p):
        tweet = real_post(self, account, p)
        for field in ("impression_count", "bookmark_count"):
            tweet["public_metrics"].pop(field)
        tweet.pop("entities")
        return tweet

    def no_metrics(self, account):
        user = real_user(self, account)
        user.pop("public_metrics")
        return user

    monkeypatch.setattr(emulated.XEmulator, "_story_post", sparse)
    monkeypatch.setattr(emulated.XEmulator, "_user", no_metrics)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and _rows(DailyMetric, cid) == []
    posts = _rows(ContentPost, cid)
    assert posts and all(p.details["not_given"] == ["impressions", "saves"] and p.hashtags == [] for p in posts)
    assert any(p.likes > 0 for p in posts)


async def test_a_429_waits_until_xs_reset_time(x):
    scope, cid, emulators = x
    await emulators.control("x", "fail", status=429, times=1, path="/api/2/users/", retry_after=7)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert 6 <= info.value.retry_after <= 8 and "Too Many Requests" in info.value.message
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_the_rate_limit_headers_make_the_gate_wait_before_a_429(x, monkeypatch):
    scope, cid, emulators = x
    served: list[int] = []
    real = emulated.XEmulator.rate_limited
    monkeypatch.setattr(emulated.XEmulator, "rate_limited", lambda self, s: served.append(s) or real(self, s))
    emulator = emulators["x"]
    await emulators.control("x", "limit", calls=2, window=60)
    with pytest.raises(RateLimited) as info:  # users/me, then a page: x-rate-limit-remaining 0
        await sync.collect_connection(cid)
    assert "Waiting for x's rate limit to reset" in info.value.message and 55 <= info.value.retry_after <= 61
    assert sum(len(c) for c in emulator._calls.values()) == 2 and served == []  # X never had to say 429
    with pytest.raises(RateLimited):  # the next collect waits too, without calling X
        await sync.collect_connection(cid)
    assert sum(len(c) for c in emulator._calls.values()) == 2 and served == []
    assert _rows(ContentPost, cid) == []


async def test_an_expired_token_is_refreshed_once_and_the_refresh_token_rotates(x):
    scope, cid, emulators = x
    before = _connection(cid)
    await emulators.control("x", "fail", status=401, times=1, path="/api/2/users/me")
    result = await sync.collect_connection(cid)
    assert result["status"] == "success"
    after = _connection(cid)
    assert after.access_token_enc != before.access_token_enc and after.refresh_token_enc != before.refresh_token_enc
    await emulators.control("x", "fail", status=401, times=1, path="/api/2/tweets/search/recent")
    assert (await sync.collect_connection(cid))["status"] == "success"
    assert _connection(cid).status == "active"


async def test_without_offline_access_there_is_no_refresh_token(db, redis_url, emulators, monkeypatch):
    from dreamsuite import crypto

    real = x_module.XAdapter.oauth_config

    def online_only(self):
        cfg = real(self)
        cfg.scopes = [s for s in cfg.scopes if s != "offline.access"]
        return cfg

    monkeypatch.setattr(x_module.XAdapter, "oauth_config", online_only)
    _, _, scope = make_workspace("brief@example.com")
    cid = await connect_platform(scope, "x", "Brief Artist")
    assert crypto.decrypt(_connection(cid).refresh_token_enc) == ""
    await emulators.control("x", "fail", status=401, times=1, path="/api/2/users/me")
    result = await sync.collect_connection(cid)
    assert result["status"] == "expired" and _connection(cid).status == "expired"


async def test_server_errors_are_transient_and_write_nothing(x):
    scope, cid, emulators = x
    await emulators.control("x", "fail", status=503, times=1, path="/api/2/tweets/search/recent")
    with pytest.raises(TransientError, match="server error 503"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_a_malformed_body_is_a_clear_error_and_nothing_is_half_written(x):
    scope, cid, emulators = x
    uid = _connection(cid).platform_user_id
    await emulators.control("x", "fail", status=200, times=1, path=f"/api/2/users/{uid}/tweets", body='{"data": [')
    with pytest.raises(Malformed, match="not JSON"):
        await sync.collect_connection(cid)
    await emulators.control("x", "fail", status=200, times=1, path=f"/api/2/users/{uid}/tweets",
                            body='{"data": [{"id": "1", "text": "no date"}], "meta": {"result_count": 1}}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_not_found_inside_a_200_is_an_error(x):
    scope, cid, emulators = x
    conn = _connection(cid)
    async with httpx.AsyncClient() as client:
        from dreamsuite.services import tokens

        with pytest.raises(PermanentError, match="Could not find user with id: \\[42\\]"):
            await get_adapter("x").collect(client, await tokens.access_token(cid), account=AccountRef("42", "ghost"))
    assert conn.status == "active"


async def test_a_missing_scope_is_named_when_posting(db, redis_url, emulators, monkeypatch):
    real = x_module.XAdapter.oauth_config

    def read_only(self):
        cfg = real(self)
        cfg.scopes = [s for s in cfg.scopes if s != "tweet.write"]
        return cfg

    monkeypatch.setattr(x_module.XAdapter, "oauth_config", read_only)
    _, _, scope = make_workspace("reader@example.com")
    cid = await connect_platform(scope, "x", "Quiet Reader")
    assert (await sync.collect_connection(cid))["status"] == "success"  # reading needs no more
    dest_id = await _scheduled(scope, cid, "Can I post?")
    assert await publish.publish_destination(dest_id) == "failed"
    with dbmod.session() as s:
        dest = s.get(PostDestination, dest_id)
    assert "tweet.write" in dest.error and emulators.store.posts("x", _connection(cid).platform_user_id) == []
    conn = _connection(cid)
    async with httpx.AsyncClient() as client:
        from dreamsuite.services import tokens

        with pytest.raises(PermissionMissing) as info:
            await get_adapter("x").publish(client, await tokens.access_token(cid), PublishRequest("Again?"),
                                           AccountRef(conn.platform_user_id, conn.username))
    assert info.value.scope == "tweet.read tweet.write users.read" and info.value.status == 403
    # Other refusals say what they are: they are not a permission to grant.
    await emulators.control("x", "fail", status=403, times=1, path="/api/2/tweets", body=(
        '{"title": "Forbidden", "type": "about:blank", "status": 403, '
        '"detail": "You are not permitted to perform this action."}'))
    async with httpx.AsyncClient() as client:
        with pytest.raises(PermanentError, match="not permitted") as refused:
            await get_adapter("x").publish(client, await tokens.access_token(cid), PublishRequest("Now?"),
                                           AccountRef(conn.platform_user_id, conn.username))
    assert not isinstance(refused.value, PermissionMissing)


# ------------------------------------------------------------------ publishing
async def _scheduled(scope, cid: int, text: str, media: list[dict] | None = None) -> int:
    from dreamsuite.models import ScheduledPost

    post = await publish.schedule_post(scope, text, [cid], datetime.now(UTC).replace(tzinfo=None), "UTC")
    with dbmod.session() as s:
        if media:
            row = s.get(ScheduledPost, post.id)
            row.media = media
            s.add(row)
        return s.exec(select(PostDestination).where(PostDestination.post_id == post.id)).one().id


def _published(emulators, cid: int) -> list[dict]:
    return emulators.store.posts("x", _connection(cid).platform_user_id)


async def test_a_post_is_sent_once_and_shows_up_in_the_next_collect(x):
    scope, cid, emulators = x
    dest_id = await _scheduled(scope, cid, "Out Friday #newmusic")
    assert await publish.publish_destination(dest_id) == "published"
    assert await publish.publish_destination(dest_id) == "skipped"
    [tweet] = _published(emulators, cid)
    with dbmod.session() as s:
        dest = s.get(PostDestination, dest_id)
    assert dest.platform_post_id == tweet["id"] and dest.platform_url == f"https://x.com/nova_lane/status/{tweet['id']}"
    await sync.collect_connection(cid)
    stored = {p.platform_post_id: p for p in _rows(ContentPost, cid)}
    assert stored[tweet["id"]].caption == "Out Friday #newmusic" and stored[tweet["id"]].post_type == "post"


async def test_media_go_through_the_v2_upload_and_are_attached(x, tmp_path, monkeypatch):
    scope, cid, emulators = x
    monkeypatch.setattr(x_module, "MEDIA_CHUNK", 8)
    image, video = tmp_path / "cover.png", tmp_path / "teaser.mp4"
    image.write_bytes(b"\x89PNG" + bytes(10))
    video.write_bytes(bytes(20))
    segments: list[str] = []
    real = x_module.XAdapter.request_json

    async def recorded(self, client, method, url, *args, **kwargs):
        if url.endswith("/append"):
            segments.append(kwargs["data"]["segment_index"])
        return await real(self, client, method, url, *args, **kwargs)

    monkeypatch.setattr(x_module.XAdapter, "request_json", recorded)
    dest_id = await _scheduled(scope, cid, "Teaser", [{"path": str(image)}, {"path": str(video)}])
    assert await publish.publish_destination(dest_id) == "published"
    assert segments == ["0", "1", "0", "1", "2"]  # 14 bytes in two segments, 20 in three
    [tweet] = _published(emulators, cid)
    assert [m["type"] for m in tweet["_media"]] == ["photo", "video"]
    await sync.collect_connection(cid)
    stored = {p.platform_post_id: p for p in _rows(ContentPost, cid)}
    assert stored[tweet["id"]].post_type == "video" and stored[tweet["id"]].details["media"] == ["photo", "video"]


async def test_a_lost_answer_is_unconfirmed_and_a_replay_finds_the_post_already_made(x):
    scope, cid, emulators = x
    dest_id = await _scheduled(scope, cid, "Lost answer")
    await emulators.control("x", "hang", seconds=3, times=1, path="/api/2/tweets", after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await publish.publish_destination(dest_id, client=client) == "unconfirmed"
        assert await publish.publish_destination(dest_id, client=client) == "skipped"
    [tweet] = _published(emulators, cid)
    # Sending the same post again (by hand, or a replay of the adapter) is refused by X as a
    # duplicate: the adapter answers with the post already made instead of failing or posting twice.
    conn = _connection(cid)
    account = AccountRef(conn.platform_user_id, conn.username)
    async with httpx.AsyncClient(timeout=10) as client:
        from dreamsuite.services import tokens

        token = await tokens.access_token(cid)
        adapter = get_adapter("x")
        again = await adapter.publish(client, token, PublishRequest("Lost answer"), account)
        assert again.platform_post_id == tweet["id"] and len(_published(emulators, cid)) == 1
        await emulators.control("x", "hang", seconds=3, times=1, path="/api/2/tweets", after_effect=True)
        async with httpx.AsyncClient(timeout=1.0) as impatient:
            with pytest.raises(OutcomeUnknown):
                await adapter.publish(impatient, token, PublishRequest("Another"), account)
        with pytest.raises(PermanentError, match="too long"):
            await adapter.publish(client, token, PublishRequest("x" * 281), account)
    assert [t["text"] for t in _published(emulators, cid)] == ["Lost answer", "Another"]


async def test_disconnecting_revokes_the_grant_at_x(x):
    from dreamsuite import crypto
    from dreamsuite.services import connections

    scope, cid, emulators = x
    conn = _connection(cid)
    access, refresh = crypto.decrypt(conn.access_token_enc), crypto.decrypt(conn.refresh_token_enc)
    assert await connections.disconnect(scope, cid) is True
    async with httpx.AsyncClient(timeout=10) as http:
        me = await http.get(f"{emulators.base}/x/api/2/users/me", headers={"Authorization": f"Bearer {access}"})
        again = await http.post(f"{emulators.base}/x/api/2/oauth2/token", auth=("dreamsuite-demo-x", "demo-secret-x"),
                                data={"grant_type": "refresh_token", "refresh_token": refresh})
    assert me.status_code == 401 and me.json()["title"] == "Unauthorized"
    assert again.status_code == 400 and again.json()["error"] == "invalid_request"
    assert _connection(cid).status == "revoked"
