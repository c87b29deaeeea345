"""platform details on connections and posts; audience snapshots

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("platform_connection") as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("content_post") as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "audience_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["connection_id"], ["platform_connection.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("connection_id", "date"),
    )
    op.create_index("ix_audience_snapshot_workspace_id", "audience_snapshot", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_audience_snapshot_workspace_id", table_name="audience_snapshot")
    op.drop_table("audience_snapshot")
    with op.batch_alter_table("content_post") as batch_op:
        batch_op.drop_column("details")
    with op.batch_alter_table("platform_connection") as batch_op:
        batch_op.drop_column("details")
