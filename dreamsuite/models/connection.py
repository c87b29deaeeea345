"""Connected platform accounts, pending OAuth authorizations and the sync history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from dreamsuite.db import utcnow


class ConnectionStatus(StrEnum):
    active = "active"
    expiring = "expiring"
    expired = "expired"
    revoked = "revoked"
    error = "error"


class PlatformConnection(SQLModel, table=True):
    __tablename__ = "platform_connection"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "platform_user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=32, index=True)
    platform_user_id: str = Field(max_length=200)
    username: str = Field(default="", max_length=200)
    display_name: str = Field(default="", max_length=200)
    # Fernet ciphertexts (see dreamsuite/crypto.py); never the tokens in clear.
    access_token_enc: str = Field(default="")
    refresh_token_enc: str = Field(default="")
    token_expires_at: datetime | None = None
    scopes: str = Field(default="", max_length=1000)
    status: str = Field(default=ConnectionStatus.active, max_length=16)
    last_synced_at: datetime | None = None
    last_error: str = Field(default="", max_length=2000)
    # What calls need to address the account (a channel id, Page id, artist id, open_id...).
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class OAuthState(SQLModel, table=True):
    """An authorization in flight: the `state` we sent and the PKCE verifier, kept server-side."""

    __tablename__ = "oauth_state"
    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(index=True, unique=True, max_length=128)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    platform: str = Field(max_length=32)
    code_verifier_enc: str
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class SyncStatus(StrEnum):
    running = "running"
    success = "success"
    failed = "failed"
    abandoned = "abandoned"  # still "running" long after its worker could have finished


class SyncRun(SQLModel, table=True):
    __tablename__ = "sync_run"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    connection_id: int = Field(foreign_key="platform_connection.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    status: str = Field(default=SyncStatus.running, max_length=16)
    # {"daily_metrics": n, "posts": n, "comments": n}: rows written (inserted or changed).
    counts: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error: str = Field(default="", max_length=2000)
