"""Pure analytics: growth and engagement over plain data, including empty and short series."""

from datetime import date, timedelta

import pytest

from dreamsuite.analytics import engagement as eng
from dreamsuite.analytics import growth as g

D = date(2026, 11, 20)


def series(start: date, values: list[int]) -> list[tuple[date, int]]:
    return [(start + timedelta(days=i), v) for i, v in enumerate(values)]


@pytest.mark.parametrize("fn", [g.current_followers, g.best_day, g.worst_day, g.average_daily_growth])
def test_empty_series_gives_none(fn):
    assert fn([]) is None


def test_empty_and_single_point_growth():
    assert g.change_over_days([], 7) is None
    assert g.growth_for_period([], "this_month", D) is None
    one = [(D, 100)]
    assert g.current_followers(one) == 100
    assert g.best_day(one) is None and g.average_daily_growth(one) is None
    only = g.change_over_days(one, 7)
    assert (only.change, only.complete) == (0, False)


def test_unsorted_duplicates_are_cleaned():
    s = [(D, 120), (D - timedelta(days=1), 100), (D, 130)]
    assert g.clean(s) == [(D - timedelta(days=1), 100), (D, 130)]
    assert g.current_followers(s) == 130


def test_change_over_days_uses_the_day_before_the_window():
    s = series(D - timedelta(days=9), [100, 110, 120, 130, 140, 150, 160, 170, 180, 190])  # ends on D
    got = g.change_over_days(s, 7)
    # window D-6..D; baseline is D-7 = 120
    assert (got.start_followers, got.end_followers, got.change) == (120, 190, 70)
    assert got.pct == round(70 / 120 * 100, 2) and got.complete
    assert got.start_date == D - timedelta(days=7)


def test_growth_this_month_and_last_month():
    s = series(date(2026, 10, 29), [1000, 1010, 1020, 1050, 1055, 1060])  # Oct 29 .. Nov 3
    this = g.growth_for_period(s, "this_month", date(2026, 11, 3))
    assert (this.start_followers, this.end_followers, this.change) == (1020, 1060, 40)  # from Oct 31
    last = g.growth_for_period(s, "last_month", date(2026, 11, 3))
    assert (last.start_followers, last.end_followers, last.complete) == (1000, 1020, False)
    month = g.growth_for_period(s, "2026-10", date(2026, 11, 3))
    assert month == last
    assert g.growth_for_period(s, "all", date(2026, 11, 3)).change == 60


@pytest.mark.parametrize("junk", ["", "a", "yesterday-ish", "last_0_days", "last_9999_days", "2026-13",
                                  "1999-01", "2030-01", "DROP TABLE", None])
def test_unknown_periods_are_rejected_not_raised(junk):
    assert g.period_range(junk, D) is None
    assert g.growth_for_period([(D, 1)], junk, D) is None


def test_last_n_days_range():
    assert g.period_range("last_30_days", D) == (D - timedelta(days=29), D)
    assert g.period_range(" This_Month ", D) == (date(2026, 11, 1), D)


def test_best_worst_and_average_ignore_gaps():
    s = [(D, 100), (D + timedelta(days=1), 150), (D + timedelta(days=2), 140), (D + timedelta(days=10), 1000)]
    assert g.best_day(s) == (D + timedelta(days=1), 50)
    assert g.worst_day(s) == (D + timedelta(days=2), -10)
    assert g.average_daily_growth(s) == 90.0


def test_zero_baseline_has_no_percentage():
    got = g.change_over_days(series(D, [0, 5]), 1)
    assert got.change == 5 and got.pct is None


def test_combine_growth_keeps_each_baseline():
    a = g.change_over_days(series(D, [100, 110, 120]), 2)
    b = g.growth_between([(D + timedelta(days=2), 5000)], D + timedelta(days=1), D + timedelta(days=2))
    total = g.combine_growth([a, b, None])
    assert (total.start_followers, total.end_followers, total.change) == (5100, 5120, 20)
    assert total.complete is False
    assert g.combine_growth([None]) is None


def test_sum_by_date():
    assert g.sum_by_date([[(D, 1)], [(D, 2), (D + timedelta(days=1), 3)]]) == [(D, 3), (D + timedelta(days=1), 3)]


def test_engagement_rate():
    assert eng.engagement_rate(50, 1000) == 5.0
    assert eng.engagement_rate(1, 3) == 33.33
    assert eng.engagement_rate(50, 0) is None and eng.engagement_rate(None, 10) is None
    assert eng.engagement_rate(5, None) is None


POSTS = [
    {"id": 1, "likes": 10, "comments": 2, "posted_at": "2026-11-01"},
    {"id": 2, "likes": 100, "comments": 5, "shares": 3, "saves": 2, "views": 900, "posted_at": "2026-11-02"},
    {"id": 3, "likes": 8, "comments": 4, "posted_at": "2026-11-03"},
]


def test_top_posts_ranked_by_interactions_newest_first_on_ties():
    top = eng.top_posts(POSTS, limit=2, followers=1000)
    assert [p["id"] for p in top] == [2, 3]  # 3 and 1 tie at 12: the newer wins
    assert top[0]["engagement"] == 110 and top[0]["engagement_rate"] == 11.0
    assert eng.top_posts(POSTS, limit=0) == [] and eng.top_posts([], 5) == []
    assert "engagement_rate" not in eng.top_posts(POSTS)[0]


def test_per_post_averages():
    avg = eng.per_post_averages(POSTS)
    assert avg["posts"] == 3 and avg["likes"] == round(118 / 3, 1)
    assert avg["engagement"] == round(134 / 3, 1) and avg["views"] == 300.0
    assert eng.per_post_averages([]) is None
