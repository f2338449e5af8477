"""Resolve a place expression to ranked candidates (``geocode``) or one Location (``locate``).

An expression is read in three steps:

1. ``parse``: relative words ("near", "north of", "the outskirts of", "eastern", "between A and B"),
   area words ("X countryside", "Hama province") and the context after the name ("Al-Fatih, Jableh
   District", "Kafr Zeita in Hama province") are taken off; they set the precision and the context.
2. ``candidates``: exact keys first, then consonant skeletons scored by string similarity, then a
   vectorised fuzzy search (rapidfuzz) only when nothing else matched.
3. ranking: name match, then context (country, governorate and district named in the expression, other
   places of the same document), then priors (feature type, population); a user's own places first.

The vocabularies live in ``geo/data/phrases.yaml``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from json.encoder import encode_basestring as _json_str  # the C escaper, as json.dumps(ensure_ascii=False)
from typing import Any

from rapidfuzz import fuzz, process

from strikewatch.geo.gazetteer import AREA_FEATURES, Choices, Gazetteer, Place, default_gazetteer
from strikewatch.geo.keys import (
    fold,
    is_arabic,
    key,
    latin_skeleton,
    loose_variants,
    phrase_data,
    qualified_keys,
    skeleton,
    soft,
    spaced,
    tokens,
)
from strikewatch.records import Location

COUNTRY_NAMES = {"syria": "SY", "sy": "SY", "iraq": "IQ", "iq": "IQ"}


@dataclass
class Candidate:
    """One ranked answer. ``to_dict()`` gives the CONTRACT's candidate plus a few additions."""

    name: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    precision: int
    score: float
    gazetteer_id: str
    admin2: str | None = None
    feature: str | None = None
    matched: str | None = None
    # matched by spelling likeness only (a skeleton or fuzzy match, not a key): held to FUZZY_FLOOR
    likeness: bool = field(default=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "country": self.country, "admin1": self.admin1, "lat": self.lat,
            "lon": self.lon, "precision": self.precision, "score": self.score,
            "gazetteer_id": self.gazetteer_id, "admin2": self.admin2, "feature": self.feature,
            "matched": self.matched,
        }

    def to_json(self) -> str:
        """``json.dumps(self.to_dict(), ensure_ascii=False)``, byte for byte, at a fraction of the cost
        (batch mode writes thousands of these a second)."""
        s = _json_str
        return (f'{{"name": {s(self.name)}, "country": {_json_opt(self.country)}, '
                f'"admin1": {_json_opt(self.admin1)}, "lat": {self.lat!r}, "lon": {self.lon!r}, '
                f'"precision": {self.precision!r}, "score": {self.score!r}, '
                f'"gazetteer_id": {s(self.gazetteer_id)}, '
                f'"admin2": {_json_opt(self.admin2)}, "feature": {_json_opt(self.feature)}, '
                f'"matched": {_json_opt(self.matched)}}}')

    def to_location(self, text: str | None) -> Location:
        return Location(text=text, name=self.name, country=self.country, admin1=self.admin1, lat=self.lat,
                        lon=self.lon, precision=self.precision, gazetteer_id=self.gazetteer_id)


def _json_opt(value: str | None) -> str:
    return "null" if value is None else _json_str(value)


# ---------------------------------------------------------------------------------------------- parse


@lru_cache(maxsize=1)
def _phrases() -> dict[str, Any]:
    raw = phrase_data()

    def seqs(words: Sequence[str]) -> list[tuple[str, ...]]:
        odd = [w for w in words if not isinstance(w, str)]
        if odd:  # YAML reads a bare on/off/yes/no as a boolean
            raise ValueError(f"geo/data/phrases.yaml: quote {odd!r}; every word must be a string")
        out = {tuple(_pfold(w).split()) for w in words if _pfold(w)}
        return sorted(out, key=lambda s: (-len(s), s))

    relative = []
    for kind, spec in raw["relative"].items():
        for s in seqs(spec["words"]):
            relative.append((s, kind, int(spec["precision"])))
    relative.sort(key=lambda r: (-len(r[0]), r[0]))
    suffixes = []
    for prec, words in raw["area_suffixes"].items():
        for s in seqs(words):
            suffixes.append((s, int(prec)))
    suffixes.sort(key=lambda r: (-len(r[0]), r[0]))
    descriptors = seqs(raw["descriptors"])
    outlying = set(seqs(raw.get("outlying_facilities", [])))
    facilities = sorted({*seqs(raw.get("facilities", [])), *outlying}, key=lambda s: (-len(s), s))
    classes = {s: cls for cls, words in (raw.get("facility_classes") or {}).items() for s in seqs(words)}
    return {
        "relative": relative,
        "suffixes": suffixes,
        "descriptors": descriptors,
        "by_first": _index([(s, ("relative", kind, p)) for s, kind, p in relative]
                           + [(s, ("descriptor",)) for s in descriptors], first=True),
        "by_last": _index([(s, ("suffix", p)) for s, p in suffixes]
                          + [(s, ("descriptor",)) for s in descriptors], first=False),
        "facility_by_last": _index([(s, ("facility", s in outlying, classes.get(s))) for s in facilities],
                                   first=False),
        "facility_first_class": {s[0]: cls for s, cls in classes.items() if len(s) == 1},
        "admin_words": {_pfold(w) for w in raw["admin_words"]},
        "village_words": frozenset(_pfold(w) for w in raw["village_words"]),
        "quarter_words": frozenset(_pfold(w) for w in raw["quarter_words"]),
        "district_words": frozenset(_pfold(w) for w in raw["district_words"]),
        "kind_words": frozenset(_pfold(w) for w in (*raw["village_words"], *raw["quarter_words"])),
        "facilities": facilities,
        "facility_words": frozenset(w for seq in facilities for w in seq),
        "outlying_words": frozenset(seq[0] for seq in outlying if len(seq) == 1),
        "between": {_pfold(w) for w in raw["between"]},
        "and": {_pfold(w) for w in raw["and"]},
        "conjunctions": {_pfold(w) for w in (*raw["and"], *raw["or"])} - {""},
        # "ISIS-held", "rebel-controlled": who holds the place, not its name
        "control_words": tuple(w.lower() for w in raw.get("control_words", [])),
        "facility_adjectives": frozenset(_pfold(w) for w in raw.get("facility_adjectives", [])),
        # words of the vocabularies that name no place on their own ("town", "the area", "road")
        "lone_words": frozenset(seq[0] for seq in (*descriptors, *facilities) if len(seq) == 1)
        | {_pfold(w) for w in (*raw["admin_words"], *raw["village_words"], *raw["quarter_words"],
                               *raw.get("facility_adjectives", []))},
        "control": re.compile(r"(?<![\w-])[^\W\d_]+-(?:" + "|".join(
            re.escape(w) for w in raw.get("control_words", [])) + r")(?![\w-])\s*", re.I),
        # how "X and Y" / "X or Y" are written inside one part of an expression
        # (an Arabic one-letter conjunction is written joined to the next word: "X وY")
        "alternatives": tuple(f" {w}" if len(w) == 1 and is_arabic(w) else f" {w} "
                              for w in (*raw["and"], *raw["or"])),
        "routes": {_pfold(w) for w in raw.get("routes", [])},
        "articles": {_pfold(w) for w in raw.get("articles", [])},
        "relative_words": frozenset(seq[0] for seq, _, _ in relative if len(seq) == 1),
        "distance": re.compile(
            r"^(?:about |some |approximately |around |roughly |nearly )?\d+(?:[.,]\d+)?\s*(?:"
            + "|".join(re.escape(u) for u in sorted(raw.get("distance_units", []), key=len, reverse=True))
            + r")(?:\s+(?:" + "|".join(re.escape(j) for j in sorted(raw.get("distance_joiners", []),
                                                                    key=len, reverse=True))
            + r"))?\s+", re.I),
        # words that may stand before "between" ("the road between") or before a road's name
        "between_lead": frozenset(w for seq in descriptors + facilities for w in seq),
        "road_lead": frozenset(w for seq in [r[0] for r in relative] + descriptors for w in seq),
    }


