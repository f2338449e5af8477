"""The builder for a strike clause (coalition releases and prose that reads like them)."""

from __future__ import annotations

from strikewatch.extract.attribution import Speaker
from strikewatch.extract.events.build import (
    _claim,
    _issuer_side,
    _speaker_side,
    make_event,
)
from strikewatch.extract.events.roles import _outside_speaker
from strikewatch.extract.events.state import _PASSIVE, _TARGET_TAIL, AIR, _ActorMention, _State
from strikewatch.extract.strikes import StrikeClause
from strikewatch.records import (
    Actor,
    DateSpan,
    Event,
    Quantities,
    Target,
)


def _strike_event(
    state: _State,
    text: str,
    off: int,
    clause: StrikeClause,
    agent: _ActorMention | None,
    actors: list[_ActorMention],
    speaker: Speaker | None,
    when: DateSpan | None,
    country: str | None,
) -> Event:
    if agent is not None and agent.entry is not None:
        actor = Actor(text=agent.text, name=agent.entry.name, country=agent.entry.country)
    elif (side := _speaker_side(speaker, text, state) or _issuer_side(state, text)) is not None:
        actor = Actor(text=side[0], name=side[1].name, country=side[1].country)
    elif state.strike_actor is not None:
        actor = Actor(
            text=state.strike_actor[0], name=state.strike_actor[1].name, country=state.strike_actor[1].country
        )
    else:
        actor = Actor()
    target = Target()
    if clause.target_text:
        t = clause.target_text
        tm = [
            a
            for a in actors
            if clause.start <= a.start < clause.end
            and a.entry is not None
            and a is not agent
            and _outside_speaker(a, speaker)
        ]
        target = Target(text=t, name=tm[0].entry.name if tm else None)
    if target.name is None:
        # "Near X, ISIL fighters were struck by two strikes": the release's other party is what was hit
        other = next(
            (
                a
                for a in actors
                if a.entry is not None
                and a is not agent
                and a.entry.name != actor.name
                and _outside_speaker(a, speaker)
                and (a.start >= clause.start or _PASSIVE.search(text[a.end :]))
            ),
            None,
        )
        if other is not None:
            tail = _TARGET_TAIL.match(text[other.end :])
            end = other.end + (tail.end() if tail else 0)
            target = Target(text=target.text or text[other.start : end].strip(), name=other.entry.name)
    return make_event(
        state,
        event_type="Explosions/Remote violence",
        sub_type=AIR,
        when=when,
        actor=actor,
        target=target,
        place=clause.place,
        country=country,
        text=text,
        off=off,
        quantities=Quantities(strikes=clause.strikes, engagements=clause.engagements, sorties=clause.sorties),
        effects=clause.effects,
        claim=_claim(state, speaker, text, actor.name),
    )
