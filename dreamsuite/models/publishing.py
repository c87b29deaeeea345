"""Scheduled posts and their per-account destinations (the unit that is published once)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from dreamsuite.db import utcnow


class PostStatus(StrEnum):
    draft = "draft"
    scheduled = "scheduled"
    publishing = "publishing"
    published = "published"
    partially_failed = "partially_failed"
    # Sent, but the platform never confirmed: check it there before posting again.
    unconfirmed = "unconfirmed"
    failed = "failed"
    cancelled = "cancelled"


class DestinationStatus(StrEnum):
    pending = "pending"
    publishing = "publishing"
    # Accepted, but the platform is still processing it (Instagram containers, TikTok and
    # YouTube uploads): only read-only status checks from here, never a second send.
    processing = "processing"
    published = "published"
    unconfirmed = "unconfirmed"  # sent, outcome unknown: never blindly re-sent
    failed = "failed"
    cancelled = "cancelled"


class ScheduledPost(SQLModel, table=True):
    __tablename__ = "scheduled_post"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    content: str
    # Media library asset ids, in the order the post shows them.
    media: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Per-platform text that replaces `content` there ({"x": "a shorter one"}).
    variants: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    # Posted as the first comment under the post, where the platform allows it.
    first_comment: str = Field(default="", max_length=2200)
    scheduled_at: datetime  # aware UTC
    timezone: str = Field(default="UTC", max_length=64)  # the author's, for display
    status: str = Field(default=PostStatus.scheduled, max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PostDestination(SQLModel, table=True):
    __tablename__ = "post_destination"
    __table_args__ = (UniqueConstraint("post_id", "connection_id"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    post_id: int = Field(foreign_key="scheduled_post.id", index=True, ondelete="CASCADE")
    connection_id: int = Field(foreign_key="platform_connection.id", index=True, ondelete="CASCADE")
    status: str = Field(default=DestinationStatus.pending, max_length=20, index=True)
    platform_post_id: str = Field(default="", max_length=200)
    platform_url: str = Field(default="", max_length=1000)
    attempts: int = 0
    error: str = Field(default="", max_length=2000)
    published_at: datetime | None = None
    # While `processing`: the platform's id for the upload or container, and when to look again.
    remote_id: str = Field(default="", max_length=200)
    check_after: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class DestinationEvent(SQLModel, table=True):
    """One step in a destination's life (claimed, sent, rate limited, published, failed...):
    the post page shows them, so "what happened to my post?" always has an answer."""

    __tablename__ = "destination_event"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    destination_id: int = Field(foreign_key="post_destination.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    status: str = Field(max_length=20)
    message: str = Field(default="", max_length=2000)


class QueueSlot(SQLModel, table=True):
    """One of a workspace's usual posting times ("Tuesdays 18:00"), in the workspace's timezone."""

    __tablename__ = "queue_slot"
    __table_args__ = (UniqueConstraint("workspace_id", "weekday", "minute"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    weekday: int  # 0 Monday … 6 Sunday
    minute: int  # minutes after local midnight, 0–1439
    created_at: datetime = Field(default_factory=utcnow)