def _index(items: list[tuple[tuple[str, ...], tuple]], *, first: bool) -> dict[str, list]:
    """Phrases by their first (or last) word, longest first: a word-sequence lookup in O(1)."""
    out: dict[str, list] = {}
    for seq, payload in sorted(items, key=lambda t: (-len(t[0]), t[0])):
        out.setdefault(seq[0] if first else seq[-1], []).append((seq, payload))
    return out


def _match(folded: list[str], table: dict[str, list], *, first: bool) -> tuple[int, tuple] | None:
    """The longest phrase of ``table`` at the start (or end) of ``folded``, leaving at least one word."""
    if len(folded) < 2:
        return None
    for seq, payload in table.get(folded[0] if first else folded[-1], ()):
        n = len(seq)
        if len(folded) > n and tuple(folded[:n] if first else folded[-n:]) == seq:
            return n, payload
    return None


@dataclass
class Parsed:
    """What an expression says besides the name: anchors, precision floor, context parts, hints."""

    text: str
    anchors: list[str]
    precision: int = 1  # at least this (2 near/outskirts/direction, 3 countryside/region)
    relation: str | None = None  # near | outskirts | direction | countryside | between | area
    context: list[str] = field(default_factory=list)
    area_hint: str | None = None  # the area word after the name ("province", "district" ...)
    full: str | None = None  # the name with its area words, tried first ("Euphrates valley")
    quarter: bool = False  # the expression calls the place a quarter of a town
    village: bool = False  # the expression calls the place a village
    towns: list[str] = field(default_factory=list)  # context parts known to be towns ("Qamishli: X")
    facility: str | None = None  # the kind of site the facility words name ("airbase", "dam", "camp" ...)
    site_precision: int = 1  # the precision of a known site of that kind (before "outlying" made it 2)
    direction: tuple[float, float] | None = None  # "eastern X", "northern countryside of X": (east, north)
    hashtag: bool = False  # "#Raqqa": exact names only


_HANDLE = re.compile(r"(?<![\w.])@\w")
_HASHTAG = re.compile(r"(?<![\w&])#(\w)")
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPLIT_CONTEXT = re.compile(r"\s*[,،;(/]\s*|\)\s*|\s+-\s+|\s+–\s+|\s+—\s+")
_IN_OF = re.compile(r"\s+(?:in|of|near the city of|in the city of|within|at|near|في|فى)\s+", re.I)


def _context_name(part: str) -> str:
    """A context part without its kind and direction words ("the northern city of Aleppo" -> "Aleppo",
    "the Idlib province" keeps its "province" for the admin reading), so that it is looked up by name."""
    words, folded = _words(part.strip())
    kept, _ = _strip_prefixes(words, folded, Parsed(part, []))
    return " ".join(kept) if kept else part.strip()


def _strip_prefixes(words: list[str], folded: list[str], parsed: Parsed) -> tuple[list[str], list[str]]:
    table = _phrases()["by_first"]
    while (hit := _match(folded, table, first=True)) is not None:
        n, payload = hit
        said = folded[:n]
        words, folded = words[n:], folded[n:]
        if payload[0] == "relative":
            parsed.precision = max(parsed.precision, payload[2])
            parsed.relation = parsed.relation or payload[1]
            if payload[1] == "direction" and parsed.direction is None:
                parsed.direction = _compass(said)
    return words, folded


_COMPASS = (("north", (0.0, 1.0)), ("south", (0.0, -1.0)), ("east", (1.0, 0.0)), ("west", (-1.0, 0.0)),
            ("شمال", (0.0, 1.0)), ("جنوب", (0.0, -1.0)), ("شرق", (1.0, 0.0)), ("غرب", (-1.0, 0.0)))
_COMPASS_LETTERS = {"n": (0.0, 1.0), "s": (0.0, -1.0), "e": (1.0, 0.0), "w": (-1.0, 0.0)}


def _compass(words: Sequence[str]) -> tuple[float, float] | None:
    """The unit vector (east, north) of direction words ("north-eastern", "NE", "شمال شرق")."""
    x = y = 0.0
    for w in words:
        if w in ("of",):
            continue
        if len(w) <= 2 and all(c in _COMPASS_LETTERS for c in w):
            for c in w:
                x, y = x + _COMPASS_LETTERS[c][0], y + _COMPASS_LETTERS[c][1]
            continue
        for stem, (dx, dy) in _COMPASS:
            if stem in w:
                x, y = x + dx, y + dy
    norm = math.hypot(x, y)
    return (x / norm, y / norm) if norm else None


def _strip_suffixes(words: list[str], folded: list[str], parsed: Parsed) -> tuple[list[str], list[str]]:
    table, facilities = _phrases()["by_last"], _phrases()["facility_by_last"]
    while (hit := _match(folded, table, first=False)) is not None:
        n, payload = hit
        longer = _match(folded, facilities, first=False)
        if longer is not None and longer[0] > n:
            break  # "X oil fields" is a facility, not the fields of "X oil"
        if payload[0] == "suffix":
            parsed.precision = max(parsed.precision, payload[1])
            parsed.relation = parsed.relation or "area"
            parsed.area_hint = parsed.area_hint or " ".join(folded[-n:])
        words, folded = words[:-n], folded[:-n]
    return words, folded


def _pfold(text: str) -> str:
    """``fold`` as the phrase vocabularies are matched: an Arabic word's article is taken off
    ("الطريق" is "طريق", the road), in the vocabularies and in the expression alike."""
    folded = fold(text)
    if "ال" not in folded:
        return folded
    return " ".join(w[2:] if len(w) > 4 and w.startswith("ال") else w for w in folded.split())


def _words(text: str) -> tuple[list[str], list[str]]:
    """Raw words (hyphens split so "east-Aleppo" reads as two words) and their folded forms."""
    raw = [w for w in re.split(r"\s+|(?<=[^\W\d_])-(?=[^\W\d_]{3,})", text) if w]
    pairs = [(w, _pfold(w)) for w in raw]
    pairs = [(w, f) for w, f in pairs if f]
    return [w for w, _ in pairs], [f for _, f in pairs]


def _prefix_hyphen(text: str) -> str:
    """Split a direction glued to its anchor with a hyphen ("east-Aleppo") but keep names like
    "Deir ez-Zor" whole: only the relative words of phrases.yaml are split off."""
    m = _HYPHENATED.match(text)
    if m and _pfold(m.group(1)) in _phrases()["relative_words"]:
        return f"{m.group(1)} {m.group(2)}"
    return text


_HYPHENATED = re.compile(r"^\s*([^\W\d_]+)-(.+)$")
# "A's B" (A a word of three letters or more: "Ra's al-Ayn" is a name), within the first part
_POSSESSIVE = re.compile(r"^([^,;()/]*?[^\W\d_]{3})['’ʼ]s\s+([^,;()/]+)(.*)$")


