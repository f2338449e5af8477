"""Reading one sentence: triggers, clauses, lists of places, and which builder each trigger goes to."""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Span

from strikewatch.extract import story, timex
from strikewatch.extract.attribution import Speaker, find_speaker
from strikewatch.extract.events.build import _geo_context, _locate, _location
from strikewatch.extract.events.discourse import (
    _attach_toll,
    _elliptical_strikes,
    _post_at,
    _post_reference,
    _read_lead,
    _remember_agent,
)
from strikewatch.extract.events.roles import (
    _actor_mentions,
    _agent_before,
    _frame,
    _frame_agent,
    _not_event,
    _outside_speaker,
)
from strikewatch.extract.events.state import _ActorMention, _State
from strikewatch.extract.events.strike import _strike_event
from strikewatch.extract.events.territory import _territory_event
from strikewatch.extract.events.violence import _violence_event
from strikewatch.extract.lexicon import lexicon
from strikewatch.extract.places import (
    PlaceMention,
    find_anaphor,
    find_places,
    list_after,
    place_name,
)
from strikewatch.extract.strikes import find_strike_clauses
from strikewatch.ids import event_id
from strikewatch.records import (
    DateSpan,
    Event,
    Evidence,
    Fatalities,
    NegativeReport,
    Quantities,
)

_NEGATIVE = re.compile(
    r"\b(?:no|zero)\s+(?:\w+\s+){0,2}?(?:air\s?)?strikes?\b|\bno\s+(?:coalition\s+)?(?:air\s?)?strikes?\s+"
    r"(?:were|was)\b|\bdid\s+not\s+conduct\s+(?:any\s+)?(?:air\s?)?strikes\b",
    re.I,
)


_MODAL_AFTER = re.compile(
    r"\s*(?:would|will|may|might|could|can|should|must|means?|are\s+meant|is\s+meant)\b", re.I
)


_CLAUSE_CUT = re.compile(r";\s+|,\s+while\s+|\s+while\s+|,\s+whereas\s+|,\s+and\s+meanwhile\s+", re.I)


