"""Headline-level extraction on UCDP GED Syria 2016-2019 (../shared/data/benchmarks/ucdp-ged-syria).

Every UCDP event cites one or more source headlines (``source_headline``, ``;``-separated, one
``source_date`` each). Each distinct headline is extracted once, as a document published on its source
date (else the event's ``date_start``), without the gazetteer. All UCDP events are violent, so a headline
with any event counts as found. By ``type_of_violence`` (1 state-based, 2 non-state, 3 one-sided) the
script reports: found; type consistent (1 and 2: a Battles or Explosions/Remote violence event; 3: an
event against civilians - Violence against civilians, or a strike, shelling or clash whose target or toll
is civilian); sides named (an event's actor or target is one of the canonical actors that stand for
``side_a`` / ``side_b`` under the scoring convention ``SIDES`` below). Then deaths where ``best`` > 0:
any toll extracted, and the largest toll equal to ``best`` (summed over the events citing the headline;
also on headlines that are the only source of exactly one event). No fixed goal.

    .venv/bin/python bench/ucdp_headlines.py [--data ../shared/data] [--limit N] [--show 5] [--model NAME]
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from strikewatch.errors import DocumentError
from strikewatch.ids import document_id
from strikewatch.pipeline import extract_documents
from strikewatch.records import Document, Event

ROOT = Path(__file__).resolve().parent.parent
TYPES = {"1": "state-based", "2": "non-state", "3": "one-sided"}

# Scoring convention: which canonical actors of lexicon/actors.yaml (and the target name "civilians")
# stand for a UCDP side. Pro-government foreign forces count for the Syrian government, as UCDP codes
# their fighting in the government's dyads. A faction not listed (most of UCDP's rebel groups) is an
# insurgent; an unlisted "Government of ..." matches nothing.
REBELS = frozenset({"Syrian opposition", "Syrian National Army", "HTS", "Jabhat Fateh al-Sham", "al-Qaeda"})
SIDES: dict[str, frozenset[str]] = {
    "Government of Syria": frozenset({"Syrian government forces", "Russia", "Iran", "Hezbollah"}),
    "Government of Russia (Soviet Union)": frozenset({"Russia"}),
    "Government of Iran": frozenset({"Iran", "Hezbollah"}),
    "Government of Turkey": frozenset({"Turkey", "Syrian National Army"}),
    "Government of Iraq": frozenset({"Iraqi security forces", "Popular Mobilization Forces"}),
    "Government of Israel": frozenset({"Israel"}),
    "Government of Jordan": frozenset({"Jordan"}),
    "Government of United States of America": frozenset({"Coalition"}),
    "IS": frozenset({"ISIS"}),
    "SDF": frozenset({"SDF"}),
    "PKK": frozenset({"SDF"}),
    "Hezbollah": frozenset({"Hezbollah"}),
    "Civilians": frozenset({"civilians"}),
}
_CODE = re.compile(r"^(?:RS?\d+|https?://\S+)$")
FIGHTING = {"Battles", "Explosions/Remote violence"}


def side_names(side: str) -> frozenset[str]:
    """The canonical names a UCDP side (possibly a comma-separated alliance) may be written as."""
    if side in SIDES:
        return SIDES[side]
    names: set[str] = set()
    for part in side.split(", "):
        part = part.strip()
        if part in SIDES:
            names |= SIDES[part]
        elif part and not part.startswith("Government of"):
            names |= REBELS
    return frozenset(names)


@dataclass
class Headline:
    text: str
    published: date | None
    rows: list[dict[str, str]] = field(default_factory=list)
    sole_source: bool = False  # the only source of its (single) event


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def read_headlines(path: Path) -> tuple[list[Headline], int]:
    """Distinct headlines in file order, each with the UCDP events citing it; and the count skipped."""
    by_text: dict[str, Headline] = {}
    skipped = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            raw = html.unescape(row["source_headline"])  # entities hold ";" ("&#8220;")
            dates = row["source_date"].split(";")
            parts = raw.split(";") if len(dates) > 1 else [raw]
            if len(parts) != len(dates):
                dates = [row["date_start"]] * len(parts)
            for text, day in zip(parts, dates, strict=True):
                text = " ".join(text.split())
                if len(text.split()) < 4 or _CODE.match(text):
                    skipped += 1  # a report number, a link or a bare label, not a headline
                    continue
                h = by_text.get(text)
                if h is None:
                    published = parse_date(day) or parse_date(row["date_start"])
                    h = by_text[text] = Headline(text, published)
                h.rows.append(row)
                h.sole_source = len(parts) == 1
    for h in by_text.values():
        h.sole_source = h.sole_source and len(h.rows) == 1
    return list(by_text.values()), skipped


def type_ok(kind: str, events: list[Event]) -> bool:
    """An event of the kind UCDP's type of violence implies."""
    for ev in events:
        if kind in ("1", "2") and ev.type in FIGHTING:
            return True
        if kind == "3" and (
            ev.type == "Violence against civilians"
            or ev.target.name == "civilians"
            or (ev.fatalities.civilians_killed or 0) > 0
            or (ev.fatalities.children_killed or 0) > 0
        ):
            return True
    return False