def parse(expression: str) -> Parsed:
    """Take an expression apart: the name(s) to look up, the precision floor and the context."""
    text = " ".join(_BIDI.sub(" ", expression).split())
    parsed = Parsed(text=text, anchors=[])
    if "@" in text and _HANDLE.search(text):
        return parsed  # "the Global @Coalition": a handle is an account, not a place
    if "#" in text:
        stripped = _HASHTAG.sub(r"\1", text)
        parsed.hashtag, text = stripped != text, stripped
    if "-" in text and any(f"-{w}" in text.lower() for w in _phrases()["control_words"]):
        text = _phrases()["control"].sub("", text)
    possessive = _POSSESSIVE.match(text) if ("'s " in text or "’s " in text or "ʼs " in text) else None
    if possessive:  # "Raqqa's al-Mashlab district", "Idlib's countryside": of Raqqa, of Idlib
        owner, owned, rest = possessive.groups()
        text = f"{owned.strip()} of {owner}{rest}"
    far = _phrases()["distance"].match(text)
    if far and far.end() < len(text):  # "20 km from Suluk": near the anchor
        text = text[far.end():]
        parsed.precision = 2
        if _match(_words(text)[1], _phrases()["by_first"], first=True) is None:
            parsed.relation = "near"  # else the direction words that follow say it
    text = _prefix_hyphen(text)
    if ":" in text:  # "Town: quarter or building": the detail, with the town as context
        town, detail = text.split(":", 1)
        if fold(town) and fold(detail):
            parsed.towns.append(town.strip())
            text = f"{detail}, {town}"
    parts = [p for p in _SPLIT_CONTEXT.split(text) if p and p.strip()]
    if not parts:
        return parsed
    head, rest = parts[0], parts[1:]
    words, folded = _words(head)
    ph = _phrases()
    # "حي X", "the village of X": the kind words said before the prefixes are cut off
    said = set(folded) & ph["kind_words"]
    words, folded = _strip_prefixes(words, folded, parsed)
    # "the road between A and B", "the area between A and B": the words before "between" are a
    # facility or a descriptor, not a name.
    lead = ph["between_lead"]
    at = next((i for i, f in enumerate(folded[:4]) if f in ph["between"]), None)
    if at and all(f in lead for f in folded[:at]):
        words, folded = words[at:], folded[at:]
    # "the A-B road": a road named by its two ends is between them.
    ends = _road_ends(head, ph)
    if ends is not None:
        parsed.anchors = list(ends)
        parsed.relation, parsed.precision = "between", max(parsed.precision, 2)
        parsed.context = [_context_name(r) for r in rest if fold(r)]
        return parsed
    # between A and B
    if folded and folded[0] in ph["between"]:
        and_at = next((i for i, f in enumerate(folded) if i > 1 and f in ph["and"]), None)
        if and_at is not None:
            parsed.anchors = [" ".join(words[1:and_at]), " ".join(words[and_at + 1:])]
            parsed.relation, parsed.precision = "between", max(parsed.precision, 2)
            parsed.context = [r for r in rest if fold(r)]
            return parsed
        words, folded = words[1:], folded[1:]
    # "X in Hama province", "Sheikh Maqsoud neighbourhood of Aleppo": the tail is context.
    head = " ".join(words)
    m = _IN_OF.search(head)
    if m and m.start() > 0 and fold(head[: m.start()]):
        head, rest = head[: m.start()], [head[m.end():], *rest]
        words, folded = _words(head)
    before = set(folded)
    if said:  # not those of the context cut off ("X in the neighbourhood of Aleppo")
        before |= said - set(_words(" ".join(rest))[1])
    while len(folded) > 1 and folded[-1] in ph["conjunctions"]:  # a dangling "X and", "X or"
        words, folded = words[:-1], folded[:-1]
    full = " ".join(words)
    words, folded = _strip_suffixes(words, folded, parsed)
    words, folded = _strip_prefixes(words, folded, parsed)
    words, folded = _strip_facilities(words, folded, parsed)
    while len(folded) > 1 and folded[-1] in ph["conjunctions"]:  # "the town of X and the village of Y": X
        words, folded = words[:-1], folded[:-1]
    if len(folded) == 1 and (folded[0] in ph["conjunctions"] or (
            folded[0] in ph["lone_words"] and not is_arabic(folded[0]))):  # "مدينة" is also a name
        words, folded = [], []  # "and", "town", "the road": a vocabulary word alone names nothing
    quarter_words, village_words = ph["quarter_words"], ph["village_words"]
    parsed.quarter = bool(before & quarter_words) and not (set(folded) & quarter_words)
    parsed.village = bool(before & village_words) and not (set(folded) & village_words)
    if words:
        parsed.anchors = [" ".join(words)]
        if parsed.anchors[0] != full:
            parsed.full = full
    parsed.context = [_context_name(r) for r in rest if fold(r)]
    return parsed


def _road_ends(head: str, ph: dict[str, Any]) -> tuple[str, str] | None:
    """The two ends of "the A-B road" ("the Azaz-Afrin road"), or None. The hyphen must join two names,
    not an article to its noun ("Deir ez-Zor road", "Tall al-Abyad road")."""
    parts = head.split()
    if len(parts) < 2 or _pfold(parts[-1]) not in ph["routes"]:
        return None
    # Relative words and descriptors before it ("near the", "on the") were read by the caller.
    lead = ph["road_lead"]
    at = 0
    while at < len(parts) - 2 and _pfold(parts[at]) in lead:
        at += 1
    name = " ".join(parts[at:-1])
    m = re.fullmatch(r"(.*[^\W\d_]{3,})\s*[-–]\s*([^\W\d_].{2,})", name)
    if m is None:
        return None
    left, right = m.group(1).strip(), m.group(2).strip()
    last, first = _pfold(left).split(), _pfold(right).split()
    if not last or not first or last[-1] in ph["articles"] or first[0] in ph["articles"]:
        return None
    return left, right


def _strip_facilities(words: list[str], folded: list[str], parsed: Parsed) -> tuple[list[str], list[str]]:
    """Take facility words off the end ("Tal Rifaat hospital" -> "Tal Rifaat"), and in Arabic, where
    the building comes first, off the start ("مدرسة تل رفعت", the school of Tal Rifaat). A facility that
    usually lies outside its town (an airport, a camp, an oil field) makes the place precision 2."""
    ph = _phrases()
    table, adjectives = ph["facility_by_last"], ph["facility_adjectives"]
    while (hit := _match(folded, table, first=False)) is not None:
        words, folded = words[: -hit[0]], folded[: -hit[0]]
        if parsed.facility is None:  # the outermost word says what it is ("X dam road": a road)
            parsed.facility = hit[1][2] or ""
            parsed.site_precision = parsed.precision
        if hit[1][1]:
            parsed.precision = max(parsed.precision, 2)
        # "Raqqa national hospital", "the main bakery": the facility's adjectives go with it
        while folded and folded[-1] in adjectives:
            words, folded = words[:-1], folded[:-1]
    # One word only: the place's own name may start with one ("شارع تل أبيض" is Tal Abyad street).
    if len(folded) > 1 and folded[0] in ph["facility_words"] and is_arabic(folded[0]):
        if parsed.facility is None:
            parsed.facility = ph["facility_first_class"].get(folded[0], "")
            parsed.site_precision = parsed.precision
        if folded[0] in ph["outlying_words"]:
            parsed.precision = max(parsed.precision, 2)
        words, folded = words[1:], folded[1:]
    return words, folded


_SMALL_AREA_WORDS = ("district", "area", "subdistrict", "sub district")


# ---------------------------------------------------------------------------------------------- match


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


_CACHE_LIMIT = 100_000
# Below this score a match is a weak guess (a distant fuzzy spelling): when the expression names the
# governorate or district, that area (precision 3) is the better answer, as ACLED codes it.
WEAK = 0.68
# A town named as context stands for its district too: places up to this many times the town's own reach
# (10 km for a town, 20 km for a city) are "of" it.
DISTRICT_REACH = 3.0
VILLAGE_REACH = 5.0  # km: a village named as context reaches about this far (its lands and hamlets)
# How much the document's other places pull a candidate at their own spot (nothing beyond DOC_REACH km).
# A gentle pull that reaches far does best on real articles (bench/geocode_ucdp.py --context: 0.25 within
# 80 km, the first setting, lost 2.3 points at 25 km against 0.15 within 200 km); a quarter within a few km
# of another place of the document (its city, a neighbouring quarter) gets QUARTER_PULL more.
DOC_PULL, DOC_REACH = 0.15, 200.0
QUARTER_PULL, QUARTER_REACH = 0.12, 10.0
# A candidate met only by spelling likeness (a skeleton or fuzzy match, no key) is an answer from this score
# up; below it the expression names no place (bench/geocode_ucdp.py --floor, geocode_airwars.py --floor).
FUZZY_FLOOR = 0.6
# The kinds of site of geo/data/sites.tsv, and what naming the kind adds ("Kuweires airbase").
SITE_FEATURES = frozenset({"airbase", "base", "dam", "camp", "field", "crossing", "site"})
SITE_BONUS = 0.3
# "between A and B" with A and B up to this far apart (km): the point halfway between them (0: A's point)
BETWEEN_MIDPOINT = 150.0
CROSS_BORDER = 0.15  # what an exact name in the other country of the theatre loses
SPELLING = 0.01  # a name spelt exactly as written, among namesakes of one key


