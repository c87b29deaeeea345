"""chat messages keep the tools an answer used and the time to its first chunk

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 10:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('chat_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_chunk_ms', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('tools_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('chat_message', schema=None) as batch_op:
        batch_op.drop_column('tools_json')
        batch_op.drop_column('first_chunk_ms')
