"""Instagram end to end through real HTTP against its emulator: Facebook Login with Meta's
long-lived token exchange, the account found through the person's Pages, collection (media with
nested insights and comments, stories, daily insights, the follower history rebuilt from follows
and unfollows, demographics), publishing through containers, and every way the Graph API answers
badly (its error envelope, its rate-limit codes and usage headers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import select

from dreamsuite import crypto, db as dbmod
from dreamsuite.models import AudienceSnapshot, Comment, ContentPost, DailyMetric, PlatformConnection, PostDestination
from dreamsuite.platforms import instagram as ig_module, meta
from dreamsuite.platforms.base import Malformed, RateLimited, TransientError
from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.instagram import InstagramEmulator
from dreamsuite.platforms.emulators.story import Story
from dreamsuite.services import publish, sync
from dreamsuite.services.connect import ConnectError
from dreamsuite.settings import get_settings
from tests.helpers import due_post, make_workspace
from tests.platform_helpers import connect_platform

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
GRAPH = f"/graph/{meta.GRAPH_VERSION}"


@pytest.fixture
async def instagram(db, redis_url, emulators):
    _, _, scope = make_workspace("nova@example.com")
    cid = await connect_platform(scope, "instagram", "Nova Lane")
    emulators["instagram"].served.clear()  # what the tests count starts after the connect
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


def _story(emulators) -> tuple[Story, str]:
    [account] = emulators.store.accounts("instagram")
    emulator = emulators["instagram"]
    return emulator.story_of(account), emulator.ig_id(account.id)


def _served(emulators, needle: str) -> list[str]:
    return [s for s in emulators["instagram"].served if needle in s]


async def test_connect_trades_for_a_long_lived_token_and_finds_the_account_through_the_page(instagram):
    scope, cid, emulators = instagram
    conn = _connection(cid)
    _, ig = _story(emulators)
    assert conn.status == "active" and conn.username == "nova_lane" and conn.platform_user_id == ig
    assert conn.details["ig_user_id"] == ig and conn.details["page_id"] and conn.details["biography"]
    # Meta's short-lived token (two hours) was traded for a long-lived one (about 60 days), kept
    # as the refresh token too: Meta has no refresh grant.
    assert conn.token_expires_at - datetime.now(UTC) > timedelta(days=55)
    access, refresh = crypto.decrypt(conn.access_token_enc), crypto.decrypt(conn.refresh_token_enc)
    claims = tokens.verify(get_settings().emulator_secret, access, "instagram", "access")
    assert claims is not None and claims.extra.get("long") == 1 and refresh == access
    # What was granted comes from /me/permissions; the person's Facebook id from /me.
    assert "instagram_manage_insights" in conn.scopes.split(",") and conn.details["user_id"]


async def test_first_collect_rebuilds_followers_and_reads_media_stories_comments_and_audience(instagram):
    scope, cid, emulators = instagram
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    story, _ = _story(emulators)
    days = sorted(_rows(DailyMetric, cid), key=lambda d: d.date)
    today = datetime.now(UTC).date()
    assert [d.date for d in days] == [today - timedelta(days=i) for i in range(29, -1, -1)]
    # Meta keeps no past totals: today's count minus follows plus unfollows gives each earlier day.
    assert [d.follower_count for d in days] == [story.followers("instagram", d.date) for d in days]
    yesterday = days[-2].metrics
    assert yesterday["new_followers"] == yesterday["follows"] > 0 and yesterday["reach"] > 0
    assert {"views", "profile_views", "website_clicks", "email_clicks", "call_clicks", "profile_links_taps",
            "accounts_engaged", "total_interactions"} <= set(yesterday)
    assert days[-1].metrics["media_count"] == days[-1].content_count > days[0].content_count > 0
    posts = _rows(ContentPost, cid)
    kinds = {p.post_type for p in posts}
    assert {"reel", "photo", "carousel"} <= kinds
    reels = [p for p in posts if p.post_type == "reel"]
    assert all(p.views > 0 and p.reach > 0 and p.saves >= 0 and p.url.startswith("https://www.instagram.com/reel/")
               for p in reels)
    assert all(p.hashtags and all(f"#{t}" in p.caption.lower() for t in p.hashtags) for p in posts if "#" in p.caption)
    live = story.stories("instagram", datetime.now(UTC))
    assert len([p for p in posts if p.post_type == "story"]) == len(live)
    comments = _comments()
    assert any(c.parent_platform_id for c in comments) and any(c.hidden for c in comments)
    assert {c.parent_platform_id for c in comments if c.parent_platform_id} <= {c.platform_comment_id for c in comments}
    [audience] = _rows(AudienceSnapshot, cid)
    assert set(audience.data) == {"age", "gender", "countries", "cities", "online_hours"}
    assert abs(sum(audience.data["age"].values()) - 1) < 0.01 and "DE" in audience.data["countries"]
    assert len(audience.data["online_hours"]) == 24


async def test_collecting_again_writes_nothing_and_a_new_post_arrives_through_the_since_filter(instagram):
    scope, cid, emulators = instagram
    await sync.collect_connection(cid)
    emulators["instagram"].served.clear()
    again = await sync.collect_connection(cid)
    assert again["counts"] == {"daily_metrics": 0, "posts": 0, "comments": 0, "audience": 0}
    [media_call] = _served(emulators, "/media?")
    assert "since=" in media_call  # only what changed (and the last week, whose numbers move)
    [account] = emulators.store.accounts("instagram")
    _, ig = _story(emulators)
    emulators.store.save_post("instagram", account.id, {
        "id": "17999000000000001", "caption": "Posted from the phone #tour", "media_type": "IMAGE",
        "media_product_type": "FEED", "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "like_count": 3, "comments_count": 0, "permalink": "https://www.instagram.com/p/new/",
        "owner": {"id": ig}, "username": account.handle})
    third = await sync.collect_connection(cid)
    assert third.get("counts", {}).get("posts") == 1, third
    [new] = [p for p in _rows(ContentPost, cid) if p.platform_post_id == "17999000000000001"]
    assert new.hashtags == ["tour"] and new.likes == 3
    assert set(new.details["unavailable"]) == {"reach", "saves", "shares", "views"}  # no insights yet: unknown


async def test_media_pages_are_followed_to_the_end_without_the_token_in_any_url(instagram, monkeypatch):
    scope, cid, emulators = instagram
    monkeypatch.setattr(ig_module, "PAGE_SIZE", 40)
    await sync.collect_connection(cid)
    calls = _served(emulators, f"/{_story(emulators)[1]}/media?")
    media = [p for p in _rows(ContentPost, cid) if p.post_type != "story"]
    assert len(calls) == -(-len(media) // 40) >= 5
    assert "after=" not in calls[0] and all("after=" in c for c in calls[1:])
    # Meta's `next` links repeat the access token; we follow them with the token in the header only.
    assert not [s for s in emulators["instagram"].served if "access_token" in s]


async def test_an_account_without_posts_collects_its_numbers(instagram, monkeypatch):
    scope, cid, emulators = instagram
    monkeypatch.setattr(Story, "posts", lambda self, platform, until: [])
    monkeypatch.setattr(Story, "stories", lambda self, platform, now: [])
    result = await sync.collect_connection(cid)
    assert result["status"] == "success" and result["counts"]["posts"] == 0
    days = _rows(DailyMetric, cid)
    assert len(days) == 30 and all(d.content_count == 0 for d in days) and _comments() == []


async def test_missing_fields_are_stored_as_unknown_not_zero(instagram, monkeypatch):
    scope, cid, emulators = instagram
    real_media, real_user = InstagramEmulator._media, InstagramEmulator._user

    def hidden_likes(self, account, post):
        item = real_media(self, account, post)
        if post.type == "photo":
            item.pop("like_count")  # the owner hid the like count
        return item

    def no_followers(self, account):
        return {**real_user(self, account), "followers_count": None}  # Meta leaves it out

    monkeypatch.setattr(InstagramEmulator, "_media", hidden_likes)
    monkeypatch.setattr(InstagramEmulator, "_user", no_followers)
    result = await sync.collect_connection(cid)
    assert result["status"] == "success", result
    assert _rows(DailyMetric, cid) == []  # no total to start from: no rows rather than zeros
    posts = _rows(ContentPost, cid)
    photos = [p for p in posts if p.post_type == "photo"]
    assert photos and all(p.likes == 0 and p.details["unavailable"] == ["likes"] for p in photos)
    assert all("unavailable" not in p.details for p in posts if p.post_type in ("reel", "carousel"))


async def test_metas_rate_limit_code_waits_the_time_meta_gives(instagram):
    scope, cid, emulators = instagram
    # Meta never says 429: a #80002 inside an HTTP 400, with x-business-use-case-usage saying
    # how many minutes until access returns.
    await emulators.control("instagram", "fail", status=429, times=1, path=f"{GRAPH}/", retry_after=120)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 120 and "too many calls to this Instagram account" in info.value.message
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []
    served = len(emulators["instagram"].served)
    with pytest.raises(RateLimited, match="Waiting for instagram's rate limit"):
        await sync.collect_connection(cid)
    assert len(emulators["instagram"].served) == served  # the gate held the call back


async def test_usage_headers_near_the_limit_make_the_next_call_wait_before_meta_blocks(instagram):
    scope, cid, emulators = instagram
    await emulators.control("instagram", "usage", call_count=96)
    with pytest.raises(RateLimited, match="Waiting for instagram's rate limit") as info:
        await sync.collect_connection(cid)
    assert len(emulators["instagram"].served) == 1  # the answer said 96 %: nothing more was sent
    assert 60 <= info.value.retry_after <= 3600
    assert _rows(DailyMetric, cid) == []


async def test_the_emulators_own_limit_bites_with_metas_code(instagram):
    scope, cid, emulators = instagram
    # Headers that do not warn (another app's budget, say): Meta itself has to block.
    await emulators.control("instagram", "usage", call_count=10)
    await emulators.control("instagram", "limit", calls=3, window=300)
    with pytest.raises(RateLimited) as info:
        await sync.collect_connection(cid)
    assert info.value.retry_after == 300 and "code 80002" in info.value.message
    # Meta said when access returns (five minutes): until then nothing is sent.
    served = len(emulators["instagram"].served)
    with pytest.raises(RateLimited, match="Waiting for instagram's rate limit") as info:
        await sync.collect_connection(cid)
    assert len(emulators["instagram"].served) == served and 290 <= info.value.retry_after <= 300


async def test_an_expired_token_is_renewed_once_by_the_long_lived_exchange(instagram):
    scope, cid, emulators = instagram
    before = _connection(cid)
    _, ig = _story(emulators)
    # Code 190 inside an HTTP 400: the envelope, not the status, says the token is gone.
    await emulators.control("instagram", "fail", status=401, times=1, path=f"{GRAPH}/{ig}/media")
    result = await sync.collect_connection(cid)
    assert result["status"] == "success"
    after = _connection(cid)
    assert after.access_token_enc != before.access_token_enc and after.status == "active"
    assert crypto.decrypt(after.refresh_token_enc) == crypto.decrypt(after.access_token_enc)
    assert after.token_expires_at - datetime.now(UTC) > timedelta(days=55)


async def test_server_errors_are_transient_and_write_nothing(instagram):
    scope, cid, emulators = instagram
    await emulators.control("instagram", "fail", status=500, times=1, path=f"{GRAPH}/{_story(emulators)[1]}/insights")
    with pytest.raises(TransientError, match="unexpected error"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == [] and _comments() == []


async def test_malformed_bodies_are_clear_errors_and_nothing_is_half_written(instagram):
    scope, cid, emulators = instagram
    ig = _story(emulators)[1]
    await emulators.control("instagram", "fail", status=200, times=1, path=f"{GRAPH}/{ig}/stories",
                            body='{"data": [{"id": ')
    with pytest.raises(Malformed, match="not JSON"):
        await sync.collect_connection(cid)
    await emulators.control("instagram", "fail", status=200, times=1, path=f"{GRAPH}/{ig}/insights",
                            body='{"data": [{"period": "day"}]}')
    with pytest.raises(Malformed, match="could not read"):
        await sync.collect_connection(cid)
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == [] and _comments() == []


@pytest.mark.parametrize("declined", ["instagram_manage_insights", "instagram_manage_comments"])
async def test_a_declined_permission_is_named(db, redis_url, emulators, declined):
    _, _, scope = make_workspace("nova@example.com")
    # Facebook Login lets a person untick permissions: the token then lacks them, and Meta's
    # refusal ("(#10) Application does not have permission for this action") does not say which.
    await emulators.control("instagram", "decline", permissions=[declined])
    cid = await connect_platform(scope, "instagram", "Nova Lane")
    assert declined not in _connection(cid).scopes.split(",")
    result = await sync.collect_connection(cid)
    assert result["status"] == "failed" and f"'{declined}' permission" in result["error"]
    assert _rows(DailyMetric, cid) == [] and _rows(ContentPost, cid) == []


async def test_a_person_without_a_linked_instagram_account_is_told_what_to_do(db, redis_url, emulators, monkeypatch):
    _, _, scope = make_workspace("nova@example.com")
    real = InstagramEmulator.page_of

    def unlinked(self, account, claims):
        scalars, edges = real(self, account, claims)
        scalars["instagram_business_account"] = None  # Meta leaves the field out
        return scalars, edges

    monkeypatch.setattr(InstagramEmulator, "page_of", unlinked)
    with pytest.raises(ConnectError, match="Instagram professional account linked"):
        await connect_platform(scope, "instagram", "Nova Lane")


async def test_the_emulator_keeps_the_current_insight_rules(instagram):
    scope, cid, emulators = instagram
    conn = _connection(cid)
    headers = {"Authorization": f"Bearer {crypto.decrypt(conn.access_token_enc)}"}
    base = f"{emulators.base}/instagram{GRAPH}/{conn.platform_user_id}/insights"
    async with httpx.AsyncClient(timeout=10) as http:
        retired = await http.get(base, headers=headers, params={"metric": "impressions", "period": "day"})
        total_only = await http.get(base, headers=headers, params={"metric": "views", "period": "day"})
        too_long = await http.get(base, headers=headers, params={"metric": "reach", "period": "day",
                                                                 "since": "2026-01-01", "until": "2026-03-01"})
        old = await http.get(f"{emulators.base}/instagram/graph/v19.0/me", headers=headers)
    assert retired.status_code == 400 and retired.json()["error"]["code"] == 100
    assert "metric_type=total_value" in total_only.json()["error"]["message"]
    assert "30 days" in too_long.json()["error"]["message"]
    assert old.json()["error"]["code"] == 2635 and "x-app-usage" in old.headers


# ------------------------------------------------------------------ publishing
async def _scheduled(scope, cid: int, text: str, media: list[dict]) -> int:
    return due_post(scope, cid, text, media)


def _destination(dest_id: int) -> PostDestination:
    with dbmod.session() as s:
        return s.get(PostDestination, dest_id)


async def test_a_photo_is_published_once_through_a_container(instagram):
    scope, cid, emulators = instagram
    dest = await _scheduled(scope, cid, "New single Friday #newmusic", [{"url": "https://cdn.example/cover.jpg"}])
    assert await publish.publish_destination(dest) == "published"
    assert await publish.publish_destination(dest) == "skipped"  # the job running twice posts once
    d = _destination(dest)
    [account] = emulators.store.accounts("instagram")
    [posted] = emulators.store.posts("instagram", account.id)
    assert d.platform_post_id == posted["id"] and d.platform_url == posted["permalink"]
    assert len(_served(emulators, "POST /graph")) == 2  # the container, then media_publish
    assert posted["caption"] == "New single Friday #newmusic" and posted["media_type"] == "IMAGE"
    await sync.collect_connection(cid)  # and it is there on the next collect
    assert posted["id"] in {p.platform_post_id for p in _rows(ContentPost, cid)}


async def test_a_video_waits_for_its_container_then_publishes_a_reel(instagram, monkeypatch):
    scope, cid, emulators = instagram
    monkeypatch.setattr(ig_module, "POLL_SECONDS", 0)
    dest = await _scheduled(scope, cid, "Live at the Roundhouse", [{"url": "https://cdn.example/live.mp4"}])
    assert await publish.publish_destination(dest) == "published"
    polls = [s for s in emulators["instagram"].served if s.startswith("GET") and "status_code" in s]
    assert len(polls) == 3  # IN_PROGRESS twice, then FINISHED
    [account] = emulators.store.accounts("instagram")
    [posted] = emulators.store.posts("instagram", account.id)
    assert posted["media_product_type"] == "REELS" and "/reel/" in _destination(dest).platform_url


async def test_several_items_become_one_carousel(instagram, monkeypatch):
    scope, cid, emulators = instagram
    monkeypatch.setattr(ig_module, "POLL_SECONDS", 0)
    media = [{"url": "https://cdn.example/1.jpg"}, {"url": "https://cdn.example/2.jpg"},
             {"url": "https://cdn.example/3.mp4", "type": "video/mp4"}]
    dest = await _scheduled(scope, cid, "Tour diary", media)
    assert await publish.publish_destination(dest) == "published", _destination(dest).error
    creates = _served(emulators, "POST /graph")
    assert len(creates) == 5  # three items, the carousel, media_publish
    [account] = emulators.store.accounts("instagram")
    [posted] = emulators.store.posts("instagram", account.id)
    assert posted["media_type"] == "CAROUSEL_ALBUM"


async def test_text_alone_is_refused_clearly_without_calling_instagram(instagram):
    scope, cid, emulators = instagram
    dest = await _scheduled(scope, cid, "Just words", [])
    assert await publish.publish_destination(dest) == "failed"
    assert "cannot publish text alone" in _destination(dest).error
    assert not emulators["instagram"].served


async def test_a_lost_answer_after_media_publish_is_unconfirmed_and_never_resent(instagram):
    scope, cid, emulators = instagram
    ig = _story(emulators)[1]
    dest = await _scheduled(scope, cid, "Lost answer", [{"url": "https://cdn.example/a.jpg"}])
    await emulators.control("instagram", "hang", seconds=3, times=1, path=f"{GRAPH}/{ig}/media_publish",
                            after_effect=True)
    async with httpx.AsyncClient(timeout=1.0) as client:
        assert await publish.publish_destination(dest, client=client) == "unconfirmed"
        assert await publish.publish_destination(dest, client=client) == "skipped"
    assert "did not answer" in _destination(dest).error
    [account] = emulators.store.accounts("instagram")
    assert len(emulators.store.posts("instagram", account.id)) == 1  # it was in fact posted, once
