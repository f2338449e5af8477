"""The Store: one database of documents, events, incidents and control.

Each document is one transaction: the document, its events, the incidents they touch and (for captures and
losses) the control timeline are written together or not at all, so a kill never leaves half a document,
and re-running the same ingest finishes the work without duplicates. A bulk load (``fuse="end"``, what
``ingest --workers`` does) writes up to ``WRITE_BATCH`` whole documents per transaction and fuses at the end.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from strikewatch.errors import DocumentError, StoreError, UserError
from strikewatch.ids import content_hash
from strikewatch.records import DateSpan, Document, Event, Evidence, Extraction, Incident, NegativeReport
from strikewatch.store import db
from strikewatch.store import schema as t
from strikewatch.store.filters import conditions, in_chunks
from strikewatch.store.rows import (
    DOC_META,
    document_from_row,
    dumps,
    event_from_row,
    event_row,
    incident_from_row,
    incident_row,
)
from strikewatch.store.urls import identity_url


def _territory_subtypes() -> tuple[str, ...]:
    """Sub-types that change who holds a place: fusion's (lexicon/fusion.yaml), not a copy of them."""
    from strikewatch.fuse.lexicon import lexicon

    return tuple(sorted(lexicon().control_sub_types))


TERRITORY_SUBTYPES = _territory_subtypes()
STATIVE_HINTS = ("%held%", "%controlled%", "%control of%", "%hands of%", "%rule of%")
MAX_FEED_KEYS = 5000
PG_WRITE_LOCK = 0x5357_0001  # pg_advisory_xact_lock key shared by every Strikewatch writer
COPY_WINDOW_DAYS = 30  # a republished story appears within weeks of the original
COPY_SCAN_LIMIT = 200  # compare with every document of the period when it holds no more than this
WRITE_BATCH = 32  # documents per transaction in a bulk load (fuse="end")
FUSE_SLICE = 2000  # pending events fused per step at the end of a bulk load


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
        for name in (
            "documents_new",
            "documents_unchanged",
            "documents_copies",
            "documents_failed",
            "events",
            "incidents_created",
            "incidents_updated",
            "incidents_removed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _shift(iso: str, days: int) -> str:
    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()


class Store:
    """A Strikewatch database (SQLite file or PostgreSQL), created or migrated when opened.

    >>> store = Store("sqlite:///strikewatch.db")
    >>> summary = store.ingest_documents(strikewatch.ingest.read_paths(["reports/"]))
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

    def ingest_documents(
        self,
        items: Iterable[Document | Extraction | DocumentError],
        *,
        progress: Callable[[IngestSummary, Any], None] | None = None,
        model: str | None = None,
        fuse: str = "each",
        detect_copies: bool = True,
    ) -> IngestSummary:
        """Store documents (extracting their events) or ready Extractions; DocumentErrors are counted.

        `progress(summary, item)` is called after each item. A document that fails is reported in the
        summary and skipped; the others go on. `fuse="each"` (the default) updates incidents inside each
        document's transaction; `fuse="end"` stores documents and events first and fuses them all in one
        pass at the end (much faster for a bulk load; events not yet fused are picked up by the next
        ingest or `fuse_pending()` if the process dies before the end). `detect_copies=False` skips the
        near-copy search (for synthetic bulk loads whose texts share a template).
        """
        if fuse not in ("each", "end"):
            raise UserError(f"fuse takes 'each' or 'end', not {fuse!r}.")
        summary = IngestSummary()
        summary.add(self.fuse_pending())  # finish what an interrupted bulk load left unfused
        if fuse == "end":
            self._ingest_batched(items, summary, progress, model=model, detect_copies=detect_copies)
            summary.add(self.fuse_pending())
            return summary
        for item in items:
            one = self.ingest_one(item, model=model, fuse=True, detect_copies=detect_copies)
            summary.add(one)
            if progress is not None:
                progress(summary, item)
        return summary

    def _ingest_batched(
        self,
        items: Iterable[Document | Extraction | DocumentError],
        summary: IngestSummary,
        progress: Callable[[IngestSummary, Any], None] | None,
        *,
        model: str | None,
        detect_copies: bool,
    ) -> None:
        """The bulk path (`fuse="end"`): up to WRITE_BATCH documents per transaction, their events in one
        executemany; a per-document commit (and on PostgreSQL its lock and round trips) was most of the
        writer's time, and the writer is the one serial part of a parallel ingest."""
        pending: list[Document | Extraction] = []

        def flush() -> None:
            done = self._store_batch(pending, model=model, detect_copies=detect_copies)
            for item, one in zip(pending, done, strict=True):
                summary.add(one)
                if progress is not None:
                    progress(summary, item)
            pending.clear()

        for item in items:
            if isinstance(item, DocumentError):
                flush()  # keep the input order of the progress lines
                summary.add(self.ingest_one(item))
                if progress is not None:
                    progress(summary, item)
                continue
            pending.append(item)
            if len(pending) >= WRITE_BATCH:
                flush()
        flush()

    def _store_batch(
        self, items: Sequence[Document | Extraction], *, model: str | None, detect_copies: bool
    ) -> list[IngestSummary]:
        """Store a batch's Extractions in one transaction, without fusing; if anything in it fails, they
        are rolled back and stored again one document at a time (`ingest_one`), which reports the bad
        one. Documents not yet extracted (e.g. ones the cluster skipped as already stored) go one by one."""

        def alone(item: Document | Extraction) -> IngestSummary:
            return self.ingest_one(item, model=model, fuse=False, detect_copies=detect_copies)

        out = [IngestSummary() if isinstance(item, Extraction) else alone(item) for item in items]
        ready = [(item, one) for item, one in zip(items, out, strict=True) if isinstance(item, Extraction)]
        if not ready:
            return out
        try:
            with self.engine.begin() as conn:
                self._write_lock(conn)
                rows: list[dict[str, Any]] = []
                stored: list[tuple[IngestSummary, list[Event], bool]] = []
                for item, one in ready:
                    done = self._insert_document(conn, item, one, detect_copies=detect_copies)
                    if done is not None:
                        rows.extend(event_row(e) for e in done[0])
                        stored.append((one, *done))
                if rows:
                    conn.execute(t.events.insert(), rows)
        except Exception:  # noqa: BLE001 - retried one document at a time, where a bad one is reported
            return [alone(x) if isinstance(x, Extraction) else one for x, one in zip(items, out, strict=True)]
        for one, events, copy in stored:
            self._count_new(one, events, copy)
        return out

    def fuse_pending(self) -> IngestSummary:
        """Fuse the stored events that belong to no incident yet (after `fuse="end"` or an interruption)."""
        summary = IngestSummary()
        members = sa.select(t.incident_members.c.event_id)
        ev = t.events
        with self.engine.begin() as conn:
            self._write_lock(conn)
            pending = sa.select(ev.c.id).where(ev.c.id.not_in(members)).order_by(ev.c.date_start, ev.c.id)
            ids = conn.execute(pending).scalars().all()
            territory = False
            # In date order, FUSE_SLICE events at a time (incremental fusion gives the same incidents as
            # one pass): memory stays bounded however large the bulk load, instead of every event of
            # the run held at once.
            for start in range(0, len(ids), FUSE_SLICE):
                events = self._load_events(conn, ids[start : start + FUSE_SLICE])
                self._refuse(conn, events, summary)
                territory = territory or any(
                    e.sub_type in TERRITORY_SUBTYPES or _stative_hint(e) for e in events)
            if territory:
                self._rebuild_control(conn)
        return summary

    def ingest_one(
        self,
        item: Document | Extraction | DocumentError,
        *,
        model: str | None = None,
        fuse: bool = True,
        detect_copies: bool = True,
    ) -> IngestSummary:
        """Store one document (or Extraction) in its own transaction; never raises for a bad document.

        With `fuse=False` the events are stored without updating incidents (see `fuse_pending`).
        """
        summary = IngestSummary()
        if isinstance(item, DocumentError):
            summary.documents_failed += 1
            summary.failures.append((item.source, item.message))
            return summary
        doc = item.document if isinstance(item, Extraction) else item
        source = doc.source or doc.url or doc.id
        try:
            if self._known(doc):
                summary.documents_unchanged += 1
                return summary
            if isinstance(item, Extraction):
                extraction = item
            else:
                from strikewatch.pipeline import extract_document

                extraction = extract_document(doc, model=model)
            self._store_extraction(extraction, summary, fuse=fuse, detect_copies=detect_copies)
        except (StoreError, sa.exc.OperationalError) as exc:
            if isinstance(exc, sa.exc.OperationalError):
                raise StoreError(f"cannot write to the database: {db._first_line(exc)}.") from None
            raise
        except sa.exc.IntegrityError as exc:
            if self._known(doc):  # another writer stored the same document between our check and insert
                summary.documents_unchanged += 1
            else:
                summary.documents_failed += 1
                summary.failures.append((source, f"cannot be stored: {db._first_line(exc)}"))
        except DocumentError as exc:  # past a bound (limits.py): its own sentence
            summary.documents_failed += 1
            summary.failures.append((source, exc.message))
        except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
            summary.documents_failed += 1
            summary.failures.append((source, f"{type(exc).__name__}: {exc}".splitlines()[0]))
        return summary

    @staticmethod
    def _same_document(doc: Document, h: str, curl: str | None) -> sa.ColumnElement[bool]:
        """Same id, same content or same identity URL as a stored document."""
        cond = [t.documents.c.id == doc.id, t.documents.c.content_hash == h]
        if curl:
            cond.append(t.documents.c.canonical_url == curl)
        return sa.or_(*cond)

    def _known(self, doc: Document) -> bool:
        same = self._same_document(doc, content_hash(doc.text), identity_url(doc.url, doc.parent_id))
        with self.engine.connect() as conn:
            return conn.execute(sa.select(t.documents.c.id).where(same).limit(1)).first() is not None

    def _write_lock(self, conn: Connection) -> None:
        """One writer at a time on PostgreSQL, as SQLite's write lock gives: two ingest processes fusing
        overlapping windows at once would not see each other's uncommitted events and split an incident
        (or both store the same text under two ids). Held until the transaction ends."""
        if self.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})

    def _store_extraction(
        self, extraction: Extraction, summary: IngestSummary, *, fuse: bool = True, detect_copies: bool = True
    ) -> None:
        with self.engine.begin() as conn:
            self._write_lock(conn)
            done = self._insert_document(conn, extraction, summary, detect_copies=detect_copies)
            if done is None:
                return
            events, copy = done
            if events:
                conn.execute(t.events.insert(), [event_row(e) for e in events])
            self._count_new(summary, events, copy)
            also = self._negative_window(extraction.negatives)
            if (events or also) and fuse:
                self._refuse(conn, events, summary, also=also)
                if any(e.sub_type in TERRITORY_SUBTYPES or _stative_hint(e) for e in events):
                    self._rebuild_control(conn)

    def _insert_document(
        self, conn: Connection, extraction: Extraction, summary: IngestSummary, *, detect_copies: bool
    ) -> tuple[list[Event], bool] | None:
        """Insert the document row (and its near-copy bands) unless an equal one is stored; returns its
        events, still to be inserted by the caller (one executemany per document or per batch), and
        whether it is a near-copy; None for a document already stored."""
        doc = extraction.document
        # Events with the same id (the same span found twice) are stored once.
        events = list({e.id: e for e in extraction.events}.values())
        for e in events:
            if e.doc_id != doc.id:
                e.doc_id = doc.id
        curl = identity_url(doc.url, doc.parent_id)
        h = content_hash(doc.text)
        same = self._same_document(doc, h, curl)
        if conn.execute(sa.select(t.documents.c.id).where(same).limit(1)).first():
            summary.documents_unchanged += 1
            return None
        copy_of, signature, bands = self._find_copy(conn, doc) if detect_copies else (None, None, [])
        if copy_of and hasattr(doc, "copy_of"):
            doc.copy_of = copy_of
        conn.execute(
            t.documents.insert().values(
                id=doc.id,
                kind=doc.kind,
                outlet=doc.outlet,
                url=doc.url,
                canonical_url=curl,
                published=doc.published.isoformat() if doc.published else None,
                published_from=doc.published_from,
                title=doc.title,
                author=doc.author,
                parent_id=doc.parent_id,
                source=doc.source,
                content_hash=h,
                copy_of=copy_of,
                signature=signature,
                text=doc.text,
                n_events=len(events),
                negatives=dumps([n.to_dict() for n in extraction.negatives]),
                ingested_at=_now(),
            )
        )
        if bands:
            conn.execute(t.document_bands.insert(), [{"band": band, "doc_id": doc.id} for band in bands])
        return events, copy_of is not None

    @staticmethod
    def _count_new(summary: IngestSummary, events: Sequence[Event], copy: bool) -> None:
        """Count a stored document, once its rows are written."""
        summary.documents_new += 1
        summary.documents_copies += 1 if copy else 0
        summary.events += len(events)

    @staticmethod
    def _negative_window(negatives: Sequence[NegativeReport]) -> tuple[date, date] | None:
        """The days a new document's negative reports speak of (incidents there are graded again)."""
        from strikewatch.fuse.negatives import negative_days

        return negative_days(negatives)

    # -- near-copies

    def _find_copy(self, conn: Connection, doc: Document) -> tuple[str | None, str | None, list[str]]:
        """The stored original this document copies (strikewatch.fuse.copies), its signature (hex) and
        its band keys.

        Candidates are the documents sharing a band key with this one (likely copies), plus, when the
        period around its publication holds few documents (COPY_SCAN_LIMIT), all of them: a story quoted
        inside a longer one resembles it too little to share a band. A copy of a copy points at the first
        original.
        """
        from strikewatch.fuse import copies

        sig = copies.signature(doc.text)
        bands = list(dict.fromkeys(copies.band_keys(sig))) if sig.size else []
        d, b = t.documents, t.document_bands
        ids: set[str] = set()
        for chunk in in_chunks(bands):
            ids.update(conn.execute(sa.select(b.c.doc_id).where(b.c.band.in_(chunk))).scalars())
        window = d.c.signature.is_not(None)
        if doc.published:
            day = doc.published.isoformat()
            lo, hi = _shift(day, -COPY_WINDOW_DAYS), _shift(day, COPY_WINDOW_DAYS)
            window = sa.and_(window, sa.or_(d.c.published.is_(None), d.c.published.between(lo, hi)))
        nearby = conn.execute(sa.select(d.c.id).where(window).limit(COPY_SCAN_LIMIT + 1)).scalars().all()
        if len(nearby) <= COPY_SCAN_LIMIT:
            ids.update(nearby)
        ids.discard(doc.parent_id or "")  # a reader comment quoting its article is not a republished story
        candidates: dict[str, object] = {}
        original_of: dict[str, str] = {}
        for chunk in in_chunks(sorted(ids)):
            for row in conn.execute(sa.select(d.c.id, d.c.signature, d.c.copy_of).where(d.c.id.in_(chunk))):
                if row.signature:
                    candidates[row.id] = copies.Signature.from_hex(row.signature)
                    original_of[row.id] = row.copy_of or row.id
        found = copies.find_copy(sig, candidates) if candidates else None
        return (original_of[found] if found else None), sig.to_hex(), bands

    # -- incremental fusion

    def _refuse(
        self,
        conn: Connection,
        new_events: Sequence[Event],
        summary: IngestSummary,
        *,
        also: tuple[date, date] | None = None,
    ) -> None:
        """Re-fuse the events around the new ones and replace only the incidents they touch.

        Which stored events to reload is fusion's rule (``strikewatch.fuse.refuse_window``); ``also``
        widens it (the days of a new negative report)."""
        from strikewatch.fuse import refuse_window

        ev = t.events
        ids: set[str] = {e.id for e in new_events}
        window = refuse_window(new_events)
        if also is not None:
            window = (min(window[0], also[0]), max(window[1], also[1])) if window else also
        if window is not None:
            lo, hi = window[0].isoformat(), window[1].isoformat()
            rows = conn.execute(
                sa.select(ev.c.id).where(
                    ev.c.date_start <= hi, sa.func.coalesce(ev.c.date_end, ev.c.date_start) >= lo
                )
            )
            ids.update(r.id for r in rows)
        doc_ids = {e.doc_id for e in new_events}
        for chunk in in_chunks(sorted(doc_ids)):
            ids.update(r.id for r in conn.execute(sa.select(ev.c.id).where(ev.c.doc_id.in_(chunk))))
        # Pull in every member of every incident touched, so each incident is re-fused whole.
        touched: set[str] = set()
        frontier = set(ids)
        m = t.incident_members
        while frontier:
            new_inc: set[str] = set()
            for chunk in in_chunks(sorted(frontier)):
                new_inc.update(
                    r.incident_id
                    for r in conn.execute(sa.select(m.c.incident_id).where(m.c.event_id.in_(chunk)))
                )
            new_inc -= touched
            touched |= new_inc
            frontier = set()
            for chunk in in_chunks(sorted(new_inc)):
                frontier.update(
                    r.event_id
                    for r in conn.execute(sa.select(m.c.event_id).where(m.c.incident_id.in_(chunk)))
                )
            frontier -= ids
            ids |= frontier
        events = self._load_events(conn, ids)
        documents = self._load_documents(conn, {e.doc_id for e in events})
        negatives = self._load_negatives(conn, events)
        self._replace_incidents(conn, events, documents, touched, summary, negatives=negatives)

    def _load_negatives(self, conn: Connection, events: Sequence[Event] | None) -> list[NegativeReport]:
        """The stored negative reports dated within the events' days (all of them when ``events`` is None)."""
        d = t.documents
        query = sa.select(d.c.negatives).where(d.c.negatives.is_not(None), d.c.negatives != "[]")
        if events is not None:
            from strikewatch.fuse.negatives import negatives_window  # fusion's window, not the store's

            window = negatives_window(events)
            if window is None:
                return []
            lo, hi = window[0].isoformat(), window[1].isoformat()
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

    def _load_events(self, conn: Connection, ids: Iterable[str]) -> list[Event]:
        out: list[Event] = []
        for chunk in in_chunks(sorted(ids)):
            out.extend(
                event_from_row(r.data)
                for r in conn.execute(sa.select(t.events.c.data).where(t.events.c.id.in_(chunk)))
            )
        out.sort(key=lambda e: e.id)
        return out

    def _load_documents(self, conn: Connection, ids: Iterable[str]) -> dict[str, Document]:
        out: dict[str, Document] = {}
        for chunk in in_chunks(sorted(ids)):
            for r in conn.execute(sa.select(t.documents).where(t.documents.c.id.in_(chunk))):
                out[r.id] = document_from_row(r)
        return out

    def _replace_incidents(
        self,
        conn: Connection,
        events: Sequence[Event],
        documents: Mapping[str, Document],
        old_ids: set[str],
        summary: IngestSummary,
        *,
        negatives: Sequence[NegativeReport] = (),
    ) -> None:
        from strikewatch.fuse import fuse_events

        incidents = fuse_events(events, documents, negatives=negatives)
        old: dict[str, str] = {}
        for chunk in in_chunks(sorted(old_ids)):
            old.update(
                (r.id, r.data)
                for r in conn.execute(
                    sa.select(t.incidents.c.id, t.incidents.c.data).where(t.incidents.c.id.in_(chunk))
                )
            )
        new_ids = {i.id for i in incidents}
        gone = [i for i in old if i not in new_ids]
        summary.incidents_removed += len(gone)
        doc_of = {e.id: e.doc_id for e in events}
        write: list[tuple[Incident, dict[str, Any]]] = []
        for inc in incidents:
            row = incident_row(inc)
            if inc.id in old:
                if old[inc.id] == row["data"]:
                    continue
                summary.incidents_updated += 1
            else:
                summary.incidents_created += 1
            write.append((inc, row))
        # Changed incidents are deleted and written again, in batches (a bulk load writes many).
        self._delete_incidents(conn, gone + [inc.id for inc, _ in write])
        self._insert_incidents(conn, write, doc_of)

    def _delete_incidents(self, conn: Connection, ids: Sequence[str]) -> None:
        for chunk in in_chunks(list(ids)):
            for table in (t.claims, t.contradictions, t.incident_members):
                conn.execute(table.delete().where(table.c.incident_id.in_(chunk)))
            conn.execute(t.incidents.delete().where(t.incidents.c.id.in_(chunk)))

    def _insert_incidents(
        self, conn: Connection, write: Sequence[tuple[Incident, dict[str, Any]]], doc_of: Mapping[str, str]
    ) -> None:
        for start in range(0, len(write), 2000):
            batch = write[start : start + 2000]
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

    def refuse_all(self) -> IngestSummary:
        """Fuse every stored event from scratch (after a change to the fusion rules) in one transaction,
        and rebuild the control timelines (`strikewatch refuse`)."""
        summary = IngestSummary()
        with self.engine.begin() as conn:
            self._write_lock(conn)
            ids = [r.id for r in conn.execute(sa.select(t.events.c.id))]
            old = {r.id for r in conn.execute(sa.select(t.incidents.c.id))}
            events = self._load_events(conn, ids)
            documents = self._load_documents(conn, {e.doc_id for e in events})
            negatives = self._load_negatives(conn, None)
            self._replace_incidents(conn, events, documents, old, summary, negatives=negatives)
            self._rebuild_control(conn)
        return summary

    def refuse(self) -> IngestSummary:
        """`strikewatch refuse`: re-fuse the whole database with the current rules (see `refuse_all`)."""
        return self.refuse_all()

    # -- control of places

    def _rebuild_control(self, conn: Connection) -> None:
        """Recompute every place's timeline of holders from the stored captures, losses and transfers,
        the sentences that say who held a place, and the fighting reported at those places."""
        from strikewatch.fuse import control_timeline
        from strikewatch.fuse.judgement import judgement

        ev = t.events
        territorial = sa.select(ev.c.id).where(ev.c.sub_type.in_(TERRITORY_SUBTYPES))
        stative = sa.select(ev.c.id).where(sa.or_(*[ev.c.data.like(h) for h in STATIVE_HINTS]))
        ids = {r.id for r in conn.execute(territorial)} | {r.id for r in conn.execute(stative)}
        events = self._load_events(conn, ids)
        names = sorted({e.location.name for e in events if e.location.name})
        fighting: set[str] = set()
        for chunk in in_chunks(names):
            fighting.update(
                r.id
                for r in conn.execute(
                    sa.select(ev.c.id).where(
                        ev.c.location_name.in_(chunk),
                        ev.c.type == "Battles",
                        ev.c.sub_type.in_(sorted(judgement().fighting_sub_types)),
                    )
                )
            )
        events += self._load_events(conn, fighting - ids)
        documents = self._load_documents(conn, {e.doc_id for e in events})
        timeline = control_timeline(events, documents) if events else {}
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
                    name_key=_name_key(place.name or place.text),
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
            events = self._load_events(conn, inc.events)
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

    def control(
        self, place: str, on: date | str | None = None, *, country: str | None = None
    ) -> dict[str, Any]:
        """Who held `place` on date `on` (default today), with the events that say so (CONTRACT "Control").

        `holder` and `since` are null when no stored event speaks of that place before that date.
        """
        from strikewatch.store.control import answer_control

        return answer_control(self, place, on, country=country)

    def control_periods(self, place_key: str | None = None) -> list[dict[str, Any]]:
        """Stored control periods (all places, or one place key), oldest first."""
        p, c = t.places, t.control_periods
        query = sa.select(
            c, p.c.name, p.c.country, p.c.admin1, p.c.lat, p.c.lon, p.c.precision, p.c.gazetteer_id
        ).join(p, p.c.key == c.c.place_key)
        if place_key is not None:
            query = query.where(c.c.place_key == place_key)
        query = query.order_by(c.c.place_key, c.c.since.asc().nulls_first(), c.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            {
                **json.loads(r.detail or "{}"),
                "contested": bool(r.contested),
                "place_key": r.place_key,
                "place": {
                    "name": r.name,
                    "country": r.country,
                    "admin1": r.admin1,
                    "lat": r.lat,
                    "lon": r.lon,
                    "precision": r.precision,
                    "gazetteer_id": r.gazetteer_id,
                },
                "holder": r.holder,
                "since": r.since,
                "until": r.until,
                "events": json.loads(r.events),
            }
            for r in rows
        ]

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


def _stative_hint(e: Event) -> bool:
    """Might the event's sentence say who holds its place (then the control timelines are rebuilt)?"""
    low = (e.evidence.sentence or "").lower()
    return any(h.strip("%") in low for h in STATIVE_HINTS)


def _name_key(name: str | None) -> str | None:
    from strikewatch.store.control import name_key

    return name_key(name)
