"""Mention-level recall and precision on the Dstl re3d gold (../shared/data/benchmarks/re3d, evaluation only).

Each ``<source>/documents.json`` document is extracted with the project's extractor (``extract_documents``,
with geocoding) and read for the mentions the extractor works from, over the whole text in document
offsets: place mentions (the documents' ``places`` that ``extract --places`` prints, i.e.
``extract.places.place_mentions`` per sentence, geocoded: named places, countries where
they are places and not the state, common-noun places such as "the town" or "two bridges"; the "named
places" row is ``find_places`` alone, what events read, and "named+passing" adds ``passing_places``), time
expressions (``extract.timex.find_times`` per sentence) and actor spans (the lexicon
matcher's ``doc.spans["actors"]``), on the sentences of ``get_nlp()``, the reading pipeline every document
runs through (the parser of ``--model`` only affects the events). Gold are the ``entities.json`` spans
with confidence >= 0.5 (the file also holds rejected candidates): Location for places, Temporal for
times, Organisation and Nationality for actors.

A gold span is recalled when a predicted span of its class overlaps it; a predicted span is right when
it overlaps a gold span of its class. "Named" recall counts only the gold spans that name something (a
capitalised word or non-Latin script after any determiner; no pronoun): re3d also marks common nouns ("the
building") and pronouns as places and organisations (not scored for times). Exact figures need identical
boundaries, comparing the gold span with the predicted span as found or with its core (a place's name
without "near", "the town of"; a time or an actor without a leading preposition or "the"). Documents
carry no date: the dateline reader's date is given when it finds one, otherwise none (relative times are
still found, only not resolved).

    .venv/bin/python bench/re3d.py [--data ../shared/data] [--show N] [--model NAME | --fast]

--show N prints, per class, N missed gold spans and N false positives with a few words around them. A
false positive is labelled with the gold type it lies on, or "rejected" (a candidate of its own class the
annotators turned down), or "none".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from strikewatch.errors import DocumentError
from strikewatch.extract.events.mentions import stripped_sentences
from strikewatch.extract.nlp import get_nlp, model_name
from strikewatch.extract.places import find_places, passing_places
from strikewatch.extract.timex import find_times
from strikewatch.ingest.dateline import find_dateline
from strikewatch.pipeline import extract_documents
from strikewatch.records import Document, Extraction

ROOT = Path(__file__).resolve().parent.parent
MIN_CONFIDENCE = 0.5
CLASSES = {"place": ("Location",), "time": ("Temporal",), "actor": ("Organisation", "Nationality")}
ROWS = ("place", "named places", "named+passing", "time", "actor")  # the place rows share the place gold
GOALS = {"place": "recall >= 90% at precision >= 85%", "time": "recall >= 85%"}
_LEAD_WORD = re.compile(
    r"^(?:(?:in|on|at|since|during|from|by|until|till|before|after|over|for|of|between|the)\s+)+", re.I
)

Span = tuple[int, int]


@dataclass
class Pred:
    """A predicted mention: the span as found and its core (for exact boundaries)."""

    start: int
    end: int
    core: Span

    @property
    def span(self) -> Span:
        return (self.start, self.end)


@dataclass
class Gold:
    start: int
    end: int
    type: str


@dataclass
class Doc:
    id: str
    source: str
    text: str
    title: str | None
    gold: dict[str, list[Gold]] = field(default_factory=dict)
    other: list[Gold] = field(default_factory=list)  # gold spans of the other types, to name false positives
    rejected: list[Gold] = field(default_factory=list)  # candidates under MIN_CONFIDENCE (any type)
    preds: dict[str, list[Pred]] = field(default_factory=dict)


def read_lines(path: Path) -> list[dict]:
    """JSON lines as written by mongoexport (a BOM on the first line)."""
    with path.open(encoding="utf-8-sig") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load(data: Path) -> tuple[list[Doc], int]:
    """Documents with their gold spans by class; also the number of spans whose value mismatches the text."""
    docs: list[Doc] = []
    bad = 0
    for folder in sorted(p for p in (data / "benchmarks/re3d").iterdir() if p.is_dir()):
        by_id = {}
        for d in read_lines(folder / "documents.json"):
            doc = Doc(d["_id"], folder.name, d["text"], d.get("title"), {c: [] for c in CLASSES})
            by_id[doc.id] = doc
            docs.append(doc)
        for e in read_lines(folder / "entities.json"):
            doc = by_id.get(e["documentId"])
            if doc is None:
                continue
            g = Gold(int(e["begin"]), int(e["end"]), e["type"])
            if float(e.get("confidence") or 0) < MIN_CONFIDENCE:
                doc.rejected.append(g)
                continue
            if doc.text[g.start : g.end] != e.get("value"):
                bad += 1
            for cls, types in CLASSES.items():
                if g.type in types:
                    doc.gold[cls].append(g)
                    break
            else:
                doc.other.append(g)
    return docs, bad


def _trim(text: str, start: int, end: int) -> Span:
    """The span without a leading preposition or "the"."""
    m = _LEAD_WORD.match(text[start:end])
    return (start + m.end(), end) if m and m.end() < end - start else (start, end)


def mentions(doc: Doc, sdoc, published, extraction: Extraction | DocumentError) -> None:
    """The place, time and actor spans the extractor gives over the whole document: places from the
    product's own list (``extract --places``), the rest from the finders events read."""
    text = doc.text
    places: list[Pred] = []
    listed = (extraction.places or []) if isinstance(extraction, Extraction) else []
    for p in listed:
        at = text.find(p.name, p.start, p.end)
        places.append(Pred(p.start, p.end, (at, at + len(p.name)) if at >= 0 else (p.start, p.end)))
    named_places: list[Pred] = []
    passing: list[Pred] = []
    times: list[Pred] = []
    for body, base in stripped_sentences(sdoc.sents):
        for pm in find_places(body, offset=base):
            at = text.find(pm.name, pm.start, pm.end)
            core = (at, at + len(pm.name)) if at >= 0 else (pm.start, pm.end)
            named_places.append(Pred(pm.start, pm.end, core))
        for pm in passing_places(body):
            s, e = base + pm.start, base + pm.end
            passing.append(Pred(s, e, (s, e)))
        for tm in find_times(body, published):
            s, e = base + tm.start, base + tm.end
            times.append(Pred(s, e, _trim(text, s, e)))
    actors = [Pred(sp.start_char, sp.end_char, _trim(text, sp.start_char, sp.end_char))
              for sp in sdoc.spans["actors"]]
    extra = [p for p in passing if not any(_overlap(p.span, q.span) for q in named_places)]
    doc.preds = {"place": places, "named places": named_places, "named+passing": named_places + extra,
                 "time": times, "actor": actors}


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_DETERMINER = re.compile(r"^(?:the|a|an|this|that|these|those|our|its|their|his|her|some|other)\s+", re.I)
_PRONOUNS = {"we", "they", "it", "he", "she", "us", "them", "our", "their", "its", "there", "here", "you"}


