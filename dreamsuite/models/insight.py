"""What Dream Suite learned for the artist: insights, goals, XP, and stored forecasts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from dreamsuite.db import utcnow


class InsightType(StrEnum):
    growth = "growth"
    content = "content"
    strategy = "strategy"
    trend = "trend"
    goal = "goal"
    promotion = "promotion"  # ads and merch: the promotion brain's next actions


class Priority(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    urgent = "urgent"


PRIORITY_RANK = {Priority.low: 0, Priority.medium: 1, Priority.high: 2, Priority.urgent: 3}


class Insight(SQLModel, table=True):
    """One finding, with the numbers it rests on (`figures`) and where they came from
    (`sources`), so it can be checked against the database. The same finding (its
    `dedupe_key`) is stored once until it expires."""

    __tablename__ = "insight"
    __table_args__ = (UniqueConstraint("workspace_id", "dedupe_key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    type: str = Field(max_length=16)
    priority: str = Field(default=Priority.medium, max_length=16)
    title: str = Field(max_length=200)
    message: str = Field(max_length=2000)
    actions: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # [{"table": "daily_metric", "platform": "instagram", "metric": "follower_count", "from": iso, "to": iso}]
    sources: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The numbers quoted in the message, by name, exactly as computed.
    figures: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    dedupe_key: str = Field(max_length=200)
    is_read: bool = False
    dismissed: bool = False
    acted_on: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class Goal(SQLModel, table=True):
    __tablename__ = "goal"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    # None: every platform added up.
    platform: str | None = Field(default=None, max_length=32)
    metric: str = Field(default="followers", max_length=32)
    target: int
    deadline: date | None = None
    title: str = Field(default="", max_length=200)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    achieved_at: datetime | None = None
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class XpEvent(SQLModel, table=True):
    """Experience points earned once per deed (`dedupe_key`): the level adds them up."""

    __tablename__ = "xp_event"
    __table_args__ = (UniqueConstraint("workspace_id", "dedupe_key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)
    points: int
    detail: str = Field(default="", max_length=200)
    dedupe_key: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class StoredForecast(SQLModel, table=True):
    """A platform's forecast, computed by the worker after a sync (never on page load)."""

    __tablename__ = "forecast"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "metric"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=32)
    metric: str = Field(default="followers", max_length=32)
    method: str = Field(default="", max_length=64)
    level: int = 80
    # [[iso_date, mean, lo, hi], ...]
    points: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    computed_at: datetime = Field(default_factory=utcnow)


class FollowerAnomaly(SQLModel, table=True):
    """An unusual day on a platform's follower line, found by the worker over the whole history
    (the charts mark it for any date range without recomputing baselines on page load)."""

    __tablename__ = "follower_anomaly"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "date"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=32)
    date: date
    change: float  # the day's change in followers
    expected: float  # what the same weekday usually brought lately
    score: float  # (change - expected) / noise, signed
    kind: str = Field(max_length=8)  # "spike" | "drop"
    followers: int  # the count that day, where the chart draws the mark
