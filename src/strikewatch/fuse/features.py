"""The few facts about an event that fusion compares, computed once per event.

Fusion looks at each event many times (against every nearby incident), so the comparable facts are read
out of the nested records once: day numbers, coordinates and radius, sub-type families, the acting side,
a target key, the source document and speaker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache

from strikewatch.fuse.lexicon import FusionLexicon, lexicon
from strikewatch.fuse.sources import voice_key
from strikewatch.records import Document, Event

NO_DAY = 10**9  # sorts undated things last
SHORT_RANGE_DAYS = 3  # "the weekend of 18 to 20 November" is one occurrence; a week is a summary


@lru_cache(maxsize=65536)
def day_number(value: str | None) -> int | None:
    """Proleptic ordinal of an ISO date string, or None when absent or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in kilometres (equirectangular: exact enough below a few hundred km, and fast)."""
    x = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) * 0.5))
    return 111.195 * math.hypot(x, lat2 - lat1)


_HEAD = re.compile(r"[A-Za-z][A-Za-z'-]*")


_CUT = re.compile(r"[,;(]|\s(?:in|on|at|near|of|between|from|to|outside|inside|around|along|with|which|that|"
                  r"north|south|east|west)\s", re.IGNORECASE)


def head_noun(phrase: str | None) -> str | None:
    """Head of a noun phrase, singular and lower-case: the last word before any prepositional phrase
    ("oil pump jacks" -> "jack", "an ISIS convoy on the road to Riyadh" -> "convoy")."""
    if not phrase:
        return None
    words = _HEAD.findall(_CUT.split(" " + phrase + " ", maxsplit=1)[0]) or _HEAD.findall(phrase)
    if not words:
        return None
    w = words[-1].lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


_PLACE_NOISE = re.compile(r"^(?:in|near|at|on|around|the|of)\s+", re.IGNORECASE)


_NAME = re.compile(r"\b[A-Z][\w'-]+")
_FUNCTION_WORDS = frozenset({"The", "A", "An", "In", "Near", "On", "At", "Its", "It", "This", "That",
                             "There"})


def place_words(text: str | None) -> str:
    """A place expression without case, punctuation or leading prepositions (to compare within a document);
    empty when it names no place ("the district", "the counter-attack", "it")."""
    if not any(w not in _FUNCTION_WORDS for w in _NAME.findall(text or "")):
        return ""
    words = " ".join(_HEAD.findall(text or "")).lower()
    while True:
        cut = _PLACE_NOISE.sub("", words)
        if cut == words:
            return words
        words = cut


def target_key(lex: FusionLexicon, name: str | None, text: str | None) -> str | None:
    """What was hit, as a comparable key: ``side:<affiliation>``, ``civilian`` or ``obj:<head noun>``."""
    side = lex.side(name) or lex.side(text)
    if side:
        return "side:" + side
    if lex.is_civilian(name) or lex.is_civilian(text):
        return "civilian"
    head = head_noun(text or name)
    return "obj:" + head if head else None


def _usable(value: object, limit: float) -> bool:
    """A coordinate fusion can use: a finite number within range (NaN or 999 is no place at all)."""
    try:
        return value is not None and math.isfinite(float(value)) and abs(float(value)) <= limit
    except (TypeError, ValueError):
        return False


@lru_cache(maxsize=65536)
def _actor_side(name: str | None, text: str | None) -> str | None:
    lex = lexicon()
    return lex.side(name) or lex.side(text)


@lru_cache(maxsize=65536)
def _target_facts(name: str | None, text: str | None) -> tuple[str | None, str | None, str | None]:
    """(affiliation hit, target key, object head noun that is not an actor: "convoy", not "isis")."""
    lex = lexicon()
    obj = head_noun(text)
    return (lex.side(name) or lex.side(text), target_key(lex, name, text),
            obj if obj and not lex.canonical_name(obj) else None)


@lru_cache(maxsize=65536)
def _place_facts(text: str | None) -> tuple[str, frozenset[str]]:
    return place_words(text), lexicon().directions_of(text)


def _generic_of(speaker: str, outlet: str) -> bool:
    """Are a speaker's words ("the ministry", "ministry") all words of its document's outlet's name?"""
    words = [w for w in speaker.lower().replace("'s", "").split() if w not in ("the", "a", "its")]
    names = outlet.lower().split()
    return bool(words) and speaker == speaker.lower() and all(w in names for w in words)


