"""After collection: forecasts, insights, goals and XP for one workspace (the worker's job).

Reads the workspace's numbers once, as plain data; the analytics and the insight engine do
the thinking; the results are stored (forecasts, insight rows, reached goals, XP) so pages
only read. Forecasts take a fraction of a second per platform, which is why they are made
here and never on page load.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, or_
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.analytics import anomalies as an
from dreamsuite.analytics import forecast as fc
from dreamsuite.analytics import goals as goal_math
from dreamsuite.analytics import growth as g
from dreamsuite.analytics import xp as xp_math
from dreamsuite.agents import phrasing
from dreamsuite.insights import engine, signals
from dreamsuite.insights.signals import GoalState, Snapshot
from dreamsuite.models import ContentPost, FollowerAnomaly, Goal, PlatformConnection, Role, StoredForecast, Workspace
from dreamsuite.platforms import platform_label
from dreamsuite.services import insights as insight_rows
from dreamsuite.services import series as sr
from dreamsuite.services.scope import Scope
from dreamsuite.services.xp import award
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)
HISTORY_DAYS = 3 * 365
POST_DAYS = 120
HORIZON = 90
TOTAL = "all"  # the forecast of every platform added up


def _today(ws: Workspace) -> date:
    try:
        zone = ZoneInfo(ws.timezone or "UTC")
    except Exception:  # noqa: BLE001 - an unknown zone falls back to UTC
        zone = ZoneInfo("UTC")
    return db.utcnow().astimezone(zone).date()


def release_date(s: Session, workspace_id: int, today: date) -> date | None:
    """The UTC day of the newest release posted in the RELEASE_LOOKBACK days up to today."""
    since = sr._start_of(today - timedelta(days=signals.RELEASE_LOOKBACK))
    value = s.execute(select(func.max(ContentPost.posted_at)).where(
        ContentPost.workspace_id == workspace_id, ContentPost.posted_at >= since,
        ContentPost.posted_at < sr._start_of(today + timedelta(days=1)),
        or_(ContentPost.post_type.in_(signals.RELEASE_TYPES),
            ContentPost.platform_post_id.like("album:%")))).scalar()
    return sr._aware(value).date() if value else None


def analyse(workspace_id: int) -> dict[str, Any]:
    """The whole analysis of one workspace; returns what was stored."""
    with db.session() as s:
        ws = s.get(Workspace, workspace_id)
        if ws is None:
            return {"status": "skipped"}
        scope = Scope(user_id=0, workspace_id=workspace_id, role=Role.viewer)  # the worker reads for it
        today = _today(ws)
        followers = sr.platform_series(s, scope, today - timedelta(days=HISTORY_DAYS), today)
        views = sr.metric_series(s, scope, "views", today - timedelta(days=HISTORY_DAYS), today)
        posts = sr.post_rows(s, scope, today - timedelta(days=POST_DAYS), today)
        release = release_date(s, workspace_id, today)
        tz = ws.timezone or "UTC"

    forecasts = {p: fc.forecast(series, horizon=HORIZON) for p, series in followers.items()}
    forecasts[TOTAL] = fc.forecast(g.combined(followers), horizon=HORIZON) if len(followers) > 1 else \
        next(iter(forecasts.values()), None)

    marks = _anomalies(followers)

    with db.session() as s:
        _store_forecasts(s, workspace_id, forecasts)
        _store_anomalies(s, workspace_id, marks)
        goal_states, goal_xp = _goals(s, workspace_id, followers, forecasts, today)
        snap = Snapshot(today=today, tz=tz, labels={p: platform_label(p) for p in followers}, followers=followers,
                        views=views, posts=posts, release_date=release, goals=goal_states)
        drafts = engine.build(snap)
        added = insight_rows.store(s, workspace_id, drafts, phrase=_writer(), limit=engine.MAX_PER_RUN)
        xp = goal_xp + _award_xp(s, workspace_id, followers, posts, tz, today)
        db.announce_after_commit(s, workspace_id, "analysis")  # open dashboards reload forecasts and marks
    return {"status": "success", "forecasts": sum(1 for f in forecasts.values() if f), "insights": added,
            "xp_events": xp, "anomalies": len(marks)}


def _writer():
    """The configured language model rewording new insights, or None with the offline model."""
    name = (get_settings().dreamsuite_model or "offline").strip()
    if name == "offline":
        return None
    return lambda draft: phrasing.phrase(draft, name)


def _anomalies(followers: dict[str, list[tuple[date, int]]]) -> list[dict[str, Any]]:
    """Unusual days over each platform's whole history; a day is judged once it is over (the
    platform's latest count is often a mid-day snapshot)."""
    out = []
    for platform, series in followers.items():
        level = dict(series)
        for a in an.anomalies(series[:-1]):
            out.append({"platform": platform, "date": a.date, "change": float(a.value), "expected": a.expected,
                        "score": a.score, "kind": a.kind, "followers": int(level[a.date])})
    return out


