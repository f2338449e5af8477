"""The ingest run: documents in, each extracted, stored with its events, fused into incidents and (for
captures and losses) folded into the control timelines.

Each document is one transaction (``Store.writing()``): the document, its events, the incidents they
touch and the control timeline are written together or not at all, so a kill never leaves half a
document, and re-running the same ingest finishes the work without duplicates. A bulk load
(``fuse="end"``, what ``ingest --workers`` does) writes up to ``WRITE_BATCH`` whole documents per
transaction and fuses at the end (``fusion.fuse_pending``).

>>> from strikewatch.pipeline import ingest
>>> from strikewatch.store import Store
>>> with Store("sqlite:///strikewatch.db") as store:
...     summary = ingest(store, strikewatch.ingest.read_paths(["reports/"]))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from strikewatch.errors import DocumentError, UserError, bad_document
from strikewatch.records import Document, Event, Extraction
from strikewatch.store import RowsRefused, Store, queries, writes
from strikewatch.store.rows import event_row

from . import fusion
from .summary import IngestSummary

Item = Document | Extraction | DocumentError
Progress = Callable[[IngestSummary, Item], None]

WRITE_BATCH = 32  # documents per transaction in a bulk load (fuse="end")
COPY_WINDOW_DAYS = 30  # a republished story appears within weeks of the original
COPY_SCAN_LIMIT = 200  # compare with every document of the period when it holds no more than this
STORE_WORDING = "{error}"  # how a document that fails past extraction is reported


def ingest(
    store: Store,
    items: Iterable[Item],
    *,
    progress: Progress | None = None,
    model: str | None = None,
    fuse: str = "each",
    detect_copies: bool = True,
) -> IngestSummary:
    """Store documents (extracting their events) or ready Extractions; DocumentErrors are counted.

    `progress(summary, item)` is called after each item. A document that fails is reported in the
    summary and skipped; the others go on. `fuse="each"` (the default) updates incidents inside each
    document's transaction; `fuse="end"` stores documents and events first and fuses them all at the end
    (much faster for a bulk load; events not yet fused are picked up by the next ingest, or by
    `fuse_pending(store)`, if the process dies before the end). `detect_copies=False` skips the
    near-copy search (for synthetic bulk loads whose texts share a template).
    """
    if fuse not in ("each", "end"):
        raise UserError(f"fuse takes 'each' or 'end', not {fuse!r}.")
    summary = IngestSummary()
    summary.add(fusion.fuse_pending(store))  # finish what an interrupted bulk load left unfused
    if fuse == "end":
        _ingest_batched(store, items, summary, progress, model=model, detect_copies=detect_copies)
        summary.add(fusion.fuse_pending(store))
        return summary
    for item in items:
        summary.add(ingest_one(store, item, model=model, fuse=True, detect_copies=detect_copies))
        if progress is not None:
            progress(summary, item)
    return summary


def extract_one(doc: Document, *, model: str | None = None, geocode: bool = True
                ) -> Extraction | DocumentError:
    """One document's extraction, or its DocumentError worded as the store reports a failed document
    (what the single-process ingest and a Dask worker's retry both call)."""
    from strikewatch.pipeline.extraction import extract_document

    try:
        with bad_document(doc.source or doc.url or doc.id, STORE_WORDING):
            return extract_document(doc, model=model, geocode=geocode)
    except DocumentError as exc:
        return exc


def ingest_one(
    store: Store, item: Item, *, model: str | None = None, fuse: bool = True, detect_copies: bool = True
) -> IngestSummary:
    """Store one document (or Extraction) in its own transaction; never raises for a bad document
    (a database that fails raises StoreError). With `fuse=False` the events are stored without updating
    incidents (see `fuse_pending`)."""
    summary = IngestSummary()
    if isinstance(item, DocumentError):
        summary.fail(item.source, item.message)
        return summary
    doc = item.document if isinstance(item, Extraction) else item
    source = doc.source or doc.url or doc.id
    try:
        with bad_document(source, STORE_WORDING):
            if store.known(doc):
                summary.documents_unchanged += 1
                return summary
            extraction = item if isinstance(item, Extraction) else extract_one(doc, model=model)
            if isinstance(extraction, DocumentError):
                summary.fail(extraction.source, extraction.message)
                return summary
            ready = prepare(extraction, detect_copies=detect_copies)
            _store_one(store, ready, summary, fuse=fuse, detect_copies=detect_copies)
    except RowsRefused as refused:
        if store.known(doc):  # another writer stored the same document between our check and insert
            summary.documents_unchanged += 1
        else:
            summary.fail(source, f"cannot be stored: {refused}")
    except DocumentError as exc:
        summary.fail(exc.source, exc.message)
    return summary


@dataclass
class Prepared(Extraction):
    """An Extraction ready to be written: each event once and pointing at its document (``events``),
    their rows (``store.rows.event_row``), and the near-copy signature (hex) and band keys.

    This is the work on a document that needs no database, done where CPU is spare: on the Dask worker
    that extracted it (``scale.extract_batch``), else in the writer (``prepare``); the writer of a
    parallel ingest, the one serial part, is left the database work alone."""

    signature: str | None = None
    bands: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    copies_looked_for: bool = False


def prepare(extraction: Extraction, *, detect_copies: bool = True) -> Prepared:
    """The Extraction as a ``Prepared``: the same span found twice stored once, every event pointing at
    its document, the events' rows, the MinHash signature of the near-copy search (when
    ``detect_copies``). A document past a bound (its id's length) raises DocumentError."""
    if isinstance(extraction, Prepared) and (extraction.copies_looked_for or not detect_copies):
        return extraction
    doc = extraction.document
    writes.check_ids(doc)
    events = list({e.id: e for e in extraction.events}.values())
    for e in events:
        if e.doc_id != doc.id:
            e.doc_id = doc.id
    ready = Prepared(document=doc, events=events, negatives=extraction.negatives,
                     rows=[event_row(e) for e in events])
    if detect_copies:
        from strikewatch.fuse import copies

        sig = copies.signature(doc.text)
        ready.signature = sig.to_hex()
        ready.bands = list(dict.fromkeys(copies.band_keys(sig))) if sig.size else []
        ready.copies_looked_for = True
    return ready


def _shift(day: date, days: int) -> str:
    return (day + timedelta(days=days)).isoformat()


def _find_copy(conn: Connection, ready: Prepared) -> str | None:
    """The stored original this document copies (strikewatch.fuse.copies).

    Candidates are the documents sharing a band key with this one (likely copies), plus, when the period
    around its publication holds few documents (COPY_SCAN_LIMIT), all of them: a story quoted inside a
    longer one resembles it too little to share a band. A copy of a copy points at the first original.
    A reader comment quoting its article is not a republished story.
    """
    from strikewatch.fuse import copies

    doc = ready.document
    assert ready.signature is not None
    around = None
    if doc.published:
        around = _shift(doc.published, -COPY_WINDOW_DAYS), _shift(doc.published, COPY_WINDOW_DAYS)
    found = queries.copy_candidates(conn, ready.bands, around=around, scan_limit=COPY_SCAN_LIMIT,
                                    exclude=doc.parent_id)
    if not found:
        return None
    candidates = {i: copies.Signature.from_hex(sig) for i, (sig, _) in found.items()}
    best = copies.find_copy(copies.Signature.from_hex(ready.signature), candidates)
    return found[best][1] if best else None


def _insert(conn: Connection, ready: Prepared, summary: IngestSummary, *, detect_copies: bool) -> bool:
    """Insert the document's row (and its band keys) unless an equal one is stored; its events are still
    to be written by the caller (one executemany per document or per batch). False when already stored."""
    doc = ready.document
    if queries.is_stored(conn, doc):
        summary.documents_unchanged += 1
        return False
    copy_of = _find_copy(conn, ready) if ready.copies_looked_for and detect_copies else None
    if copy_of and hasattr(doc, "copy_of"):
        doc.copy_of = copy_of
    writes.insert_document(conn, doc, n_events=len(ready.events), negatives=ready.negatives, copy_of=copy_of,
                           signature=ready.signature, bands=ready.bands)
    summary.documents_copies += 1 if copy_of else 0
    return True


def _count_new(summary: IngestSummary, events: Sequence[Event]) -> None:
    summary.documents_new += 1
    summary.events += len(events)


def _store_one(store: Store, ready: Prepared, summary: IngestSummary, *, fuse: bool, detect_copies: bool
               ) -> None:
    with store.writing() as conn:
        counted = IngestSummary()  # copies are counted once the transaction commits
        if not _insert(conn, ready, counted, detect_copies=detect_copies):
            summary.add(counted)
            return
        writes.insert_event_rows(conn, ready.rows)
        also = fusion.negative_window(ready.negatives)
        if (ready.events or also) and fuse:
            fusion.refuse_around(conn, ready.events, counted, also=also)
            if fusion.touches_control(ready.events):
                fusion.rebuild_control(conn)
    _count_new(counted, ready.events)
    summary.add(counted)


def _ingest_batched(
    store: Store,
    items: Iterable[Item],
    summary: IngestSummary,
    progress: Progress | None,
    *,
    model: str | None,
    detect_copies: bool,
) -> None:
    """The bulk path (`fuse="end"`): up to WRITE_BATCH documents per transaction, their events in one
    executemany; a per-document commit (and on PostgreSQL its lock and round trips) was most of the
    writer's time, and the writer is the one serial part of a parallel ingest."""
    pending: list[Document | Extraction] = []

    def flush() -> None:
        done = _store_batch(store, pending, model=model, detect_copies=detect_copies)
        for item, one in zip(pending, done, strict=True):
            summary.add(one)
            if progress is not None:
                progress(summary, item)
        pending.clear()

    for item in items:
        if isinstance(item, DocumentError):
            flush()  # keep the input order of the progress lines
            summary.add(ingest_one(store, item))
            if progress is not None:
                progress(summary, item)
            continue
        pending.append(item)
        if len(pending) >= WRITE_BATCH:
            flush()
    flush()


def _store_batch(
    store: Store, items: Sequence[Document | Extraction], *, model: str | None, detect_copies: bool
) -> list[IngestSummary]:
    """Store a batch's Extractions in one transaction, without fusing. Each is prepared on its own first
    (a bad one fails alone); should the database refuse a row of the batch, it is rolled back and its
    documents stored again one at a time (`ingest_one`), which reports the one at fault. Documents not
    yet extracted (e.g. ones the cluster skipped as already stored) go one by one."""

    def alone(item: Document | Extraction) -> IngestSummary:
        return ingest_one(store, item, model=model, fuse=False, detect_copies=detect_copies)

    out: list[IngestSummary] = []
    ready: list[tuple[int, Prepared]] = []
    for item in items:
        out.append(IngestSummary())
        if not isinstance(item, Extraction):
            out[-1] = alone(item)
            continue
        doc = item.document
        try:
            with bad_document(doc.source or doc.url or doc.id, STORE_WORDING):
                ready.append((len(out) - 1, prepare(item, detect_copies=detect_copies)))
        except DocumentError as exc:
            out[-1].fail(exc.source, exc.message)
    if not ready:
        return out
    stored: list[tuple[int, list[Event]]] = []
    counted = {k: IngestSummary() for k, _ in ready}
    try:
        with store.writing() as conn:
            rows: list[dict[str, Any]] = []
            for k, prepared in ready:
                if _insert(conn, prepared, counted[k], detect_copies=detect_copies):
                    rows.extend(prepared.rows)
                    stored.append((k, prepared.events))
            writes.insert_event_rows(conn, rows)
    except RowsRefused:  # nothing of the batch was committed: one at a time, the bad one reported
        for k, prepared in ready:
            out[k] = alone(prepared)
        return out
    for k, evs in stored:
        _count_new(counted[k], evs)
    for k, _ in ready:
        out[k].add(counted[k])
    return out
