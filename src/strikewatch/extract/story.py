"""News-story conventions read after every sentence of a story: what its opening paragraph and its
headline say about the events its sentences report.

A news story reports the news of its day in its opening paragraph, and its headline names the place its
lead often describes only vaguely ("Jets kill 12 in Syria's Idlib" above "Air strikes killed 12 people in
north-western Syria on Monday"). Two rules follow, for a dated story (one with a reference day):

- an event of the opening paragraph (the first ``opening_sentences`` of the body, ``grammar.yaml``) that
  no time expression dates, in a sentence that speaks of no other occasion, is given the news day (the day
  of the story and the one before, precision ``range``, no words behind it), as the lead sentence's are;
- an event of the opening paragraph placed no lower than a country ("in northern Syria", or nowhere) takes
  the place the headline names below country level, in the same country, when the headline names exactly
  one governorate; its evidence context is the headline.

Events further down the story are dated and placed only by what they say (and by ``_date_from_lead``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from strikewatch.extract.lexicon import load_data
from strikewatch.extract.places import PlaceMention, find_places
from strikewatch.records import DateSpan, Event, Location


@cache
def _settings() -> dict:
    return load_data("grammar.yaml").get("story") or {}


def news_day(reference: date | None) -> DateSpan | None:
    """The news day of a story dated ``reference``: that day and the one before (a range, no words)."""
    if reference is None:
        return None
    return DateSpan(start=(reference - timedelta(days=1)).isoformat(), end=reference.isoformat(),
                    precision="range", text=None)


def opening_events(events: list[Event], opening: tuple[int, int] | None) -> list[Event]:
    """The events whose sentence lies in the opening paragraph (document offsets ``opening``)."""
    if opening is None:
        return []
    lo, hi = opening
    return [ev for ev in events if lo <= ev.evidence.start < hi]


def date_opening(events: list[Event], opening: tuple[int, int] | None, reference: date | None,
                 other_occasion: Callable[[str], bool]) -> None:
    """Give the news day to the opening paragraph's undated events (see the module's docstring)."""
    day = news_day(reference)
    if day is None:
        return
    for ev in opening_events(events, opening):
        if ev.date.start is None and ev.date.text is None and not other_occasion(ev.evidence.sentence):
            ev.date = DateSpan(**day.to_dict())


def headline_place(headline: str, offset: int,
                   locate: Callable[[PlaceMention], Location]) -> tuple[Location, tuple[int, int]] | None:
    """The one place below country level a headline names (resolved to a governorate), with its
    document offsets; None when it names none, or places in more than one governorate."""
    found: list[tuple[Location, tuple[int, int]]] = []
    for pm in find_places(headline):
        if pm.country is not None:
            continue
        loc = locate(pm)
        if loc.admin1 is None or loc.lat is None:
            continue
        found.append((loc, (offset + pm.start, offset + pm.end)))
    if not found or len({loc.admin1 for loc, _ in found}) != 1:
        return None
    return found[0]


def place_opening(events: list[Event], opening: tuple[int, int] | None,
                  place: tuple[Location, tuple[int, int] | None] | None) -> None:
    """Give the headline's place to the opening paragraph's events placed no lower than a country. The
    headline's offsets are its evidence context; a title the text does not repeat has none."""
    if place is None:
        return
    loc, span = place
    for ev in opening_events(events, opening):
        here = ev.location
        if not (here.text is None or (here.admin1 is None and here.precision == 3 and here.country)):
            continue  # placed below country level by its own words (or by words the gazetteer lacks)
        if here.country is not None and loc.country is not None and here.country != loc.country:
            continue
        ev.location = replace(loc)
        if ev.evidence.context_start is None and span is not None:
            ev.evidence.context_start, ev.evidence.context_end = span


def opening_sentences() -> int:
    """How many of the body's first sentences make its opening paragraph (``grammar.yaml`` story)."""
    return int(_settings().get("opening_sentences", 3))


def speech_day_reach() -> int:
    """How many days before a speech's day its undated deed may lie (``grammar.yaml`` story)."""
    return int(_settings().get("speech_day_reach", 2))
