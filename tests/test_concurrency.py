"""Two real `strikewatch ingest` processes writing to one database at once (an SQLite file, and PostgreSQL
when a server runs) with overlapping corpora: both finish, every document is stored once, and the events
and incidents are those a single ingest of the union stores."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_crash import EXE, make_corpus


def _snapshot(url: str) -> dict[str, object]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as c:
            docs = [r[0] for r in c.execute(sa.text("SELECT id FROM documents"))]
            events = [tuple(r) for r in c.execute(sa.text("SELECT id, doc_id FROM events"))]
            members = [tuple(r) for r in
                       c.execute(sa.text("SELECT incident_id, event_id FROM incident_members"))]
            incidents = [r[0] for r in c.execute(sa.text("SELECT id FROM incidents"))]
            half = c.execute(sa.text(
                "SELECT count(*) FROM documents d WHERE d.n_events != "
                "(SELECT count(*) FROM events e WHERE e.doc_id = d.id)")).scalar()
    finally:
        engine.dispose()
    assert len(docs) == len(set(docs)) and len(events) == len(set(events)) and half == 0
    # Every event belongs to an incident (a ranged event may belong to several).
    assert {e for _, e in members} == {e for e, _ in events}
    return {"documents": set(docs), "events": set(events), "incidents": set(incidents)}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two overlapping halves and a clean single-process ingest of their union."""
    folder = tmp_path_factory.mktemp("conc")
    a, b, union = folder / "a.jsonl", folder / "b.jsonl", folder / "union.jsonl"
    ids_a = make_corpus(a, 30, start=0)
    ids_b = make_corpus(b, 30, start=15)
    make_corpus(union, 45, start=0)
    gold = f"sqlite:///{folder / 'gold.db'}"
    r = subprocess.run([str(EXE), "ingest", str(union), "--db", gold, "--no-progress"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return {"a": a, "b": b, "ids": set(ids_a) | set(ids_b), "gold": _snapshot(gold)}


def _two_at_once(url: str, first: Path, second: Path) -> list[dict]:
    procs = [subprocess.Popen([str(EXE), "ingest", str(p), "--db", url, "--format", "json", "--no-progress"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in (first, second)]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
        out.append(json.loads(stdout))
    return out


def _check(url: str, corpora: dict) -> None:
    # The schema is created before the race so both processes start on the same footing.
    from strikewatch.store import Store

    Store(url).close()
    summaries = _two_at_once(url, corpora["a"], corpora["b"])
    new = sum(s["documents_new"] for s in summaries)
    unchanged = sum(s["documents_unchanged"] for s in summaries)
    assert sum(s["documents_failed"] for s in summaries) == 0
    assert new == len(corpora["ids"])  # each document stored by exactly one of the two
    assert new + unchanged == 60  # the 15 shared documents were seen by both
    snap = _snapshot(url)
    gold = corpora["gold"]
    assert snap["documents"] == corpora["ids"] == gold["documents"]
    assert snap["events"] == gold["events"]
    assert snap["incidents"] == gold["incidents"]


def test_two_ingests_on_one_sqlite_file(tmp_path, corpora):
    _check(f"sqlite:///{tmp_path / 'shared.db'}", corpora)


@pytest.mark.postgres
def test_two_ingests_on_postgresql(pg_url, corpora):
    _check(pg_url, corpora)


# ---------------------------------------------------------------- the Dask runner (parallel extraction)


def _docs(n: int, pulled: list[int]):
    """A lazy stream of documents that records how far it has been read; every 7th item is an error."""
    from strikewatch.errors import DocumentError
    from strikewatch.records import Document

    for i in range(n):
        pulled[0] += 1
        if i % 7 == 3:
            yield DocumentError(f"bad-{i}", "is not readable.")
        else:
            text = ("Coalition aircraft struck an ISIS checkpoint near Mosul on 3 May 2016, the task force "
                    f"said. {i}.")
            yield Document(id=f"d{i}", text=text, source=f"src-{i}")


def test_runner_streams_in_bounded_batches_and_keeps_order():
    from strikewatch.errors import DocumentError
    from strikewatch.records import Document, Extraction
    from strikewatch.scale import DaskRunner

    pulled = [0]
    seen: list[str] = []
    batch, in_flight = 4, 2
    with DaskRunner(workers=1, batch_size=batch, in_flight=in_flight, memory_limit=0) as runner:
        skip = lambda d: d.id == "d5"  # noqa: E731 - the store "already holds" this one
        for item in runner.extract(_docs(60, pulled), skip=skip):
            # Never more than the batches in flight plus the one being filled are held.
            assert pulled[0] - len(seen) <= batch * (in_flight + 1)
            if isinstance(item, DocumentError):
                seen.append(item.source)
            elif isinstance(item, Document):
                seen.append(item.source)
                assert item.id == "d5"
            else:
                assert isinstance(item, Extraction) and item.events
                seen.append(item.document.source)
    assert pulled[0] == 60
    assert seen == [f"bad-{i}" if i % 7 == 3 else f"src-{i}" for i in range(60)]


def test_workers_store_what_a_single_process_stores(tmp_path, cli):
    corpus = tmp_path / "c.jsonl"
    make_corpus(corpus, 20)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    r1 = cli("ingest", str(corpus), "--db", f"sqlite:///{one}", "--format", "json", "--no-progress")
    r2 = cli("ingest", str(corpus), "--db", f"sqlite:///{two}", "--format", "json", "--no-progress",
             "--workers", "2")
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    assert json.loads(r1.stdout) == json.loads(r2.stdout)
    for table in ("documents", "events", "incidents", "claims", "incident_members"):
        rows = []
        for db in (one, two):
            engine = sa.create_engine(f"sqlite:///{db}")
            with engine.connect() as c:
                cols = [col for col in sa.inspect(c).get_columns(table) if col["name"] != "ingested_at"]
                names = ", ".join(col["name"] for col in cols)
                rows.append(sorted(map(tuple, c.execute(sa.text(f"SELECT {names} FROM {table}")))))
            engine.dispose()
        assert rows[0] == rows[1], table
    # Re-running in parallel extracts nothing new and changes nothing.
    again = cli("ingest", str(corpus), "--db", f"sqlite:///{two}", "--format", "json", "--no-progress",
                "--workers", "2")
    assert json.loads(again.stdout)["documents_unchanged"] == 20


def test_scheduler_option_uses_an_existing_cluster(tmp_path, cli):
    from dask.distributed import LocalCluster

    corpus = tmp_path / "c.jsonl"
    make_corpus(corpus, 12, start=300)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        r = cli("ingest", str(corpus), "--db", f"sqlite:///{tmp_path / 's.db'}", "--format", "json",
                "--no-progress", "--scheduler", cluster.scheduler_address)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["documents_new"] == 12


def test_bad_parallel_options_are_one_sentence(tmp_path, cli):
    corpus = tmp_path / "c.jsonl"
    make_corpus(corpus, 1)
    db = f"sqlite:///{tmp_path / 'b.db'}"
    r = cli("ingest", str(corpus), "--db", db, "--scheduler", "tcp://127.0.0.1:9",
            env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = cli("ingest", str(corpus), "--db", db, "--workers", "0")
    assert r.returncode != 0 and "--workers takes" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------- two writers reporting the same incidents at once

WORDING = [
    "Coalition aircraft struck an ISIS checkpoint near {p} on {d}, the task force said.",
    "Activists said US-led coalition warplanes bombed an ISIS position in {p} on {d}, killing {n} fighters.",
]


def _same_incidents(path: Path, wording: str, n: int) -> None:
    """`n` reports, one per incident, in the given wording (the other file reports the same incidents)."""
    places = ["Raqqa", "Mosul", "Manbij", "Fallujah", "Tikrit", "Palmyra", "Kirkuk", "Ramadi", "Homs", "Hama"]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            day = date(2016, 1, 1) + timedelta(days=3 * i)
            text = wording.format(p=places[i % len(places)], d=f"{day.day} {day:%B %Y}", n=2 + i % 9)
            f.write(json.dumps({"id": f"{path.stem}-{i}", "text": text,
                                "published": (day + timedelta(days=1)).isoformat()}) + "\n")


def _groups(url: str) -> set[frozenset[str]]:
    engine = sa.create_engine(url)
    with engine.connect() as c:
        rows = c.execute(sa.text("SELECT incident_id, event_id FROM incident_members")).all()
    engine.dispose()
    by: dict[str, set[str]] = {}
    for inc, ev in rows:
        by.setdefault(inc, set()).add(ev)
    return {frozenset(v) for v in by.values()}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two files reporting the same incidents in different words, and what one writer makes of them."""
    folder = tmp_path_factory.mktemp("shared")
    a, b = folder / "a.jsonl", folder / "b.jsonl"
    _same_incidents(a, WORDING[0], 24)
    _same_incidents(b, WORDING[1], 24)
    gold = f"sqlite:///{folder / 'gold.db'}"
    for path in (a, b):
        r = subprocess.run([str(EXE), "ingest", str(path), "--db", gold, "--no-progress"],
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
    expected = _groups(gold)
    assert sum(1 for g in expected if len(g) == 2) >= 18  # most incidents have one event from each file
    return {"a": a, "b": b, "groups": expected}


def test_concurrent_writers_fuse_shared_incidents_like_one_writer(db_url, shared):
    """Incidents reported by documents in both processes end up fused exactly as one process fuses them."""
    from strikewatch.store import Store

    Store(db_url).close()
    summaries = _two_at_once(db_url, shared["a"], shared["b"])
    assert sum(s["documents_new"] for s in summaries) == 48
    assert _groups(db_url) == shared["groups"]
