"""Counted effects in prose: "the jets destroyed 40 fuel trucks", "hits on only two of the trucks".

A release's lines have their own grammar (``strikes``); news and blogs state what a strike did in
ordinary sentences, and a count of the things it hit is what sources most often disagree on ("destroyed
168 trucks" against "the video showed hits on only three"). An effect is taken only when an exact number
counts one of the things of ``lexicon/effects.yaml`` right after an effect verb ("destroyed 40 trucks")
or right before a passive one ("nine vehicles were destroyed"): a toll's "12 fighters" is the casualty
reader's, and "a convoy of trucks" counts nothing. Approximate and open counts ("about 50", "at least
three", "dozens") give no effect: an effect's count is exact, and a bound is not a count.

``follow_up_counts`` reads the sentence right after a strike's (same paragraph, no event of its own):
"The footage showed hits on only two of the trucks." Said in the strike sentence's own voice, its counts
are that event's effects; said in another voice (the author after a ministry's claim), they are another
mention of the same strike, in that voice, so that fusion can set the two counts side by side.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from strikewatch.extract import numbers
from strikewatch.extract.lexicon import lexicon, load_data
from strikewatch.records import Claim, Effect, Event, Evidence, Fatalities, Quantities

_STOP = ("and", "or", "but", "in", "near", "on", "at", "of", "with", "from", "to", "the", "a", "an", "by",
         "as", "were", "was", "is", "are", "that", "which", "who", "while", "after", "before", "for")


@dataclass(frozen=True)
class _Patterns:
    before: re.Pattern[str]  # an effect verb (and "only", "a further") right before the count
    thing: re.Pattern[str]  # the counted thing right after the count
    passive: re.Pattern[str]  # a passive effect verb right after the thing
    any_thing: re.Pattern[str]  # a quick test: does the sentence name a countable thing at all?


def _alt(words: list[str]) -> str:
    words = sorted({str(w).strip() for w in words if str(w).strip()}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@cache
def _patterns() -> _Patterns:
    data = load_data("effects.yaml")["counted_effects"]
    mods = int(data.get("max_modifiers") or 3)
    stop = "|".join(_STOP)
    word = rf"(?!(?:{stop})\b)[A-Za-z][\w'-]*"
    return _Patterns(
        before=re.compile(rf"(?<![\w-])(?P<verb>{_alt(data['verbs'])})\s+(?:(?:{_alt(data['between'])})\s+){{0,2}}$",
                          re.I),
        thing=re.compile(rf"\s+(?:of\s+(?:the|their|its|those|these)\s+)?"
                         rf"(?P<obj>(?:{word}\s+){{0,{mods}}}(?:{_alt(data['objects'])}))(?![\w-])", re.I),
        passive=re.compile(rf"\s+(?:(?:{_alt(data['auxiliaries'])})\s+){{0,2}}(?P<verb>{_alt(data['passive'])})"
                           rf"(?![\w-])", re.I),
        any_thing=re.compile(rf"(?<![\w-])(?:{_alt(data['objects'])})(?![\w-])", re.I),
    )


def _strip_actor(obj: str) -> str:
    """'ISIS tanker trucks' -> 'tanker trucks': who owned the things is the target's business."""
    m = lexicon().regex["actor"].match(obj)
    if m and obj[m.end(): m.end() + 1] == " ":
        return obj[m.end():].strip()
    return obj


def counted_effects(text: str) -> list[Effect]:
    """The exact counts of things an effect verb acts on in one sentence, in order."""
    p = _patterns()
    out: list[Effect] = []
    if not p.any_thing.search(text):
        return out
    last_end, last_verb = -1, ""
    for num in numbers.find_numbers(text, vague=False):
        if num.approx or num.low is None or num.low != num.high:
            continue
        thing = p.thing.match(text, num.end)
        if thing is None:
            continue
        verb = p.before.search(text[: num.start]) or p.passive.match(text, thing.end())
        if verb is not None:
            said = " ".join(verb.group("verb").lower().split())
        elif last_end >= 0 and _LIST_GAP.fullmatch(text[last_end: num.start]):
            said = last_verb  # "destroyed three vehicles and two tanks"
        else:
            continue
        obj = _strip_actor(" ".join(thing.group("obj").split()))
        out.append(Effect(verb=said, count=num.low, object=obj))
        last_end, last_verb = thing.end(), said
    return out


_LIST_GAP = re.compile(r"\s*,?\s*(?:and\s+|as\s+well\s+as\s+)?", re.I)


def follow_up_counts(prev: Event, doc_text: str, sentence: str, off: int,
                     claim_of: Callable[[], Claim]) -> Event | None:
    """Counts stated in the sentence right after a strike's ("The video showed hits on only two trucks").

    In the strike sentence's own voice they become its effects (``prev`` is changed, None returned); in
    another voice, a new mention of the same strike in that voice is returned (its id still to be given).
    ``claim_of`` gives the sentence's speaker and modality (asked only when there are counts). A sentence
    that disputes or denies says nothing of its own about the count (fusion reads it as a dispute)."""
    if prev.type != "Explosions/Remote violence":
        return None
    if "\n\n" in doc_text[prev.evidence.end: off] or off - prev.evidence.end > 3:
        return None  # another paragraph, or not the very next sentence
    found = counted_effects(sentence)
    if not found:
        return None
    claim = claim_of()
    if claim.modality in ("denied", "disputed"):
        return None
    own = {(e.verb, e.object.lower()) for e in prev.effects}
    found = [e for e in found if (e.verb, e.object.lower()) not in own]
    if not found:
        return None
    if claim.speaker == prev.claim.speaker and claim.modality == prev.claim.modality:
        prev.effects = [*prev.effects, *found]
        ev = prev.evidence
        starts = [x for x in (ev.context_start, off) if x is not None]
        ends = [x for x in (ev.context_end, off + len(sentence)) if x is not None]
        ev.context_start, ev.context_end = min(starts), max(ends)
        return None
    twin = Event.from_dict(prev.to_dict())  # a copy that shares nothing with ``prev``
    if twin is None:
        return None
    end = off + len(sentence)
    return replace(twin, id="", quantities=Quantities(), effects=found, fatalities=Fatalities(), claim=claim,
                   evidence=Evidence(sentence, off, end, prev.evidence.start, end))
