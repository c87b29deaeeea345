"""An invitation to join a workspace, sent by email link. Only the SHA-256 of the link's token is kept."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from dreamsuite.db import utcnow


class InvitationStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    revoked = "revoked"    # by an owner, or replaced by a newer invitation to the same email


class Invitation(SQLModel, table=True):
    __tablename__ = "invitation"
    __table_args__ = (
        # At most one pending invitation per email and workspace (a re-invite replaces it).
        Index("ix_invitation_one_pending", "workspace_id", "email", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=320)
    role: str = Field(max_length=16)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    status: str = Field(default=InvitationStatus.pending, max_length=16)
    invited_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    accepted_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    # When it was accepted or revoked.
    closed_at: datetime | None = None
