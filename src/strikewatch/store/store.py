"""The Store: one database of documents, events, incidents and control, and nothing but storage.

``Store(url)`` opens (creating or migrating) the database and reads incidents, events, documents,
dossiers, control periods and stats back as records, dicts and pandas frames. Writing is the pipeline's
(``strikewatch.pipeline.ingest``): it opens ``Store.writing()``, one transaction under the writers' lock,
and calls the write primitives of ``strikewatch.store.writes`` and the queries of
``strikewatch.store.queries`` inside it. Nothing here extracts, geocodes or fuses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from strikewatch.errors import StoreError, UserError
from strikewatch.records import Document, Event, Incident
from strikewatch.store import db, queries, writes
from strikewatch.store import schema as t
from strikewatch.store.control import control_periods
from strikewatch.store.filters import conditions, in_chunks
from strikewatch.store.rows import DOC_META, dumps, event_from_row, incident_from_row

MAX_FEED_KEYS = 5000  # entry keys remembered per feed


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """A Strikewatch database (SQLite file or PostgreSQL), created or migrated when opened.

    >>> store = Store("sqlite:///strikewatch.db")
    >>> summary = strikewatch.pipeline.ingest(store, strikewatch.ingest.read_paths(["reports/"]))
    >>> store.incidents(since="2016-12-01", contested=True)
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = db.create_engine(url)
        self.dialect = self.engine.dialect.name
        if migrate:
            db.migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction under the writers' lock (``writes.write_lock``), for the pipeline's
        writes: committed whole or rolled back whole. The database refusing a row (a constraint, a value
        it cannot hold) raises ``RowsRefused``; the database failing (down, locked, full) ``StoreError``."""
        try:
            with self.engine.begin() as conn:
                writes.write_lock(conn)
                yield conn
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot write to the database: {db._first_line(exc)}.") from None
        except sa.exc.StatementError as exc:
            raise RowsRefused(db._first_line(exc)) from None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for the query functions of ``strikewatch.store.queries``; the database failing
        (down, locked) raises ``StoreError``."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot read the database: {db._first_line(exc)}.") from None

    def known(self, doc: Document) -> bool:
        """Is this document (same id, same content or same identity URL) stored already?"""
        with self.reading() as conn:
            return queries.is_stored(conn, doc)

    # -- feeds (for `ingest --watch`)

    def feed_state(self, url: str) -> tuple[str | None, str | None, list[str]]:
        """The ETag, Last-Modified and entry keys last seen for a feed, to poll it politely."""
        f = t.feeds
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(f.c.etag, f.c.modified, f.c.seen_keys).where(f.c.url == url)).first()
        if row is None:
            return None, None, []
        return row.etag, row.modified, json.loads(row.seen_keys or "[]")

    def save_feed_state(
        self, url: str, etag: str | None, modified: str | None, entries: int, keys: Sequence[str] = ()
    ) -> None:
        """Remember a poll's validators and entry keys (the newest MAX_FEED_KEYS)."""
        f = t.feeds
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(f.c.entries_seen, f.c.seen_keys).where(f.c.url == url)).first()
            old = json.loads(row.seen_keys or "[]") if row else []
            merged = list(dict.fromkeys([*old, *keys]))[-MAX_FEED_KEYS:]
            values = {"etag": etag, "modified": modified, "last_polled": _now(), "seen_keys": dumps(merged)}
            if row is None:
                conn.execute(f.insert().values(url=url, entries_seen=entries, **values))
            else:
                conn.execute(
                    f.update().where(f.c.url == url).values(entries_seen=row.entries_seen + entries, **values)
                )

    # ------------------------------------------------------------------ reading

    def _incident_query(self, columns: Sequence[Any], filters: dict[str, Any]) -> sa.Select:
        return sa.select(*columns).where(*conditions(t.incidents, self.dialect, **filters))

    def incidents(
        self, *, limit: int | None = None, offset: int = 0, order: str = "date", **filters: Any
    ) -> list[Incident]:
        """Incidents matching the filters (see strikewatch.store.filters), newest first.

        A page is found as ids first (from ix_incidents_date_order / ix_incidents_grade_date alone) and
        only its rows' JSON is read: an OFFSET over the full rows would read and discard every skipped
        row's kilobyte of JSON.
        """
        c = t.incidents.c
        if limit is None and not offset:
            query = self._incident_query([c.data], filters).order_by(*self._incident_order(order))
        else:
            keys = self._incident_query([c.id.label("key_id"), c.date_start.label("key_date")], filters)
            keys = keys.order_by(*self._incident_order(order))
            if limit is not None:
                keys = keys.limit(int(limit))
            if offset:
                keys = keys.offset(int(offset))
            page = keys.subquery("page")
            query = (
                sa.select(c.data)
                .select_from(t.incidents.join(page, page.c.key_id == c.id))
                .order_by(*self._incident_order(order, page.c.key_date, page.c.key_id))
            )
        with self.engine.connect() as conn:
            return [incident_from_row(r.data) for r in conn.execute(query)]

    def _incident_order(self, order: str, date_col: Any = None, id_col: Any = None) -> list[Any]:
        """ORDER BY terms; newest first matches ix_incidents_date_order (SQLite's DESC puts nulls last)."""
        date_col = t.incidents.c.date_start if date_col is None else date_col
        id_col = t.incidents.c.id if id_col is None else id_col
        if order == "date":
            return [date_col.desc().nulls_last(), id_col]
        if order == "date_asc":
            return [date_col.asc().nulls_last(), id_col]
        if order == "id":
            return [id_col]
        raise UserError(f"order takes date, date_asc or id, not {order!r}.")

    def count_incidents(self, **filters: Any) -> int:
        query = self._incident_query([sa.func.count()], filters).select_from(t.incidents)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def incident(self, incident_id: str) -> Incident | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.incidents.c.data).where(t.incidents.c.id == incident_id)).first()
        return incident_from_row(row.data) if row else None

    def incident_of_event(self, event_id: str) -> str | None:
        """The id of the incident an event belongs to."""
        m = t.incident_members
        with self.engine.connect() as conn:
            return conn.execute(sa.select(m.c.incident_id).where(m.c.event_id == event_id)).scalar()

    def dossier(self, incident_id: str) -> dict[str, Any] | None:
        """Everything about one incident: the incident, its events, each source's claims and evidence.

        ``{"incident": {...}, "events": [event...], "claims_by_source": {doc_id: [claim...]},
        "documents": [{id, outlet, kind, url, published, title, copy_of, independent,
        "evidence": [{event_id, sentence, start, end}]}]}``.
        """
        inc = self.incident(incident_id)
        if inc is None:
            return None
        with self.engine.connect() as conn:
            events = queries.load_events(conn, inc.events)
            docs = {}
            for chunk in in_chunks(sorted({e.doc_id for e in events} | set(inc.documents))):
                for r in conn.execute(
                    sa.select(*[t.documents.c[k] for k in DOC_META]).where(t.documents.c.id.in_(chunk))
                ):
                    docs[r.id] = dict(r._mapping)
        claims_by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in inc.claims:
            claims_by_source[c.doc_id].append(c.to_dict())
        evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in events:
            evidence[e.doc_id].append({"event_id": e.id, **e.evidence.to_dict()})
        documents = []
        order = list(dict.fromkeys([*inc.documents, *(e.doc_id for e in events)]))
        for doc_id in order:
            meta = docs.get(doc_id, {"id": doc_id})
            meta["independent"] = not meta.get("copy_of") and meta.get("kind") != "comment"
            meta["evidence"] = evidence.get(doc_id, [])
            meta["claims"] = claims_by_source.get(doc_id, [])
            documents.append(meta)
        return {
            "incident": inc.to_dict(),
            "events": [e.to_dict() for e in events],
            "claims_by_source": dict(claims_by_source),
            "documents": documents,
        }

    def events(self, *, limit: int | None = None, offset: int = 0, **filters: Any) -> list[Event]:
        """Events matching the filters (as for incidents; grade and contested are their incident's)."""
        ev = t.events
        query = (
            sa.select(ev.c.data)
            .where(*conditions(ev, self.dialect, **filters))
            .order_by(ev.c.date_start.desc().nulls_last(), ev.c.id)
        )
        if limit is not None:
            query = query.limit(int(limit))
        if offset:
            query = query.offset(int(offset))
        with self.engine.connect() as conn:
            return [event_from_row(r.data) for r in conn.execute(query)]

    def count_events(self, **filters: Any) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(t.events)
            .where(*conditions(t.events, self.dialect, **filters))
        )
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A stored document: its metadata, text, events, negative reports and the incidents it feeds."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.documents).where(t.documents.c.id == doc_id)).first()
            if row is None:
                return None
            events = [
                event_from_row(r.data)
                for r in conn.execute(
                    sa.select(t.events.c.data).where(t.events.c.doc_id == doc_id).order_by(t.events.c.id)
                )
            ]
            events.sort(key=lambda e: (e.evidence.start, e.id))
            m = t.incident_members
            incident_ids = sorted(
                {r.incident_id for r in conn.execute(sa.select(m.c.incident_id).where(m.c.doc_id == doc_id))}
            )
            copies = [
                r.id
                for r in conn.execute(
                    sa.select(t.documents.c.id)
                    .where(t.documents.c.copy_of == doc_id)
                    .order_by(t.documents.c.id)
                )
            ]
        out = {k: getattr(row, k) for k in DOC_META}
        out.update(
            text=row.text,
            content_hash=row.content_hash,
            ingested_at=row.ingested_at,
            events=[e.to_dict() for e in events],
            negatives=json.loads(row.negatives or "[]"),
            incidents=incident_ids,
            copies=copies,
        )
        return out

    def documents(
        self, *, limit: int | None = 100, offset: int = 0, kind: str | None = None, q: str | None = None
    ) -> list[dict[str, Any]]:
        """Document metadata (no text), newest first; `q` searches title and text."""
        from strikewatch.store.filters import fts_doc_ids

        d = t.documents
        query = sa.select(*[d.c[k] for k in DOC_META])
        if kind:
            query = query.where(d.c.kind == kind)
        if q:
            query = query.where(d.c.id.in_(fts_doc_ids(q, self.dialect)))
        query = query.order_by(d.c.published.desc().nulls_last(), d.c.id)
        if limit is not None:
            query = query.limit(int(limit))
        if offset:
            query = query.offset(int(offset))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def counts(self) -> dict[str, int]:
        """How many rows of each kind: documents, events, incidents, contested incidents, places."""
        with self.engine.connect() as conn:

            def n(table: sa.Table, *where: Any) -> int:
                return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar())

            return {
                "documents": n(t.documents),
                "events": n(t.events),
                "incidents": n(t.incidents),
                "contested": n(t.incidents, t.incidents.c.contested.is_(True)),
                "copies": n(t.documents, t.documents.c.copy_of.is_not(None)),
                "places": n(t.places),
            }

    def control_periods(self, place_key: str | None = None) -> list[dict[str, Any]]:
        """Stored control periods (all places, or one place key), oldest first."""
        with self.engine.connect() as conn:
            return control_periods(conn, place_key)

    def stats(self, by: str = "week", group: str = "type", **filters: Any) -> list[dict[str, Any]]:
        """Events and incidents per period (day|week|month) and group (actor|country|type)."""
        from strikewatch.store.stats import stats

        return stats(self, by=by, group=group, **filters)

    # -- pandas

    def events_frame(self, **filters: Any):  # noqa: ANN201 - pandas.DataFrame
        """One row per event: indexed columns plus the full record's nested fields flattened."""
        from strikewatch.store.frames import events_frame

        return events_frame(self, **filters)

    def incidents_frame(self, **filters: Any):  # noqa: ANN201
        from strikewatch.store.frames import incidents_frame

        return incidents_frame(self, **filters)

    def claims_frame(self, **filters: Any):  # noqa: ANN201
        from strikewatch.store.frames import claims_frame

        return claims_frame(self, **filters)



class RowsRefused(StoreError):
    """The database refused a write's rows (a unique key taken, a value it cannot hold): the document
    being written fails and the run goes on (``pipeline.ingest_one`` reports it). A StoreError, so that the
    per-document guard (``errors.bad_document``) passes it to the code that knows what to do with it; a
    caller that does not know says it in one sentence. ``str()`` is the database's first line."""
