"""The dashboard's map and facets over every incident (strikewatch.store.mapview): the grid clusters of a
map view read position, grade, contested and every column the filters test from one index instead of
every 1 KB row, and the type facet counts sub-types from one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_incidents_map", "incidents", ["lat", "lon", "grade", "contested", "id", "date_start",
                                                      "date_end", "type", "sub_type", "actors"])
    op.create_index("ix_incidents_type_sub_type", "incidents", ["type", "sub_type"])


def downgrade() -> None:
    op.drop_index("ix_incidents_type_sub_type", "incidents")
    op.drop_index("ix_incidents_map", "incidents")
