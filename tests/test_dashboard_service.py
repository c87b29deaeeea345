"""dashboard_data on real databases: totals, 7-day change, engagement, series, isolation."""

from datetime import date, datetime, timedelta, timezone

import pytest

from dreamsuite.db import session
from dreamsuite.models import PlatformConnection
from dreamsuite.services.dashboard import dashboard_data
from tests.seed_metrics import make_scope, seed_followers, seed_post

END = date(2026, 11, 20)


def test_empty_workspace(db):
    data = dashboard_data(make_scope())
    assert data.has_data is False and data.total_followers == 0
    assert data.series == {} and data.change_7d is None and data.engagement_rate is None


def test_totals_change_and_engagement(db):
    me = make_scope("Me")
    ig = [1000 + 10 * i for i in range(30)]  # ends at 1290 on END
    sp = [500 + 5 * i for i in range(30)]  # ends at 645
    seed_followers(me, "instagram", END, ig, engagement=40)
    seed_followers(me, "spotify", END, sp, engagement=0)
    seed_post(me, "instagram", "p1", END - timedelta(days=3), likes=10, reach=200)
    seed_post(me, "instagram", "old", END - timedelta(days=200), likes=10)
    other = make_scope("Other")
    seed_followers(other, "instagram", END, [99999] * 30, engagement=5000)
    seed_post(other, "instagram", "x", END, likes=1)

    data = dashboard_data(me, days=14)
    assert data.has_data and data.as_of == END.isoformat() and data.end == END.isoformat()
    assert data.start == (END - timedelta(days=13)).isoformat()
    assert data.total_followers == 1290 + 645
    base = ig[-8] + sp[-8]  # the close of the day before the 7-day window
    assert data.change_7d == 1290 + 645 - base == 70 + 35
    assert data.change_7d_pct == round(105 / base * 100, 2)
    assert data.change_24h == 10 + 5 and data.change_30d is None  # 30 days of history: no baseline for 30
    assert data.change == 14 * 15 and data.previous_change == 14 * 15  # a steady line
    assert data.engagement_7d == 10  # the one post of the last 7 days
    assert data.engagement_rate == 5.0 and data.engagement_basis == "reach"  # 10 / 200
    assert data.posts_count == 1
    assert [p["platform"] for p in data.platforms] == ["instagram", "spotify"]
    assert data.platforms[0] == {"platform": "instagram", "followers": 1290, "date": END.isoformat(),
                                 "change_7d": 70, "change": 140, "change_pct": round(140 / ig[-15] * 100, 2)}
    assert len(data.series["instagram"]) == len(data.series["spotify"]) == 14
    assert data.series["instagram"][0] == ((END - timedelta(days=13)).isoformat(), ig[-14])
    assert all(v < 99999 for pts in data.series.values() for _, v in pts)


def test_short_history_and_stale_platform(db):
    me = make_scope()
    seed_followers(me, "instagram", END, [100, 130])  # two days only
    seed_followers(me, "youtube", END - timedelta(days=30), [50, 60])  # stopped a month ago
    data = dashboard_data(me, days=90)
    assert data.total_followers == 130 + 60
    assert data.change_7d == 30  # youtube has no point in the last week: not counted as change
    yt = next(p for p in data.platforms if p["platform"] == "youtube")
    assert yt["change_7d"] is None and yt["date"] == (END - timedelta(days=30)).isoformat()


def test_last_synced_at_from_connections(db):
    me = make_scope()
    seed_followers(me, "instagram", END, [1, 2])
    when = datetime(2026, 11, 20, 6, 0, tzinfo=timezone.utc)
    with session() as s:
        s.add(PlatformConnection(workspace_id=me.workspace_id, platform="instagram", platform_user_id="u1",
                                 last_synced_at=when))
    other = make_scope("Other")
    with session() as s:
        s.add(PlatformConnection(workspace_id=other.workspace_id, platform="instagram", platform_user_id="u2",
                                 last_synced_at=when + timedelta(hours=5)))
    assert dashboard_data(me).last_synced_at == when


