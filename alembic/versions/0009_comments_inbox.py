"""the comments inbox: indexes for its pages (by each sort, in or out of the archive) and its
unread badge, and the replies sent from it (comment_reply)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 13:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = {
    'ix_comment_inbox_newest': ['workspace_id', 'archived', 'posted_at', 'id'],
    'ix_comment_inbox_engaged': ['workspace_id', 'archived', 'likes', 'posted_at'],
    'ix_comment_inbox_unanswered': ['workspace_id', 'archived', 'replied', 'posted_at', 'id'],
    'ix_comment_inbox_unread': ['workspace_id', 'archived', 'is_read'],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, 'comment', columns, unique=False)
    op.create_table('comment_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('platform_reply_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_comment_reply_comment', 'comment_reply', ['workspace_id', 'comment_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_comment_reply_comment', table_name='comment_reply')
    op.drop_table('comment_reply')
    for name in INDEXES:
        op.drop_index(name, table_name='comment')
