"""Crash safety: SIGKILL a real `strikewatch ingest` mid-run, check the database is consistent (no half
documents, no orphan events, incidents whole), then re-run and check nothing is lost or duplicated by
comparing with a clean ingest of the same corpus."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

EXE = Path(sys.executable).with_name("strikewatch")

# Our own sentence patterns; dates, places and numbers vary so every document is distinct.
TEMPLATES = [
    "On {d}, coalition aircraft struck an ISIS {t} near {p}, destroying {n} vehicles, the task force said.",
    "Syrian army artillery shelled rebel positions in {p} on {d}, killing {n} fighters, state media said.",
    "Iraqi jets struck an ISIS {t} west of {p} on {d}; the defence ministry said {n} militants were killed.",
    "Activists said {n} civilians were killed when warplanes bombed a market in {p} on {d}.",
    "On {d}, government forces regained control of {p} after clashes with ISIS that left {n} dead.",
]
PLACES = ["Raqqa", "Mosul", "Manbij", "Hit", "Fallujah", "Tikrit", "Idlib", "Palmyra", "Deir ez-Zor",
          "Kirkuk", "Tal Afar", "Ramadi", "Homs", "Hama", "Baiji"]
TARGETS = ["checkpoint", "weapons depot", "command post", "fighting position", "tunnel", "staging area"]


def make_corpus(path: Path, n: int, *, start: int = 0) -> list[str]:
    """Write `n` JSONL documents (ids doc-<i>), each two report sentences; return their ids."""
    ids = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            day = date(2016, 1, 1) + timedelta(days=(i * 7) % 700)
            parts = []
            for k in range(2):
                tpl = TEMPLATES[(i + k) % len(TEMPLATES)]
                parts.append(tpl.format(d=f"{day.day} {day:%B %Y}", p=PLACES[(i * 3 + k) % len(PLACES)],
                                        t=TARGETS[(i + k) % len(TARGETS)], n=2 + (i * 5 + k) % 37))
            parts.append(f"Report number {i}.")
            f.write(json.dumps({"id": f"doc-{i}", "text": " ".join(parts), "published": day.isoformat(),
                                "outlet": "Test Wire"}) + "\n")
            ids.append(f"doc-{i}")
    return ids


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db, timeout=30) as c:
        try:
            return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def check_consistent(db: Path, *, unfused_allowed: bool = False) -> None:
    """The invariants a kill must never break. A parallel ingest fuses in one pass at the end, so after a
    kill its stored events may still wait for fusion (the next ingest fuses them first)."""
    with sqlite3.connect(db, timeout=30) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        # No orphan events; every document has exactly the events it says it has (no half documents).
        assert c.execute("SELECT count(*) FROM events e LEFT JOIN documents d ON d.id = e.doc_id "
                         "WHERE d.id IS NULL").fetchone()[0] == 0
        bad = c.execute("SELECT d.id FROM documents d LEFT JOIN events e ON e.doc_id = d.id GROUP BY d.id "
                        "HAVING count(e.id) != d.n_events").fetchall()
        assert bad == []
        # Incidents are whole: members point at stored events and incidents, every event is in one.
        assert c.execute("SELECT count(*) FROM incident_members m LEFT JOIN events e ON e.id = m.event_id "
                         "WHERE e.id IS NULL").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM incident_members m LEFT JOIN incidents i ON i.id = "
                         "m.incident_id WHERE i.id IS NULL").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM claims k LEFT JOIN incidents i ON i.id = k.incident_id "
                         "WHERE i.id IS NULL").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM incidents i LEFT JOIN incident_members m ON "
                         "m.incident_id = i.id WHERE m.incident_id IS NULL").fetchone()[0] == 0
        unfused = c.execute("SELECT count(*) FROM events e LEFT JOIN incident_members m ON m.event_id = e.id "
                            "WHERE m.event_id IS NULL").fetchone()[0]
        assert unfused == 0 or unfused_allowed


def snapshot(db: Path) -> dict[str, set]:
    with sqlite3.connect(db, timeout=30) as c:
        return {
            "documents": {r[0] for r in c.execute("SELECT id FROM documents")},
            "events": {r for r in c.execute("SELECT id, doc_id FROM events")},
            "incidents": {r for r in c.execute("SELECT id, data FROM incidents")},
        }


def ingest_args(corpus: Path, db: Path, *extra: str) -> list[str]:
    return [str(EXE), "ingest", str(corpus), "--db", f"sqlite:///{db}", "--format", "json", "--no-progress",
            *extra]


@pytest.fixture(scope="module")
def gold(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The corpus and what a clean, uninterrupted ingest of it stores."""
    folder = tmp_path_factory.mktemp("crash")
    corpus = folder / "corpus.jsonl"
    ids = make_corpus(corpus, 100)
    db = folder / "gold.db"
    r = subprocess.run(ingest_args(corpus, db), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return {"corpus": corpus, "ids": ids, "db": db, "snap": snapshot(db)}


def kill_mid_run(args: list[str], db: Path, *, at_least: int, total: int) -> int:
    """Start the ingest, SIGKILL its whole process group once `at_least` documents are stored."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 300
    stored = 0
    try:
        while time.monotonic() < deadline:
            stored = count(db, "documents") if db.exists() else 0
            if stored >= at_least or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the ingest ended before it could be killed: make the corpus bigger"
        assert stored < total
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        time.sleep(0.5)
        with contextlib.suppress(ProcessLookupError):  # anything left in the group (Dask workers) is ours
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    return stored


@pytest.mark.parametrize("workers", [None, 2], ids=["single", "dask-2"])
def test_sigkill_mid_ingest_then_rerun(gold, tmp_path, workers):
    db = tmp_path / "killed.db"
    extra = ["--workers", str(workers)] if workers else []
    stored = kill_mid_run(ingest_args(gold["corpus"], db, *extra), db, at_least=10, total=len(gold["ids"]))
    assert stored >= 10
    check_consistent(db, unfused_allowed=bool(workers))
    after_kill = count(db, "documents")
    assert 10 <= after_kill < len(gold["ids"])
    # Re-running finishes the work: the documents stored before the kill are unchanged, the rest new.
    r = subprocess.run(ingest_args(gold["corpus"], db, *extra), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["documents_unchanged"] == after_kill
    assert summary["documents_new"] == len(gold["ids"]) - after_kill
    check_consistent(db)
    # Nothing lost, nothing duplicated: exactly what an uninterrupted ingest stores.
    snap = snapshot(db)
    assert snap["documents"] == set(gold["ids"]) == gold["snap"]["documents"]
    assert snap["events"] == gold["snap"]["events"]
    assert {i for i, _ in snap["incidents"]} == {i for i, _ in gold["snap"]["incidents"]}


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db, timeout=30) as c:
        return {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_kill_during_database_creation_never_leaves_a_half_database(tmp_path):
    """Killed at moments spread over the creation of a new SQLite file: each time the file holds either
    nothing or the whole schema with its version, and the next ingest works (issue 16: 4 of 12 such kills
    left 15 tables and no alembic_version, and the file never opened again)."""
    corpus = tmp_path / "small.jsonl"
    make_corpus(corpus, 3)
    outcomes = []
    for k, delay in enumerate((0.0, 0.1, 0.25, 0.5)):
        db = tmp_path / f"new-{k}.db"
        proc = subprocess.Popen(ingest_args(corpus, db, "--fast"), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while not db.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        tables = _tables(db) if db.exists() else set()
        outcomes.append(len(tables))
        assert not tables or "alembic_version" in tables, f"half-created after a kill at +{delay} s: {tables}"
        r = subprocess.run(ingest_args(corpus, db, "--fast"), capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        assert count(db, "documents") == 3
    assert outcomes  # the sizes seen (0 or the whole schema) are in the assertion messages above


def test_half_created_database_from_an_older_version_is_recovered(tmp_path):
    """A file left with some of the tables and no alembic_version (what an older version's interrupted
    creation left) is recreated instead of failing with "table documents already exists"."""
    import sqlalchemy as sa

    from strikewatch.store import schema

    db = tmp_path / "half.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        for name in ("documents", "events", "places"):
            schema.metadata.tables[name].create(conn)
    engine.dispose()
    corpus = tmp_path / "small.jsonl"
    make_corpus(corpus, 2)
    r = subprocess.run(ingest_args(corpus, db, "--fast"), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert count(db, "documents") == 2 and "alembic_version" in _tables(db)


def test_tables_with_documents_but_no_version_are_left_alone(tmp_path):
    """Data without a schema version is not ours to drop: one sentence, exit 2, the rows still there."""
    db = tmp_path / "foreign.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE documents (id TEXT)")
        c.execute("INSERT INTO documents VALUES ('keep-me')")
    corpus = tmp_path / "small.jsonl"
    make_corpus(corpus, 1)
    r = subprocess.run(ingest_args(corpus, db, "--fast"), capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "no schema version" in r.stderr and "Traceback" not in r.stderr
    assert count(db, "documents") == 1


def test_two_first_ingests_at_once(db_url, tmp_path):
    """Two processes creating the same new database at once (SQLite and PostgreSQL): both finish, each
    document is stored once (issue 16: "table documents already exists", or an IntegrityError traceback
    on PostgreSQL)."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    ids = make_corpus(a, 3) + make_corpus(b, 3, start=3)
    args = [[str(EXE), "ingest", str(p), "--db", db_url, "--fast", "--no-progress"] for p in (a, b)]
    procs = [subprocess.Popen(x, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for x in args]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    from strikewatch.store import Store

    with Store(db_url) as store:
        assert {d["id"] for d in store.documents(limit=None)} == set(ids)
