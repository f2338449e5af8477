"""Locality-sensitive band keys of each document's near-copy signature, so finding the original of a
republished story looks up a few candidates instead of comparing every document of the period.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_bands",
        sa.Column("band", sa.String(64), primary_key=True),
        sa.Column(
            "doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_index("ix_document_bands_doc_id", "document_bands", ["doc_id"])
    # Documents stored before this revision get their bands from their stored signatures.
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, signature FROM documents WHERE signature IS NOT NULL")).all()
    bands = [{"band": band, "doc_id": doc_id} for doc_id, sig in rows for band in dict.fromkeys(_bands(sig))]
    if bands:
        bind.execute(sa.text("INSERT INTO document_bands (band, doc_id) VALUES (:band, :doc_id)"), bands)


def _bands(signature_hex: str, bands: int = 16) -> list[str]:
    """The band keys of a stored signature as this revision defined them (``fuse.copies.band_keys`` at
    the time: a 4-byte size, then the MinHash values as little-endian uint32 cut into 16 bands), frozen
    here as a migration is: the store imports no fusion code (tests/test_layering.py)."""
    values = bytes.fromhex(signature_hex)[4:]
    width = (len(values) // 4 // bands) * 4
    return [f"{b}:{values[b * width:(b + 1) * width].hex()}" for b in range(bands)]


def downgrade() -> None:
    op.drop_table("document_bands")
