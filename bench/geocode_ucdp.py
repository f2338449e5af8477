"""Geocoding accuracy on UCDP GED Syria 2016-2019 (evaluation only: nothing here feeds the gazetteer).

Every distinct place of ../shared/data/benchmarks/ucdp-ged-syria/ged_syria_2016-2019.csv coded with
``where_prec`` 1 (the exact place) or 2 (within about 25 km): query = ``where_coordinates`` as written,
then ", " and ``adm_1`` without " Governorate", country SY; the point is that of the query's first event.
The share of top candidates within 10 km and 25 km of it, overall, by ``where_prec`` and by the kind word
UCDP writes last ("village", "town", "camp", "Airbase" ...; "(other)" for a name without one).

    .venv/bin/python bench/geocode_ucdp.py [--misses N] [--why] [--floor] [--context]

--why sorts the misses (beyond 25 km) by cause, as bench/geocode_airwars.py does: the point lies in
another governorate than the one written; the right place is among the top 5 but not first; a similar
name (rapidfuzz ratio >= 75) lies within 25 km of the point but was not found; no similar name lies
within 25 km (absent from the sources); and prints the ceiling of the first 5 and 20 candidates.

--floor prints, for the top candidates that are fuzzy matches (neither an exact key nor the area
fallback), how many land within 25 km per score band: the evidence for the score floor below which an
answer is dropped (resolve.FUZZY_FLOOR).

--context geocodes the places of each source article that names two or more, by their names alone,
without and with the article's other places as context (what extraction passes the geocoder).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

from _geocode_common import Probe, floor_bands, new_stats, report, tally, why  # bench/ is on the path

from strikewatch.geo import default_gazetteer, geocode
from strikewatch.geo.resolve import km

ROOT = Path(__file__).resolve().parent.parent
GED = ROOT.parent / "shared" / "data" / "benchmarks" / "ucdp-ged-syria" / "ged_syria_2016-2019.csv"

# UCDP's own kind words, grouped for the report (the bench's reading of the file, not the geocoder's)
KINDS = {
    "village": "village", "town": "town", "city": "town", "suburb": "suburb", "area": "area",
    "locality": "area", "governorate": "governorate", "subdistrict": "area", "district": "area",
}
FACILITY = {"base", "airbase", "airport", "camp", "checkpoint", "dam", "field", "fields", "oilfield",
            "plant", "prison", "brigade", "complex", "reservoir", "station", "crossing", "academy",
            "battalion", "regiment", "school", "hospital", "barracks", "factory", "college"}
LAND = {"mountain", "hill", "farm", "farms", "island", "lake", "road", "valley", "plain", "plains",
        "desert", "mount", "wadi", "tall", "tal", "tell", "jabal", "jebel"}


def kind_of(name: str) -> str:
    words = name.lower().replace("(", " ").replace(")", " ").split()
    last = words[-1] if words else ""
    if last in KINDS:
        return KINDS[last]
    if last in FACILITY:
        return "facility"
    if last in LAND or (words and words[0] in LAND):
        return "land feature"
    return "(other)"


def rows() -> list[dict[str, str]]:
    """One row per distinct query, in file order: query, lat, lon, where_prec, kind, governorate."""
    seen: dict[str, dict[str, str]] = {}
    with GED.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            prec = r["where_prec"].split(".")[0]
            if prec not in ("1", "2") or not r["where_coordinates"].strip():
                continue
            gov = r["adm_1"].replace(" Governorate", "").strip()
            name = r["where_coordinates"].strip()
            query = f"{name}, {gov}" if gov else name
            if query not in seen:
                seen[query] = {"query": query, "name": name, "lat": r["latitude"], "lon": r["longitude"],
                               "prec": prec, "kind": kind_of(name), "gov": gov}
    return list(seen.values())


def run(data: list[dict[str, str]], misses: int) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Counts [rows, within 10 km, within 25 km, answered] by where_prec and by kind word."""
    gaz = default_gazetteer()
    by_prec, by_kind = new_stats(), new_stats()
    shown = 0
    for r in data:
        cands = geocode(r["query"], country="SY", limit=1, gazetteer=gaz)
        d = km(float(r["lat"]), float(r["lon"]), cands[0].lat, cands[0].lon) if cands else None
        for table, cls in ((by_prec, "all"), (by_prec, r["prec"]), (by_kind, r["kind"])):
            tally(table, cls, d)
        if misses and shown < misses and (d is None or d > 25):
            shown += 1
            c = cands[0] if cands else None
            got = f"{c.name} ({c.admin1}, {c.feature}) {d:.0f} km" if c else "nothing"
            print(f"  miss: {r['query']!r} -> {got}", file=sys.stderr)
    return by_prec, by_kind