def _top_fuzzy(query: str, choices: Choices, cutoff: int, limit: int) -> list[tuple[int, int]]:
    """(fuzzy string position, score) of the best ``choices`` for ``query``, best first, ties in
    position order.

    fuzz.ratio is 100 * (1 - indel / (len(a) + len(b))) and indel >= |len(a) - len(b)|, so only strings
    within a length window can reach ``cutoff``: the search runs over that window of the length-sorted
    choices (same answers, a fraction of the work)."""
    n, c = len(query), cutoff / 100.0
    lo = bisect_left(choices.lengths, math.floor(n * c / (2.0 - c)) - 1)
    hi = bisect_right(choices.lengths, math.ceil(n * (2.0 - c) / c) + 1)
    if lo >= hi:
        return []
    hits = process.extract(query, choices.strings[lo:hi], scorer=fuzz.ratio, score_cutoff=cutoff,
                           limit=None)
    best = sorted((-round(score), choices.positions[lo + i]) for _, score, i in hits)[:limit]
    return [(pos, -neg) for neg, pos in best]


def _name_matches(gaz: Gazetteer, name: str, admin1: set[str] | frozenset[str] = frozenset(),
                  country: str | None = None, *, fuzzy: bool = True) -> dict[int, tuple[float, str, bool]]:
    """place index -> (name score 0..1, the gazetteer name matched, whether only by spelling likeness: a
    skeleton or a fuzzy match, not a key). Exact keys, then weaker and qualified
    keys and skeletons, then fuzzy (unless ``fuzzy`` is False): the fuzzy search runs over the names of
    the governorates named in the context when nothing good was found in them, and over the names of
    ``country`` that share the first consonant only when nothing else matched. Answers are cached per
    gazetteer."""
    cache_key = (name, frozenset(admin1), country, fuzzy)
    got = gaz.match_cache.get(cache_key)
    if got is None:
        got = _name_matches_uncached(gaz, name, admin1, country, fuzzy)
        if len(gaz.match_cache) < _CACHE_LIMIT:
            gaz.match_cache[cache_key] = got
    return got


def _name_matches_uncached(gaz: Gazetteer, name: str, admin1: set[str] | frozenset[str],
                           country: str | None, fuzzy: bool = True) -> dict[int, tuple[float, str, bool]]:
    k = key(name)
    if not k:
        return {}
    found: dict[int, tuple[float, str, bool]] = {}

    def put(place: int, s: float, matched: str, like: bool = False) -> None:
        cur = found.get(place)
        if cur is None or s > cur[0]:
            found[place] = (s, matched, like)

    for e in gaz.exact.get(k, ()):
        put(e.place, e.trust, e.name)
    exact = bool(found)
    for e in gaz.loose.get(k, ()):
        put(e.place, 0.9 * e.trust, e.name)
    qks = qualified_keys(name)
    if qks:  # "Zaqrun Fawqani" = "Upper Zaqrun"; by skeleton, "Zuqroun Tahtani" ~ "Lower Zaqrun"
        for qk, weight in zip(qks, (0.95, 0.85), strict=True):
            for e in gaz.qualified.get(qk, ()):
                put(e.place, weight * e.trust, e.name)
    for variant in loose_variants(name):
        vk = key(variant)
        if len(vk) >= 3:
            for e in gaz.exact.get(vk, ()):
                put(e.place, 0.85 * e.trust, e.name)
            for e in gaz.loose.get(vk, ()):  # both without their generic words
                put(e.place, 0.8 * e.trust, e.name)
    sk = skeleton(name)
    query, squery = spaced(name), soft(name)
    bucket = gaz.skel.get(sk, ()) if len(sk) >= 2 else ()
    if bucket:
        cut = 55 if len(squery) <= 5 else 60
        if len(bucket) > _BIG_BUCKET:  # one rapidfuzz call for the big buckets of common skeletons
            hits = [(bucket[i], round(r)) for _, r, i in process.extract(
                squery, _bucket_softs(gaz, sk, bucket), scorer=fuzz.ratio, score_cutoff=cut, limit=None)]
        else:
            hits = [(e, r) for e in bucket if (r := fuzz.ratio(squery, e.soft)) >= cut]
        get = found.get
        for e, r in hits:
            cur = get(e.place)
            s = (0.55 + 0.0032 * r) * e.trust
            if cur is None or (cur[0] < 0.9 and s > cur[0]):
                found[e.place] = (s, e.name, True)
    if is_arabic(name) and not any(s >= 0.78 for s, *_ in found.values()):
        # A place some sources give in Latin letters only: meet it by its transliterated skeleton.
        lsk, words = latin_skeleton(name), len(tokens(name))
        for e in gaz.skel.get(lsk, ()) if len(lsk) >= 3 else ():
            # as many words: "قورتز" is not "Qaryat Azizi", whose skeletons meet across a word's end
            if not is_arabic(e.name) and len(tokens(e.name)) == words:
                put(e.place, 0.7 * e.trust, e.name, True)
    if len(query) < 4 or not fuzzy:
        return found
    good_here = any(s >= 0.78 and gaz.places[i].admin1 in admin1 for i, (s, *_) in found.items())
    if exact and (good_here or not admin1):
        return found
    # Nothing good in the governorate the writer names (an exact name elsewhere does not count: names
    # repeat across governorates): a fuzzy search of that governorate's names.
    if admin1 and not good_here:
        for a1 in sorted(admin1):
            for pos, score in _top_fuzzy(query, gaz.admin1_choices(a1, sk[:1]), 75, 5):
                for e in gaz.fuzzy_entries[pos]:
                    put(e.place, 0.8 * score / 100.0 * e.trust, e.name, True)
    if found or exact:
        return found
    # The last resort searches the document's country only: ranking drops another country's fuzzy
    # matches anyway (below 0.8).
    choices = gaz.block_choices(sk[:1], country if country in ("SY", "IQ") else None)
    for pos, score in _top_fuzzy(query, choices, 82, 8):
        for e in gaz.fuzzy_entries[pos]:
            put(e.place, 0.78 * score / 100.0 * e.trust, e.name, True)
    return found


@dataclass
class _Context:
    admin1: set[str] = field(default_factory=set)
    admin2: set[str] = field(default_factory=set)  # keys and skeletons of district names
    # lat, lon, reach km, the town, whether the name is also a governorate's ("Aleppo")
    points: list[tuple[float, float, float, Place, bool]] = field(default_factory=list)
    doc_points: list[tuple[float, float]] = field(default_factory=list)
    country: str | None = None


def _admin_context(gaz: Gazetteer, part: str, ctx: _Context, *, town: bool = False) -> None:
    """What a context part ("Jableh District", "Hama province", "Aleppo") says about the place: the
    governorates and districts it names, or else the town the place should be near (cached)."""
    got = gaz.context_cache.get((part, town))
    if got is None:
        got = _Context()
        _admin_context_uncached(gaz, part, got, town=town)
        if len(gaz.context_cache) < _CACHE_LIMIT:
            gaz.context_cache[(part, town)] = got
    ctx.admin1 |= got.admin1
    ctx.admin2 |= got.admin2
    ctx.points.extend(got.points)
    ctx.country = ctx.country or got.country


