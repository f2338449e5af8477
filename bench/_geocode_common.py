"""What the two geocoding benchmarks (bench/geocode_airwars.py, bench/geocode_ucdp.py) share: the
tally of distances, the report table, the sorting of misses by cause and the likeness floor bands.

A benchmark hands over its rows as ``Probe`` records, so that the same judgement is applied to both
sets: one place of the benchmark, its query (name + governorate), the name alone, the point and the
governorate written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from strikewatch.geo import default_gazetteer, geocode
from strikewatch.geo.keys import spaced
from strikewatch.geo.resolve import _admin_context, _Context, km, parse


@dataclass(frozen=True)
class Probe:
    query: str
    name: str
    lat: float
    lon: float
    gov: str


def tally(stats: dict[str, list[int]], cls: str, d: float | None) -> None:
    """Count one answer at distance ``d`` (None: no answer) into [rows, <=10 km, <=25 km, answered]."""
    s = stats[cls]
    s[0] += 1
    s[1] += d is not None and d <= 10
    s[2] += d is not None and d <= 25
    s[3] += d is not None


def new_stats() -> dict[str, list[int]]:
    return defaultdict(lambda: [0, 0, 0, 0])


def report(title: str, stats: dict[str, list[int]], label: str, unit: str) -> None:
    """The table of one pass: per class, rows and the shares within 10 km, 25 km and answered."""
    print(f"\n{title}")
    print(f"{label:<26}{unit:>7}{'<=10 km':>10}{'<=25 km':>10}{'answered':>10}")
    order = ["all"] * ("all" in stats) + sorted((k for k in stats if k != "all"), key=lambda k: -stats[k][0])
    for k in order:
        n, a10, a25, ans = stats[k]
        print(f"{k:<26}{n:>7}{100 * a10 / n:>9.1f}%{100 * a25 / n:>9.1f}%{100 * ans / n:>9.1f}%")


def why(probes: list[Probe], unit: str) -> None:
    """Sort the probes whose top answer lies beyond 25 km by cause, then print the ceiling of the first
    5 and 20 candidates (of the query, or else of the name alone): what a perfect chooser could reach."""
    import numpy as np
    from rapidfuzz import fuzz

    gaz = default_gazetteer()
    pts = [p for p in gaz.places if p.country == "SY" and p.feature not in ("admin1", "admin2", "region")]
    lat, lon = np.array([p.lat for p in pts]), np.array([p.lon for p in pts])
    counts: dict[str, int] = defaultdict(int)
    misses = 0
    for pr in probes:
        dists = [km(pr.lat, pr.lon, c.lat, c.lon)
                 for c in geocode(pr.query, country="SY", limit=5, gazetteer=gaz)]
        if dists and dists[0] <= 25:
            continue
        misses += 1
        d = np.hypot((lat - pr.lat) * 111.2, (lon - pr.lon) * 111.2 * np.cos(np.radians(pr.lat)))
        nearest = pts[int(np.argmin(d))]
        ctx = _Context()
        _admin_context(gaz, pr.gov, ctx)
        if ctx.admin1 and nearest.admin1 and nearest.admin1 not in ctx.admin1 and d.min() < 10:
            counts["the point lies in another governorate than the one written"] += 1
        elif any(x <= 25 for x in dists):
            counts["the right place is among the top 5, not first"] += 1
        else:
            parsed = parse(pr.query)
            anchor = spaced(parsed.anchors[0]) if parsed.anchors else ""
            best = max((fuzz.ratio(anchor, spaced(n)) for i in np.flatnonzero(d < 25)
                        for n in (pts[i].name, *pts[i].names, *pts[i].other)), default=0)
            counts["a similar name within 25 km was not found" if best >= 75
                   else "no similar name within 25 km (absent from the sources)"] += 1
    print(f"\nWhy the {misses} {unit} beyond 25 km missed ({len(probes)} {unit})")
    for k, v in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{v:>6}  {100 * v / len(probes):>5.1f}% of {unit}  {k}")
    print(f"\nCeiling: {unit} with a candidate within 25 km among the first N (query, or the name alone)")
    for n in (5, 20):
        hits = 0
        for pr in probes:
            for query in dict.fromkeys((pr.query, pr.name)):
                cands = geocode(query, country="SY", limit=n, gazetteer=gaz)
                if any(km(pr.lat, pr.lon, c.lat, c.lon) <= 25 for c in cands):
                    hits += 1
                    break
        print(f"  first {n:>2}: {100 * hits / len(probes):5.1f}%")


def floor_bands(items: list[tuple[str, float, float]], title: str) -> None:
    """Top answers met by spelling likeness alone (no key), by score band with the floor off: how many
    land within 25 km of the point (the evidence for resolve.FUZZY_FLOOR). ``items``: (query, lat, lon)."""
    gaz = default_gazetteer()
    bands: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    for query, la, lo in items:
        cands = geocode(query, country="SY", limit=1, gazetteer=gaz, floor=False)
        if not cands or not cands[0].likeness:
            continue
        band = int(round(cands[0].score * 1000) // 50) / 20
        bands[band][0] += 1
        bands[band][1] += km(la, lo, cands[0].lat, cands[0].lon) <= 25
    print(f"\nLikeness-only top answers by score, no floor: {title}")
    print(f"{'score':<14}{'answers':>8}{'<=25 km':>9}")
    for band in sorted(bands):
        n, ok = bands[band]
        print(f"{band:.2f}-{band + 0.05:.2f}   {n:>8}{ok:>6} ({100 * ok / n:.0f}%)")
