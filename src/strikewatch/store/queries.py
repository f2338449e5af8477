"""Reading what the pipeline needs back, as plain functions over an open connection.

The pipeline (strikewatch.pipeline) calls these inside its own transactions: which events to re-fuse,
the stored documents and negative reports fusion reads, the candidates of the near-copy search, the
stored places a control question names. They know tables and rows, never the rules that decide what to
ask for (the fusion window, the copy threshold, the sub-types that change control): those come in as
arguments.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from strikewatch.ids import content_hash
from strikewatch.records import DateSpan, Document, Event, Evidence, NegativeReport
from strikewatch.store import schema as t
from strikewatch.store.filters import in_chunks
from strikewatch.store.rows import document_from_row, event_from_row
from strikewatch.store.urls import identity_url


def same_document(doc: Document) -> sa.ColumnElement[bool]:
    """Same id, same content or same identity URL as a stored document."""
    d = t.documents.c
    cond = [d.id == doc.id, d.content_hash == content_hash(doc.text)]
    curl = identity_url(doc.url, doc.parent_id)
    if curl:
        cond.append(d.canonical_url == curl)
    return sa.or_(*cond)


def is_stored(conn: Connection, doc: Document) -> bool:
    """Is this document (by id, content or identity URL) already stored?"""
    query = sa.select(t.documents.c.id).where(same_document(doc)).limit(1)
    return conn.execute(query).first() is not None


def load_events(conn: Connection, ids: Iterable[str]) -> list[Event]:
    """The stored events with these ids, in id order."""
    out: list[Event] = []
    for chunk in in_chunks(sorted(ids)):
        out.extend(
            event_from_row(r.data)
            for r in conn.execute(sa.select(t.events.c.data).where(t.events.c.id.in_(chunk)))
        )
    out.sort(key=lambda e: e.id)
    return out


def event_records(conn: Connection, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The stored events with these ids as JSON dicts, oldest first."""
    found: list[dict[str, Any]] = []
    for chunk in in_chunks(sorted(set(ids))):
        found.extend(
            json.loads(r.data)
            for r in conn.execute(sa.select(t.events.c.data).where(t.events.c.id.in_(chunk)))
        )
    found.sort(key=lambda e: ((e.get("date") or {}).get("start") or "", e["id"]))
    return found


def load_documents(conn: Connection, ids: Iterable[str]) -> dict[str, Document]:
    """The stored documents with these ids, by id."""
    out: dict[str, Document] = {}
    for chunk in in_chunks(sorted(ids)):
        for r in conn.execute(sa.select(t.documents).where(t.documents.c.id.in_(chunk))):
            out[r.id] = document_from_row(r)
    return out


def load_negatives(conn: Connection, published: tuple[str, str] | None) -> list[NegativeReport]:
    """The stored negative reports of documents published between two ISO days (or undated); all of them
    when ``published`` is None."""
    d = t.documents
    query = sa.select(d.c.negatives).where(d.c.negatives.is_not(None), d.c.negatives != "[]")
    if published is not None:
        lo, hi = published
        query = query.where(sa.or_(d.c.published.is_(None), d.c.published.between(lo, hi)))
    out: list[NegativeReport] = []
    for row in conn.execute(query):
        for n in json.loads(row.negatives or "[]"):
            out.append(
                NegativeReport(
                    doc_id=n["doc_id"],
                    country=n.get("country"),
                    date=DateSpan.from_dict(n.get("date")) or DateSpan(),
                    evidence=Evidence.from_dict(n.get("evidence")) or Evidence("", 0, 0),
                )
            )
    return out


def event_ids_between(conn: Connection, lo: str, hi: str) -> set[str]:
    """Ids of the events whose date range overlaps [lo, hi] (ISO days)."""
    ev = t.events.c
    query = sa.select(ev.id).where(ev.date_start <= hi, sa.func.coalesce(ev.date_end, ev.date_start) >= lo)
    return set(conn.execute(query).scalars())