def _read_sentence(state: _State, sent: Span, actor_spans: list[Span], trigger_spans: list[Span]) -> None:
    """Read one sentence into events (``state.pdoc`` is its parse, when ``parse_plan`` chose it)."""
    lex = lexicon()
    raw = sent.text
    if sent.start_char < state.headline_end:
        return
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    off = sent.start_char + lead
    heading = text.rstrip(":").strip(" *#-").strip()
    countries = lex.places["countries"]
    if heading in countries:
        state.country = countries[heading]
        return
    full = state.doc.text
    line_start = sent.start_char == 0 or "\n" in full[max(0, sent.start_char - 3) : sent.start_char + lead]
    if line_start and not re.match(r"^[*\-•·–—]|^\d+[.)]\s", text):
        state.country = None  # a heading's country covers the list below it, not the prose after it
    # "In Syria, ..." / "Separately in Iraq, ..." sets the country for this sentence and the ones below.
    m = re.match(
        r"^[\W_]*(?:separately,?\s+|additionally,?\s+|meanwhile,?\s+)?in\s+(?:the\s+)?([A-Z][\w ]+?),",
        text,
        re.I,
    )
    if m and m.group(1) in countries:
        state.country = countries[m.group(1)]
    # "Four of the six hit targets near X": a part of the strikes the sentence before counted
    clause_text = _elliptical_strikes(state, text, off)
    if not trigger_spans and clause_text is None:
        # Nothing happens in this sentence, but a lead ("On October 30, Russian aircraft continued ...")
        # dates the statement's sentences below it and names the party acting in them.
        _read_lead(state, text, off, actor_spans, sent, lead)
        _attach_toll(state, text, off)
        # It may still name the speaker that "he said" refers to.
        if "said" in text or "according" in text or "told" in text:
            found = find_speaker(text)
            if found is not None and found.text.lower() not in ("he", "she", "it", "they"):
                state.last_speaker = found
        return
    post = _post_at(state, off)  # a copied social post: its account speaks, from its own day
    times = list(timex.find_times(text, _post_reference(state, post) if post else state.reference))
    places = find_places(text)
    sentence_countries = {p.country for p in places if p.country}
    country = state.country
    if len(sentence_countries) == 1 and not (m and m.group(1) in countries):
        country = next(iter(sentence_countries))

    if _NEGATIVE.search(text) and not re.search(
        r"\b(?:no\s+(?:civilian|casualt)|killed|destroyed)", text, re.I
    ):
        neg_country = next(iter(sentence_countries)) if len(sentence_countries) == 1 else state.country
        when = _best_time(times) or state.date or DateSpan()
        state.negatives.append(
            NegativeReport(
                doc_id=state.doc.id,
                country=neg_country,
                date=when,
                evidence=Evidence(text, off, off + len(text)),
            )
        )
        return

    actor_country = country or state.doc_country
    if actor_country is None and state.geocode:
        local = next((p for p in places if p.country is None), None) or state.last_place
        found = _locate(local.text, None, _geo_context(state)) if local is not None else None
        actor_country = found.country if found is not None else None
    actors = _actor_mentions(actor_spans, sent, lead, actor_country)
    speaker = find_speaker(text)
    if speaker and speaker.text.lower() in ("he", "she", "it", "they") and state.last_speaker:
        speaker = Speaker(
            state.last_speaker.text, speaker.start, speaker.end, speaker.verb, state.last_speaker.actor
        )
    elif (
        speaker
        and speaker.actor is None
        and state.last_speaker is not None
        and state.last_speaker.actor is not None
        and re.sub(r"^(?:the|its|their|this|that)\s+", "", speaker.text.lower())
        in (lex.modality.get("document_speakers") or [])
    ):
        # "..., the summary said": the document of the party that last spoke
        speaker = Speaker(speaker.text, speaker.start, speaker.end, speaker.verb, state.last_speaker.actor)
    elif speaker:
        state.last_speaker = speaker
    if speaker is None and post is not None:
        speaker = post.speaker
    base = sent.start_char + lead
    first_trigger = min((sp.start_char for sp in trigger_spans), default=base) - base
    own_time = _best_time(times, text, first_trigger)
    if (
        own_time is not None
        and (state.para_date or state.date)
        and _earlier_clause_time(times, own_time, text, first_trigger)
    ):
        own_time = None  # "strikes engaged units that had attacked the town on Sunday": the attack's day
    if own_time is not None and _only_speech_times(times, text):
        if state.para_date or state.date:
            own_time = None  # "the ministry said on Monday that ...": the day it spoke, not the event's
        elif own_time.precision == "day" and own_time.start:
            own_time = _on_or_before(own_time)  # nothing else dates it: on or shortly before that day
    made: list[Event] = []

    clauses = find_strike_clauses(clause_text or text)
    covered: list[tuple[int, int]] = []
    has_summary = False
    prev_end = 0
    for clause in clauses:
        is_summary = clause.conducted and (clause.place is None or clause.place.country is not None)
        has_summary = has_summary or is_summary
        if is_summary:
            state.summary = (clause.strikes, off + len(text))
        elif clause_text is not None and state.summary is not None:
            state.summary = (state.summary[0], off + len(text))  # "... The other two hit ..." may follow
        if clause.place is not None or is_summary:
            covered.append((clause.start, clause.end))
        # A counted strike's agent is written in its own clause, and never as what an earlier clause hit
        # ("one strike destroyed an ISIL garrison, while one strike near X ...": ISIL is not acting).
        own = [
            a
            for a in actors
            if a.start >= prev_end and not _HIT_BEFORE.search(text[max(0, a.start - 40) : a.start])
        ]
        agent = _agent_before(
            own, clause.start if clause.place is None else min(clause.start, clause.end), text, speaker
        )
        prev_end = max(prev_end, clause.end)
        if clause.conducted and agent is not None and agent.entry is not None:
            state.strike_actor = (agent.text, agent.entry)
        if is_summary or clause.strikes is None or clause.place is None:
            continue
        if _MODAL_AFTER.match(
            text,
            clause.start
            + (
                text[clause.start :].find(clause.count_text)
                if clause.count_text in text[clause.start :]
                else 0
            )
            + len(clause.count_text),
        ):
            continue  # "a single strike may hit several targets": a definition, not a report
        if _not_event(
            text,
            clause.start
            + (
                clause.place.end - clause.place.start
                if clause.place and clause.place.start == clause.start
                else 0
            ),
        ):
            continue
        made.append(_strike_event(state, text, off, clause, agent, actors, speaker, own_time, country))

    for ev, _trig_start in _prose_events(
        state,
        text,
        off,
        actors,
        trigger_spans,
        sent,
        lead,
        covered,
        speaker,
        places,
        own_time,
        country,
        violence=not (made or has_summary),
    ):
        made.append(ev)

    summary = any(c.conducted and (c.place is None or c.place.country) for c in clauses)
    if own_time is not None and own_time.start:
        overview = made and all(e.location.precision == 3 or not e.location.text for e in made)
        if summary or overview or (not made and (trigger_spans or clauses)):
            state.date = own_time  # a summary or lead sentence sets the date for the lines below
            state.date_at = (off, off + len(text))
            state.para_date = None
        elif made:
            state.para_date = own_time
            state.para_date_at = (off, off + len(text))
    for p in places:
        if p.country is None:
            state.last_place = p
            state.last_place_country = country
    last = made[-1].location if made else None
    if last is not None and last.text and last.precision != 3 and not find_anaphor(last.text):
        name = place_name(last.text)
        state.last_place = PlaceMention(0, len(last.text), last.text, name, None, 1)
    made = _per_listed_place(state, made, places, country, text)
    for i, ev in enumerate(made):
        if own_time is None and ev.claim.modality in ("denied", "disputed"):
            ev.date = DateSpan()  # an account rejected is not dated by the statement's own lead
        if own_time is None and ev.date.start is not None:
            at = state.para_date_at if state.para_date is not None else state.date_at
            if at is not None:  # the date came from the context sentence: name it
                ev.evidence.context_start, ev.evidence.context_end = at
        ev.id = event_id(state.doc.id, ev.evidence.start, ev.evidence.end, ev.sub_type, i)
        state.events.append(ev)
    if made:
        state.prev_event = made[-1]
    else:
        _attach_toll(state, text, off)
        if state.pdoc is not None and any(a.entry is not None for a in actors):
            # "forces pressed on with their advance": who acts, for a passive capture below
            for sp in trigger_spans:
                fr = _frame(state, sp.start_char - base, sp.end_char - base)
                if fr is not None and not fr.passive:
                    _remember_agent(state, _frame_agent(fr, actors, speaker), off + len(text))
        if state.strike_actor is None:
            # "U.S. and coalition forces have continued to attack ISIL ..., officials reported": the party
            # a release's lead names acting is the acting party of the lines below it.
            first = next((a for a in actors if a.entry is not None and _outside_speaker(a, speaker)), None)
            if (
                first is not None
                and first.entry.state
                and _agent_before(actors, first_trigger, text, speaker) is first
            ):
                state.strike_actor = (first.text, first.entry)


