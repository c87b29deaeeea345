"""YouTube end to end through real HTTP against its emulator: Google OAuth (offline access, no
refresh-token rotation), the channel, uploads, comments and Analytics collected, quota units
counted per call, resumable uploads, and every way Google's APIs answer badly."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

import httpx
import pytest
from sqlmodel import select

from dreamsuite import crypto, db as dbmod
from dreamsuite.models import AudienceSnapshot, Comment, ContentPost, DailyMetric, PlatformConnection, PostDestination
from dreamsuite.platforms import get_adapter
from dreamsuite.platforms import youtube as yt
from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, Malformed, PermanentError, PermissionMissing, PublishRequest,
    RateLimited, TransientError,
)
from dreamsuite.platforms.emulators.consent import approve
from dreamsuite.platforms.emulators.youtube_data import ANALYTICS_LAG_DAYS, three_figures
from dreamsuite.services import publish, ratelimits, sync
from dreamsuite.settings import demo_client
from tests.helpers import due_post, make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]


@pytest.fixture
async def youtube(db, redis_url, emulators):
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "youtube", "Nova Lane")
    return scope, cid, emulators


def _connection(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _rows(model, cid: int):
    with dbmod.session() as s:
        if model is Comment:
            posts = select(ContentPost.id).where(ContentPost.connection_id == cid)
            return s.exec(select(Comment).where(Comment.post_id.in_(posts))).all()
        return s.exec(select(model).where(model.connection_id == cid)).all()


def _channel_data(emulators, cid: int):
    """What the emulator holds for the connected channel (to compare with what we stored)."""
    emu = emulators["youtube"]
    [account] = [a for a in emulators.store.accounts("youtube") if a.name == "Nova Lane"]
    return emu._data(account)


def _account(cid: int) -> AccountRef:
    conn = _connection(cid)
    return AccountRef(conn.platform_user_id, conn.username, dict(conn.details))


def _token(cid: int) -> str:
    return crypto.decrypt(_connection(cid).access_token_enc)


# ------------------------------------------------------------------ OAuth
async def test_connect_asks_for_offline_access_and_stores_the_channel(youtube):
    scope, cid, emulators = youtube
    conn = _connection(cid)
    data = _channel_data(emulators, cid)
    assert conn.status == "active" and conn.platform_user_id == data.channel_id and conn.platform_user_id[:2] == "UC"
    assert conn.username == "novalane" and conn.display_name == "Nova Lane"
    assert conn.details["uploads_playlist"] == data.uploads_id
    # access_type=offline + prompt=consent: a refresh token came with the first token.
    assert crypto.decrypt(conn.refresh_token_enc)
    assert set(conn.scopes.split()) == {yt.READ, yt.ANALYTICS, yt.UPLOAD, yt.COMMENT}
    assert get_adapter("youtube").profile_url(conn.username) == "https://www.youtube.com/@novalane"


async def _authorize(emulators, **extra) -> dict:
    """A raw authorization against the emulated Google (as our OAuth client would send it)."""
    cid, secret = demo_client("youtube")
    from dreamsuite.settings import get_settings

    redirect = f"{get_settings().api_url}/oauth/callback/youtube"
    url = f"{emulators.base}/youtube/accounts/o/oauth2/v2/auth?" + urlencode({
        "response_type": "code", "client_id": cid, "redirect_uri": redirect, "scope": yt.READ, "state": "s", **extra})
    params = await approve(url, account_name="Nova Lane")
    async with httpx.AsyncClient(timeout=10) as http:
        tok = await http.post(f"{emulators.base}/youtube/oauth2/token", data={
            "grant_type": "authorization_code", "code": params["code"], "redirect_uri": redirect,
            "client_id": cid, "client_secret": secret})
    assert tok.status_code == 200, tok.text
    return tok.json()


async def test_google_gives_a_refresh_token_only_for_offline_access_and_again_only_with_consent(db, emulators):
    online = await _authorize(emulators)
    assert "refresh_token" not in online and online["token_type"] == "Bearer" and online["expires_in"] == 3599
    first = await _authorize(emulators, access_type="offline")
    assert first.get("refresh_token") is None  # not the first consent any more: Google does not repeat it
    again = await _authorize(emulators, access_type="offline", prompt="consent")
    assert again["refresh_token"] and again["access_token"].startswith("ya29.")


async def test_a_refresh_keeps_the_stored_refresh_token(youtube):
    scope, cid, emulators = youtube
    before = _connection(cid)
    refresh_token = crypto.decrypt(before.refresh_token_enc)
    cid_, secret = demo_client("youtube")
    async with httpx.AsyncClient(timeout=10) as http:
        raw = await http.post(f"{emulators.base}/youtube/oauth2/token", data={
            "grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": cid_, "client_secret": secret})
    assert raw.status_code == 200 and "refresh_token" not in raw.json()  # Google's refresh answer has none
    await emulators.control("youtube", "fail", status=401, times=1, path="/api/youtube/v3/channels")
    result = await sync.collect_connection(cid)
    assert result["status"] == "success"
    after = _connection(cid)
    assert after.access_token_enc != before.access_token_enc and after.status == "active"
    assert crypto.decrypt(after.refresh_token_enc) == refresh_token  # kept, and it still works
    await emulators.control("youtube", "fail", status=401, times=1, path="/api/youtube/v3/channels")
    assert (await sync.collect_connection(cid))["status"] == "success"


# ------------------------------------------------------------------ collect
def _pacific_today():
    from dreamsuite.platforms.youtube_shapes import pacific_today

    return pacific_today()


async def test_first_collect_writes_history_videos_comments_and_audience(youtube):
    scope, cid, emulators = youtube
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    data = _channel_data(emulators, cid)
    story = data.story

    days = sorted(_rows(DailyMetric, cid), key=lambda d: d.date)
    today = days[-1]
    assert today.date == _pacific_today()
    assert today.follower_count == three_figures(story.followers("youtube", data.today))  # rounded, as YouTube
    assert today.content_count == len(data.videos) and today.metrics["total_views"] > 0
    history = [d for d in days if "views" in d.metrics]
    assert history[0].date == story.start and len(history) >= 390
    assert history[-1].date == data.today - timedelta(days=ANALYTICS_LAG_DAYS)
    # Subscribers per day are rebuilt from gained − lost: each step matches Analytics' numbers.
    for before, after in zip(history, history[1:]):
        assert after.follower_count - before.follower_count == \
            after.metrics["subscribersGained"] - after.metrics["subscribersLost"]
    # ...and follow the story's audience (up to YouTube's rounding of today's total).
    some = history[100]
    assert abs(some.follower_count - story.followers("youtube", some.date)) < 0.01 * some.follower_count + 100
    assert all({"views", "estimatedMinutesWatched", "averageViewDuration"} <= set(d.metrics) for d in history)
    # The release week spikes views.
    week = [d.metrics["views"] for d in history if 0 <= (d.date - story.release).days < 7]
    before = [d.metrics["views"] for d in history if -14 <= (d.date - story.release).days < -7]
    assert sum(week) > 1.8 * sum(before)

    posts = {p.platform_post_id: p for p in _rows(ContentPost, cid)}
    assert set(posts) == {v.id for v in data.videos}
    assert {p.post_type for p in posts.values()} == {"video", "short"}
    for v in data.videos:
        p, resource = posts[v.id], data.video(v)
        assert p.views == int(resource["statistics"]["viewCount"]) and p.url.endswith(v.id)
        assert p.details["duration_s"] == v.post.duration_s
        assert (p.post_type == "short") == (v.post.duration_s <= 60) == (v.post.type == "short")
        assert p.hashtags == list(v.post.hashtags) and p.details["title"] and p.details["thumbnail"]

    comments = _rows(Comment, cid)
    expected = sum(len(data.threads(v)) + sum(len(t[2]) for t in data.threads(v)) for v in data.videos
                   if data.comments_enabled(v))
    assert len(comments) == expected > 0
    replies = [c for c in comments if c.parent_platform_id]
    tops = {c.platform_comment_id for c in comments if not c.parent_platform_id}
    assert replies and all(r.parent_platform_id in tops and r.platform_comment_id.startswith(r.parent_platform_id)
                           for r in replies)
    # The channel owner's replies are told apart: by author, and listed on their video.
    owned = [r for r in replies if r.author == "@novalane"]
    assert owned and all(not c.author == "@novalane" for c in comments if not c.parent_platform_id)
    flagged = {i for p in posts.values() for i in p.details.get("owner_comment_ids", [])}
    assert flagged == {r.platform_comment_id for r in owned}

    [audience] = _rows(AudienceSnapshot, cid)
    a = audience.data
    assert set(a) == {"age", "gender", "countries", "traffic_sources", "devices"}
    assert set(a["age"]) == {"13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
    assert set(a["gender"]) == {"F", "M", "U"} and "MOBILE" in a["devices"] and "DE" in a["countries"]
    assert all(abs(sum(v.values()) - 1) < 0.01 for v in a.values())


async def test_collecting_again_writes_nothing_new_and_a_later_days_video_arrives(youtube, monkeypatch):
    scope, cid, emulators = youtube
    first = await sync.collect_connection(cid)
    assert first["status"] == "success" and first["counts"]["posts"] > 0
    again = await sync.collect_connection(cid)
    assert again["status"] == "success" and again["since"] is not None
    assert again["counts"] == {"daily_metrics": 0, "posts": 0, "comments": 0, "audience": 0}

    # Days pass on YouTube until the story's next video is out.
    emu = emulators["youtube"]
    data = _channel_data(emulators, cid)
    later = next(data.today + timedelta(days=n) for n in range(1, 60)
                 if len(data.story.posts("youtube", data.today + timedelta(days=n))) > len(data.videos))
    monkeypatch.setattr(emu, "today", lambda: later)
    new = await sync.collect_connection(cid)
    assert new["status"] == "success" and new["counts"]["posts"] >= 1
    newest = max(_rows(ContentPost, cid), key=lambda p: p.posted_at)
    assert newest.posted_at.date() == later


async def test_a_collects_quota_units_are_counted_per_call(youtube):
    scope, cid, emulators = youtube
    await emulators.control("youtube", "quota", used=0)
    channel_id = _connection(cid).platform_user_id
    await sync.collect_connection(cid)
    data = _channel_data(emulators, cid)
    n = len(data.videos)
    with_comments = sum(1 for v in data.videos if data.comments_enabled(v) and data.threads(v))
    # channels 1 + playlistItems 1 a page + videos 1 a batch of 50 + commentThreads 1 a video; Analytics: none.
    expected = 1 + -(-n // 50) + -(-n // 50) + with_comments
    assert emulators["youtube"].units_used() == expected
    assert await ratelimits.quota_used("youtube", channel_id) == (expected, 10_000)


async def test_the_gate_refuses_before_the_daily_quota_is_exceeded(youtube):
    scope, cid, emulators = youtube
    channel_id = _connection(cid).platform_user_id
    await ratelimits.gate().after("youtube", channel_id, 10_000, None)  # today's units, used elsewhere
    await emulators.control("youtube", "quota", used=0)
    with pytest.raises(RateLimited, match="quota") as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after <= 86400 and emulators["youtube"].units_used() == 0  # nothing was called
    assert _rows(DailyMetric, cid) == []


async def test_youtubes_quota_exceeded_waits_until_midnight_pacific(youtube):
    from dreamsuite.platforms.youtube_shapes import seconds_to_pacific_midnight

    scope, cid, emulators = youtube
    await emulators.control("youtube", "quota", limit=3, used=0)
    with pytest.raises(RateLimited, match="quota") as info:
        await sync.collect_connection(cid)
    assert abs(info.value.retry_after - seconds_to_pacific_midnight()) < 60 and info.value.status == 403
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []
    assert _connection(cid).status == "active"  # not a permission problem
    # The gate now waits for the reset without asking YouTube again.
    used = emulators["youtube"].units_used()
    with pytest.raises(RateLimited):
        await sync.collect_connection(cid)
    assert emulators["youtube"].units_used() == used


async def test_rate_limits_are_rate_limited_with_youtubes_delay(youtube):
    scope, cid, emulators = youtube
    await emulators.control("youtube", "fail", status=429, times=1, path="/api/youtube/v3/", retry_after=7)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 7 and "Resource has been exhausted" in info.value.message
    # The gate holds YouTube's delay for every worker: the next call waits without asking.
    with pytest.raises(RateLimited, match="Waiting for youtube's rate limit"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_a_user_rate_limit_in_a_403_is_rate_limited_not_a_permission_problem(youtube):
    scope, cid, emulators = youtube
    body = ('{"error": {"code": 403, "message": "User rate limit exceeded", "errors": [{"message": "User rate '
            'limit exceeded", "domain": "usageLimits", "reason": "userRateLimitExceeded"}], "status": '
            '"PERMISSION_DENIED"}}')
    await emulators.control("youtube", "fail", status=403, times=1, path="/api/youtube/v3/videos", body=body)
    with pytest.raises(RateLimited, match="User rate limit"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_the_emulators_own_rate_limit_bites(youtube):
    scope, cid, emulators = youtube
    await emulators.control("youtube", "limit", calls=2, window=30)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after >= 1 and _rows(DailyMetric, cid) == []


async def test_server_errors_are_transient_and_write_nothing(youtube):
    scope, cid, emulators = youtube
    await emulators.control("youtube", "fail", status=503, times=1, path="/analytics/v2/reports")
    with pytest.raises(TransientError, match="server error 503"):
        await sync.collect_connection(cid)
    await emulators.control("youtube", "fail", status=500, times=1, path="/api/youtube/v3/commentThreads")
    with pytest.raises(TransientError, match="Backend Error"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == [] and _rows(Comment, cid) == []


async def test_a_malformed_body_is_a_clear_error_and_nothing_is_half_written(youtube):
    scope, cid, emulators = youtube
    await emulators.control("youtube", "fail", status=200, times=1, path="/api/youtube/v3/videos",
                            body='{"items": [{"id": ')
    with pytest.raises(Malformed, match="not JSON"):
        await sync.collect_connection(cid)
    await emulators.control("youtube", "fail", status=200, times=1, path="/api/youtube/v3/videos",
                            body='{"items": [{"id": "abc", "statistics": {}}]}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    await emulators.control("youtube", "fail", status=200, times=1, path="/analytics/v2/reports",
                            body='{"kind": "youtubeAnalytics#resultTable", "rows": [["2024-01-01", 3]]}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == [] and _rows(Comment, cid) == []


def _record(monkeypatch) -> list[tuple[str, dict, dict]]:
    """Every Data API / Analytics call the adapter makes: (path, params, answer)."""
    calls: list[tuple[str, dict, dict]] = []
    real = yt.YouTubeAdapter._get

    async def recorded(self, client, token, host, path, params, key, scope, cost=1):
        body = await real(self, client, token, host, path, params, key, scope, cost)
        calls.append((path, dict(params), body))
        return body

    monkeypatch.setattr(yt.YouTubeAdapter, "_get", recorded)
    return calls


async def test_uploads_are_followed_page_by_page_to_the_end(youtube, monkeypatch):
    scope, cid, emulators = youtube
    calls = _record(monkeypatch)
    monkeypatch.setattr(yt, "PAGE_SIZE", 10)
    monkeypatch.setattr(yt, "BATCH", 7)
    assert (await sync.collect_connection(cid))["status"] == "success"
    n = len(_channel_data(emulators, cid).videos)
    pages = [(p, b) for path, p, b in calls if path.endswith("/playlistItems")]
    assert len(pages) == -(-n // 10) >= 3
    # Each page asked for the token the one before it gave; the last gave none.
    assert "pageToken" not in pages[0][0]
    assert [p.get("pageToken") for p, _ in pages[1:]] == [b["nextPageToken"] for _, b in pages[:-1]]
    assert "nextPageToken" not in pages[-1][1]
    batches = [p["id"].split(",") for path, p, _ in calls if path.endswith("/videos")]
    assert len(batches) == -(-n // 7) and all(len(b) <= 7 for b in batches) and sum(map(len, batches)) == n
    assert len(_rows(ContentPost, cid)) == n


async def test_replies_a_thread_does_not_carry_are_fetched_with_comments_list(youtube, monkeypatch):
    scope, cid, emulators = youtube
    monkeypatch.setattr(emulators["youtube"], "inline_replies", 0)
    calls = _record(monkeypatch)
    assert (await sync.collect_connection(cid))["status"] == "success"
    data = _channel_data(emulators, cid)
    threads_with_replies = [data.thread_id(v, t[1]) for v in data.videos if data.comments_enabled(v)
                            for t in data.threads(v) if t[2]]
    asked = [p["parentId"] for path, p, _ in calls if path.endswith("/comments")]
    assert sorted(asked) == sorted(threads_with_replies) and asked
    replies = [c for c in _rows(Comment, cid) if c.parent_platform_id]
    assert {r.parent_platform_id for r in replies} == set(threads_with_replies)


async def test_missing_counts_are_not_stored_as_numbers_and_disabled_comments_cost_nothing(youtube, monkeypatch):
    scope, cid, emulators = youtube
    calls = _record(monkeypatch)
    assert (await sync.collect_connection(cid))["status"] == "success"
    data = _channel_data(emulators, cid)
    posts = {p.platform_post_id: p for p in _rows(ContentPost, cid)}
    off = [v for v in data.videos if not data.comments_enabled(v)]
    unrated = [v for v in data.videos if not data.ratings_enabled(v)]
    assert off and unrated
    for v in off:
        assert "comments" in posts[v.id].details["not_given"] and posts[v.id].comments == 0
    for v in unrated:
        assert "likes" in posts[v.id].details["not_given"]
    rated = next(v for v in data.videos if data.ratings_enabled(v) and data.comments_enabled(v))
    assert "not_given" not in posts[rated.id].details and posts[rated.id].likes == v_likes(data, rated)
    # A video with comments turned off is never asked for its threads (YouTube would refuse).
    asked = {p["videoId"] for path, p, _ in calls if path.endswith("/commentThreads")}
    assert not asked & {v.id for v in off}


def v_likes(data, v) -> int:
    return int(data.video(v)["statistics"]["likeCount"])


async def test_a_hidden_subscriber_count_writes_no_days_rather_than_zeros(youtube, monkeypatch):
    scope, cid, emulators = youtube
    emu = emulators["youtube"]
    real = emu.channel

    def hidden(data):
        body = real(data)
        body["statistics"]["hiddenSubscriberCount"] = True
        body["statistics"].pop("subscriberCount")
        return body

    monkeypatch.setattr(emu, "channel", hidden)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and _rows(DailyMetric, cid) == []
    assert _rows(ContentPost, cid) and _rows(AudienceSnapshot, cid)  # the rest is still collected


async def test_a_channel_without_uploads_collects_its_numbers_and_no_posts(youtube, monkeypatch):
    from dreamsuite.platforms.emulators.youtube_data import ChannelData

    scope, cid, emulators = youtube
    monkeypatch.setattr(ChannelData, "story_videos", lambda self: [])
    calls = _record(monkeypatch)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    assert _rows(ContentPost, cid) == [] and _rows(Comment, cid) == []
    days = _rows(DailyMetric, cid)
    assert days and max(days, key=lambda d: d.date).content_count == 0
    # YouTube answers 404 playlistNotFound for an empty uploads playlist; no videos call follows.
    assert not [c for c in calls if c[0].endswith("/videos")]


async def test_a_missing_permission_names_the_scope(youtube):
    scope, cid, emulators = youtube
    # A token for Analytics only (the person unticked "View your YouTube account" on Google's consent).
    token = (await _authorize(emulators, scope=yt.ANALYTICS))["access_token"]
    async with httpx.AsyncClient(timeout=10) as client:
        with pytest.raises(PermissionMissing) as info:
            await get_adapter("youtube").collect(client, token, account=_account(cid))
    assert info.value.scope == yt.READ and "youtube.readonly" in info.value.message
    # A 403 "forbidden" from YouTube is a permission problem too, shown to the artist.
    await emulators.control("youtube", "fail", status=403, times=1, path="/analytics/v2/reports")
    result = await sync.collect_connection(cid)
    assert result["status"] == "failed" and "not properly authorized" in result["error"]
    assert "yt-analytics.readonly" in result["error"] and _rows(DailyMetric, cid) == []


async def test_a_google_account_without_a_channel_is_told_what_to_do(youtube, monkeypatch):
    from dreamsuite.platforms.emulators.youtube_data import ChannelData

    scope, cid, emulators = youtube
    monkeypatch.setattr(ChannelData, "has_channel", False)
    result = await sync.collect_connection(cid)
    assert result["status"] == "failed" and "no YouTube channel" in result["error"]


# ------------------------------------------------------------------ publish
def _media(emulators) -> list[dict]:
    return [{"url": f"{emulators.base}/youtube/_control/sample.mp4", "type": "video"}]


def _uploads(emulators, cid: int) -> list[dict]:
    return emulators.store.posts("youtube", _channel_data(emulators, cid).account.id)


@pytest.fixture
def no_wait(monkeypatch):
    monkeypatch.setattr(yt, "POLL_SECONDS", 0)


async def test_publish_uploads_the_video_once_and_waits_for_processing(youtube, monkeypatch, no_wait):
    scope, cid, emulators = youtube
    monkeypatch.setattr(emulators["youtube"], "processing_reads", 1)
    calls = _record(monkeypatch)
    await emulators.control("youtube", "quota", used=0)
    request = PublishRequest(text="Afterglow (live)\nRecorded at the Roundhouse. <3 #live #newmusic #live",
                             media=_media(emulators),
                             idempotency_key="dreamsuite-dest-1")
    async with httpx.AsyncClient(timeout=10) as client:
        result = await get_adapter("youtube", ratelimits.gate()).publish(client, _token(cid), request,
                                                                          account=_account(cid))
    [video] = _uploads(emulators, cid)
    assert result.platform_post_id == video["id"] and result.url == f"https://www.youtube.com/watch?v={video['id']}"
    assert video["snippet"]["title"] == "Afterglow (live)" and "Roundhouse" in video["snippet"]["description"]
    assert video["snippet"]["tags"] == ["live", "newmusic"]
    assert "<" not in video["snippet"]["description"] and video["snippet"]["categoryId"] == "10"
    assert int(video["fileDetails"]["fileSize"]) > 0
    # "uploaded" (processing) on the first status read, "processed" on the next: two polls.
    polls = [p for path, p, _ in calls if path.endswith("/videos")]
    assert [p["id"] for p in polls] == [video["id"]] * 2
    # videos.insert costs 1,600 units, each status read 1: counted by the gate and by YouTube.
    channel_id = _connection(cid).platform_user_id
    assert emulators["youtube"].units_used() == 1602
    assert await ratelimits.quota_used("youtube", channel_id) == (1602, 10_000)
    # The next collect finds it among the uploads.
    assert (await sync.collect_connection(cid))["status"] == "success"
    stored = [p for p in _rows(ContentPost, cid) if p.platform_post_id == video["id"]]
    assert len(stored) == 1 and stored[0].caption == "Afterglow (live)" and stored[0].post_type == "video"


async def test_a_post_without_a_video_is_refused_before_anything_is_sent(youtube):
    scope, cid, emulators = youtube
    await emulators.control("youtube", "quota", used=0)
    async with httpx.AsyncClient(timeout=10) as client:
        for media in ([], [{"url": "https://example.invalid/cover.jpg", "type": "image"}]):
            with pytest.raises(PermanentError, match="needs a video"):
                await get_adapter("youtube").publish(client, _token(cid), PublishRequest("Hi", media=media),
                                                     account=_account(cid))
    assert _uploads(emulators, cid) == [] and emulators["youtube"].units_used() == 0


async def test_publishing_needs_the_upload_permission(db, redis_url, emulators, monkeypatch):
    _, _, scope = make_workspace("nova@example.com")
    real = yt.YouTubeAdapter.oauth_config

    def without_upload(self):
        cfg = real(self)
        # youtube.force-ssl (asked for the first comment) would allow uploads as well: neither is granted.
        cfg.scopes = [s for s in cfg.scopes if s not in (yt.UPLOAD, yt.COMMENT)]
        return cfg

    monkeypatch.setattr(yt.YouTubeAdapter, "oauth_config", without_upload)
    cid = await connect_platform(scope, "youtube", "Nova Lane")
    async with httpx.AsyncClient(timeout=10) as client:
        with pytest.raises(PermissionMissing) as info:
            await get_adapter("youtube").publish(client, _token(cid), PublishRequest("Hi", media=_media(emulators)),
                                                 account=_account(cid))
    assert info.value.scope == yt.UPLOAD and "youtube.upload" in info.value.message
    assert _uploads(emulators, cid) == []


async def test_the_gate_refuses_an_upload_the_quota_cannot_pay_for(youtube):
    scope, cid, emulators = youtube
    await ratelimits.gate().after("youtube", _connection(cid).platform_user_id, 9_000, None)
    async with httpx.AsyncClient(timeout=10) as client:
        with pytest.raises(RateLimited, match="quota"):
            await get_adapter("youtube", ratelimits.gate()).publish(
                client, _token(cid), PublishRequest("Hi", media=_media(emulators)), account=_account(cid))
    assert _uploads(emulators, cid) == []


async def _scheduled(scope, cid: int, emulators, text: str = "New video") -> int:
    return due_post(scope, cid, text, _media(emulators))


def _destination(dest_id: int) -> PostDestination:
    with dbmod.session() as s:
        return s.get(PostDestination, dest_id)


async def test_a_scheduled_video_is_published_exactly_once(youtube, no_wait):
    scope, cid, emulators = youtube
    dest_id = await _scheduled(scope, cid, emulators, "Studio diary, part three")
    assert await publish.publish_destination(dest_id) == "published"
    assert await publish.publish_destination(dest_id) == "skipped"  # a replayed job sends nothing
    [video] = _uploads(emulators, cid)
    dest = _destination(dest_id)
    assert dest.platform_post_id == video["id"] and dest.attempts == 1
    assert video["snippet"]["title"] == "Studio diary, part three"


async def test_a_lost_upload_answer_is_recovered_from_the_upload_session(youtube, no_wait):
    scope, cid, emulators = youtube
    dest_id = await _scheduled(scope, cid, emulators)
    await emulators.control("youtube", "hang", seconds=3, times=1, path="/api/upload/youtube/v3/videos",
                            after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await publish.publish_destination(dest_id, client=client) == "published"
    [video] = _uploads(emulators, cid)  # sent once; the session said it was complete
    assert _destination(dest_id).platform_post_id == video["id"]


class _LostStatusAnswers(httpx.AsyncBaseTransport):
    """The network drops every answer to an upload-status query (an empty PUT with Content-Range)."""

    def __init__(self) -> None:
        self.inner, self.dropped = httpx.AsyncHTTPTransport(), 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.headers.get("content-range", "").startswith("bytes */"):
            self.dropped += 1
            raise httpx.ReadTimeout("answer lost", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_an_upload_whose_outcome_cannot_be_learned_is_unconfirmed_and_never_resent(youtube, no_wait):
    scope, cid, emulators = youtube
    dest_id = await _scheduled(scope, cid, emulators, "Lost answer")
    await emulators.control("youtube", "hang", seconds=3, times=1, path="/api/upload/youtube/v3/videos",
                            after_effect=True)
    transport = _LostStatusAnswers()
    async with httpx.AsyncClient(timeout=1.0, transport=transport) as client:
        assert await publish.publish_destination(dest_id, client=client) == "unconfirmed"
        assert await publish.publish_destination(dest_id, client=client) == "skipped"
    assert transport.dropped == 1
    dest = _destination(dest_id)
    assert dest.status == "unconfirmed" and "check the channel" in dest.error
    [video] = _uploads(emulators, cid)  # it was in fact uploaded, once
    assert video["snippet"]["title"] == "Lost answer"


async def test_comments_turned_off_since_the_video_was_read_are_skipped(youtube):
    scope, cid, emulators = youtube
    body = ('{"error": {"code": 403, "message": "The video identified by the videoId parameter has disabled '
            'comments.", "errors": [{"message": "disabled", "domain": "youtube.commentThread", "reason": '
            '"commentsDisabled"}], "status": "PERMISSION_DENIED"}}')
    await emulators.control("youtube", "fail", status=403, times=1, path="/api/youtube/v3/commentThreads", body=body)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"]["comments"] > 0
    again = await sync.collect_connection(cid)  # the skipped video's comments come with the next collect
    assert again["counts"]["comments"] > 0


async def test_disconnecting_revokes_the_grant_at_google(youtube):
    from dreamsuite.services import connections

    scope, cid, emulators = youtube
    token, refresh_token = _token(cid), crypto.decrypt(_connection(cid).refresh_token_enc)
    assert await connections.disconnect(scope, cid) is True
    async with httpx.AsyncClient(timeout=10) as client:
        with pytest.raises(AuthExpired):
            await get_adapter("youtube").collect(client, token, account=AccountRef("x"))
        cid_, secret = demo_client("youtube")
        refused = await client.post(f"{emulators.base}/youtube/oauth2/token", data={
            "grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": cid_, "client_secret": secret})
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
        # Revoking again: nothing is left to withdraw.
        assert await get_adapter("youtube").revoke(client, token, AccountRef("x")) is False
