"""Questions to the offline analyst about one platform, a time window, or what it cannot know,
on two workspaces of different shapes. Every expected figure is read from the database by the
test (plain selects), never typed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from dreamsuite.agents.career import career_agent, model_for
from dreamsuite.agents.deps import AgentDeps
from dreamsuite.db import session
from dreamsuite.models import ContentPost, DailyMetric
from tests.seed_metrics import make_scope, seed_followers

pytestmark = pytest.mark.db

TODAY = date(2026, 11, 20)  # a Friday
MONDAY = TODAY - timedelta(days=TODAY.weekday())


@pytest.fixture
def growing(db):
    """Instagram two accounts (summed) and YouTube growing for 120 days; Spotify for 6 days."""
    me = make_scope("Growing")
    seed_followers(me, "instagram", TODAY, [8_000 + 13 * i + (i % 7) * 5 for i in range(120)])
    seed_followers(me, "instagram", TODAY, [1_500 + 2 * i for i in range(120)], account_name="second")
    seed_followers(me, "youtube", TODAY, [4_000 + 9 * i + (40 if i == 113 else 0) for i in range(120)])
    seed_followers(me, "spotify", TODAY, [900 + i for i in range(6)])
    return me


@pytest.fixture
def declining(db):
    """A Facebook Page losing followers and TikTok with one spike, in Berlin."""
    me = make_scope("Declining", tz="Europe/Berlin")
    seed_followers(me, "facebook", TODAY, [20_000 - 7 * i - (i % 3) for i in range(60)])
    seed_followers(me, "tiktok", TODAY, [3_000 + 4 * i + (600 if i >= 50 else 0) for i in range(60)])
    return me


def _on(scope, platform: str | None, day: date) -> int:
    with session() as s:
        q = select(func.sum(DailyMetric.follower_count)).where(DailyMetric.workspace_id == scope.workspace_id,
                                                                DailyMetric.date == day)
        if platform:
            q = q.where(DailyMetric.platform == platform)
        return int(s.exec(q).one() or 0)


def _change(scope, platform: str | None, first: date, last: date) -> int:
    """Followers on `last` minus on the day before `first`."""
    return _on(scope, platform, last) - _on(scope, platform, first - timedelta(days=1))


def _signed(n: int) -> str:
    return ("+" if n >= 0 else "-") + f"{abs(n):,}"


async def _ask(scope, question: str) -> str:
    result = await career_agent.run(question, deps=AgentDeps(scope=scope, today=TODAY), model=model_for("offline"))
    return result.output


@pytest.mark.parametrize("question,platform,first,last,label", [
    ("How many Instagram followers did I gain this week?", "instagram", MONDAY, TODAY, "This week on Instagram"),
    ("youtube subscribers in the last 2 weeks", "youtube", TODAY - timedelta(days=13), TODAY,
     "Over the last 14 days on YouTube"),
    ("how did my instagarm grow yesterday", "instagram", TODAY - timedelta(days=1), TODAY - timedelta(days=1),
     "Yesterday on Instagram"),
    ("How much did my YT channel grow last week?", "youtube", MONDAY - timedelta(days=7), MONDAY - timedelta(days=1),
     "Last week on YouTube"),
    ("How many followers did I gain in October?", None, date(2026, 10, 1), date(2026, 10, 31),
     "From Oct 1 to Oct 31"),
    ("followers on November 7", None, date(2026, 11, 7), date(2026, 11, 7), "On Nov 7"),
    ("How did Instagram grow since Nov 10?", "instagram", date(2026, 11, 10), TODAY,
     "From Nov 10 to Nov 20 on Instagram"),
])
async def test_one_platform_and_a_time_window_get_that_platforms_figure(growing, question, platform, first, last,
                                                                         label):
    text = await _ask(growing, question)
    change = _change(growing, platform, first, last)
    start, end = _on(growing, platform, first - timedelta(days=1)), _on(growing, platform, last)
    assert f"{label} you went from {start:,} to {end:,} followers ({_signed(change)}" in text, text


async def test_two_platforms_in_one_question_get_one_answer_each(growing):
    text = await _ask(growing, "How did YouTube and Instagram grow this month?")
    for platform, label in (("youtube", "YouTube"), ("instagram", "Instagram")):
        change = _change(growing, platform, TODAY.replace(day=1), TODAY)
        assert f"This month on {label} you went from" in text and f"({_signed(change)}," in text, text


async def test_a_platform_that_is_not_connected_is_said_so_with_what_is(growing):
    text = await _ask(growing, "How many TikTok followers did I get this month?")
    assert "TikTok is not connected to Dream Suite" in text
    assert "Connected now: Instagram, Spotify, YouTube." in text
    assert str(_on(growing, None, TODAY)) not in text.replace(",", "")  # no total passed off as TikTok's


@pytest.mark.parametrize("question,expected", [
    ("How many Spotify streams did I get last month?", "Spotify for Artists"),
    ("what are my monthly listeners on spotify", "Monthly listeners are only in Spotify for Artists"),
    ("How many followers does Taylor Swift have?", "I can't look up Taylor Swift's numbers"),
    ("Show me another user's data", "I can't look up another artist's or another user's numbers"),
    ("How are my Apple Music numbers doing?", "Apple Music has no public API for artists yet"),
])
async def test_what_no_tool_can_know_is_declined_specifically(growing, question, expected):
    text = await _ask(growing, question)
    assert expected in text and "followers (" not in text, text


async def test_a_declining_account_still_gets_its_best_and_worst_day(declining):
    text = await _ask(declining, "Is my Facebook Page losing followers?")
    first = TODAY - timedelta(days=29)
    change = _change(declining, "facebook", first, TODAY)
    assert change < 0 and f"on Facebook you went from" in text and f"({_signed(change)}," in text
    with session() as s:
        rows = s.exec(select(DailyMetric.date, DailyMetric.follower_count).where(
            DailyMetric.workspace_id == declining.workspace_id, DailyMetric.platform == "facebook",
            DailyMetric.date >= first - timedelta(days=1)).order_by(DailyMetric.date)).all()
    changes = [(b[0], b[1] - a[1]) for a, b in zip(rows, rows[1:])]
    best, worst = max(changes, key=lambda c: c[1]), min(changes, key=lambda c: c[1])
    assert f"best day was {best[0]:%b} {best[0].day} ({_signed(best[1])})" in text, text
    assert f"weakest {worst[0]:%b} {worst[0].day} ({_signed(worst[1])})" in text, text


async def test_a_spike_day_on_the_second_workspace(declining):
    text = await _ask(declining, "How did TikTok grow in the last 30 days?")
    change = _change(declining, "tiktok", TODAY - timedelta(days=29), TODAY)
    spike = TODAY - timedelta(days=9)  # the day the 600 arrived
    assert f"({_signed(change)}," in text and f"best day was {spike:%b} {spike.day} (+604)" in text, text


# ------------------------------------------------------------------ posts, content, timing
def _post(scope, platform: str, pid: str, when: datetime, caption: str, post_type: str = "photo", **counts) -> None:
    with session() as s:
        s.add(ContentPost(workspace_id=scope.workspace_id, platform=platform, platform_post_id=pid,
                          post_type=post_type, posted_at=when, caption=caption, **counts))


@pytest.fixture
def posting(growing):
    """Posts of several types over three months: reels with reach, photos without, three on
    Tuesdays at 18:00 UTC, a long caption, YouTube videos."""
    at = lambda d, h=12: datetime.combine(d, time(h, 5), tzinfo=UTC)  # noqa: E731
    for i in range(12):  # photos, no reach: rated over the followers
        _post(growing, "instagram", f"ph{i}", at(TODAY - timedelta(days=3 + 7 * i)), f"Photo {i} #tour",
              likes=150 + 11 * i, comments=4 + i % 3)
    for i in range(6):  # reels with reach
        _post(growing, "instagram", f"re{i}", at(TODAY - timedelta(days=5 + 13 * i), 9), f"Reel {i} #tour #live",
              post_type="reel", likes=400 + 30 * i, comments=20, shares=9, reach=5_000 + 100 * i)
    tuesdays = [d for k in range(1, 60) if (d := TODAY - timedelta(days=k)).weekday() == 1][:3]
    for i, d in enumerate(tuesdays):
        _post(growing, "instagram", f"tu{i}", at(d, 18), f"Tuesday drop {i} #live", post_type="reel",
              likes=900, comments=60, shares=30, reach=6_000)
    long = ("Behind the scenes of the video shoot for the new single, with the whole band and crew "
            "#newsingle #bts")
    _post(growing, "youtube", "yt-long", at(date(2026, 10, 14)), long, post_type="video", likes=2_000,
          comments=150, views=40_000)
    _post(growing, "youtube", "yt-2", at(date(2026, 10, 20)), "Acoustic take", post_type="video", likes=640,
          comments=30, views=9_000)
    return growing


def _posts(scope, first: date, last: date, platform: str | None = None) -> list[ContentPost]:
    with session() as s:
        rows = s.exec(select(ContentPost).where(ContentPost.workspace_id == scope.workspace_id)).all()
    return [p for p in rows if first <= p.posted_at.date() <= last and (platform is None or p.platform == platform)]


def _inter(p: ContentPost) -> int:
    return p.likes + p.comments + p.shares + p.saves


async def test_the_most_liked_post_of_last_month_with_its_caption_whole_words(posting):
    text = await _ask(posting, "What was my most liked post last month?")
    mine = _posts(posting, date(2026, 10, 1), date(2026, 10, 31))
    best = max(mine, key=lambda p: p.likes)
    assert f"you published {len(mine)} posts" in text and f"{best.likes:,} likes." in text, text
    assert "Behind the scenes" in text and "#newsingl" not in text.replace("#newsingle", ""), text


async def test_how_many_posts_last_week(posting):
    text = await _ask(posting, "How many posts did I publish last week?")
    n = len(_posts(posting, MONDAY - timedelta(days=7), MONDAY - timedelta(days=1)))
    assert f"Last week you published {n} post" in text, text


async def test_the_worst_instagram_posts_come_lowest_first(posting):
    text = await _ask(posting, "Which were my worst performing Instagram posts?")
    mine = sorted(_posts(posting, TODAY - timedelta(days=89), TODAY, "instagram"),
                  key=lambda p: (_inter(p), -p.posted_at.timestamp()))
    first_row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert first_row.startswith(f'| 1 | "{mine[0].caption}" | Instagram |'), text
    assert first_row.endswith(f"| {_inter(mine[0]):,} |") and "| Interactions |" in text, text


async def test_reels_against_photos_on_their_own_measures(posting):
    text = await _ask(posting, "Do reels or photos work better on Instagram?")
    posts = _posts(posting, TODAY - timedelta(days=89), TODAY, "instagram")
    followers = _on(posting, "instagram", TODAY)
    reels = [_inter(p) / p.reach * 100 for p in posts if p.post_type == "reel"]
    photos = [_inter(p) / followers * 100 for p in posts if p.post_type == "photo"]
    assert f"reel {sum(reels) / len(reels):.1f}% of reach ({len(reels)} posts)" in text, text
    assert f"photo {sum(photos) / len(photos):.1f}% of followers ({len(photos)} posts)" in text, text


async def test_the_best_time_is_a_slot_with_three_posts(posting):
    text = await _ask(posting, "When should I post?")
    assert "Tuesdays 18:00–19:00 (UTC)" in text and "over 3 posts" in text, text


async def test_no_posts_is_said_plainly_on_the_second_workspace(declining):
    text = await _ask(declining, "how many TikTok videos did I post this month?")
    assert text == "This month on TikTok I found no videos.", text


# ------------------------------------------------------------------ goals, forecasts, unusual days
@pytest.fixture
def analysed(growing):
    from dreamsuite.services import analysis, goals

    goals.create(growing, "instagram", 12_000, TODAY + timedelta(days=120))
    analysis.analyse(growing.workspace_id)  # stores the forecasts and the unusual days
    return growing


async def test_goal_progress_quotes_the_current_count_and_the_target(analysed):
    text = await _ask(analysed, "Am I on track for my goals?")
    assert f"{_on(analysed, 'instagram', TODAY):,} of 12,000" in text, text


async def test_when_a_target_is_reached_comes_from_the_stored_forecast(analysed):
    from dreamsuite.models import StoredForecast

    text = await _ask(analysed, "When will I reach 12k followers on Instagram?")
    with session() as s:
        row = s.exec(select(StoredForecast).where(StoredForecast.workspace_id == analysed.workspace_id,
                                                  StoredForecast.platform == "instagram")).one()
    reached = date.fromisoformat(next(p[0] for p in row.points if p[1] >= 12_000))
    assert f"It reaches 12,000 around {reached:%b} {reached.day}" in text, text


async def test_why_a_number_jumped_names_the_unusual_days(analysed):
    from dreamsuite.models import FollowerAnomaly

    text = await _ask(analysed, "Why did my YouTube followers jump in the last 2 weeks?")
    with session() as s:
        marks = s.exec(select(FollowerAnomaly).where(FollowerAnomaly.workspace_id == analysed.workspace_id,
                                                     FollowerAnomaly.platform == "youtube",
                                                     FollowerAnomaly.date >= TODAY - timedelta(days=13))).all()
    assert marks, "the planted spike was not found by the analysis"
    for m in marks:
        assert f"{m.date:%b} {m.date.day} on YouTube: {'gained' if m.change >= 0 else 'lost'} " \
               f"{abs(round(m.change)):,} followers" in text, text


async def test_a_follow_up_asks_the_previous_question_about_another_platform(growing):
    first = await career_agent.run("How many Instagram followers did I gain this week?",
                                   deps=AgentDeps(scope=growing, today=TODAY), model=model_for("offline"))
    again = await career_agent.run("and on YouTube?", deps=AgentDeps(scope=growing, today=TODAY),
                                   model=model_for("offline"), message_history=first.all_messages())
    change = _change(growing, "youtube", MONDAY, TODAY)
    assert f"This week on YouTube you went from" in again.output and f"({_signed(change)}," in again.output
    assert "Instagram" not in again.output, again.output


async def test_since_my_release_counts_from_the_newest_release(growing):
    release = TODAY - timedelta(days=12)
    _post(growing, "spotify", "album:1", datetime.combine(release, time(0, 0), tzinfo=UTC), "New single",
          post_type="single")
    text = await _ask(growing, "How much did Instagram grow since my release?")
    change = _change(growing, "instagram", release, TODAY)
    assert f"Since your release on {release:%b} {release.day} on Instagram you went from" in text, text
    assert f"({_signed(change)}," in text, text


async def test_since_my_release_without_one_says_so(declining):
    text = await _ask(declining, "How did TikTok grow since my latest single?")
    assert text.startswith("I found no release"), text


async def test_platforms_compared_on_their_own_audience(posting):
    text = await _ask(posting, "Which platform is growing fastest?")
    growth = {}
    for platform in ("instagram", "youtube"):
        base, now = _on(posting, platform, TODAY - timedelta(days=30)), _on(posting, platform, TODAY)
        growth[platform] = round((now - base) / base * 100, 2)
        label = {"instagram": "Instagram", "youtube": "YouTube"}[platform]
        assert f"| {label} | {now:,} |" in text and f"| {growth[platform]:+.1f}% ({_signed(now - base)}) |" in text
    fastest = max(growth, key=growth.get)
    assert f"Fastest growing: {dict(instagram='Instagram', youtube='YouTube')[fastest]}." in text, text
    assert "| Spotify |" in text and "| too little history to compare its growth |" in text, text


async def test_types_on_different_measures_are_not_ranked(posting):
    text = await _ask(posting, "Do reels or photos work better on Instagram?")
    assert "different measures" in text and "works best" not in text, text


async def test_two_questions_in_one_message_get_both_answers(posting):
    text = await _ask(posting, "How many followers did I gain this week, and what were my best posts?")
    change = _change(posting, None, MONDAY, TODAY)
    assert f"This week you went from" in text and f"({_signed(change)}," in text, text
    assert "Your top 5 posts of the last 90 days by interactions:" in text, text


# ------------------------------------------------------------------ a platform's own numbers
@pytest.fixture
def watched(growing):
    """YouTube's own daily numbers on the growing workspace's rows: views and watch time."""
    with session() as s:
        rows = s.exec(select(DailyMetric).where(DailyMetric.workspace_id == growing.workspace_id,
                                                DailyMetric.platform == "youtube")).all()
        for r in rows:
            k = (TODAY - r.date).days
            r.metrics = {"views": 1_000 + 7 * (k % 11), "estimatedMinutesWatched": 3_000 + 13 * (k % 5)}
            s.add(r)
    return growing


def _metric_sum(scope, platform: str, key: str, first: date, last: date) -> float:
    with session() as s:
        rows = s.exec(select(DailyMetric).where(DailyMetric.workspace_id == scope.workspace_id,
                                                DailyMetric.platform == platform)).all()
    return sum(r.metrics[key] for r in rows if first <= r.date <= last and key in r.metrics)


async def test_a_platforms_own_number_over_a_window_beside_the_window_before(watched):
    text = await _ask(watched, "How many views did I get on YouTube in the last 2 weeks?")
    first = TODAY - timedelta(days=13)
    now = _metric_sum(watched, "youtube", "views", first, TODAY)
    before = _metric_sum(watched, "youtube", "views", first - timedelta(days=14), first - timedelta(days=1))
    assert f"Over the last 14 days on YouTube: {now:,.0f} views" in text, text
    assert f"(the same span before: {before:,.0f} views, {(now - before) / before * 100:+.1f}%)" in text, text


async def test_watch_time_is_in_hours(watched):
    text = await _ask(watched, "What was my watch time this month?")
    minutes = _metric_sum(watched, "youtube", "estimatedMinutesWatched", TODAY.replace(day=1), TODAY)
    assert f"This month on YouTube: {round(minutes / 60, 1):,.1f} hours watch time" in text, text


async def test_a_number_no_connected_platform_gives_is_said_with_what_there_is(watched):
    text = await _ask(watched, "How many page views did I get this week?")
    assert text.startswith("I don't have page views: no connected platform gives it to us."), text
    assert "Watch time" in text and "Views" in text, text
    # A number the connected platforms withhold: each platform's own reason.
    text = await _ask(watched, "How many impressions did I get this week?")
    assert "Meta retired impressions" in text and "only in YouTube Studio" in text, text
    # Given by the platform, but none stored yet: said so, not zero.
    text = await _ask(watched, "How many profile views did I get this week?")
    assert text == "Instagram has no profile views stored for this week yet.", text
