"""Fuse events from many documents into incidents: one row per occurrence, every source beside the others.

``fuse_events`` is a pure function: the same events and documents give the same incidents, with the same
ids, in any input order. An incident's id comes from its anchor, the member from the earliest-published
document (then the smallest event id), so it stays the same as later reports join.

Incremental use (the store): after new events arrive, reload every stored event whose dates overlap
``refuse_window(new_events)`` together with all members of the incidents those events belong to, fuse
them, and replace exactly the incidents that any reloaded event belonged to. Day-level incidents never
span more than two days and a day's slack reaches one more, so ``MARGIN_DAYS`` (3) either side of the new
events' dates covers every incident a new event can join. Greedy assignment is order-dependent at the
edges: replaying the samples document by document reproduces the one-shot fusion exactly, a synthetic
stream 99.7% of incidents; a periodic full re-fusion (the store's ``refuse_all``) removes the rest.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from strikewatch.fuse.claims import _contradiction, _Said, contradictions, event_claims
from strikewatch.fuse.cluster import Cluster, cluster
from strikewatch.fuse.disputes import find_disputes
from strikewatch.fuse.features import NO_DAY, Features, day_number, features
from strikewatch.fuse.grades import grade
from strikewatch.fuse.harm import stances, toll_ranges
from strikewatch.fuse.lexicon import FusionLexicon, lexicon
from strikewatch.fuse.negatives import NegativeIndex
from strikewatch.fuse.sources import source_key
from strikewatch.records import Contradiction, DateSpan, Document, Event, Incident, Location, NegativeReport

MARGIN_DAYS = 3


def incident_id(anchor_event_id: str) -> str:
    """Incident id derived from its anchor event's id."""
    return "i" + hashlib.sha256(anchor_event_id.encode("utf-8")).hexdigest()[:16]


def refuse_window(events: Iterable[Event]) -> tuple[date, date] | None:
    """Dates whose stored events the store must reload to re-fuse around these new events (None: undated
    events only, which fuse within their own document)."""
    lo = hi = None
    for e in events:
        d0 = day_number(e.date.start)
        d1 = day_number(e.date.end) if e.date.end else d0
        if d0 is None:
            continue
        d1 = d1 if d1 is not None else d0
        lo = min(lo, d0, d1) if lo is not None else min(d0, d1)
        hi = max(hi, d0, d1) if hi is not None else max(d0, d1)
    if lo is None:
        return None
    margin = timedelta(days=MARGIN_DAYS)
    return date.fromordinal(lo) - margin, date.fromordinal(hi) + margin


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def _anchor(c: Cluster) -> Features:
    return min(c.members, key=lambda f: (f.pub, f.event.id))


def _member_order(f: Features) -> tuple:
    return (f.pub, f.doc, f.event.evidence.start, f.event.id)


def _date(c: Cluster, members: list[Features]) -> DateSpan:
    if c.d0 is None:
        return DateSpan()
    text = next((f.event.date.text for f in members if f.event.date.text), None)
    if c.d0 == c.d1:
        precision = "day"
    else:
        precisions = {f.event.date.precision for f in c.members}
        precision = precisions.pop() if len(precisions) == 1 and None not in precisions else "range"
        if precision == "day":
            precision = "range"
    return DateSpan(start=_iso(c.d0), end=_iso(c.d1), precision=precision, text=text)


def _location(c: Cluster, members: list[Features]) -> Location:
    placed = [f for f in members if f.lat is not None]
    if not placed:
        texts = [f.event.location for f in c.members if f.event.location.text or f.event.location.country]
        if not texts:
            return Location()
        loc = texts[0]
        return Location(text=loc.text, country=loc.country, admin1=loc.admin1)
    best = min(placed, key=lambda f: f.prec)
    return replace(best.event.location)


def _actors(members: list[Features], lex: FusionLexicon) -> list[str]:
    out: list[str] = []
    for f in members:
        name = f.event.actor.name or lex.canonical_name(f.event.actor.text)
        if name and name != "unknown" and name not in out:
            out.append(name)
    return out


def _kind(members: list[Features]) -> tuple[str, str]:
    pool = [f for f in members if f.supporting] or members
    counts = Counter(f.event.sub_type for f in pool)
    top = max(counts.values())
    first = next(f for f in pool if counts[f.event.sub_type] == top)
    return first.event.type, first.event.sub_type


