"""The first schema: documents, events, places, incidents and their members, claims, contradictions,
control periods, feeds, and full-text search (SQLite FTS5 or a PostgreSQL GIN index).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Date = sa.String(10)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16)),
        sa.Column("outlet", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text),
        sa.Column("published", Date),
        sa.Column("published_from", sa.String(16)),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("parent_id", sa.String(64)),
        sa.Column("source", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("copy_of", sa.String(64)),
        sa.Column("signature", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False, server_default="0"),
        sa.Column("negatives", sa.Text),
        sa.Column("ingested_at", sa.String(32), nullable=False),
    )
    for col in ("canonical_url", "published", "parent_id", "content_hash", "copy_of"):
        op.create_index(f"ix_documents_{col}", "documents", [col])

    op.create_table(
        "events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("sub_type", sa.Text, nullable=False),
        sa.Column("date_start", Date),
        sa.Column("date_end", Date),
        sa.Column("date_precision", sa.String(8)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("location_name", sa.Text),
        sa.Column("actor", sa.Text),
        sa.Column("target", sa.Text),
        sa.Column("speaker", sa.Text),
        sa.Column("modality", sa.String(16)),
        sa.Column("killed", sa.Integer),
        sa.Column("data", sa.Text, nullable=False),
    )
    for col in ("doc_id", "type", "date_start", "actor"):
        op.create_index(f"ix_events_{col}", "events", [col])
    op.create_index("ix_events_lat_lon", "events", ["lat", "lon"])

    op.create_table(
        "places",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("precision", sa.Integer),
        sa.Column("gazetteer_id", sa.Text),
        sa.Column("name_key", sa.Text),
    )
    op.create_index("ix_places_gazetteer_id", "places", ["gazetteer_id"])
    op.create_index("ix_places_name_key", "places", ["name_key"])

    op.create_table(
        "incidents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("sub_type", sa.Text, nullable=False),
        sa.Column("date_start", Date),
        sa.Column("date_end", Date),
        sa.Column("date_precision", sa.String(8)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("location_name", sa.Text),
        sa.Column("actors", sa.Text),
        sa.Column("grade", sa.String(16)),
        sa.Column("contested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("n_events", sa.Integer, nullable=False),
        sa.Column("n_documents", sa.Integer, nullable=False),
        sa.Column("killed_min", sa.Integer),
        sa.Column("data", sa.Text, nullable=False),
    )
    for col in ("type", "date_start", "date_end", "country", "grade"):
        op.create_index(f"ix_incidents_{col}", "incidents", [col])
    op.create_index("ix_incidents_lat_lon", "incidents", ["lat", "lon"])

    op.create_table(
        "incident_members",
        sa.Column(
            "incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "event_id", sa.String(64), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("doc_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_incident_members_doc_id", "incident_members", ["doc_id"])
    op.create_index("ix_incident_members_event", "incident_members", ["event_id"])

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(64)),
        sa.Column("speaker", sa.Text),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("modality", sa.String(16)),
    )
    op.create_index("ix_claims_incident_id", "claims", ["incident_id"])
    op.create_index("ix_claims_doc_id", "claims", ["doc_id"])

    op.create_table(
        "contradictions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("vals", sa.Text, nullable=False),
    )
    op.create_index("ix_contradictions_incident_id", "contradictions", ["incident_id"])

    op.create_table(
        "control_periods",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "place_key", sa.String(200), sa.ForeignKey("places.key", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("holder", sa.Text),
        sa.Column("since", Date),
        sa.Column("until", Date),
        sa.Column("events", sa.Text, nullable=False),
    )
    op.create_index("ix_control_periods_place_key", "control_periods", ["place_key"])

    op.create_table(
        "feeds",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("modified", sa.Text),
        sa.Column("last_polled", sa.String(32)),
        sa.Column("entries_seen", sa.Integer, nullable=False, server_default="0"),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # External-content FTS5 over documents, kept in step by triggers inside each write's transaction.
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
            "content_rowid='pk', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
            "INSERT INTO documents_fts(rowid, title, text) VALUES (new.pk, new.title, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', old.pk, old.title, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', old.pk, old.title, old.text); "
            "INSERT INTO documents_fts(rowid, title, text) VALUES (new.pk, new.title, new.text); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_documents_fts ON documents USING GIN "
            "(to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || left(text, 400000)))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trig in ("documents_fts_ai", "documents_fts_ad", "documents_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trig}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in (
        "feeds",
        "control_periods",
        "contradictions",
        "claims",
        "incident_members",
        "incidents",
        "places",
        "events",
        "documents",
    ):
        op.drop_table(table)
