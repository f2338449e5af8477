"""Fuse: events from many documents into graded incidents, control of places, near-copy detection.

Pure functions over ``strikewatch.records``; the store persists what they return.

- ``fuse_events(events, documents)`` -> incidents with claims, contradictions, grade and reason;
- ``refuse_window(new_events)`` / ``MARGIN_DAYS``: what the store reloads to re-fuse incrementally;
- ``control_timeline(events, documents)`` -> per-place holder periods; ``holder_on``, ``control_answer``;
- ``copies``: MinHash signatures, ``find_copy``, ``band_keys``: link a republished story to its original.
"""

from strikewatch.fuse import copies
from strikewatch.fuse.control import control_answer, control_timeline, holder_on, place_key
from strikewatch.fuse.copies import Signature, find_copy, signature
from strikewatch.fuse.incidents import (
    MARGIN_DAYS,
    build_incident,
    fuse_events,
    incident_id,
    independent_sources,
    refuse_window,
)
from strikewatch.fuse.sources import is_comment, root_document, source_key, speaker_of, voice_key

__all__ = [
    "MARGIN_DAYS",
    "Signature",
    "build_incident",
    "control_answer",
    "control_timeline",
    "copies",
    "find_copy",
    "fuse_events",
    "holder_on",
    "incident_id",
    "independent_sources",
    "is_comment",
    "place_key",
    "refuse_window",
    "root_document",
    "signature",
    "source_key",
    "speaker_of",
    "voice_key",
]