class Features:
    """Comparable facts of one event (``__slots__`` keeps a million of them small)."""

    __slots__ = ("order", "event", "d0", "d1", "lat", "lon", "prec", "radius", "fam", "side", "tside",
                 "tkey", "doc", "speaker", "supporting", "pub", "numbers", "voice", "comment",
                 "said_by", "gid", "summary", "tobj", "locn", "dirs", "terr", "admin1", "country", "parent")

    def __init__(self, event: Event, doc: Document | None, lex: FusionLexicon) -> None:
        self.event = event
        self.order = 0
        d0 = day_number(event.date.start)
        d1 = day_number(event.date.end) if event.date.end else d0
        if d0 is None and d1 is not None:
            d0 = d1
        if d0 is not None and d1 is not None and d1 < d0:
            d0, d1 = d1, d0
        self.d0, self.d1 = d0, d1
        loc = event.location
        # a country's centroid is no place to meet at; a named region ("Eastern Ghouta") is
        region = (loc.gazetteer_id or "").startswith("region:")
        country_only = loc.precision == 3 and not loc.admin1 and not region
        if _usable(loc.lat, 90.0) and _usable(loc.lon, 180.0) and not country_only:
            self.lat, self.lon = float(loc.lat), float(loc.lon)
            self.prec = int(loc.precision) if loc.precision in (1, 2, 3) else 2
        else:
            self.lat = self.lon = None
            self.prec = None
        self.admin1 = " ".join(loc.admin1.lower().split()) if self.lat is not None and loc.admin1 else None
        self.country = (loc.country or "").upper() or None
        self.radius = lex.radius_km.get(self.prec or 3, 50.0)
        self.fam = lex.family_set(event.sub_type, event.type)
        self.side = _actor_side(event.actor.name, event.actor.text)
        self.tside, self.tkey, self.tobj = _target_facts(event.target.name, event.target.text)
        self.doc = event.doc_id
        self.speaker = (event.claim.speaker or "").strip().lower()
        self.supporting = (event.claim.modality or "asserted") in lex.supporting
        self.pub = doc.published.toordinal() if doc is not None and doc.published else NO_DAY
        f = event.fatalities
        q = event.quantities
        self.numbers = (f.killed, f.civilians_killed, q.strikes)
        self.comment = doc is not None and doc.kind == "comment"
        self.parent = doc.parent_id if doc is not None else None
        self.voice = ""
        self.said_by = event.claim.speaker or ((doc.outlet or doc.author) if doc is not None else None)
        spk = event.claim.speaker
        if spk and doc is not None and doc.outlet and _generic_of(spk, doc.outlet):
            self.said_by = doc.outlet  # "the ministry" in the ministry's own statement is the ministry
        elif spk and len(spk.split()) > 8 and doc is not None and (doc.outlet or doc.author):
            self.said_by = doc.outlet or doc.author  # a clause misread as a speaker names nobody
        self.gid = loc.gazetteer_id if self.prec == 1 else None
        self.locn, self.dirs = _place_facts(loc.text)
        self.terr = event.sub_type in lex.control_sub_types
        # a summary (a week, a month, a long range) totals several occurrences; a short range is one
        self.summary = self.d0 is not None and (
            self.d1 - self.d0 > SHORT_RANGE_DAYS or event.date.precision in ("week", "month", "year"))

    @property
    def core(self) -> bool:
        """Dated to a day (or a night spanning two): forms incidents itself."""
        return self.d0 is not None and self.d1 - self.d0 <= 1

    @property
    def ranged(self) -> bool:
        """Dated to a longer span (a weekly summary): attaches to the incidents it covers."""
        return self.d0 is not None and self.d1 - self.d0 > 1

    def sort_key(self) -> tuple:
        """Processing order: by day, most precise place first, then by publication and id."""
        return (self.d0 if self.d0 is not None else NO_DAY, self.prec or 4, (self.d1 or 0) - (self.d0 or 0),
                self.pub, self.event.id)


def features(events: list[Event], documents: Mapping[str, Document], lex: FusionLexicon) -> list[Features]:
    """Features of every event, sorted into fusion's deterministic processing order."""
    feats = []
    doc_voice: dict[str, str] = {}
    for e in events:
        f = Features(e, documents.get(e.doc_id), lex)
        if f.speaker:
            f.voice = voice_key(e, documents)
        else:
            v = doc_voice.get(e.doc_id)
            if v is None:
                v = doc_voice[e.doc_id] = voice_key(e, documents)
            f.voice = v
        feats.append(f)
    feats.sort(key=Features.sort_key)
    for i, f in enumerate(feats):
        f.order = i
    return feats
