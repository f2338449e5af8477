"""What an ingest did: the counts the CLI prints and ``--format json`` writes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

_COUNTS = (
    "documents_new",
    "documents_unchanged",
    "documents_copies",
    "documents_failed",
    "events",
    "incidents_created",
    "incidents_updated",
    "incidents_removed",
)


@dataclass
class IngestSummary:
    """What one ingest did; `failures` holds (source, message) for each document skipped."""

    documents_new: int = 0
    documents_unchanged: int = 0
    documents_copies: int = 0
    documents_failed: int = 0
    events: int = 0
    incidents_created: int = 0
    incidents_updated: int = 0
    incidents_removed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["failures"] = [{"source": s, "message": m} for s, m in self.failures]
        return d

    def add(self, other: IngestSummary) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)

    def fail(self, source: str, message: str) -> None:
        """Count one document skipped, with the sentence that says why."""
        self.documents_failed += 1
        self.failures.append((source, message))
