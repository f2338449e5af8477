"""Who held a place when: a per-place timeline built from captures, losses, withdrawals and transfers.

Each territorial event says who holds the place after it: its actor, unless the sentence says the actor
lost or left the place ("ISIS withdrew from ..."), when the holder is the event's target if one is named
and unknown (None) otherwise. Events a source denies or disputes do not move the timeline. Consecutive
events naming the same holder make one period; the period lists the events behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from strikewatch.fuse.features import day_number
from strikewatch.fuse.lexicon import FusionLexicon, lexicon
from strikewatch.records import ControlPeriod, Document, Event, Location

_SPACE = re.compile(r"\s+")


def place_key(location: Location) -> str | None:
    """A stable key for a place: its gazetteer id, else country and name, else the words as written."""
    if location.gazetteer_id:
        return location.gazetteer_id
    if location.name:
        return f"{(location.country or '').upper()}:{_SPACE.sub(' ', location.name.strip().lower())}"
    if location.text:
        return "text:" + _SPACE.sub(" ", location.text.strip().lower())
    return None


def _holder_after(event: Event, lex: FusionLexicon) -> str | None:
    actor = event.actor.name or lex.canonical_name(event.actor.text)
    if actor == "unknown":
        actor = None
    if _actor_lost(event, lex):
        target = lex.canonical_name(event.target.name) or lex.canonical_name(event.target.text)
        return target if target != "unknown" else None
    return actor


def _actor_lost(event: Event, lex: FusionLexicon) -> bool:
    """Does the sentence say the actor itself lost or left the place (a cue right after the actor's words)?"""
    sentence = event.evidence.sentence or ""
    actor = event.actor.text
    if not sentence or not actor:
        return False
    at = sentence.find(actor)
    if at < 0:
        at = sentence.lower().find(actor.lower())
    if at < 0:
        return False
    after = sentence[at + len(actor): at + len(actor) + 40]
    cue = lex.loss_re.search(after) if lex.loss_re else None
    return cue is not None and cue.start() <= 25


def _when(event: Event) -> int | None:
    """The day from which the new holder is certain: the end of the event's date span."""
    end = day_number(event.date.end) or day_number(event.date.start)
    return end


def control_timeline(events: Sequence[Event], documents: Mapping[str, Document] | None = None
                     ) -> dict[str, list[ControlPeriod]]:
    """Per-place holder periods (oldest first) from the territorial events among ``events``."""
    lex = lexicon()
    documents = documents or {}
    rows: dict[str, list[tuple[int, int, str, Event, str | None]]] = {}
    for e in events:
        if e.sub_type not in lex.control_sub_types:
            continue
        if (e.claim.modality or "asserted") in lex.opposing:
            continue
        key = place_key(e.location)
        day = _when(e)
        if key is None or day is None:
            continue
        doc = documents.get(e.doc_id)
        pub = doc.published.toordinal() if doc is not None and doc.published else 10**9
        rows.setdefault(key, []).append((day, pub, e.id, e, _holder_after(e, lex)))
    out: dict[str, list[ControlPeriod]] = {}
    for key in sorted(rows):
        periods: list[ControlPeriod] = []
        # on one day, a report naming the new holder outweighs one that leaves it unknown (a withdrawal)
        for day, _pub, _id, e, holder in sorted(rows[key], key=lambda r: (r[0], r[4] is not None, *r[1:3])):
            since = date.fromordinal(day).isoformat()
            if periods and periods[-1].holder == holder:
                periods[-1].events.append(e.id)
                continue
            if periods:
                periods[-1].until = since
            place = replace(e.location)
            periods.append(ControlPeriod(place=place, holder=holder, since=since, until=None, events=[e.id]))
        out[key] = periods
    return out


def holder_on(periods: Iterable[ControlPeriod], on: date | str) -> ControlPeriod | None:
    """The period covering ``on`` (the last one that began on or before it), or None before any event."""
    day = on if isinstance(on, str) else on.isoformat()
    found = None
    for p in periods:
        if p.since is not None and p.since <= day:
            found = p
    return found


def control_answer(periods: Sequence[ControlPeriod], on: date | str) -> dict:
    """CONTRACT's answer for one place: holder (or null), since, the events that say so."""
    day = on if isinstance(on, str) else on.isoformat()
    p = holder_on(periods, day)
    place = periods[0].place.to_dict() if periods else None
    if p is None:
        return {"place": place, "on": day, "holder": None, "since": None, "until": None, "events": []}
    return {"place": p.place.to_dict(), "on": day, "holder": p.holder, "since": p.since, "until": p.until,
            "events": list(p.events)}
