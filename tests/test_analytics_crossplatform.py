"""Platforms compared: growth as a share of each one's own audience, engagement, share of
the total, and which platform leads — never from too little, never dividing by zero."""

from datetime import date, datetime, timedelta, timezone

from dreamsuite.analytics import crossplatform as cp

END = date(2026, 11, 30)


def series(start_value: int, per_day: int, days: int = 40):
    return [(END - timedelta(days=days - 1 - i), start_value + per_day * i) for i in range(days)]


def post(platform: str, days_ago: int, likes: int, reach: int = 0):
    at = datetime(END.year, END.month, END.day, 12, tzinfo=timezone.utc) - timedelta(days=days_ago)
    return {"platform": platform, "posted_at": at.isoformat(), "likes": likes, "reach": reach}


SERIES = {
    "instagram": series(10_000, 10),  # 10,390 on END; 10,090 thirty days before: +300 = 2.97 %
    "TikTok": series(1_000, 10),  # 1,390; 1,090 before: +300 = 27.52 %
    "spotify": series(600, 0),  # flat
}
POSTS = ([post("instagram", d, 50, reach=1000) for d in (1, 5, 9)]  # 5 % over reach
         + [post("tiktok", d, 139) for d in (2, 3, 4, 40)]  # 10 % of 1,390 followers; one post too old
         + [post("spotify", 1, 1000, reach=100)])  # one post: too few to compare


def test_compare_known_numbers():
    got = cp.compare(SERIES, POSTS, days=30)
    assert (got.end, got.days, got.total_audience) == (END, 30, 10_390 + 1_390 + 600)
    ig, tt, sp = got.platforms
    assert (ig.platform, ig.audience, ig.change, ig.growth_pct, ig.complete) == ("instagram", 10_390, 300, 2.97, True)
    assert (tt.platform, tt.change, tt.growth_pct) == ("tiktok", 300, 27.52)
    assert (ig.posts, ig.engagement_rate, ig.basis) == (3, 5.0, "reach")
    assert (tt.posts, tt.engagement_rate, tt.basis) == (3, 10.0, "followers")
    assert (sp.posts, sp.engagement_rate, sp.change, sp.growth_pct) == (1, None, 0, 0.0)
    assert ig.share_pct == round(10_390 / 12_380 * 100, 2)
    assert round(ig.share_pct + tt.share_pct + sp.share_pct) == 100
    assert (got.top_engagement, got.fastest_growth) == ("tiktok", "tiktok")


def test_one_comparable_platform_names_no_leader():
    got = cp.compare({"instagram": SERIES["instagram"]}, POSTS[:3])
    assert got.top_engagement is None and got.fastest_growth is None
    assert got.platforms[0].share_pct == 100.0


def test_zero_audiences_and_starts_do_not_divide():
    got = cp.compare({"x": series(0, 0), "deezer": series(0, 5)}, [post("x", 1, 5)] * 3)
    x = next(p for p in got.platforms if p.platform == "x")
    assert (got.total_audience, x.share_pct, x.growth_pct, x.engagement_rate) == (195, None, None, None)
    deezer = next(p for p in got.platforms if p.platform == "deezer")
    assert (deezer.change, deezer.growth_pct, deezer.share_pct) == (150, round(150 / 45 * 100, 2), 100.0)  # 45 before


def test_short_history_is_incomplete_and_not_ranked_for_growth():
    got = cp.compare({"instagram": SERIES["instagram"], "tiktok": series(1_000, 50, days=10)}, [])
    tt = next(p for p in got.platforms if p.platform == "tiktok")
    assert (tt.complete, tt.change) == (False, 450)
    assert got.fastest_growth is None


def test_posts_of_an_unconnected_platform_and_empty_input():
    got = cp.compare({}, [post("youtube", 0, 10, reach=100)] * 3)
    assert got.end == END and [(p.platform, p.audience, p.engagement_rate) for p in got.platforms] == [
        ("youtube", None, 10.0)]
    empty = cp.compare(None, None)
    assert (empty.end, empty.platforms, empty.total_audience) == (None, [], 0)
    assert cp.compare(SERIES, POSTS, days=0).platforms == []
    assert cp.compare(SERIES, POSTS).as_dict()["end"] == END.isoformat()
