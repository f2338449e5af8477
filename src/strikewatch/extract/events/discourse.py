"""Across sentences: the last agent, the place "the city" means, a toll joining the event before, the lead."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from spacy.tokens import Span

from strikewatch.extract import numbers, timex
from strikewatch.extract.attribution import Post, find_speaker, post_speakers
from strikewatch.extract.effects import follow_up_counts
from strikewatch.extract.events.build import _claim, _widen_context
from strikewatch.extract.events.roles import _actor_mentions, _agent_weapon
from strikewatch.extract.events.state import _ActorMention, _State
from strikewatch.extract.lexicon import load_data
from strikewatch.extract.places import (
    PlaceMention,
    find_anaphor,
    is_anaphor,
)
from strikewatch.ids import event_id


def _attach_toll(state: _State, text: str, off: int) -> None:
    """ "... shelled the village on Monday. At least 12 fighters were killed.": a toll stated in the next
    sentence of the same paragraph, which reports no event of its own, belongs to the event before it."""
    prev, state.prev_event = state.prev_event, None
    if prev is None:
        return
    twin = follow_up_counts(
        prev, state.doc.text, text, off, lambda: _claim(state, find_speaker(text), text, prev.actor.name)
    )
    if twin is not None:  # "The video showed hits on only two trucks": the author's count of that strike
        twin.id = event_id(state.doc.id, off, off + len(text), twin.sub_type, 0)
        state.events.append(twin)
    if "\n\n" in state.doc.text[prev.evidence.end : off] or off - prev.evidence.end > 3:
        return  # another paragraph, or not the very next sentence
    weapon = _agent_weapon(text)
    if weapon is not None and prev.type == "Explosions/Remote violence" and prev.sub_type != weapon:
        # "... fired shells into the town. Residents suspect the shells contained poison gas."
        prev.sub_type = weapon
        _widen_context(prev.evidence, off, off + len(text))
    if prev.fatalities.killed is not None or prev.fatalities.injured is not None:
        return
    found = numbers.find_casualties(text)
    fat = found.to_fatalities() if found else None
    if fat is None or (fat.killed is None and fat.injured is None):
        return
    prev.fatalities = fat
    _widen_context(prev.evidence, off, off + len(text))  # the toll's sentence is named as context


_LEAD_DATE = re.compile(r"^[\W_]*(?:[A-Z][A-Za-z ]{0,30}[-–—]{1,2}\s*)?(?:on|since|from|between)\s", re.I)


def _read_lead(state: _State, text: str, off: int, actor_spans: list[Span], sent: Span, lead: int) -> None:
    """A sentence without an event that opens with a date sets the date context of the lines below it;
    the state party it names doing something there is the acting party of what follows."""
    if not _LEAD_DATE.match(text):
        return
    times = [t for t in timex.find_times(text, state.reference) if t.span.start]
    if not times or times[0].start > 60:
        return
    state.date = times[0].span
    state.date_at = (off, off + len(text))
    state.para_date = None
    if actor_spans:
        first = _actor_mentions(actor_spans, sent, lead, state.country or state.doc_country)[0]
        if first.entry is not None and first.entry.state:
            state.strike_actor = (first.text, first.entry)


def _remember_agent(state: _State, agent: _ActorMention | None, end: int) -> None:
    """Keep the last named acting party for a later passive without one ("The quarter was taken.")."""
    if agent is not None and agent.entry is not None:
        state.last_agent = agent
        state.last_agent_end = end


def _discourse_agent(state: _State, off: int) -> _ActorMention | None:
    """The acting party of the sentences just before (within about three sentences, same paragraph)."""
    last = state.last_agent
    if last is None or off - state.last_agent_end > 600:
        return None
    if "\n\n" in state.doc.text[state.last_agent_end : off]:
        return None
    return _ActorMention(0, 0, last.text, last.entry)


def _anaphor_place(state: _State, text: str) -> PlaceMention | None:
    """ "near the town", "inside the city": the place the report named last, looked up in its stead. The
    text stays as written (it is in the evidence sentence); the relation keeps its precision."""
    a = find_anaphor(text)
    last = state.last_place
    if a is None or a.relation is None or last is None or is_anaphor(last.name):
        return None  # a bare "the town" is often the object of a plan ("an offensive to retake the town")
    return PlaceMention(a.start, a.end, a.text, last.name, a.relation, a.precision, refers_to=last.name)


def _post_at(state: _State, off: int) -> Post | None:
    """The social post a sentence belongs to ("Mira Haddad @mirahaddad - 3h" above it, or an embedded post's
    footer "— Mira Haddad (@mirahaddad) March 3, 2016" below it): that account says it."""
    if state.posts is None:
        state.posts = post_speakers(state.doc.text)
    return next((p for p in state.posts if p.start <= off < p.end), None)


def _post_reference(state: _State, post: Post | None) -> date | None:
    """The day a post's "this morning" and "yesterday" count from: the date of its byline when it gives one
    on or before the document's own reference date, else that reference."""
    if post is None or post.stamp is None or state.reference is None:
        return state.reference
    days = [t.span.start for t in timex.find_times(post.stamp, state.reference) if t.span.precision == "day"]
    day = date.fromisoformat(days[0]) if days and days[0] else None
    return day if day is not None and day <= state.reference else state.reference


@cache
def _ellipsis() -> re.Pattern[str]:
    """ "Four of the six", "two of the strikes", "three of them" (grammar.yaml ``ellipsis``)."""
    data = load_data("grammar.yaml")["ellipsis"]

    def alt(words: list[str]) -> str:
        ordered = sorted(map(str, words), key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)

    count = r"\d+|[A-Za-z]+(?:-[a-z]+)?"
    return re.compile(
        rf"^[\W_]*(?P<n>{count})(?P<rest>\s+(?P<opener>{alt(data['openers'])})\b(?:\s+(?P<head>{alt(data['heads'])})\b"
        rf"|\s+(?P<m>{count})\b(?:\s+(?:{alt(data['heads'])})\b)?)?)",
        re.I,
    )


def _elliptical_strikes(state: _State, text: str, off: int) -> str | None:
    """ "... carried out six airstrikes in Iraq on Monday. Four of the six hit targets near Tal Afar": a part
    of the strikes the sentence before counted, in the same paragraph. Returns the sentence with the part
    written out ("Four strikes     hit ...", same length, so offsets hold) for the strike-clause reader,
    which then takes the summary's actor and date; ``None`` when the sentence is no such part."""
    summary = state.summary
    if summary is None or off - summary[1] > 3 or "\n\n" in state.doc.text[summary[1] : off]:
        return None
    m = _ellipsis().match(text)
    if m is None:
        return None
    part = numbers.parse_number(m.group("n"))
    if part is None or part < 1 or (summary[0] is not None and part > summary[0]):
        return None
    rest_end = m.end("rest")
    them = m.group("opener").lower().endswith("them")
    whole = numbers.parse_number(m.group("m")) if m.group("m") is not None else None
    if whole is not None and summary[0] is not None and whole != summary[0]:
        return None  # "four of the nine": not the strikes just counted
    if whole is None and m.group("head") is None:
        if not them:
            return None  # "Two of the villages ...": a part of something else
        rest_end = m.end("opener")  # "Two of them destroyed ...": the verb follows
    rest = text[m.start("rest") : rest_end]
    written = " strikes"
    if len(rest) < len(written):
        return None
    return text[: m.start("rest")] + written.ljust(len(rest)) + text[rest_end:]
