"""Presence across realtime instances: each instance's heartbeat and who is on it.

``users.last_seen_at`` already exists (revision 0001); this adds the rows that
say who is online now, kept in PostgreSQL so every instance agrees.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "realtime_instances",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "heartbeat_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "presence_sessions",
        sa.Column("instance_id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["realtime_instances.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("instance_id", "user_id"),
    )
    op.create_index("ix_presence_sessions_user", "presence_sessions", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_presence_sessions_user", table_name="presence_sessions")
    op.drop_table("presence_sessions")
    op.drop_table("realtime_instances")
