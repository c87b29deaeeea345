"""Anomalies against a robust weekly baseline, changes of pace, and a release's effect, on
series whose answers are known."""

from datetime import date, timedelta

from dreamsuite.analytics import anomalies as an

MON = date(2026, 8, 3)  # a Monday
WEEK = [100, 100, 100, 100, 100, 200, 200]  # weekends are always twice as busy


def flow(weeks: int, override: dict | None = None, noise: bool = False) -> list[tuple[date, int]]:
    out = []
    for i in range(weeks * 7):
        d = MON + timedelta(days=i)
        out.append((d, (override or {}).get(d, WEEK[d.weekday()] + ((i * 7) % 11 - 5 if noise else 0))))
    return out


def followers(daily_gains: list[int], start: int = 1000) -> list[tuple[date, int]]:
    out, v = [(MON - timedelta(days=1), start)], start
    for i, gain in enumerate(daily_gains):
        v += gain
        out.append((MON + timedelta(days=i), v))
    return out


SPIKE, DROP = MON + timedelta(weeks=7, days=2), MON + timedelta(weeks=8, days=1)  # a Wednesday, a Tuesday


def test_a_flat_weekly_pattern_gives_exact_expectations():
    found = an.anomalies(flow(10, {SPIKE: 400, DROP: 0}), cumulative=False)
    assert [(a.date, a.value, a.expected, a.kind) for a in found] == [
        (SPIKE, 400, 100, "spike"), (DROP, 0, 100, "drop")]
    # no noise: one unit is the smallest noise there is
    assert (found[0].score, found[1].score) == (300.0, -100.0)
    assert found[0].as_dict()["date"] == SPIKE.isoformat()


def test_busy_weekends_are_not_spikes_but_a_quiet_saturday_is_a_drop():
    sat = MON + timedelta(weeks=6, days=5)
    found = an.anomalies(flow(10, {sat: 100}, noise=True), cumulative=False)
    assert [(a.date, a.kind) for a in found] == [(sat, "drop")]
    assert an.anomalies(flow(10, noise=True), cumulative=False) == []


def test_with_noise_only_the_planted_days_stand_out():
    found = an.anomalies(flow(10, {SPIKE: 160, DROP: 55}, noise=True), cumulative=False)
    assert [(a.date, a.kind) for a in found] == [(SPIKE, "spike"), (DROP, "drop")]
    assert an.anomalies(flow(10, {SPIKE: 125}, noise=True), cumulative=False) == []  # within the noise


def test_one_spike_does_not_hide_the_next():
    second = SPIKE + timedelta(days=3)
    found = an.anomalies(flow(10, {SPIKE: 1000, second: 500}, noise=True), cumulative=False)
    assert [a.date for a in found] == [SPIKE, second]


def test_followers_are_read_through_their_daily_gains():
    gains = [30 if (MON + timedelta(days=i)).weekday() == 5 else 10 for i in range(56)]
    gains[38], gains[50] = 210, -40  # a Thursday gains 210; a Tuesday loses 40
    found = an.anomalies(followers(gains))
    assert [(a.date, a.value, a.expected, a.kind) for a in found] == [
        (MON + timedelta(days=38), 210, 10, "spike"), (MON + timedelta(days=50), -40, 10, "drop")]
    assert found[0].score == 200.0


def test_too_little_history_gives_nothing():
    assert an.anomalies(followers([10] * 20 + [500])) == []  # fewer than 21 days before the jump
    assert len(an.anomalies(followers([10] * 21 + [500]))) == 1
    assert an.anomalies([], cumulative=False) == [] and an.anomalies([(MON, 5)]) == []
    assert an.anomalies(flow(10, {SPIKE: 400}), window=14, cumulative=False) == []
    assert len(an.anomalies(flow(10, {SPIKE: 400}), window=21, cumulative=False)) == 1


def test_unsorted_input_is_fine():
    s = flow(10, {SPIKE: 400})
    assert an.anomalies(list(reversed(s)), cumulative=False) == an.anomalies(s, cumulative=False)


