"""team invitations (by email link: only the token's SHA-256 kept, one pending per email and
workspace) and the artist workspace each login works in (auth_session.workspace_id)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 15:10:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('invited_by', sa.Integer(), nullable=True),
    sa.Column('accepted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index('ix_invitation_one_pending', ['workspace_id', 'email'], unique=True,
                              sqlite_where=PENDING, postgresql_where=PENDING)
        batch_op.create_index(batch_op.f('ix_invitation_token_hash'), ['token_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_invitation_workspace_id'), ['workspace_id'], unique=False)

    with op.batch_alter_table('auth_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workspace_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_auth_session_workspace_id', 'workspace', ['workspace_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('auth_session', schema=None) as batch_op:
        batch_op.drop_constraint('fk_auth_session_workspace_id', type_='foreignkey')
        batch_op.drop_column('workspace_id')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_token_hash'))
        batch_op.drop_index('ix_invitation_one_pending', sqlite_where=PENDING, postgresql_where=PENDING)

    op.drop_table('invitation')
