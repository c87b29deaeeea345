"""publishing: the media library, per-platform text and a first comment, destination history,
the processing state's remote id and next check, and the workspace's queue slots

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 09:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('media_asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('mime', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('duration_s', sa.Float(), nullable=True),
    sa.Column('storage', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('storage_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'sha256')
    )
    with op.batch_alter_table('media_asset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_asset_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('destination_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['destination_id'], ['post_destination.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('destination_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_destination_event_destination_id'), ['destination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_destination_event_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('queue_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('minute', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'weekday', 'minute')
    )
    with op.batch_alter_table('queue_slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_slot_workspace_id'), ['workspace_id'], unique=False)

    with op.batch_alter_table('scheduled_post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variants', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('first_comment', sqlmodel.sql.sqltypes.AutoString(length=2200),
                                      nullable=False, server_default=''))

    with op.batch_alter_table('post_destination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remote_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('check_after', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('post_destination', schema=None) as batch_op:
        batch_op.drop_column('check_after')
        batch_op.drop_column('remote_id')
    with op.batch_alter_table('scheduled_post', schema=None) as batch_op:
        batch_op.drop_column('first_comment')
        batch_op.drop_column('variants')
    with op.batch_alter_table('queue_slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queue_slot_workspace_id'))
    op.drop_table('queue_slot')
    with op.batch_alter_table('destination_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_destination_event_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_destination_event_destination_id'))
    op.drop_table('destination_event')
    with op.batch_alter_table('media_asset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_asset_workspace_id'))
    op.drop_table('media_asset')
