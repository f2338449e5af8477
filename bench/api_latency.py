"""API latency: p50/p95 of /api/incidents (several filters) and of the dossier over ~100k incidents in SQLite,
and (for information) of the dashboard's map, timeline and facet summaries.

The ledger is generated through the pipeline's public API (``strikewatch.pipeline.ingest`` with ready
Extractions: synthetic strike-release lines at random points of Syria and Iraq, with a second, news
document repeating a tenth of them so those incidents have two sources), then served by
`strikewatch serve` (uvicorn, its own process) on loopback and queried sequentially with httpx.
Latency is wall-clock per request, client side.

    .venv/bin/python bench/api_latency.py                 # builds bench/out/api_latency.db once (minutes)
    .venv/bin/python bench/api_latency.py --incidents 10000 --db /tmp/small.db
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from strikewatch.ids import document_id, event_id
from strikewatch.pipeline import ingest
from strikewatch.records import (
    Actor,
    Claim,
    DateSpan,
    Document,
    Event,
    Evidence,
    Extraction,
    Location,
    Quantities,
    Target,
)
from strikewatch.store import Store

ROOT = Path(__file__).resolve().parent.parent
PER_DAY = 100
DAYS_PER_BLOCK = 10
OBJECTS = ["a vehicle", "a fighting position", "a checkpoint", "a mortar tube", "a staging area", "a bunker"]
ACTORS = [("Coalition", "coalition aircraft"), ("Russia", "Russian jets"),
          ("Iraqi security forces", "Iraqi army aviation"), ("Syrian government forces", "regime aircraft")]


def _event(doc_id: str, text: str, sentence: str, spec: dict, kind: str) -> Event:
    start = text.index(sentence)
    end = start + len(sentence)
    return Event(
        id=event_id(doc_id, start, end, "Air/drone strike"), doc_id=doc_id, type="Explosions/Remote violence",
        sub_type="Air/drone strike", date=DateSpan(spec["day"], spec["day"], "day", None),
        actor=Actor(spec["actor_text"], spec["actor"], None), target=Target(spec["object"], spec["object"]),
        location=Location(f"near {spec['place']}", spec["place"], spec["country"], None, spec["lat"],
                          spec["lon"], 2, None),
        quantities=Quantities(strikes=spec["strikes"]),
        claim=Claim(spec["actor"] if kind == "military" else "local sources",
                    "asserted" if kind == "military" else "reported"),
        evidence=Evidence(sentence, start, end))


def _document(specs: list[dict], kind: str, block: int, published: date) -> Extraction:
    if kind == "military":
        lines = [f"Near {s['place']}, {s['strikes']} strikes destroyed {s['object']} on {s['day']}."
                 for s in specs]
        outlet = "Bench Task Force"
    else:
        lines = [f"Residents said {s['actor_text']} hit {s['object']} near {s['place']} on {s['day']}."
                 for s in specs]
        outlet = "Bench Courier"
    text = f"Bench block {block} ({kind}).\n" + "\n".join(lines) + "\n"
    doc = Document(id=document_id(text), text=text, published=published, outlet=outlet, kind=kind,
                   source=f"bench:{kind}:{block}")
    events = [_event(doc.id, text, line, s, kind) for line, s in zip(lines, specs, strict=True)]
    return Extraction(document=doc, events=events)


def build(url: str, incidents: int, seed: int = 7) -> None:
    """Write ~`incidents` incidents through strikewatch.pipeline.ingest, one block of days per document."""
    rng = random.Random(seed)
    store = Store(url)
    blocks = max(1, incidents // (PER_DAY * DAYS_PER_BLOCK))
    first = date(2015, 1, 1)
    t0 = time.perf_counter()
    site = 0
    for b in range(blocks):
        specs = []
        for d in range(DAYS_PER_BLOCK):
            day = (first + timedelta(days=b * DAYS_PER_BLOCK + d)).isoformat()
            for _ in range(PER_DAY):
                site += 1
                actor, actor_text = rng.choice(ACTORS)
                iraq = rng.random() < 0.4
                specs.append({"day": day, "place": f"Bench site {site}", "country": "IQ" if iraq else "SY",
                              "lat": round(rng.uniform(33.0, 36.8), 5),
                              "lon": round(rng.uniform(41.5, 45.0) if iraq else rng.uniform(36.2, 41.2), 5),
                              "actor": actor, "actor_text": actor_text, "object": rng.choice(OBJECTS),
                              "strikes": rng.randint(1, 4)})
        published = first + timedelta(days=b * DAYS_PER_BLOCK + DAYS_PER_BLOCK)
        repeated = specs[:: 10]
        summary = ingest(store, [_document(specs, "military", b, published),
                                          _document(repeated, "news", b, published)])
        if summary.documents_failed:
            raise SystemExit(f"bench data failed to store: {summary.failures[:1]}")
        if b % 10 == 9 or b == blocks - 1:
            print(f"  built {b + 1}/{blocks} blocks, {store.count_incidents()} incidents, "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
    store.close()


class Server:
    """`strikewatch serve` in its own process (the command users run), on a free loopback port."""

    def __init__(self, db: Path) -> None:
        import socket
        import subprocess

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        exe = Path(sys.executable).with_name("strikewatch")
        command = [str(exe), "serve", "--db", str(db), "--port", str(port), "--tiles", "none"]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        self.proc.stdout.readline()
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(self.url + "/api/config", timeout=5).raise_for_status()
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.2)
        # Let `serve` finish preloading the gazetteer before timing anything: on a loaded machine that
        # takes longer than any fixed pause, so wait until the server has been idle for a second.
        time.sleep(3)
        while time.monotonic() < deadline + 120:
            before = cpu_seconds(self.proc.pid)
            time.sleep(1)
            if cpu_seconds(self.proc.pid) - before < 0.02:
                break

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc (Linux)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


Row = tuple[str, float, float, float, float]


def measure(http: httpx.Client, name: str, paths: list[str], pid: int) -> Row:
    """p50, p95 and mean wall-clock ms per request, and the server's CPU ms per request."""
    for p in paths[:5]:  # warm the caches (SQLite pages, the app's first imports)
        http.get(p).raise_for_status()
    times = []
    cpu = cpu_seconds(pid)
    for p in paths:
        t = time.perf_counter()
        r = http.get(p)
        times.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
    server_cpu = (cpu_seconds(pid) - cpu) * 1000 / len(paths)
    return name, percentile(times, 0.5), percentile(times, 0.95), statistics.mean(times), server_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "api_latency.db"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{db}"
    if args.rebuild and db.exists():
        for p in db.parent.glob(db.name + "*"):
            p.unlink()
    store = Store(url)
    have = store.count_incidents()
    if have < args.incidents * 0.9:
        store.close()
        print(f"building {args.incidents} incidents into {db} through pipeline.ingest ...", flush=True)
        t = time.perf_counter()
        build(url, args.incidents)
        print(f"built in {time.perf_counter() - t:.0f} s", flush=True)
        store = Store(url)
    counts = store.counts()
    print(f"database: {db} ({counts['incidents']} incidents, {counts['events']} events, "
          f"{counts['documents']} documents, {db.stat().st_size / 1e6:.0f} MB)")

    rng = random.Random(11)
    start = rng.randint(0, max(0, counts["incidents"] - 5000))
    ids = [i.id for i in store.incidents(limit=5000, offset=start)]
    multi = [i.id for i in store.incidents(limit=2000) if len(i.documents) > 1] or ids
    first = store.incidents(order="date_asc", limit=1)[0].date.start
    last = store.incidents(limit=1)[0].date.start
    span = (date.fromisoformat(last) - date.fromisoformat(first)).days

    def window() -> str:
        a = date.fromisoformat(first) + timedelta(days=rng.randint(0, max(0, span - 30)))
        return f"since={a}&until={a + timedelta(days=rng.randint(1, 30))}"

    n = args.requests
    few = max(10, n // 10)
    cases = [
        ("/api/incidents (newest 100)", ["/api/incidents?limit=100"] * n),
        ("/api/incidents deep page (offset 40k-60k)",
         [f"/api/incidents?limit=100&offset={rng.randint(40000, 60000)}" for _ in range(n)]),
        ("/api/incidents date window", [f"/api/incidents?{window()}&limit=100" for _ in range(n)]),
        ("/api/incidents bbox", [f"/api/incidents?bbox={(w := round(rng.uniform(36.5, 43), 2))},"
                                 f"{(s := round(rng.uniform(33, 36), 2))},{w + 1},{s + 1}&limit=100"
                                 for _ in range(n)]),
        ("/api/incidents near lat,lon 25 km",
         [f"/api/incidents?near={round(rng.uniform(33.5, 36.5), 3)},{round(rng.uniform(37, 44), 3)}&radius=25"
          for _ in range(n)]),
        ("/api/incidents actor + grade", [f"/api/incidents?actor={rng.choice(ACTORS)[0]}&grade=fair,weak"
                                          "&limit=100" for _ in range(n)]),
        ("/api/incidents contested", [f"/api/incidents?contested=true&limit=100&offset={rng.randint(0, 800)}"
                                      for _ in range(n)]),
        ("/api/incidents type (sub-type)",
         [f"/api/incidents?type=Air/drone strike&limit=100&offset={rng.randint(0, 5000)}" for _ in range(n)]),
        ("/api/incidents/{id} dossier", [f"/api/incidents/{rng.choice(ids)}" for _ in range(n)]),
        ("/api/incidents/{id} dossier, 2 sources", [f"/api/incidents/{rng.choice(multi)}" for _ in range(n)]),
        ("(info) /api/incidents.geojson, 1000 features",
         [f"/api/incidents.geojson?{window()}&limit=1000" for _ in range(max(10, n // 10))]),
        ("/api/incidents outlet",
         [f"/api/incidents?outlet=Bench Courier&limit=100&offset={rng.randint(0, 5000)}" for _ in range(n)]),
        ("/api/incidents oldest first (offset 0-5000)",
         [f"/api/incidents?order=date_asc&limit=100&offset={rng.randint(0, 5000)}" for _ in range(n)]),
        # The dashboard's summaries (issue 14: every incident reachable).
        ("(info) /api/map, framed on all (the first view)", ["/api/map?fit=806x702"] * few),
        ("(info) /api/map, zoom 9 over 1°x1°",
         [f"/api/map?zoom=9&bbox={(w := round(rng.uniform(36.5, 43), 2))},"
          f"{(s := round(rng.uniform(33, 36), 2))},{w + 1},{s + 1}" for _ in range(few)]),
        ("(info) /api/map, grade + belligerent, framed",
         [f"/api/map?fit=806x702&grade=weak&belligerent={rng.choice(ACTORS)[0]}" for _ in range(few)]),
        ("(info) /api/timeline", ["/api/timeline"] * few),
        ("(info) /api/facets", ["/api/facets"] * few),
        ("(info) /api/facets, date window", [f"/api/facets?{window()}" for _ in range(few)]),
    ]
    store.close()
    server = Server(db)
    rows = []
    wall = time.perf_counter()
    try:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            for name, paths in cases:
                rows.append(measure(http, name, paths, server.proc.pid))
                print(f"  {name}: p50 {rows[-1][1]:.1f} ms, p95 {rows[-1][2]:.1f} ms, "
                      f"server CPU {rows[-1][4]:.1f} ms", flush=True)
    finally:
        server.stop()
    print(f"\n{n} sequential requests per row from one client over loopback to `strikewatch serve` "
          f"({time.perf_counter() - wall:.0f} s wall)")
    print("| request | p50 ms | p95 ms | mean ms | server CPU ms/request |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, p50, p95, mean, server_cpu in rows:
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {mean:.1f} | {server_cpu:.1f} |")
    worst = max(r[2] for r in rows if not r[0].startswith("(info)"))
    print(f"\nworst p95: {worst:.1f} ms (goal < 100 ms): {'met' if worst < 100 else 'NOT met'}")
    sys.exit(0)


if __name__ == "__main__":
    main()
