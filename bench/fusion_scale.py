"""Fusion scaling on synthetic events (CPU time, peak memory), and fusion quality on the sample reports.

    .venv/bin/python bench/fusion_scale.py                 # 10000 100000 1000000
    .venv/bin/python bench/fusion_scale.py 10000 50000     # chosen sizes
    .venv/bin/python bench/fusion_scale.py --check 3000    # also compare with the unblocked reference
    .venv/bin/python bench/fusion_scale.py --samples       # quality against samples/incidents.json

Quality (``--samples``): the annotated events of samples/annotations.jsonl become Events (places resolved
with strikewatch.geo.locate, everything else as annotated), are fused, and are scored against the
incidents of samples/incidents.json: pairwise precision and recall of "same incident", incidents
reproduced exactly, keep-apart pairs merged, grades and contested flags (where the gold gives one), and
the control checks of samples/control.json. The same is then done end to end, on the events the
extractor finds in the reports (matched to the annotations as bench/samples_eval.py does).

The synthetic world: true occurrences scattered over Syria and Iraq through the days of the run (about
500 event mentions a day, 1M covering five and a half years), each reported by one to four documents of
different outlets, with the differences real reporting has: "near" places a few kilometres apart, vaguer
regions, a second day for night strikes, unknown or disputed actors, other counts, some weekly
summaries, undated and unplaced mentions. Each size runs in its own process so its peak memory (max RSS)
is its own. The figure that matters is fuse_events' CPU time (time.process_time); generating the events
is reported apart.
"""

from __future__ import annotations

import math
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

from strikewatch.records import (
    Actor,
    Claim,
    DateSpan,
    Document,
    Event,
    Evidence,
    Fatalities,
    Location,
    Quantities,
    Target,
)

ACTORS = ["Coalition", "Russia", "Syrian government forces", "Iraqi security forces", "Turkey", None]
TARGETS = ["ISIS", "Syrian opposition", "HTS", None, None]
KINDS = ["Air/drone strike"] * 6 + ["Shelling/artillery/missile attack"] * 2 + ["Armed clash"]
OUTLETS = [f"Outlet {k}" for k in range(40)]
START = date(2015, 1, 1)


