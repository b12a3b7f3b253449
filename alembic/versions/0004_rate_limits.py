"""Rate limits: one generic throttle table, and an index to count a person's sends.

``rate_limit_hits`` replaces ``sign_in_failures``: sign-in failures are now
counted per account and address, per address and per account, and sign-ups
per address, all as hits in named buckets. Failures in the old table are
short-lived (a minute), so they are dropped rather than carried over.

The messages index is built in the migration's transaction, which holds off
new messages while it builds. It cannot be built CONCURRENTLY here: that waits
for every other transaction, including a second migrate job queued on the
advisory lock, which deadlocks. On a very large table, build it by hand first
(``CREATE INDEX CONCURRENTLY ix_messages_sender_id_created_at ON messages
(sender_id, created_at)``) and this migration leaves it be.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENDS_INDEX = "ix_messages_sender_id_created_at"


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_index(SENDS_INDEX, "messages", ["sender_id", "created_at"], if_not_exists=True)
    op.create_table(
        "rate_limit_hits",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("bucket", sa.String(length=200), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_rate_limit_hits_bucket_time", "rate_limit_hits", ["bucket", "created_at"], unique=False
    )
    op.create_index("ix_rate_limit_hits_time", "rate_limit_hits", ["created_at"], unique=False)
    op.drop_index("ix_sign_in_failures_key_time", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")


def downgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("username_key", sa.String(length=64), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_sign_in_failures_key_time",
        "sign_in_failures",
        ["username_key", "created_at"],
        unique=False,
    )
    op.drop_index("ix_rate_limit_hits_time", table_name="rate_limit_hits")
    op.drop_index("ix_rate_limit_hits_bucket_time", table_name="rate_limit_hits")
    op.drop_table("rate_limit_hits")
    op.drop_index(SENDS_INDEX, table_name="messages")
