"""The per-platform page's data on real databases, from rows written the way each connector's
collect writes them (its own shaping functions, then the sync writer): which of its own
numbers are charted and how, breakdowns, posts, isolation between workspaces, unknown names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dreamsuite.db import session, utcnow
from dreamsuite.models import PlatformConnection
from dreamsuite.platforms import youtube_shapes as yt
from dreamsuite.platforms.base import CollectResult, PostData
from dreamsuite.platforms.instagram import InstagramAdapter
from dreamsuite.platforms.spotify import SpotifyAdapter
from dreamsuite.platforms.tiktok import TikTokAdapter
from dreamsuite.services.platform_page import describe, platform_page
from dreamsuite.services.platform_specs import SPECS
from dreamsuite.services.sync_write import write_collected
from tests.seed_metrics import make_scope

TODAY = utcnow().date()


def _write(scope, platform: str, result: CollectResult, user: str = "main") -> int:
    with session() as s:
        conn = PlatformConnection(workspace_id=scope.workspace_id, platform=platform, platform_user_id=user,
                                  username=user, last_synced_at=utcnow())
        s.add(conn)
        s.flush()
        write_collected(s, conn, result)
        return conn.id


def _youtube(scope, days: int = 40, subscribers: int = 5000) -> None:
    rows = [{"day": (TODAY - timedelta(days=i)).isoformat(), "views": 100 + i, "estimatedMinutesWatched": 600,
             "averageViewDuration": 150, "averageViewPercentage": 40.0, "subscribersGained": 12,
             "subscribersLost": 2, "likes": 30, "comments": 4, "shares": 3} for i in range(2, days)]
    videos = [yt.video({"id": f"v{i}", "snippet": {"title": f"Video {i}", "publishedAt":
                        (datetime.now(UTC) - timedelta(days=3 + i)).isoformat().replace("+00:00", "Z")},
                        "contentDetails": {"duration": "PT45S" if i % 2 else "PT4M"},
                        "statistics": {"viewCount": "1000", "likeCount": str(50 + i), "commentCount": "5"}}, [])
              for i in range(4)]
    days_ = yt.days(rows, subscribers, 123_456, 4, [p.posted_at.date() for p in videos], TODAY)
    audience = {**yt.demographics([{"ageGroup": "age18-24", "gender": "female", "viewerPercentage": 60},
                                   {"ageGroup": "age25-34", "gender": "male", "viewerPercentage": 40}]),
                "countries": {"DE": 0.6, "US": 0.4},
                "traffic_sources": yt.shares([{"s": "YT_SEARCH", "views": 50}, {"s": "SUBSCRIBER", "views": 30},
                                              {"s": "EXT_URL", "views": 20}], "s"),
                "devices": {"MOBILE": 0.7, "DESKTOP": 0.3}}
    _write(scope, "youtube", CollectResult(days=days_, posts=videos, audience=audience))


def _instagram(scope, followers: int = 2000) -> None:
    ig = InstagramAdapter()
    start = TODAY - timedelta(days=29)
    per_day, found, d = {}, {"reach": {}, "follower_count": {}}, start
    while d <= TODAY:
        per_day[d] = {"views": 900, "accounts_engaged": 80, "total_interactions": 120, "profile_views": 45,
                      "website_clicks": 3, "email_clicks": 2, "direction_clicks": 1, "profile_links_taps": 3,
                      "follows": 6, "unfollows": 2}
        found["reach"][d], found["follower_count"][d] = 700, 6
        d += timedelta(days=1)
    when = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    media = [{"id": "m1", "caption": "New single out now #release\x07", "media_type": "VIDEO",
              "media_product_type": "REELS", "permalink": "https://www.instagram.com/reel/abc/", "timestamp": when,
              "like_count": 90, "comments_count": 9, "insights": {"data": [
                  {"name": "reach", "values": [{"value": 1000}]}, {"name": "saved", "values": [{"value": 12}]},
                  {"name": "shares", "values": [{"value": 7}]}, {"name": "views", "values": [{"value": 3000}]}]}},
             {"id": "m2", "caption": "=HYPERLINK(\"x\")", "media_type": "IMAGE", "media_product_type": "FEED",
              "permalink": "javascript:alert(1)", "timestamp": when, "like_count": 20, "comments_count": 1}]
    user = {"followers_count": followers, "media_count": 2, "follows_count": 150}
    days_ = ig._days(user, media, found, per_day, start, TODAY)
    audience = {"age": {"18-24": 0.5, "25-34": 0.5}, "cities": {"Berlin, Germany": 1.0},
                "online_hours": {str(h): 0.1 + (0.3 if h == 19 else 0) for h in range(24)}}
    _write(scope, "instagram", CollectResult(days=days_, posts=[ig._post(m) for m in media], audience=audience))


def test_youtube_charts_its_own_numbers_with_units(db):
    me = make_scope("Me", tz="Europe/Berlin")
    _youtube(me)
    page = platform_page(me, "youtube", days=30)
    assert page.status == "ok" and page.label == "YouTube" and page.followers_word == "Subscribers"
    keys = {k for c in page.charts for k in c["keys"]}
    assert {"views", "estimatedMinutesWatched", "averageViewDuration", "averageViewPercentage",
            "subscribersGained", "subscribersLost", "likes"} <= keys
    watch = next(c for c in page.charts if c["keys"] == ["estimatedMinutesWatched"])
    assert watch["unit"] == "hours" and watch["title"] == "Watch time (hours)"
    assert all(v == 10.0 for _, v in watch["series"]["Watch time"])  # 600 minutes a day → 10 hours
    stats = {s["key"]: s for s in page.stats}
    days_with_rows = len(watch["series"]["Watch time"])
    assert stats["estimatedMinutesWatched"]["value"] == pytest.approx(10.0 * days_with_rows)  # a sum
    assert stats["averageViewDuration"] == {"key": "averageViewDuration", "label": "Average view duration",
                                            "value": 2.5, "unit": "min", "agg": "mean"}  # 150 s, averaged
    assert stats["total_views"]["value"] == 123_456 and stats["total_views"]["agg"] == "last"
    traffic = next(b for b in page.breakdowns if b["title"].startswith("Traffic"))
    assert traffic["kind"] == "share" and traffic["items"][0] == ("YouTube search", 0.5)
    assert [label for _, label in page.post_columns] == ["Views", "Likes", "Comments"]
    assert {t["key"] for t in page.content_types} == {"short", "video"}
    assert page.followers[-1] == (TODAY.isoformat(), 5000) and page.followers_now == 5000
    assert page.audience["age"] and page.audience["countries"] and "traffic_sources" not in page.audience
    assert ("Impressions", page.unavailable[0][1]) == page.unavailable[0]


def test_a_year_is_charted_per_week(db):
    me = make_scope()
    _youtube(me, days=200)
    page = platform_page(me, "youtube", days=365)
    assert page.step == "week"
    views = next(c for c in page.charts if c["keys"] == ["views"])["series"]["Views"]
    assert all(date.fromisoformat(d).weekday() == 0 for d, _ in views)
    duration = next(c for c in page.charts if c["keys"] == ["averageViewDuration"])["series"]
    assert {v for _, v in duration["Average view duration"]} == {2.5}  # averaged, not summed per week


def test_instagram_reach_profile_views_taps_and_online_hours(db):
    me = make_scope("Me", tz="Europe/Berlin")
    _instagram(me)
    page = platform_page(me, "instagram", days=30)
    keys = {k for c in page.charts for k in c["keys"]}
    assert {"reach", "views", "profile_views", "accounts_engaged", "follows", "unfollows"} <= keys
    stats = {s["key"]: s["value"] for s in page.stats}
    assert stats["follows_count"] == 150 and stats["media_count"] == 2
    taps = next(b for b in page.breakdowns if b["title"] == "Profile button taps")
    assert taps["kind"] == "count" and dict(taps["items"]) == {"Email": 2 * 30, "Directions": 30}
    online = next(b for b in page.breakdowns if b["title"].startswith("When your followers are online"))
    assert "Europe/Berlin" in online["title"] and len(online["items"]) == 24
    peak = max(online["items"], key=lambda kv: kv[1])[0]
    assert peak in ("20:00", "21:00")  # 19:00 UTC in Berlin (winter or summer time)
    # The history Meta gives: followers rebuilt back 30 days from follows and unfollows.
    assert page.followers[-1][1] == 2000 and page.followers[0][1] < 2000
    reel = next(p for p in page.posts if p["type"] == "reel")
    assert reel["caption"] == "New single out now #release" and reel["url"].startswith("https://www.instagram.com/")
    assert reel["rate"] == pytest.approx((90 + 9 + 7 + 12) / 1000 * 100, abs=0.01) and reel["basis"] == "reach"
    photo = next(p for p in page.posts if p["type"] == "photo")
    assert photo["url"] == ""  # a javascript: link never becomes a link
    assert set(photo["unknown"]) >= {"reach", "saves"}  # not given by Instagram: shown as unknown, not 0


def test_a_snapshot_platform_shows_todays_numbers_and_grows_history(db):
    me = make_scope()
    sp = SpotifyAdapter()
    release = {"id": "r1", "name": "Old album", "album_type": "album", "release_date": "2019-05-01",
               "release_date_precision": "day", "external_urls": {"spotify": "https://open.spotify.com/album/r1"}}
    _write(me, "spotify", CollectResult(days=sp._today({"followers": {"total": 800}, "popularity": 41,
                                                        "genres": ["indie pop"]}), posts=[sp._release(release)]))
    page = platform_page(me, "spotify")
    assert page.history is False and page.days_stored == 1 and page.charts == []
    assert {s["key"]: s["value"] for s in page.stats} == {"popularity": 41}
    assert page.followers_now == 800 and page.followers_change is None
    assert [p["caption"] for p in page.posts] == ["Old album"]  # the catalogue, whatever the range
    assert any(what == "Monthly listeners" for what, _ in page.unavailable)
    # TikTok the same: today's totals only.
    TikTokAdapter._today({"follower_count": 10, "likes_count": 99})
    _write(me, "tiktok", CollectResult(days=TikTokAdapter._today({"follower_count": 10, "likes_count": 99,
                                                                   "following_count": 3})))
    tt = platform_page(me, "tiktok")
    assert tt.charts == [] and {s["key"]: s["value"] for s in tt.stats} == {"likes_count": 99, "following_count": 3}


def test_another_workspace_never_shows(db):
    me, other = make_scope("Me"), make_scope("Other")
    _youtube(other, subscribers=99_999)
    _instagram(other, followers=77_777)
    _instagram(me)
    assert platform_page(me, "youtube").status == "not_connected"
    mine = platform_page(me, "instagram")
    assert mine.followers_now == 2000 and all(v < 77_777 for _, v in mine.followers)
    assert len(mine.posts) == 2 and len(mine.accounts) == 1
    assert platform_page(other, "instagram").followers_now == 77_777


@pytest.mark.parametrize("name,status", [("myspace", "unknown"), ("../../etc", "unknown"), ("", "unknown"),
                                         ("apple_music", "no_api"), ("tidal", "no_api")])
def test_unknown_and_apiless_platforms(db, name, status):
    me = make_scope()
    page = platform_page(me, name)
    assert page.status == status and page.message and page.accounts == [] and page.posts == []
    assert describe(name).status == status


def test_every_connector_has_a_description():
    from dreamsuite.platforms import CONNECTOR_MODULES

    assert set(CONNECTOR_MODULES) <= set(SPECS)


def test_post_data_fields_are_the_ones_the_table_reads():
    # The table's columns are ContentPost columns (PostData's counts).
    counts = set(PostData.__dataclass_fields__)
    for spec in SPECS.values():
        assert {c for c, _ in spec.post_columns} <= counts, spec.name


def test_hashtags_are_ranked_by_their_posts_engagement(db):
    me = make_scope("Tags", tz="UTC")
    at = datetime.now(UTC) - timedelta(days=3)
    posts = [PostData(f"p{i}", at - timedelta(hours=i), "photo", reach=1_000, likes=likes, hashtags=tags)
             for i, (likes, tags) in enumerate([(90, ["tour", "Live"]), (70, ["tour"]), (10, ["studio"]),
                                               (20, ["studio", "live"]), (50, ["once"])])]
    _write(me, "x", CollectResult(days=[], posts=posts))
    page = platform_page(me, "x", days=30)
    # Tags on two posts or more, best average first; the one-off tag is not a pattern.
    assert [(h["key"], h["avg_rate"], h["posts"]) for h in page.hashtags] == [
        ("#tour", 8.0, 2), ("#live", 5.5, 2), ("#studio", 1.5, 2)]
