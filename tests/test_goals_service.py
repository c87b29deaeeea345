"""Goals: what may be saved (and what the artist is told otherwise), editing and archiving,
progress and projection from the stored forecast, the total of every platform, and the
analysis judging a goal reached (XP once)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.analytics import growth
from dreamsuite.models import DailyMetric, Goal, Insight, PlatformConnection, Role, StoredForecast, XpEvent
from dreamsuite.services import analysis, goals
from dreamsuite.services.goals import GoalError
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member, make_workspace

pytestmark = pytest.mark.db


def _today() -> date:
    return dbmod.utcnow().date()


def _connect(ws_id: int, platform: str, counts: dict[date, int] | None = None) -> int:
    with dbmod.session() as s:
        conn = PlatformConnection(workspace_id=ws_id, platform=platform, platform_user_id=f"{platform}-{ws_id}")
        s.add(conn)
        s.flush()
        for day, n in sorted((counts or {}).items()):
            s.add(DailyMetric(workspace_id=ws_id, connection_id=conn.id, platform=platform, date=day,
                              follower_count=n))
        return conn.id


def _days(n: int, start: int, per_day: int, last: date | None = None) -> dict[date, int]:
    """n + 1 days of counts ending on `last` (default today), growing `per_day`."""
    last = last or _today()
    return {last - timedelta(days=n - k): start + per_day * k for k in range(n + 1)}


def _goal(goal_id: int) -> Goal:
    with dbmod.session() as s:
        return s.get(Goal, goal_id)


@pytest.fixture
def workspace(db):
    _, ws, scope = make_workspace("goals@example.com")
    _connect(ws.id, "instagram")
    return scope


@pytest.mark.parametrize(("platform", "target", "deadline", "message"), [
    ("instagram", 0, None, "The target must be a whole number of followers, more than zero."),
    ("instagram", -100, None, "The target must be a whole number of followers, more than zero."),
    ("instagram", True, None, "The target must be a whole number of followers, more than zero."),
    ("instagram", 2.5, None, "The target must be a whole number of followers, more than zero."),
    ("instagram", goals.MAX_TARGET + 1, None, "The target must be a whole number of followers, more than zero."),
    ("instagram", 1_000, 0, "The deadline must be a date after today (at most ten years ahead), or none."),
    ("instagram", 1_000, -1, "The deadline must be a date after today (at most ten years ahead), or none."),
    ("instagram", 1_000, 11 * 365, "The deadline must be a date after today (at most ten years ahead), or none."),
    ("tiktok", 1_000, None, "TikTok is not connected: connect it first, or set the goal for all platforms."),
])
def test_a_goal_that_cannot_be_saved_says_what_to_change(workspace, platform, target, deadline, message):
    when = _today() + timedelta(days=deadline) if deadline is not None else None
    with pytest.raises(GoalError) as err:
        goals.create(workspace, platform, target, when)
    assert str(err.value) == message
    assert goals.views(workspace) == []


def test_goals_are_saved_with_a_plain_title_and_only_by_editors(workspace):
    deadline = _today() + timedelta(days=10 * 365)  # the furthest allowed
    gid = goals.create(workspace, "instagram", goals.MAX_TARGET, deadline)
    total = goals.create(workspace, None, 50_000)
    assert _goal(gid).title == f"{goals.MAX_TARGET:,} Instagram followers by {deadline.day} {deadline:%B %Y}"
    assert (_goal(total).title, _goal(total).platform) == ("50,000 total followers", None)
    viewer = add_member(workspace.workspace_id, "viewer@example.com", Role.viewer)
    with pytest.raises(AccessDenied):
        goals.create(viewer, None, 1_000)
    with pytest.raises(AccessDenied):
        goals.archive(viewer, gid)
    assert [v["id"] for v in goals.views(workspace)] == [total, gid]  # newest first


def test_editing_a_goal_judges_it_again_and_archiving_hides_it(workspace):
    gid = goals.create(workspace, "instagram", 10_000)
    with dbmod.session() as s:
        s.get(Goal, gid).achieved_at = dbmod.utcnow()
    with pytest.raises(GoalError):
        goals.update(workspace, gid, 0, None)
    assert _goal(gid).achieved_at is not None and _goal(gid).target == 10_000  # unchanged
    deadline = _today() + timedelta(days=90)
    goals.update(workspace, gid, 12_000, deadline)
    goal = _goal(gid)
    assert (goal.target, goal.deadline, goal.achieved_at) == (12_000, deadline, None)
    assert goal.title == f"12,000 Instagram followers by {deadline.day} {deadline:%B %Y}"

    _, _, stranger = make_workspace("stranger@example.com")
    for action in (lambda: goals.update(stranger, gid, 5_000, None), lambda: goals.archive(stranger, gid)):
        with pytest.raises(NotFound):
            action()
    assert [v["id"] for v in goals.views(workspace)] == [gid] and goals.views(stranger) == []
    goals.archive(workspace, gid)
    assert goals.views(workspace) == [] and _goal(gid).archived


def _store_forecast(ws_id: int, platform: str, start: int, mean: int, lo: int, hi: int, days: int = 90) -> None:
    today = _today()
    with dbmod.session() as s:
        s.add(StoredForecast(workspace_id=ws_id, platform=platform, method="test", level=80, points=[
            [(today + timedelta(days=i)).isoformat(), start + mean * i, start + lo * i, start + hi * i]
            for i in range(1, days + 1)]))


def test_a_view_gives_progress_and_the_stored_forecasts_projection(db):
    _, ws, scope = make_workspace("view@example.com")
    _connect(ws.id, "instagram", _days(40, 1_000, 10))  # 1,400 today, +10 a day
    _store_forecast(ws.id, "instagram", 1_400, mean=10, lo=8, hi=12)
    today = _today()
    gid = goals.create(scope, "instagram", 1_600, today + timedelta(days=30))
    no_forecast = goals.create(scope, None, 2_000)
    views = {v["id"]: v for v in goals.views(scope)}
    progress, projection = views[gid]["progress"], views[gid]["projection"]
    assert (progress["current"], progress["pct"], progress["remaining"]) == (1_400, 87.5, 200)
    assert (progress["as_of"], progress["recent_per_day"], progress["needed_per_day"]) == (
        today.isoformat(), 10.0, round(200 / 30, 2))
    assert progress["on_track"] is True
    # The mean reaches 1,600 on day 20, the band's top on day 17 and its bottom on day 25.
    assert (projection["expected_date"], projection["earliest"], projection["latest"]) == tuple(
        (today + timedelta(days=d)).isoformat() for d in (20, 17, 25))
    assert projection["by_deadline"] == "likely"
    # The total has no stored forecast ("all"): progress, but no projection.
    assert views[no_forecast]["progress"]["current"] == 1_400 and views[no_forecast]["projection"] is None


def test_a_goal_on_every_platform_counts_a_platform_missing_today_at_its_last_number(db):
    _, ws, scope = make_workspace("total@example.com")
    today = _today()
    instagram = _days(20, 5_000, 20)  # up to today
    youtube = _days(19, 3_000, 5, last=today - timedelta(days=1))  # not synced today
    _connect(ws.id, "instagram", instagram)
    _connect(ws.id, "youtube", youtube)
    gid = goals.create(scope, None, 20_000)
    [view] = goals.views(scope)
    expected = growth.combined({"instagram": sorted(instagram.items()), "youtube": sorted(youtube.items())})
    assert expected[-1] == (today, instagram[today] + youtube[today - timedelta(days=1)])
    assert view["id"] == gid and view["progress"]["current"] == expected[-1][1] == 5_400 + 3_095
    assert view["progress"]["as_of"] == today.isoformat()
    # The sum does not dip on the day YouTube is missing (a plain sum would fall to 5,400): over
    # the 20 days, Instagram's +400 and YouTube's +95 until its last count.
    assert view["progress"]["recent_per_day"] == round(495 / 20, 2)


def _xp(ws_id: int, kind: str) -> list[XpEvent]:
    with dbmod.session() as s:
        return s.exec(select(XpEvent).where(XpEvent.workspace_id == ws_id, XpEvent.kind == kind)).all()


def test_the_analysis_marks_a_goal_reached_and_rewards_it_once(db):
    _, ws, scope = make_workspace("reached@example.com")
    _connect(ws.id, "instagram", _days(40, 1_000, 10))  # 1,400 today
    reached = goals.create(scope, "instagram", 1_300)
    open_goal = goals.create(scope, "instagram", 5_000)
    result = analysis.analyse(ws.id)
    with dbmod.session() as s:
        assert result["xp_events"] == len(s.exec(select(XpEvent).where(XpEvent.workspace_id == ws.id)).all())
    first = _goal(reached).achieved_at
    assert first is not None and _goal(open_goal).achieved_at is None
    assert [(e.points, e.dedupe_key) for e in _xp(ws.id, "goal_reached")] == [(500, f"goal_reached:goal:{reached}:1300")]
    with dbmod.session() as s:
        titles = [i.title for i in s.exec(select(Insight).where(Insight.workspace_id == ws.id)).all()]
    assert "Goal reached: 1,300 Instagram followers" in titles
    # Again: nothing new.
    assert analysis.analyse(ws.id)["insights"] == 0
    assert _goal(reached).achieved_at == first and len(_xp(ws.id, "goal_reached")) == 1
    # A raised target is a new deed, reached again.
    goals.update(scope, reached, 1_350, None)
    assert _goal(reached).achieved_at is None
    analysis.analyse(ws.id)
    assert _goal(reached).achieved_at is not None
    assert sorted(e.dedupe_key for e in _xp(ws.id, "goal_reached")) == [
        f"goal_reached:goal:{reached}:1300", f"goal_reached:goal:{reached}:1350"]
