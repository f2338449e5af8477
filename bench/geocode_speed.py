"""Batch geocoding speed: start-up time and queries per second of CPU after start-up.

The query stream is the place names of the two benchmark files in their original order (the Airwars
locations with their governorate, then the coalition strike lines' places), run through the same code as
``strikewatch geocode -`` (strikewatch.geo.batch.geocode_lines). Reported twice: the stream as it comes
(repeats answered from the cache, as in a real feed) and its distinct queries only (every one resolved).

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
    out = []
    with (BENCH / "airwars-syria" / "cases.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["location_en"].strip():
                region = r["region_en"].strip()
                out.append(f"{r['location_en'].strip()}, {region}" if region else r["location_en"].strip())
    with (BENCH / "centcom" / "strike_lines_refined.csv").open(encoding="utf-8", newline="") as fh:
        out += [f"near {r['location']}" for r in csv.DictReader(fh) if r["location"].strip()]
    return out


def main() -> int:
    if not BENCH.is_dir():
        print(f"{BENCH} is absent: this benchmark needs ../shared/data.", file=sys.stderr)
        return 1
    t0 = time.process_time()
    from strikewatch.geo import default_gazetteer
    from strikewatch.geo.batch import geocode_lines
    from strikewatch.geo.gazetteer import Gazetteer, _load, read_shipped

    t_import = time.process_time() - t0
    t = time.process_time()
    cold = Gazetteer().extend(read_shipped())
    t_cold = time.process_time() - t
    default_gazetteer()  # writes the index cache if it is missing
    _load.cache_clear()
    t = time.process_time()
    gaz = default_gazetteer()
    t_warm = time.process_time() - t
    stream = queries()
    distinct = list(dict.fromkeys(stream))
    print(f"gazetteer: {len(cold)} places; import {t_import:.2f} s CPU; building the index "
          f"{t_cold:.2f} s CPU; loading the cached index {t_warm:.2f} s CPU")
    # Three runs each, caches emptied before every run; the machine is shared, so the best and the
    # median are both printed.
    for label, qs in (("distinct queries only", distinct), ("stream as it comes", stream)):
        times = []
        for _ in range(3):
            gaz.match_cache.clear()
            gaz.context_cache.clear()
            t = time.process_time()
            n = sum(1 for _ in geocode_lines(qs, country="SY", gazetteer=gaz))
            times.append(time.process_time() - t)
        best, median = min(times), sorted(times)[1]
        print(f"{label:<24}{n:>7} queries: best {n / best:>6.0f} queries/s, median {n / median:>6.0f} "
              f"queries/s (CPU)")
    # The real command, end to end (start-up included), for reference.
    exe = Path(sys.executable).with_name("strikewatch")
    w = time.perf_counter()
    proc = subprocess.run([str(exe), "geocode", "-", "--country", "SY"], input="\n".join(stream) + "\n",
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - w
    lines = proc.stdout.count("\n")
    print(f"`strikewatch geocode -` end to end: {lines} lines in {wall:.2f} s wall (start-up included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
