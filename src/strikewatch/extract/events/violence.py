"""The builder for violent events in prose: strikes, shelling, clashes, attacks, bombings, their sub-types."""

from __future__ import annotations

import re
from functools import lru_cache

from strikewatch.extract import numbers
from strikewatch.extract.attribution import Speaker
from strikewatch.extract.events.build import (
    _claim,
    _effects,
    _fatalities,
    _issuer_side,
    _speaker_side,
    make_event,
    negated,
)
from strikewatch.extract.events.discourse import _anaphor_place, _remember_agent
from strikewatch.extract.events.roles import (
    _agent_before,
    _agent_weapon,
    _by_agent,
    _event_place,
    _frame,
    _frame_agent,
    _frame_target,
    _not_event,
    _outside_speaker,
    _target_from,
    _within,
)
from strikewatch.extract.events.state import _CIVILIAN, AIR, _ActorMention, _State
from strikewatch.extract.lexicon import lexicon
from strikewatch.extract.places import (
    PlaceMention,
    is_anaphor,
    passing_places,
    passive_subject,
    place_at,
)
from strikewatch.records import (
    Actor,
    DateSpan,
    Event,
    Target,
)

_BLAST = re.compile(
    r"\b(?:explod\w*|explosions?|detonat\w*|went\s+off|blew\s+up|blast|hit|struck|killed|killing|wounded|died|"
    r"wounding|injured|injuring|targeted|ripped|tore)\b",
    re.I,
)


_ANAPHORIC_NOUN = re.compile(r"\b(?:the|these|those|that|this|both)\s+(?:\w+\s+)?$", re.I)


@lru_cache(maxsize=4096)
def _weapons_named(text: str) -> tuple[str, ...]:
    """The sub-types the weapons written in a sentence stand for, in order (cached: every trigger of the
    sentence asks)."""
    lex = lexicon()
    found = (lex.weapons.get(m.group(0).lower()) for m in lex.regex["weapon"].finditer(text))
    return tuple(w for w in found if w)


def _classify(label: str, text: str, actors: list[_ActorMention], trig_start: int) -> str | None:
    """The ACLED sub-event type of a trigger in its sentence (weapons decide for generic verbs)."""
    lex = lexicon()
    ranks = lex.sub_types
    sub = lex.trigger_nouns.get(label) or lex.trigger_verbs.get(label)
    weapons = list(_weapons_named(text))
    overriding = _agent_weapon(text)
    if overriding and (sub is None or ranks[sub]["type"] != "Protests"):
        return overriding  # gas in a barrel bomb: a chemical attack
    # a chemical weapons site or another attack's gas does not type this one
    weapons = [w for w in weapons if w not in (lex.triggers.get("overriding_weapons") or [])]
    if sub is not None and label in (lex.triggers.get("generic_nouns") or []) and weapons:
        best = min(weapons, key=lambda w: ranks[w]["rank"])  # "drone attacks", "a missile strike"
        if ranks[best]["type"] == "Explosions/Remote violence":
            sub = best
    if sub is not None:
        return sub
    if label in lex.generic_verbs:
        if weapons:
            ranks = lex.sub_types
            return min(weapons, key=lambda w: ranks[w]["rank"])
        if any(a.entry is not None and a.end <= trig_start for a in actors):
            # "security forces killed 40 rebels": an armed party's act without a weapon named; the target
            # decides below between an attack on civilians and a clash
            return "Attack"
        return None
    return None


# the trigger noun is the subject of what happened: "two suicide bombers detonated their vests"
_NOUN_ACTS = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:detonated|blew|exploded|went\s+off|struck|hit|killed|attacked|targeted|rocked|"
    r"ripped|tore|destroyed|damaged|wounded|injured|stormed|opened\s+fire)\b",
    re.I,
)


_KILLED = re.compile(r"\b(?:were|was|been|are)\s+(?:\w+\s+)?(?:killed|wounded|injured)\b", re.I)


