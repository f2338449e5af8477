"""The incidents' lat/lon index also carries date_start and id, so a map view (bbox or near) finds its
page of ids, newest first, without opening the matching rows to read their dates.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_incidents_lat_lon", "incidents")
    op.create_index("ix_incidents_lat_lon", "incidents", ["lat", "lon", "date_start", "id"])


def downgrade() -> None:
    op.drop_index("ix_incidents_lat_lon", "incidents")
    op.create_index("ix_incidents_lat_lon", "incidents", ["lat", "lon"])
