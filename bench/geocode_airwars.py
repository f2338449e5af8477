"""Geocoding accuracy on the Airwars Syria archive (evaluation only: nothing here feeds the gazetteer).

Every row of ../shared/data/benchmarks/airwars-syria/cases.csv with coordinates and a location name:
query = location_en as written, then ", " and region_en (the governorate), country SY; the share of top
candidates within 10 km and 25 km of the row's lat/lon, overall and by geo_precision; then the same
with location_ar (with region_en, then alone).

    .venv/bin/python bench/geocode_airwars.py [--rows N] [--misses N] [--why] [--floor]

--why sorts the English rows beyond 25 km by what went wrong: the row's point lies in another governorate
than the one written; the right place is among the top 5 but not first; a similar name (rapidfuzz ratio
>= 75) lies within 25 km of the point but was not found; no similar name lies within 25 km (the place is
absent from the sources). It then prints the ceiling of the candidates found: the share of rows for which a
perfect chooser, picking the nearest of the first 5 or 20 candidates (of the query, or else of the name
without its governorate), would land within 25 km. The top candidate can do no better than that.

--floor: the top answers met by spelling likeness alone, by score band, with and without the governorate
(see bench/geocode_ucdp.py).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from _geocode_common import Probe, floor_bands, new_stats, report, tally, why  # bench/ is on the path

from strikewatch.geo import default_gazetteer, geocode
from strikewatch.geo.resolve import km

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT.parent / "shared" / "data" / "benchmarks" / "airwars-syria" / "cases.csv"


def rows(limit: int | None) -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as fh:
        out = [r for r in csv.DictReader(fh) if r["lat"] and r["lon"] and r["location_en"].strip()]
    return out[:limit] if limit else out


def query_of(row: dict[str, str], field: str = "location_en", *, region: bool = True) -> str:
    """The benchmark's query for a row: the name as written, then ", " and the governorate (region_en)."""
    name, gov = row[field].strip(), row["region_en"].strip()
    return f"{name}, {gov}" if region and gov else name


def run(data: list[dict[str, str]], field: str, misses: int, *, region: bool | None = None
        ) -> dict[str, list[int]]:
    """Counts per precision class: [rows, within 10 km, within 25 km, answered]. ``region``: add ", "
    and region_en to the query (default: for location_en only)."""
    region = field == "location_en" if region is None else region
    gaz = default_gazetteer()
    stats = new_stats()
    shown = 0
    for r in data:
        if not r[field].strip():
            continue
        query = query_of(r, field, region=region)
        cands = geocode(query, country="SY", limit=1, gazetteer=gaz)
        d = km(float(r["lat"]), float(r["lon"]), cands[0].lat, cands[0].lon) if cands else None
        for cls in ("all", r["geo_precision"] or "(none)"):
            tally(stats, cls, d)
        if misses and shown < misses and (d is None or d > 25):
            shown += 1
            got = f"{cands[0].name} ({cands[0].admin1}) {d:.0f} km" if cands else "nothing"
            print(f"  miss: {query!r} -> {got}", file=sys.stderr)
    return stats


def probes(data: list[dict[str, str]]) -> list[Probe]:
    return [Probe(query_of(r), query_of(r, region=False), float(r["lat"]), float(r["lon"]),
                  r["region_en"].strip()) for r in data]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None, help="only the first N rows")
    ap.add_argument("--misses", type=int, default=0, help="print up to N misses (beyond 25 km) to stderr")
    ap.add_argument("--arabic", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--why", action="store_true", help="sort the misses by cause (slower)")
    ap.add_argument("--floor", action="store_true", help="likeness-only answers by score band")
    args = ap.parse_args()
    if not CASES.is_file():
        print(f"{CASES} is absent: this benchmark needs ../shared/data.", file=sys.stderr)
        return 1
    t0 = time.process_time()
    default_gazetteer()
    data = rows(args.rows)
    t1 = time.process_time()
    report(f"Airwars Syria, English names + governorate ({len(data)} rows with coordinates)",
           run(data, "location_en", args.misses), "geo_precision", "rows")
    t2 = time.process_time()
    if args.arabic:
        report("Airwars Syria, Arabic names + governorate (location_ar, region_en)",
               run(data, "location_ar", 0, region=True), "geo_precision", "rows")
        report("Airwars Syria, Arabic names alone (location_ar)", run(data, "location_ar", 0, region=False),
               "geo_precision", "rows")
    print(f"\nstart-up {t1 - t0:.1f} s CPU; English pass {t2 - t1:.1f} s CPU")
    if args.why:
        why(probes(data), "rows")
    if args.floor:
        floor_bands([(query_of(r), float(r["lat"]), float(r["lon"])) for r in data],
                    "Airwars, name + governorate")
        floor_bands([(query_of(r, region=False), float(r["lat"]), float(r["lon"])) for r in data],
                    "Airwars, the name alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