def _per_listed_place(
    state: _State, made: list[Event], places: list[PlaceMention], country: str | None, text: str
) -> list[Event]:
    """One event per place of a list the event's place opens ("shelled the towns of Rastan and Talbiseh",
    "took Hit, Kubaysah and Baghdadi"), as ACLED codes them. A toll or a count stated for the list as a
    whole stays with the first place's event: it is not known how it divides."""
    out: list[Event] = []
    for ev in made:
        out.append(ev)
        head = next((p for p in places if p.joins is None and p.text == ev.location.text), None)
        if head is not None:
            members = [p for p in places if p.joins == head.start]
        elif ev.location.text and ev.location.text in text:  # a verb's object ("captured X, Y and Z")
            at = text.index(ev.location.text)
            members = list_after(
                text,
                PlaceMention(
                    at, at + len(ev.location.text), ev.location.text, place_name(ev.location.text), None, 1
                ),
            )
        else:
            members = []
        for member in members:
            twin = Event.from_dict(ev.to_dict())
            if twin is None:
                continue
            twin.location = _location(state, member, country, text)
            twin.fatalities = Fatalities()
            twin.quantities = Quantities()
            out.append(twin)
    return out


_HIT_BEFORE = re.compile(
    r"\b(?:destroyed|damaged|struck|engaged|hit|targeted|suppressed|against|on)\s+(?:(?:an?|the|\w+)\s+){0,3}$",
    re.I,
)


_PLUPERFECT = re.compile(r"\b(?:that|which|who)\s+had\s+(?:been\s+)?\w+", re.I)


def _earlier_clause_time(times: list[timex.TimeMention], chosen: DateSpan, text: str, trigger: int) -> bool:
    """The chosen time sits in a pluperfect relative clause after the trigger: it dates something that
    happened before the event, not the event."""
    for t in times:
        if t.span is not chosen:
            continue
        rel = None
        for m in _PLUPERFECT.finditer(text, trigger, t.start):
            rel = m
        return rel is not None and not re.search(r"[,;]", text[rel.end() : t.start])
    return False


