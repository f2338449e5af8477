"""Two real `strikewatch ingest` processes writing to one database at once (an SQLite file, and PostgreSQL
when a server runs) with overlapping corpora: both finish, every document is stored once, and the events
and incidents are those a single ingest of the union stores."""

from __future__ import annotations

import json
import subprocess
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
    # Every event belongs to exactly one incident.
    assert sorted(e for _, e in members) == sorted(e for e, _ in events)
    return {"documents": set(docs), "events": set(events), "incidents": set(incidents)}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two overlapping halves and a clean single-process ingest of their union."""
    folder = tmp_path_factory.mktemp("conc")
    a, b, union = folder / "a.jsonl", folder / "b.jsonl", folder / "union.jsonl"
    ids_a = make_corpus(a, 40, start=0)
    ids_b = make_corpus(b, 40, start=20)
    make_corpus(union, 60, start=0)
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
    assert new + unchanged == 80  # the 20 shared documents were seen by both
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
