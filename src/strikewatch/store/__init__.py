"""Storage, and nothing else: SQLite (default, WAL) or PostgreSQL through SQLAlchemy Core, migrated with
Alembic on open.

``Store(url)`` opens the database and reads incidents, events, documents, dossiers, control periods and
stats back as records, dicts and pandas frames; ``Store.writing()`` is one write transaction for the
pipeline, which writes through ``store.writes`` and reads what it needs through ``store.queries`` (plain
functions over a connection). Extracting, geocoding and fusing are ``strikewatch.pipeline``'s: nothing
in this package imports them (tests/test_layering.py checks).
"""

from strikewatch.store.store import RowsRefused, Store
from strikewatch.store.urls import canonical_url

__all__ = ["RowsRefused", "Store", "canonical_url"]
