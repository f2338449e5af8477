"""End-to-end extraction on the FA-KES news articles (../shared/data/benchmarks/fa-kes, evaluation only).

Each article of ``FA-KES-Dataset.csv`` becomes a Document the way ingest reads a ``.txt`` file given
without ``--published`` (``strikewatch.ingest.read_text``, so the dateline reader dates it), with the
article's title as ``title`` and its outlet (the ``source`` column) as ``outlet``. The crowd coded one
main event per article: its ``date`` (M/D/YYYY) and governorate (``location``, lower case). An article
is right when one event has a date span of at most 10 days that reaches within 1 day of the crowd's date
and a ``location.admin1`` that is the crowd's governorate (spellings through the project's own
``geo/data/admin1.tsv``; a Damascus article also accepts the governorates its ``also`` column lists).

Also printed: how often an opening date ("Tue 05 Jul 2016", "14-03-2016", "Published on 2 May
2016", found here by the bench's own regex on the first 60 characters, numeric dates read day first) is
read as ``document.published``; words per CPU-second of extraction with geocoding; and the articles whose
opening date is more than 3 days from the crowd's date (the crowd is then likely wrong), with the figure
recomputed without them. There is no casualty gold in the file, so tolls are not scored.
``--opening-as-published`` is a what-if: the bench's opening date is given as the publication date, to
show what reading those datelines would be worth; ``--no-title`` leaves the title out (the articles are
one line each; those that open with their title are then taken whole for the headline and give nothing).

    .venv/bin/python bench/fakes.py [--data ../shared/data] [--limit N] [--show N] [--show-crowd-wrong]
                                    [--model NAME | --fast] [--opening-as-published] [--no-title]

Row indices are 0-based over the data rows (the header excluded).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import re
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from strikewatch.errors import DocumentError
from strikewatch.extract.nlp import model_name
from strikewatch.geo.build import Admin1Table
from strikewatch.geo.gazetteer import read_own_table
from strikewatch.ingest import read_text
from strikewatch.pipeline import extract_document, extract_documents
from strikewatch.records import Document, Event, Extraction

ROOT = Path(__file__).resolve().parent.parent
WINDOW = timedelta(days=1)  # the event's span must reach within this of the crowd's date
MAX_SPAN = timedelta(days=10)  # a span wider than this dates nothing in particular
CROWD_WRONG = timedelta(days=3)  # opening date this far from the crowd's date: the crowd is suspect
HEAD = 60  # characters searched for an opening date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MON = (
    r"(?P<{g}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?\s+)?"
_LABEL = (
    r"(?:(?:date\s+of\s+publication|published(?:\s+on)?|posted(?:\s+on)?|(?:last\s+)?updated(?:\s+at|\s+on)?)"
    r"\s*:?\s*)?"
)
_OPENING = re.compile(
    r"^\s*" + _LABEL + _WEEKDAY + r"(?:"
    r"(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON.format(g="m1") + r",?\s+(?P<y1>(?:19|20)\d\d)"
    r"|" + _MON.format(g="m2") + r"\s+(?:(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+|(?P<d5>[0-3]\d))"  # glued
    r"(?P<y2>(?:19|20)\d\d)"
    r"|(?P<d3>[0-3]?\d)(?P<sep>[-./])(?P<m3>[01]?\d)(?P=sep)(?P<y3>(?:19|20)\d\d)"
    r"|(?P<y4>(?:19|20)\d\d)-(?P<m4>[01]\d)-(?P<d4>[0-3]\d)"
    r")(?!\d)",
    re.I,
)


@dataclasses.dataclass
class Opening:
    """The date an article opens with, as the bench reads it."""

    date: date
    text: str
    ambiguous: bool  # a numeric date whose day and month could be swapped (read day first here)


def opening_date(text: str) -> Opening | None:
    """The full date at the very start of ``text`` (after an optional label and weekday), or None."""
    m = _OPENING.match(text[:HEAD])
    if m is None:
        return None
    g = m.groupdict()
    ambiguous = False
    if g["m1"] or g["m2"]:
        mon = (g["m1"] or g["m2"]).lower().rstrip(".")
        month = _MONTHS[mon[:3]]
        day, year = int(g["d1"] or g["d2"] or g["d5"]), int(g["y1"] or g["y2"])
    elif g["d3"]:
        day, month, year = int(g["d3"]), int(g["m3"]), int(g["y3"])
        ambiguous = day != month and day <= 12
    else:
        day, month, year = int(g["d4"]), int(g["m4"]), int(g["y4"])
    try:
        return Opening(date(year, month, day), m.group(0).strip(), ambiguous)
    except ValueError:
        return None


@cache
def primary(gold: str) -> str:
    """The crowd's governorate as Strikewatch prints it ("deir ezzor" -> "Deir ez-Zor"), or ""."""
    table = Admin1Table()
    return table.name("SY", gold) or table.name("IQ", gold)


