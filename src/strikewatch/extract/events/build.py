"""The pieces every event builder shares: location, claim, casualties, effects and the event itself."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from strikewatch.extract import numbers
from strikewatch.extract.attribution import Speaker, modality
from strikewatch.extract.effects import counted_effects
from strikewatch.extract.events.state import _State
from strikewatch.extract.frames import Frame
from strikewatch.extract.lexicon import ActorEntry, lexicon
from strikewatch.extract.places import (
    PlaceMention,
    find_places,
    is_anaphor,
)
from strikewatch.extract.strikes import prose_effects
from strikewatch.records import (
    Actor,
    Claim,
    DateSpan,
    Effect,
    Event,
    Evidence,
    Fatalities,
    Location,
    Quantities,
    Target,
)


def _widen_context(ev: Evidence, start: int, end: int) -> None:
    starts = [x for x in (ev.context_start, start) if x is not None]
    ends = [x for x in (ev.context_end, end) if x is not None]
    ev.context_start, ev.context_end = min(starts), max(ends)


# "The army confirmed it regained ...", "the rebels said that they took ...": the speaker is the subject.
_SAID_IT = re.compile(
    r"^\W*(?:\w+\s+){1,3}?(?:that\s+)?(?:it|they)\s+(?!was\b|were\b|is\b|are\b|had\s+been\b)", re.I
)


def _speaker_side(
    speaker: Speaker | None, text: str, state: _State | None = None
) -> tuple[str, ActorEntry] | None:
    """ "The ministry said its jets ...", "our forces liberated ...": the speaker's own side acts."""
    if speaker is not None and speaker.actor is not None:
        after = text[speaker.end :]
        if re.search(r"\b(?:its|their|our|we)\b", after, re.I) or _SAID_IT.match(after):
            entry = lexicon().actors.get(speaker.actor)
            if entry is not None:
                return speaker.text, entry
        return None
    if (
        speaker is None
        and state is not None
        and re.search(r"\b(?:its|our|we)\b", text, re.I)
        and state.issuer is not None
        and state.issuer[1] is not None
    ):
        return state.issuer[0], state.issuer[1]
    return None


def _issuer_side(state: _State, text: str) -> tuple[str, ActorEntry] | None:
    """A party's own statement names its aircraft without saying whose ("a Su-24M bomber destroyed")."""
    if state.issuer is None or state.issuer[1] is None or state.doc.kind in ("comment",):
        return None
    if lexicon().regex["weapon"].search(text):
        return state.issuer[0], state.issuer[1]
    return None


def _location(state: _State, place: PlaceMention | None, country: str | None, text: str) -> Location:
    """The place as written, resolved by the gazetteer when it is available."""
    if place is None:
        return Location()
    if place.country:
        return Location(text=place.text, name=place.name, country=place.country, precision=3)
    loc = Location(text=place.text, country=country)
    if not state.geocode or not place.name:
        return loc  # "two villages": no name to look up
    lookup = place.refers_to or place.text  # "near the town": the earlier place's name is looked up
    located = _locate(lookup, country, _geo_context(state))
    if (located is None or located.lat is None) and place.name != lookup:
        located = _locate(place.name, country, _geo_context(state))
    if country is None and state.doc_country and (located is None or located.country not in ("SY", "IQ")):
        # Nothing in Syria or Iraq by that name alone: ask again within the country the report is about.
        retry = _locate(lookup, state.doc_country, _geo_context(state))
        if retry is not None and retry.lat is not None:
            located = retry
    if place.refers_to and located is not None and located.precision is not None:
        # the earlier place's point, with the anaphor's relation ("near" the town: precision 2)
        located = replace(located, precision=max(located.precision, place.precision or 1))
    if located is not None:
        for name in ("name", "country", "admin1", "lat", "lon", "precision", "gazetteer_id"):
            value = getattr(located, name, None)
            if value is not None:
                setattr(loc, name, value)
    return loc


