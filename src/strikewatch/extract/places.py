"""Place expressions as written: "near Abu Kamal", "north of Homs", "in east-Aleppo", "the town of Hit".

A place expression is a relation word from ``lexicon/places.yaml`` (or none) followed by a run of
capitalised words, with the transliteration particles that join them ("Dayr Az Zawr", "al-Qaim",
"Albu Kamal"). The text is kept exactly as written; the gazetteer (``strikewatch.geo``) resolves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources

from strikewatch.extract.lexicon import alternation, lexicon
from strikewatch.geo.keys import key as _gazetteer_key

_PARTICLE = (
    r"(?:al|el|as|ash|ar|az|ad|an|at|ath|adh|es|ez|ed|bin|ibn|abu|abou|umm|bani|beni|wadi|"
    r"tal|tell|jabal|jebel|de)"
)
_CAP = r"(?:[A-Z][\w'’`]*(?:-[\w'’`]+)*)"
_NAME = rf"(?:(?:{_PARTICLE}[-\s])?{_CAP}(?:(?:\s+|-)(?:{_PARTICLE}(?:\s+|-))*{_CAP})*)"


@dataclass(frozen=True)
class PlaceMention:
    """A place expression in a sentence: ``text`` as written (relation included), ``name`` without it."""

    start: int
    end: int
    text: str
    name: str
    relation: str | None
    precision: int | None
    country: str | None = None  # set when the name is a country
    refers_to: str | None = None  # for "near the town": the earlier place's name, looked up instead
    joins: int | None = None  # a list member after the first ("Rastan and Talbiseh"): the first's start


@dataclass(frozen=True)
class _Patterns:
    name: re.Pattern[str]  # a capitalised run, optionally followed by a kind word ("quarter")
    before: re.Pattern[str]  # what may stand right before it: relation, "the", "town of"
    lead_rel: re.Pattern[str]  # a capitalised relation word swallowed by the name ("Near Near X")
    relations: dict[str, int]
    stop: set[str]
    countries: dict[str, str]
    last_words: set[str]  # words a relation, "the" or "town of" can end with
    anaphor: re.Pattern[str]  # "near the town": a relation, then a place named earlier
    anaphor_same: set[str]  # anaphor kinds that are the earlier place itself (the others are near it)
    demonyms: set[str]  # "Syrian", "Turkish": never a place name on their own
    hyphen_adjectives: set[str]  # "-held", "-led": a name joined to one is an adjective
    possessive: re.Pattern[str]  # "Syria's capital Damascus", "Syrias Hasakeh city" (apostrophe lost)


@cache
def _patterns() -> _Patterns:
    lex = lexicon()
    rel = lex.places["relations"]
    kinds = sorted(lex.places["kinds"], key=len, reverse=True)
    kind_re = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in kinds)
    words = sorted((r for r in rel if not r.endswith("-")), key=len, reverse=True)
    rel_re = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in words)
    # the same alternations grouped by first letter, where they are read case-blind: ``before`` is
    # searched over the 60 characters before every capitalised run (same matches, a third of the time)
    kind_i = alternation([re.escape(k).replace(r"\ ", r"\s+") for k in kinds], ignore_case=True)
    rel_i = alternation([re.escape(r).replace(r"\ ", r"\s+") for r in words], ignore_case=True)
    dash_re = "|".join(re.escape(r) for r in rel if r.endswith("-"))
    lead_re = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in words if r.lower() not in _PARTICLES)
    ana = lex.places["anaphor_kinds"]
    ana_re = "|".join(sorted((re.escape(k) for k in (*ana["same"], *ana["near"])), key=len, reverse=True))
    return _Patterns(
        name=re.compile(
            rf"(?:(?<![\w'’-])|(?<=^-)|(?<=\s-)|(?<=east-)|(?<=west-)|(?<=north-)|(?<=south-))(?P<name>{_NAME})(?:\s+(?P<kind2>{kind_re})(?![\w]))?"
        ),
        before=re.compile(
            rf"(?:(?<![\w])(?i:(?P<rel>{rel_i}))\s+(?:(?i:{rel_i})\s+)*|(?<![\w])(?i:(?P<dash>{dash_re})))?"
            rf"(?P<the>(?i:the)\s+)?"
            rf"(?:(?P<kind1>(?i:{kind_i}))\s+of\s+)?$"
        ),
        lead_rel=re.compile(rf"^(?:(?i:{lead_re})\s+)+"),
        relations={" ".join(k.lower().split()): v for k, v in rel.items()},
        stop={w.lower() for w in lex.places["not_places"]},
        countries=lex.places["countries"],
        last_words={"the", "of"} | {r.split()[-1].lower() for r in rel if not r.endswith("-")},
        anaphor=re.compile(
            rf"(?:(?<![\w])(?P<rel>(?i:{rel_re}))\s+)?(?P<a>(?i:the|that|this)\s+(?i:{ana_re}))"
            rf"(?![\w'’-])(?!\s+of\b)(?!\s+[A-Z])"
        ),
        anaphor_same={k.lower() for k in ana["same"]},
        demonyms=set(lex.places.get("demonyms") or []),
        hyphen_adjectives={w.lower() for w in lex.places.get("hyphen_adjectives") or []},
        # A country's possessive, with or without its apostrophe, then up to three lower-case words
        # ("second city", "northwestern", "capital") before the place it is about.
        possessive=re.compile(
            r"(?<![\w'’-])(?P<poss>(?:"
            + "|".join(re.escape(c).replace(r"\ ", r"\s+")
                       for c in sorted(lex.places["countries"], key=len, reverse=True))
            + r")(?:['’]s|s))\s+(?:(?:[a-z][\w-]*|\d+\w*)\s+){0,3}?(?=[A-Z])"
        ),
    )


_PARTICLES = set(_PARTICLE[3:-1].split("|"))
_ROMAN = re.compile(r"^[IVX]+$")


def _is_actor(name: str) -> bool:
    lex = lexicon()
    return (
        name in lex.exact_to_actor
        or name.lower() in lex.alias_to_actor
        or name.lower().removeprefix("the ") in lex.alias_to_actor
    )


def _mention(sentence: str, m: re.Match[str], *, bare: bool) -> PlaceMention | None:
    """A place mention from a capitalised run ``m``; ``bare`` accepts one with no relation word."""
    p = _patterns()
    name = m.group("name")
    name_start = m.start("name")
    rel_in_name = p.lead_rel.match(name)
    if rel_in_name and rel_in_name.end() < len(name):  # "Near Near Abu Kamal": the relation was capitalised
        name_start += rel_in_name.end()
        name = name[rel_in_name.end() :]
    words = name.split()
    first = words[0].lower()
    if first in p.stop and not (first in _PARTICLES and len(words) > 1):
        return None
    while words and words[-1].lower().rstrip(".,") in p.stop:
        name = name[: name.rfind(words[-1])].rstrip(" -")
        words = name.split()
    while len(words) > 1 and words[-1].isalpha() and words[-1].isupper() and len(words[-1]) <= 5 \
            and not _ROMAN.match(words[-1]):
        # an agency's or a monitor's acronym after the name ("in Deir Ezzor SANA", "northern Syria AP")
        name = name[: name.rfind(words[-1])].rstrip(" -")
        words = name.split()
    for k, w in enumerate(words[1:] if name not in p.countries else [], start=1):
        bare_word = re.sub(r"['’]?s$", "", w) if w not in p.countries else w
        if bare_word in p.countries or w in p.demonyms:
            # "in Aleppo Syria", "near Deir al-Zor Syrias state media", "in Idlib Syrian" (commas lost):
            # the country or its adjective ends the place's name
            name = name[: name.find(w, len(" ".join(words[:k])))].rstrip(" -")
            words = words[:k]
            break
    if not name or len(name) < 2 or name.lower() in p.stop or name in p.demonyms:
        return None
    if (_is_actor(name) or _is_actor(name.removesuffix("'s"))) and not _country_after_relation(
            sentence, name, m.start()):
        return None  # organisations are not places ("Turkey said"; but "dams in Turkey" is a place)
    if name.isupper() and len(name) <= 5:
        return None  # acronyms are not places
    head_part, _, tail_part = words[-1].rpartition("-")
    if head_part and tail_part.lower() in p.hyphen_adjectives:
        return None  # "ISIS-held", "US-led": an adjective, not a place
    prev_word = sentence[max(0, m.start() - 30) : m.start()].rsplit(None, 1)
    tail = prev_word[-1].lower() if prev_word and sentence[m.start() - 1 : m.start()].isspace() else ""
    if sentence[m.start() - 1 : m.start()] == "-" or tail in p.last_words:
        b = p.before.search(sentence, max(0, m.start() - 60), m.start())
    else:
        b = None  # no relation, "the" or "town of" ends right before the name
    rel = kind1 = None
    start = m.start()
    if b is not None and b.end() == m.start():
        rel = b.group("rel") or b.group("dash")
        kind1 = b.group("kind1")
        if b.start() < b.end():
            start = b.start()
    if rel_in_name and start == m.start():
        rel = rel_in_name.group(0).strip()
    kind = kind1 or (
        m.group("kind2") if name == m.group("name")[len(m.group("name")) - len(name) :] else None
    )
    country = p.countries.get(name) or _world_countries().get(name)  # "Canada" is a country, no village
    if not rel and not kind and not country and not bare and not _known_bare(sentence, name, name_start):
        return None
    end = name_start + len(name)
    if m.group("kind2") and m.group("name").endswith(name):
        end = m.end("kind2")
    prec = p.relations.get(" ".join(rel.lower().split()), 1) if rel else 1
    if kind and kind.lower() in (
        "countryside",
        "province",
        "governorate",
        "region",
        "desert",
        "plain",
        "valley",
    ):
        prec = 3
    if country:
        prec = 3
    return PlaceMention(start, end, sentence[start:end].strip(), name, rel, prec, country)


def _owned(sentence: str, m: re.Match[str], poss: re.Match[str]) -> PlaceMention | None:
    """The place a country's possessive is about: "in Syria's capital Damascus" and "in Syrias Hasakeh city"
    name Damascus and Hasakeh (looked up with the relation written before the possessive); "Syrias"
    alone is no village."""
    p = _patterns()
    word = poss.group("poss")
    if m.start("name") == poss.start("poss"):  # the run starts with the possessive word itself
        rest = m.group("name")[len(word):]
        if not rest.strip():
            return None
        inner = p.name.match(sentence, m.start("name") + len(word) + (len(rest) - len(rest.lstrip())))
    else:
        inner = m
    if inner is None:
        return None
    pm = _mention(sentence, inner, bare=True)
    if pm is None or pm.country:
        return pm
    b = p.before.search(sentence, max(0, poss.start() - 60), poss.start())
    start = b.start() if b is not None and b.end() == poss.start() and b.start() < b.end() else poss.start()
    rel = (b.group("rel") or b.group("dash")) if b is not None and b.end() == poss.start() else None
    rel = rel or pm.relation
    precision = pm.precision
    if precision == 1:
        precision = p.relations.get(" ".join((rel or "").lower().split()), 1)
    lookup = pm.text if pm.relation else " ".join(x for x in (rel, pm.text) if x)
    return PlaceMention(start, pm.end, sentence[start : pm.end].strip(), pm.name, rel, precision, None,
                        refers_to=lookup)


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """The gazetteer's match key of a name, cached: reports repeat their capitalised runs."""
    return _gazetteer_key(name)


