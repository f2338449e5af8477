"""The bulk write path (`fuse="end"`, what `ingest --workers` uses): several documents per transaction,
their events in one executemany, the fusion at the end in date-ordered slices. It must store what the
per-document path stores, report a bad document alone (the rest of its batch stored), and call
`progress` once per item in input order."""

from __future__ import annotations

import sqlalchemy as sa
from test_store import corpus

from strikewatch.errors import DocumentError
from strikewatch.pipeline import fusion, ingest, ingest_run
from strikewatch.store import Store


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url)
    out = {}
    with engine.connect() as c:
        for table, cols in (("documents", "id, n_events, copy_of, content_hash"), ("events", "id, doc_id"),
                            ("incidents", "id, grade"), ("incident_members", "incident_id, event_id")):
            out[table] = sorted(map(tuple, c.execute(sa.text(f"SELECT {cols} FROM {table}"))))
    engine.dispose()
    return out


def test_batched_bulk_load_stores_what_one_document_at_a_time_stores(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_run, "WRITE_BATCH", 3)  # two batches of the four documents
    monkeypatch.setattr(fusion, "FUSE_SLICE", 2)  # the final fusion in three steps
    each_url = f"sqlite:///{tmp_path / 'each.db'}"
    with Store(each_url) as each:
        one = ingest(each, corpus())
    with Store(db_url) as bulk:
        seen: list[object] = []
        two = ingest(bulk, corpus(), fuse="end", progress=lambda s, item: seen.append(item))
    assert len(seen) == 4
    assert (two.documents_new, two.events) == (one.documents_new, one.events)
    rows = _rows(db_url)
    assert rows == _rows(each_url)
    # one document at a time may create an incident and merge it later; at the end both hold the same
    assert two.incidents_created - two.incidents_removed == len(rows["incidents"])
    assert one.incidents_created - one.incidents_removed == len(rows["incidents"])


def test_a_bad_document_in_a_batch_is_reported_and_the_rest_stored(db_url, monkeypatch):
    monkeypatch.setattr(ingest_run, "WRITE_BATCH", 8)
    items = corpus()
    broken = items[2]
    broken.events[0].type = None  # cannot be stored: events need a type
    stream = [items[0], DocumentError("reports/empty.txt", "is empty."), items[1], broken, items[3]]
    order: list[str] = []
    with Store(db_url) as s:
        summary = ingest(s, stream, fuse="end", progress=lambda _, item: order.append(
            item.source if isinstance(item, DocumentError) else item.document.id))
        assert summary.documents_new == 3 and summary.documents_failed == 2
        assert [src for src, _ in summary.failures] == ["reports/empty.txt", "test:Ministry of Defence"]
        assert s.document(broken.document.id) is None  # no half document
        assert s.counts()["events"] == sum(len(x.events) for x in (items[0], items[1], items[3]))
        # every stored event was fused at the end
        with s.engine.connect() as c:
            unfused = c.execute(sa.text("SELECT count(*) FROM events WHERE id NOT IN "
                                        "(SELECT event_id FROM incident_members)")).scalar()
        assert unfused == 0
    assert order == [items[0].document.id, "reports/empty.txt", items[1].document.id, broken.document.id,
                     items[3].document.id]


def test_extractions_prepared_on_a_worker_store_what_the_writer_prepares(db_url, tmp_path):
    """A Dask worker sends back `Prepared` extractions (event rows and near-copy signature made there,
    off the writer's path); through a pickle, as they cross the wire, they store exactly what plain
    Extractions prepared by the writer store, copies found alike."""
    import pickle

    from test_store import RELEASE, make_doc

    from strikewatch.pipeline.ingest_run import Prepared, prepare
    from strikewatch.records import Extraction

    def items() -> list[Extraction]:
        repost = make_doc(RELEASE + " Reposted by a wire service.", published="2016-10-26",
                          outlet="Wire Copy", kind="news", url="https://wire.example/repost")
        return [*corpus(), Extraction(repost, [])]

    plain_url = f"sqlite:///{tmp_path / 'plain.db'}"
    with Store(plain_url) as plain:
        one = ingest(plain, items(), fuse="end")
    shipped = [pickle.loads(pickle.dumps(prepare(x))) for x in items()]
    assert all(isinstance(x, Prepared) and x.copies_looked_for and len(x.rows) == len(x.events)
               for x in shipped)
    with Store(db_url) as store:
        two = ingest(store, shipped, fuse="end")
        assert two.to_dict() == one.to_dict()
    assert _rows(db_url) == _rows(plain_url)
    assert one.documents_copies == 1  # the repost, found as a copy on both paths
