"""Things the artist should know about: expiring tokens, failed syncs or publishes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from dreamsuite.db import utcnow


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)  # token_expiring, token_expired, sync_failed, publish_failed
    message: str = Field(max_length=2000)
    # Where the artist can act on it (a page of ours, e.g. "/connections"), or "".
    link: str = Field(default="", max_length=300)
    is_read: bool = False
    created_at: datetime = Field(default_factory=utcnow)
