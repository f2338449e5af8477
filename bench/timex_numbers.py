"""Benchmark of time resolution and casualty reading on the project's own sample reports.

Usage: .venv/bin/python bench/timex_numbers.py [--samples samples] [--lines PATH] [--show]

1. Dates: every annotated event whose date comes from words in the text (``date_text``) is resolved with
   ``resolve_time(date_text, published)`` and compared with the annotated start and end.
2. Tolls: for every annotated event, the sentence holding its evidence is read with
   ``find_casualties(sentence).to_fatalities()`` and killed / injured / civilians_killed /
   children_killed are compared with the annotation (a field counts as right when both agree, null
   included).
3. Speed: words per CPU-second of find_times, find_numbers and find_casualties over the sample sentences,
   and (with --lines, a CSV with a ``line`` column such as the coalition strike lines) over those lines.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from datetime import date
from pathlib import Path

from strikewatch.extract.numbers import find_casualties, find_numbers
from strikewatch.extract.timex import find_times, resolve_time
from strikewatch.ingest import read_paths
from strikewatch.records import Document

FIELDS = ("killed", "injured", "civilians_killed", "children_killed")
_SENT_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentence_at(text: str, pos: int, end: int) -> str:
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos))
    start = 0 if start < 0 else start + 1
    stop = _SENT_END.search(text, max(end - 1, pos))
    return text[start : stop.start() if stop else len(text)].strip()


def _fields(f: object) -> tuple:
    return tuple(getattr(f, name) for name in FIELDS)


def _following(text: str, pos: int, n: int) -> list[str]:
    """The ``n`` sentences after the one that holds ``pos``."""
    out: list[str] = []
    stop = _SENT_END.search(text, pos)
    while stop and len(out) < n:
        nxt = _SENT_END.search(text, stop.end())
        out.append(text[stop.end() : nxt.start() if nxt else len(text)].strip())
        stop = nxt
    return out


def _documents(samples: Path, entry: dict) -> list[Document]:
    return [d for d in read_paths([samples / entry["file"]]) if isinstance(d, Document)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=Path("samples"))
    ap.add_argument("--lines", type=Path, default=None)
    ap.add_argument("--show", action="store_true", help="print every miss")
    args = ap.parse_args(argv)
    entries = [json.loads(line) for line in (args.samples / "annotations.jsonl").open(encoding="utf-8")]

    date_total = date_right = 0
    field_total = dict.fromkeys(FIELDS, 0)
    field_right = dict.fromkeys(FIELDS, 0)
    stated_total = stated_right = near_right = 0
    sentences: list[str] = []
    for entry in entries:
        docs = _documents(args.samples, entry)
        for ev in entry["events"]:
            published = date.fromisoformat(entry["published"]) if entry.get("published") else None
            if ev.get("date_text"):
                date_total += 1
                span = resolve_time(ev["date_text"], published)
                got = (span.start, span.end) if span else (None, None)
                if got == (ev["date_start"], ev["date_end"]):
                    date_right += 1
                elif args.show:
                    print(f"DATE  {ev['date_text']!r} pub={published}: got {got}, "
                          f"want {(ev['date_start'], ev['date_end'])}")
            evidence = ev.get("evidence") or ""
            doc = next((d for d in docs if evidence[:60] in d.text), None)
            if doc is None:
                continue
            pos = doc.text.index(evidence[:60])
            sentence = _sentence_at(doc.text, pos, pos + len(evidence))
            sentences.append(sentence)
            got_f = find_casualties(sentence).to_fatalities()
            stated = any(ev.get(f) is not None for f in FIELDS)
            all_right = True
            for f in FIELDS:
                field_total[f] += 1
                if getattr(got_f, f) == ev.get(f):
                    field_right[f] += 1
                else:
                    all_right = False
            if stated:
                stated_total += 1
                stated_right += all_right
                # the toll is often told in the sentence after the event's ("... were killed, he said.")
                want = tuple(ev.get(f) for f in FIELDS)
                nearby = [sentence, *_following(doc.text, pos + len(evidence), 2)]
                near_right += any(
                    _fields(find_casualties(s).to_fatalities()) == want for s in nearby
                )
            if args.show and not all_right:
                want = {f: ev.get(f) for f in FIELDS}
                have = {f: getattr(got_f, f) for f in FIELDS}
                print(f"TOLL  {sentence[:150]!r}\n      got {have}\n      want {want}")

    print(f"dates from words: {date_right}/{date_total} resolved exactly "
          f"({100 * date_right / max(1, date_total):.1f}%)")
    for f in FIELDS:
        print(f"{f}: {field_right[f]}/{field_total[f]} events right "
              f"({100 * field_right[f] / max(1, field_total[f]):.1f}%)")
    print(f"events with a stated toll, all four fields right: {stated_right}/{stated_total} "
          f"({100 * stated_right / max(1, stated_total):.1f}%)")
    print(f"events with a stated toll, all four fields right from the evidence sentence or one of the two "
          f"after it: {near_right}/{stated_total} ({100 * near_right / max(1, stated_total):.1f}%)")

    corpora = {"sample sentences (x50)": sentences * 50}
    if args.lines:
        with args.lines.open(encoding="utf-8") as fh:
            corpora["strike lines"] = [row["line"] for row in csv.DictReader(fh)]
    published = date(2016, 11, 1)
    for name, texts in corpora.items():
        words = sum(len(t.split()) for t in texts)
        for label, fn in (
            ("find_times", lambda t: find_times(t, published)),
            ("find_numbers", find_numbers),
            ("find_casualties", find_casualties),
        ):
            t0 = time.process_time()
            for t in texts:
                fn(t)
            cpu = time.process_time() - t0
            print(f"{name}: {label} {words / cpu:,.0f} words per CPU-second ({words:,} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
