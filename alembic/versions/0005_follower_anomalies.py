"""unusual follower days, found by the worker and marked on the charts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 04:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('follower_anomaly',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('change', sa.Float(), nullable=False),
    sa.Column('expected', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('followers', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'platform', 'date')
    )
    with op.batch_alter_table('follower_anomaly', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follower_anomaly_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('follower_anomaly', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follower_anomaly_workspace_id'))
    op.drop_table('follower_anomaly')