@cache
def _world_countries() -> dict[str, str]:
    """Country names and variants (geo/data/world.tsv) -> ISO code."""
    out = {}
    text = resources.files("strikewatch.geo").joinpath("data/world.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    cols = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(cols, line.split("\t"), strict=False))
        for n in [row.get("country", ""), *(row.get("country_variants") or "").split("|")]:
            if n.strip():
                out[n.strip()] = row["iso"]
    return out


_RELATION_BEFORE = re.compile(
    r"\b(?:in|into|inside|to|from|across|near|throughout|bordering|borders|visiting|visited|visit|"
    r"across|within|outside|of)\s+(?:the\s+)?$", re.I)


def _country_after_relation(sentence: str, name: str, start: int) -> bool:
    """A country written after "in", "into", "bordering" is the country, even when its name also stands
    for its government or forces elsewhere ("Turkey said")."""
    if name not in _patterns().countries and name not in _world_countries():
        return False
    return _RELATION_BEFORE.search(sentence[max(0, start - 30) : start]) is not None


@cache
def _known_keys() -> frozenset[str]:
    """Match keys of the places a report may name bare (geo/data/known_places.txt, tools/known_places.py)."""
    text = resources.files("strikewatch.geo").joinpath("data/known_places.txt").read_text("utf-8")
    keys = (key(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return frozenset(k for k in keys if len(k) >= 4)


def _known_bare(sentence: str, name: str, start: int) -> bool:
    """A well-known place written without a relation word ("the siege of Mosul", "forces isolate Raqqa"),
    unless it speaks ("Damascus denied the report": the government) or opens a longer name."""
    if key(name) not in _known_keys():
        return False
    after = sentence[start + len(name) : start + len(name) + 40]
    if _APOSTROPHE_S.match(after):
        return True  # "Raqqa's western districts"
    return not lexicon().regex["speech_verb"].match(after.lstrip()) and not re.match(r"\s*[A-Z]", after)


_APOSTROPHE_S = re.compile(r"['’]s\b")


def find_places(sentence: str, *, offset: int = 0) -> list[PlaceMention]:
    """Place expressions in ``sentence``, in order; offsets are shifted by ``offset``.

    A run of capitalised words counts as a place only after a relation word ("near", "in", "north of"),
    with a kind word ("the town of Hit", "the Sheikh Saeed quarter"), or when it is a country name.
    """
    p = _patterns()
    owned = {}  # where a place named after a country's possessive starts -> the possessive's match
    for pm_ in p.possessive.finditer(sentence):
        owned[pm_.start("poss")] = owned[pm_.end()] = pm_
    out: list[PlaceMention] = []
    for m in p.name.finditer(sentence):
        poss = owned.get(m.start("name"))
        pm = _owned(sentence, m, poss) if poss is not None else _mention(sentence, m, bare=False)
        if pm is not None:
            if offset:
                pm = PlaceMention(
                    pm.start + offset,
                    pm.end + offset,
                    pm.text,
                    pm.name,
                    pm.relation,
                    pm.precision,
                    pm.country,
                )
            prev = out[-1] if out else None
            if (
                prev is not None
                and pm.country is None
                and (pm.relation or "").lower() == "in"
                and sentence[prev.end - offset : pm.start - offset].strip() == ""
            ):
                # "near Hit in Al Anbar Province": one expression, named by its first place
                out[-1] = PlaceMention(
                    prev.start,
                    pm.end,
                    sentence[prev.start - offset : pm.end - offset],
                    prev.name,
                    prev.relation,
                    prev.precision,
                    prev.country,
                )
                continue
            out.append(pm)
    return _listed(sentence, out, offset)


_LIST_JOIN = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as)\s+)(?=[A-Z])")
_LIST_JOIN_SAME = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")


def list_after(sentence: str, head: PlaceMention) -> list[PlaceMention]:
    """The places listed after ``head`` (sentence offsets): "Hit, Kubaysah and Baghdadi" after Hit."""
    return [m for m in _listed(sentence, [head], 0) if m.joins == head.start]


def _listed(sentence: str, found: list[PlaceMention], offset: int) -> list[PlaceMention]:
    """The other members of a list a place opens: "the towns of Rastan and Talbiseh", "near Hit, Kubaysah
    and Baghdadi": each is a place with the relation of the first."""
    if not found:
        return found
    p = _patterns()
    taken = {(m.start - offset, m.end - offset) for m in found}
    out = list(found)
    for first in found:
        if first.name == "" or first.country is not None:
            continue
        end = first.end - offset
        while True:
            j = _LIST_JOIN.match(sentence, end)
            if j is None:
                # "near Shaddadi and near Abu Kamal": a found place of the same relation, joined to the first
                j = _LIST_JOIN_SAME.match(sentence, end)
                twin = next((a for a in out if j and a.start - offset == j.end() and a.joins is None
                             and a is not first and a.relation == first.relation and a.country is None), None)
                if twin is None:
                    break
                out[out.index(twin)] = replace(twin, joins=first.start)
                end = twin.end - offset
                continue
            m = p.name.match(sentence, j.end())
            if m is None:
                break
            pm = _mention(sentence, m, bare=True)
            if pm is None or pm.country is not None or (pm.start, pm.end) in taken:
                break
            if any(a.start - offset <= pm.start < a.end - offset for a in out):
                break
            taken.add((pm.start, pm.end))
            out.append(PlaceMention(pm.start + offset, pm.end + offset, pm.text, pm.name, first.relation,
                                    first.precision, None, joins=first.start))
            end = pm.end
    out.sort(key=lambda m: m.start)
    return out


def passing_places(sentence: str) -> list[PlaceMention]:
    """Places a sentence names without a relation word: "residents of Abu Kamal" (after a noun from
    ``of_nouns``) and possessives such as "Mayadin's". Only a fallback for an event with no other place."""
    nouns = {w.lower() for w in lexicon().places.get("of_nouns") or []}
    out: list[PlaceMention] = []
    for m in _patterns().name.finditer(sentence):
        before = re.search(r"\b([A-Za-z]+)\s+of\s+$", sentence[max(0, m.start() - 40) : m.start()])
        possessive = re.search(r"['’]s$", m.group("name")) or re.match(r"['’]s\b", sentence[m.end("name") :])
        if not ((before and before.group(1).lower() in nouns) or possessive):
            continue
        pm = _mention(sentence, m, bare=True)
        if pm is None or pm.country is not None:
            continue
        name = pm.name.removesuffix("'s").removesuffix("’s")
        if not name or _is_actor(name) or name.lower() in _patterns().stop:
            continue
        start = m.start("name")
        out.append(PlaceMention(start, start + len(name), name, name, None, 1))
    return out


def place_name(expression: str) -> str:
    """The name inside a place expression ("near Abu Kamal" -> "Abu Kamal")."""
    found = find_places(expression)
    return found[0].name if found else expression.strip()


def is_anaphor(text: str) -> bool:
    """True for "the town", "that village" (a place named earlier), as a whole expression."""
    m = _patterns().anaphor.fullmatch(text.strip())
    return m is not None and m.group("rel") is None


def find_anaphor(sentence: str) -> PlaceMention | None:
    """The first "near the town", "inside the city", "in the area": a place the report named before.
    ``name`` is the anaphor ("the town"); ``precision`` comes from the relation, at least 2 for something
    only in or near the earlier place ("the area", "the camp")."""
    p = _patterns()
    m = p.anaphor.search(sentence)
    if m is None:
        return None
    rel = m.group("rel")
    prec = p.relations.get(" ".join(rel.lower().split()), 1) if rel else 1
    if m.group("a").split()[-1].lower() not in p.anaphor_same:
        prec = max(prec, 2)
    return PlaceMention(m.start(), m.end(), m.group(0), m.group("a"), rel, prec)


@cache
def _passive() -> re.Pattern[str]:
    lex = lexicon()
    aux = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in lex.places["passive_auxiliaries"])
    adv = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in lex.places["passive_adverbs"])
    # people are killed, places are hit: "Fighters were killed in clashes" names no place
    people = {"killed", "executed", "massacred", "slain", "wounded", "injured", "abducted", "kidnapped",
              "raped"}
    verbs = sorted((v for v in (*lex.trigger_verbs, *lex.generic_verbs) if v.lower() not in people), key=len,
                   reverse=True)
    verb = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in verbs)
    return re.compile(rf"\s+(?i:{aux})\s+(?:(?i:{adv})\s+)*(?i:{verb})\b")


