"""Parallel extraction on a Dask distributed cluster, streamed in bounded batches.

Extraction (spaCy, rules, the gazetteer) is the CPU-heavy part of an ingest and needs no database, so it
runs on Dask workers, which start once, load the pipeline once and read each batch as one spaCy batch;
the store writes stay in the calling process, in the order the documents were read (so a parallel
ingest stores exactly what a single-process one does), a batch of documents per transaction and the
fusion in one pass at the end (``strikewatch.pipeline.ingest(store, ..., fuse="end")``).

Memory stays flat however large the corpus: documents are read lazily, grouped into batches of
``batch_size`` and at most ``in_flight`` batches are on the cluster at any time; the next batch is read
only when the oldest one has come back.

>>> from strikewatch.scale import DaskRunner
>>> with DaskRunner(workers=2) as runner:
...     ingest(store, runner.extract(read_paths(["reports/"]), skip=store.known), fuse="end")
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from strikewatch.errors import DocumentError, UserError
from strikewatch.records import Document, Extraction

if TYPE_CHECKING:
    from strikewatch.pipeline import IngestSummary
    from strikewatch.store import Store

__all__ = ["DaskRunner", "extract_batch", "extract_parallel", "ingest_parallel"]

DEFAULT_BATCH = 32

# A worker returns an Extraction or ("error", source, message): DocumentError does not pickle (its
# constructor takes two arguments), so errors cross the wire as plain tuples.
Outcome = Extraction | tuple[str, str, str]
Result = Extraction | Document | DocumentError


def extract_batch(docs: list[Document], model: str | None = None, geocode: bool = True) -> list[Outcome]:
    """Extract a batch on a worker, and prepare each result for the writer; one document's failure never
    loses the others.

    The batch goes through ``pipeline.extract_documents`` as one spaCy batch (the tokenizer and the
    parser run over all its sentences at once: cheaper than document by document), which reads a batch
    that fails as a whole again one document at a time. A document that fails is extracted once more on
    its own (``pipeline.ingest_run.extract_one``, what the single-process ingest calls), so that it is
    reported in the same words as there. Each Extraction leaves as a ``pipeline.ingest_run.Prepared``
    (its event rows and near-copy signature made here, off the writer's critical path).
    """
    from strikewatch.errors import bad_document
    from strikewatch.pipeline.extraction import extract_documents
    from strikewatch.pipeline.ingest_run import STORE_WORDING, extract_one, prepare

    done = list(extract_documents(docs, model=model, geocode=geocode, batch_size=max(1, len(docs))))
    out: list[Outcome] = []
    for doc, result in zip(docs, done, strict=True):
        if not isinstance(result, Extraction):
            result = extract_one(doc, model=model, geocode=geocode)
        if isinstance(result, Extraction):
            try:
                with bad_document(doc.source or doc.url or doc.id, STORE_WORDING):
                    result = prepare(result)
            except DocumentError as exc:
                result = exc
        out.append(result if isinstance(result, Extraction) else ("error", result.source, result.message))
    return out


def _warm(model: str | None, geocode: bool) -> bool:
    """Load the pipeline and gazetteer once per worker before timing or streaming starts."""
    from strikewatch.pipeline import extract_document

    extract_document(Document(id="warm-up", text="Aircraft struck a bridge near Mosul on 3 May 2016."),
                     model=model, geocode=geocode)
    return True


class DaskRunner:
    """A Dask client for extraction: a new ``LocalCluster`` of ``workers`` processes, or the existing
    cluster at ``scheduler`` (``tcp://host:port``). Use it as a context manager so the cluster stops."""

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None,
                 batch_size: int = DEFAULT_BATCH, in_flight: int | None = None, model: str | None = None,
                 geocode: bool = True, memory_limit: str | int | None = "2GiB",
                 timeout: float | None = None) -> None:
        if workers is not None and workers < 1:
            raise UserError("--workers takes a number of worker processes of at least 1.")
        if batch_size < 1:
            raise UserError("the batch size must be at least 1.")
        self.batch_size = batch_size
        self.model = model
        self.geocode = geocode
        self.cluster: Any = None
        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
            raise UserError(f"parallel ingest needs dask[distributed] ({exc.name} is missing); "
                            "install it with `pip install 'dask[distributed]'`.") from None
        if scheduler:
            if timeout is None:  # dask's setting (DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT), default 30 s
                import dask

                timeout = dask.utils.parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
            try:
                self.client = Client(scheduler, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise UserError(f"cannot reach the Dask scheduler at {scheduler} ({_first_line(exc)}); "
                                "check the address and that `dask scheduler` is running.") from None
            n = max(1, len(self.client.scheduler_info().get("workers", {})))
        else:
            n = workers or os.cpu_count() or 1
            # One thread per process: extraction holds the GIL, so threads would not add speed.
            # Loopback only, and a free port for the scheduler's HTTP server (never a fixed 8787 that
            # another cluster may hold, never on an outside interface).
            # Dask's statistical profiler samples every worker's stack every 10 ms: CPU taken from
            # extraction for a picture no one looks at here (the nannies pass this config on).
            import dask

            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                            memory_limit=memory_limit, silence_logs=logging.ERROR)
            self.client = Client(self.cluster, set_as_default=False)
        self.workers = n
        self.in_flight = in_flight or 2 * n

    def warm_up(self) -> None:
        """Load the NLP pipeline and the gazetteer on every worker (otherwise the first batches pay it)."""
        self.client.run(_warm, self.model, self.geocode)

    def extract(self, items: Iterable[Document | DocumentError], *,
                skip: Callable[[Document], bool] | None = None) -> Iterator[Result]:
        """Extractions in input order; DocumentErrors pass through in place.

        ``skip(doc)`` true (e.g. the store already holds it) sends the document back unextracted, so the
        store counts it as unchanged without paying for its extraction.
        """
        pending: deque[tuple[Any, list[Any]]] = deque()  # (future or None, the items it stands for)
        batch: list[Any] = []
        outstanding = 0

        def submit() -> None:
            nonlocal outstanding
            docs = [x for x in batch if isinstance(x, Document) and not (skip and skip(x))]
            keep = {id(d) for d in docs}
            entries = [(x, id(x) in keep) for x in batch]
            future = None
            if docs:
                future = self.client.submit(extract_batch, docs, self.model, self.geocode, pure=False)
            pending.append((future, entries))
            outstanding += 1 if future is not None else 0
            batch.clear()

        def collect() -> Iterator[Any]:
            nonlocal outstanding
            future, entries = pending.popleft()
            results: list[Outcome] = []
            if future is not None:
                outstanding -= 1
                try:
                    results = future.result()
                except Exception as exc:  # noqa: BLE001 - a process boundary: extract_batch reports every
                    # document's own failure, so what arrives here is the cluster's (a worker killed or
                    # out of memory, a lost connection, a result that would not unpickle), of any type
                    # Dask or the worker raised; it fails that batch's documents, not the run
                    why = f"could not be extracted on the cluster ({type(exc).__name__}: {_first_line(exc)})"
                    results = [("error", _source(x), why) for x, sent in entries if sent]
                finally:
                    future.release()
            it = iter(results)
            for x, sent in entries:
                if not sent:
                    yield x
                    continue
                r = next(it)
                yield DocumentError(r[1], r[2]) if isinstance(r, tuple) else r

        for item in items:
            batch.append(item)
            if len(batch) >= self.batch_size:
                submit()
                while outstanding >= self.in_flight:
                    yield from collect()
        if batch:
            submit()
        while pending:
            yield from collect()

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def extract_parallel(items: Iterable[Document | DocumentError], *, workers: int | None = None,
                     scheduler: str | None = None, batch_size: int = DEFAULT_BATCH,
                     model: str | None = None, geocode: bool = True,
                     skip: Callable[[Document], bool] | None = None) -> Iterator[Result]:
    """``DaskRunner(...).extract(items)`` with the cluster started and stopped around the stream."""
    with DaskRunner(workers=workers, scheduler=scheduler, batch_size=batch_size, model=model,
                    geocode=geocode) as runner:
        yield from runner.extract(items, skip=skip)


def ingest_parallel(store: Store, items: Iterable[Document | DocumentError], *, workers: int | None = None,
                    scheduler: str | None = None, batch_size: int = DEFAULT_BATCH, model: str | None = None,
                    run: Callable[[Store, Iterable[Result]], IngestSummary] | None = None) -> IngestSummary:
    """Ingest into ``store`` with extraction on Dask; returns the ``IngestSummary``.

    ``run(store, extractions)`` does the writing (the CLI passes its progress-bar loop); by default
    ``pipeline.ingest(store, extractions, fuse="end")``. Documents the store already holds are not
    extracted again.
    """
    with DaskRunner(workers=workers, scheduler=scheduler, batch_size=batch_size, model=model) as runner:
        stream = runner.extract(items, skip=store.known)
        if run is not None:
            return run(store, stream)
        from strikewatch.pipeline import ingest

        return ingest(store, stream, model=model, fuse="end")


def _source(item: Any) -> str:
    return getattr(item, "source", None) or getattr(item, "url", None) or getattr(item, "id", "?")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
