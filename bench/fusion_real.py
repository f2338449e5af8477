"""Fusion on real news: do articles of different outlets about one event end up in one incident? (FA-KES)

The FA-KES articles (../shared/data/benchmarks/fa-kes, evaluation only) are extracted the way
bench/fakes.py reads them (dateline rule on, the outlet from the ``source`` column), and all their events
are fused at once with ``strikewatch.fuse.fuse_events``. Candidate pairs are two articles of different
outlets with the same crowd date and governorate. Two articles are predicted "same incident" when one
incident holds an event of each.

The gold is a judgement made by reading: ``bench/data/fakes_pairs.csv`` holds, for a seeded random sample
of the candidate pairs, the two articles' ``unit_id`` and ``same`` (1: both articles report the same
main event, 0: they do not), judged by a Strikewatch engineer reading both articles; no text of the
articles is kept. Printed: how many candidate pairs there are, precision and recall of "same incident"
on the judged pairs, and the fusion's CPU time on these events. ``--judge N`` prints N unjudged pairs
(the first 600 characters of each article) to extend the gold file by reading; ``--show`` prints the
judged pairs the fusion gets wrong.

    .venv/bin/python bench/fusion_real.py [--data ../shared/data] [--cache /tmp/fakes.jsonl] [--fast]
                                          [--judge N] [--show]

Fusion's cost at scale (1M synthetic events) is bench/fusion_scale.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from strikewatch.errors import DocumentError
from strikewatch.fuse import fuse_events
from strikewatch.pipeline import extract_documents
from strikewatch.records import Document, Event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fakes import make_doc  # noqa: E402 - the sibling bench reads the articles the same way

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "data" / "fakes_pairs.csv"
SEED = 13


def _load_rows(data: Path) -> list[dict[str, str]]:
    path = data / "benchmarks/fa-kes/FA-KES-Dataset.csv"
    if not path.exists():
        raise SystemExit(f"no benchmark data at {path}")
    csv.field_size_limit(1 << 26)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _extract(rows: list[dict[str, str]], cache: Path | None, fast: bool
             ) -> tuple[dict[str, Document], list[Event]]:
    """Documents by id and all their events; read from ``cache`` when it exists, else written to it."""
    documents: dict[str, Document] = {}
    events: list[Event] = []
    if cache is not None and cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            doc = Document.from_dict(item["document"])
            documents[doc.id] = doc
            events.extend(Event.from_dict(e) for e in item["events"])
        return documents, events
    docs = [make_doc(i, r) for i, r in enumerate(rows)]
    lines = []
    for i, (row, result) in enumerate(zip(rows, extract_documents(docs, fast=fast), strict=True)):
        if isinstance(result, DocumentError):
            continue
        doc = result.document
        doc.source = f"fa-kes:{i}:{row['unit_id']}"
        documents[doc.id] = doc
        events.extend(result.events)
        lines.append(json.dumps({"document": doc.to_dict(), "events": [e.to_dict() for e in result.events]}))
    if cache is not None:
        cache.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return documents, events


def _candidates(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    """Pairs of unit ids of different outlets with the same crowd date and governorate."""
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        if r["date"].strip() and r["location"].strip():
            groups[(r["date"].strip(), r["location"].strip().lower())].append(r)
    out = []
    for key in sorted(groups):
        g = groups[key]
        for i, a in enumerate(g):
            for b in g[i + 1:]:
                if a["source"].strip().lower() != b["source"].strip().lower():
                    out.append(tuple(sorted((a["unit_id"], b["unit_id"]))))
    return sorted(set(out))


def _gold() -> dict[tuple[str, str], int]:
    if not GOLD.exists():
        return {}
    with GOLD.open(encoding="utf-8", newline="") as fh:
        return {tuple(sorted((r["unit_a"], r["unit_b"]))): int(r["same"]) for r in csv.DictReader(fh)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--cache", type=Path, default=None,
                    help="JSONL of extractions to reuse (written if absent)")
    ap.add_argument("--fast", action="store_true", help="extract with the rules alone")
    ap.add_argument("--judge", type=int, default=0, help="print this many unjudged sample pairs to read")
    ap.add_argument("--show", action="store_true", help="print the judged pairs the fusion gets wrong")
    args = ap.parse_args()
    rows = _load_rows(args.data)
    by_unit = {r["unit_id"]: r for r in rows}
    pairs = _candidates(rows)
    gold = _gold()
    if args.judge:
        rng = random.Random(SEED)
        order = pairs[:]
        rng.shuffle(order)
        shown = 0
        for a, b in order:
            if (a, b) in gold:
                continue
            print(f"== {a},{b}  date {by_unit[a]['date']}  {by_unit[a]['location']}")
            for u in (a, b):
                print(f"  [{by_unit[u]['source']}] {by_unit[u]['article_title']}")
                print("    " + by_unit[u]["article_content"][:600].replace("\n", " "))
            shown += 1
            if shown >= args.judge:
                break
        return 0
    t0 = time.perf_counter()
    documents, events = _extract(rows, args.cache, args.fast)
    t_extract = time.perf_counter() - t0
    unit_of = {d.id: (d.source or "").rsplit(":", 1)[-1] for d in documents.values()}
    c0 = time.process_time()
    incidents = fuse_events(events, documents)
    cpu = time.process_time() - c0
    together: set[tuple[str, str]] = set()
    for inc in incidents:
        units = sorted({unit_of[d] for d in inc.documents if d in unit_of})
        for i, a in enumerate(units):
            for b in units[i + 1:]:
                together.add((a, b))
    cand = set(pairs)
    predicted = together & cand
    print(f"articles {len(rows)}, documents {len(documents)}, events {len(events)}, "
          f"incidents {len(incidents)} (extraction {t_extract:.0f} s wall)")
    print(f"fusion CPU {cpu:.2f} s for {len(events)} events")
    print(f"candidate pairs (different outlets, same crowd date and governorate): {len(pairs)}; "
          f"fused into one incident: {len(predicted)} ({100 * len(predicted) / max(1, len(pairs)):.1f}%)")
    judged = {k: v for k, v in gold.items() if k in cand}
    if not judged:
        print("no judged pairs (bench/data/fakes_pairs.csv); run with --judge 60 and read them")
        return 0
    tp = sum(1 for k, v in judged.items() if v and k in together)
    fp = sum(1 for k, v in judged.items() if not v and k in together)
    fn = sum(1 for k, v in judged.items() if v and k not in together)
    same = sum(judged.values())
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    print(f"judged pairs {len(judged)} ({same} same event, {len(judged) - same} different)")
    print(f"same incident: precision {100 * prec:.1f}% ({tp}/{tp + fp}), "
          f"recall {100 * rec:.1f}% ({tp}/{tp + fn})")
    if args.show:
        for (a, b), v in sorted(judged.items()):
            if bool(v) != ((a, b) in together):
                kind = "missed" if v else "wrongly fused"
                print(f"  {kind}: {a} [{by_unit[a]['source']}] / {b} [{by_unit[b]['source']}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