def passive_subject(sentence: str) -> PlaceMention | None:
    """The place a passive sentence opens with: "Talbiseh was also hit by Russian strikes". Not an actor,
    a title or a weekday (``_mention`` refuses those)."""
    m = _patterns().name.match(sentence, len(sentence) - len(sentence.lstrip()))
    if m is None or _passive().match(sentence, m.end("name")) is None:
        return None
    pm = _mention(sentence, m, bare=True)
    if pm is None or pm.country is not None or pm.end != m.end("name"):
        return None
    return pm


def place_at(sentence: str, pos: int) -> PlaceMention | None:
    """The place written right at ``pos`` (a verb's object: "took the Sheikh Saeed quarter", "captured
    Palmyra", "seized the town"), with or without a relation word; ``None`` when none starts there."""
    rest = sentence[pos:]
    lead = re.match(
        r"\s*(?:(?:full\s+)?(?:control|hold|possession)\s+(?:of|over)\s+)?(?:the\s+)?"
        r"(?:(?:[A-Za-z]+-[a-z]+\s+)?(?:[a-z]+\s+){0,2}?(?:town|city|villages?|settlements?|districts?|quarters?|"
        r"neighbou?rhoods?|suburbs?|outskirts|parts|housing\s+district)\s+of\s+)?",
        rest,
    )
    at = pos + (lead.end() if lead else 0)
    m = _patterns().name.match(sentence, at)
    if m is not None:
        pm = _mention(sentence, m, bare=True)
        if pm is not None:
            start = pos + len(rest) - len(rest.lstrip())
            return PlaceMention(
                start, pm.end, sentence[start : pm.end], pm.name, pm.relation, pm.precision, pm.country
            )
    a = _patterns().anaphor.match(sentence, pos + len(rest) - len(rest.lstrip()))
    if a is not None and a.group("rel") is None:
        return PlaceMention(a.start("a"), a.end("a"), a.group("a"), a.group("a"), None, 1)
    return None
