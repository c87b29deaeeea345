"""daily metrics keyed by account; sign-up links; notification links

Two accounts on one platform used to overwrite each other's day (the key was workspace,
platform, date). The key is now (connection, date); readers add accounts up. Existing rows
keep their account; a row whose account is gone is given to the workspace's only account on
that platform, and dropped only when there is none to give it to.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00
"""
from typing import Sequence, Union

import logging

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

log = logging.getLogger("alembic.runtime.migration")

COLUMNS = ("id", "workspace_id", "connection_id", "platform", "date", "follower_count", "follower_change_24h",
           "engagement_total", "content_count", "metrics", "updated_at")


def _metric_table(name: str, *, per_account: bool) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=not per_account),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("follower_count", sa.Integer(), nullable=False),
        sa.Column("follower_change_24h", sa.Integer(), nullable=False),
        sa.Column("engagement_total", sa.Integer(), nullable=False),
        sa.Column("content_count", sa.Integer(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["connection_id"], ["platform_connection.id"],
                                ondelete="CASCADE" if per_account else "SET NULL"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("connection_id", "date") if per_account
        else sa.UniqueConstraint("workspace_id", "platform", "date"),
    )


def _swap(new: str, indexes: list[tuple[str, list[str]]]) -> None:
    op.drop_table("daily_metric")
    op.rename_table(new, "daily_metric")
    for name, cols in indexes:
        op.create_index(name, "daily_metric", cols, unique=False)


def upgrade() -> None:
    conn = op.get_bind()
    # Rows whose account was deleted (SET NULL): the workspace's only account on that platform takes them.
    conn.execute(sa.text("""
        UPDATE daily_metric SET connection_id = (
            SELECT MIN(c.id) FROM platform_connection c
            WHERE c.workspace_id = daily_metric.workspace_id AND c.platform = daily_metric.platform)
        WHERE connection_id IS NULL AND (
            SELECT COUNT(*) FROM platform_connection c
            WHERE c.workspace_id = daily_metric.workspace_id AND c.platform = daily_metric.platform) = 1
    """))
    orphans = conn.execute(sa.text("SELECT COUNT(*) FROM daily_metric WHERE connection_id IS NULL")).scalar()
    if orphans:
        log.warning("daily_metric: %s row(s) belong to no account any more and are not carried over", orphans)

    _metric_table("daily_metric_new", per_account=True)
    cols = ", ".join(COLUMNS)
    conn.execute(sa.text(f"INSERT INTO daily_metric_new ({cols}) SELECT {cols} FROM daily_metric "
                         "WHERE connection_id IS NOT NULL"))
    _swap("daily_metric_new", [("ix_daily_metric_workspace_id", ["workspace_id"]),
                               ("ix_daily_metric_workspace_date", ["workspace_id", "date"])])
    if conn.dialect.name == "postgresql":  # the copied ids continue from where they were
        conn.execute(sa.text("ALTER SEQUENCE daily_metric_new_id_seq RENAME TO daily_metric_id_seq"))
        conn.execute(sa.text("SELECT setval('daily_metric_id_seq', COALESCE((SELECT MAX(id) FROM daily_metric), 0) + 1, false)"))

    op.create_table(
        "email_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_email_token_token_hash", "email_token", ["token_hash"], unique=True)

    with op.batch_alter_table("notification") as batch_op:
        batch_op.add_column(sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("notification") as batch_op:
        batch_op.drop_column("link")
    op.drop_index("ix_email_token_token_hash", table_name="email_token")
    op.drop_table("email_token")

    # Back to one row per platform and day: the accounts of a platform are added up.
    _metric_table("daily_metric_old", per_account=False)
    conn.execute(sa.text("""
        INSERT INTO daily_metric_old (id, workspace_id, connection_id, platform, date, follower_count,
            follower_change_24h, engagement_total, content_count, metrics, updated_at)
        SELECT MIN(id), workspace_id, MIN(connection_id), platform, date, SUM(follower_count),
            SUM(follower_change_24h), SUM(engagement_total), SUM(content_count), '{}', MAX(updated_at)
        FROM daily_metric GROUP BY workspace_id, platform, date
    """))
    # JSON has no MIN(): the platform's own fields come from the row whose id the group kept.
    conn.execute(sa.text("UPDATE daily_metric_old SET metrics = "
                         "(SELECT d.metrics FROM daily_metric d WHERE d.id = daily_metric_old.id)"))
    _swap("daily_metric_old", [("ix_daily_metric_workspace_id", ["workspace_id"])])
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ALTER SEQUENCE daily_metric_old_id_seq RENAME TO daily_metric_id_seq"))
        conn.execute(sa.text("SELECT setval('daily_metric_id_seq', COALESCE((SELECT MAX(id) FROM daily_metric), 0) + 1, false)"))