def wobble(i: int) -> int:
    return (i * 5) % 7 - 3  # -3..3, deterministic


def test_trend_change_where_the_pace_triples():
    s = followers([10 + wobble(i) for i in range(40)] + [30 + wobble(i) for i in range(40)])
    got = an.trend_changes(s)
    assert [(c.date, c.before_per_day, c.after_per_day, c.change_pct) for c in got] == [
        (MON + timedelta(days=40), 10, 30, 200.0)]
    assert got[0].as_dict()["date"] == (MON + timedelta(days=40)).isoformat()


def test_three_paces_two_changes():
    s = followers([10 + wobble(i) for i in range(30)] + [30 + wobble(i) for i in range(30)]
                  + [15 + wobble(i) for i in range(30)])
    got = an.trend_changes(s)
    assert [(c.date, c.before_per_day, c.after_per_day) for c in got] == [
        (MON + timedelta(days=30), 10, 30), (MON + timedelta(days=60), 30, 15)]


def test_a_one_day_spike_or_a_small_shift_is_not_a_trend_change():
    gains = [10 + wobble(i) for i in range(80)]
    gains[40] = 500
    assert an.trend_changes(followers(gains)) == []
    assert an.trend_changes(followers([100] * 40 + [105] * 40)) == []  # 5 %: the same pace
    assert an.trend_changes(followers([100] * 40 + [112] * 40))[0].change_pct == 12.0


def test_trend_changes_need_two_segments_of_history():
    s = followers([10] * 14 + [30] * 13)
    assert an.trend_changes(s) == []
    assert len(an.trend_changes(s, min_segment=13)) == 1
    assert an.trend_changes([]) == []


def test_trend_change_in_a_flow_series():
    s = [(MON + timedelta(days=i), (500 if i < 30 else 800) + 10 * wobble(i)) for i in range(60)]
    got = an.trend_changes(s, cumulative=False)
    assert [(c.date, c.before_per_day, c.after_per_day) for c in got] == [(MON + timedelta(days=30), 500, 800)]


RELEASE = date(2026, 10, 11)


def test_release_effect_on_followers():
    s, v = [], 1000
    for d in (date(2026, 9, 1) + timedelta(days=i) for i in range(50)):  # to Oct 20
        v += 25 if d >= RELEASE else 10
        s.append((d, v))
    got = an.release_effect(s, RELEASE)
    assert (got.before_avg_per_day, got.after_avg_per_day, got.lift_pct) == (10.0, 25.0, 150.0)
    assert (got.change_since, got.days_since) == (250, 9)
    assert got.as_dict()["release_date"] == "2026-10-11"
    week = an.release_effect(s, RELEASE, days=7)
    assert week.after_avg_per_day == 25.0 and week.change_since == 250


def test_release_effect_without_enough_history():
    s = [(RELEASE - timedelta(days=2), 100), (RELEASE - timedelta(days=1), 110), (RELEASE + timedelta(days=1), 150)]
    got = an.release_effect(s, RELEASE)
    assert (got.before_avg_per_day, got.lift_pct, got.change_since, got.days_since) == (None, None, 40, 1)
    assert got.after_avg_per_day == 20.0
    assert an.release_effect(s[2:], RELEASE) is None  # nothing before the release to count from
    assert an.release_effect(s[:2], RELEASE) is None  # nothing after it yet
    assert an.release_effect([], RELEASE) is None


def test_release_effect_on_a_flow_series():
    s = [(RELEASE + timedelta(days=i), 300 if i >= 0 else 100) for i in range(-14, 5)]
    got = an.release_effect(s, RELEASE, cumulative=False)
    assert (got.before_avg_per_day, got.after_avg_per_day, got.lift_pct) == (100.0, 300.0, 200.0)
    assert (got.change_since, got.days_since) == (1500, 4)
    assert an.release_effect(s[10:], RELEASE, cumulative=False).before_avg_per_day is None  # 4 of 14 days
