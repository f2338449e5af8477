"""Who held a place when: a per-place timeline built from captures, losses, withdrawals and transfers,
and from stative sentences ("the ISIS-held town of X", "X, under the control of the army").

Each territorial event says who holds the place after it: its actor, unless the sentence says the actor
lost or left the place ("ISIS withdrew from ..."), when the holder is the event's target if one is named
and unknown (None) otherwise. Events a source denies or disputes do not move the timeline, nor do events
dated after their own document's publication (a sentence about who held the place before, misread).
Consecutive events naming the same holder make one period; the period lists the events behind it.

A stative fact (fuse/data/judgement.yaml ``stative``) says who held the place on the date of its
sentence's event: it supports the period covering that date when the holder agrees, marks the period
contested when it names another holder, and opens a period of its own ("held by X, as of that date")
where no event says anything before it. Clashes and attacks reported at the place inside a period mark
it contested too. ``partial_control`` rolls the quarters and villages around a city into its answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from strikewatch.fuse.features import day_number, km
from strikewatch.fuse.judgement import judgement
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


_HOLDER_WORDS = re.compile(r"[A-Za-z][\w'.]*")


def _holder_named(text: str, lex: FusionLexicon, *, last: bool) -> str | None:
    """The actor the words name: the last (before "-held") or first (after "held by") one or two words."""
    words = _HOLDER_WORDS.findall(text)
    if not words:
        return None
    spans = ([words[-2:], words[-1:]] if last else [words[:4], words[:3], words[:2], words[:1]])
    for span in spans:
        name = lex.canonical_name(" ".join(span))
        if name and name != "unknown":
            return name
    return None


def stative_holder(event: Event, lex: FusionLexicon | None = None) -> str | None:
    """Who the event's sentence says holds the event's place ("the ISIS-held town of X", "X, held by
    the army"), or None. The phrase must touch the place's words; history ("had held") does not count."""
    lex = lex or lexicon()
    judge = judgement()
    sentence = event.evidence.sentence or ""
    place = (event.location.text or event.location.name or "").strip()
    if not sentence or not place:
        return None
    at = sentence.lower().find(place.lower())
    if at < 0 and event.location.name:
        place = event.location.name
        at = sentence.lower().find(place.lower())
    if at < 0:
        return None
    low = sentence.lower()
    end = at + len(place)
    # "-held" inside the place words themselves ("the ISIS-held town of Hajin") or just before them
    window = sentence[max(0, at - 60): end]
    for cue in judge.stative_before:
        k = window.lower().rfind(cue.lower())
        if k >= 0:
            before = window[:k]
            after_cue = window[k + len(cue):]
            if re.search(r"[.;:!?]", after_cue) or len(after_cue) > len(place) + 30:
                continue
            name = _holder_named(before[-40:], lex, last=True)
            if name:
                return name
    tail = sentence[end: end + 80]
    for cue in sorted(judge.stative_after, key=len, reverse=True):
        k = tail.lower().find(cue.lower())
        if 0 <= k <= 12 and not re.search(r"[.;:!?]", tail[:k]):
            span = low[max(0, at - 20): end + k + len(cue)]
            if judge.stative_past_re and judge.stative_past_re.search(span):
                return None
            name = _holder_named(tail[k + len(cue):], lex, last=False)
            if name:
                return name
    return None


def _fight_facts(events: Sequence[Event]) -> dict[str, list[tuple[int, str]]]:
    judge = judgement()
    out: dict[str, list[tuple[int, str]]] = {}
    for e in events:
        if e.sub_type not in judge.fighting_sub_types or e.type != "Battles":
            continue
        key = place_key(e.location)
        day = day_number(e.date.start)
        if key is not None and day is not None and (day_number(e.date.end) or day) - day <= 3:
            out.setdefault(key, []).append((day, e.id))
    return out


def control_timeline(events: Sequence[Event], documents: Mapping[str, Document] | None = None
                     ) -> dict[str, list[ControlPeriod]]:
    """Per-place holder periods (oldest first) from the territorial and stative events among ``events``."""
    lex = lexicon()
    documents = documents or {}
    rows: dict[str, list[tuple[int, int, str, Event, str | None]]] = {}
    stative: dict[str, list[tuple[int, str, str, Event]]] = {}
    for e in events:
        if (e.claim.modality or "asserted") in lex.opposing:
            continue
        key = place_key(e.location)
        day = _when(e)
        if key is None or day is None:
            continue
        doc = documents.get(e.doc_id)
        pub = doc.published.toordinal() if doc is not None and doc.published else 10**9
        if e.sub_type in lex.control_sub_types:
            if day > pub:
                continue  # dated after its own report: a misread sentence about the past
            rows.setdefault(key, []).append((day, pub, e.id, e, _holder_after(e, lex)))
        else:
            holder = stative_holder(e, lex)
            if holder:
                stative.setdefault(key, []).append((min(day, pub), e.id, holder, e))
    fights = _fight_facts(events)
    out: dict[str, list[ControlPeriod]] = {}
    for key in sorted(set(rows) | set(stative)):
        periods: list[ControlPeriod] = []
        # on one day, a report naming the new holder outweighs one that leaves it unknown (a withdrawal)
        for day, _pub, _id, e, holder in sorted(rows.get(key, []),
                                                key=lambda r: (r[0], r[4] is not None, *r[1:3])):
            since = date.fromordinal(day).isoformat()
            if periods and periods[-1].holder == holder:
                periods[-1].events.append(e.id)
                continue
            if periods:
                periods[-1].until = since
            place = replace(e.location)
            periods.append(ControlPeriod(place=place, holder=holder, since=since, until=None, events=[e.id]))
        for day, eid, holder, e in sorted(stative.get(key, [])):
            iso = date.fromordinal(day).isoformat()
            p = holder_on(periods, iso)
            if p is None:
                # nothing said before: the sentence says who held it then (the first period starts here)
                first = periods[0] if periods else None
                if first is not None and first.holder == holder:
                    first.since = iso
                    first.stative.append(eid)
                    continue
                periods.insert(0, ControlPeriod(place=replace(e.location), holder=holder, since=iso,
                                                until=first.since if first else None, events=[],
                                                stative=[eid]))
            elif p.holder == holder or p.holder is None and not p.events:
                p.stative.append(eid)
            else:
                p.stative.append(eid)
                p.contested = True
                if holder not in p.others:
                    p.others.append(holder)
        for day, eid in sorted(fights.get(key, [])):
            iso = date.fromordinal(day).isoformat()
            p = holder_on(periods, iso)
            if p is not None and (p.until is None or iso < p.until) and iso > (p.since or ""):
                p.fighting.append(eid)
                p.contested = True
        out[key] = periods
    return out


def partial_control(timelines: Mapping[str, Sequence[ControlPeriod]], city: Location, on: date | str,
                    *, exclude: str | None = None) -> list[dict]:
    """The holders, on ``on``, of the quarters and villages within ``quarter_radius_km`` of a city's point
    (their own timelines), nearest first: the city's partial control."""
    if city.lat is None or city.lon is None:
        return []
    day = on if isinstance(on, str) else on.isoformat()
    radius = judgement().quarter_radius_km
    out = []
    for key, periods in timelines.items():
        if key == exclude or not periods:
            continue
        place = periods[0].place
        if place.lat is None or place.lon is None or place.gazetteer_id == city.gazetteer_id:
            continue
        dist = km(city.lat, city.lon, place.lat, place.lon)
        if dist > radius or dist < 0.05:
            continue
        p = holder_on(periods, day)
        if p is None:
            continue
        out.append({"place": place.name or place.text, "place_key": key, "distance_km": round(dist, 1),
                    "holder": p.holder, "since": p.since, "until": p.until, "events": list(p.events),
                    "stative": list(p.stative), "contested": p.contested})
    out.sort(key=lambda r: (r["distance_km"], r["place"] or ""))
    return out


_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
          10: "ten", 11: "eleven", 12: "twelve"}


