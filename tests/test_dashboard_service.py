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
    assert data.series == [] and data.change_7d is None and data.engagement_rate is None


def test_totals_change_and_engagement(db):
    me = make_scope("Me")
    ig = [1000 + 10 * i for i in range(30)]  # ends at 1290 on END
    sp = [500 + 5 * i for i in range(30)]  # ends at 645
    seed_followers(me, "instagram", END, ig, engagement=40)
    seed_followers(me, "spotify", END, sp, engagement=0)
    seed_post(me, "instagram", "p1", END - timedelta(days=3), likes=10)
    seed_post(me, "instagram", "old", END - timedelta(days=200), likes=10)
    other = make_scope("Other")
    seed_followers(other, "instagram", END, [99999] * 30, engagement=5000)
    seed_post(other, "instagram", "x", END, likes=1)

    data = dashboard_data(me, days=14)
    assert data.has_data and data.as_of == END.isoformat()
    assert data.total_followers == 1290 + 645
    base = ig[-8] + sp[-8]  # the close of the day before the 7-day window
    assert data.change_7d == 1290 + 645 - base == 70 + 35
    assert data.change_7d_pct == round(105 / base * 100, 2)
    assert data.engagement_7d == 7 * 40
    assert data.engagement_rate == round(280 / 1935 * 100, 2)
    assert data.posts_count == 1
    assert [p["platform"] for p in data.platforms] == ["instagram", "spotify"]
    assert data.platforms[0] == {"platform": "instagram", "followers": 1290, "date": END.isoformat(), "change_7d": 70}
    assert len(data.series) == 14 * 2
    assert data.series[0] == {"date": (END - timedelta(days=13)).isoformat(), "platform": "instagram", "followers": ig[-14]}
    assert all(p["followers"] < 99999 for p in data.series)


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
