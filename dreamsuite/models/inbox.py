"""A reply to a comment, asked for in the inbox and sent to the platform by a worker job.

Its status is the send's whole story: pending (stored, job enqueued) → sending (claimed by one
job run) → sent (the platform's id kept) | failed (the platform's words) | unknown (the send may
have gone out: never sent again; check on the platform)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from dreamsuite.db import utcnow


class CommentReply(SQLModel, table=True):
    __tablename__ = "comment_reply"
    __table_args__ = (Index("ix_comment_reply_comment", "workspace_id", "comment_id"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    comment_id: int = Field(foreign_key="comment.id", ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    text: str = ""
    status: str = Field(default="pending", max_length=16)
    platform_reply_id: str = Field(default="", max_length=200)
    error: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
