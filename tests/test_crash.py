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
