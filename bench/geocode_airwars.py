"""Geocoding accuracy on the Airwars Syria archive (evaluation only: nothing here feeds the gazetteer).

Every row of ../shared/data/benchmarks/airwars-syria/cases.csv with coordinates and a location name:
query = location_en as written, then ", " and region_en (the governorate), country SY; the share of top
candidates within 10 km and 25 km of the row's lat/lon, overall and by geo_precision; then the same
with location_ar.

    .venv/bin/python bench/geocode_airwars.py [--rows N] [--misses N]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

from strikewatch.geo import default_gazetteer, geocode
from strikewatch.geo.resolve import km

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT.parent / "shared" / "data" / "benchmarks" / "airwars-syria" / "cases.csv"


def rows(limit: int | None) -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as fh:
        out = [r for r in csv.DictReader(fh) if r["lat"] and r["lon"] and r["location_en"].strip()]
    return out[:limit] if limit else out


def run(data: list[dict[str, str]], field: str, misses: int) -> dict[str, list[int]]:
    """Counts per precision class: [rows, within 10 km, within 25 km, answered]."""
    gaz = default_gazetteer()
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    shown = 0
    for r in data:
        text = r[field].strip()
        if not text:
            continue
        region = r["region_en"].strip()
        query = f"{text}, {region}" if field == "location_en" and region else text
        cands = geocode(query, country="SY", limit=1, gazetteer=gaz)
        d = km(float(r["lat"]), float(r["lon"]), cands[0].lat, cands[0].lon) if cands else None
        for cls in ("all", r["geo_precision"] or "(none)"):
            s = stats[cls]
            s[0] += 1
            s[1] += d is not None and d <= 10
            s[2] += d is not None and d <= 25
            s[3] += d is not None
        if misses and shown < misses and (d is None or d > 25):
            shown += 1
            got = f"{cands[0].name} ({cands[0].admin1}) {d:.0f} km" if cands else "nothing"
            print(f"  miss: {query!r} -> {got}", file=sys.stderr)
    return stats


def report(title: str, stats: dict[str, list[int]]) -> None:
    print(f"\n{title}")
    print(f"{'geo_precision':<26}{'rows':>6}{'<=10 km':>10}{'<=25 km':>10}{'answered':>10}")
    order = ["all"] + sorted((k for k in stats if k != "all"), key=lambda k: -stats[k][0])
    for k in order:
        n, a10, a25, ans = stats[k]
        print(f"{k:<26}{n:>6}{100 * a10 / n:>9.1f}%{100 * a25 / n:>9.1f}%{100 * ans / n:>9.1f}%")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None, help="only the first N rows")
    ap.add_argument("--misses", type=int, default=0, help="print up to N misses (beyond 25 km) to stderr")
    ap.add_argument("--arabic", action=argparse.BooleanOptionalAction, default=True)
    args = ap.parse_args()
    if not CASES.is_file():
        print(f"{CASES} is absent: this benchmark needs ../shared/data.", file=sys.stderr)
        return 1
    t0 = time.process_time()
    default_gazetteer()
    data = rows(args.rows)
    t1 = time.process_time()
    report(f"Airwars Syria, English names + governorate ({len(data)} rows with coordinates)",
           run(data, "location_en", args.misses))
    t2 = time.process_time()
    if args.arabic:
        report("Airwars Syria, Arabic names (location_ar)", run(data, "location_ar", 0))
    print(f"\nstart-up {t1 - t0:.1f} s CPU; English pass {t2 - t1:.1f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