def _with_disputes(found: list[Contradiction], disputes: list[dict]) -> list[Contradiction]:
    """The disputes as the ``account`` contradiction: each disputed claim beside its disputer's words."""
    if not disputes:
        return found
    items: list[_Said] = []
    for d in disputes:
        items.append(_Said(d["disputed"]["summary"] or "its account", 0, d["disputed"]["speaker"],
                           d["disputed"]["doc_id"], d["disputed"]["voice"]))
        items.append(_Said(f"disputes it: \u201c{d['cue']}\u201d", 1, d["by"], d["doc_id"], "by:" + d["by"]))
    extra = _contradiction("account", items)
    out = [c for c in found if c.field != "account"]
    old = next((c for c in found if c.field == "account"), None)
    if old is not None:
        seen = {(repr(v.value), v.speaker) for v in old.values}
        old.values += [v for v in extra.values if (repr(v.value), v.speaker) not in seen]
        extra = old
    return [extra, *out]


def build_incident(c: Cluster, documents: Mapping[str, Document], lex: FusionLexicon,
                   negatives: NegativeIndex | None = None, cache: dict | None = None) -> Incident:
    """The Incident record for one cluster: claims, contradictions, disputes, tolls, stances and grade."""
    members = sorted(c.members, key=_member_order) if len(c.members) > 1 else c.members
    covering = sorted(c.covering, key=_member_order)
    claims = [cl for f in members for cl in event_claims(f.event, documents, speaker=f.said_by)]
    claims += [cl for f in covering
               for cl in event_claims(f.event, documents, covering=True, speaker=f.said_by)]
    found = contradictions(members, claims, documents, lex) if len({f.voice for f in members}) > 1 else []
    disputes = find_disputes(members, claims, documents, lex, cache) if any(
        documents.get(f.doc) is not None and documents[f.doc].text for f in members) else []
    found = _with_disputes(found, disputes)
    sides = {f.side for f in members if f.side and f.supporting}
    location = _location(c, members)
    against = negatives.against(c.d0, c.d1, location.country, sides, "remote" in c.fam) if negatives else []
    level, reason = grade(members, found, documents, lex, disputes, against, cache)
    type_, sub_type = _kind(members)
    events = [f.event.id for f in members] + [f.event.id for f in covering if f.event.id not in
                                             {m.event.id for m in members}]
    docs: list[str] = []
    for f in members + covering:
        if f.doc not in docs:
            docs.append(f.doc)
    actors = _actors(members, lex)
    tolls = toll_ranges(claims, members, lex)
    return Incident(
        id=incident_id(_anchor(c).event.id),
        type=type_,
        sub_type=sub_type,
        date=_date(c, members),
        location=location,
        actors=actors,
        events=events,
        documents=docs,
        claims=claims,
        contested=bool(found) and level != "discounted" or level == "contested",
        contradictions=found,
        grade=level,
        grade_reason=reason,
        killed=tolls["killed"],
        civilians_killed=tolls["civilians_killed"],
        children_killed=tolls["children_killed"],
        injured=tolls["injured"],
        stances=stances(members, actors, documents, lex, {n["side"] for n in against}) if actors else {},
        disputes=disputes,
        negatives=[{k: v for k, v in n.items() if k != "side"} for n in against],
    )


def fuse_events(events: Sequence[Event], documents: Mapping[str, Document], *,
                blocked: bool = True, negatives: Iterable[NegativeReport] = ()) -> list[Incident]:
    """Fuse event mentions into incidents (sorted by date, then id).

    ``documents`` maps doc ids to their Document (published date, outlet, kind, copy_of); events whose
    document is missing are still fused, as their own source. ``blocked=False`` uses the quadratic
    reference matcher (for tests of the blocked index); the answer is the same. ``negatives`` are the
    documents' negative reports ("no strikes in Syria on Nov. 2"): evidence against the incidents of the
    party that made them (strikewatch.fuse.negatives).
    """
    lex = lexicon()
    collecting = gc.isenabled()
    gc.disable()  # millions of small acyclic objects: the cycle collector would only rescan them
    try:
        unique = list({e.id: e for e in reversed(list(events))}.values())  # an id given twice counts once
        feats = features(unique, documents, lex)
        clusters = cluster(feats, lex, blocked=blocked)
        index = NegativeIndex(negatives, documents, lex)
        cache: dict = {}
        incidents = [build_incident(c, documents, lex, index, cache) for c in clusters]
        incidents.sort(key=lambda i: (i.date.start or "9999", i.id))
    finally:
        if collecting:
            gc.enable()
    return incidents


def independent_sources(incident: Incident, documents: Mapping[str, Document]) -> list[str]:
    """The source keys of an incident's documents (copies folded into originals, comments left out); the
    grade counts originating reports more finely (strikewatch.fuse.grades.source_keys)."""
    keys: list[str] = []
    for doc_id in incident.documents:
        doc = documents.get(doc_id)
        if doc is not None and doc.kind == "comment":
            continue
        key = source_key(doc_id, documents)
        if key not in keys:
            keys.append(key)
    return keys


__all__ = ["MARGIN_DAYS", "NO_DAY", "build_incident", "fuse_events", "incident_id", "independent_sources",
           "refuse_window"]
