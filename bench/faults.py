"""Fault injection against the real `strikewatch ingest` (issue 16): kill -9 at random moments of a long
ingest into SQLite and into PostgreSQL (the first kills fall in the database's creation), the PostgreSQL
server stopped and restarted mid-ingest, a full disk under the SQLite file, and feed servers that hang,
redirect to private addresses or send 1 GB.

After every fault: the command ended with a clear message (no traceback), the database is consistent (no
half document, no orphan event, no incident without members), and a re-run completes without duplicates.
At the end the database holds exactly what a clean ingest of the same corpus holds: "N kills, N restarts,
0 lost". The corpus is written here from our own sentence templates.

    .venv/bin/python bench/faults.py                      # everything (starts a throwaway PostgreSQL)
    .venv/bin/python bench/faults.py --kills 10 --docs 300 --only sqlite,disk,feeds
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).with_name("strikewatch")

TEMPLATES = [
    "On {d}, coalition aircraft struck an ISIS {t} near {p}, destroying {n} vehicles, the task force said.",
    "Syrian army artillery shelled rebel positions in {p} on {d}, killing {n} fighters, state media said.",
    "Iraqi jets struck an ISIS {t} west of {p} on {d}; the defence ministry said {n} militants were killed.",
    "Activists said {n} civilians were killed when warplanes bombed a market in {p} on {d}.",
]
PLACES = ["Raqqa", "Mosul", "Manbij", "Hit", "Fallujah", "Tikrit", "Idlib", "Palmyra", "Kirkuk", "Ramadi"]
TARGETS = ["checkpoint", "weapons depot", "command post", "fighting position", "tunnel"]


def write_corpus(path: Path, n: int) -> set[str]:
    ids = set()
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            day = date(2016, 1, 1) + timedelta(days=(i * 5) % 600)
            text = " ".join(TEMPLATES[(i + k) % len(TEMPLATES)].format(
                d=f"{day.day} {day:%B %Y}", p=PLACES[(i * 3 + k) % len(PLACES)], t=TARGETS[(i + k) % 5],
                n=2 + (i * 7 + k) % 31) for k in range(2)) + f" Bulletin {i}."
            f.write(json.dumps({"id": f"f-{i}", "text": text, "published": day.isoformat(),
                                "outlet": "Fault Wire"}) + "\n")
            ids.add(f"f-{i}")
    return ids


def ingest_cmd(corpus: Path, db: str) -> list[str]:
    return [str(EXE), "ingest", str(corpus), "--db", db, "--fast", "--no-progress", "--format", "json"]


def clear_message(stderr: str) -> bool:
    return "Traceback" not in stderr


# ---- consistency -----------------------------------------------------------------------------------

CHECKS = {
    "orphan events": "SELECT count(*) FROM events e LEFT JOIN documents d ON d.id = e.doc_id "
                     "WHERE d.id IS NULL",
    "half documents": "SELECT count(*) FROM (SELECT d.id FROM documents d LEFT JOIN events e "
                      "ON e.doc_id = d.id GROUP BY d.id, d.n_events HAVING count(e.id) != d.n_events) x",
    "members without event": "SELECT count(*) FROM incident_members m LEFT JOIN events e "
                             "ON e.id = m.event_id WHERE e.id IS NULL",
    "incidents without members": "SELECT count(*) FROM incidents i LEFT JOIN incident_members m "
                                 "ON m.incident_id = i.id WHERE m.incident_id IS NULL",
}


def state(db: str) -> dict:
    """What the database holds and which invariants it breaks ({} when it has no schema yet)."""
    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            insp = sa.inspect(conn)
            tables = set(insp.get_table_names())
            if not tables:
                return {"tables": 0}
            if "alembic_version" not in tables:
                return {"tables": len(tables), "broken": "tables without alembic_version"}
            broken = {name: n for name, q in CHECKS.items() if (n := conn.execute(sa.text(q)).scalar())}
            if db.startswith("sqlite"):
                ok = conn.execute(sa.text("PRAGMA integrity_check")).scalar()
                if ok != "ok":
                    broken["integrity_check"] = ok
            docs = set(conn.execute(sa.text("SELECT id FROM documents")).scalars())
            events = set(conn.execute(sa.text("SELECT id FROM events")).scalars())
            return {"tables": len(tables), "broken": broken, "documents": docs, "events": events}
    finally:
        engine.dispose()


def _documents(db: str) -> int:
    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM documents")).scalar() or 0)
    except sa.exc.DBAPIError:
        return 0
    finally:
        engine.dispose()


# ---- kills -----------------------------------------------------------------------------------------

def kill_rounds(db: str, corpus: Path, gold: dict, kills: int, rng: random.Random, label: str) -> dict:
    """``kills`` runs of the same ingest, each SIGKILLed at a random moment, then one to completion."""
    done_kills, problems, seen_tables = 0, [], []
    for k in range(kills):
        proc = subprocess.Popen(ingest_cmd(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        # The first two kills aim at start-up and the database's creation; the others fall at a random
        # moment once this run has stored its first new document (start-up on a busy machine can take
        # longer than a fixed delay, which would then only ever kill the start-up).
        started = time.monotonic()
        if k < 2:
            time.sleep(rng.uniform(0.5, 4.0))
        else:
            before = _documents(db)
            while proc.poll() is None and _documents(db) <= before and time.monotonic() - started < 300:
                time.sleep(0.2)
            time.sleep(rng.uniform(0.0, 8.0))
        delay = time.monotonic() - started
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            done_kills += 1
        proc.wait()
        s = state(db)
        seen_tables.append(s.get("tables", 0))
        if s.get("broken"):
            problems.append(f"after kill {k + 1} at +{delay:.1f} s: {s['broken']}")
        stored = len(s.get("documents", ()))
        print(f"  {label} kill {k + 1}/{kills} at +{delay:4.1f} s: {stored:4d} documents, "
              f"{'consistent' if not s.get('broken') else s['broken']}", flush=True)
    r = subprocess.run(ingest_cmd(corpus, db), capture_output=True, text=True)
    final = state(db)
    lost = len(gold["documents"] - final.get("documents", set()))
    extra = len(final.get("documents", set()) - gold["documents"])
    events_diff = len(gold["events"] ^ final.get("events", set()))
    return {"kills": done_kills, "problems": problems, "rerun_rc": r.returncode,
            "clear": clear_message(r.stderr), "lost": lost, "duplicates": extra, "events_differ": events_diff}


# ---- PostgreSQL stopped and restarted ----------------------------------------------------------------

def pg_ctl(pg_dir: str, action: str, port: str) -> None:
    pgctl = next(p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")))
    opts = f"-p {port} -k {pg_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    cmd = f"{pgctl} -D {pg_dir}/data -l {pg_dir}/server.log -w -m fast {action}"
    if action == "start":
        cmd = f"{pgctl} -D {pg_dir}/data -l {pg_dir}/server.log -w -o '{opts}' start"
    if os.geteuid() == 0:
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", cmd], check=True, capture_output=True)
    else:
        subprocess.run(cmd, shell=True, check=True, capture_output=True)


def pg_restarts(db: str, corpus: Path, gold: dict, pg_dir: str, restarts: int, rng: random.Random) -> dict:
    port = sa.engine.make_url(db).port
    done, messages, problems = 0, [], []
    for k in range(restarts):
        proc = subprocess.Popen(ingest_cmd(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(rng.uniform(8.0, 20.0))
        if proc.poll() is not None:
            proc.communicate()
            continue
        pg_ctl(pg_dir, "stop", str(port))
        time.sleep(1.0)
        pg_ctl(pg_dir, "start", str(port))
        done += 1
        _, err = proc.communicate(timeout=900)
        last = (err.strip().splitlines() or [""])[-1]
        messages.append((proc.returncode, last[:160]))
        if not clear_message(err):
            problems.append(f"restart {k + 1}: traceback")
        s = state(db)
        if s.get("broken"):
            problems.append(f"after restart {k + 1}: {s['broken']}")
        print(f"  restart {k + 1}/{restarts}: exit {proc.returncode}: {last[:120]}", flush=True)
    r = subprocess.run(ingest_cmd(corpus, db), capture_output=True, text=True)
    final = state(db)
    return {"restarts": done, "messages": messages, "problems": problems, "rerun_rc": r.returncode,
            "lost": len(gold["documents"] - final.get("documents", set())),
            "duplicates": len(final.get("documents", set()) - gold["documents"]),
            "events_differ": len(gold["events"] ^ final.get("events", set()))}


# ---- disk full ---------------------------------------------------------------------------------------

def disk_full(folder: Path, corpus: Path, gold: dict) -> dict:
    """The ingest's file-size limit (RLIMIT_FSIZE) set a little above the empty database: SQLite's writes
    then fail as on a full disk (EFBIG, SQLITE_FULL)."""
    path = folder / "full.db"
    db = f"sqlite:///{path}"
    subprocess.run([str(EXE), "ingest", "-", "--db", db, "--fast", "--no-progress"], input="",
                   capture_output=True, text=True)  # creates the schema (nothing to ingest)
    limit = max(path.stat().st_size, 1) + 256 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = subprocess.run(ingest_cmd(corpus, db), capture_output=True, text=True, preexec_fn=cap)
    last = (r.stderr.strip().splitlines() or [""])[-1]
    middle = state(db)
    again = subprocess.run(ingest_cmd(corpus, db), capture_output=True, text=True)
    final = state(db)
    print(f"  disk full: exit {r.returncode}: {last[:140]}", flush=True)
    return {"rc": r.returncode, "message": last[:200], "clear": clear_message(r.stderr),
            "stored_before_full": len(middle.get("documents", ())), "consistent": not middle.get("broken"),
            "rerun_rc": again.returncode, "lost": len(gold["documents"] - final.get("documents", set())),
            "duplicates": len(final.get("documents", set()) - gold["documents"])}


# ---- hostile feed servers ----------------------------------------------------------------------------

class Hostile(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/hang":
            time.sleep(600)
        elif self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/feed.xml")
            self.end_headers()
        elif self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()  # no Content-Length: the client must count
            chunk = b"<item><title>" + b"x" * 65_000 + b"</title></item>"
            with contextlib.suppress(OSError):
                for _ in range((1 << 30) // len(chunk)):
                    self.wfile.write(chunk)
        elif self.path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(1 << 30))
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()


def feeds(folder: Path) -> list[dict]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out = []
    try:
        for path in ("/hang", "/to-private", "/to-metadata", "/huge", "/huge-declared"):
            db = f"sqlite:///{folder / 'feeds.db'}"
            start = time.monotonic()
            r = _watch_once(base + path, db)
            out.append({"feed": path, "seconds": round(time.monotonic() - start, 1), **r})
            print(f"  feed {path}: {r['message'][:140]} ({out[-1]['seconds']} s)", flush=True)
    finally:
        server.shutdown()
    return out


def _watch_once(url: str, db: str) -> dict:
    """`ingest URL` (one poll) with the loopback server allowed and nothing else private."""
    r = subprocess.run([str(EXE), "ingest", url, "--allow-private", "127.0.0.0/8", "--db", db, "--fast",
                        "--no-progress"], capture_output=True, text=True, timeout=600)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    return {"rc": r.returncode, "clear": clear_message(r.stderr), "message": lines[-1] if lines else ""}


# ---- hostile API requests ------------------------------------------------------------------------------

HOSTILE_VALUES = ["", " ", "a" * 50_001, "9223372036854775808", "-9223372036854775809", "-1", "0", "nan",
                  "inf", "-inf", "1e309", "%00", "\x00", "'; DROP TABLE incidents; --", "AND", "OR NOT",
                  '"', '"no civilian', "(((", "NEAR(", "*", "\U0001f642" * 1000, "2016-13-45", "9999-12-31",
                  "0001-01-01", "-91,200", "1,2,3,4,5", "..%2f..%2fetc%2fpasswd", "\u202eevil", "true"]
ENDPOINTS = {
    "/api/incidents": ["since", "until", "bbox", "near", "radius", "country", "actor", "type", "grade",
                       "contested", "q", "limit", "offset", "unknown"],
    "/api/incidents.geojson": ["bbox", "near", "radius", "actor", "q", "limit", "offset"],
    "/api/events": ["since", "bbox", "near", "radius", "actor", "type", "q", "limit", "offset", "grade"],
    "/api/events.geojson": ["bbox", "actor", "q", "limit", "offset"],
    "/api/stats": ["by", "group", "since", "actor", "q", "strikes", "grade"],
    "/api/control": ["place", "on"],
}


def api_sweep(folder: Path) -> dict:
    """Every listed parameter of every endpoint with each hostile value, plus hostile ids in paths, to a
    real `strikewatch serve` over a database of the project's samples: how many answers were 500."""
    import socket

    import httpx

    db = f"sqlite:///{folder / 'api.db'}"
    subprocess.run([str(EXE), "ingest", str(ROOT / "samples"), "--db", db, "--fast", "--no-progress"],
                   capture_output=True, text=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([str(EXE), "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port),
                             "--tiles", "none"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    statuses: dict[int, int] = {}
    failures = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/api/config", timeout=2).status_code == 200:
                    break
            time.sleep(0.3)
        with httpx.Client(base_url=base, timeout=60) as http:
            requests = [(path, {name: value}) for path, names in ENDPOINTS.items() for name in names
                        for value in HOSTILE_VALUES]
            requests += [(f"/api/{kind}/{value}", {}) for kind in ("incidents", "documents")
                         for value in ("x" * 5000, "%00", "..", "'--", "\u202e")]
            for path, query in requests:
                try:
                    r = http.get(path, params=query)
                    code = r.status_code
                except httpx.HTTPError as exc:
                    code = 0
                    failures.append((path, list(query), type(exc).__name__))
                statuses[code] = statuses.get(code, 0) + 1
                if code >= 500:
                    failures.append((path, {k: v[:40] for k, v in query.items()}, code))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    total = sum(statuses.values())
    print(f"  API: {total} hostile requests: {dict(sorted(statuses.items()))}", flush=True)
    return {"requests": total, "statuses": statuses, "server_errors": failures[:20]}


# ---- main --------------------------------------------------------------------------------------------

def start_pg() -> tuple[str, str]:
    out = subprocess.run(["bash", str(ROOT / "tools" / "pg-throwaway.sh"), "start"], capture_output=True,
                         text=True, check=True).stdout.split()
    return out[0], out[1]


def fresh_pg_db(base: str) -> str:
    import uuid

    name = "faults_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--kills", type=int, default=8, help="kills per database back end")
    ap.add_argument("--restarts", type=int, default=2)
    ap.add_argument("--only", default="sqlite,pg,restart,disk,feeds,api")
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()
    only = set(args.only.split(","))
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="strikewatch-faults."))
    corpus = folder / "corpus.jsonl"
    write_corpus(corpus, args.docs)
    print(f"corpus: {args.docs} documents in {corpus}", flush=True)
    gold: dict = {}
    if only & {"sqlite", "pg", "restart", "disk"}:
        gold_db = f"sqlite:///{folder / 'gold.db'}"
        t = time.monotonic()
        subprocess.run(ingest_cmd(corpus, gold_db), capture_output=True, text=True, check=True)
        gold = state(gold_db)
        print(f"clean ingest: {len(gold['documents'])} documents, {len(gold['events'])} events in "
              f"{time.monotonic() - t:.0f} s", flush=True)
    results: dict = {"docs": args.docs}
    if "sqlite" in only:
        results["sqlite"] = kill_rounds(f"sqlite:///{folder / 'killed.db'}", corpus, gold, args.kills, rng,
                                        "sqlite")
    pg_dir = None
    try:
        if only & {"pg", "restart"}:
            pg_dir, base = start_pg()
            if "pg" in only:
                results["postgresql"] = kill_rounds(fresh_pg_db(base), corpus, gold, args.kills, rng, "pg")
            if "restart" in only:
                results["restart"] = pg_restarts(fresh_pg_db(base), corpus, gold, pg_dir, args.restarts, rng)
    finally:
        if pg_dir:
            subprocess.run(["bash", str(ROOT / "tools" / "pg-throwaway.sh"), "stop", pg_dir],
                           capture_output=True)
    if "disk" in only:
        results["disk_full"] = disk_full(folder, corpus, gold)
    if "feeds" in only:
        results["feeds"] = feeds(folder)
    if "api" in only:
        results["api"] = api_sweep(folder)
    print(json.dumps(results, indent=1, default=str))
    kills = sum(results.get(k, {}).get("kills", 0) for k in ("sqlite", "postgresql"))
    restarts = results.get("restart", {}).get("restarts", 0)
    runs = ("sqlite", "postgresql", "restart", "disk_full")
    lost = sum(results.get(k, {}).get("lost", 0) for k in runs)
    dup = sum(results.get(k, {}).get("duplicates", 0) for k in runs)
    broken = sum(len(results.get(k, {}).get("problems", [])) for k in runs)
    print(f"\n{kills} kills, {restarts} restarts, {lost} lost, {dup} duplicated, {broken} inconsistent "
          "states")


if __name__ == "__main__":
    main()
