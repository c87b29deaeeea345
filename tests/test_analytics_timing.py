"""Best times in the artist's timezone (DST included), weekday against weekend, posting
frequency and its link with growth, on posts whose answers are known."""

from datetime import date, datetime, timedelta, timezone

from dreamsuite.analytics import timing as t

UTC = timezone.utc
MON = date(2026, 10, 5)  # a Monday


def post(at: datetime, rate: float, platform="instagram"):
    """A post with `rate` % over a reach of 1,000."""
    return {"platform": platform, "posted_at": at, "reach": 1000, "likes": rate * 10}


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_slots_are_local_time_on_both_sides_of_dst():
    # Berlin: 17:00 UTC on Saturday 28 March is 18:00 CET; 16:00 UTC on Monday 30 March is 18:00 CEST
    posts = [post(at(date(2026, 3, 28), 17), 4.0), post(at(date(2026, 3, 30), 16), 6.0)]
    slots = {(s.weekday, s.hour): s for s in t.best_times(posts, "Europe/Berlin")}
    assert slots[(5, 18)].posts == 1 and slots[(0, 18)].posts == 1
    assert slots[(5, 18)].avg_rate == 4.0 and slots[(5, 18)].evidence == "thin"
    assert sum(s.posts for s in slots.values()) == 2
    utc = {(s.weekday, s.hour): s.posts for s in t.best_times(posts, "UTC")}
    assert (utc[(5, 17)], utc[(0, 16)]) == (1, 1)


def test_string_times_are_converted_too():
    slots = t.best_times([{"posted_at": "2026-07-01T23:30:00Z", "reach": 10, "likes": 1}], "America/New_York")
    assert (slots[0].weekday, slots[0].hour, slots[0].avg_rate) == (2, 19, 10.0)  # Wednesday 19:30 EDT


def test_a_thin_slot_never_ranks_above_an_ok_one():
    posts = [post(at(MON, 9), r) for r in (2.0, 3.0, 4.0)]  # ok, 3.0 %
    posts += [post(at(MON + timedelta(days=1), 20), 50.0)]  # thin, 50 %
    posts += [post(at(MON + timedelta(days=2), 12), r) for r in (5.0, 7.0, 6.0, 6.0)]  # ok, 6.0 %
    ranked = t.best_times(posts, "UTC")
    assert len(ranked) == 168
    top = [(s.weekday, s.hour, s.posts, s.avg_rate, s.evidence) for s in ranked[:3]]
    assert top == [(2, 12, 4, 6.0, "ok"), (0, 9, 3, 3.0, "ok"), (1, 20, 1, 50.0, "thin")]
    assert {s.evidence for s in ranked[3:]} == {"none"}


def test_posts_without_a_rate_count_but_give_no_evidence():
    posts = [{"posted_at": at(MON, 9), "likes": 5, "platform": "youtube"}] * 3
    slot = t.best_times(posts, "UTC", {"instagram": 100})[0]
    assert (slot.weekday, slot.hour, slot.posts, slot.avg_rate, slot.evidence) == (0, 9, 3, None, "none")
    # with the platform's followers known, the same posts have a rate
    slot = t.best_times(posts, "UTC", {"youtube": 100})[0]
    assert (slot.avg_rate, slot.evidence) == (5.0, "ok")


def test_grid_and_empty_input():
    ranked = t.best_times([post(at(MON, 9), 2.0)], "UTC")
    grid = t.as_grid(ranked)
    assert len(grid) == 7 and all(len(row) == 24 for row in grid)
    assert grid[0][9] == 2.0 and grid[0][10] is None
    assert [s.evidence for s in t.best_times([], "UTC")] == ["none"] * 168
    assert t.best_times([post(at(MON, 9), 2.0)], "Mars/Olympus") == []
    assert t.best_times([{"posted_at": "not a date"}, None], "UTC")[0].posts == 0


