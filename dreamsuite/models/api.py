"""The public API's tokens, and outgoing webhooks with their delivery log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel, UniqueConstraint

from dreamsuite.db import utcnow


class TokenScope(StrEnum):
    read = "read"
    write = "write"


class ApiToken(SQLModel, table=True):
    """A workspace's API token. Only the SHA-256 of the secret is kept: the token is shown once."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    # The token's public start ("ds_1a2b3c4d"), shown in the list and used to find the row.
    prefix: str = Field(max_length=16, unique=True, index=True)
    token_hash: str = Field(max_length=64)
    scope: str = Field(default=TokenScope.read, max_length=8)
    # Whose rights the token carries (never more than theirs); deleting the user ends it.
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class DeliveryStatus(StrEnum):
    pending = "pending"      # waiting for its (next) try
    sending = "sending"      # a worker is posting it now
    delivered = "delivered"  # the receiver answered 2xx
    failed = "failed"        # every try refused or unreachable


class Webhook(SQLModel, table=True):
    """Where a workspace's events are posted; the signing secret is encrypted like platform tokens."""

    __tablename__ = "webhook"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=2000)
    events: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    secret_enc: str
    active: bool = True
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class WebhookDelivery(SQLModel, table=True):
    """One event for one webhook, with its tries: the delivery log. `event_key` names the event
    ("post.published:destination:12"), so the same event is never queued twice for a webhook."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_key"),
        Index("ix_webhook_delivery_status_next", "status", "next_try_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    webhook_id: int = Field(foreign_key="webhook.id", index=True, ondelete="CASCADE")
    event: str = Field(max_length=40)
    event_key: str = Field(max_length=200)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attempts: int = 0
    status: str = Field(default=DeliveryStatus.pending, max_length=16)
    response_code: int | None = None
    error: str = Field(default="", max_length=500)
    next_try_at: datetime | None = None
    delivered_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
