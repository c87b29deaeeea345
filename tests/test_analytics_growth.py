"""Growth windows, compounded rates, acceleration and records, on series with known answers."""

from datetime import date, timedelta

from dreamsuite.analytics import growth as g

D = date(2026, 11, 20)


def days_ending(end: date, values: list[int]) -> list[tuple[date, int]]:
    """values[-1] on `end`, one point per day before it."""
    n = len(values)
    return [(end - timedelta(days=n - 1 - i), v) for i, v in enumerate(values)]


LINEAR = days_ending(D, [1000 + 10 * i for i in range(61)])  # +10 a day for 60 days, 1600 on D


def test_change_24h_7d_30d():
    assert g.change(LINEAR, 1).change == 10
    week = g.change(LINEAR, 7)
    assert (week.change, week.start_date, week.complete) == (70, D - timedelta(days=7), True)
    month = g.change(LINEAR, 30)
    assert (month.start_followers, month.end_followers, month.change) == (1300, 1600, 300)
    assert month.pct == round(300 / 1300 * 100, 2)


def test_change_is_incomplete_when_history_starts_inside_the_window():
    short = days_ending(D, [100, 105, 120])
    got = g.change(short, 30)
    assert (got.change, got.complete, got.start_date) == (20, False, D - timedelta(days=2))


def test_change_accepts_unsorted_and_empty_input():
    assert g.change(list(reversed(LINEAR)), 7).change == 70
    assert g.change([], 7) is None and g.change(None, 7) is None and g.change(LINEAR, 0) is None


def test_change_between_a_custom_range():
    got = g.change_between(LINEAR, D - timedelta(days=9), D - timedelta(days=5))
    # baseline: the close of D-10 (1500); end: D-5 (1550)
    assert (got.start_followers, got.end_followers, got.change) == (1500, 1550, 50)
    assert g.change_between(LINEAR, D, D - timedelta(days=1)) is None
    assert g.change_between(LINEAR, D + timedelta(days=1), D + timedelta(days=5)) is None


def test_growth_rate_per_day_is_compounded():
    s = days_ending(D, [1000, 1100, 1210])
    assert g.growth_rate_per_day(s, 2) == 10.0
    # an incomplete window uses the days actually covered
    assert g.growth_rate_per_day(s, 30) == 10.0
    doubling = days_ending(D, [500] + [0] * 6 + [1000])  # 500 -> 1000 in 7 days
    doubling = [doubling[0], doubling[-1]]
    assert g.growth_rate_per_day(doubling, 7) == round((2 ** (1 / 7) - 1) * 100, 4)


def test_growth_rate_needs_a_positive_baseline_and_time():
    assert g.growth_rate_per_day(days_ending(D, [0, 10]), 1) is None
    assert g.growth_rate_per_day([(D, 10)], 7) is None
    assert g.growth_rate_per_day([], 7) is None


def test_acceleration_compares_equal_periods():
    # 14 days at +10/day, then 7 days at +20/day
    values = [1000 + 10 * i for i in range(15)] + [1140 + 20 * i for i in range(1, 8)]
    s = days_ending(D, values)
    got = g.acceleration(s, 7)
    assert (got.current, got.previous, got.ratio, got.verdict) == (140, 70, 2.0, "accelerating")
    assert got.as_dict()["verdict"] == "accelerating"


def test_acceleration_slowing_and_steady_band():
    slowing = days_ending(D, [1000 + 20 * i for i in range(8)] + [1140 + 10 * i for i in range(1, 8)])
    assert g.acceleration(slowing, 7).verdict == "slowing"
    # 70 then 77: exactly +10 % is still steady; 78 is not
    steady = days_ending(D, [0] * 7 + [1000, 1070, 1147])
    steady = [steady[-3], steady[-2], steady[-1]]
    assert g.acceleration(steady, 1) == g.Acceleration(1, 77, 70, 1.1, "steady")
    faster = [steady[0], steady[1], (D, 1148)]
    assert g.acceleration(faster, 1).verdict == "accelerating"


def test_acceleration_with_losses_and_a_flat_previous_period():
    fewer_losses = days_ending(D, [1000, 900, 850])  # -100 then -50
    got = g.acceleration(fewer_losses, 1)
    assert (got.current, got.previous, got.ratio, got.verdict) == (-50, -100, None, "accelerating")
    flat_then_up = days_ending(D, [1000, 1000, 1005])
    assert g.acceleration(flat_then_up, 1).verdict == "accelerating"
    assert g.acceleration(days_ending(D, [7, 7, 7]), 1).verdict == "steady"


def test_acceleration_needs_the_previous_period_fully_covered():
    s = days_ending(D, [1000 + 10 * i for i in range(14)])  # 13 changes: one short of 2 x 7
    assert g.acceleration(s, 7) is None
    assert g.acceleration(days_ending(D, [1000 + 10 * i for i in range(15)]), 7) is not None
    assert g.acceleration([], 7) is None and g.acceleration(LINEAR, 0) is None


def test_records_new_high_with_previous_high_and_its_date():
    s = days_ending(D, [100, 300, 250, 300, 200, 310])
    got = g.records(s)
    assert (got.value, got.previous_high, got.previous_high_date) == (310, 300, D - timedelta(days=4))
    assert got.metric == "followers" and got.date == D
    assert got.as_dict()["previous_high_date"] == (D - timedelta(days=4)).isoformat()


def test_records_equal_is_not_a_record_and_end_moves_the_last_point():
    s = days_ending(D, [100, 300, 250, 300])
    assert g.records(s) is None
    assert g.records(s, end=D - timedelta(days=2)).value == 300  # the first 300 was a high then
    assert g.records([(D, 5)]) is None and g.records([]) is None


def test_records_lookback_limits_what_counts_as_ever():
    views = days_ending(D, [900] + [100] * 20 + [150])
    assert g.records(views, metric="views") is None
    got = g.records(views, metric="views", lookback=14)
    assert (got.metric, got.value, got.previous_high, got.lookback) == ("views", 150, 100, 14)
    assert got.previous_high_date == D - timedelta(days=14)


def test_records_of_daily_gains():
    s = days_ending(D, [1000, 1010, 1030, 1035, 1070])  # gains 10, 20, 5, 35
    got = g.records(g.daily_changes(s), metric="new_followers")
    assert (got.value, got.previous_high, got.previous_high_date) == (35, 20, D - timedelta(days=2))


def test_a_series_vouched_sorted_is_used_as_is_and_any_other_is_cleaned():
    from dreamsuite.analytics.growth import Sorted, clean

    vouched = Sorted([(date(2026, 1, 1), 5), (date(2026, 1, 2), 7)])
    assert clean(vouched) is vouched
    plain = [(date(2026, 1, 2), 7), (date(2026, 1, 1), 5), (date(2026, 1, 2), 9), (None, 3)]
    assert clean(plain) == [(date(2026, 1, 1), 5), (date(2026, 1, 2), 9)]
    tidy = [(date(2026, 1, 1), 5), (date(2026, 1, 3), 6)]
    assert clean(tidy) == tidy
