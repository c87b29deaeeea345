"""Goals: "10k Instagram followers by June", "1,000 YouTube subscribers" — created, edited and
archived by the artist, each with its progress and, from the stored forecast, when it is
likely to be reached."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from dreamsuite import db
from dreamsuite.analytics import goals as goal_math
from dreamsuite.analytics import growth
from dreamsuite.models import ConnectionStatus, Goal, PlatformConnection, Role, StoredForecast
from dreamsuite.platforms import platform_label
from dreamsuite.services.errors import UserError
from dreamsuite.services import series
from dreamsuite.services.scope import Scope, get_scoped, scoped

MAX_TARGET = 1_000_000_000
MAX_AHEAD = timedelta(days=10 * 365)


class GoalError(UserError):
    """A goal that cannot be saved as given; the message says what to change."""


def _check(scope: Scope, platform: str | None, target: int, deadline: date | None) -> None:
    scope.require(Role.editor)
    if not isinstance(target, int) or isinstance(target, bool) or not 0 < target <= MAX_TARGET:
        raise GoalError("The target must be a whole number of followers, more than zero.")
    today = db.utcnow().date()
    if deadline is not None and not today < deadline <= today + MAX_AHEAD:
        raise GoalError("The deadline must be a date after today (at most ten years ahead), or none.")
    if platform is not None:
        with db.session() as s:
            known = s.exec(select(PlatformConnection.id).where(
                PlatformConnection.workspace_id == scope.workspace_id,
                PlatformConnection.platform == platform)).first()
        if known is None:
            raise GoalError(f"{platform_label(platform)} is not connected: connect it first, or set the goal "
                            "for all platforms.")


def _title(platform: str | None, target: int, deadline: date | None) -> str:
    where = platform_label(platform) if platform else "total"
    by = f" by {deadline.day} {deadline:%B %Y}" if deadline else ""
    return f"{target:,} {where} followers{by}"


def create(scope: Scope, platform: str | None, target: int, deadline: date | None = None) -> int:
    _check(scope, platform, target, deadline)
    with db.session() as s:
        goal = Goal(workspace_id=scope.workspace_id, platform=platform, target=target, deadline=deadline,
                    title=_title(platform, target, deadline), created_by=scope.user_id)
        s.add(goal)
        s.flush()
        db.announce_after_commit(s, scope.workspace_id, "goal")
        return goal.id


def update(scope: Scope, goal_id: int, target: int, deadline: date | None) -> None:
    with db.session() as s:
        goal = get_scoped(s, scope, Goal, goal_id)
        platform = goal.platform
    _check(scope, platform, target, deadline)
    with db.session() as s:
        goal = get_scoped(s, scope, Goal, goal_id)
        goal.target, goal.deadline, goal.title = target, deadline, _title(platform, target, deadline)
        goal.achieved_at = None  # judged again against the new target by the next analysis
        s.add(goal)
        db.announce_after_commit(s, scope.workspace_id, "goal")


def archive(scope: Scope, goal_id: int) -> None:
    scope.require(Role.editor)
    with db.session() as s:
        goal = get_scoped(s, scope, Goal, goal_id)
        goal.archived = True
        s.add(goal)
        db.announce_after_commit(s, scope.workspace_id, "goal")


def _series(s, scope: Scope, platform: str | None, since: date) -> list[tuple[date, int]]:
    followers = series.platform_series(s, scope, since, db.utcnow().date() + timedelta(days=1))
    if platform:
        return followers.get(platform, [])
    return growth.combined(followers)


def _forecast(s, scope: Scope, platform: str | None) -> list[tuple[date, float, float, float]] | None:
    stmt = select(StoredForecast).where(StoredForecast.workspace_id == scope.workspace_id,
                                        StoredForecast.metric == "followers")
    rows = s.exec(stmt).all()
    chosen = [r for r in rows if (r.platform == (platform or "all"))]
    if not chosen:
        return None
    return [(date.fromisoformat(p[0]), float(p[1]), float(p[2]), float(p[3])) for p in chosen[0].points]


def views(scope: Scope) -> list[dict[str, Any]]:
    """Every open goal with its progress and projection (newest first)."""
    since = db.utcnow().date() - timedelta(days=120)
    with db.reading() as s:
        goals = s.exec(scoped(scope, Goal).where(Goal.archived == False)  # noqa: E712
                       .order_by(Goal.created_at.desc())).all()
        out = []
        for g in goals:
            out.append(_view(g, _series(s, scope, g.platform, since), _forecast(s, scope, g.platform)))
    return out


def _view(g: Goal, series, forecast) -> dict[str, Any]:
    spec = goal_math.Goal(platform=g.platform, metric=g.metric, target=g.target, deadline=g.deadline)
    progress = goal_math.progress(spec, series)
    current = series[-1][1] if series else None
    projection = goal_math.projection(spec, goal_math.as_forecast(forecast), current=current) if forecast else None
    return {"id": g.id, "title": g.title, "platform": g.platform, "target": g.target, "deadline": g.deadline,
            "achieved_at": g.achieved_at, "progress": progress.as_dict() if progress else None,
            "projection": projection.as_dict() if projection else None}


def suggest_target(current: int) -> int:
    """A round target above `current` for a first goal: the smallest of 1, 2, 2.5 and 5 × 10ⁿ
    that is at least 10 % more (100 at the least), e.g. 8,432 → 10,000 and 12,345 → 20,000."""
    want = max(100, int(current * 1.1) + 1)
    scale = 1
    while True:
        for step in (1, 2, 2.5, 5):
            if step * scale >= want:
                return int(step * scale)
        scale *= 10


def page(scope: Scope) -> dict[str, Any]:
    """What the goals page shows, read in one session: every open goal's view (as `views`) with
    its recent followers and stored forecast for its chart, the platforms a goal can be set on
    (connected ones), and a first goal to suggest (the biggest platform's next round number)."""
    today = db.utcnow().date()
    since = today - timedelta(days=120)
    with db.session() as s:
        goals = s.exec(scoped(scope, Goal).where(Goal.archived == False)  # noqa: E712
                       .order_by(Goal.created_at.desc())).all()
        followers = series.platform_series(s, scope, since, today + timedelta(days=1))
        stored = {r.platform: r.points for r in s.exec(select(StoredForecast).where(
            StoredForecast.workspace_id == scope.workspace_id, StoredForecast.metric == "followers")).all()}
        connected = set(s.exec(select(PlatformConnection.platform).where(
            PlatformConnection.workspace_id == scope.workspace_id,
            PlatformConnection.status != ConnectionStatus.revoked)).all())
    out = []
    for g in goals:
        line = followers.get(g.platform, []) if g.platform else growth.combined(followers)
        points = goal_math.as_forecast(stored.get(g.platform or "all"))
        fc = [(d, m, lo, hi) for d, m, lo, hi in points.points] if points else None
        view = _view(g, line, fc)
        view["series"] = [(d.isoformat(), v) for d, v in line]
        view["forecast"] = [(d.isoformat(), m, lo, hi) for d, m, lo, hi in fc or []]
        out.append(view)
    platforms = [(p, platform_label(p)) for p in sorted(connected, key=platform_label)]
    latest = {p: pts[-1][1] for p, pts in followers.items() if pts and p in connected}
    suggestion = None
    if latest:
        top = max(latest, key=lambda p: (latest[p], p))
        suggestion = {"platform": top, "label": platform_label(top), "current": latest[top],
                      "target": suggest_target(latest[top])}
    return {"goals": out, "platforms": platforms, "suggestion": suggestion}