def _admin_context_uncached(gaz: Gazetteer, part: str, ctx: _Context, *, town: bool = False) -> None:
    words, folded = _words(part)
    admin_words = _phrases()["admin_words"]
    core_words = [w for w, f in zip(words, folded, strict=True) if f not in admin_words]
    said_admin = len(core_words) < len(words) and "city" not in folded and "مدينة" not in folded
    core = " ".join(core_words) or part
    k, sk = key(core), skeleton(core)
    if k in COUNTRY_NAMES:
        ctx.country = ctx.country or COUNTRY_NAMES[k]
        return
    admin1 = gaz.admin1_names.get(k, set()) or gaz.admin1_names.get(sk, set())
    admin2 = {x for probe in (k, sk) for a2, _ in gaz.admin2_names.get(probe, set())
              for x in (key(a2), skeleton(a2))}
    if admin1 and not set(folded) & _phrases()["district_words"]:
        # Most governorates share their name with their central district ("Deir ez-Zor", "Idlib"): a bare
        # name is the governorate, the wider reading; the district only when the writer says "district".
        admin2 = set()
    ctx.admin1 |= admin1
    ctx.admin2 |= admin2
    if said_admin:
        return
    # A town or city named as context: the place should be near it (quarters of a city, villages of
    # a district named after its town).
    best = None
    # Fuzzy spellings score below the 0.85 asked of a town here: the fuzzy search is not run.
    found = _name_matches(gaz, core, fuzzy=False).items()
    matches = [(gaz.places[idx], s) for idx, (s, *_) in found if s >= 0.85]
    for p, s in matches:
        if p.feature in ("city", "town", "capital"):
            rank = (s, {"city": 3, "capital": 3}.get(p.feature, 2), p.population)
            if best is None or rank > best[0]:
                best = (rank, p)
    if best is not None:
        p = best[1]
        reach = {"city": 20.0, "capital": 20.0}.get(p.feature, 10.0)
        ctx.points.append((p.lat, p.lon, reach, p, bool(admin1) and not town))
        return
    # A village named as context ("X, Ein Issa"), when no other village of its governorate shares the
    # name; the governorate named (or the other villages left) decides between governorates.
    villages = [p for p, _ in matches if p.feature == "village"]
    per_admin1 = Counter(p.admin1 for p in villages)
    for p in villages:
        if per_admin1[p.admin1] == 1:
            ctx.points.append((p.lat, p.lon, VILLAGE_REACH, p, False))


_FEATURE_PRIOR = {
    "capital": 0.07, "city": 0.06, "town": 0.06, "admin1": 0.05, "country": 0.05, "region": 0.03,
    "admin2": -0.03, "village": 0.0, "neighbourhood": -0.02, "landmark": 0.0,
}


@dataclass(slots=True)
class _Static:
    """What scoring needs of a place that does not depend on the query, computed once per gazetteer."""

    prior: float  # feature type and population
    surveyed: bool  # on OCHA's list of Syrian communities, or at the same spot as one of them
    area_keys: frozenset[str]  # key and skeleton of its district's name
    name_key: str
    # governorate -> km, for the governorates of Syria and Iraq that have a place within FAR_KM of this one
    near_admin1: dict[str, int] | None = None


def _statics(gaz: Gazetteer) -> list[_Static]:
    got = gaz.derived.get("static")
    if got is None or len(got) != len(gaz.places):
        got = []
        for p in gaz.places:
            prior = _FEATURE_PRIOR.get(p.feature, 0.0)
            if p.feature not in AREA_FEATURES and p.population > 0:
                prior += min(0.05, math.log10(p.population + 1) / 120.0)
            got.append(_Static(
                prior=prior + (0.25 if p.user else 0.0),
                surveyed=not p.user and any(i.startswith("ocha:") for i in (p.id, *p.ids)),
                area_keys=_area_keys(p),
                name_key=key(p.name),
            ))
        _same_spot_surveyed(gaz.places, got)
        _governorate_distances(gaz.places, got)
        _settlements_with_parts(gaz, got)
        gaz.derived["static"] = got
    return got


# A namesake in another governorate than the one named loses up to FAR_PENALTY with its distance from
# that governorate: nothing within FAR_FREE_KM (writers put border villages in the next governorate), all of
# it at FAR_KM and beyond (a village 300 km away is not the place; the governorate named stands in).
FAR_FREE_KM, FAR_KM, FAR_PENALTY = 5.0, 105.0, 0.3


def _governorate_distances(places: Sequence[Place], statics: list[_Static]) -> None:
    """For each place of Syria and Iraq, how far the governorates within FAR_KM are (to their nearest
    place, on a 0.1-degree grid of the places' points)."""
    import numpy as np

    cells: dict[str, set[tuple[int, int]]] = {}
    idx = [i for i, p in enumerate(places) if p.country in ("SY", "IQ") and p.feature not in AREA_FEATURES]
    for i in idx:
        p = places[i]
        if p.admin1:
            cells.setdefault(p.admin1, set()).add((round(p.lat * 10), round(p.lon * 10)))
    if not idx or not cells:
        return
    lat = np.array([places[i].lat for i in idx])
    lon = np.array([places[i].lon for i in idx])
    coslat = np.cos(np.radians(lat))
    near: list[dict[str, int]] = [{} for _ in idx]
    margin = FAR_KM / 111.0 + 0.1
    for admin1 in sorted(cells):
        grid = np.array(sorted(cells[admin1]), dtype=float) / 10.0
        inside = np.flatnonzero((lat >= grid[:, 0].min() - margin) & (lat <= grid[:, 0].max() + margin)
                                & (lon >= grid[:, 1].min() - margin / 0.7)
                                & (lon <= grid[:, 1].max() + margin / 0.7))
        for start in range(0, len(inside), 2048):
            sel = inside[start:start + 2048]
            dy = (lat[sel, None] - grid[None, :, 0]) * 111.2
            dx = (lon[sel, None] - grid[None, :, 1]) * 111.2 * coslat[sel, None]
            dist = np.sqrt(dx * dx + dy * dy).min(axis=1)
            for j in np.flatnonzero(dist < FAR_KM):
                near[sel[j]][admin1] = int(dist[j])
    for n, i in enumerate(idx):
        statics[i].near_admin1 = near[n]


def _far_from(st: _Static, admin1: set[str]) -> float:
    """The penalty of a place for its distance from the governorates named (see FAR_PENALTY)."""
    d = FAR_KM
    near = st.near_admin1 or {}
    for a in admin1:
        dist = near.get(a, FAR_KM)
        if dist < d:
            d = dist
    if d <= FAR_FREE_KM:
        return 0.0
    return FAR_PENALTY * min(1.0, (d - FAR_FREE_KM) / (FAR_KM - FAR_FREE_KM))


PARTS_KM, PARTS_PRIOR = 5.0, 0.02


def _settlements_with_parts(gaz: Gazetteer, statics: list[_Static]) -> None:
    """A place whose name others nearby carry with a qualifier ("Eastern Sarja" and "Western Sarja"
    within 5 km of Sarjah) is a settlement grown into parts: likelier the one meant than a namesake
    without them (a small prior, for ties between namesakes)."""
    places = gaz.places
    for i, p in enumerate(places):
        if p.country not in ("SY", "IQ") or p.feature in AREA_FEATURES:
            continue
        parts = gaz.loose.get(statics[i].name_key, ())
        if any(e.place != i and _near(p.lat, p.lon, places[e.place].lat, places[e.place].lon) <= PARTS_KM
               for e in parts):
            statics[i].prior += PARTS_PRIOR


SAME_SPOT_KM = 1.0  # another source's record this close to an OCHA community is that community


