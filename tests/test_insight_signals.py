"""The signals on hand-made snapshots: what each one claims is what its numbers show."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from dreamsuite.analytics import goals as goal_math
from dreamsuite.insights import engine, signals
from dreamsuite.insights.signals import GoalState, Snapshot
from tests.insight_repro import unexplained_numbers

TODAY = date(2026, 6, 10)
LABELS = {"instagram": "Instagram", "youtube": "YouTube", "facebook": "Facebook"}


def _series(days: int, start: int, per_day, end: date = TODAY, skip: set[date] = frozenset()) -> list:
    out, value = [], start
    for k in range(days, -1, -1):
        d = end - timedelta(days=k)
        value += per_day(d) if out or k < days else 0
        if d not in skip:
            out.append((d, value))
    return out


def _snap(**kw) -> Snapshot:
    return Snapshot(today=TODAY, tz="UTC", labels=LABELS, **kw)


def _numbers_ok(d) -> None:
    for text in (d.title, d.message):
        assert not unexplained_numbers(text, d.figures, TODAY), text


def test_losing_fewer_followers_than_usual_is_not_called_a_gain_nor_urgent():
    weekly = (2, -1, 0, 1, -2, 3, -3)
    day = TODAY - timedelta(days=1)  # yesterday lost 5 followers where its weekday loses about 50
    series = _series(60, 50_000, lambda d: -5 if d == day else -50 + weekly[d.weekday()])
    [d] = signals.jumps(_snap(followers={"facebook": series}))
    assert d.figures["change"]["value"] == -5 and d.figures["usual"]["value"] < -40
    assert "lost only 5 followers" in d.message and "gained" not in d.message
    assert d.priority == "medium" and "jump" not in d.title.lower()
    _numbers_ok(d)


def test_a_real_drop_is_high_priority_and_a_real_jump_is_a_jump():
    weekly = (2, -1, 0, 1, -2, 3, -3)
    day = TODAY - timedelta(days=1)
    for change, title, priority in ((-400, "Unusual drop on Facebook", "high"),
                                    (600, "Unusual jump on Facebook", "medium")):
        series = _series(60, 50_000, lambda d: (change if d == day else 20 + weekly[d.weekday()]))
        [d] = signals.jumps(_snap(followers={"facebook": series}))
        assert (d.title, d.priority, d.figures["change"]["value"]) == (title, priority, change)
        _numbers_ok(d)


def test_a_week_is_compared_only_from_the_day_before_it():
    """'the week before' must be seven days: with the day before it missing, the change would
    run from an older count and cover more."""
    series = _series(30, 1_000, lambda d: 10 if d < TODAY - timedelta(days=7) else 40)
    [d] = signals.pace(_snap(followers={"instagram": series}))
    assert d.title == "Instagram is growing faster" and d.figures["this_week"]["value"] == 280
    src = d.figures["this_week"]["source"]
    assert date.fromisoformat(src["to"]) - date.fromisoformat(src["from"]) == timedelta(days=7)
    gap = {TODAY - timedelta(days=15)}
    assert signals.pace(_snap(followers={"instagram": _series(30, 1_000, lambda d: 10 if d < TODAY - timedelta(
        days=7) else 40, skip=gap)})) == []


def _post(platform: str, kind: str, day: int, interactions: int, reach: int = 0) -> dict:
    return {"platform": platform, "type": kind, "likes": interactions, "comments": 0, "shares": 0, "saves": 0,
            "reach": reach, "posted_at": datetime.combine(TODAY - timedelta(days=day), datetime.min.time(),
                                                          tzinfo=timezone.utc).replace(hour=12)}


def test_post_types_are_compared_only_on_the_same_measure():
    """Rates over reach and rates over followers are different measures: a type rated over
    followers is not 'better' than one rated over reach."""
    posts = ([_post("youtube", "live", 3 + i, 1_000) for i in range(5)]  # no reach: 1,000 / 5,000 followers = 20 %
             + [_post("youtube", "short", 4 + i, 800, reach=10_000) for i in range(5)]  # 8 %
             + [_post("youtube", "video", 5 + i, 300, reach=10_000) for i in range(5)])  # 3 %
    [d] = signals.content_types(_snap(followers={}, posts=posts), {"youtube": 5_000})
    assert d.title == "On YouTube, shorts work best"
    assert (d.figures["best_rate"]["value"], d.figures["worst_rate"]["value"]) == (8.0, 3.0)
    _numbers_ok(d)


def _goal_state(target: int, current: int, achieved_on: date | None = None) -> GoalState:
    return GoalState(id=7, title="Ten thousand", goal=goal_math.Goal(platform="instagram", target=target),
                     platform_label="Instagram", current=current, forecast_points=None, as_of=TODAY,
                     achieved_on=achieved_on)


def test_a_reached_goal_is_announced_while_news_not_forever():
    fresh = signals.goals(_snap(followers={}, goals=[_goal_state(10_000, 10_500, TODAY)]))
    assert [d.title for d in fresh] == ["Goal reached: Ten thousand"]
    _numbers_ok(fresh[0])
    assert signals.goals(_snap(followers={}, goals=[_goal_state(10_000, 10_500, TODAY - timedelta(days=30))])) == []


def test_the_engine_puts_the_most_important_findings_first():
    series = {f"p{i}": _series(40, 1_000 * (i + 1), lambda d: 5) for i in range(15)}
    labels = {p: p.upper() for p in series}
    drafts = engine.build(Snapshot(today=TODAY, tz="UTC", labels=labels, followers=series))
    assert len(drafts) == 15 and {d.type for d in drafts} == {"growth"}
    losing = {f"q{i}": _series(40, 5_000, lambda d: -5) for i in range(3)}
    drafts = engine.build(Snapshot(today=TODAY, tz="UTC", labels={**labels, **{p: p for p in losing}},
                                   followers={**series, **losing}))
    assert [d.priority for d in drafts[:3]] == ["high"] * 3 and len(drafts) == 18


def test_a_release_days_ago_compares_views_over_the_days_since_and_says_how_many():
    release = TODAY - timedelta(days=5)
    followers = {"youtube": _series(60, 2_000, lambda d: 10)}
    views = {"youtube": [(TODAY - timedelta(days=k), 3_000.0 if TODAY - timedelta(days=k) >= release else 1_000.0)
                         for k in range(60, 0, -1)]}
    [d] = signals.release(_snap(followers=followers, views=views, release_date=release))
    window = d.figures["views_days"]
    span = (date.fromisoformat(window["source"]["to"]) - date.fromisoformat(window["source"]["from"])).days + 1
    assert window["value"] == span == 5
    assert (d.figures["youtube_views_after"]["value"], d.figures["youtube_views_before"]["value"]) == (15_000, 5_000)
    assert "in the 5 days after, against 5,000 in the 5 before" in d.message
    assert d.figures["release"]["value"] == release.isoformat()
    _numbers_ok(d)


def _tagged(i: int, tags: tuple[str, ...], likes: int, reach: int = 0, platform: str = "instagram") -> dict:
    at = datetime.combine(TODAY - timedelta(days=2 + i), datetime.min.time(), tzinfo=timezone.utc)
    return {"id": i, "platform": platform, "type": "reel", "posted_at": at, "likes": likes, "comments": 0,
            "shares": 0, "saves": 0, "reach": reach, "hashtags": list(tags)}


def test_a_hashtag_is_compared_with_the_platforms_other_posts_on_one_measure():
    followers = {"instagram": 10_000}
    posts = [_tagged(i, ("Tour",), 400) for i in range(5)] + [_tagged(10 + i, ("studio",), 200) for i in range(6)]
    [d] = signals.hashtags(_snap(followers={}, posts=posts), followers)
    assert d.title == "On Instagram, #tour posts do best"
    assert (d.figures["tag_rate"]["value"], d.figures["tag_posts"]["value"]) == (4.0, 5)
    assert (d.figures["others_rate"]["value"], d.figures["others_posts"]["value"]) == (2.0, 6)
    assert d.figures["tag_rate"]["source"]["basis"] == "followers"
    _numbers_ok(d)
    # Posts with reach are another measure: five with reach do not make #tour's group bigger
    # nor its rivals, and with fewer than ten posts on either measure nothing is claimed.
    with_reach = [_tagged(20 + i, ("tour",), 50, reach=1_000) for i in range(5)]
    [d] = signals.hashtags(_snap(followers={}, posts=posts + with_reach), followers)
    assert d.figures["tag_posts"]["value"] == 5 and d.figures["tag_rate"]["value"] == 4.0
    assert signals.hashtags(_snap(followers={}, posts=posts[:4] + posts[5:9]), followers) == []
    # A tag on every post compares with nothing; a small lead (under 1.3×) is no finding.
    everywhere = [_tagged(i, ("tour", "x"), 300 + i) for i in range(11)]
    assert signals.hashtags(_snap(followers={}, posts=everywhere), followers) == []
    close = [_tagged(i, ("tour",), 240) for i in range(5)] + [_tagged(10 + i, (), 200) for i in range(6)]
    assert signals.hashtags(_snap(followers={}, posts=close), followers) == []
