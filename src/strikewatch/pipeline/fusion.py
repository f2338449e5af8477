"""Fusing stored events into incidents, and rebuilding the control timelines, inside a write transaction.

Incremental: a new document's events are fused with the stored events around them (fusion's own window,
``strikewatch.fuse.refuse_window``) and every incident those touch, and only the incidents that changed
are written again (``store.writes.replace_incidents``). A bulk load fuses what it left pending at the end
(``fuse_pending``), in date-ordered slices; ``refuse`` fuses everything again from scratch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from sqlalchemy.engine import Connection

from strikewatch.records import Event, NegativeReport
from strikewatch.store import Store, queries, writes

from .summary import IngestSummary

# A stored event whose sentence might say who holds its place (then the control timelines are rebuilt);
# SQL LIKE patterns over the event's record.
STATIVE_HINTS = ("%held%", "%controlled%", "%control of%", "%hands of%", "%rule of%")
FUSE_SLICE = 2000  # pending events fused per step at the end of a bulk load


@lru_cache(maxsize=1)
def territory_sub_types() -> frozenset[str]:
    """Sub-types that change who holds a place: fusion's (lexicon/fusion.yaml), not a copy of them."""
    from strikewatch.fuse.lexicon import lexicon

    return frozenset(lexicon().control_sub_types)


def touches_control(events: Sequence[Event]) -> bool:
    """Might these events change a control timeline (a capture, a loss, a sentence saying who holds)?"""
    subs = territory_sub_types()
    hints = [h.strip("%") for h in STATIVE_HINTS]
    return any(e.sub_type in subs or any(h in (e.evidence.sentence or "").lower() for h in hints)
               for e in events)


def negative_window(negatives: Sequence[NegativeReport]) -> tuple[date, date] | None:
    """The days a new document's negative reports speak of (incidents there are graded again)."""
    from strikewatch.fuse.negatives import negative_days

    return negative_days(negatives)


def _negatives_near(conn: Connection, events: Sequence[Event]) -> list[NegativeReport]:
    """The stored negative reports published near the events' days (fusion's window, not the store's)."""
    from strikewatch.fuse.negatives import negatives_window

    window = negatives_window(events)
    if window is None:
        return []
    return queries.load_negatives(conn, (window[0].isoformat(), window[1].isoformat()))


def _fuse_and_write(conn: Connection, event_ids: set[str], old_ids: set[str], summary: IngestSummary, *,
                    everything: bool = False) -> None:
    from strikewatch.fuse import fuse_events

    events = queries.load_events(conn, event_ids)
    documents = queries.load_documents(conn, {e.doc_id for e in events})
    negatives = queries.load_negatives(conn, None) if everything else _negatives_near(conn, events)
    incidents = fuse_events(events, documents, negatives=negatives)
    created, updated, removed = writes.replace_incidents(conn, incidents, old_ids,
                                                         {e.id: e.doc_id for e in events})
    summary.incidents_created += created
    summary.incidents_updated += updated
    summary.incidents_removed += removed


def refuse_around(conn: Connection, new_events: Sequence[Event], summary: IngestSummary, *,
                  also: tuple[date, date] | None = None) -> None:
    """Re-fuse the events around the new ones and replace only the incidents they touch.

    Which stored events to reload is fusion's rule (``strikewatch.fuse.refuse_window``); ``also`` widens
    it (the days of a new negative report)."""
    from strikewatch.fuse import refuse_window

    ids: set[str] = {e.id for e in new_events}
    window = refuse_window(new_events)
    if also is not None:
        window = (min(window[0], also[0]), max(window[1], also[1])) if window else also
    if window is not None:
        ids |= queries.event_ids_between(conn, window[0].isoformat(), window[1].isoformat())
    ids |= queries.event_ids_of_documents(conn, {e.doc_id for e in new_events})
    ids, touched = queries.incident_closure(conn, ids)  # each incident touched is re-fused whole
    _fuse_and_write(conn, ids, touched, summary)


def rebuild_control(conn: Connection) -> None:
    """Recompute every place's timeline of holders from the stored captures, losses and transfers, the
    sentences that say who held a place, and the fighting reported at those places."""
    from strikewatch.fuse import control_timeline
    from strikewatch.fuse.judgement import judgement

    ids = queries.control_event_ids(conn, sorted(territory_sub_types()), STATIVE_HINTS)
    events = queries.load_events(conn, ids)
    names = {e.location.name for e in events if e.location.name}
    fighting = queries.event_ids_at_places(conn, names, type_="Battles",
                                           sub_types=sorted(judgement().fighting_sub_types))
    events += queries.load_events(conn, fighting - ids)
    documents = queries.load_documents(conn, {e.doc_id for e in events})
    writes.replace_control(conn, control_timeline(events, documents) if events else {})


def fuse_pending(store: Store) -> IngestSummary:
    """Fuse the stored events that belong to no incident yet (after ``ingest(fuse="end")`` or an
    interruption), in date order, FUSE_SLICE events at a time: incremental fusion gives the same
    incidents as one pass, and memory stays bounded however large the bulk load."""
    summary = IngestSummary()
    with store.writing() as conn:
        ids = queries.unfused_event_ids(conn)
        territory = False
        for start in range(0, len(ids), FUSE_SLICE):
            events = queries.load_events(conn, ids[start : start + FUSE_SLICE])
            refuse_around(conn, events, summary)
            territory = territory or touches_control(events)
        if territory:
            rebuild_control(conn)
    return summary


def refuse(store: Store) -> IngestSummary:
    """Fuse every stored event from scratch (after a change to the fusion rules) in one transaction, and
    rebuild the control timelines: ``strikewatch refuse``."""
    summary = IngestSummary()
    with store.writing() as conn:
        ids = set(queries.all_event_ids(conn))
        _fuse_and_write(conn, ids, queries.all_incident_ids(conn), summary, everything=True)
        rebuild_control(conn)
    return summary