@pytest.mark.db
def test_a_platform_with_only_todays_numbers_has_no_weekly_change_not_zero(db):
    scope = make_scope()
    seed_followers(scope, "instagram", END, [1000 + 10 * i for i in range(14)])
    seed_followers(scope, "spotify", END, [5000])  # one snapshot: Spotify gives no history
    data = dashboard_data(scope)
    by = {p["platform"]: p for p in data.platforms}
    assert by["spotify"]["change_7d"] is None and by["spotify"]["followers"] == 5000
    assert by["instagram"]["change_7d"] == 70 and data.total_followers == 1130 + 5000


# ------------------------------------------------------------------ the richer dashboard
import random  # noqa: E402

from dreamsuite.analytics import crossplatform, timing  # noqa: E402
from dreamsuite.analytics import engagement as eng  # noqa: E402
from dreamsuite.models import FollowerAnomaly, StoredForecast  # noqa: E402
from dreamsuite.services import series as sr  # noqa: E402


def _posts_around_dst(scope, rng: random.Random) -> None:
    """Posts over a range that crosses Berlin's October clock change, with and without reach."""
    start = datetime(2026, 9, 20, tzinfo=timezone.utc)
    with session() as s:
        from dreamsuite.models import ContentPost

        for i in range(160):
            platform = rng.choice(["instagram", "instagram", "youtube", "tiktok"])
            kind = {"instagram": rng.choice(["reel", "photo", "carousel"]), "youtube": rng.choice(["video", "short"]),
                    "tiktok": "video"}[platform]
            at = start + timedelta(days=rng.randint(0, 60), hours=rng.choice([7, 8, 17, 18, 21]),
                                   minutes=rng.randint(0, 59))
            s.add(ContentPost(workspace_id=scope.workspace_id, platform=platform, platform_post_id=f"d{i}",
                              post_type=kind, posted_at=at, likes=rng.randint(0, 900), comments=rng.randint(0, 50),
                              shares=rng.randint(0, 30), saves=rng.randint(0, 30),
                              reach=rng.choice([0, rng.randint(500, 9000)])))


@pytest.mark.db
@pytest.mark.parametrize("tz", ["Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns"])
def test_engagement_added_up_in_sql_matches_the_analytics_over_the_same_posts(db, tz):
    # Berlin's clock change falls inside the range; Lord Howe moves by half an hour (on Oct 4);
    # St John's sits at -3:30 and changes on Nov 1.
    rng = random.Random(11)
    me = make_scope("Artist", tz=tz)
    end = date(2026, 11, 20)
    seed_followers(me, "instagram", end, [20000 + 30 * i for i in range(120)])
    seed_followers(me, "youtube", end, [4000 + 3 * i for i in range(120)])
    seed_followers(me, "tiktok", end, [9000 - 2 * i for i in range(120)])
    _posts_around_dst(me, rng)

    start = date(2026, 9, 20)
    data = dashboard_data(me, start=start, end=end)
    followers = {"instagram": 20000 + 30 * 119, "youtube": 4000 + 3 * 119, "tiktok": 9000 - 2 * 119}
    with session() as s:
        posts = sr.post_rows(s, me, start, end)
    assert data.posts_count == len(posts) == 160

    assert data.content_types == [{"key": g.key, "avg_rate": g.avg_rate, "posts": g.posts, "basis": g.basis}
                                  for g in eng.by_type(posts, followers)]
    assert data.best_times == [s.as_dict() for s in timing.best_times(posts, tz, followers)]
    if tz == "Europe/Berlin":  # UTC 07:xx is 09:00 local in summer, 08:00 in winter: both slots used
        used = {(s["weekday"], s["hour"]) for s in data.best_times if s["posts"]}
        assert any(h == 9 for _, h in used) and any(h == 8 for _, h in used)
    overall = eng.group("all", posts, followers)
    assert (data.engagement_rate, data.engagement_basis) == (overall.avg_rate, overall.basis) == \
        (overall.avg_rate, "mixed")
    compared = crossplatform.compare({p: [(end, v)] for p, v in followers.items()}, posts,
                                     days=(end - start).days + 1, end=end)
    by = {r["platform"]: r for r in data.comparison}
    for stat in compared.platforms:
        assert by[stat.platform]["engagement_rate"] == stat.engagement_rate
        assert by[stat.platform]["share"] == pytest.approx(stat.share_pct / 100, abs=1e-4)
    assert data.top_engagement_platform == compared.top_engagement
    # Engagement over time: weeks (the range is longer than a month), each a Monday.
    assert data.engagement_step == "week"
    assert all(date.fromisoformat(day).weekday() == 0 for day, _, _ in data.engagement)
    week = date.fromisoformat(data.engagement[0][0])
    first = [p for p in posts if p["platform"] == data.engagement[0][1] and week <= p["posted_at"].date()
             < week + timedelta(days=7)]
    assert data.engagement[0][2] == eng.group("x", first, followers).avg_rate


