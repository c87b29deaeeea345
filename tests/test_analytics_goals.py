"""Goals: progress and pace, projection from a forecast's band, milestones — known answers."""

from datetime import date, timedelta

from dreamsuite.analytics import goals as gl
from dreamsuite.analytics.forecast import Forecast

TODAY = date(2026, 11, 30)


def series(start_value: int, per_day: int, days: int = 40):
    return [(TODAY - timedelta(days=days - 1 - i), start_value + per_day * i) for i in range(days)]


S = series(7_610, 10)  # 8,000 today, +10 a day


def test_progress_on_track_when_the_pace_is_enough():
    goal = gl.Goal(platform="instagram", metric="followers", target=10_000, deadline=TODAY + timedelta(days=200))
    got = gl.progress(goal, S)
    assert (got.current, got.target, got.pct, got.remaining) == (8_000, 10_000, 80.0, 2_000)
    assert (got.days_left, got.needed_per_day, got.recent_per_day, got.on_track) == (200, 10.0, 10.0, True)
    assert got.as_dict()["as_of"] == TODAY.isoformat()


def test_progress_off_track_and_past_deadline():
    goal = gl.Goal(None, "followers", 10_000, TODAY + timedelta(days=199))
    assert gl.progress(goal, S).on_track is False  # 1,990 by then, 2,000 needed
    late = gl.Goal(None, "followers", 10_000, TODAY)
    got = gl.progress(late, S)
    assert (got.days_left, got.needed_per_day, got.on_track) == (0, None, False)


def test_progress_without_a_deadline_or_a_week_of_history():
    assert gl.progress(gl.Goal(None, target=10_000), S).on_track is None
    week = gl.Goal(None, target=10_000, deadline=TODAY + timedelta(days=400))
    assert gl.progress(week, series(8_000, 10, days=7)).on_track is None  # 6 days of pace
    assert gl.progress(week, series(8_000, 10, days=8)).on_track is True


def test_progress_reached_and_junk():
    got = gl.progress(gl.Goal(None, target=5_000, deadline=TODAY - timedelta(days=3)), S)
    assert (got.pct, got.remaining, got.on_track) == (100.0, 0, True)
    assert gl.progress(gl.Goal(None, target=0), S) is None
    assert gl.progress(gl.Goal(None, target=10), []) is None
    assert gl.progress(gl.Goal(None, target=10_000), S, today=TODAY - timedelta(days=10)).current == 7_900


def fcast(days: int = 30):
    """Mean +10 a day from 8,000; band ±2 a day of horizon."""
    return Forecast("test", [(TODAY + timedelta(days=h), 8_000 + 10 * h, 8_000 + 8 * h, 8_000 + 12 * h)
                             for h in range(1, days + 1)], 80)


def test_projection_dates_from_mean_and_band():
    goal = gl.Goal(None, target=8_120, deadline=TODAY + timedelta(days=12))
    got = gl.projection(goal, fcast())
    # mean reaches 8,120 on day 12, the upper edge on day 10, the lower edge on day 15
    assert (got.expected_date, got.earliest, got.latest) == tuple(TODAY + timedelta(days=d) for d in (12, 10, 15))
    assert got.by_deadline == "possible" and got.level == 80
    assert gl.projection(gl.Goal(None, target=8_120, deadline=TODAY + timedelta(days=15)), fcast()).by_deadline \
        == "likely"
    assert gl.projection(gl.Goal(None, target=8_120, deadline=TODAY + timedelta(days=9)), fcast()).by_deadline \
        == "unlikely"
    assert got.as_dict()["latest"] == (TODAY + timedelta(days=15)).isoformat()


def test_projection_beyond_the_forecast_says_nothing_it_cannot_know():
    far = gl.Goal(None, target=9_000, deadline=TODAY + timedelta(days=300))
    got = gl.projection(far, fcast())
    assert (got.expected_date, got.earliest, got.latest, got.by_deadline) == (None, None, None, None)
    assert gl.projection(gl.Goal(None, target=9_000), fcast()).by_deadline is None
    near = gl.Goal(None, target=9_000, deadline=TODAY + timedelta(days=20))
    assert gl.projection(near, fcast()).by_deadline == "unlikely"


def test_projection_when_already_reached_or_without_forecast():
    goal = gl.Goal(None, target=7_000, deadline=TODAY + timedelta(days=20))
    got = gl.projection(goal, fcast(), current=8_000)
    assert (got.reached, got.by_deadline) == (True, "likely")
    assert gl.projection(goal, None) is None and gl.projection(goal, Forecast("x", [], 80)) is None


def test_as_forecast_reads_stored_rows():
    f = gl.as_forecast([["2026-12-02", 5, 4, 6], ["2026-12-01", "3", 2, 4], ["junk"], None])
    assert f.points == [(date(2026, 12, 1), 3.0, 2.0, 4.0), (date(2026, 12, 2), 5.0, 4.0, 6.0)]
    assert (f.method, f.level) == ("stored", 80)
    assert gl.as_forecast([]) is None and gl.as_forecast(None) is None


def test_milestones_reached_and_next():
    s = [(TODAY - timedelta(days=3), 900), (TODAY - timedelta(days=2), 1_200), (TODAY - timedelta(days=1), 5_100),
         (TODAY, 4_990)]
    got = gl.milestones(s)
    assert got.reached == [(1_000, TODAY - timedelta(days=2)), (5_000, TODAY - timedelta(days=1))]
    assert (got.current, got.next, got.remaining) == (4_990, 5_000, 10)
    assert got.pct_to_next == round(3_990 / 4_000 * 100, 1)
    assert got.as_dict()["reached"][0] == [1_000, (TODAY - timedelta(days=2)).isoformat()]


def test_milestones_custom_steps_and_edges():
    got = gl.milestones([(TODAY, 50)], steps=(100, 10))
    assert (got.reached, got.next, got.remaining, got.pct_to_next) == ([(10, TODAY)], 100, 50, 44.4)
    top = gl.milestones([(TODAY, 20_000_000)])
    assert (top.next, top.remaining, top.pct_to_next, len(top.reached)) == (None, None, None, 12)
    assert gl.milestones([]) is None