def synthetic(n: int, seed: int = 1) -> tuple[list[Event], dict[str, Document]]:
    """About ``n`` event mentions of about n/2.3 occurrences, with their documents."""
    rng = random.Random(seed)
    days = max(7, n // 500)
    docs: dict[str, Document] = {}
    events: list[Event] = []
    doc_fill: dict[tuple[int, int], tuple[str, int]] = {}
    k = 0
    while len(events) < n:
        k += 1
        day = rng.randrange(days)
        lat, lon = rng.uniform(32.5, 37.2), rng.uniform(36.0, 46.0)
        actor = rng.choice(ACTORS)
        target = rng.choice(TARGETS)
        kind = rng.choice(KINDS)
        killed = rng.choice([None, None, 1, 2, 3, 5, 8])
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            outlet = rng.randrange(len(OUTLETS))
            pub = day + rng.choice([0, 1, 1, 2])
            key = (pub, outlet)
            doc_id, used = doc_fill.get(key, (None, 0))
            if doc_id is None or used >= 8:
                doc_id = f"d{len(docs):08d}"
                docs[doc_id] = Document(id=doc_id, text="", published=START + timedelta(days=pub),
                                        outlet=OUTLETS[outlet], kind="news")
                used = 0
            doc_fill[key] = (doc_id, used + 1)
            d0 = day - (1 if rng.random() < 0.05 else 0)
            d1 = day
            precision = rng.choice([1, 2, 2, 2, 3])
            jitter = {1: 0.0, 2: 0.05, 3: 0.3}[precision]
            roll = rng.random()
            if roll < 0.04:  # a weekly summary
                d0, d1 = day - day % 7, day - day % 7 + 6
            start = None if roll > 0.97 else (START + timedelta(days=d0)).isoformat()
            end = None if start is None else (START + timedelta(days=d1)).isoformat()
            placed = rng.random() > 0.05
            loc = Location(text="near somewhere", name=f"P{k}", country="SY" if lon < 42 else "IQ",
                           lat=lat + rng.uniform(-jitter, jitter) if placed else None,
                           lon=lon + rng.uniform(-jitter, jitter) if placed else None,
                           precision=precision if placed else None)
            said_actor = actor if rng.random() > 0.1 else rng.choice(ACTORS)
            eid = f"e{len(events):08d}"
            events.append(Event(
                id=eid, doc_id=doc_id, sub_type=kind,
                type="Battles" if kind == "Armed clash" else "Explosions/Remote violence",
                date=DateSpan(start=start, end=end, precision="day" if d0 == d1 else "range"),
                actor=Actor(text=said_actor, name=said_actor), target=Target(text=target, name=target),
                location=loc, quantities=Quantities(strikes=rng.choice([None, 1, 2])),
                fatalities=Fatalities(killed=killed if rng.random() > 0.2 else rng.choice([None, 4])),
                claim=Claim(speaker=None, modality="asserted" if rng.random() > 0.03 else "disputed"),
                evidence=Evidence(sentence="", start=used * 100, end=used * 100 + 90),
            ))
            if len(events) >= n:
                break
    return events, docs


def run_one(n: int, check: bool) -> None:
    from strikewatch.fuse import fuse_events

    t0 = time.process_time()
    events, docs = synthetic(n)
    t1 = time.process_time()
    incidents = fuse_events(events, docs)
    t2 = time.process_time()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    multi = sum(1 for i in incidents if len(i.documents) > 1)
    contested = sum(1 for i in incidents if i.contested)
    fuse = t2 - t1
    per = fuse / (n * math.log2(n)) * 1e9
    print(f"{n:>9,} events  {len(docs):>8,} docs  {len(incidents):>8,} incidents ({multi:,} multi-source, "
          f"{contested:,} contested)  generate {t1 - t0:6.1f} s  fuse {fuse:6.1f} s CPU  "
          f"{n / fuse:>8,.0f} events/s  {per:5.0f} ns per n*log2(n)  peak RSS {rss:,.0f} MiB", flush=True)
    if check:
        t3 = time.process_time()
        reference = fuse_events(events, docs, blocked=False)
        same = [i.to_dict() for i in reference] == [i.to_dict() for i in incidents]
        print(f"          unblocked reference: {'same answer' if same else 'DIFFERENT ANSWER'} "
              f"({time.process_time() - t3:.1f} s)", flush=True)
        if not same:
            sys.exit(1)


SAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "samples"
NEAR = ("near", "outskirts", "north", "south", "east", "west", "around", "area", "countryside", "road")


def _outlet(file: str, outlets: list[str]) -> str | None:
    slug = file.rsplit("/", 1)[-1].lower()
    return next((o for o in outlets if o.lower().replace(" ", "-") in slug), None)


def gold_events() -> tuple[list[Event], dict[str, Document], dict[str, str]]:
    """The annotated events as Events (event id -> gold incident key in the third value)."""
    import csv
    import json

    from strikewatch.geo import locate
    from strikewatch.records import Effect

    outlets = [row["outlet"] for row in csv.DictReader((SAMPLES / "outlets.csv").open(encoding="utf-8"))]
    docs: dict[str, Document] = {}
    events: list[Event] = []
    key_of: dict[str, str] = {}
    records = [json.loads(line) for line in (SAMPLES / "annotations.jsonl").open(encoding="utf-8")]
    doc_id = {(r["file"], r.get("doc_index") or 0): f"{r['file']}#{r.get('doc_index') or 0}" for r in records}
    for r in records:
        did = doc_id[(r["file"], r.get("doc_index") or 0)]
        copy_of = doc_id.get((r["copy_of"], 0)) if r.get("copy_of") else None
        docs[did] = Document(id=did, text="", published=date.fromisoformat(r["published"]),
                             kind=r.get("kind"), outlet=_outlet(r["file"], outlets), author=r.get("author"),
                             copy_of=copy_of)
        for k, g in enumerate(r.get("events") or []):
            loc = Location(text=g.get("location_text"))
            if g.get("place"):
                found = locate(f"{g['place']}, {g['admin1']}" if g.get("admin1") and g["admin1"] != g["place"]
                               else g["place"], country=g.get("country"))
                if found.lat is not None:
                    loc = found
                    loc.text = g.get("location_text")
                    words = (g.get("location_text") or "").lower().split()
                    if loc.precision == 1 and any(w in NEAR for w in words):
                        loc.precision = 2
            eid = f"{did}/{k}"
            key_of[eid] = g["incident"]
            events.append(Event(
                id=eid, doc_id=did, type=g["type"], sub_type=g["sub_type"],
                date=DateSpan(start=g.get("date_start"), end=g.get("date_end"),
                              precision="day" if g.get("date_start") == g.get("date_end") else "range",
                              text=g.get("date_text")),
                actor=Actor(text=g.get("actor_text") or g.get("actor"), name=g.get("actor")),
                target=Target(text=g.get("target_text") or g.get("target"), name=g.get("target")),
                location=loc,
                quantities=Quantities(strikes=g.get("strikes"), engagements=g.get("engagements"),
                                      sorties=g.get("sorties")),
                effects=[Effect(verb=x["verb"], count=x.get("count"), object=x["object"])
                         for x in g.get("effects") or []],
                fatalities=Fatalities(killed=g.get("killed"), injured=g.get("injured"),
                                      civilians_killed=g.get("civilians_killed"),
                                      children_killed=g.get("children_killed")),
                claim=Claim(speaker=g.get("speaker"), modality=g.get("modality") or "asserted"),
                evidence=Evidence(sentence=g.get("evidence") or "", start=k * 100, end=k * 100 + 50),
            ))
    return events, docs, key_of


def score(events: list[Event], docs: dict[str, Document], key_of: dict[str, str], label: str) -> dict:
    """Print and return how the fused incidents compare with samples/incidents.json and control.json."""
    import itertools
    import json

    from strikewatch.fuse import control_answer, control_timeline, fuse_events, place_key
    from strikewatch.geo import locate

    gold = json.loads((SAMPLES / "incidents.json").read_text(encoding="utf-8"))
    incidents = fuse_events(events, docs)
    home: dict[str, set[str]] = {}
    for inc in incidents:
        for e in inc.events:
            home.setdefault(e, set()).add(inc.id)
    scored = sorted(e for e in key_of if e in home)
    tp = fp = fn = 0
    for a, b in itertools.combinations(scored, 2):
        same_gold = key_of[a] == key_of[b]
        same = bool(home[a] & home[b])
        tp += same_gold and same
        fp += same and not same_gold
        fn += same_gold and not same
    by_key: dict[str, set[str]] = {}
    for e in scored:
        by_key.setdefault(key_of[e], set()).add(e)
    members = {inc.id: {e for e in inc.events if e in key_of} for inc in incidents}
    exact = sum(1 for evs in by_key.values() if any(m == evs for m in members.values()))
    apart = 0
    for pair in gold["keep_apart"]:
        a, b = by_key.get(pair["a"], set()), by_key.get(pair["b"], set())
        apart += any(home[x] & home[y] for x in a for y in b)
    grades = contested = graded = 0
    for g in gold["incidents"]:
        evs = by_key.get(g["key"])
        if not evs:
            continue
        mine = [inc for inc in incidents if evs <= set(inc.events)]
        if not mine:
            continue
        inc = mine[0]
        contested += inc.contested == g["contested"]
        if g["grade"] is not None:
            graded += 1
            grades += inc.grade == g["grade"]
    in_gold = sum(1 for g in gold["incidents"] if by_key.get(g["key"]))
    timeline = control_timeline(events, docs)
    checks = right = 0
    control = json.loads((SAMPLES / "control.json").read_text(encoding="utf-8"))
    keys = _place_keys(events, key_of)
    for place in control["places"]:
        key = keys.get(place["place"]) or place_key(locate(place["place"], country=place["country"]))
        for check in place["checks"]:
            checks += 1
            got = control_answer(timeline.get(key, []), check["on"])["holder"] if key else None
            right += got == check["holder"] or got in (check.get("holder_also") or [])
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    print(f"{label}: {len(scored)} annotated events fused into {len(incidents)} incidents; "
          f"same-incident pairs precision {p:.2f} recall {r:.2f} (tp {tp}, fp {fp}, fn {fn}); gold incidents "
          f"reproduced exactly {exact}/{len(by_key)}; keep-apart pairs merged "
          f"{apart}/{len(gold['keep_apart'])}; grade {grades}/{graded}; "
          f"contested flag {contested}/{in_gold}; control checks {right}/{checks}")
    return {"precision": p, "recall": r, "exact": exact, "apart": apart, "grades": grades, "graded": graded,
            "control": right, "checks": checks}


def _place_keys(events: list[Event], key_of: dict[str, str]) -> dict[str, str]:
    """Control place name -> the place key its territorial events were filed under (as the events say)."""
    import json

    from strikewatch.fuse import place_key

    control = json.loads((SAMPLES / "control.json").read_text(encoding="utf-8"))
    by_incident = {i: p["place"] for p in control["places"] for t in p["timeline"] for i in t["incidents"]}
    out: dict[str, str] = {}
    for e in events:
        place = by_incident.get(key_of.get(e.id, ""))
        key = place_key(e.location)
        if place and key and e.sub_type in CONTROL_TYPES:
            out.setdefault(place, key)
    return out


CONTROL_TYPES = ("Government regains territory", "Non-state actor overtakes territory",
                 "Non-violent transfer of territory")


def extracted_events() -> tuple[list[Event], dict[str, Document], dict[str, str]]:
    """The extractor's events on the sample reports, matched to annotations (as bench/samples_eval.py)."""
    import json

    sys.path.insert(0, str(SAMPLES.parent / "bench"))
    from samples_eval import load, matches

    from strikewatch.errors import DocumentError

    gold_docs, extracted = load()
    incidents = json.loads((SAMPLES / "incidents.json").read_text(encoding="utf-8"))["incidents"]
    wanted = {(m["file"], m["doc_index"] or 0, m["event_index"]): g["key"] for g in incidents
              for m in g["members"]}
    events: list[Event] = []
    docs: dict[str, Document] = {}
    key_of: dict[str, str] = {}
    for key, ex in extracted.items():
        if isinstance(ex, DocumentError):
            continue
        docs[ex.document.id] = ex.document
        events.extend(ex.events)
        used: set[int] = set()
        for k, g in enumerate((gold_docs.get(key) or {}).get("events") or []):
            hit = next((i for i, ev in enumerate(ex.events) if i not in used and matches(g, ev)), None)
            if hit is not None:
                used.add(hit)
                key_of[ex.events[hit].id] = wanted.get((key[0], key[1], k), g["incident"])
    from strikewatch.fuse.copies import find_copy, signature

    seen: dict[str, object] = {}
    for doc in sorted(docs.values(), key=lambda d: (d.published or date.min, d.id)):
        if doc.kind != "comment":
            original = find_copy(signature(doc.text), seen)
            if original:
                doc.copy_of = original
            seen[doc.id] = signature(doc.text)
    return events, docs, key_of


def main(argv: list[str]) -> int:
    if "--samples" in argv:
        score(*gold_events(), "annotated events")
        score(*extracted_events(), "extracted events")
        return 0
    check = "--check" in argv
    sizes = [int(a) for a in argv if a.isdigit()] or [10_000, 100_000, 1_000_000]
    if "--one" in argv:
        run_one(sizes[0], check)
        return 0
    print(f"fusion scaling (python {sys.version.split()[0]}, one process per size)")
    for n in sizes:
        args = [sys.executable, __file__, "--one", str(n)] + (["--check"] if check else [])
        rc = subprocess.call(args)
        if rc:
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