@cache
def governorates(gold: str) -> frozenset[str]:
    """The admin1 names (as Strikewatch prints them) that satisfy the crowd's governorate."""
    name = primary(gold)
    if not name:
        return frozenset()
    rows = read_own_table("admin1.tsv")
    also = {r["name"]: [v for v in (r.get("also") or "").split("|") if v] for r in rows}
    return frozenset({name, *also.get(name, [])})


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def date_right(ev: Event, gold: date) -> bool:
    """The event's span is at most MAX_SPAN wide and reaches within WINDOW of ``gold``."""
    start, end = _day(ev.date.start), _day(ev.date.end or ev.date.start)
    if start is None or end is None or end - start > MAX_SPAN:
        return False
    return start <= gold + WINDOW and end >= gold - WINDOW


def make_doc(i: int, row: dict[str, str], *, title: bool = True) -> Document | DocumentError:
    """The article as ingest reads a text file: dateline rule on, no given publication date."""
    try:
        doc = read_text(row["article_content"], source=f"fa-kes:{i}", outlet=row["source"] or None,
                        content_type="text/plain")[0]
    except DocumentError as exc:
        return exc
    return dataclasses.replace(doc, title=(row["article_title"].strip() or None) if title else None)


def _given_opening(doc: Document | DocumentError) -> Document | DocumentError:
    """The document as if its opening date had been read as the publication date."""
    opening = opening_date(doc.text) if isinstance(doc, Document) else None
    if opening is None or not isinstance(doc, Document):
        return doc
    return dataclasses.replace(doc, published=opening.date, published_from="given")


