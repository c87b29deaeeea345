"""the comments inbox: indexes for its pages (by each sort, in or out of the archive) and its
unread badge

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 13:00:00
"""
from typing import Sequence, Union

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


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name='comment')
