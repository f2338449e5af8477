"""Fusion scaling on synthetic events: CPU time and peak memory for 10k, 100k and 1M events.

    .venv/bin/python bench/fusion_scale.py                 # 10000 100000 1000000
    .venv/bin/python bench/fusion_scale.py 10000 50000     # chosen sizes
    .venv/bin/python bench/fusion_scale.py --check 3000    # also compare with the unblocked reference

The synthetic world: true occurrences scattered over Syria and Iraq through the days of the run (about
500 event mentions a day, 1M covering five and a half years), each reported by one to four documents of different outlets, with the
differences real reporting has: "near" places a few kilometres apart, vaguer regions, a second day for
night strikes, unknown or disputed actors, other counts, some weekly summaries, undated and unplaced
mentions. Each size runs in its own process so its peak memory (max RSS) is its own. The figure that
matters is fuse_events' CPU time (time.process_time); generating the events is reported apart.
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


def main(argv: list[str]) -> int:
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
