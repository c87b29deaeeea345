"""XP table, posting streaks in the artist's timezone, and the level curve."""

from datetime import date, datetime, timedelta, timezone

import pytest

from dreamsuite.analytics import xp

TODAY = date(2026, 11, 30)


def test_xp_table():
    assert xp.xp_for("connected_platform") == 100 and xp.xp_for("goal_reached") == 500
    assert xp.xp_for("acted_on_insight") == 25 and xp.xp_for("nonsense") == 0
    assert all(len(k) <= 32 for k in xp.XP)  # fits xp_event.kind
    assert xp.streak_rewards(2) == [] and xp.streak_rewards(7) == [(3, 30), (7, 100)]


def days_back(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=o) for o in offsets]


def test_current_and_longest_streak():
    got = xp.streak(days_back(0, 1, 2, 10, 11, 12, 13, 14, 20), today=TODAY)
    assert (got.current, got.longest, got.current_since) == (3, 5, TODAY - timedelta(days=2))


def test_a_streak_lives_until_today_ends_without_a_post():
    assert xp.streak(days_back(1, 2), today=TODAY).current == 2
    gone = xp.streak(days_back(2, 3, 4), today=TODAY)
    assert (gone.current, gone.longest, gone.current_since) == (0, 3, None)


def test_several_posts_a_day_count_once_and_future_posts_not_at_all():
    got = xp.streak(days_back(0, 0, 0, 1, -1, -2), today=TODAY)
    assert (got.current, got.longest) == (2, 2)


def test_streak_days_are_local():
    # 23:30 UTC on Nov 28 and 00:30 UTC on Nov 30 are Nov 29 and Nov 30 in Tokyo: consecutive;
    # in UTC they are a day apart, with nothing on Nov 29
    posts = [datetime(2026, 11, 28, 23, 30, tzinfo=timezone.utc), "2026-11-30T00:30:00Z"]
    assert xp.streak(posts, "Asia/Tokyo", today=TODAY).current == 2
    assert xp.streak(posts, "UTC", today=TODAY).current == 1
    assert xp.streak(posts, "Nowhere/Land", today=TODAY).current == 1  # unknown zone: UTC


def test_empty_and_junk():
    assert xp.streak([], today=TODAY) == xp.Streak(0, 0, None)
    assert xp.streak(["junk", None, 5], today=TODAY) == xp.Streak(0, 0, None)
    assert xp.streak(None).as_dict() == {"current": 0, "longest": 0, "current_since": None}


@pytest.mark.parametrize("total,level,into,span,name", [
    (0, 1, 0, 100, "Bedroom Artist"),
    (99, 1, 99, 100, "Bedroom Artist"),
    (100, 2, 0, 200, "Bedroom Artist"),
    (299, 2, 199, 200, "Bedroom Artist"),
    (300, 3, 0, 300, "Open Mic"),
    (1_000, 5, 0, 500, "Local Act"),
    (4_499, 9, 899, 900, "Opening Act"),
    (4_500, 10, 0, 1_000, "Opening Act"),
    (19_000, 20, 0, 2_000, "Touring Artist"),
    (10_000_000, 447, 10_000_000 - 50 * 447 * 446, 44_700, "Icon"),
])
def test_level_curve(total, level, into, span, name):
    got = xp.level_for(total)
    assert (got.level, got.xp_into_level, got.xp_for_next, got.name, got.total_xp) == (level, into, span, name, total)


def test_levels_of_junk_are_level_one():
    assert xp.level_for(-50).level == 1 and xp.level_for(float("nan")).level == 1
    assert xp.level_for(None).as_dict()["total_xp"] == 0
    assert all(xp.level_for(xp.level_start(n)).level == n for n in range(1, 200))
