"""Users, workspaces (the tenant: one artist profile), memberships with roles, login sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from dreamsuite.db import utcnow


class Role(StrEnum):
    owner = "owner"
    editor = "editor"
    viewer = "viewer"


ROLE_RANK = {Role.viewer: 0, Role.editor: 1, Role.owner: 2}


class User(SQLModel, table=True):
    __tablename__ = "user"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=320)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=300)
    is_admin: bool = False
    timezone: str = Field(default="UTC", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class Workspace(SQLModel, table=True):
    __tablename__ = "workspace"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    timezone: str = Field(default="UTC", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class Membership(SQLModel, table=True):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "workspace_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    role: str = Field(default=Role.owner, max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class AuthSession(SQLModel, table=True):
    """A login. Only the SHA-256 of the token is stored, so a database leak logs no one in."""

    __tablename__ = "auth_session"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    # The artist workspace this login works in (picked in the sidebar), so a reload or a new tab
    # of the same login stays there; a new login starts at the user's first workspace.
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id", ondelete="SET NULL")


class EmailToken(SQLModel, table=True):
    """A single-use link sent by email (today: finishing a sign-up). Only its SHA-256 is kept."""

    __tablename__ = "email_token"
    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=32)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    email: str = Field(max_length=320)
    # What the link completes (for a sign-up: name, timezone and the password's argon2 hash).
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