def named(events: list[Event]) -> set[str]:
    """Canonical names of the parties the events name (actor or target)."""
    return {n for ev in events for n in (ev.actor.name, ev.target.name) if n and n != "unknown"}


def toll(events: list[Event]) -> int | None:
    """The largest death toll any event carries."""
    values = [v for ev in events for v in (ev.fatalities.killed, ev.fatalities.civilians_killed) if v]
    values += [0 for ev in events if ev.fatalities.killed == 0]
    return max(values) if values else None


def pct(k: int, n: int) -> str:
    return f"{100 * k / n:5.1f}%" if n else "    -"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=0, help="only the first N distinct headlines")
    ap.add_argument("--show", type=int, default=0, help="print this many misses per type of violence")
    ap.add_argument("--model", default=None, help="spaCy pipeline name passed to extract_documents")
    args = ap.parse_args()
    path = args.data / "benchmarks/ucdp-ged-syria/ged_syria_2016-2019.csv"
    if not path.exists():
        print(f"no benchmark data at {path}", file=sys.stderr)
        return 2
    heads, skipped = read_headlines(path)
    if args.limit:
        heads = heads[: args.limit]
    docs = [Document(id=document_id(h.text), text=h.text, published=h.published) for h in heads]
    t0 = time.process_time()
    results = list(extract_documents(docs, model=args.model, geocode=False))
    cpu = time.process_time() - t0

    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses: dict[str, list[tuple[Headline, list[Event], str]]] = defaultdict(list)
    deaths = defaultdict(int)
    errors = 0
    for h, ex in zip(heads, results, strict=True):
        if isinstance(ex, DocumentError):
            errors += 1
            events: list[Event] = []
        else:
            events = list(ex.events)
        names = named(events)
        for kind in sorted({r["type_of_violence"].split(".")[0] for r in h.rows}):
            rows = [r for r in h.rows if r["type_of_violence"].split(".")[0] == kind]
            s = stats[kind]
            s["n"] += 1
            s["found"] += bool(events)
            s["type"] += type_ok(kind, events)
            a = any(names & side_names(r["side_a"]) for r in rows)
            b = any(names & side_names(r["side_b"]) for r in rows)
            s["side_a"] += a
            s["side_b"] += b
            s["either"] += a or b
            s["both"] += any(
                names & side_names(r["side_a"]) and names & side_names(r["side_b"]) for r in rows
            )
            if not events:
                misses[kind].append((h, events, "no event"))
            elif not (a or b):
                misses[kind].append((h, events, "no side"))
        best = sum(int(float(r["best"] or 0)) for r in h.rows)
        if best > 0:
            got = toll(events)
            deaths["n"] += 1
            deaths["any"] += got is not None
            deaths["exact"] += got == best
            if h.sole_source:
                deaths["sole_n"] += 1
                deaths["sole_any"] += got is not None
                deaths["sole_exact"] += got == best

    n = len(heads)
    print(
        f"UCDP GED Syria headlines: {n} distinct ({skipped} citations of a label or report number skipped; "
        f"{errors} errors)"
    )
    print(
        f"\n{'type of violence':18} {'n':>6} {'found':>7} {'type ok':>8} {'side_a':>7} {'side_b':>7} "
        f"{'either':>7} {'both':>7}"
    )
    total = {k: sum(s[k] for s in stats.values()) for k in ("n", "found")}
    for kind in sorted(stats):
        s = stats[kind]
        cells = [f"{pct(s[k], s['n']):>7}" for k in ("found", "type", "side_a", "side_b", "either", "both")]
        cells[1] = f" {cells[1]}"
        print(f"  {kind} {TYPES[kind]:13} {s['n']:6} " + " ".join(cells))
    print(f"  (a headline citing events of two types counts under both: {total['n']} rows of the table)")
    print(f"\ndeaths (headlines whose UCDP events have best > 0): {deaths['n']}")
    print(f"  any toll extracted:            {pct(deaths['any'], deaths['n'])}")
    print(f"  largest toll == summed best:   {pct(deaths['exact'], deaths['n'])}")
    print(f"  sole source of one event:      {deaths['sole_n']}")
    print(f"    any toll extracted:          {pct(deaths['sole_any'], deaths['sole_n'])}")
    print(f"    largest toll == best:        {pct(deaths['sole_exact'], deaths['sole_n'])}")
    print(f"\nCPU time {cpu:.1f} s ({n / cpu:.0f} headlines per CPU-second)")

    if args.show:
        for kind in sorted(misses):
            for why in ("no event", "no side"):
                shown = [m for m in misses[kind] if m[2] == why][: args.show]
                for h, events, _ in shown:
                    sides = sorted({f"{r['side_a']} v {r['side_b']}" for r in h.rows})
                    got = [(e.sub_type, e.actor.name, e.target.name) for e in events] or "nothing"
                    best = sum(int(float(r["best"] or 0)) for r in h.rows)
                    print(f"\n{why.upper()} type {kind} {sides} best={best}: {got}\n    {h.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
