"""Dashboard first render over ~100k incidents in headless Chromium: how long from navigation until the map,
the list, the timeline and the counts are drawn (``body[data-ready]``), and until the facet counts are in.

The database is the one bench/api_latency.py builds (synthetic strike lines through pipeline.ingest),
served by `strikewatch serve` in its own process on loopback; Debian's Chromium is driven by Playwright.
Each run is a fresh browser context (empty cache) at 1440x900. Times are the page's own clock
(``performance.now()``, from navigation start), recorded by a MutationObserver the moment the dashboard
sets ``data-ready``; the server's CPU per page load comes from /proc.

    .venv/bin/python bench/dashboard_render.py --db /tmp/dash-bench/bench100k.db --runs 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_latency import ROOT, Server, build, cpu_seconds  # noqa: E402

from strikewatch.store import Store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# Records when the dashboard marks itself ready (and when its facets arrive), on the page's clock.
WATCH = """
(() => {
  const seen = {};
  const look = () => {
    const b = document.body;
    if (!b) return;
    for (const [key, attr] of [["ready", "ready"], ["facets", "facets"]]) {
      if (!(key in seen) && b.dataset[attr]) seen[key] = performance.now();
    }
    window.__marks = seen;
  };
  new MutationObserver(look).observe(document, {attributes: true, subtree: true, childList: true});
})();
"""


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "api_latency.db"))
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--screenshot", help="save the last run's page here (PNG)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{db}")
    have = store.count_incidents()
    store.close()
    if have < args.incidents * 0.9:
        print(f"building {args.incidents} incidents into {db} ...", flush=True)
        build(f"sqlite:///{db}", args.incidents)
        store = Store(f"sqlite:///{db}")
        have = store.count_incidents()
        store.close()
    print(f"database: {db} ({have} incidents); load average before: {load_average()}", flush=True)
    server = Server(db)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for run in range(args.runs + 1):  # the first run warms the server's caches and is not counted
                context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
                page = context.new_page()
                page.add_init_script(WATCH)
                cpu = cpu_seconds(server.proc.pid)
                wall = time.perf_counter()
                page.goto(server.url + "/")
                page.wait_for_selector("body[data-ready=true]", timeout=60000)
                page.wait_for_function("window.__marks && ('facets' in window.__marks || "
                                       "!document.getElementById('f-outlet'))", timeout=60000)
                outside = time.perf_counter() - wall
                marks = page.evaluate("window.__marks")
                status = page.text_content("#status")
                server_cpu = cpu_seconds(server.proc.pid) - cpu
                if run and args.screenshot and run == args.runs:
                    page.screenshot(path=args.screenshot)
                context.close()
                if run == 0:
                    print(f"  warm-up: ready {marks.get('ready', 0):.0f} ms; status: {status}", flush=True)
                    continue
                rows.append((marks.get("ready"), marks.get("facets"), outside * 1000, server_cpu * 1000))
                print(f"  run {run}: ready {marks.get('ready', 0):.0f} ms, facets "
                      f"{marks.get('facets') or float('nan'):.0f} ms, (client wall {outside * 1000:.0f} ms, "
                      f"server CPU {server_cpu * 1000:.0f} ms), load {load_average()}", flush=True)
            browser.close()
    finally:
        server.stop()
    ready = [r[0] for r in rows if r[0] is not None]
    facets = [r[1] for r in rows if r[1] is not None]
    print(f"\nfirst render (data-ready) over {have} incidents, {len(rows)} runs: min {min(ready):.0f} ms, "
          f"median {statistics.median(ready):.0f} ms, max {max(ready):.0f} ms")
    if facets:
        print(f"facet counts in: min {min(facets):.0f} ms, median {statistics.median(facets):.0f} ms, "
              f"max {max(facets):.0f} ms")
    print(f"server CPU per page load: median {statistics.median(r[3] for r in rows):.0f} ms; "
          f"load average after: {load_average()}; {os.cpu_count()} cores")
    print(f"goal < 2000 ms (median): {'met' if statistics.median(ready) < 2000 else 'NOT met'}")


if __name__ == "__main__":
    main()
