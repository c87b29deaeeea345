"""The media library: files a workspace uploaded once and attaches to any number of posts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from dreamsuite.db import utcnow


class MediaAsset(SQLModel, table=True):
    __tablename__ = "media_asset"
    # The same bytes uploaded twice are one asset (per workspace: workspaces never share files).
    __table_args__ = (UniqueConstraint("workspace_id", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    uploaded_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    sha256: str = Field(max_length=64)
    filename: str = Field(default="", max_length=255)  # as uploaded, for the artist's eyes only
    mime: str = Field(default="", max_length=100)
    kind: str = Field(default="image", max_length=10)  # image | video | audio
    size_bytes: int = 0
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    # Where the bytes are, for the store that wrote them ("local" or "s3") — never a URL.
    storage: str = Field(default="local", max_length=10)
    storage_key: str = Field(max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
