"""Helpers for tests: a workspace with a member, and metric/post rows written directly."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from dreamsuite.db import session
from sqlmodel import select

from dreamsuite.models import ContentPost, DailyMetric, Membership, PlatformConnection, Role, User, Workspace
from dreamsuite.services.scope import Scope


def make_scope(name: str = "Artist", role: Role = Role.owner, tz: str = "UTC") -> Scope:
    with session() as s:
        user = User(email=f"{name.lower().replace(' ', '.')}@example.com", name=name, password_hash="x")
        ws = Workspace(name=name, timezone=tz)
        s.add(user)
        s.add(ws)
        s.flush()
        s.add(Membership(user_id=user.id, workspace_id=ws.id, role=role))
        return Scope(user_id=user.id, workspace_id=ws.id, role=role)


def account(scope: Scope, platform: str, name: str = "main") -> int:
    """The id of the workspace's `name` account on `platform` (made on first use)."""
    with session() as s:
        row = s.exec(select(PlatformConnection).where(
            PlatformConnection.workspace_id == scope.workspace_id, PlatformConnection.platform == platform,
            PlatformConnection.platform_user_id == name)).first()
        if row is None:
            row = PlatformConnection(workspace_id=scope.workspace_id, platform=platform, platform_user_id=name,
                                     username=name)
            s.add(row)
            s.flush()
        return row.id


def seed_followers(scope: Scope, platform: str, end: date, values: list[int], engagement: int = 0,
                   account_name: str = "main") -> None:
    """One DailyMetric per day for one account, the last value on `end`."""
    start = end - timedelta(days=len(values) - 1)
    connection_id = account(scope, platform, account_name)
    with session() as s:
        for i, v in enumerate(values):
            d = start + timedelta(days=i)
            prev = values[i - 1] if i else v
            s.add(DailyMetric(workspace_id=scope.workspace_id, connection_id=connection_id, platform=platform,
                              date=d, follower_count=v, follower_change_24h=v - prev, engagement_total=engagement))


def seed_post(scope: Scope, platform: str, pid: str, posted: date, **counts) -> None:
    with session() as s:
        s.add(ContentPost(workspace_id=scope.workspace_id, platform=platform, platform_post_id=pid,
                          posted_at=datetime.combine(posted, datetime.min.time(), tzinfo=timezone.utc),
                          caption=counts.pop("caption", f"post {pid}"), **counts))
