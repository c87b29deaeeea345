"""Rates per post (over reach, else followers) and groups by type, hashtag and platform."""

from datetime import datetime, timezone

from dreamsuite.analytics import engagement as eng

FOLLOWERS = {"instagram": 1000, "tiktok": 4000}


def post(i, platform="instagram", type="reel", reach=0, likes=0, comments=0, shares=0, saves=0, **kw):
    return {"id": i, "platform": platform, "type": type, "reach": reach, "likes": likes,
            "comments": comments, "shares": shares, "saves": saves, **kw}


def test_post_rate_over_reach():
    p = post(1, reach=200, likes=10, comments=4, shares=3, saves=3)  # 20 interactions
    assert eng.post_rate(p) == eng.Rate(10.0, "reach")
    assert eng.post_rate(p, followers=5).basis == "reach"  # reach wins when the post has it


def test_post_rate_falls_back_to_followers_and_says_so():
    p = post(1, reach=0, likes=25, comments=5)
    assert eng.post_rate(p, followers=1000) == eng.Rate(3.0, "followers")
    assert eng.post_rate({**p, "reach": None}, followers=600).value == 5.0
    assert eng.post_rate(p) is None and eng.post_rate(p, followers=0) is None
    assert eng.post_rate({}, None) is None
    assert eng.post_rate(p, followers=3000).as_dict() == {"value": 1.0, "basis": "followers"}


def test_post_rate_reads_junk_counts_as_zero():
    p = {"reach": "100", "likes": "7", "comments": None, "shares": "lots", "saves": -4}
    assert eng.post_rate(p) == eng.Rate(7.0, "reach")


POSTS = [
    post(1, type="reel", reach=100, likes=10),  # 10 %
    post(2, type="reel", reach=100, likes=20),  # 20 %
    post(3, type="photo", reach=200, likes=10),  # 5 %
    post(4, type="Photo", reach=0, likes=30),  # 3 % of 1,000 followers
    post(5, type="carousel", platform="tiktok", reach=0, likes=400),  # 10 % of 4,000 followers
    post(6, type=None, platform="youtube", likes=9),  # no reach, no followers: no rate
]


def test_by_type_ranks_by_average_rate():
    groups = eng.by_type(POSTS, FOLLOWERS)
    assert [(g.key, g.posts, g.rated, g.avg_rate) for g in groups] == [
        ("reel", 2, 2, 15.0), ("carousel", 1, 1, 10.0), ("photo", 2, 2, 4.0), ("unknown", 1, 0, None)]
    reel, carousel, photo, unknown = groups
    assert (reel.basis, carousel.basis, photo.basis, unknown.basis) == ("reach", "followers", "mixed", None)
    assert reel.avg_interactions == 15.0 and unknown.avg_interactions == 9.0
    assert photo.as_dict()["key"] == "photo"


def test_by_platform():
    groups = eng.by_platform(POSTS, FOLLOWERS)
    assert [(g.key, g.posts, g.avg_rate) for g in groups] == [
        ("tiktok", 1, 10.0), ("instagram", 4, 9.5), ("youtube", 1, None)]


def test_by_hashtag_needs_min_posts_and_reads_captions():
    posts = [
        post(1, reach=100, likes=8, hashtags=["#NewMusic", "indie", "newmusic"]),  # 8 %, counted once
        post(2, reach=100, likes=4, hashtags=["newmusic"]),  # 4 %
        post(3, reach=100, likes=2, caption="tour dates! #Indie #live"),  # 2 %
        post(4, reach=100, likes=50, hashtags=["viral"]),  # one post only
    ]
    groups = eng.by_hashtag(posts, FOLLOWERS)
    assert [(g.key, g.posts, g.avg_rate) for g in groups] == [("newmusic", 2, 6.0), ("indie", 2, 5.0)]
    assert [g.key for g in eng.by_hashtag(posts, FOLLOWERS, min_posts=1)][0] == "viral"
    assert eng.hashtags({"hashtags": "a, #B"}) == ["a", "b"]


def test_groups_of_nothing_are_empty():
    assert eng.by_type([], FOLLOWERS) == [] and eng.by_hashtag(None, None) == []
    assert eng.by_platform([None, "junk"], {}) == []


def test_ties_rank_by_posts_then_name():
    posts = [post(1, type="b", reach=10, likes=1), post(2, type="a", reach=10, likes=1),
             post(3, type="c", reach=10, likes=1), post(4, type="c", reach=10, likes=1)]
    assert [g.key for g in eng.by_type(posts)] == ["c", "a", "b"]


def test_posted_at_reads_strings_and_datetimes_as_utc():
    utc = datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
    assert eng.posted_at({"posted_at": "2026-03-29T01:30:00Z"}) == utc
    assert eng.posted_at({"posted_at": "2026-03-29T03:30:00+02:00"}) == utc
    assert eng.posted_at({"posted_at": datetime(2026, 3, 29, 1, 30)}) == utc
    assert eng.posted_at({"posted_at": "yesterday"}) is None and eng.posted_at({}) is None
