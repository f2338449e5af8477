"""Extraction accuracy on the coalition's daily strike lines (../shared/data/benchmarks/centcom).

Each line of ``strike_lines_raw.csv`` is extracted as one document published on the row's date. A line
is right when an event's place (the name inside ``location.text``) is the row's location and its strike
count is the row's number. Rows whose location is a country (the early paragraph-style releases) are
right when the first event is in that country with that count. Then the whole release
``2015-11-02_release_20151102-01.txt`` must give its 12 lines as events with place, count, country and
the date the release refers to.

    .venv/bin/python bench/strike_lines.py [--data ../shared/data] [--show 20]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import unicodedata
from datetime import date, datetime
from pathlib import Path

from strikewatch.extract.places import place_name
from strikewatch.ids import document_id
from strikewatch.pipeline import extract_document, extract_documents
from strikewatch.records import Document

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = {"Syria": "SY", "Iraq": "IQ"}


def norm(name: str | None) -> str:
    """Compare place names without case, accents, quote styles or punctuation."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("`", "'").lower()
    return re.sub(r"[^a-z0-9']+", " ", text).strip()


_REL = re.compile(r"^(?:(?:near|in the vicinity of|vicinity of|in|at|outside|around)\s+)+", re.I)


def same_place(expression: str | None, gold: str) -> bool:
    """The event's place expression names the gold location (relation words aside on both sides)."""
    if not expression:
        return False
    want = norm(_REL.sub("", gold))
    return want in (norm(place_name(expression)), norm(_REL.sub("", expression)))


def line_right(row: dict[str, str], events) -> bool:
    want = int(row["number"])
    loc = row["location"]
    if loc in COUNTRIES:
        return (
            bool(events)
            and events[0].quantities.strikes == want
            and (events[0].location.country == COUNTRIES[loc])
        )
    return any(same_place(ev.location.text, loc) and ev.quantities.strikes == want for ev in events)


def whole_release(data: Path) -> tuple[int, int, list[str]]:
    path = data / "benchmarks/centcom/2015-11-02_release_20151102-01.txt"
    text = path.read_text(encoding="utf-8")
    doc = Document(id=document_id(text), text=text, published=date(2015, 11, 2))
    events = extract_document(doc).events
    gold = []
    with (data / "benchmarks/centcom/strike_lines_raw.csv").open(encoding="utf-8") as fh:
        gold = [r for r in csv.DictReader(fh) if r["date"] == "11/02/2015"]
    problems = []
    right = 0
    for row in gold:
        match = [e for e in events if same_place(e.location.text, row["location"])]
        ok = (
            len(match) == 1
            and match[0].quantities.strikes == int(row["number"])
            and match[0].location.country == COUNTRIES[row["country"]]
            and match[0].date.start == "2015-11-01"
        )
        right += ok
        if not ok:
            got = [(e.location.text, e.quantities.strikes, e.location.country, e.date.start) for e in match]
            problems.append(f"  {row['location']}: {got}")
    extra = len(events) - len(gold)
    if extra:
        problems.append(f"  {len(events)} events for {len(gold)} lines")
    return right, len(gold), problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--show", type=int, default=15, help="print this many wrong lines")
    args = ap.parse_args()
    path = args.data / "benchmarks/centcom/strike_lines_raw.csv"
    if not path.exists():
        print(f"no benchmark data at {path}", file=sys.stderr)
        return 2
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    docs = []
    for i, row in enumerate(rows):
        published = datetime.strptime(row["date"], "%m/%d/%Y").date()
        docs.append(Document(id=f"line{i}", text=row["line"], published=published))
    t0 = time.process_time()
    results = list(extract_documents(docs))
    cpu = time.process_time() - t0
    right = 0
    place_ok = 0
    wrong = []
    for row, ex in zip(rows, results, strict=True):
        ok = line_right(row, ex.events)
        right += ok
        if row["location"] in COUNTRIES:
            place_ok += bool(ex.events) and ex.events[0].location.country == COUNTRIES[row["location"]]
        else:
            place_ok += any(same_place(e.location.text, row["location"]) for e in ex.events)
        if not ok:
            wrong.append((row, ex))
    n = len(rows)
    print(f"strike lines: {n}")
    print(f"  location and strike count right: {right} ({100 * right / n:.2f}%)   goal >= 99%")
    print(f"  location right:                  {place_ok} ({100 * place_ok / n:.2f}%)")
    print(f"  CPU time {cpu:.1f} s ({n / cpu:.0f} lines per CPU-second)")
    for row, ex in wrong[: args.show]:
        got = [(e.location.text, e.quantities.strikes) for e in ex.events]
        print(f"  WRONG {row['location']!r} {row['number']}: {got}  <- {row['line'][:110]!r}")
    r, total, problems = whole_release(args.data)
    print(
        f"whole release 2015-11-02: {r}/{total} lines as events with place, count, country "
        "and date 2015-11-01"
    )
    for p in problems:
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
