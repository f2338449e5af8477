"""Indexes that let the incident list answer from an index instead of the 1 KB JSON rows: newest-first
order (with the id tiebreak) for deep pages and date windows, and grade + date for filtered lists.

The indexes also carry the columns the common filters read (date_end, grade, actors, contested, type,
sub_type), so a count or a page of ids never opens the table. PostgreSQL needs NULLS LAST spelled out to
match the list's order (SQLite's DESC already puts nulls last and does not accept the words in an
index). A PostgreSQL B-tree entry is capped at about 2.7 kB: `actors` holds an incident's canonical
actor names, far below that.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    newest = sa.text("date_start DESC NULLS LAST" if pg else "date_start DESC")
    covered = ["date_end", "grade", "actors", "contested", "type", "sub_type"]
    op.create_index("ix_incidents_date_order", "incidents", [newest, "id", *covered])
    op.create_index("ix_incidents_grade_date", "incidents", ["grade", newest, "id", "actors"])


def downgrade() -> None:
    op.drop_index("ix_incidents_grade_date", "incidents")
    op.drop_index("ix_incidents_date_order", "incidents")
