"""API under concurrent load: 100 clients at once against the real `strikewatch serve` over ~100k incidents.

The database is the one `bench/api_latency.py` builds through `strikewatch.pipeline.ingest` (99,783 incidents
from synthetic strike lines, a tenth with two sources; built once, minutes). `strikewatch serve` runs as
its own process (one uvicorn worker, as a user starts it) on loopback; ``--clients`` asyncio clients
(httpx, one connection each) each send a request, wait for the answer, then think for a random time
(exponential, mean ``--think`` seconds; 0 = send the next at once, a closed loop that measures the
server saturated) until ``--seconds`` are up. The requests are what the dashboard and API users ask for
over such a ledger: incident pages (newest, deep pages, date windows, map boxes, actor + grade), dossiers,
GeoJSON windows, the chart's series, the config. The run stops by itself.

Printed: requests, requests/s, errors (non-2xx, timeouts, refused connections), latency p50/p95/p99 over
all requests and per kind (wall-clock, client side: on a shared machine it includes waiting for a core),
the server's CPU per request (from /proc) and the load average before and after.

    .venv/bin/python bench/api_load.py [--clients 100] [--seconds 60] [--think 1.0] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_latency import ACTORS, Server, build, cpu_seconds  # noqa: E402 - the shared ledger and server
from load import timed_get  # noqa: E402 - one timed request, as bench/load.py makes it

from strikewatch.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# (kind, weight): a browsing mix, lists and dossiers first
KINDS = [("incidents newest", 10), ("incidents page", 10), ("incidents date window", 10),
         ("incidents bbox", 8), ("incidents actor + grade", 6), ("dossier", 30),
         ("geojson window (1000)", 8), ("stats (chart)", 6), ("stats window", 6), ("config", 6)]


def make_path(kind: str, rng: random.Random, ids: list[str], first: date, span: int) -> str:
    def window() -> str:
        a = first + timedelta(days=rng.randint(0, max(0, span - 30)))
        return f"since={a}&until={a + timedelta(days=rng.randint(1, 30))}"

    if kind == "incidents newest":
        return "/api/incidents?limit=100"
    if kind == "incidents page":
        return f"/api/incidents?limit=100&offset={rng.randint(0, 50_000)}"
    if kind == "incidents date window":
        return f"/api/incidents?{window()}&limit=100"
    if kind == "incidents bbox":
        w, s = round(rng.uniform(36.5, 43), 2), round(rng.uniform(33, 36), 2)
        return f"/api/incidents?bbox={w},{s},{w + 1},{s + 1}&limit=100"
    if kind == "incidents actor + grade":
        return f"/api/incidents?actor={rng.choice(ACTORS)[0]}&grade=fair,weak&limit=100"
    if kind == "dossier":
        return f"/api/incidents/{rng.choice(ids)}"
    if kind == "geojson window (1000)":
        return f"/api/incidents.geojson?{window()}&limit=1000"
    if kind == "stats (chart)":
        return "/api/stats?by=week&group=type"
    if kind == "stats window":
        return f"/api/stats?by=day&group=actor&{window()}"
    return "/api/config"


async def client(n: int, base: str, until: float, think: float, ids: list[str], first: date, span: int,
                 results: list[tuple[str, float, str | None]]) -> None:
    rng = random.Random(1000 + n)
    kinds, weights = zip(*KINDS, strict=True)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        if think:
            await asyncio.sleep(rng.uniform(0, think))  # clients arrive spread out, not all at once
        while time.perf_counter() < until:
            kind = rng.choices(kinds, weights)[0]
            path = make_path(kind, rng, ids, first, span)
            results.append((kind, *await timed_get(http, path)))
            if think:
                await asyncio.sleep(rng.expovariate(1.0 / think))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


async def run(args: argparse.Namespace, base: str, ids: list[str], first: date, span: int
              ) -> tuple[list, float]:
    results: list[tuple[str, float, str | None]] = []
    start = time.perf_counter()
    until = start + args.seconds
    await asyncio.gather(*(client(n, base, until, args.think, ids, first, span, results)
                           for n in range(args.clients)))
    return results, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(ROOT / "bench" / "out" / "api_latency.db"))
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=1.0, help="mean seconds a client waits between requests")
    args = ap.parse_args()
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{db}"
    store = Store(url)
    if store.count_incidents() < args.incidents * 0.9:
        store.close()
        print(f"building {args.incidents} incidents into {db} (api_latency.py's ledger) ...", flush=True)
        build(url, args.incidents)
        store = Store(url)
    n_incidents = store.count_incidents()
    ids = [i.id for i in store.incidents(limit=5000, offset=random.Random(11).randint(0, n_incidents - 5000))]
    first = date.fromisoformat(store.incidents(order="date_asc", limit=1)[0].date.start)
    last = date.fromisoformat(store.incidents(limit=1)[0].date.start)
    store.close()
    server = Server(db)
    try:
        load_before = os.getloadavg()[0]
        cpu0 = cpu_seconds(server.proc.pid)
        results, elapsed = asyncio.run(run(args, server.url, ids, first, (last - first).days))
        server_cpu = cpu_seconds(server.proc.pid) - cpu0
        alive = server.proc.poll() is None
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
    times = [t * 1000 for _, t, _ in results]
    errors = Counter(e for _, _, e in results if e)
    print(f"{n_incidents:,} incidents in {db}; {args.clients} clients, think {args.think:g} s, "
          f"{args.seconds:g} s; {os.cpu_count()} CPUs, load average {load_before:.1f} before, "
          f"{load_after:.1f} after")
    print(f"requests: {len(results):,} in {elapsed:.1f} s = {len(results) / elapsed:,.1f} requests/s; "
          f"errors: {sum(errors.values())}" + (f" ({dict(errors)})" if errors else "")
          + f"; server up at the end: {alive}")
    print(f"server CPU: {server_cpu:.1f} s = {1000 * server_cpu / max(1, len(results)):.1f} ms per request, "
          f"{server_cpu / elapsed:.0%} of one core")
    print(f"latency ms, all requests: p50 {pct(times, 50):.1f}, p95 {pct(times, 95):.1f}, "
          f"p99 {pct(times, 99):.1f}, max {max(times):.1f}, mean {statistics.fmean(times):.1f}")
    by: dict[str, list[float]] = defaultdict(list)
    for kind, t, _ in results:
        by[kind].append(t * 1000)
    print("| request | n | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind, _ in KINDS:
        ts = by.get(kind, [])
        print(f"| {kind} | {len(ts)} | {pct(ts, 50):.1f} | {pct(ts, 95):.1f} | {pct(ts, 99):.1f} |")
    return 0 if not errors and alive else 1


if __name__ == "__main__":
    sys.exit(main())
