"""Facebook Pages end to end through real HTTP against its emulator: Facebook Login with Meta's
long-lived token exchange, the Page token asked for at each use, Page insights in 90-day windows
(the follower history from page_follows), posts with reactions, comments and shares counted in
one call, videos, publishing to /feed and /photos, and Meta's error codes and usage headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from dreamsuite import crypto, db as dbmod
from dreamsuite.models import Comment, ContentPost, DailyMetric, PlatformConnection, PostDestination, ScheduledPost
from dreamsuite.platforms import facebook as fb_module, meta
from dreamsuite.platforms.base import Malformed, RateLimited, TransientError
from dreamsuite.platforms.emulators.facebook import FacebookEmulator
from dreamsuite.platforms.emulators.story import Story
from dreamsuite.services import publish, sync
from tests.helpers import make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
GRAPH = f"/graph/{meta.GRAPH_VERSION}"


@pytest.fixture
async def facebook(db, redis_url, emulators):
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "facebook", "Nova Lane")
    emulators["facebook"].served.clear()  # what the tests count starts after the connect
    return scope, cid, emulators


def _connection(cid: int) -> PlatformConnection:
    with dbmod.session() as s:
        return s.get(PlatformConnection, cid)


def _rows(model, cid: int):
    with dbmod.session() as s:
        return s.exec(select(model).where(model.connection_id == cid)).all()


def _comments() -> list[Comment]:
    with dbmod.session() as s:
        return s.exec(select(Comment)).all()


def _page(emulators) -> tuple[Story, str, str]:
    [account] = emulators.store.accounts("facebook")
    emulator = emulators["facebook"]
    return emulator.story_of(account), emulator.page_id(account.id), account.id


def _served(emulators, needle: str) -> list[str]:
    return [s for s in emulators["facebook"].served if needle in s]


async def test_connect_keeps_a_long_lived_user_token_and_the_page_never_its_token(facebook):
    scope, cid, emulators = facebook
    conn = _connection(cid)
    _, page_id, _ = _page(emulators)
    assert conn.status == "active" and conn.platform_user_id == page_id and conn.display_name == "Nova Lane"
    assert conn.details["page_id"] == page_id and conn.details["category"] == "Musician/Band"
    assert conn.token_expires_at - datetime.now(UTC) > timedelta(days=55)
    assert "access_token" not in str(conn.details)  # the Page token is asked for when needed, never kept
    assert {"pages_manage_posts", "read_insights"} <= set(conn.scopes.split(","))


async def test_first_collect_reads_two_years_of_insights_posts_comments_and_videos(facebook):
    scope, cid, emulators = facebook
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    story, page_id, _ = _page(emulators)
    # The Page token was asked for, then used for everything else.
    assert emulators["facebook"].served[0].startswith(f"GET {GRAPH}/{page_id}?fields=access_token")
    days = sorted(_rows(DailyMetric, cid), key=lambda d: d.date)
    today = datetime.now(UTC).date()
    assert days[0].date == story.start and days[-1].date == today  # nothing before the Page's data begins
    assert [d.follower_count for d in days] == [story.followers("facebook", d.date) for d in days]
    assert days[-1].metrics["fan_count"] > 0 and days[-2].metrics["views"] > 0
    expected = {"reach", "post_engagements", "page_views", "new_follows", "unfollows", "video_views"}
    assert expected <= set(days[-2].metrics)
    windows = _served(emulators, "/insights?")
    spans = [(parse_qs(urlsplit(w.split(" ", 1)[1]).query)) for w in windows]
    assert len(windows) == 9 and all(
        (datetime.fromisoformat(q["until"][0]) - datetime.fromisoformat(q["since"][0])).days <= 90 for q in spans)
    posts = _rows(ContentPost, cid)
    assert {p.post_type for p in posts} == {"post", "photo", "video"}
    assert days[-1].content_count == len(posts) and days[0].content_count <= 1
    assert sum(p.likes for p in posts) > 0 and all(p.url.startswith("https://www.facebook.com/") for p in posts)
    videos = [p for p in posts if p.post_type == "video"]
    assert videos and all(p.details["video_views"] > 0 and p.details["length"] > 0 for p in videos)
    # Meta leaves `shares` out when nobody shared: stored as the zero it means.
    quiet = [p for p in posts if p.shares == 0]
    assert all("shares" not in p.details.get("unavailable", []) for p in quiet)
    comments = _comments()
    assert comments and any(c.parent_platform_id for c in comments) and any(c.hidden for c in comments)
    assert all(c.author for c in comments)  # the Page token may see who commented


async def test_collecting_again_writes_nothing_and_a_new_post_arrives(facebook):
    scope, cid, emulators = facebook
    await sync.collect_connection(cid)
    emulators["facebook"].served.clear()
    again = await sync.collect_connection(cid)
    assert again["counts"] == {"daily_metrics": 0, "posts": 0, "comments": 0}
    detailed = [s for s in _served(emulators, "/posts?") if "reactions" in s]
    assert detailed and all("since=" in s for s in detailed)
    insights = _served(emulators, "/insights?")
    assert len(insights) == 1  # yesterday and today, one window
    _, page_id, account_id = _page(emulators)
    emulators.store.save_post("facebook", account_id, {
        "id": f"{page_id}_777", "message": "Tickets on sale now #tour", "status_type": "mobile_status_update",
        "created_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "permalink_url": f"https://www.facebook.com/{page_id}/posts/777"})
    third = await sync.collect_connection(cid)
    assert third["counts"]["posts"] == 1
    [new] = [p for p in _rows(ContentPost, cid) if p.platform_post_id == f"{page_id}_777"]
    assert new.hashtags == ["tour"] and new.details["unavailable"] == ["views"]  # no insights yet


async def test_post_pages_are_followed_to_the_end(facebook, monkeypatch):
    scope, cid, emulators = facebook
    monkeypatch.setattr(fb_module, "PAGE_SIZE", 30)
    await sync.collect_connection(cid)
    calls = [s for s in _served(emulators, "/posts?")]
    posts = [p for p in _rows(ContentPost, cid)]
    assert len(calls) == -(-len(posts) // 30) >= 5
    assert "after=" not in calls[0] and all("after=" in c for c in calls[1:])
    assert not [s for s in emulators["facebook"].served if "access_token=" in s.split("?", 1)[-1]
                and "fields=access_token" not in s]


async def test_a_page_without_posts_collects_its_numbers(facebook, monkeypatch):
    scope, cid, emulators = facebook
    monkeypatch.setattr(Story, "posts", lambda self, platform, until: [])
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"]["posts"] == 0
    days = _rows(DailyMetric, cid)
    assert len(days) > 300 and all(d.content_count == 0 for d in days) and _comments() == []


async def test_missing_fields_are_stored_as_unknown_not_zero(facebook, monkeypatch):
    scope, cid, emulators = facebook
    real_page = FacebookEmulator.page_of
    monkeypatch.setattr(FacebookEmulator, "post_insights", lambda self, post, metric, scopes: {"data": []})

    def without_followers(self, account, claims):
        scalars, edges = real_page(self, account, claims)
        scalars["followers_count"] = None
        return scalars, edges

    monkeypatch.setattr(FacebookEmulator, "page_of", without_followers)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    today = datetime.now(UTC).date()
    days = _rows(DailyMetric, cid)
    assert days and today not in {d.date for d in days}  # today's total unknown: no row, not a zero
    posts = _rows(ContentPost, cid)
    assert posts and all(p.views == 0 and "views" in p.details["unavailable"] for p in posts)


async def test_metas_rate_limit_code_waits_the_time_meta_gives(facebook):
    scope, cid, emulators = facebook
    await emulators.control("facebook", "fail", status=429, times=1, path=f"{GRAPH}/", retry_after=240)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 240 and "too many calls to this Page" in info.value.message
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_usage_near_the_limit_holds_the_next_call(facebook):
    scope, cid, emulators = facebook
    await emulators.control("facebook", "usage", call_count=97)
    with pytest.raises(RateLimited, match="Waiting for facebook's rate limit"):
        await sync.collect_connection(cid)
    assert len(emulators["facebook"].served) == 1


async def test_an_expired_token_is_renewed_once_by_the_long_lived_exchange(facebook):
    scope, cid, emulators = facebook
    before = _connection(cid).access_token_enc
    _, page_id, _ = _page(emulators)
    await emulators.control("facebook", "fail", status=401, times=1, path=f"{GRAPH}/{page_id}/posts")
    result = await sync.collect_connection(cid)
    assert result["status"] == "success"
    after = _connection(cid)
    assert after.access_token_enc != before and crypto.decrypt(after.refresh_token_enc) == crypto.decrypt(
        after.access_token_enc)


async def test_server_errors_are_transient_and_write_nothing(facebook):
    scope, cid, emulators = facebook
    _, page_id, _ = _page(emulators)
    await emulators.control("facebook", "fail", status=503, times=1, path=f"{GRAPH}/{page_id}/videos")
    with pytest.raises(TransientError, match="server error 503"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == [] and _comments() == []


async def test_malformed_bodies_are_clear_errors_and_nothing_is_half_written(facebook):
    scope, cid, emulators = facebook
    _, page_id, _ = _page(emulators)
    await emulators.control("facebook", "fail", status=200, times=1, path=f"{GRAPH}/{page_id}/posts",
                            body="<html>upstream</html>")
    with pytest.raises(Malformed, match="not JSON"):
        await sync.collect_connection(cid)
    await emulators.control("facebook", "fail", status=200, times=1, path=f"{GRAPH}/{page_id}/posts",
                            body='{"data": [{"message": "no id, no time"}]}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == [] and _comments() == []


@pytest.mark.parametrize("declined", ["read_insights", "pages_read_user_content"])
async def test_a_declined_permission_is_named(db, redis_url, emulators, declined):
    _, _, scope = make_workspace("nova@example.com")
    await emulators.control("facebook", "decline", permissions=[declined])
    cid = await connect_platform(scope, "facebook", "Nova Lane")
    result = await sync.collect_connection(cid)
    # read_insights: Meta says only "(#10) ... permission"; pages_read_user_content: "(#200) Requires ...".
    assert result["status"] == "failed" and f"'{declined}' permission" in result["error"]
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_page_endpoints_refuse_a_user_token(facebook):
    scope, cid, emulators = facebook
    conn = _connection(cid)
    headers = {"Authorization": f"Bearer {crypto.decrypt(conn.access_token_enc)}"}
    async with httpx.AsyncClient(timeout=10) as http:
        answer = await http.post(f"{emulators.base}/facebook{GRAPH}/{conn.platform_user_id}/feed", headers=headers,
                                 data={"message": "as the person, not the Page"})
        retired = await http.get(f"{emulators.base}/facebook{GRAPH}/{conn.platform_user_id}/insights",
                                 headers=headers, params={"metric": "page_impressions"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 210
    assert retired.json()["error"]["code"] == 210  # the Page token comes first, then the metric
    [account] = emulators.store.accounts("facebook")
    assert emulators.store.posts("facebook", account.id) == []


async def test_disconnecting_removes_the_app_at_meta(facebook):
    from dreamsuite.platforms import get_adapter
    from dreamsuite.platforms.base import AccountRef
    from dreamsuite.services import connections

    scope, cid, emulators = facebook
    conn = _connection(cid)
    token = crypto.decrypt(conn.access_token_enc)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=10) as http:
        before = await http.get(f"{emulators.base}/facebook{GRAPH}/me", headers=headers)
        assert before.status_code == 200
        assert await connections.disconnect(scope, cid) is True
        assert "DELETE " + GRAPH + "/me/permissions" in emulators["facebook"].served
        me = await http.get(f"{emulators.base}/facebook{GRAPH}/me", headers=headers)
        # Neither the stored token nor a long-lived exchange of it works any more.
        again = await http.post(f"{emulators.base}/facebook{GRAPH}/oauth/access_token", data={
            "grant_type": "fb_exchange_token", "fb_exchange_token": token, "client_id": "dreamsuite-demo-facebook",
            "client_secret": "demo-secret-facebook"})
        # Removing an app already removed: nothing left to withdraw, not an error.
        twice = await get_adapter("facebook").revoke(http, token, AccountRef(conn.platform_user_id))
    assert _connection(cid).status == "revoked"
    assert me.json()["error"]["code"] == 190 and again.json()["error"]["code"] == 190 and twice is False


# ------------------------------------------------------------------ publishing
async def _scheduled(scope, cid: int, text: str, media: list[dict]) -> int:
    local = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    post = await publish.schedule_post(scope, text, [cid], local, "UTC")
    with dbmod.session() as s:
        row = s.get(ScheduledPost, post.id)
        row.media = media
        s.add(row)
        return s.exec(select(PostDestination).where(PostDestination.post_id == post.id)).one().id


def _destination(dest_id: int) -> PostDestination:
    with dbmod.session() as s:
        return s.get(PostDestination, dest_id)


async def test_a_text_post_goes_to_the_feed_once_with_the_page_token(facebook):
    scope, cid, emulators = facebook
    dest = await _scheduled(scope, cid, "Thank you Berlin!", [])
    assert await publish.publish_destination(dest) == "published"
    assert await publish.publish_destination(dest) == "skipped"
    _, page_id, account_id = _page(emulators)
    [posted] = emulators.store.posts("facebook", account_id)
    d = _destination(dest)
    assert d.platform_post_id == posted["id"] and posted["message"] == "Thank you Berlin!"
    assert d.platform_url == posted["permalink_url"]
    assert [s.split("?")[0] for s in _served(emulators, "POST")] == [f"POST {GRAPH}/{page_id}/feed"]
    await sync.collect_connection(cid)
    assert posted["id"] in {p.platform_post_id for p in _rows(ContentPost, cid)}


async def test_a_photo_goes_to_photos_with_its_caption(facebook):
    scope, cid, emulators = facebook
    dest = await _scheduled(scope, cid, "Backstage", [{"url": "https://cdn.example/backstage.jpg"}])
    assert await publish.publish_destination(dest) == "published"
    _, page_id, account_id = _page(emulators)
    [posted] = emulators.store.posts("facebook", account_id)
    assert posted["status_type"] == "added_photos" and posted["full_picture"] == "https://cdn.example/backstage.jpg"
    assert _destination(dest).platform_post_id == posted["id"]  # the post, not the photo object


async def test_several_items_are_refused_clearly(facebook):
    scope, cid, emulators = facebook
    dest = await _scheduled(scope, cid, "Two", [{"url": "https://cdn.example/1.jpg"}, {"url": "https://cdn.example/2.jpg"}])
    assert await publish.publish_destination(dest) == "failed"
    assert "one photo or one video" in _destination(dest).error and not emulators["facebook"].served


async def test_a_lost_answer_after_posting_is_unconfirmed_and_never_resent(facebook):
    scope, cid, emulators = facebook
    _, page_id, account_id = _page(emulators)
    dest = await _scheduled(scope, cid, "Lost answer", [])
    await emulators.control("facebook", "hang", seconds=3, times=1, path=f"{GRAPH}/{page_id}/feed", after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await publish.publish_destination(dest, client=client) == "unconfirmed"
        assert await publish.publish_destination(dest, client=client) == "skipped"
    assert len(emulators.store.posts("facebook", account_id)) == 1


# ------------------------------------------------------------------ the shared Graph plumbing
def _answer(status: int, error: dict | None = None, headers: dict | None = None) -> httpx.Response:
    body = {"error": {"message": "m", "type": "OAuthException", "fbtrace_id": "x", **(error or {})}}
    return httpx.Response(status, json=body, headers=headers, request=httpx.Request("GET", "https://graph.example"))


@pytest.mark.parametrize(("code", "subcode", "expected"), [
    (190, 463, "AuthExpired"), (102, None, "AuthExpired"), (4, None, "RateLimited"), (17, None, "RateLimited"),
    (32, None, "RateLimited"), (613, None, "RateLimited"), (80001, None, "RateLimited"), (80009, None, "RateLimited"),
    (10, None, "PermissionMissing"), (200, None, "PermissionMissing"), (299, None, "PermissionMissing"),
    (10, 2108006, "InsightsUnavailable"), (2, None, "TransientError"), (1, None, "TransientError"),
    (100, 33, "PermanentError"), (368, None, "PermanentError"),
])
def test_metas_error_codes_map_onto_the_taxonomy(code, subcode, expected):
    from dreamsuite.platforms import get_adapter

    answer = _answer(400, {"code": code, **({"error_subcode": subcode} if subcode else {})})
    error = get_adapter("facebook").classify(answer, answer.json())
    assert type(error).__name__ == expected


def test_usage_headers_are_read_as_shares_and_minutes():
    from dreamsuite.platforms import get_adapter

    adapter = get_adapter("instagram")
    quiet = adapter.read_usage(httpx.Response(200, headers={"x-app-usage": '{"call_count": 12, "total_time": 4}'}))
    assert quiet.used == 0.12 and quiet.reset_in is None and quiet.retry_after is None
    busy = adapter.read_usage(httpx.Response(200, headers={"x-app-usage": '{"call_count": 40, "total_cputime": 96}'}))
    assert busy.used == 0.96 and busy.reset_in == pytest.approx(216)
    blocked = adapter.read_usage(httpx.Response(400, headers={"x-business-use-case-usage": (
        '{"1784": [{"type": "instagram", "call_count": 100, "total_cputime": 20, "total_time": 30, '
        '"estimated_time_to_regain_access": 3}]}')}))
    assert blocked.used == 1.0 and blocked.retry_after == 180
    assert adapter.read_usage(httpx.Response(200, headers={"x-app-usage": "not json"})) is None
