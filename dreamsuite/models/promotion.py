"""Promotion: the workspace's ad accounts and shop (channels), their campaigns and creatives, each
day's numbers, the brain's runs and the next actions it proposed.

Money is stored as an integer count of the currency's minor unit (cents; yen) beside its ISO
currency, never as a float: exact on SQLite and PostgreSQL alike, sums in SQL stay exact, and
`Decimal` is what every reader gets back (analytics/money.py `from_minor`, `Money.minor`). Ratios (ROAS, CPA, CTR)
are never stored: they are derived from the stored sums, so they can never disagree with them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field, SQLModel, UniqueConstraint

from dreamsuite.db import utcnow


class ChannelKind(StrEnum):
    meta_ads = "meta_ads"
    google_ads = "google_ads"
    tiktok_ads = "tiktok_ads"
    shopify = "shopify"


class ActionStatus(StrEnum):
    proposed = "proposed"
    accepted = "accepted"
    dismissed = "dismissed"
    expired = "expired"  # no longer found by the brain before anyone answered


class PromotionChannel(SQLModel, table=True):
    """One ad account or shop a workspace connected (its tokens encrypted, as for social accounts)."""

    __tablename__ = "promotion_channel"
    __table_args__ = (UniqueConstraint("workspace_id", "kind", "external_id"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)  # ChannelKind
    external_id: str = Field(max_length=200)  # act_…, Google customer id, TikTok advertiser id, shop domain
    name: str = Field(default="", max_length=200)
    currency: str = Field(default="", max_length=3)
    timezone: str = Field(default="", max_length=64)
    # Fernet ciphertexts (dreamsuite/crypto.py); never the tokens in clear.
    access_token_enc: str = Field(default="")
    refresh_token_enc: str = Field(default="")
    token_expires_at: datetime | None = None
    scopes: str = Field(default="", max_length=1000)
    status: str = Field(default="active", max_length=16)  # ConnectionStatus values
    last_synced_at: datetime | None = None
    last_error: str = Field(default="", max_length=2000)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class AdCampaign(SQLModel, table=True):
    __tablename__ = "ad_campaign"
    __table_args__ = (UniqueConstraint("channel_id", "external_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="promotion_channel.id", ondelete="CASCADE")
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    external_id: str = Field(max_length=100)
    name: str = Field(default="", max_length=300)
    objective: str = Field(default="", max_length=64)
    status: str = Field(default="", max_length=32)
    currency: str = Field(default="", max_length=3)
    daily_budget_minor: int | None = Field(default=None, sa_type=BigInteger)
    lifetime_budget_minor: int | None = Field(default=None, sa_type=BigInteger)
    started_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class AdCreative(SQLModel, table=True):
    __tablename__ = "ad_creative"
    __table_args__ = (UniqueConstraint("channel_id", "external_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="promotion_channel.id", ondelete="CASCADE")
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    external_id: str = Field(max_length=100)
    campaign_external_id: str = Field(default="", max_length=100)
    name: str = Field(default="", max_length=300)
    title: str = Field(default="", max_length=500)
    body: str = Field(default="", max_length=4000)
    thumbnail_url: str = Field(default="", max_length=2000)
    kind: str = Field(default="", max_length=32)  # VIDEO, SHARE, IMAGE, SEARCH…
    status: str = Field(default="", max_length=32)
    launched_on: date | None = None  # its first day with spend
    updated_at: datetime = Field(default_factory=utcnow)


class AdDailyMetric(SQLModel, table=True):
    """One creative's day in one campaign, as the ad platform reports it (in the account's currency
    and time zone). Rewritten when the platform revises a recent day, never summed twice."""

    __tablename__ = "ad_daily_metric"
    __table_args__ = (
        UniqueConstraint("channel_id", "day", "campaign_external_id", "creative_external_id"),
        Index("ix_ad_daily_metric_workspace_day", "workspace_id", "day"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="promotion_channel.id", ondelete="CASCADE")
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    day: date
    campaign_external_id: str = Field(max_length=100)
    creative_external_id: str = Field(max_length=100)
    currency: str = Field(max_length=3)
    spend_minor: int = Field(default=0, sa_type=BigInteger)
    revenue_minor: int = Field(default=0, sa_type=BigInteger)  # conversion value the platform attributes
    impressions: int = Field(default=0, sa_type=BigInteger)
    clicks: int = Field(default=0, sa_type=BigInteger)
    conversions: int = Field(default=0, sa_type=BigInteger)
    reach: int | None = Field(default=None, sa_type=BigInteger)  # None: not reported (not zero)
    updated_at: datetime = Field(default_factory=utcnow)


class MerchDaily(SQLModel, table=True):
    """A shop's day of orders in one currency, credited to the utm_source they came with ("" none)."""

    __tablename__ = "merch_daily"
    __table_args__ = (
        UniqueConstraint("channel_id", "day", "currency", "utm_source"),
        Index("ix_merch_daily_workspace_day", "workspace_id", "day"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="promotion_channel.id", ondelete="CASCADE")
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    day: date
    currency: str = Field(max_length=3)
    utm_source: str = Field(default="", max_length=200)
    orders: int = 0
    revenue_minor: int = Field(default=0, sa_type=BigInteger)
    updated_at: datetime = Field(default_factory=utcnow)


class BrainRun(SQLModel, table=True):
    """One run of the promotion brain: what went in (a hash of every input row), what came out."""

    __tablename__ = "brain_run"
    __table_args__ = (Index("ix_brain_run_workspace_computed", "workspace_id", "computed_at"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", ondelete="CASCADE")
    today: date  # the run's day (the day before it is the last complete one)
    inputs_hash: str = Field(max_length=64)
    outputs: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    duration_ms: int = 0
    computed_at: datetime = Field(default_factory=utcnow)


class PromotionAction(SQLModel, table=True):
    """A next action the brain proposed, by its stable key (the same finding tomorrow is the same
    row, so an answer sticks), and what the artist did with it; accepted ones are measured after."""

    __tablename__ = "promotion_action"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    target: str = Field(default="", max_length=300)
    sentence: str = Field(default="", max_length=2000)
    impact_minor: int = Field(default=0, sa_type=BigInteger)  # expected, per day
    impact_currency: str = Field(default="", max_length=3)
    confidence: str = Field(default="", max_length=8)
    rank: int = 0  # its place in the last run that found it (0 first)
    evidence: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    status: str = Field(default=ActionStatus.proposed, max_length=16)
    first_run_id: int | None = Field(default=None, foreign_key="brain_run.id", ondelete="SET NULL")
    last_run_id: int | None = Field(default=None, foreign_key="brain_run.id", ondelete="SET NULL")
    first_seen: date | None = None
    last_seen: date | None = None
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    observed_minor: int | None = Field(default=None, sa_type=BigInteger)  # measured per day after acceptance
    observed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
