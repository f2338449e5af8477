"""What the sentences read so far establish for the ones below, and the names every reader shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc

from strikewatch.extract.attribution import Post, Speaker
from strikewatch.extract.lexicon import ActorEntry, lexicon
from strikewatch.extract.places import (
    PlaceMention,
)
from strikewatch.records import (
    DateSpan,
    Document,
    Event,
    NegativeReport,
)

AIR = "Air/drone strike"


TERRITORY_GAIN = "Government regains territory"


TERRITORY_NONSTATE = "Non-state actor overtakes territory"


TERRITORY_TRANSFER = "Non-violent transfer of territory"


_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?(?:killed|wounded|injured|hit|"
    r"targeted|struck|attacked|bombed|shelled|destroyed|captured|expelled|driven|pushed)\b",
    re.I,
)


class _LexiconRegex:
    """A regex of the lexicon, compiled on first use (a module constant that reads the data files)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return lexicon().regex[self.key].search(text, *args)

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return lexicon().regex[self.key].match(text, *args)


_CIVILIAN = _LexiconRegex("civilian")  # triggers.yaml civilian_words: who and what is not a fighter


_TARGET_TAIL = _LexiconRegex("target_tail")  # triggers.yaml target_tail_*: "ISIS positions", "-held posts"


@dataclass
class _State:
    """What the sentences read so far establish for the ones below."""

    doc: Document
    country: str | None = None  # from a heading or a lead ("In Syria, ...")
    date: DateSpan | None = None  # from a summary or lead: holds for the whole list below it
    para_date: DateSpan | None = None  # from an earlier event sentence of the same paragraph
    date_at: tuple[int, int] | None = None  # offsets of the sentence that set ``date``
    para_date_at: tuple[int, int] | None = None
    last_place: PlaceMention | None = None
    last_place_country: str | None = None
    last_speaker: Speaker | None = None
    strike_actor: tuple[str, ActorEntry] | None = None  # the party a release's lead says conducts strikes
    issuer: tuple[str, ActorEntry | None] | None = None  # who issues the document ("Ministry of Defence ...")
    headline_end: int = 0  # the title line restates the story: no events from it
    geocode: bool = True  # resolve places with strikewatch.geo (off: location.text only)
    doc_country: str | None = None  # the country the document is mostly about (for "government forces")
    prev_event: Event | None = None  # the last event of the sentence just read (for a toll in the next)
    geo_context: tuple[str, ...] | None = None  # the document's other places, for the gazetteer
    reference: date | None = None  # the day "Sunday" and "yesterday" count back from (dateline or published)
    parsed: dict[int, Doc] = field(default_factory=dict)  # sentence index -> parse (none on --fast)
    pdoc: Doc | None = None  # the parse of the sentence being read, when it was parsed
    last_agent: _ActorMention | None = None  # who acted last ("... advance. The quarter was taken.")
    last_agent_end: int = 0  # where the sentence that named it ends
    lead_date: DateSpan | None = None  # while the lead is read: the news day of a dated story (see _lead)
    lead_span: tuple[int, int] | None = None  # the lead sentence's offsets
    summary: tuple[int | None, int] | None = None  # a summary's strike count and where its sentence ends
    posts: list[Post] | None = None  # the social posts the text copies (post_speakers)
    events: list[Event] = field(default_factory=list)
    negatives: list[NegativeReport] = field(default_factory=list)


@dataclass
class _ActorMention:
    start: int  # sentence-relative
    end: int
    text: str
    entry: ActorEntry | None