def _store_anomalies(s: Session, workspace_id: int, marks: list[dict[str, Any]]) -> None:
    """The whole set is replaced: a new day can change what counted as unusual before it."""
    s.execute(delete(FollowerAnomaly).where(FollowerAnomaly.workspace_id == workspace_id))
    if marks:
        s.execute(insert(FollowerAnomaly), [{"workspace_id": workspace_id, **m} for m in marks])


def _store_forecasts(s: Session, workspace_id: int, forecasts: dict[str, fc.Forecast | None]) -> None:
    existing = {f.platform: f for f in s.exec(select(StoredForecast).where(
        StoredForecast.workspace_id == workspace_id, StoredForecast.metric == "followers")).all()}
    for platform, f in forecasts.items():
        row = existing.get(platform)
        if f is None:
            if row is not None:
                s.delete(row)
            continue
        row = row or StoredForecast(workspace_id=workspace_id, platform=platform, metric="followers")
        row.method, row.level, row.points, row.computed_at = f.method, f.level, f.as_dict()["points"], db.utcnow()
        s.add(row)


def _goals(s: Session, workspace_id: int, followers, forecasts, today: date) -> tuple[list[GoalState], int]:
    """Each open goal's state for the signals; goals reached now are marked and earn their XP
    (how many did is returned with the states)."""
    out, earned = [], 0
    for goal in s.exec(select(Goal).where(Goal.workspace_id == workspace_id, Goal.archived == False)).all():  # noqa: E712
        series = followers.get(goal.platform, []) if goal.platform else g.combined(followers)
        current = g.current_followers(series)
        f = forecasts.get(goal.platform or TOTAL)
        if current is not None and current >= goal.target and goal.achieved_at is None:
            goal.achieved_at = db.utcnow()
            s.add(goal)
            earned += award(s, workspace_id, "goal_reached", f"goal:{goal.id}:{goal.target}", goal.title)
        out.append(GoalState(id=goal.id, title=goal.title, platform_label=platform_label(goal.platform or "all"),
                             goal=goal_math.Goal(platform=goal.platform, metric=goal.metric, target=goal.target,
                                                 deadline=goal.deadline),
                             current=current, forecast_points=list(f.points) if f else None,
                             as_of=series[-1][0] if series else None,
                             achieved_on=sr._aware(goal.achieved_at).date() if goal.achieved_at else None))
    return out, earned


def _award_xp(s: Session, workspace_id: int, followers, posts, tz: str, today: date) -> int:
    earned = 0
    for cid, platform in s.execute(select(PlatformConnection.id, PlatformConnection.platform).where(
            PlatformConnection.workspace_id == workspace_id)).all():
        earned += award(s, workspace_id, "connected_platform", f"connection:{cid}", f"Connected {platform_label(platform)}")
    for platform, series in followers.items():
        reached = goal_math.milestones(series)
        for step, _day in (reached.reached if reached else ()):
            earned += award(s, workspace_id, "milestone", f"{platform}:{step}",
                            f"{step:,} followers on {platform_label(platform)}")
    streak = xp_math.streak([p["posted_at"] for p in posts], tz, today=today)
    for days, points in xp_math.streak_rewards(streak.current):
        start = streak.current_since.isoformat() if streak.current_since else today.isoformat()
        earned += award(s, workspace_id, "posting_streak", f"{start}:{days}", f"A {days}-day posting streak",
                        points=points)
    return earned


def workspaces_to_analyse() -> list[int]:
    with db.session() as s:
        return list(s.execute(select(PlatformConnection.workspace_id).distinct()).scalars().all())