def _clash_party(actors: list[_ActorMention], text: str, e: int) -> bool:
    """ "were killed in clashes with rebel forces": the side fought, named after "with"."""
    m = re.match(r"\s+(?:\w+\s+){0,2}?with\s+", text[e:])
    return m is not None and any(a.entry is not None and a.start >= e + m.end() - 1 for a in actors)


def _violence_event(
    state: _State,
    text: str,
    off: int,
    actors: list[_ActorMention],
    trigs: list[tuple[int, int, str]],
    speaker: Speaker | None,
    places: list[PlaceMention],
    when: DateSpan | None,
    country: str | None,
    used_territory: bool,
    *,
    strict: bool = False,
    fat_text: str = "",
) -> tuple[Event, int] | None:
    """The event of the most specific violence trigger among ``trigs``, or None when it is not one."""
    lex = lexicon()

    candidates = []
    for s, e, label in trigs:
        if label.startswith("territory:"):
            continue
        sub = _classify(label, text, actors, s)
        if sub is None:
            continue
        if sub == "Remote explosive/landmine/IED" and label in lex.trigger_nouns and not _BLAST.search(text):
            continue  # a bomb named without going off ("a workshop where they assembled car bombs")
        if label in lex.generic_verbs and lex.regex["ordnance"].match(text, e):
            continue  # "destroyed 300 mines", "seized weapons": weapons disrupted, no attack
        candidates.append((lex.sub_types[sub]["rank"], s, e, label, sub))
    # a trigger inside a plan, a claim of responsibility or a conditional is not this sentence's event,
    # but another trigger of the sentence may be ("launched strikes on groups it accused of a gas attack")
    # (most specific first, each tested only until one holds: the test reads time words)
    ranked = sorted(candidates, key=lambda c: (c[0], c[1]))
    best = next((c for c in ranked if not _not_event(text, c[1])), None)
    if best is None:
        return None
    _, s, e, label, sub = best
    if used_territory and sub == "Armed clash":
        return  # the fighting that took a place is the capture itself
    if sub == "Remote explosive/landmine/IED" and lex.regex["not_event_demining"].search(text):
        return  # clearing or defusing mines is not an explosion
    r = lex.regex
    if (
        ranks_type(sub) == "Explosions/Remote violence"
        and r["not_event_accident"].search(text)
        and not r["not_event_accident_unless"].search(text)
    ):
        return None  # a gas cylinder or a factory that blew up: an accident, not an attack
    if label in ("raid", "raids", "raided", "stormed") and r["not_event_arrest"].search(text):
        return None  # a police raid that arrested people: arrests, not a fight
    if sub in ("Armed clash", "Attack") and r["protest"].search(text):
        # fighting or firing among protesters: a riot, or force used against them, never a battle
        force = _fires_on_protesters(text, e)
        sub = "Excessive force against protesters" if force else "Violent demonstration"
    is_noun = label in lex.trigger_nouns
    frame = _frame(state, s, e)
    agent = _frame_agent(frame, actors, speaker)
    if agent is None and (frame is None or (frame.agent is None and not frame.passive)):
        agent = _by_agent(actors, text, e, speaker) or _agent_before(actors, s, text, speaker)
        if agent is not None and frame is not None and _within(agent, frame.patient):
            agent = None  # what was hit is not who hit it
    side = (_speaker_side(speaker, text, state) or _issuer_side(state, text)) if agent is None else None
    if agent is None and side is None and sub == AIR and speaker is None and state.strike_actor is not None:
        side = state.strike_actor  # a release's or statement's own strikes: the party its lead names
    if agent is None and side is None and _ANAPHORIC_NOUN.search(text[:s]):
        prev = next((ev for ev in reversed(state.events) if ev.sub_type == sub and ev.actor.name), None)
        if prev is not None and "\n\n" in state.doc.text[prev.evidence.end : off]:
            prev = None  # another paragraph: another story
        if prev is not None:  # "... were killed in the strikes": the strikes just reported
            entry = lex.actors.get(prev.actor.name)
            side = (prev.actor.text, entry) if entry is not None else None
    place = _event_place(places, s)
    if place is None or place.country is not None:
        obj = place_at(text, e)
        if obj is None and (verb := _VERB_GAP.match(text, e)) is not None:
            then = lex.regex["trigger"].match(text, verb.end())
            obj = place_at(text, then.end()) if then is not None else None  # "Strikes hit Manbij"
        if obj is not None and not is_anaphor(obj.text):
            place = obj  # "ISIS attacked Sukhnah"
    if place is None or place.country is not None:
        passing = passing_places(text)
        if passing:
            place = passing[0]  # "Residents of Abu Kamal said ...": the place the sentence names
    if place is None or place.country is not None:
        place = passive_subject(text) or _anaphor_place(state, text) or place
    fat = _fatalities(fat_text or text)
    counted = find_numbers_any(text)
    local = place is not None and place.country is None
    if strict and (agent is None or not local):
        return None  # a later clause about the same strike ("..., while the strikes killed five")
    # the parse names who did it ("security forces committed widespread rape"): a report, not a generality
    told_by_parse = agent is not None and frame is not None and frame.agent is not None
    if (
        is_noun
        and not local
        and when is None
        and not counted
        and fat.killed is None
        and fat.injured is None
        and not _KILLED.search(text)
        and not told_by_parse
    ):
        return  # no place below country level, no time, no count, nobody killed: a generic statement
    if (
        is_noun
        and agent is None
        and side is None
        and not local
        and when is None
        and not (sub == "Armed clash" and _KILLED.search(text) and _clash_party(actors, text, e))
        and not _NOUN_ACTS.match(text, e)
    ):
        return  # a bare noun with nothing concrete around it is not a report of an event
    if (
        is_noun
        and agent is None
        and side is None
        and not local
        and fat.killed is None
        and fat.injured is None
    ) and _ANAPHORIC_NOUN.search(text[:s]):
        return  # "officials reported details of the latest strikes": strikes named, none reported
    target = _frame_target(frame, actors, text, agent, speaker) or _target_from(
        actors, text, e, agent, speaker
    )
    if sub == "Attack" and target.name not in (None, "civilians"):
        sub = "Armed clash"
    if sub == "Attack" and target.name is None and not _CIVILIAN.search(text):
        sub = "Armed clash" if agent is not None else "Attack"
    if (
        sub == "Attack"
        and r["military_target"].search(text[e : e + 80])
        and not _CIVILIAN.search(text[e : e + 80])
    ):
        sub = "Armed clash"  # militants attacked a checkpoint, killing soldiers: a fight, not a massacre
    if agent is not None and agent.entry is not None:
        actor = Actor(text=agent.text, name=agent.entry.name, country=agent.entry.country)
    elif side is not None:
        actor = Actor(text=side[0], name=side[1].name, country=side[1].country)
    else:
        actor = Actor()
    if sub == "Armed clash" and target.name is None:
        others = [
            a
            for a in actors
            if a is not agent
            and a.entry is not None
            and _outside_speaker(a, speaker)
            and a.entry.name != actor.name
        ]
        if others:
            target = Target(text=others[0].text, name=others[0].entry.name)
    claim = negated(_claim(state, speaker, text, actor.name), frame)  # "the jets did not bomb the hospital"
    _remember_agent(state, agent, off + len(text))
    event = make_event(
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
        effects=_effects(text),
        fatalities=fat,
        claim=claim,
    )
    return event, s


def ranks_type(sub: str) -> str:
    """The ACLED event type of a sub-event type."""
    return lexicon().sub_types[sub]["type"]


def _fires_on_protesters(text: str, trig_end: int) -> bool:
    """Force used against protesters: the protest words come after the trigger ("opened fire on
    demonstrators") or the police act ("police attacked the rally"); else the protesters fought."""
    r = lexicon().regex
    after = r["protest"].search(text, trig_end)
    before = text[:trig_end]
    return bool(after and after.start() - trig_end < 60) or bool(
        r["police"].search(before) and not r["protest"].search(before)
    )


def find_numbers_any(text: str) -> bool:
    return any(n.low is not None or n.high is not None for n in numbers.find_numbers(text, vague=False))


_VERB_GAP = re.compile(r"\s+(?:(?:also|again|reportedly|allegedly|then|later)\s+)?")