def named(text: str) -> bool:
    """The gold span names something ("Hit", "the Middle East", "ISIL"), not a common noun or pronoun."""
    rest = _DETERMINER.sub("", text.strip())
    if not rest or rest.split()[0].lower().strip("’'") in _PRONOUNS:
        return False
    first = rest[0]
    return first.isupper() or (first.isalpha() and not first.isascii())


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    recalled: int = 0
    right: int = 0
    recalled_exact: int = 0
    right_exact: int = 0
    named: int = 0
    named_recalled: int = 0

    def add(self, other: Score) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def score(doc: Doc, row: str) -> tuple[Score, list[Gold], list[Pred]]:
    """One document's counts for one row, with its missed gold spans and false positives."""
    gold = doc.gold["place" if row.startswith(("place", "named")) else row]
    preds = doc.preds[row]
    s = Score(gold=len(gold), pred=len(preds))
    missed = []
    for g in gold:
        gs = (g.start, g.end)
        hit = any(_overlap(gs, p.span) for p in preds)
        s.recalled += hit
        if named(doc.text[g.start : g.end]):
            s.named += 1
            s.named_recalled += hit
        s.recalled_exact += any(gs in (p.span, p.core) for p in preds)
        if not hit:
            missed.append(g)
    wrong = []
    spans = {(g.start, g.end) for g in gold}
    for p in preds:
        hit = any(_overlap(p.span, gs) for gs in spans)
        s.right += hit
        s.right_exact += p.span in spans or p.core in spans
        if not hit:
            wrong.append(p)
    return s, missed, wrong


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f}%" if n else "-"


