"""Contested incidents, newest first, straight from an index: the dashboard's "contested only" switch
otherwise scans every incident for the one in a hundred that is contested. The grade index of 0004 also
carries `contested` (with both filters SQLite's planner takes the grade index, and would otherwise open
every row of that grade), and the plain grade index goes: 0004's starts with grade and serves the same.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _newest() -> sa.TextClause:
    pg = op.get_bind().dialect.name == "postgresql"
    return sa.text("date_start DESC NULLS LAST" if pg else "date_start DESC")  # as in 0004


def upgrade() -> None:
    op.create_index("ix_incidents_contested_date", "incidents", ["contested", _newest(), "id"])
    op.drop_index("ix_incidents_grade_date", "incidents")
    op.create_index("ix_incidents_grade_date", "incidents", ["grade", _newest(), "id", "actors", "contested"])
    op.drop_index("ix_incidents_grade", "incidents")


def downgrade() -> None:
    op.create_index("ix_incidents_grade", "incidents", ["grade"])
    op.drop_index("ix_incidents_grade_date", "incidents")
    op.create_index("ix_incidents_grade_date", "incidents", ["grade", _newest(), "id", "actors"])
    op.drop_index("ix_incidents_contested_date", "incidents")