def floor(data: list[dict[str, str]]) -> None:
    floor_bands([(r["query"], float(r["lat"]), float(r["lon"])) for r in data], "UCDP, name + governorate")
    floor_bands([(r["name"], float(r["lat"]), float(r["lon"])) for r in data], "UCDP, the name alone")


def documents() -> list[list[tuple[str, float, float]]]:
    """The places of each source article (``source_article``) that names two or more distinct places of
    where_prec 1-2: (the name as UCDP writes it, lat, lon)."""
    groups: dict[str, dict[str, tuple[str, float, float]]] = defaultdict(dict)
    with GED.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            name = r["where_coordinates"].strip()
            if r["where_prec"].split(".")[0] in ("1", "2") and name and r["source_article"].strip():
                point = (name, float(r["latitude"]), float(r["longitude"]))
                groups[r["source_article"]].setdefault(name, point)
    return [list(g.values()) for g in groups.values() if len(g) > 1]


def context_run() -> None:
    """Each place of a multi-place article geocoded by its name alone (a document seldom names the
    governorate), without and with the article's other places as ``context``, as extraction passes them."""
    gaz = default_gazetteer()
    docs = documents()
    counts = {"without": [0, 0, 0], "with": [0, 0, 0]}
    for places in docs:
        for i, (name, la, lo) in enumerate(places):
            others = [p[0] for j, p in enumerate(places) if j != i]
            for label, ctx in (("without", None), ("with", others)):
                c = geocode(name, country="SY", limit=1, context=ctx, gazetteer=gaz)
                d = km(la, lo, c[0].lat, c[0].lon) if c else None
                s = counts[label]
                s[0] += 1
                s[1] += d is not None and d <= 10
                s[2] += d is not None and d <= 25
    n = counts["without"][0]
    print(f"\nDocument context: {n} places of {len(docs)} source articles naming 2+ places, name alone")
    for label, (m, a10, a25) in counts.items():
        print(f"  {label:<8} the article's other places: {100 * a10 / m:5.1f}% <= 10 km, "
              f"{100 * a25 / m:5.1f}% <= 25 km")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", type=int, default=0, help="print up to N misses (beyond 25 km) to stderr")
    ap.add_argument("--why", action="store_true", help="sort the misses by cause (slower)")
    ap.add_argument("--floor", action="store_true", help="likeness-only answers by score band")
    ap.add_argument("--context", action="store_true", help="articles' other places as context")
    args = ap.parse_args()
    if not GED.is_file():
        print(f"{GED} is absent: this benchmark needs ../shared/data.", file=sys.stderr)
        return 1
    t0 = time.process_time()
    default_gazetteer()
    data = rows()
    t1 = time.process_time()
    by_prec, by_kind = run(data, args.misses)
    t2 = time.process_time()
    report(f"UCDP GED Syria, where_coordinates + adm_1, where_prec 1-2 ({len(data)} distinct places)",
           by_prec, "where_prec", "places")
    report("By the kind word UCDP writes last", by_kind, "kind", "places")
    print(f"\nstart-up {t1 - t0:.1f} s CPU; pass {t2 - t1:.1f} s CPU")
    if args.why:
        why([Probe(r["query"], r["name"], float(r["lat"]), float(r["lon"]), r["gov"]) for r in data],
            "places")
    if args.floor:
        floor(data)
    if args.context:
        context_run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
