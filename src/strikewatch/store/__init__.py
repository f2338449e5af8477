"""Storage: SQLite (default, WAL) or PostgreSQL through SQLAlchemy Core, migrated with Alembic on open.

``Store(url)`` writes documents one transaction each (with their events, the incidents they touch and
the control timeline) and reads incidents, events, documents, dossiers, control and stats back as records,
dicts and pandas frames.
"""

from strikewatch.store.store import IngestSummary, Store
from strikewatch.store.urls import canonical_url

__all__ = ["IngestSummary", "Store", "canonical_url"]
