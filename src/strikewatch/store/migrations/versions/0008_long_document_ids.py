"""Document ids up to 512 characters on both back ends (limits.MAX_ID_CHARS): a given id (a file name,
a .jsonl line's id) longer than 64 characters failed on PostgreSQL (VARCHAR(64)) and passed on SQLite.

SQLite does not enforce VARCHAR lengths, so only PostgreSQL's columns change (widening a VARCHAR
rewrites nothing and keeps the indexes and foreign keys).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# (table, column) holding a document id
DOCUMENT_ID_COLUMNS = (
    ("documents", "id"),
    ("documents", "parent_id"),
    ("documents", "copy_of"),
    ("document_bands", "doc_id"),
    ("events", "doc_id"),
    ("incident_members", "doc_id"),
    ("claims", "doc_id"),
)


def _alter(length: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in DOCUMENT_ID_COLUMNS:
        op.alter_column(table, column, type_=sa.String(length), existing_type=sa.String())


def upgrade() -> None:
    _alter(512)


def downgrade() -> None:
    _alter(64)
