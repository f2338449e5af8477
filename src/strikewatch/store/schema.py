"""The database schema as SQLAlchemy Core tables (docs/database.md explains each one).

Records are kept whole as JSON (``data``) so nothing the pipeline produced is lost, and the fields the
views filter on are copied into indexed columns beside it. Dates are ISO strings (``YYYY-MM-DD``): they
sort and compare the same way on SQLite and PostgreSQL. The migrations in ``migrations/versions`` create
exactly these tables; a test compares the two.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

Date = sa.String(10)
DocId = sa.String(512)  # a document id: limits.MAX_ID_CHARS (migration 0008)

documents = sa.Table(
    "documents",
    metadata,
    # An integer key that never changes (SQLite's rowid alias), so the FTS5 index can point at it.
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", DocId, nullable=False, unique=True),
    sa.Column("kind", sa.String(16)),
    sa.Column("outlet", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("canonical_url", sa.Text, index=True),
    sa.Column("published", Date, index=True),
    sa.Column("published_from", sa.String(16)),
    sa.Column("title", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("parent_id", DocId, index=True),
    sa.Column("source", sa.Text),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),
    sa.Column("copy_of", DocId, index=True),
    sa.Column("signature", sa.Text),  # near-copy signature (JSON), from strikewatch.fuse.copies
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False, server_default="0"),
    sa.Column("negatives", sa.Text),  # JSON list of NegativeReport
    sa.Column("ingested_at", sa.String(32), nullable=False),
)

document_bands = sa.Table(
    "document_bands",
    metadata,
    sa.Column("band", sa.String(64), primary_key=True),  # fuse.copies.band_keys of the signature
    sa.Column(
        "doc_id",
        DocId,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column(
        "doc_id", DocId, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("type", sa.Text, nullable=False, index=True),
    sa.Column("sub_type", sa.Text, nullable=False),
    sa.Column("date_start", Date, index=True),
    sa.Column("date_end", Date),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("country", sa.String(8)),
    sa.Column("admin1", sa.Text),
    sa.Column("location_name", sa.Text),
    sa.Column("actor", sa.Text, index=True),
    sa.Column("target", sa.Text),
    sa.Column("speaker", sa.Text),
    sa.Column("modality", sa.String(16)),
    sa.Column("killed", sa.Integer),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index("ix_events_lat_lon", "lat", "lon"),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("country", sa.String(8)),
    sa.Column("admin1", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("precision", sa.Integer),
    sa.Column("gazetteer_id", sa.Text, index=True),
    sa.Column("name_key", sa.Text, index=True),  # casefolded name, to answer `control PLACE`
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("type", sa.Text, nullable=False, index=True),
    sa.Column("sub_type", sa.Text, nullable=False),
    sa.Column("date_start", Date, index=True),
    sa.Column("date_end", Date, index=True),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("country", sa.String(8), index=True),
    sa.Column("admin1", sa.Text),
    sa.Column("location_name", sa.Text),
    sa.Column("actors", sa.Text),  # "|name|name|" for a case-insensitive contains filter
    sa.Column("grade", sa.String(16)),  # indexed by ix_incidents_grade_date below
    sa.Column("contested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("n_events", sa.Integer, nullable=False),
    sa.Column("n_documents", sa.Integer, nullable=False),
    sa.Column("killed_min", sa.Integer),  # ACLED's one number: the lowest claimed toll
    sa.Column("data", sa.Text, nullable=False),
    sa.Index("ix_incidents_lat_lon", "lat", "lon", "date_start", "id"),  # a map view's page of ids (0005)
)
# The incident list's order (newest first, then id) and the filters it reads most, so a page of ids or a
# count is answered from the index alone (migration 0004; SQLite's index says only DESC, which puts
# nulls last there already).
sa.Index(
    "ix_incidents_date_order",
    incidents.c.date_start.desc().nulls_last(),
    incidents.c.id,
    incidents.c.date_end,
    incidents.c.grade,
    incidents.c.actors,
    incidents.c.contested,
    incidents.c.type,
    incidents.c.sub_type,
)
sa.Index(
    "ix_incidents_grade_date",
    incidents.c.grade,
    incidents.c.date_start.desc().nulls_last(),
    incidents.c.id,
    incidents.c.actors,
    incidents.c.contested,
)
sa.Index(
    "ix_incidents_contested_date",
    incidents.c.contested,
    incidents.c.date_start.desc().nulls_last(),
    incidents.c.id,
)
# The dashboard's map clusters and type facet over every incident, from indexes alone (migration 0009).
sa.Index("ix_incidents_map", incidents.c.lat, incidents.c.lon, incidents.c.grade, incidents.c.contested,
         incidents.c.id, incidents.c.date_start, incidents.c.date_end, incidents.c.type, incidents.c.sub_type,
         incidents.c.actors)
sa.Index("ix_incidents_type_sub_type", incidents.c.type, incidents.c.sub_type)

incident_members = sa.Table(
    "incident_members",
    metadata,
    sa.Column(
        "incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("doc_id", DocId, nullable=False, index=True),
    sa.Index("ix_incident_members_event", "event_id"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "incident_id",
        sa.String(64),
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("doc_id", DocId, nullable=False, index=True),
    sa.Column("event_id", sa.String(64)),
    sa.Column("speaker", sa.Text),
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("value", sa.Text),  # JSON
    sa.Column("modality", sa.String(16)),
)

contradictions = sa.Table(
    "contradictions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "incident_id",
        sa.String(64),
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("vals", sa.Text, nullable=False),  # JSON list of {value, speaker, doc_id}
)

control_periods = sa.Table(
    "control_periods",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "place_key",
        sa.String(200),
        sa.ForeignKey("places.key", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("holder", sa.Text),
    sa.Column("since", Date),
    sa.Column("until", Date),
    sa.Column("events", sa.Text, nullable=False),  # JSON list of event ids
    # migration 0007: sources disagree or fighting is reported inside the period; the stative sentences,
    # the fighting and the other holders named, as JSON {"stative", "fighting", "others"}
    sa.Column("contested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("detail", sa.Text),
)

feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("modified", sa.Text),
    sa.Column("last_polled", sa.String(32)),
    sa.Column("entries_seen", sa.Integer, nullable=False, server_default="0"),
    sa.Column("seen_keys", sa.Text),  # JSON list of entry keys already ingested (newest last, capped)
)
