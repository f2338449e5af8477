"""Write primitives over an open connection: a document's row and bands, its events, a set of incidents
replacing the ones they supersede, the control timelines.

They write what they are given; deciding what to write (extraction, fusion, the near-copy search, the
control timeline) is the pipeline's (strikewatch.pipeline), which calls these inside one transaction
per document or per batch (``Store.writing()``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from strikewatch.errors import DocumentError
from strikewatch.ids import content_hash
from strikewatch.limits import MAX_ID_CHARS
from strikewatch.records import ControlPeriod, Document, Event, Incident, NegativeReport
from strikewatch.store import schema as t
from strikewatch.store.control import name_key
from strikewatch.store.filters import in_chunks
from strikewatch.store.rows import dumps, event_row, incident_row
from strikewatch.store.urls import identity_url

PG_WRITE_LOCK = 0x5357_0001  # pg_advisory_xact_lock key shared by every Strikewatch writer
INCIDENT_BATCH = 2000  # incidents per executemany


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_lock(conn: Connection) -> None:
    """One writer at a time on PostgreSQL, as SQLite's write lock gives: two ingest processes fusing
    overlapping windows at once would not see each other's uncommitted events and split an incident
    (or both store the same text under two ids). Held until the transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})


def check_ids(doc: Document) -> None:
    """The same bound on both back ends (SQLite would take any length, PostgreSQL's columns and unique
    indexes would not): a document id or parent id past ``MAX_ID_CHARS`` fails its document alone."""
    for what, value in (("an id", doc.id), ("a parent id", doc.parent_id)):
        if value is not None and len(value) > MAX_ID_CHARS:
            raise DocumentError(doc.source or doc.url or doc.id[:80],
                                f"has {what} of {len(value):,} characters, over the "
                                f"{MAX_ID_CHARS}-character limit; give it a shorter id.")


def insert_document(
    conn: Connection,
    doc: Document,
    *,
    n_events: int,
    negatives: Sequence[NegativeReport],
    copy_of: str | None,
    signature: str | None,
    bands: Sequence[str],
) -> None:
    """The document's row and its near-copy band keys."""
    check_ids(doc)
    conn.execute(
        t.documents.insert().values(
            id=doc.id,
            kind=doc.kind,
            outlet=doc.outlet,
            url=doc.url,
            canonical_url=identity_url(doc.url, doc.parent_id),
            published=doc.published.isoformat() if doc.published else None,
            published_from=doc.published_from,
            title=doc.title,
            author=doc.author,
            parent_id=doc.parent_id,
            source=doc.source,
            content_hash=content_hash(doc.text),
            copy_of=copy_of,
            signature=signature,
            text=doc.text,
            n_events=n_events,
            negatives=dumps([n.to_dict() for n in negatives]),
            ingested_at=now(),
        )
    )
    if bands:
        conn.execute(t.document_bands.insert(), [{"band": band, "doc_id": doc.id} for band in bands])


def insert_events(conn: Connection, events: Iterable[Event]) -> None:
    """The events' rows, in one executemany."""
    insert_event_rows(conn, [event_row(e) for e in events])


def insert_event_rows(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows made by ``store.rows.event_row`` (perhaps in another process), in one executemany."""
    if rows:
        conn.execute(t.events.insert(), list(rows))


def replace_incidents(
    conn: Connection, incidents: Sequence[Incident], old_ids: Iterable[str], doc_of: Mapping[str, str]
) -> tuple[int, int, int]:
    """Write ``incidents`` in place of the stored ``old_ids``: an unchanged incident keeps its rows, a
    changed one is written again, an old one no longer among them is deleted. ``doc_of`` maps each member
    event to its document. Returns (created, updated, removed)."""
    old: dict[str, str] = {}
    for chunk in in_chunks(sorted(set(old_ids))):
        query = sa.select(t.incidents.c.id, t.incidents.c.data).where(t.incidents.c.id.in_(chunk))
        old.update((r.id, r.data) for r in conn.execute(query))
    new_ids = {i.id for i in incidents}
    gone = [i for i in old if i not in new_ids]
    created = updated = 0
    write: list[tuple[Incident, dict[str, Any]]] = []
    for inc in incidents:
        row = incident_row(inc)
        if inc.id in old:
            if old[inc.id] == row["data"]:
                continue
            updated += 1
        else:
            created += 1
        write.append((inc, row))
    # Changed incidents are deleted and written again, in batches (a bulk load writes many).
    delete_incidents(conn, gone + [inc.id for inc, _ in write])
    _insert_incidents(conn, write, doc_of)
    return created, updated, len(gone)


def delete_incidents(conn: Connection, ids: Sequence[str]) -> None:
    for chunk in in_chunks(list(ids)):
        for table in (t.claims, t.contradictions, t.incident_members):
            conn.execute(table.delete().where(table.c.incident_id.in_(chunk)))
        conn.execute(t.incidents.delete().where(t.incidents.c.id.in_(chunk)))


def _insert_incidents(
    conn: Connection, write: Sequence[tuple[Incident, dict[str, Any]]], doc_of: Mapping[str, str]
) -> None:
    for start in range(0, len(write), INCIDENT_BATCH):
        batch = write[start : start + INCIDENT_BATCH]
        members, claims, contradictions = [], [], []
        for inc, _ in batch:
            members.extend(
                {"incident_id": inc.id, "event_id": e, "doc_id": doc_of[e]}
                for e in dict.fromkeys(inc.events)
                if e in doc_of
            )
            claims.extend(
                {
                    "incident_id": inc.id,
                    "doc_id": c.doc_id,
                    "event_id": c.event_id,
                    "speaker": c.speaker,
                    "field": c.field,
                    "value": dumps(c.value),
                    "modality": c.modality,
                }
                for c in inc.claims
            )
            contradictions.extend(
                {"incident_id": inc.id, "field": c.field, "vals": dumps([v.to_dict() for v in c.values])}
                for c in inc.contradictions
            )
        conn.execute(t.incidents.insert(), [row for _, row in batch])
        for table, rows in (
            (t.incident_members, members),
            (t.claims, claims),
            (t.contradictions, contradictions),
        ):
            if rows:
                conn.execute(table.insert(), rows)


def replace_control(conn: Connection, timeline: Mapping[str, Sequence[ControlPeriod]]) -> None:
    """Replace every stored place and control period with ``timeline`` (place key -> periods)."""
    conn.execute(t.control_periods.delete())
    conn.execute(t.places.delete())
    for key, periods in sorted(timeline.items()):
        if not periods:
            continue
        place = periods[0].place
        conn.execute(
            t.places.insert().values(
                key=str(key)[:200],
                name=place.name or place.text,
                country=place.country,
                admin1=place.admin1,
                lat=place.lat,
                lon=place.lon,
                precision=place.precision,
                gazetteer_id=place.gazetteer_id,
                name_key=name_key(place.name or place.text),
            )
        )
        conn.execute(
            t.control_periods.insert(),
            [
                {
                    "place_key": str(key)[:200],
                    "holder": p.holder,
                    "since": p.since,
                    "until": p.until,
                    "events": dumps(list(p.events)),
                    "contested": bool(p.contested),
                    "detail": dumps({"stative": p.stative, "fighting": p.fighting, "others": p.others}),
                }
                for p in periods
            ],
        )
