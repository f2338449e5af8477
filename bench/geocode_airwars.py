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
from collections import defaultdict
from pathlib import Path

from strikewatch.geo import default_gazetteer, geocode
from strikewatch.geo.keys import spaced
from strikewatch.geo.resolve import _admin_context, _Context, km, parse

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
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    shown = 0
    for r in data:
        if not r[field].strip():
            continue
        query = query_of(r, field, region=region)
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


def why(data: list[dict[str, str]]) -> None:
    """What went wrong with the English rows beyond 25 km (see the module docstring)."""
    import numpy as np
    from rapidfuzz import fuzz

    gaz = default_gazetteer()
    pts = [p for p in gaz.places if p.country == "SY" and p.feature not in ("admin1", "admin2", "region")]
    lat, lon = np.array([p.lat for p in pts]), np.array([p.lon for p in pts])
    counts: dict[str, int] = defaultdict(int)
    misses = 0
    for r in data:
        region = r["region_en"].strip()
        query = query_of(r)
        la, lo = float(r["lat"]), float(r["lon"])
        dists = [km(la, lo, c.lat, c.lon) for c in geocode(query, country="SY", limit=5, gazetteer=gaz)]
        if dists and dists[0] <= 25:
            continue
        misses += 1
        d = np.hypot((lat - la) * 111.2, (lon - lo) * 111.2 * np.cos(np.radians(la)))
        nearest = pts[int(np.argmin(d))]
        ctx = _Context()
        _admin_context(gaz, region, ctx)
        if ctx.admin1 and nearest.admin1 and nearest.admin1 not in ctx.admin1 and d.min() < 10:
            counts["the point lies in another governorate than the one written"] += 1
        elif any(x <= 25 for x in dists):
            counts["the right place is among the top 5, not first"] += 1
        else:
            parsed = parse(query)
            anchor = spaced(parsed.anchors[0]) if parsed.anchors else ""
            best = max((fuzz.ratio(anchor, spaced(n)) for i in np.flatnonzero(d < 25)
                        for n in (pts[i].name, *pts[i].names, *pts[i].other)), default=0)
            counts["a similar name within 25 km was not found" if best >= 75
                   else "no similar name within 25 km (absent from the sources)"] += 1
    print(f"\nWhy the {misses} English rows beyond 25 km missed ({len(data)} rows)")
    for k, v in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{v:>6}  {100 * v / len(data):>5.1f}% of rows  {k}")
    print("\nCeiling: rows with a candidate within 25 km among the first N (query, or the name alone)")
    for n in (5, 20):
        hits = 0
        for r in data:
            la, lo = float(r["lat"]), float(r["lon"])
            for query in dict.fromkeys((query_of(r), query_of(r, region=False))):
                cands = geocode(query, country="SY", limit=n, gazetteer=gaz)
                if any(km(la, lo, c.lat, c.lon) <= 25 for c in cands):
                    hits += 1
                    break
        print(f"  first {n:>2}: {100 * hits / len(data):5.1f}%")


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
           run(data, "location_en", args.misses))
    t2 = time.process_time()
    if args.arabic:
        report("Airwars Syria, Arabic names + governorate (location_ar, region_en)",
               run(data, "location_ar", 0, region=True))
        report("Airwars Syria, Arabic names alone (location_ar)", run(data, "location_ar", 0, region=False))
    print(f"\nstart-up {t1 - t0:.1f} s CPU; English pass {t2 - t1:.1f} s CPU")
    if args.why:
        why(data)
    if args.floor:
        from geocode_ucdp import floor_bands  # bench/ is on the path

        floor_bands([(query_of(r), float(r["lat"]), float(r["lon"])) for r in data],
                    "Airwars, name + governorate")
        floor_bands([(query_of(r, region=False), float(r["lat"]), float(r["lon"])) for r in data],
                    "Airwars, the name alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