def _only_speech_times(times: list[timex.TimeMention], text: str) -> bool:
    """Every resolved time of the sentence dates a speech verb ("said on Monday")."""
    resolved = [t for t in times if t.span.start]
    return bool(resolved) and all(
        lexicon().regex["speech_time"].search(text[max(0, t.start - 40) : t.start]) for t in resolved
    )


def _on_or_before(day: DateSpan) -> DateSpan:
    """ "announced on March 14 that its jets had destroyed ...": the day of the speech ends the deed's span,
    which opens ``story.speech_day_reach`` days before it (precision range, the speech's words kept)."""
    end = date.fromisoformat(day.start or "")
    start = end - timedelta(days=story.speech_day_reach())
    return DateSpan(start=start.isoformat(), end=end.isoformat(), precision="range", text=day.text)


def _best_time(times: list[timex.TimeMention], text: str = "", near: int | None = None) -> DateSpan | None:
    """The time of what happened: not the day something was said ("said on Tuesday that ... on Sunday"),
    and of several, the one written nearest the trigger."""
    resolved = [t for t in times if t.span.start]
    if text:
        said = lexicon().regex["speech_time"]
        events = [t for t in resolved if not said.search(text[max(0, t.start - 40) : t.start])]
        resolved = events or resolved
    if resolved:
        if near is not None:
            return min(resolved, key=lambda t: abs(t.start - near)).span
        return resolved[0].span
    dating = [t for t in times if t.span.precision not in UNDATED_PRECISIONS]
    return dating[0].span if dating else None


# Time mentions that date nothing on their own: a length of time ("for two years") or a time counted from
# another the text gives ("the following day", "four days later") that the reader could not resolve.
UNDATED_PRECISIONS = frozenset({"duration", "anaphoric"})


def _prose_events(
    state: _State,
    text: str,
    off: int,
    actors: list[_ActorMention],
    trigger_spans: list[Span],
    sent: Span,
    lead: int,
    covered: list[tuple[int, int]],
    speaker: Speaker | None,
    places: list[PlaceMention],
    when: DateSpan | None,
    country: str | None,
    violence: bool = True,
):
    base = sent.start_char + lead
    trigs = []
    for sp in trigger_spans:
        s, e = sp.start_char - base, sp.end_char - base
        if any(cs <= s < ce for cs, ce in covered):
            continue
        if speaker is not None and speaker.start <= s < speaker.end:
            continue
        trigs.append((s, e, sp.label_))
    if not trigs:
        return
    # Territory first: each change of control is its own event. Longest phrase wins ("held by" > "held").
    terr = sorted((t for t in trigs if t[2].startswith("territory:")), key=lambda t: (t[0], t[0] - t[1]))
    kept, last_end = [], -1
    for t in terr:
        if t[0] >= last_end:
            kept.append(t)
            last_end = t[1]
    trigs = [t for t in trigs if not t[2].startswith("territory:")] + kept
    used_territory = False
    for s, e, label in kept:
        if not label.startswith("territory:"):
            continue
        if used_territory:
            break
        ev = _territory_event(state, text, off, s, e, label, actors, speaker, places, when, country)
        if ev is not None:
            used_territory = True
            yield ev, s
    if not violence:
        return  # a sentence with counted strikes already gave its events
    # Violence: the most specific trigger of each clause ("Russian jets bombed Saraqib, while rebels
    # shelled Hama" reports two events); a later clause needs its own actor and place.
    cuts = [0] + [m.end() for m in _CLAUSE_CUT.finditer(text)] + [len(text)]
    for i in range(len(cuts) - 1):
        a, b = cuts[i], cuts[i + 1]
        seg_trigs = [t for t in trigs if a <= t[0] < b]
        if not seg_trigs:
            continue
        several = len(cuts) > 2
        seg_actors = [x for x in actors if a <= x.start < b] if several else actors
        seg_places = [p for p in places if a <= p.start < b] if several else places
        found = _violence_event(
            state,
            text,
            off,
            seg_actors,
            seg_trigs,
            speaker,
            seg_places,
            when,
            country,
            used_territory,
            strict=i > 0,
            fat_text=text if i == 0 else text[a:b],
        )
        if found is not None:
            yield found
