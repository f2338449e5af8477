"""Batch geocoding speed: start-up time and queries per second after start-up.

The query stream is the place names of the two benchmark files in their original order (the Airwars
locations with their governorate, then the coalition strike lines' places), run through the same code as
``strikewatch geocode -`` (strikewatch.geo.batch.geocode_lines). Reported:

- start-up: importing, loading the cached index (and, once, building it), the first query;
- the distinct queries, every one resolved: a cold first pass in a fresh process (nothing of these
  queries cached anywhere: the figure a user's new batch sees), then warm passes (the match caches
  emptied, the string-key caches warm), CPU time;
- the stream as it comes (repeats answered from the cache, as in a real feed), CPU time;
- the distinct queries with ``workers=2`` (two forked processes), wall time, cold;
- ``strikewatch geocode -`` end to end, start-up included.

    .venv/bin/python bench/geocode_speed.py
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "data" / "benchmarks"


def queries() -> list[str]:
    from geocode_airwars import query_of  # the accuracy benchmark's query (bench/ is on the path)

    out = []
    with (BENCH / "airwars-syria" / "cases.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["location_en"].strip():
                out.append(query_of(r))
    with (BENCH / "centcom" / "strike_lines_refined.csv").open(encoding="utf-8", newline="") as fh:
        out += [f"near {r['location']}" for r in csv.DictReader(fh) if r["location"].strip()]
    return out


def cold(workers: int) -> None:
    """One pass over the distinct queries in this fresh process; prints 'seconds cpu-seconds'."""
    from strikewatch.geo import default_gazetteer, geocode
    from strikewatch.geo.batch import geocode_lines

    gaz = default_gazetteer()
    geocode("Raqqa", gazetteer=gaz)  # start-up ends with the first query
    distinct = list(dict.fromkeys(queries()))
    w, c = time.perf_counter(), time.process_time()
    n = sum(1 for _ in geocode_lines(distinct, country="SY", gazetteer=gaz, workers=workers))
    print(n, time.perf_counter() - w, time.process_time() - c)


def run_cold(workers: int) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, __file__, "--cold", str(workers)], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def main() -> int:
    if not BENCH.is_dir():
        print(f"{BENCH} is absent: this benchmark needs ../shared/data.", file=sys.stderr)
        return 1
    t0 = time.process_time()
    from strikewatch.geo import default_gazetteer, geocode
    from strikewatch.geo.batch import geocode_lines
    from strikewatch.geo.gazetteer import Gazetteer, _load, read_shipped

    t_import = time.process_time() - t0
    t = time.process_time()
    cold_index = Gazetteer().extend(read_shipped()).prepare()
    t_build = time.process_time() - t
    default_gazetteer()  # writes the index cache if it is missing
    _load.cache_clear()
    t = time.process_time()
    gaz = default_gazetteer()
    t_load = time.process_time() - t
    t = time.process_time()
    geocode("Raqqa", gazetteer=gaz)
    t_first = time.process_time() - t
    stream = queries()
    distinct = list(dict.fromkeys(stream))
    print(f"gazetteer: {len(cold_index)} places; import {t_import:.2f} s CPU; building the index "
          f"{t_build:.2f} s CPU (once); loading the cached index {t_load:.2f} s CPU; first query "
          f"{t_first:.2f} s CPU")
    runs = [run_cold(1) for _ in range(3)]
    rates = sorted(n / cpu for n, _, cpu in runs)
    print(f"{'distinct, cold pass':<30}{len(distinct):>7} queries: median {rates[1]:>6.0f} queries/s, "
          f"best {rates[-1]:>6.0f} (CPU, fresh process each)")
    for label, qs in (("distinct, warm passes", distinct), ("stream as it comes", stream)):
        times = []
        for _ in range(5):
            gaz.match_cache.clear()
            gaz.context_cache.clear()
            t = time.process_time()
            n = sum(1 for _ in geocode_lines(qs, country="SY", gazetteer=gaz))
            times.append(time.process_time() - t)
        times.sort()
        print(f"{label:<30}{n:>7} queries: median {n / times[2]:>6.0f} queries/s, best {n / times[0]:>6.0f} "
              f"(CPU)")
    runs = [run_cold(2) for _ in range(3)]
    rates = sorted(n / wall for n, wall, _ in runs)
    print(f"{'distinct, cold, workers=2':<30}{len(distinct):>7} queries: median {rates[1]:>6.0f} queries/s, "
          f"best {rates[-1]:>6.0f} (wall, fresh process each)")
    exe = Path(sys.executable).with_name("strikewatch")
    w = time.perf_counter()
    proc = subprocess.run([str(exe), "geocode", "-", "--country", "SY"], input="\n".join(stream) + "\n",
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - w
    print(f"`strikewatch geocode -` end to end: {proc.stdout.count(chr(10))} lines in {wall:.2f} s wall "
          f"(start-up included)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--cold":
        cold(int(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