def event_ids_of_documents(conn: Connection, doc_ids: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for chunk in in_chunks(sorted(set(doc_ids))):
        out.update(conn.execute(sa.select(t.events.c.id).where(t.events.c.doc_id.in_(chunk))).scalars())
    return out


def incident_closure(conn: Connection, event_ids: Iterable[str]) -> tuple[set[str], set[str]]:
    """The events together with every member of every incident they belong to (transitively), and the
    ids of those incidents: what must be re-fused so that each incident touched is fused whole."""
    ids = set(event_ids)
    touched: set[str] = set()
    frontier = set(ids)
    m = t.incident_members
    while frontier:
        new_inc: set[str] = set()
        for chunk in in_chunks(sorted(frontier)):
            new_inc.update(conn.execute(sa.select(m.c.incident_id).where(m.c.event_id.in_(chunk))).scalars())
        new_inc -= touched
        touched |= new_inc
        frontier = set()
        for chunk in in_chunks(sorted(new_inc)):
            frontier.update(conn.execute(sa.select(m.c.event_id).where(m.c.incident_id.in_(chunk))).scalars())
        frontier -= ids
        ids |= frontier
    return ids, touched


def unfused_event_ids(conn: Connection) -> list[str]:
    """Ids of the stored events that belong to no incident yet, in date order."""
    ev = t.events.c
    members = sa.select(t.incident_members.c.event_id)
    query = sa.select(ev.id).where(ev.id.not_in(members)).order_by(ev.date_start, ev.id)
    return list(conn.execute(query).scalars())


def all_event_ids(conn: Connection) -> list[str]:
    return list(conn.execute(sa.select(t.events.c.id)).scalars())


def all_incident_ids(conn: Connection) -> set[str]:
    return set(conn.execute(sa.select(t.incidents.c.id)).scalars())


def control_event_ids(conn: Connection, sub_types: Sequence[str], like: Sequence[str]) -> set[str]:
    """Ids of the events of these sub-types, or whose record matches one of the LIKE patterns."""
    ev = t.events.c
    ids = set(conn.execute(sa.select(ev.id).where(ev.sub_type.in_(sorted(sub_types)))).scalars())
    if like:
        ids |= set(conn.execute(sa.select(ev.id).where(sa.or_(*[ev.data.like(p) for p in like]))).scalars())
    return ids


def event_ids_at_places(conn: Connection, names: Iterable[str], *, type_: str,
                        sub_types: Sequence[str]) -> set[str]:
    """Ids of the events of one type and these sub-types placed at one of the named places."""
    ev = t.events.c
    out: set[str] = set()
    for chunk in in_chunks(sorted(set(names))):
        query = sa.select(ev.id).where(ev.location_name.in_(chunk), ev.type == type_,
                                        ev.sub_type.in_(sorted(sub_types)))
        out.update(conn.execute(query).scalars())
    return out


def copy_candidates(
    conn: Connection,
    bands: Sequence[str],
    *,
    around: tuple[str, str] | None,
    scan_limit: int,
    exclude: str | None = None,
) -> dict[str, tuple[str, str]]:
    """Stored documents a new one may copy: those sharing one of its band keys, plus every document
    published in ``around`` (ISO days; undated ones too) when there are no more than ``scan_limit`` of
    them. Returns ``{id: (signature hex, original id)}``; a copy's original is the first original."""
    d, b = t.documents, t.document_bands
    ids: set[str] = set()
    for chunk in in_chunks(list(bands)):
        ids.update(conn.execute(sa.select(b.c.doc_id).where(b.c.band.in_(chunk))).scalars())
    window = d.c.signature.is_not(None)
    if around is not None:
        lo, hi = around
        window = sa.and_(window, sa.or_(d.c.published.is_(None), d.c.published.between(lo, hi)))
    nearby = conn.execute(sa.select(d.c.id).where(window).limit(scan_limit + 1)).scalars().all()
    if len(nearby) <= scan_limit:
        ids.update(nearby)
    ids.discard(exclude or "")
    out: dict[str, tuple[str, str]] = {}
    for chunk in in_chunks(sorted(ids)):
        for row in conn.execute(sa.select(d.c.id, d.c.signature, d.c.copy_of).where(d.c.id.in_(chunk))):
            if row.signature:
                out[row.id] = (row.signature, row.copy_of or row.id)
    return out
