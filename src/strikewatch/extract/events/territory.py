"""The builder for changes of control: captures, losses, withdrawals and handovers."""

from __future__ import annotations

import re

from strikewatch.extract.attribution import Speaker
from strikewatch.extract.events.build import (
    _claim,
    _speaker_side,
    make_event,
    negated,
)
from strikewatch.extract.events.discourse import _discourse_agent, _remember_agent
from strikewatch.extract.events.roles import (
    _agent_before,
    _event_place,
    _frame,
    _frame_agent,
    _generic_place,
    _not_event,
    _patient_place,
    _redeploys,
    _subject_place,
)
from strikewatch.extract.events.state import (
    TERRITORY_GAIN,
    TERRITORY_NONSTATE,
    TERRITORY_TRANSFER,
    _ActorMention,
    _State,
)
from strikewatch.extract.lexicon import lexicon
from strikewatch.extract.places import (
    PlaceMention,
    is_anaphor,
    place_at,
)
from strikewatch.records import (
    Actor,
    DateSpan,
    Event,
    Target,
)

_STATIVE = re.compile(r"\b(?:held|hold|controlled|control)$")


def _territory_event(
    state: _State,
    text: str,
    off: int,
    s: int,
    e: int,
    label: str,
    actors: list[_ActorMention],
    speaker: Speaker | None,
    places: list[PlaceMention],
    when: DateSpan | None,
    country: str | None,
) -> Event | None:
    kind = label.split(":", 2)[1]
    if _not_event(text, s):
        return None
    frame = _frame(state, s, e)
    if frame is not None and frame.negated:
        return None  # "never controlled", "did not capture": no change of control happened
    gainer: _ActorMention | None = None
    loser: _ActorMention | None = None
    place: PlaceMention | None = None
    if kind == "gain":
        gainer = _frame_agent(frame, actors, speaker)
        if gainer is None and (frame is None or frame.agent is None):
            gainer = _agent_before(actors, s, text, speaker)
        by = re.match(r"\s*(?:\w+\s+){0,6}?by\s+", text[e:])
        if gainer is None and by:  # "was retaken from ISIS by Iraqi forces"
            gainer = next((a for a in actors if a.start >= e + by.end() - 1 and a.entry is not None), None)
        place = place_at(text, e)
        if place is None and not _STATIVE.search(label):
            place = _generic_place(text, e)  # "seized two villages" (but "held territory" is a state)
        if place is None and frame is not None and frame.passive and frame.patient is not None:
            place = _patient_place(state, text, frame.patient)  # "the X quarter was taken"
        if gainer is None and frame is not None and frame.passive and frame.agent is None:
            gainer = _discourse_agent(state, off)  # the forces the sentences before say are advancing
        fr = re.search(r"\bfrom\s+", text[e:])
        if fr:
            loser = next((a for a in actors if a.start >= e + fr.end() - 1 and a.entry is not None), None)
        if place is None:
            return None
    elif kind == "expel":
        gainer = _agent_before(actors, s, text, speaker)
        loser = next((a for a in actors if a.start >= e and a.entry is not None and a is not gainer), None)
        place = _event_place(places, e)
    elif kind == "fall":
        gainer = next((a for a in actors if a.start >= e - 1 and a.entry is not None), None)
        place = _subject_place(text, s)
    elif kind == "lose":
        loser = _agent_before(actors, s, text, speaker)
        place = place_at(text, e) or _event_place(places, e) or _generic_place(text, e)
        if loser is None:
            return None
        if _redeploys(text, e, actors):
            return None  # "the contingent withdrew from its base": a redeployment, no territory changes hands
    elif kind == "transfer":
        loser = _agent_before(actors, s, text, speaker)
        to = re.search(r"\bto\s+", text[e:])
        if to:
            gainer = next((a for a in actors if a.start >= e + to.start() and a.entry is not None), None)
        place = place_at(text, e) or _event_place(places, e) or _generic_place(text, e)
    if place is None:
        return None
    if place.country is None and is_anaphor(place.text) and state.last_place is not None:
        place = state.last_place
    if (
        gainer is not None
        and gainer.entry is not None
        and loser is not None
        and loser.entry is not None
        and gainer.entry.name == loser.entry.name
    ):
        loser = None
    lex = lexicon()
    if gainer is None and kind in ("gain", "expel"):
        side = _speaker_side(speaker, text, state)
        if side is not None:
            gainer = _ActorMention(0, 0, side[0], side[1])
    if kind in ("transfer", "lose") or lex.regex["territory_transfer"].search(text):
        sub = TERRITORY_TRANSFER  # "entered the town without resistance": a capture with no fight
    elif gainer is not None and gainer.entry is not None:
        sub = TERRITORY_GAIN if gainer.entry.state else TERRITORY_NONSTATE
    elif loser is not None and loser.entry is not None:
        sub = TERRITORY_NONSTATE if loser.entry.state else TERRITORY_GAIN
    else:
        return None
    actor = (
        Actor(text=gainer.text, name=gainer.entry.name, country=gainer.entry.country)
        if gainer is not None and gainer.entry is not None
        else Actor()
    )
    target = Target(text=loser.text, name=loser.entry.name) if loser is not None and loser.entry else Target()
    claim = negated(_claim(state, speaker, text, actor.name), frame)
    if gainer is not None and gainer.end > 0:
        _remember_agent(state, gainer, off + len(text))
    return make_event(
        state,
        event_type=lex.sub_types[sub]["type"],
        sub_type=sub,
        when=when,
        actor=actor,
        target=target,
        place=place,
        country=country,
        text=text,
        off=off,
        claim=claim,
    )