def _same_spot_surveyed(places: Sequence[Place], statics: list[_Static]) -> None:
    """Mark a Syrian place as surveyed when an OCHA community lies within ``SAME_SPOT_KM``: the sources
    name one community differently ("Sarjah" stands where OCHA has "Eastern Sarja"), and the prior
    should not favour a namesake elsewhere only because its record came from OCHA."""
    cell = 0.05  # degrees, about 5 km: a community within 1 km is in the same or a next cell
    grid: dict[tuple[int, int], list[Place]] = {}
    for p, st in zip(places, statics, strict=True):
        if st.surveyed:
            grid.setdefault((int(p.lat // cell), int(p.lon // cell)), []).append(p)
    for p, st in zip(places, statics, strict=True):
        if st.surveyed or p.user or p.country != "SY" or p.feature in AREA_FEATURES:
            continue
        y, x = int(p.lat // cell), int(p.lon // cell)
        st.surveyed = any(_near(p.lat, p.lon, q.lat, q.lon) <= SAME_SPOT_KM
                          for dy in (-1, 0, 1) for dx in (-1, 0, 1) for q in grid.get((y + dy, x + dx), ()))


def prepare(gaz: Gazetteer) -> None:
    """Compute the per-place scoring facts and the big skeleton buckets' strings now
    (``Gazetteer.prepare``), so a cached index holds them."""
    _statics(gaz)
    _settled(gaz)
    for sk, bucket in gaz.skel.items():
        if len(bucket) > _BIG_BUCKET:
            _bucket_softs(gaz, sk, bucket)


_BIG_BUCKET = 8  # skeleton buckets larger than this are compared in one rapidfuzz call


def _bucket_softs(gaz: Gazetteer, sk: str, bucket: list) -> list[str]:
    table = gaz.derived.setdefault("skel_softs", {})
    softs = table.get(sk)
    if softs is None:
        softs = table[sk] = [e.soft for e in bucket]
    return softs


def _near(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km, equirectangular: within a few metres of ``km`` at the ranges scoring compares
    (up to a few hundred km) and a fraction of its cost."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.sqrt(x * x + y * y)


def _score(place: Place, st: _Static, name_score: float, ctx: _Context, parsed: Parsed,
           country: str | None) -> float:
    s = name_score + st.prior
    want = ctx.country or country  # a country the expression names ("Mosul, Iraq") before the document's
    if st.surveyed and want == "SY":
        # Among Syrian places, a community on OCHA's list is inhabited and surveyed: likelier to be in
        # the news. (Iraq has no such list, so the prior is not used to choose between the countries.)
        s += 0.04
    hint = parsed.area_hint
    feature = place.feature
    if feature in SITE_FEATURES:
        # A site of sites.tsv is the place when the expression names its kind ("Tabqa dam", "T4 airbase");
        # otherwise the town or village of that name comes first ("Tabqa").
        s += SITE_BONUS if parsed.facility == feature else -0.1
    if hint:
        if feature == "neighbourhood" and hint == "district":
            s += 0.2  # "the X district" of a city: a quarter, not a village
        elif parsed.quarter and feature == "village" and hint == "district":
            s -= 0.1  # "the X housing district": not a village
        if hint in ("subdistrict", "sub district", "nahiya", "nahia") and feature in ("town", "city"):
            s += 0.2  # a sub-district is named after its central town: the town stands for it
        wants_admin1 = hint in ("province", "governorate", "region") and feature == "admin1"
        wants_admin2 = hint == "district" and feature == "admin2"
        if wants_admin1 or wants_admin2:
            s += 0.3
        elif feature == "admin1" and parsed.precision >= 3:
            s += 0.1  # "X countryside", "X area": the governorate; not "X outskirts", "X al-Balad"
    if parsed.village and feature in ("neighbourhood", "landmark", "admin1", "admin2"):
        s -= 0.15  # "X village": not a city's quarter of that name, nor an area
    if parsed.quarter and hint != "district":
        if feature == "neighbourhood":
            s += 0.2  # "the X quarter": a quarter, not a village
        elif feature == "village":
            s -= 0.1
    if want and place.country and place.country != want:
        # A capital named exactly is a speaker's place ("Moscow said"), but never a quarter or a village
        # the expression names as such ("حي المشهد" is a quarter, not Mashhad in Iran).
        # Nor a facility said as such ("Maleh oil field" is not Male), nor with a governorate named.
        said = parsed.quarter or parsed.village or parsed.facility is not None or bool(ctx.admin1)
        world_exact = place.country not in ("SY", "IQ") and name_score >= 0.99 and not said
        if not world_exact:
            # A town of the other country of the theatre named exactly ("al-Mayadin" in an Iraqi report)
            # stays ahead of a mere likeness at home.
            theatre = name_score >= 0.99 and place.country in ("SY", "IQ") and want in ("SY", "IQ")
            s -= CROSS_BORDER if theatre else 0.35
    if ctx.admin1 and place.admin1:
        # The governorate the writer names is strong evidence: it outweighs a slightly closer spelling
        # of a namesake elsewhere (names repeat across Syria's governorates).
        if place.admin1 in ctx.admin1:
            s += 0.25
        else:
            # Quarters and landmarks are named alike in every city ("Souq al-Khodra", "Hay al-Matar"): one
            # of another governorate's city is never the place meant.
            s -= 0.3 if feature in ("neighbourhood", "landmark") else 0.08
            if feature not in ("town", "city", "capital", "region") and place.country in ("SY", "IQ"):
                # A village far from the governorate named is a namesake; a town that far is more
                # likely misfiled by the writer ("Khan Shaykhun, Deir Ezzor").
                s -= _far_from(st, ctx.admin1)
    if ctx.admin2 and ctx.admin2 & st.area_keys:
        s += 0.12
    for lat, lon, reach, anchor, also_admin1 in ctx.points:
        if anchor is place:
            continue
        if also_admin1:
            # "X, Aleppo" names the governorate: nearness to the city only favours its own quarters.
            if feature == "neighbourhood" and _near(place.lat, place.lon, lat, lon) <= reach:
                s += 0.12
            continue
        d = _near(place.lat, place.lon, lat, lon)
        if d <= reach:
            s += 0.18 * (1.0 - d / reach)
        elif d > DISTRICT_REACH * reach:
            s -= 0.12  # beyond the district a town gives its name to: a namesake elsewhere
    if ctx.doc_points:
        d = min(_near(place.lat, place.lon, la, lo) for la, lo in ctx.doc_points)
        s += DOC_PULL * max(0.0, 1.0 - d / DOC_REACH)  # near the document's other places
        if feature == "neighbourhood" and d <= QUARTER_REACH:
            s += QUARTER_PULL  # a story about a city's quarters: a quarter of that city, not a far village
    return s


def _ranked(gaz: Gazetteer, name: str, ctx: _Context, parsed: Parsed, country: str | None,
            limit: int) -> list[tuple[float, Place, str, bool]]:
    want = ctx.country or country  # a country the expression names ("Mosul, Iraq") before the document's
    matches = _name_matches(gaz, name, ctx.admin1, want)
    # Places outside Syria and Iraq (capitals, speaker cities) are for their exact names only: a
    # misspelt village must never become Kigali.
    # With the document's country known, another country's places are for their exact names only too
    # (a border town named by the other side); their misspelt namesakes are noise.
    places, statics = gaz.places, _statics(gaz)
    scored = []
    spelt = _spelling(name)
    for i, (s, m, like) in matches.items():
        p = places[i]
        if parsed.hashtag and like:
            continue  # "#Raqqa": a hashtag is written exactly; its likenesses are other words
        if (p.country == want or s >= 0.99 or p.user
                or (s >= 0.8 or not want) and p.country in ("SY", "IQ")):
            score = _score(p, statics[i], s, ctx, parsed, country)
            if not like and SPELLING and _spelling(m) == spelt:
                # Namesakes that share a key: the record spelt exactly as the writer spells it is likelier the
                # one meant (writers copy a name from a map or a list)
                score += SPELLING
            scored.append((-score, p.id, i, m, like))
    scored.sort()  # best first, ties by id
    # One answer per place: drop a candidate of the same name key within 3 km of a better one.
    out: list[tuple[float, Place, str, bool]] = []
    kept: dict[str, list[Place]] = {}
    for neg, _, i, m, like in scored:
        p, nk = places[i], statics[i].name_key
        same = kept.get(nk)
        if same is None:
            kept[nk] = [p]
        elif any(_near(p.lat, p.lon, q.lat, q.lon) < 3 for q in same):
            continue
        else:
            same.append(p)
        out.append((-neg, p, m, like))
        if len(out) >= limit:
            break
    return out


def _spelling(name: str) -> str:
    """A name as the writer spelt it, up to case, hyphens and apostrophes (cheap: called per candidate)."""
    return name.lower().replace("-", " ").replace("'", "").replace("’", "")


def _candidate(place: Place, score: float, precision: int, matched: str | None, like: bool = False
               ) -> Candidate:
    return Candidate(
        name=place.name, country=place.country or None, admin1=place.admin1 or None,
        lat=place.lat, lon=place.lon, precision=max(precision, place.precision),
        score=score, gazetteer_id=place.id,
        admin2=place.admin2 or None, feature=place.feature, matched=matched, likeness=like,
    )


def _area_keys(place: Place) -> frozenset[str]:
    return frozenset({key(place.admin2), skeleton(place.admin2)}) if place.admin2 else frozenset()


def _context_points(gaz: Gazetteer, context: Sequence[Any] | None,
                    country: str | None) -> list[tuple[float, float]]:
    pts = []
    for item in context or ():
        if isinstance(item, Location):
            if item.lat is not None and item.lon is not None:
                pts.append((item.lat, item.lon))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            pts.append((float(item[0]), float(item[1])))
        elif isinstance(item, str) and item.strip():
            memo = ("doc", item, country)
            if memo in gaz.context_cache:
                point = gaz.context_cache[memo]
            else:
                top = geocode(item, country=country, limit=1, gazetteer=gaz)
                good = top and top[0].precision <= 2 and top[0].score >= 0.7
                point = (top[0].lat, top[0].lon) if good else None
                if len(gaz.context_cache) < _CACHE_LIMIT:
                    gaz.context_cache[memo] = point
            if point is not None:
                pts.append(point)
    return pts


def geocode(query: str, *, country: str | None = None, limit: int = 5, context: Sequence[Any] | None = None,
            gazetteer: Gazetteer | None = None, floor: bool = True) -> list[Candidate]:
    """Ranked candidates for a place expression ("near Albu Kamal", "Al-Fatih, Jableh District").

    ``country`` (ISO code, e.g. "SY") is the country of the document; ``context`` the other places of
    the same document (expressions, Locations or (lat, lon) pairs), which pull ambiguous names
    towards them. Relative expressions keep the anchor's point with precision 2 or 3. Matches by
    spelling likeness alone that score below ``FUZZY_FLOOR`` are no answer (``floor=False`` keeps them,
    for measuring)."""
    return geocode_noted(query, country=country, limit=limit, context=context, gazetteer=gazetteer,
                         floor=floor)[0]


def geocode_noted(query: str, *, country: str | None = None, limit: int = 5,
                  context: Sequence[Any] | None = None, gazetteer: Gazetteer | None = None,
                  floor: bool = True) -> tuple[list[Candidate], str | None]:
    """``geocode`` with a note saying why there is no answer when the score floor took every candidate
    away (the batch output prints it), else None."""
    gaz = gazetteer or default_gazetteer()
    cands = _geocode(query, (country or "").upper() or None, limit, context, gaz)
    if not floor or not cands:
        return cands, None
    kept = [c for c in cands if not (c.likeness and c.score < FUZZY_FLOOR)]
    if kept:
        return kept, None
    return kept, (f"no place: the only matches are spelling likenesses scoring below {FUZZY_FLOOR} "
                  f"(best: {cands[0].name}, {cands[0].score})")


def _geocode(query: str, country: str | None, limit: int, context: Sequence[Any] | None, gaz: Gazetteer
             ) -> list[Candidate]:
    parsed = parse(query or "")
    if not parsed.anchors and not parsed.context:
        return []
    doc_points = _context_points(gaz, context, country) if context else []
    # The first part names the place; when it matches nothing well ("National hospital, Azaz"), the
    # next part that is not an admin area is tried.
    tries = [(parsed.anchors[0] if parsed.anchors else None, parsed.context)]
    for i, part in enumerate(parsed.context):
        tries.append((part, parsed.context[i + 1:]))
    best: list[Candidate] = []
    for n, (anchor, rest) in enumerate(tries):
        if anchor is None or (n > 0 and _is_admin_part(gaz, anchor)):
            continue
        ctx = _Context(doc_points=doc_points)
        for part in rest:
            _admin_context(gaz, part, ctx, town=part in parsed.towns)
        if ctx.admin1:  # a town of another governorate than the one named is a namesake: not context
            ctx.points = [pt for pt in ctx.points if not pt[3].admin1 or pt[3].admin1 in ctx.admin1]
        if sum(1 for pt in ctx.points if pt[3].feature == "village") > 1:  # namesake villages: no context
            ctx.points = [pt for pt in ctx.points if pt[3].feature != "village"]
        out = _geocode_anchor(gaz, anchor, parsed if n == 0 else parse(anchor), ctx, country, limit,
                              first=n == 0)
        if n > 0:  # the place is in or near this wider part ("Sheya, Afrin"): precision 2 at least
            for c in out:
                c.precision = max(c.precision, 2)
        if out and (not best or out[0].score > best[0].score):
            best = out
        if best and best[0].score >= WEAK:
            break
    if (not best or best[0].score < WEAK) and parsed.context:
        # The place is not known (or only admin areas were named): as ACLED does, the governorate or
        # district named after it, with precision 3 (2 for a quarter of the town of that name).
        area = []
        for part in parsed.context:  # the first part that names a governorate or district
            if not _is_admin_part(gaz, part):
                continue
            area = _area(gaz, part, country, doc_points)
            if area and area[0].score >= 0.6:
                break
        if area and area[0].score >= 0.6:
            top = area[0]
            top.precision = max(top.precision, 2 if parsed.quarter else 3)
            top.score = round(min(top.score, 0.6), 3)
            # the place once: the area may already stand among them (the town named, precision 2)
            best = [top, *(c for c in best if c.gazetteer_id != top.gazetteer_id)]
    if parsed.direction and parsed.precision >= 3 and best:
        best[0] = _part_of(gaz, best[0], parsed.direction)
    if len(parsed.anchors) == 1 and not parsed.context and any(
            gaz.places[e.place].feature == "country" for e in gaz.exact.get(key(parsed.anchors[0]), ())):
        # "Iraq", "#Iraq", "northern Syria": a country named is that country, never a town or village that
        # resembles it ("Iraq" is not Raqqa)
        best = [c for c in best if c.feature in ("country", "region")]
    return best[:limit]


# "Eastern Homs governorate", "the western countryside of Raqqa": the part of the area in that direction.
# A governorate's part is the mean point of its places in the third that lies furthest that way; a town's
# countryside in a direction is the mean point of its governorate's places within PART_KM of it that lie
# that way (within 45 degrees of the direction).
PART_KM = {"city": 50.0, "capital": 50.0, "town": 30.0}
PART_MIN = 5  # fewer places than this in the part: the area's own point stays


def _part_of(gaz: Gazetteer, cand: Candidate, direction: tuple[float, float]) -> Candidate:
    feature = cand.feature or ""
    if feature != "admin1" and feature not in PART_KM:
        return cand
    memo = ("part", cand.gazetteer_id, direction)
    point = gaz.context_cache.get(memo, False)
    if point is False:
        point = _part_point(gaz, cand, direction)
        if len(gaz.context_cache) < _CACHE_LIMIT:
            gaz.context_cache[memo] = point
    if point is None:
        return cand
    return replace(cand, lat=point[0], lon=point[1], precision=max(cand.precision, 3))


def _settled(gaz: Gazetteer) -> dict[tuple[str, str], list[Place]]:
    """The settled places of each governorate, grouped once per gazetteer (and kept in its cached index)."""
    groups = gaz.derived.get("by_admin1")
    if groups is None:
        groups = gaz.derived["by_admin1"] = {}
        for p in gaz.places:
            if p.admin1 and not p.user and p.feature not in AREA_FEATURES and p.feature not in SITE_FEATURES:
                groups.setdefault((p.country, p.admin1), []).append(p)
    return groups


def _part_point(gaz: Gazetteer, cand: Candidate, direction: tuple[float, float]
                ) -> tuple[float, float] | None:
    ux, uy = direction
    members = _settled(gaz).get((cand.country, cand.admin1), [])
    if cand.feature == "admin1":
        # The governorate's extent, not where its villages crowd: each 0.1-degree cell with a place counts
        # once (the east of Homs is desert with few villages, but it is the east of Homs).
        cells = sorted({(round(p.lat, 1), round(p.lon, 1)) for p in members})
        if len(cells) < 3 * PART_MIN:
            return None
        lat0 = sum(c[0] for c in cells) / len(cells)
        lon0 = sum(c[1] for c in cells) / len(cells)
        coslat = math.cos(math.radians(lat0))
        proj = sorted(((c[1] - lon0) * coslat * ux + (c[0] - lat0) * uy, c) for c in cells)
        top = [c for _, c in proj[len(proj) * 2 // 3:]]
        return (round(sum(c[0] for c in top) / len(top), 5), round(sum(c[1] for c in top) / len(top), 5))
    else:
        reach = PART_KM[cand.feature or "town"]
        coslat = math.cos(math.radians(cand.lat))
        part = []
        for p in members:
            dx, dy = (p.lon - cand.lon) * coslat * 111.2, (p.lat - cand.lat) * 111.2
            d = math.hypot(dx, dy)
            if 2.0 < d <= reach and (dx * ux + dy * uy) >= 0.7 * d:
                part.append(p)
    if len(part) < PART_MIN:
        return None
    return (round(sum(p.lat for p in part) / len(part), 5), round(sum(p.lon for p in part) / len(part), 5))


def _area(gaz: Gazetteer, part: str, country: str | None, doc_points: list[tuple[float, float]]
          ) -> list[Candidate]:
    """The governorate or district a part names, as a fresh candidate (cached without a document's
    places: the same few governorates stand in for every unknown place)."""
    if doc_points:
        return _geocode_anchor(gaz, part, parse(part), _Context(doc_points=doc_points), country, 1,
                               first=False)
    country = COUNTRY_NAMES.get(key(part), country)  # "X, Iraq": Iraq, whatever the document's country
    memo = ("area", part, country)
    got = gaz.context_cache.get(memo)
    if got is None:
        got = _geocode_anchor(gaz, part, parse(part), _Context(), country, 1, first=False)
        if len(gaz.context_cache) < _CACHE_LIMIT:
            gaz.context_cache[memo] = got
    return [replace(c) for c in got]  # the caller changes its precision and score


def _is_admin_part(gaz: Gazetteer, part: str) -> bool:
    """True for a part that names a country, a governorate, or a district as such (cached)."""
    memo = ("admin part", part)
    got = gaz.context_cache.get(memo)
    if got is None:
        got = _is_admin_part_uncached(gaz, part)
        if len(gaz.context_cache) < _CACHE_LIMIT:
            gaz.context_cache[memo] = got
    return got


def _is_admin_part_uncached(gaz: Gazetteer, part: str) -> bool:
    words, folded = _words(part)
    core = " ".join(w for w, f in zip(words, folded, strict=True) if f not in _phrases()["admin_words"])
    k = key(core or part)
    return k in COUNTRY_NAMES or bool(gaz.admin1_names.get(k)) or (len(words) > len(core.split()) and bool(
        gaz.admin2_names.get(k)))


def _geocode_anchor(gaz: Gazetteer, anchor: str, parsed: Parsed, ctx: _Context, country: str | None,
                    limit: int, *, first: bool) -> list[Candidate]:
    if not first:
        anchor = parsed.anchors[0] if parsed.anchors else anchor
    precision = parsed.precision
    if parsed.full and key(parsed.full) in gaz.exact:
        # The words taken off are part of a known name ("Euphrates valley", "Yarmouk camp").
        anchor, precision = parsed.full, 1
        if parsed.relation == "area":
            parsed.relation = None
    # With a town as context, look deeper: a lower candidate in the town's district may come first.
    depth = max(limit, 8) if ctx.points else limit
    parts = [anchor]
    if key(anchor) not in gaz.exact:
        for sep in _phrases()["alternatives"]:
            if sep in anchor:
                parts = [p.strip() for p in anchor.split(sep) if p.strip()] or [anchor]
                break
    # "X and Y", "X or Y": the first named, unless it is not known well and a later one is known better
    # ("Qxq or Kashma" is Kashma). The later name must match closely by itself (0.8), not only with the
    # context's help: "other areas, Raqqa" must not become Thawrah.
    ranked = _ranked(gaz, parts[0], ctx, parsed, country, depth)
    for part in parts[1:]:
        if ranked and ranked[0][0] >= WEAK * 1.25:
            break
        names = _name_matches(gaz, part, ctx.admin1, ctx.country or country)
        if max((s for s, *_ in names.values()), default=0.0) < 0.8:
            continue
        got = _ranked(gaz, part, ctx, parsed, country, depth)
        if got and got[0][0] >= WEAK * 1.25 and (not ranked or got[0][0] > ranked[0][0]):
            ranked = got
    midpoint = None
    if parsed.relation == "between" and len(parsed.anchors) > 1 and ranked:
        second = _ranked(gaz, parsed.anchors[1], ctx, parsed, country, 1)
        if second:
            a, b = ranked[0][1], second[0][1]
            apart = km(a.lat, a.lon, b.lat, b.lon)
            if apart > 40:
                precision = 3
            if BETWEEN_MIDPOINT and 2.0 < apart <= BETWEEN_MIDPOINT and b is not a:
                midpoint = (round((a.lat + b.lat) / 2, 5), round((a.lon + b.lon) / 2, 5))
    # (score 0..1, place, matched name, precision, by likeness only): Candidates are made for the first
    # `limit` only.
    out: list[tuple[float, Place, str | None, int, bool]] = []
    for s, p, m, like in ranked:
        prec = precision
        if parsed.facility and p.feature == parsed.facility:
            prec = parsed.site_precision  # the site itself ("Tabqa dam"), not the town near it
        if parsed.relation == "area" and parsed.area_hint in _SMALL_AREA_WORDS:
            # "X district" of a quarter or village is the place itself (or its immediate area).
            prec = {"neighbourhood": 1, "village": 2, "landmark": 1}.get(p.feature, prec)
        out.append((round(max(0.0, min(1.0, s / 1.25)), 3), p, m, prec, like))
    # A place not found near the town named as its context ("Al Jabal camp near Jarablus", a village
    # "of Afrin" none of the sources has): the town itself, precision 2, rather than a namesake far away.
    # A candidate of the town's district that ranked lower comes first instead. A governorate's namesake
    # city ("X, Aleppo") only stands in for an unknown quarter.
    for lat, lon, reach, town, also_admin1 in ctx.points:
        if also_admin1 and not parsed.quarter:
            continue
        span = reach if parsed.quarter else DISTRICT_REACH * reach

        def fits(pick: tuple[float, Place, str | None, int, bool], lat: float = lat, lon: float = lon,
                 span: float = span) -> bool:
            score, p = pick[0], pick[1]
            in_district = bool(ctx.admin2) and bool(ctx.admin2 & _area_keys(p))
            return score >= 0.6 and (_near(p.lat, p.lon, lat, lon) <= span
                                     or (in_district and not parsed.quarter))

        if out and fits(out[0]):
            break
        fitting = [c for c in out if fits(c) and c[1] is not town]
        if fitting:
            out.remove(fitting[0])
            out.insert(0, fitting[0])
            break
        if out and out[0][1] is town:
            break
        out.insert(0, (0.62, town, town.name, max(precision, 2), False))
        break
    cands = [_candidate(p, score, prec, m, like) for score, p, m, prec, like in out[:limit]]
    if midpoint is not None and cands and cands[0].gazetteer_id == ranked[0][1].id:
        # "between A and B", "the A-B road": the point halfway, named after A
        cands[0].lat, cands[0].lon = midpoint
    return cands


def locate(expression: str, *, country: str | None = None, context: Sequence[Any] | None = None,
           gazetteer: Gazetteer | None = None) -> Location:
    """The best Location for an expression; name/lat/lon/... stay None when nothing matched well enough
    (unknown is null, never a guess)."""
    text = expression
    cands = geocode(expression, country=country, limit=1, context=context, gazetteer=gazetteer)
    if not cands or cands[0].score < 0.55:
        return Location(text=text)
    return cands[0].to_location(text)