def test_weekday_vs_weekend():
    weekdays = [post(at(MON + timedelta(days=i), 10), r) for i, r in enumerate((4.0, 4.0, 4.0))]
    weekend = [post(at(MON + timedelta(days=5), 10), 6.0), post(at(MON + timedelta(days=6), 10), 6.0)]
    split = t.weekday_vs_weekend(weekdays + weekend, "UTC")
    assert (split.weekday_posts, split.weekday_rate, split.weekend_posts, split.weekend_rate) == (3, 4.0, 2, 6.0)
    assert (split.difference_pct, split.verdict) == (50.0, "not enough posts")
    more = weekend + [post(at(MON + timedelta(days=12), 10), 6.0)]
    assert t.weekday_vs_weekend(weekdays + more, "UTC").verdict == "weekend"
    close = [post(at(MON + timedelta(days=5 + 7 * i), 10), 4.3) for i in range(3)]
    assert t.weekday_vs_weekend(weekdays + close, "UTC").verdict == "no difference"
    empty = t.weekday_vs_weekend([], "UTC")
    assert (empty.weekday_rate, empty.difference_pct, empty.verdict) == (None, None, "not enough posts")


def test_weekend_is_local():
    # Sunday 23:30 UTC is Monday 08:30 in Tokyo
    split = t.weekday_vs_weekend([post(at(MON - timedelta(days=1), 23), 1.0)], "Asia/Tokyo")
    assert (split.weekday_posts, split.weekend_posts) == (1, 0)


def test_posting_frequency_counts_weeks_including_empty_ones():
    posts = [post(at(MON, 9), 1), post(at(MON + timedelta(days=6), 9), 1), post(at(MON + timedelta(days=14), 9), 1)]
    got = t.posting_frequency(posts, weeks=4)
    assert got == [(MON - timedelta(weeks=1), 0), (MON, 2), (MON + timedelta(weeks=1), 0),
                   (MON + timedelta(weeks=2), 1)]
    assert t.posting_frequency(posts, weeks=2, end=MON + timedelta(weeks=4)) == [
        (MON + timedelta(weeks=3), 0), (MON + timedelta(weeks=4), 0)]
    assert t.posting_frequency([], weeks=4) == [] and t.posting_frequency(posts, weeks=0) == []


def weekly(posts_per_week: list[int], gain_per_post: int, base_gain: int = 5):
    """Follower series with `base_gain + gain_per_post * posts` per week, and the posts."""
    start = MON - timedelta(days=1)  # the Sunday before: the first week's baseline
    series, posts, v = [(start, 1000)], [], 1000
    for w, n in enumerate(posts_per_week):
        weekly_gain = base_gain * 7 + gain_per_post * n * 7
        for d in range(1, 8):
            v += weekly_gain // 7
            series.append((start + timedelta(days=7 * w + d), v))
        posts += [post(at(MON + timedelta(weeks=w, days=i % 7), 12), 1) for i in range(n)]
    return series, posts


def test_frequency_vs_growth_known_link():
    series, posts = weekly([1, 3, 0, 2, 5, 4, 6, 2, 1, 3], gain_per_post=2)
    got = t.frequency_vs_growth(posts, series)
    assert (got.n, got.pearson, got.spearman, got.verdict) == (10, 1.0, 1.0, "positive")
    assert got.weeks[1] == (MON + timedelta(weeks=1), 3, 7 * (5 + 2 * 3))
    assert got.as_dict()["weeks"][0] == [MON.isoformat(), 1, 7 * 7]
    series, posts = weekly([1, 3, 0, 2, 5, 4, 6, 2, 1, 3], gain_per_post=-1, base_gain=10)
    assert t.frequency_vs_growth(posts, series).verdict == "negative"


def test_frequency_vs_growth_says_not_enough_weeks():
    series, posts = weekly([1, 3, 0, 2, 5, 4, 6], gain_per_post=2)
    got = t.frequency_vs_growth(posts, series)
    assert (got.n, got.pearson, got.verdict) == (7, 1.0, "not enough weeks")
    assert t.frequency_vs_growth([], []).verdict == "not enough weeks"


def test_frequency_vs_growth_skips_incomplete_weeks_and_flat_posting():
    series, posts = weekly([2] * 9, gain_per_post=2)
    got = t.frequency_vs_growth(posts, series)
    assert (got.n, got.spearman, got.verdict) == (9, None, "no variation")
    gap = [p for p in series if p[0] != MON + timedelta(days=3)]  # week 1 loses two daily changes
    assert t.frequency_vs_growth(posts, gap).n == 8


def test_ranks_share_ties():
    assert t.ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]
    assert t.spearman([1, 2, 3, 4], [1, 3, 2, 4]) == 0.8