def _ev(ev: Event) -> str:
    when = ev.date.start if ev.date.start == ev.date.end else f"{ev.date.start}..{ev.date.end}"
    return (f"{when} [{ev.date.text!r}] {ev.location.admin1 or '-'} [{ev.location.text!r}] {ev.sub_type}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong articles")
    ap.add_argument("--show-crowd-wrong", action="store_true", help="list the rows the crowd likely missed")
    ap.add_argument("--model", default=None, help="spaCy parser (default: $STRIKEWATCH_MODEL, the project's)")
    ap.add_argument("--fast", action="store_true", help="the rules alone, without a parse")
    ap.add_argument("--opening-as-published", action="store_true",
                    help="what-if: give the bench's opening date as the publication date (skips (b))")
    ap.add_argument("--no-title", action="store_true", help="what-if: leave the title out of the Document")
    args = ap.parse_args()
    path = args.data / "benchmarks/fa-kes/FA-KES-Dataset.csv"
    if not path.exists():
        print(f"no benchmark data at {path}", file=sys.stderr)
        return 2
    csv.field_size_limit(1 << 26)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if args.limit:
        rows = rows[: args.limit]
    docs = [make_doc(i, r, title=not args.no_title) for i, r in enumerate(rows)]
    if args.opening_as_published:
        docs = [_given_opening(d) for d in docs]
    opts: dict[str, object] = {"model": args.model}
    if args.fast:
        opts["fast"] = True
    warm = next((d for d in docs if isinstance(d, Document)), None)
    if warm is not None:
        extract_document(warm, **opts)  # type: ignore[arg-type]  # load the pipelines and the gazetteer
    from strikewatch.extract.events import build

    build._locate_cached.cache_clear()  # time the geocoder's lookups too, not a warm cache
    words = sum(len(d.text.split()) for d in docs if isinstance(d, Document))
    t0 = time.process_time()
    results = list(extract_documents(docs, **opts))  # type: ignore[arg-type]
    cpu = time.process_time() - t0

    n = len(rows)
    both = date_only = place_only = no_events = failed = only_also = 0
    n_open = open_read = open_ambiguous = ambiguous_read = 0
    published_from: Counter[str] = Counter()
    crowd_wrong: list[tuple[int, Opening, date]] = []
    right_rows: set[int] = set()
    misses: list[tuple[int, dict[str, str], Extraction | DocumentError, frozenset[str], date]] = []
    for i, (row, ex) in enumerate(zip(rows, results, strict=True)):
        gold_date = datetime.strptime(row["date"].strip(), "%m/%d/%Y").date()
        want = governorates(row["location"].strip().lower())
        if isinstance(ex, DocumentError):
            failed += 1
            misses.append((i, row, ex, want, gold_date))
            continue
        events = ex.events
        no_events += not events
        ok_date = [date_right(e, gold_date) for e in events]
        ok_place = [e.location.admin1 in want for e in events]
        date_only += any(ok_date)
        place_only += any(ok_place)
        if any(a and b for a, b in zip(ok_date, ok_place, strict=True)):
            both += 1
            right_rows.add(i)
            strict_name = primary(row["location"].strip().lower())
            only_also += not any(d and e.location.admin1 == strict_name
                                 for d, e in zip(ok_date, events, strict=True))
        else:
            misses.append((i, row, ex, want, gold_date))
        doc = ex.document
        published_from[doc.published_from or "none"] += 1
        opening = opening_date(doc.text)
        if opening is not None:
            n_open += 1
            open_ambiguous += opening.ambiguous
            read = doc.published == opening.date
            open_read += read
            ambiguous_read += read and opening.ambiguous
            if abs(opening.date - gold_date) > CROWD_WRONG:
                crowd_wrong.append((i, opening, gold_date))

    def pct(k: int, total: int) -> str:
        return f"{k} ({100 * k / total:.1f}%)" if total else f"{k} (-)"

    print(f"FA-KES articles: {n} ({words:,} words){f', {failed} unreadable' if failed else ''}")
    print("(a) main event: date within 1 day (span <= 10 days) and governorate, in one event")
    print(f"  date and governorate right: {pct(both, n)}   goal >= 65%")
    print(f"  date right (any event):     {pct(date_only, n)}")
    print(f"  governorate right (any):    {pct(place_only, n)}")
    print(f"  right only through a governorate in admin1.tsv's `also` (Damascus -> Rif Dimashq): {only_also}")
    print(f"  no event at all:            {pct(no_events, n)}")
    if args.opening_as_published:
        print(f"(b) what-if: the opening date given as the publication date ({n_open} articles)")
    else:
        print("(b) opening date line read as the publication date")
        print(f"  articles with an opening date: {pct(n_open, n)}")
        print(f"  read as the publication date:  {pct(open_read, n_open)}")
        print(f"  numeric day/month-ambiguous openings: {open_ambiguous}, read: {ambiguous_read}")
        print("  published_from: " + ", ".join(f"{k} {v}" for k, v in published_from.most_common()))
    parser = "rules only (--fast)" if args.fast else (model_name(args.model) or "rules only")
    print(f"(c) throughput with geocoding, parser: {parser}")
    print(f"  {words / cpu:,.0f} words per CPU-second ({cpu:.1f} CPU-s, after warm-up)")
    print("(d) casualties: no toll gold in the file; not scored")
    later = sum(1 for _, o, g in crowd_wrong if g > o.date)
    print(f"(e) opening date more than {CROWD_WRONG.days} days from the crowd's date: "
          f"{pct(len(crowd_wrong), n)} (crowd date after the opening date: {later})")
    kept = n - len(crowd_wrong)
    kept_right = len(right_rows - {i for i, _, _ in crowd_wrong})
    print(f"  date and governorate right, all articles:        {pct(both, n)}")
    print(f"  date and governorate right, without those rows:  {pct(kept_right, kept)}")
    if args.show_crowd_wrong:
        for i, o, g in crowd_wrong:
            print(f"  CROWD? row {i}: opening {o.date} ({o.text!r}), crowd {g} ({(g - o.date).days:+d} days)")
    for i, row, ex, want, gold_date in misses[: args.show]:
        print(f"MISS row {i} [{row['source']}] gold {gold_date} {row['location']} -> {sorted(want)}")
        if isinstance(ex, DocumentError):
            print(f"    unreadable: {ex}")
            continue
        d = ex.document
        print(f"    published {d.published} ({d.published_from}); {len(ex.events)} events")
        for e in ex.events:
            print(f"    - {_ev(e)}")
        print(f"    text: {d.text[:240]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