@pytest.mark.db
def test_a_past_range_shows_that_period_without_forecasts(db):
    me = make_scope()
    seed_followers(me, "instagram", END, [1000 + i for i in range(200)])
    with session() as s:
        s.add(StoredForecast(workspace_id=me.workspace_id, platform="instagram", method="ETS(A,A,N)",
                             points=[[(END + timedelta(days=1)).isoformat(), 1200.0, 1190.0, 1210.0]]))
        s.add(FollowerAnomaly(workspace_id=me.workspace_id, platform="instagram", date=END - timedelta(days=150),
                              change=80, expected=1, score=9.0, kind="spike", followers=1049))
        s.add(FollowerAnomaly(workspace_id=me.workspace_id, platform="instagram", date=END - timedelta(days=10),
                              change=-50, expected=1, score=-8.0, kind="drop", followers=1189))
    now = dashboard_data(me, days=30)
    assert list(now.forecasts) == ["instagram"] and now.forecasts["instagram"][0][1] == 1200.0
    assert [m[0] for m in now.anomalies["instagram"]] == [(END - timedelta(days=10)).isoformat()]
    assert now.anomalies["instagram"][0][1:3] == (1189, "drop")

    past_end = END - timedelta(days=90)
    past = dashboard_data(me, start=past_end - timedelta(days=29), end=past_end)
    assert past.forecasts == {} and past.end == past_end.isoformat()
    assert past.total_followers == 1000 + 109  # the count on the range's last day
    assert past.anomalies == {}
    wider = dashboard_data(me, start=END - timedelta(days=160), end=past_end)
    assert [m[0] for m in wider.anomalies["instagram"]] == [(END - timedelta(days=150)).isoformat()]
    # A start after the end, or a range longer than ten years, is clamped rather than refused.
    odd = dashboard_data(me, start=END, end=END - timedelta(days=5), days=7)
    assert odd.start == (END - timedelta(days=11)).isoformat()


@pytest.mark.db
def test_another_workspaces_rows_never_show(db):
    me, other = make_scope("Me"), make_scope("Other")
    seed_followers(me, "instagram", END, [100 + i for i in range(40)])
    seed_followers(other, "instagram", END, [9000 + i for i in range(40)])
    seed_post(other, "instagram", "theirs", END - timedelta(days=1), likes=500, reach=1000)
    with session() as s:
        s.add(StoredForecast(workspace_id=other.workspace_id, platform="instagram", points=[]))
        s.add(FollowerAnomaly(workspace_id=other.workspace_id, platform="instagram", date=END - timedelta(days=2),
                              change=1, expected=0, score=5, kind="spike", followers=9037))
    data = dashboard_data(me)
    assert data.total_followers == 139 and data.posts_count == 0 and data.top_posts == []
    assert data.forecasts == {} and data.anomalies == {} and data.content_types == []
