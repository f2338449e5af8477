"""The pipeline owns the run: read → extract → store → fuse → control, as plain functions over plain
records and a ``Store``, each usable from Python without the CLI (the CLI, the API and Dask call them).

=====================  ==========================================================================
``extraction``         ``extract_document``, ``extract_documents``, ``extract_paths``, ``extract_text``:
                       documents to Extractions; no database, no network
``ingest_run``         ``ingest(store, items)``, ``ingest_one``: extract, store, fuse, one transaction
                       per document (or per batch with ``fuse="end"``); ``IngestSummary``
``fusion``             ``fuse_pending(store)``, ``refuse(store)``: incidents and control timelines from
                       the stored events
``control_query``      ``control(store, place, on)``: who held a place on a date
``feeds``              ``poll_once(store, url)``, ``watch_feeds(store, urls, interval=...)``
=====================  ==========================================================================

The store (``strikewatch.store``) only stores: it never imports extraction, geocoding or fusion; this
package is what joins them. The names below are loaded on first use, so ``from strikewatch.pipeline
import extract_document`` does not import the database layer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from strikewatch.pipeline.extraction import extract_document, extract_documents, extract_paths, extract_text

if TYPE_CHECKING:
    from strikewatch.pipeline.control_query import UnknownPlace, control
    from strikewatch.pipeline.feeds import poll_once, watch_feeds
    from strikewatch.pipeline.fusion import fuse_pending, refuse
    from strikewatch.pipeline.ingest_run import ingest, ingest_one
    from strikewatch.pipeline.summary import IngestSummary

_LAZY = {
    "IngestSummary": "summary",
    "ingest": "ingest_run",
    "ingest_one": "ingest_run",
    "fuse_pending": "fusion",
    "refuse": "fusion",
    "control": "control_query",
    "UnknownPlace": "control_query",
    "poll_once": "feeds",
    "watch_feeds": "feeds",
}

__all__ = ["IngestSummary", "UnknownPlace", "control", "extract_document", "extract_documents",
           "extract_paths", "extract_text", "fuse_pending", "ingest", "ingest_one", "poll_once", "refuse",
           "watch_feeds"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f"strikewatch.pipeline.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'strikewatch.pipeline' has no attribute {name!r}")