def _quarters(n: int) -> str:
    words = judgement().quarter_words
    return f"{_WORDS.get(n, str(n))} {words[0] if n == 1 else words[1]}"


def rolls_up(feature: str | None, own_timeline: bool) -> bool:
    """Does a place's answer take in its quarters? A city or a town does (judgement.yaml
    ``rollup_features``); a quarter or a village does not (its neighbours are not its parts). When the
    gazetteer's kind is unknown, only a place no report speaks of itself does."""
    if feature:
        return feature.lower() in judgement().rollup_features
    return not own_timeline


def roll_up(answer: dict, parts: Sequence[dict], *, feature: str | None = None,
            own_timeline: bool = False) -> dict:
    """The city's answer with its quarters and villages rolled up into it (``partial``, ``rollup``,
    ``partial_note``, ``summary``, ``holder_basis``).

    The holder of most quarters whose holder is known is the city's *partial* holder: when no report
    speaks of the city as a whole, it is the answer (``holder_basis: "quarters"``), contested when other
    quarters are held by others, worded "Syrian government forces, all but five quarters held by rebels",
    with the events of every quarter behind it. A tie names no holder (the city is split, and the summary
    says so). A city whose own timeline answers keeps its answer (``holder_basis: "place"``); its quarters
    are the note. Only a city or a town rolls up (``rolls_up``); around a quarter, ``partial`` lists the
    neighbours and nothing more."""
    out = dict(answer)
    out["partial"] = list(parts)
    out["holder_basis"] = "place" if answer.get("holder") else None
    out["rollup"] = out["partial_note"] = out["summary"] = None
    if not rolls_up(feature, own_timeline):
        return out  # a quarter: the places around it are listed, not its parts
    by_holder: dict[str, list[dict]] = {}
    for p in parts:
        if p.get("holder"):
            by_holder.setdefault(p["holder"], []).append(p)
    ranked = [{"holder": h, "count": len(ps), "places": [p["place"] for p in ps], "parts": ps}
              for h, ps in sorted(by_holder.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    if not ranked:
        return out
    known = sum(r["count"] for r in ranked)
    tie = len(ranked) > 1 and ranked[1]["count"] == ranked[0]["count"]
    top, others = (None, ranked) if tie else (ranked[0], ranked[1:])
    out["rollup"] = {"holder": top["holder"] if top else None, "known": known,
                     "unknown": len(parts) - known, "held": top["count"] if top else 0,
                     "places": top["places"] if top else [],
                     "others": [{k: r[k] for k in ("holder", "count", "places")} for r in others]}
    if top is None:
        note = "split: " + "; ".join(f"{_quarters(r['count'])} held by {r['holder']}" for r in ranked)
    elif others:
        rest = sum(r["count"] for r in others)
        whom = (others[0]["holder"] if len(others) == 1
                else " and ".join(f"{r['holder']} ({r['count']})" for r in others))
        note = f"all but {_quarters(rest)} held by {whom}"
    elif top["count"] == 1:
        note = f"the one {judgement().quarter_words[0]} whose holder is known"
    else:
        note = f"all {_quarters(top['count'])} whose holder is known"
    out["partial_note"] = note
    own = answer.get("holder")
    if own and top is not None and top["holder"] == own:
        out["summary"] = f"{own}, {note}"
    elif own or answer.get("since"):  # the city's own timeline answers (an unknown holder is an answer too)
        out["holder_basis"] = "place"
        out["summary"] = f"{own or 'holder unknown'}; around it, " + "; ".join(
            f"{_quarters(r['count'])} held by {r['holder']}" for r in ranked)
    elif top is None:
        out["summary"] = f"no single holder ({note})"
    else:
        known_parts = [p for r in ranked for p in r["parts"]]
        out.update(holder=top["holder"], holder_basis="quarters",
                   since=max((p["since"] for p in top["parts"] if p.get("since")), default=None), until=None,
                   contested=bool(others) or any(p.get("contested") for p in top["parts"]),
                   events=sorted({e for p in known_parts for e in p.get("events") or []}),
                   stative=sorted({e for p in known_parts for e in p.get("stative") or []}))
        out["summary"] = f"{top['holder']}, {note}"
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
    """CONTRACT's answer for one place: holder (or null), since, until, contested, the events that say so
    (captures and losses in ``events``, stative sentences in ``stative``), and the whole ``timeline``."""
    day = on if isinstance(on, str) else on.isoformat()
    p = holder_on(periods, day)
    if p is not None and p.until is not None and p.until <= day:
        p = None
    place = periods[0].place.to_dict() if periods else None
    timeline = [{"holder": q.holder, "since": q.since, "until": q.until, "events": list(q.events),
                 "stative": list(q.stative), "fighting": list(q.fighting), "contested": q.contested,
                 "others": list(q.others)} for q in periods]
    if p is None:
        return {"place": place, "on": day, "holder": None, "since": None, "until": None, "events": [],
                "stative": [], "fighting": [], "contested": False, "timeline": timeline}
    return {"place": p.place.to_dict(), "on": day, "holder": p.holder, "since": p.since, "until": p.until,
            "events": list(p.events), "stative": list(p.stative), "fighting": list(p.fighting),
            "contested": p.contested, "others": list(p.others), "timeline": timeline}
