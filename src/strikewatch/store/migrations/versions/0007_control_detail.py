"""Control periods say whether they are contested (sources disagree on the holder, or fighting is reported
inside the period) and keep the stative sentences, the fighting and the other holders named behind them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("control_periods") as batch:
        batch.add_column(sa.Column("contested", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("detail", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("control_periods") as batch:
        batch.drop_column("detail")
        batch.drop_column("contested")
