"""Forecasts with a band, on series whose future is known: a trend with a weekly pattern, a
flat line, a random walk of known step size, and too little history."""

import math
import random
from datetime import date, timedelta

from dreamsuite.analytics import forecast as fc

START = date(2025, 11, 3)  # a Monday
PATTERN = [-3, -2, -1, 0, 1, 2, 3]


def wobble(i: int) -> float:
    return ((i * 37) % 11 - 5) / 5  # -1..1, deterministic


def trend(days: int) -> list[tuple[date, float]]:
    return [(START + timedelta(days=i), 1000 + 10 * i + PATTERN[i % 7] + wobble(i)) for i in range(days)]


def test_a_trend_is_continued_with_a_widening_band():
    s = trend(120)
    got = fc.forecast(s, horizon=30, level=80)
    assert got.level == 80 and len(got.points) == 30
    assert [p[0] for p in got.points] == [START + timedelta(days=120 + h) for h in range(30)]
    day, mean, lo, hi = got.points[-1]
    truth = 1000 + 10 * 149 + PATTERN[149 % 7]
    assert abs(mean - truth) < 0.01 * truth
    assert all(lo <= m <= hi for _, m, lo, hi in got.points)
    assert got.points[-1][3] - got.points[-1][2] > got.points[0][3] - got.points[0][2]
    assert got.method.startswith("ETS(A,A") and got.method.endswith(",A)")  # the weekly pattern is kept


def test_weekly_season_in_a_flow_series():
    s = [(START + timedelta(days=i), (200 if i % 7 in (5, 6) else 100) + 3 * wobble(i)) for i in range(84)]
    got = fc.forecast(s, horizon=14)
    for d, mean, _, _ in got.points:
        assert abs(mean - (200 if d.weekday() >= 5 else 100)) < 10, (d, mean)


def test_band_of_a_random_walk_matches_its_step_size():
    r, v, s = random.Random(7), 5000.0, []
    for i in range(365):
        v += r.gauss(0, 5)
        s.append((START + timedelta(days=i), v))
    got = fc.forecast(s, horizon=30, level=80)
    width = got.points[-1][3] - got.points[-1][2]
    expected = 2 * 1.2816 * 5 * math.sqrt(30)  # an 80 % band after 30 steps of σ 5
    assert 0.75 * expected < width < 1.25 * expected
    assert fc.forecast(s, horizon=30, level=95).points[-1][3] > got.points[-1][3]


def test_same_series_same_forecast():
    s = trend(90)
    assert fc.forecast(s) == fc.forecast(list(reversed(s)))


def test_below_fourteen_points_there_is_no_forecast():
    assert fc.forecast(trend(13)) is None
    assert fc.forecast([]) is None and fc.forecast(None) is None
    short = fc.forecast(trend(14), horizon=7)
    assert short is not None and short.method.endswith(",N)")  # no season from two weeks


def test_a_flat_series_stays_flat():
    got = fc.forecast([(START + timedelta(days=i), 250) for i in range(30)], horizon=5)
    assert got.method == "flat"
    assert got.points == [(START + timedelta(days=30 + h), 250, 250, 250) for h in range(5)]


def test_gaps_are_filled_and_counts_stay_at_or_above_zero():
    s = [(START + timedelta(days=2 * i), max(0, 3 + (i % 3) - 2 * (i % 2))) for i in range(40)]
    got = fc.forecast(s, horizon=10)
    assert got.points[0][0] == START + timedelta(days=79)
    assert all(lo >= 0 and mean >= 0 for _, mean, lo, _ in got.points)


def test_junk_arguments_give_none():
    s = trend(60)
    assert fc.forecast(s, horizon=0) is None and fc.forecast(s, horizon=10_000) is None
    assert fc.forecast(s, level=100) is None and fc.forecast(s, level=5) is None


def test_as_dict_is_what_the_worker_stores():
    got = fc.forecast(trend(30), horizon=2)
    d = got.as_dict()
    assert d["method"] == got.method and d["level"] == 80
    assert d["points"][0][0] == (START + timedelta(days=30)).isoformat() and len(d["points"][0]) == 4


def test_a_smooth_line_does_not_get_a_band_that_stays_narrow():
    # A month of steady growth with a little noise: ETS may set its smoothing weights to zero and
    # call the line certain; the band must still widen like the daily steps' random walk.
    rng = random.Random(3)
    start = date(2026, 1, 1)
    series = [(start + timedelta(days=i), 1000 + 60 * i + rng.randint(-8, 8)) for i in range(30)]
    f = fc.forecast(series, horizon=90, level=80)
    steps = [b[1] - a[1] for a, b in zip(series, series[1:])]
    mean = sum(steps) / len(steps)
    sd = math.sqrt(sum((s - mean) ** 2 for s in steps) / (len(steps) - 1))
    z = 1.2816
    _, m90, lo90, hi90 = f.points[-1]
    assert hi90 - lo90 >= 2 * z * sd * math.sqrt(90) * 0.99
    first_width = f.points[0][3] - f.points[0][2]
    assert hi90 - lo90 > 5 * first_width
    assert lo90 < m90 < hi90