def context(text: str, start: int, end: int, words: int = 5) -> str:
    """The span in brackets with a few words either side, on one line."""
    before = " ".join(text[:start].split()[-words:])
    after = " ".join(text[end:].split()[:words])
    return f"...{before} [{' '.join(text[start:end].split())}] {after}..."


def event_places(docs: list[Doc], results: list[Extraction | DocumentError]) -> tuple[int, int]:
    """Events whose place expression (found in their evidence sentence) lies on a gold Location span."""
    n = on_gold = 0
    for doc, ex in zip(docs, results, strict=True):
        if not isinstance(ex, Extraction):
            continue
        for ev in ex.events:
            if not ev.location.text:
                continue
            at = doc.text.find(ev.location.text, ev.evidence.start, max(ev.evidence.end, ev.evidence.start))
            if at < 0:
                continue
            n += 1
            span = (at, at + len(ev.location.text))
            on_gold += any(_overlap(span, (g.start, g.end)) for g in doc.gold["place"])
    return on_gold, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--show", type=int, default=0, help="misses and false positives to print per class")
    ap.add_argument("--model", default=None, help="spaCy parser (default: $STRIKEWATCH_MODEL, the project's)")
    ap.add_argument("--fast", action="store_true", help="extract with the rules alone, without a parse")
    args = ap.parse_args()
    if not (args.data / "benchmarks/re3d").is_dir():
        print(f"no benchmark data at {args.data / 'benchmarks/re3d'}", file=sys.stderr)
        return 2
    docs, bad = load(args.data)
    records = []
    for d in docs:
        dl = find_dateline(d.text)
        records.append(Document(id=d.id, text=d.text, published=dl.date if dl else None, title=d.title,
                                outlet=d.source, published_from="dateline" if dl else None))
    t0 = time.process_time()
    opts: dict[str, object] = {"model": args.model, "places": True}
    if args.fast:
        opts["fast"] = True
    results = list(extract_documents(records, **opts))  # type: ignore[arg-type]
    cpu = time.process_time() - t0
    nlp = get_nlp()  # the reading pipeline every document runs through (sentences, actor spans)
    for d, rec, sdoc, ex in zip(docs, records, nlp.pipe([d.text for d in docs]), results, strict=True):
        mentions(d, sdoc, rec.published, ex)
    listed = [p for r in results if isinstance(r, Extraction) for p in r.places or [] if p.name[:1].isupper()]
    geocoded, named_places = sum(p.location is not None for p in listed), len(listed)

    words = sum(len(d.text.split()) for d in docs)
    n_gold = {c: sum(len(d.gold[c]) for d in docs) for c in CLASSES}
    print(f"re3d: {len(docs)} documents, {words:,} words; gold spans with confidence >= {MIN_CONFIDENCE}: "
          + ", ".join(f"{c} {n}" for c, n in n_gold.items())
          + (f" ({bad} spans whose value is not the text at their offsets)" if bad else ""))
    on_gold, n_places = event_places(docs, results)
    n_events = sum(len(r.events) for r in results if isinstance(r, Extraction))
    with_events = sum(bool(r.events) for r in results if isinstance(r, Extraction))
    failed = sum(not isinstance(r, Extraction) for r in results)
    parser = "rules only (--fast)" if args.fast else (model_name(args.model) or "rules only")
    print(f"extraction (parser: {parser}): {n_events} events in {with_events} documents ({cpu:.1f} CPU-s"
          + (f", {failed} failed" if failed else "") + ")")
    print(f"  event places on a gold Location span: {on_gold}/{n_places} ({_pct(on_gold, n_places)})")
    print(f"  the documents' places (extract --places): capitalised mentions geocoded"
          f" {geocoded}/{named_places} ({_pct(geocoded, named_places)})")
    sources = sorted({d.source for d in docs})
    examples: dict[str, tuple[list, list]] = {}
    for row in ROWS:
        goal = GOALS.get(row, "")
        print(f"\n{row}" + (f"   goal: {goal}" if goal else "")
              + {"place": "   (`extract --places`: named, countries as places, common nouns)",
                 "named places": "   (find_places, what events read)",
                 "named+passing": "   (find_places + passing_places)"}.get(row, ""))
        print("| source | gold | predicted | recall | precision | exact recall | exact precision "
              "| named gold | named recall |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        total = Score()
        missed_all: list[tuple[Doc, Gold]] = []
        wrong_all: list[tuple[Doc, Pred]] = []
        for source in [*sources, None]:
            if source is None:
                s = total
            else:
                s = Score()
                for d in docs:
                    if d.source != source:
                        continue
                    one, missed, wrong = score(d, row)
                    s.add(one)
                    missed_all += [(d, g) for g in missed]
                    wrong_all += [(d, p) for p in wrong]
                total.add(s)
            name = "**all**" if source is None else source
            print(f"| {name} | {s.gold} | {s.pred} | {_pct(s.recalled, s.gold)} | {_pct(s.right, s.pred)} "
                  f"| {_pct(s.recalled_exact, s.gold)} | {_pct(s.right_exact, s.pred)} "
                  + (f"| {s.named} | {_pct(s.named_recalled, s.named)} |" if row != "time" else "| - | - |"))
        kinds = Counter(_other_type(d, p, row) for d, p in wrong_all)
        on = ", ".join(f"{k} {v}" for k, v in kinds.most_common())
        print(f"false positives ({len(wrong_all)}) lie on: {on}")
        examples[row] = (missed_all, wrong_all)
    if args.show:
        for row in ("place", "time", "actor"):
            missed_all, wrong_all = examples[row]
            print(f"\n{row}: {len(missed_all)} missed gold spans, {len(wrong_all)} false positives")
            for d, g in _spread(missed_all, args.show):
                print(f"  MISS {g.type:<12} {d.source[:12]:<12} {context(d.text, g.start, g.end)}")
            for d, p in _spread(wrong_all, args.show):
                on = _other_type(d, p, row)
                print(f"  FP   {on:<12} {d.source[:12]:<12} {context(d.text, p.start, p.end)}")
    return 0


def _other_type(doc: Doc, p: Pred, row: str) -> str:
    """What a false positive lies on: a gold span of another type (the longest overlap), else a rejected
    candidate of its own class ("rejected"), else "none"."""
    kinds: dict[str, int] = defaultdict(int)
    for g in doc.other + [g for c in CLASSES for g in doc.gold[c]]:
        if _overlap(p.span, (g.start, g.end)):
            kinds[g.type] += g.end - g.start
    if kinds:
        return max(kinds, key=kinds.__getitem__)
    own = CLASSES["place" if row.startswith(("place", "named")) else row]
    if any(g.type in own and _overlap(p.span, (g.start, g.end)) for g in doc.rejected):
        return "rejected"
    return "none"


def _spread(items: list, n: int) -> list:
    """``n`` items spread evenly over the list (so that every source shows up)."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


if __name__ == "__main__":
    raise SystemExit(main())