def _geo_context(state: _State) -> tuple[str, ...]:
    """The document's place expressions below country level, read once: they pull an ambiguous name
    toward the rest of the story (a "Sheikh Saeed" in a Daraa story resolves in Daraa)."""
    if state.geo_context is None:
        seen: dict[str, None] = {}
        for line in state.doc.text.splitlines():
            for p in find_places(line):
                if p.country is None and not is_anaphor(p.text):
                    seen.setdefault(p.name.removesuffix("'s"), None)
        state.geo_context = tuple(seen)[:40]
    return state.geo_context


def _locate(expression: str, country: str | None, context: tuple[str, ...]) -> Location | None:
    """The gazetteer's reading of a place expression; cached, since reports repeat their places."""
    others = tuple(c for c in context if c != expression and c not in expression)
    return _locate_cached(expression, country, others)


@lru_cache(maxsize=8192)
def _locate_cached(expression: str, country: str | None, context: tuple[str, ...]) -> Location | None:
    # a geocoder failure is an error of the document's extraction (reported by the pipeline), never a
    # silently missing location
    from strikewatch.geo import locate

    return locate(expression, country=country, context=list(context) or None)


def _fatalities(text: str) -> Fatalities:
    """The sentence's tolls summed once: sides add up, parts ("including five children") are not
    counted twice, and a claim of zero stays 0 (numbers.to_fatalities does the arithmetic)."""
    found = numbers.find_casualties(text)
    return found.to_fatalities() if found else Fatalities()


def _claim(state: _State, speaker: Speaker | None, text: str, actor: str | None) -> Claim:
    mod = modality(text, speaker, actor)
    side = (
        speaker.actor
        if speaker is not None
        else (state.issuer[1].name if state.issuer is not None and state.issuer[1] is not None else None)
    )
    if mod == "disputed" and actor is not None and side == actor:
        mod = "denied"  # the accused party calling an account false denies it
    elif mod == "denied" and actor is not None and side is not None and side != actor:
        mod = "disputed"  # another side rejecting the actor's account disputes it
    if speaker is not None:
        return Claim(speaker=speaker.text, modality=mod)
    doc = state.doc
    who = state.issuer[0] if state.issuer is not None else (doc.author or doc.outlet)
    if who is None and state.strike_actor is not None and actor == state.strike_actor[1].name:
        who = state.strike_actor[0]  # a release's lead names the party whose strikes it lists
    return Claim(speaker=who, modality=mod)


def _effects(text: str) -> list[Effect]:
    """A prose sentence's counted effects: the counted things of lexicon/effects.yaml (what fusion compares
    across sources), then what else prose_effect_verbs count that names another thing."""
    out = counted_effects(text)
    for e in prose_effects(text):
        words = set(e.object.lower().split())
        if not any(o.count == e.count and words & set(o.object.lower().split()) for o in out):
            out.append(e)
    return out


def negated(claim: Claim, frame: Frame | None) -> Claim:
    """A claim whose governing verb the parse finds negated ("the jets did not bomb the hospital") is a
    denial, unless the sentence already denies or disputes it."""
    if frame is not None and frame.negated and claim.modality not in ("denied", "disputed"):
        return Claim(speaker=claim.speaker, modality="denied")
    return claim


def make_event(
    state: _State,
    *,
    sub_type: str,
    event_type: str,
    when: DateSpan | None,
    actor: Actor,
    target: Target,
    place: PlaceMention | None,
    country: str | None,
    text: str,
    off: int,
    claim: Claim,
    quantities: Quantities | None = None,
    effects: list[Effect] | None = None,
    fatalities: Fatalities | None = None,
) -> Event:
    """The one constructor every builder ends in: an undated event takes the date the context sets
    (the paragraph's, a summary's, the lead's news day), in that order; the sentence is its evidence."""
    when = when or state.para_date or state.date or state.lead_date or DateSpan()
    return Event(
        id="",
        doc_id=state.doc.id,
        type=event_type,
        sub_type=sub_type,
        date=DateSpan(**when.to_dict()),
        actor=actor,
        target=target,
        location=_location(state, place, country, text),
        quantities=quantities or Quantities(),
        effects=effects if effects is not None else [],
        fatalities=fatalities if fatalities is not None else _fatalities(text),
        claim=claim,
        evidence=Evidence(text, off, off + len(text)),
    )
