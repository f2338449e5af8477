"""Load: 100 concurrent clients for 60 s against the real `strikewatch serve` on loopback.

A database is built from the project's sample reports, `strikewatch serve` is started as its own process
(one uvicorn worker, as a user runs it), and 100 asyncio clients (httpx, one connection each) cycle
through a mix of dashboard and API requests until the time is up: lists, GeoJSON, dossiers, documents,
control, stats, search, the dashboard page and its script. Each client waits for its answer before
sending the next request, so at most 100 requests are in flight; the run stops by itself.

Printed: requests, requests/s, errors (any non-2xx answer, timeout or connection failure, by kind), and
latency percentiles p50/p95/p99/max over all requests and per endpoint.

    .venv/bin/python bench/load.py [--clients 100] [--seconds 60] [--db sqlite:///existing.db]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).with_name("strikewatch")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_db(url: str) -> None:
    r = subprocess.run([str(EXE), "ingest", str(ROOT / "samples" / "reports"), "--db", url, "--no-progress"],
                       capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise SystemExit(f"could not build the database: {r.stderr.strip()}")


def start_server(url: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([str(EXE), "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port),
                             "--tiles", "none"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"strikewatch serve stopped: {proc.stderr.read().strip()}")
        try:
            if httpx.get(base + "/api/config", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("strikewatch serve did not start within 120 s")


def request_mix(base: str) -> list[tuple[str, str]]:
    """(label, path) pairs; ids come from the served database so dossiers and documents are real."""
    with httpx.Client(base_url=base, timeout=60) as http:
        incidents = http.get("/api/incidents", params={"limit": 20}).json()
        items = incidents.get("incidents", incidents) if isinstance(incidents, dict) else incidents
        events = http.get("/api/events", params={"limit": 20}).json()
        ev = events.get("events", events) if isinstance(events, dict) else events
    mix = [
        ("dashboard", "/"),
        ("app.js", "/static/app.js"),
        ("incidents", "/api/incidents?limit=50"),
        ("incidents filtered", "/api/incidents?since=2016-11-01&until=2016-11-30&limit=50"),
        ("incidents.geojson", "/api/incidents.geojson"),
        ("events", "/api/events?limit=50"),
        ("search", "/api/incidents?q=airstrike&limit=20"),
        ("stats", "/api/stats?by=week&group=type"),
        ("control", "/api/control?place=Palmyra&on=2016-12-12"),
        ("config", "/api/config"),
    ]
    for inc in items[:5]:
        mix.append(("dossier", f"/api/incidents/{inc['id']}"))
    for e in ev[:5]:
        mix.append(("document", f"/api/documents/{e['doc_id']}"))
    return mix


async def timed_get(http: httpx.AsyncClient, path: str) -> tuple[float, str | None]:
    """One GET read to its end: the seconds it took and what went wrong (None for a 2xx answer)."""
    t0 = time.perf_counter()
    error = None
    try:
        r = await http.get(path)
        await r.aread()
        if not 200 <= r.status_code < 300:
            error = f"HTTP {r.status_code}"
    except httpx.TimeoutException:
        error = "timeout"
    except httpx.HTTPError as exc:
        error = type(exc).__name__
    return time.perf_counter() - t0, error


async def client(base: str, mix: list[tuple[str, str]], until: float, offset: int,
                 results: list[tuple[str, float, str | None]]) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        i = offset
        while time.perf_counter() < until:
            label, path = mix[i % len(mix)]
            i += 1
            results.append((label, *await timed_get(http, path)))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def run(base: str, mix: list[tuple[str, str]], clients: int, seconds: float) -> tuple[list, float]:
    results: list[tuple[str, float, str | None]] = []
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(*(client(base, mix, until, k, results) for k in range(clients)))
    return results, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--db", help="serve this database instead of one built from the samples")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/load.db"
        if not args.db:
            build_db(url)
        proc, base = start_server(url)
        try:
            mix = request_mix(base)
            print(f"serving {url} at {base}; {len(mix)} request kinds; {args.clients} clients for "
                  f"{args.seconds:.0f} s; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
            results, elapsed = asyncio.run(run(base, mix, args.clients, args.seconds))
            alive = proc.poll() is None
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    times = [t * 1000 for _, t, _ in results]
    errors = Counter(e for _, _, e in results if e)
    print(f"requests: {len(results):,} in {elapsed:.1f} s = {len(results) / elapsed:,.0f} requests/s; "
          f"errors: {sum(errors.values())}" + (f" ({dict(errors)})" if errors else "")
          + f"; server still running at the end: {alive}")
    print(f"latency ms: p50 {pct(times, 50):.0f}, p95 {pct(times, 95):.0f}, p99 {pct(times, 99):.0f}, "
          f"max {max(times):.0f}, mean {statistics.fmean(times):.0f}")
    by: dict[str, list[float]] = defaultdict(list)
    for label, t, _ in results:
        by[label].append(t * 1000)
    for label, ts in sorted(by.items(), key=lambda kv: -pct(kv[1], 95)):
        print(f"  {label:<20} n={len(ts):>6,}  p50 {pct(ts, 50):>6.0f}  p95 {pct(ts, 95):>6.0f}  "
              f"p99 {pct(ts, 99):>6.0f}")
    return 0 if not errors and alive else 1


if __name__ == "__main__":
    sys.exit(main())
