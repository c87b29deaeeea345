"""What we collect: one row per connected account per day, the content and its comments."""

from __future__ import annotations

from datetime import date, datetime  # noqa: F401 - `date` is read from the annotations at class creation

from sqlalchemy import JSON, Column
from sqlalchemy import Index
from sqlmodel import Field, SQLModel, UniqueConstraint

from dreamsuite.db import utcnow


class DailyMetric(SQLModel, table=True):
    """One connected account's numbers for one day. Keyed by the account, not the platform:
    two accounts on one platform each keep their own row, and readers add them up."""

    __tablename__ = "daily_metric"
    __table_args__ = (
        UniqueConstraint("connection_id", "date"),
        Index("ix_daily_metric_workspace_date", "workspace_id", "date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    # Deleting an account deletes its numbers; disconnecting (revoked) keeps them.
    connection_id: int = Field(foreign_key="platform_connection.id", ondelete="CASCADE")
    platform: str = Field(max_length=32)
    date: date
    follower_count: int = 0
    follower_change_24h: int = 0
    engagement_total: int = 0
    content_count: int = 0
    # The platform's own fields (e.g. monthly_listeners, streams, profile_views).
    metrics: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class ContentPost(SQLModel, table=True):
    __tablename__ = "content_post"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform", "platform_post_id"),
        # The dashboards read a workspace's posts by date.
        Index("ix_content_post_workspace_posted", "workspace_id", "posted_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    connection_id: int | None = Field(default=None, foreign_key="platform_connection.id", ondelete="SET NULL")
    platform: str = Field(max_length=32)
    platform_post_id: str = Field(max_length=200)
    post_type: str = Field(default="post", max_length=32)  # post, reel, story, video, track
    caption: str = ""
    url: str = Field(default="", max_length=1000)
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    views: int = 0
    plays: int = 0
    reach: int = 0
    impressions: int = 0
    hashtags: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The platform's own fields for the item (title, duration, thumbnail, popularity...).
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    posted_at: datetime
    updated_at: datetime = Field(default_factory=utcnow)


class Comment(SQLModel, table=True):
    __tablename__ = "comment"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform", "platform_comment_id"),
        # The inbox's pages: a workspace's comments in or out of the archive, by each sort.
        Index("ix_comment_inbox_newest", "workspace_id", "archived", "posted_at", "id"),
        Index("ix_comment_inbox_engaged", "workspace_id", "archived", "likes", "posted_at"),
        Index("ix_comment_inbox_unanswered", "workspace_id", "archived", "replied", "posted_at", "id"),
        # The unread badge.
        Index("ix_comment_inbox_unread", "workspace_id", "archived", "is_read"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    post_id: int = Field(foreign_key="content_post.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=32)
    platform_comment_id: str = Field(max_length=200)
    parent_platform_id: str = Field(default="", max_length=200)
    author: str = Field(default="", max_length=200)
    text: str = ""
    likes: int = 0
    hidden: bool = False
    is_read: bool = False
    archived: bool = False
    replied: bool = False
    posted_at: datetime
    updated_at: datetime = Field(default_factory=utcnow)


class AudienceSnapshot(SQLModel, table=True):
    """Who an account's audience is, as the platform reported it on one day (shares of the
    audience: age brackets, gender, countries, cities, and online hours where given)."""

    __tablename__ = "audience_snapshot"
    __table_args__ = (UniqueConstraint("connection_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    connection_id: int = Field(foreign_key="platform_connection.id", ondelete="CASCADE")
    platform: str = Field(max_length=32)
    date: date
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
