"""Strikewatch: a conflict monitor that turns reports into a ledger of sourced, graded incidents."""

from strikewatch.records import (
    Document,
    Event,
    Extraction,
    Incident,
    Location,
)

__all__ = ["Document", "Event", "Extraction", "Incident", "Location", "__version__"]
__version__ = "0.1.0"
