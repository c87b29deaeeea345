"""promotion channels, campaigns, creatives, daily ad and merch numbers, brain runs, actions
(money as integer minor units beside its currency; ratios never stored)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 18:46:04.654978
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('brain_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('today', sa.Date(), nullable=False),
    sa.Column('inputs_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('outputs', sa.JSON(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('computed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('brain_run', schema=None) as batch_op:
        batch_op.create_index('ix_brain_run_workspace_computed', ['workspace_id', 'computed_at'], unique=False)

    op.create_table('promotion_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('access_token_enc', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('refresh_token_enc', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('token_expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('last_synced_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('details', sa.JSON(), server_default='{}', nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'kind', 'external_id')
    )
    with op.batch_alter_table('promotion_channel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotion_channel_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('ad_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('objective', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('daily_budget_minor', sa.BigInteger(), nullable=True),
    sa.Column('lifetime_budget_minor', sa.BigInteger(), nullable=True),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['promotion_channel.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel_id', 'external_id')
    )
    with op.batch_alter_table('ad_campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ad_campaign_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('ad_creative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('campaign_external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('thumbnail_url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('launched_on', sa.Date(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['promotion_channel.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel_id', 'external_id')
    )
    with op.batch_alter_table('ad_creative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ad_creative_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('ad_daily_metric',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('campaign_external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('creative_external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('spend_minor', sa.BigInteger(), nullable=False),
    sa.Column('revenue_minor', sa.BigInteger(), nullable=False),
    sa.Column('impressions', sa.BigInteger(), nullable=False),
    sa.Column('clicks', sa.BigInteger(), nullable=False),
    sa.Column('conversions', sa.BigInteger(), nullable=False),
    sa.Column('reach', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['promotion_channel.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel_id', 'day', 'campaign_external_id', 'creative_external_id')
    )
    with op.batch_alter_table('ad_daily_metric', schema=None) as batch_op:
        batch_op.create_index('ix_ad_daily_metric_workspace_day', ['workspace_id', 'day'], unique=False)

    op.create_table('merch_daily',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('utm_source', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('revenue_minor', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['promotion_channel.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel_id', 'day', 'currency', 'utm_source')
    )
    with op.batch_alter_table('merch_daily', schema=None) as batch_op:
        batch_op.create_index('ix_merch_daily_workspace_day', ['workspace_id', 'day'], unique=False)

    op.create_table('promotion_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('sentence', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('impact_minor', sa.BigInteger(), nullable=False),
    sa.Column('impact_currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('confidence', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.JSON(), server_default='{}', nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('first_run_id', sa.Integer(), nullable=True),
    sa.Column('last_run_id', sa.Integer(), nullable=True),
    sa.Column('first_seen', sa.Date(), nullable=True),
    sa.Column('last_seen', sa.Date(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('observed_minor', sa.BigInteger(), nullable=True),
    sa.Column('observed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['first_run_id'], ['brain_run.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['last_run_id'], ['brain_run.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'key')
    )
    with op.batch_alter_table('promotion_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotion_action_workspace_id'), ['workspace_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('promotion_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promotion_action_workspace_id'))

    op.drop_table('promotion_action')
    with op.batch_alter_table('merch_daily', schema=None) as batch_op:
        batch_op.drop_index('ix_merch_daily_workspace_day')

    op.drop_table('merch_daily')
    with op.batch_alter_table('ad_daily_metric', schema=None) as batch_op:
        batch_op.drop_index('ix_ad_daily_metric_workspace_day')

    op.drop_table('ad_daily_metric')
    with op.batch_alter_table('ad_creative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_creative_workspace_id'))

    op.drop_table('ad_creative')
    with op.batch_alter_table('ad_campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_campaign_workspace_id'))

    op.drop_table('ad_campaign')
    with op.batch_alter_table('promotion_channel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promotion_channel_workspace_id'))

    op.drop_table('promotion_channel')
    with op.batch_alter_table('brain_run', schema=None) as batch_op:
        batch_op.drop_index('ix_brain_run_workspace_computed')

    op.drop_table('brain_run')
