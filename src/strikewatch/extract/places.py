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
    while len(words) > 1 and words[-1].isalpha() and words[-1].isupper() and not _ROMAN.match(words[-1]) \
            and (len(words[-1]) <= 5 or not all(w.isupper() for w in words)):
        # an agency's or a monitor's acronym after the name ("in Deir Ezzor SANA", "northern Syria AP")
        name = name[: name.rfind(words[-1])].rstrip(" -")
        words = name.split()
    while len(words) > 1 and words[-1].lower() in _PARTICLES:
        name = name[: name.rfind(words[-1])].rstrip(" -")  # "in Syria as Kurdish ...": no name ends "as"
        words = name.split()
    for k, w in enumerate(words[1:], start=1):
        if w.lower() in _headline_words() and not w.islower():
            # "in Syrias Homs Car Bomb Blast": a Title-Case headline's event words end the place's name
            name = name[: name.find(w, len(" ".join(words[:k])))].rstrip(" -")
            words = words[:k]
            break
    if not words:
        return None
    gov_tail = None
    whole = key(name)
    for k in range(1, len(words) if whole not in _known_keys() and whole not in _governorate_keys() else 1):
        tail = [w for w in words[k:] if w.lower() not in ("province", "governorate", "countryside")]
        if tail and key(" ".join(tail)) in _governorate_keys() and words[k - 1].lower() not in _PARTICLES:
            # "the town of X Idlib Province" (commas lost): the place, then the governorate it is in
            gov_tail = " ".join(words[k:])
            name = name[: name.find(words[k], len(" ".join(words[:k])))].rstrip(" -")
            words = words[:k]
            break
    # "Aleppos", "Syrias": a possessive whose apostrophe was lost
    lost = len(words[0]) > 4 and words[0].endswith("s") and words[0][0].isupper() and words[0][-2] not in "'’"
    owner_key = key(words[0][:-1]) if lost else ""
    world = _world_countries()
    poss_lookup = None
    poss_country = False
    if owner_key and words[0][:-1] in world and words[0][:-1] not in p.countries:
        # "Irans state radio", "Turkeys president" (apostrophe lost): a foreign country's own, no place here;
        # alone ("in Irans") the country
        if len(words) > 1:
            return None
        name, words = words[0][:-1], [words[0][:-1]]
    elif owner_key and len(words) == 1 and words[0][:-1] in p.countries:
        name, words = words[0][:-1], [words[0][:-1]]  # "in Syrias" (apostrophe lost): the country
        poss_country = True
    elif owner_key and owner_key in _known_keys() and key(words[0]) not in _known_keys():
        # "Raqqas old town", "in Homss eastern district": a known town's part, looked up in it
        rest = m.group(0)[m.start("name") - m.start() + len(words[0]):].strip()
        poss_lookup = f"{rest}, {words[0][:-1]}" if rest else words[0][:-1]
        name, words = words[0][:-1], [words[0][:-1]]
    for k, w in enumerate(words[1:] if name not in p.countries else [], start=1):
        bare_word = re.sub(r"['’]?s$", "", w) if w not in p.countries else w
        if bare_word in p.countries or w in p.demonyms:
            # "in Aleppo Syria", "near Deir al-Zor Syrias state media", "in Idlib Syrian" (commas lost):
            # the country or its adjective ends the place's name
            name = name[: name.find(w, len(" ".join(words[:k])))].rstrip(" -")
            words = words[:k]
            while len(words) > 1 and words[-1].lower() in _PARTICLES:
                name = name[: name.rfind(words[-1])].rstrip(" -")  # "in Syria as Kurdish fighters"
                words = name.split()
            break
    tail = re.match(r"(?:[ -][a-z][\w'’]+){1,2}", sentence[name_start + len(name):])
    if tail and key(name) not in _known_keys():
        for n in (2, 1):
            longer = name + "".join(re.findall(r"[ -][a-z][\w'’]+", tail.group(0))[:n])
            if key(longer) in _known_keys():
                name = longer  # "eastern Deir ezzor": a known name whose case was lost
                words = name.split()
                break
    if name.lower() in _directions():
        return None  # "in the Southern ...": a direction alone names nothing
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
    if poss_country and not rel:
        return None  # "Syrias government said": the state's, no place
    if gov_tail is not None and poss_lookup is None:
        poss_lookup = f"{name}, {gov_tail}"
    if poss_lookup is not None:
        end = max(end, m.end())
        lookup = " ".join(x for x in (rel, poss_lookup) if x)
        return PlaceMention(start, end, sentence[start:end].strip(), name, rel, max(prec, 2), None,
                            refers_to=lookup)
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
    owner = re.sub(r"(?:['’]s|s)$", "", word)
    if p.countries.get(owner) not in _theatre() and key(pm.name) not in _known_keys():
        return None  # "Irans state radio", "Turkeys president": a foreign country's own, no place here
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
                    pm.refers_to,
                )
            prev = out[-1] if out else None
            if (
                prev is not None
                and pm.country is None
                and ((pm.relation or "").lower() == "in"
                     and sentence[prev.end - offset : pm.start - offset].strip() == ""
                     or _part_of(sentence, prev, pm, offset))
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


_PART_GAP = re.compile(r"\s+(?:of|in)\s+(?:the\s+)?(?:[a-z]+(?:-[a-z]+)?\s+){0,2}")


def _part_of(sentence: str, prev: PlaceMention, pm: PlaceMention, offset: int) -> bool:
    """ "the X neighbourhood of the eastern town of Y", "the X district in Y city": a part
    of a town (``part_kinds``) and the town it lies in, one expression named by the part."""
    words = {w.lower() for w in re.findall(r"[\w-]+", prev.text)}
    if not words & _part_kinds():
        return False
    rel = (pm.relation or "").lower()
    if rel and not (rel.endswith("ern") or rel == "rural"):
        return False  # "near X", "in X": a relation of its own (an "in" is merged by the caller)
    if pm.start < prev.end:
        return True  # "the X neighbourhood of Y": the kind word read twice, as X's and as Y's
    return _PART_GAP.fullmatch(sentence, prev.end - offset, pm.start - offset) is not None


@cache
def _directions() -> frozenset[str]:
    """Direction words ("northern", "north-eastern", "southwest"): no place's name on their own."""
    rel = lexicon().places["relations"]
    words = {str(r).lower() for r, v in rel.items()
             if v == 3 and " " not in str(r) and not str(r).endswith("-")}
    base = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
    return frozenset(words | base | {w.replace("-", "") for w in words})


@cache
def _governorate_keys() -> frozenset[str]:
    """Match keys of the governorates' names and spellings (geo/data/admin1.tsv)."""
    text = resources.files("strikewatch.geo").joinpath("data/admin1.tsv").read_text("utf-8")
    lines = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    names = [n for row in lines[1:] if len(row) > 3 for n in (row[2], *row[3].split("|")) if n]
    return frozenset(k for k in (key(n) for n in names) if len(k) >= 4)


@cache
def _theatre() -> frozenset[str]:
    return frozenset(str(c) for c in lexicon().places.get("theatre_countries") or {})


@cache
def _headline_words() -> frozenset[str]:
    """Words that end a place's name in a Title-Case headline: the event nouns and verbs of the triggers
    and ``headline_words`` ("Bomb", "Blast", "Kills")."""
    lex = lexicon()
    single = {w for w in (*lex.trigger_nouns, *lex.trigger_verbs) if " " not in w}
    return frozenset(single | {str(w).lower() for w in lex.places.get("headline_words") or []})


@cache
def _part_kinds() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon().places.get("part_kinds") or [])


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
            if pm is not None and (pm.start, pm.end) in taken:
                # "near Tal Afar and Sinjar": a bare name found on its own joins with the first's relation
                bare = next((a for a in out if (a.start - offset, a.end - offset) == (pm.start, pm.end)
                             and a.relation is None and a.joins is None and a.country is None
                             and first.relation is not None), None)
                if bare is None:
                    break
                out[out.index(bare)] = replace(bare, relation=first.relation, precision=first.precision,
                                               joins=first.start)
                end = pm.end
                continue
            if pm is None or pm.country is not None:
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


# --- Place mentions: every place a sentence names or describes, for a reader's view of the text ---------

_DETERMINERS = (
    r"the|a|an|this|that|these|those|its|their|his|her|our|my|your|some|several|many|every|each|all|another|"
    r"other|both|any|numerous|few|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|"
    r"hundreds|thousands|\d[\d,.]*"
)
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
_SINGLE_DETS = frozenset({"", "a", "an", "one", "1", "the", "every", "each", "another", "its", "their", "his",
                          "her", "our", *_DEMONSTRATIVES})
_DETERMINER_WORDS = frozenset(re.sub(r"\\d\[\\d,\.\]\*", "", _DETERMINERS).split("|")) | {
    "northern", "southern", "eastern", "western", "central"}
_ADJECTIVE_ENDINGS = ("ed", "ic", "al", "ful", "ous", "ive", "ent", "ant", "ble", "ary", "ian", "ist")
_COPULAS = frozenset({"is", "are", "was", "were", "call", "symbolises", "symbolizes"})
_FUNCTION_WORDS = frozenset({
    "and", "or", "but", "nor", "of", "in", "on", "at", "to", "from", "by", "with", "for", "into", "onto",
    "over", "under", "near", "as", "than", "then", "so", "if", "when", "while", "which", "who", "whom",
    "whose", "that", "what", "where", "is", "are", "was", "were", "be", "been", "being", "has", "have",
    "had", "do", "does", "did", "not", "no", "also", "only", "just", "even", "such", "said", "says",
    "against",
})
_SPATIAL = frozenset({
    "in", "at", "on", "near", "into", "inside", "outside", "to", "from", "around", "across", "through",
    "throughout", "within", "toward", "towards", "beneath", "under", "behind", "along", "over", "between",
    "beyond", "by", "off", "past", "onto", "upon", "against",
})
_COORDINATES = re.compile(
    r"\d{1,3}°(?:\s?\d{1,2}′)?(?:\s?\d{1,2}(?:\.\d+)?″)?\s?[NS]\s+\d{1,3}°(?:\s?\d{1,2}′)?(?:\s?\d{1,2}(?:\.\d+)?″)?"
    r"\s?[EW]|\d{1,3}\.\d+°\s?[NS]\s+\d{1,3}\.\d+°\s?[EW]|(?<=/\s)-?\d{1,3}\.\d+;\s*-?\d{1,3}\.\d+"
)


@dataclass(frozen=True)
class _SitePatterns:
    head: re.Pattern[str]  # a site noun ("town", "fighting positions")
    names: frozenset[str]  # every site noun, lower-cased
    loose: frozenset[str]  # site nouns that are places only after a relation or with det + modifier
    demonstrative: frozenset[str]
    there: re.Pattern[str]
    not_there: frozenset[str]
    country: re.Pattern[str]
    regions: frozenset[str]
    party_of: re.Pattern[str]
    party_after: re.Pattern[str]
    party_after_name: re.Pattern[str]
    relation_before: re.Pattern[str]
    organisation: frozenset[str]
    det: re.Pattern[str]
    home: re.Pattern[str]
    gazetteer_before: re.Pattern[str]
    title_after: re.Pattern[str]
    party_before: re.Pattern[str]
    place_adjectives: frozenset[str]


@cache
def _site_patterns() -> _SitePatterns:
    p = lexicon().places

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

    strict = [str(w) for w in p.get("site_nouns") or []]
    loose = [str(w) for w in p.get("site_nouns_after_relation") or []]
    regions = [str(r) for r in p.get("regions") or []]
    names = {*p["countries"], *_world_countries(), *regions}
    directions = alt([str(r) for r, v in p["relations"].items() if v == 3 and not str(r).endswith("-")]
                     + ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"])
    return _SitePatterns(
        head=re.compile(rf"(?<![\w-])(?P<head>{alt([*strict, *loose])})(?![\w-])", re.I),
        names=frozenset(w.lower() for w in (*strict, *loose)),
        loose=frozenset(w.lower() for w in loose),
        demonstrative=frozenset(str(w).lower() for w in p.get("site_nouns_demonstrative") or []),
        there=re.compile(
            rf"(?<![\w'’-])(?:{alt([str(w) for w in p.get('locative_adverbs') or []])})(?![\w'’-])", re.I),
        not_there=frozenset(str(w).lower() for w in p.get("not_locative_after_there") or []),
        country=re.compile(rf"(?<![\w-])(?:(?i:the)\s+)?(?P<name>{alt(list(names))})(?![\w-])"),
        regions=frozenset(regions),
        party_of=re.compile(
            rf"(?i:\b(?:{alt([str(w) for w in p.get('party_of_nouns') or []])}))\s+of\s+(?:the\s+)?$"),
        party_after=re.compile(
            rf"['’]s\s+(?:[a-z]+\s+)?"
            rf"(?i:(?:{alt([str(w) for w in p.get('party_after_possessive') or []])}))\b"),
        party_after_name=re.compile(rf"\s+(?:{alt([str(w) for w in p.get('party_after_name') or []])})\b"),
        relation_before=re.compile(
            rf"(?<![\w-])(?P<rel>(?i:{alt([str(w) for w in p.get('country_relations') or []])}))\s+"
            rf"(?:(?i:the|both|all)\s+)?(?:(?i:{directions})\s+|[A-Za-z]+-[a-z]+\s+)?$"),
        organisation=frozenset(str(w) for w in p.get("organisation_words") or []),
        det=re.compile(rf"^(?:{_DETERMINERS})$", re.I),
        home=re.compile(rf",\s+(?:{alt([str(w) for w in p.get('home_divisions') or []])})(?![\w-])"),
        place_adjectives=frozenset(str(w) for w in p.get("place_adjectives") or []),
        party_before=re.compile(
            rf"(?<![\w-])(?i:{alt([str(w) for w in p.get('party_before') or []])})\s+(?:the\s+)?$"),
        title_after=re.compile(rf"\s+(?:{alt([str(w) for w in p.get('title_after') or []])})\b", re.I),
        gazetteer_before=re.compile(
            rf"(?<![\w-])(?i:{alt([str(w) for w in p.get('gazetteer_before') or []])})\s+(?:the\s+)?$"),
    )


@cache
def _world_capitals() -> frozenset[str]:
    """The world's capitals and their variants (geo/data/world.tsv)."""
    text = resources.files("strikewatch.geo").joinpath("data/world.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    cols = lines[0].split("\t")
    out: set[str] = set()
    for line in lines[1:]:
        row = dict(zip(cols, line.split("\t"), strict=False))
        names = [row.get("capital", ""), *(row.get("capital_variants") or "").split("|")]
        out.update(n.strip() for n in names if n.strip())
    return frozenset(out)


def _in_gazetteer(name: str) -> bool:
    """The name is one of the gazetteer's exact keys (a village, a district, a site)."""
    from strikewatch.geo.gazetteer import default_gazetteer  # the mention layer only; events do not need it

    k = key(name)
    return len(k) >= 4 and k in default_gazetteer().exact


def _word_before(sentence: str, pos: int) -> tuple[str, int]:
    """The word ending right before ``pos`` (after spaces) and where it starts; ("", pos) at a break."""
    m = re.search(r"([\w'’-]+)\s+$", sentence[max(0, pos - 40) : pos])
    if m is None:
        return "", pos
    return m.group(1), max(0, pos - 40) + m.start(1)


def _compound_modifier(sentence: str, end: int) -> bool:
    """A singular site noun modifying a plural noun after it ("three town halls", "border guards")."""
    m = re.match(r"\s+([a-z]{4,})\b", sentence[end:])
    if m is None:
        return False
    w = m.group(1)
    return (w.endswith("s") and not w.endswith(("ss", "us", "is")) and w not in _FUNCTION_WORDS
            and w not in _site_patterns().names)


def nominal_places(sentence: str) -> list[PlaceMention]:
    """Places a sentence describes with a common noun: "the town", "a hospital", "two bridges", "three
    rebel-held buildings", "the front line", "there". The phrase runs from its determiner (or number, or
    possessive) over up to three modifiers to the site noun; without a determiner only capitalised or
    hyphenated modifiers are taken ("rebel fighting positions", "Idlib University"). A bare singular noun
    is a place only after a spatial word ("in prison") or in a list of places: alone it is a modifier."""
    sp = _site_patterns()
    out: list[PlaceMention] = []
    for m in sp.head.finditer(sentence):
        head = " ".join(m.group("head").lower().split())
        start, end = m.start(), m.end()
        named_after = False
        if m.group("head")[0].isupper() and start > 0 and sentence[start - 1] == " " and head not in sp.loose:
            # "Camp Azraq", "Lake Qattina": a capitalised kind word opening a name takes the name
            after = re.match(rf"\s+{_NAME}", sentence[end:])
            if after and not set(after.group(0).split()) & sp.organisation:
                end += after.end()
                named_after = True
        if head == "front" and re.match(r"\s+of\b", sentence[end:]):
            continue  # "in front of": a preposition
        pos = start
        det_at = None
        caps_at = start  # without a determiner the phrase takes capitalised or hyphenated modifiers only
        lowercase_seen = False
        for _ in range(4):
            word, at = _word_before(sentence, pos)
            if not word:
                break
            low = word.lower()
            if sp.det.match(word):
                det_at = at
                break
            if low in _FUNCTION_WORDS:
                break
            if word[0].isupper() or "-" in word or word.isupper() or re.search(r"['’]s$", word):
                pos = at
                if not lowercase_seen:
                    caps_at = at
                continue
            lowercase_seen = True
            pos = at
        begin = det_at if det_at is not None else caps_at
        prev, _ = _word_before(sentence, begin)
        after_relation = prev.lower() in _SPATIAL
        if det_at is None and pos < begin and _word_before(sentence, pos)[0].lower() in _SPATIAL - {"to"}:
            begin = pos  # "in neighbouring countries": the modifiers after a spatial word belong to it
            prev, _ = _word_before(sentence, begin)
            after_relation = True
        det = sentence[det_at:].split(None, 1)[0].lower() if det_at is not None else ""
        modified = begin < start and (det_at is None or _word_before(sentence, start)[1] > det_at)
        plural = head.endswith("s") and head not in ("headquarters", "barracks", "outskirts", "surroundings")
        listed = re.match(r"\s*(?:,|and\b|or\b|[.;]|$|(?:in|at|near|on|of)\b)", sentence[end:]) is not None \
            and re.search(r"\w\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$", sentence[:begin]) is not None \
            and any(re.fullmatch(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)", sentence[o.end : begin])
                    for o in out)
        if head in ("countries",) and not after_relation:
            continue  # "both countries", "donor countries": states
        counted = bool(re.fullmatch(r"\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                                    r"several|dozens|hundreds", det))
        if head in sp.loose and det_at is None and not plural and prev.lower() == "to":
            continue  # "to target", "to base": a verb's infinitive
        if head in sp.loose and m.group("head")[0].isupper() and not re.search(r"(?:^|[.!?:\"“])\s*$",
                                                                               sentence[:start]):
            continue  # "A Foreign Office spokesman", "Field Artillery": part of a name
        if head in sp.loose:
            if not (after_relation or named_after or (det_at is not None and modified) or (plural and listed)
                    or (counted and head not in ("countries", "places", "points", "lines"))
                    or (det in _DEMONSTRATIVES and head in sp.demonstrative)
                    or (det_at is None and "-" in sentence[begin:start])):
                continue
            if head in ("place", "places") and not (det in _DEMONSTRATIVES or (after_relation and det_at)):
                continue  # "in place", "took place", "people place a value on"
        elif det_at is None and begin == start and not plural and not after_relation and not named_after \
                and not listed:
            continue  # "border guards", "hospital staff": a noun as a modifier
        if not plural and not named_after and (det not in _SINGLE_DETS or det == "") \
                and _compound_modifier(sentence, end):
            continue  # "three town halls": a noun modifying the plural after it
        superlative = det == "the" and re.match(r"the\s+\w+est\b", sentence[begin:end]) is not None
        described = prev.lower() in _COPULAS or (superlative and prev == "of")
        if (det in ("a", "an") or superlative) and described:
            continue  # "X is a village in ...", "one of the largest hospitals": what a place named is
        text = sentence[begin:end]
        out.append(PlaceMention(begin, end, text, text, prev.lower() if after_relation else None, None))
    for m in sp.there.finditer(sentence):
        nxt = re.match(r"\s*([\w'’]+)", sentence[m.end():])
        if nxt and nxt.group(1).lower() in sp.not_there:
            continue
        prev, _ = _word_before(sentence, m.start())
        asked = prev.lower() in ("is", "are", "was", "were", "be") and m.group(0).lower() in ("there", "here")
        if asked and (nxt is None or nxt.group(1).lower() in ("any", "a", "an", "some", "no", "many")):
            continue  # "was there any damage?"
        out.append(PlaceMention(m.start(), m.end(), m.group(0), m.group(0), None, None))
    for m in _COORDINATES.finditer(sentence):
        out.append(PlaceMention(m.start(), m.end(), m.group(0), m.group(0), None, 1))
    out.sort(key=lambda x: x.start)
    return out


def _inside_actor_name(sentence: str, start: int) -> bool:
    """A name that is part of an organisation's: "the Islamic State of X", "the Government of X" (an actor
    alias, then "of", then the name), or a title's: "Minister for X", "Inquiry on X"."""
    m = re.search(r"\s+(?:of|for|on)\s+(?:the\s+)?$", sentence[max(0, start - 12) : start])
    if m is None:
        return False
    joint = max(0, start - 12) + m.start()
    word, at = _word_before(sentence, joint + 1)
    titles = {str(w) for w in lexicon().places.get("title_words") or []}
    if word[:1].isupper() and (word in titles or (at > 0 and not re.search(r"[.!?:\"“]\s*$", sentence[:at]))):
        return True  # "Envoy for the Balkans", "the Inquiry on Lebanon", "State of Iraq"
    if not sentence[joint:].lstrip().startswith("of"):
        return False
    lex = lexicon()
    window = sentence[max(0, joint - 60) : joint]
    return any(a.end() == len(window) for r in (lex.regex["actor"], lex.regex["actor_exact"])
               for a in r.finditer(window))


def _country_is_place(sentence: str, m: re.Match[str], kept: list[PlaceMention],
                      named: list[PlaceMention]) -> bool:
    """A country (or region) as a place: after a spatial word ("in Syria", "travel to Turkey", "a
    meeting on Yemen"), after a place and a comma ("Raqqa, Syria"), a possessive of what is not its
    state ("Syria's long war", not "Iraq's army"), a list that such a country opens ("in
    Egypt, Cyprus and Greece"), or a heading alone on its line. Elsewhere it stands for the state ("Syria
    denied it", "the Government of Jordan", "help Egypt"); a sea or a region is always a place."""
    sp = _site_patterns()
    start = m.start()
    before = sentence[max(0, start - 40) : start]
    if _inside_actor_name(sentence, start) or sp.party_of.search(before) or sp.party_before.search(before):
        return False
    after = sentence[m.end() : m.end() + 40]
    if sp.title_after.match(after):
        return False  # "the Balkans director", "the Yemen envoy": a title
    longer = re.match(r"(?:\s+[A-Z][\w-]*){1,4}", after)
    if longer and (not sp.relation_before.search(before) or set(longer.group(0).split()) & sp.organisation):
        return False  # "the Iraq Rebuilding Fund", "the Gulf War": part of a longer name
    to_verb = re.match(r"\s+to\s+([a-z]+)\b", after)
    if to_verb and to_verb.group(1) not in _DETERMINER_WORDS and not sp.relation_before.search(before):
        return False  # "urged for Turkey to act", "allow Egypt to buy": the state acts
    if m.group("name") in sp.regions:
        return True
    if re.match(r"['’]s\b", after):
        if sp.party_after.match(after):
            return False  # "Iraq's army", "Jordan's diplomatic work": the state
        owned = re.match(r"['’]s\s+(?:[a-z]+\s+)?((?:[A-Z][\w-]*\s*){1,5})", after)
        # "Iran's Revolutionary Guards", "Iraq's State Ballet": an organisation's name follows
        named_after = owned.group(1).strip() if owned else ""
        return not (named_after and (set(named_after.split()) & sp.organisation or _is_actor(named_after)))
    inn = re.search(r"\s+in\s+$", before)
    if inn and re.match(r"\s+(?:has|have|had|is|are|was|were|said|says|claimed)\b", after):
        head = before[: inn.start()]
        if any(a.end() == len(head) for a in lexicon().regex["actor"].finditer(head)):
            return False  # "Islamic State in Iraq has said": the group's name
    if sp.relation_before.search(before):
        return True
    if any(0 <= start - n.end <= 3 and re.fullmatch(r",\s*", sentence[n.end : start]) for n in named):
        return True  # "Mayadin, Syria"
    adj = re.search(r"\b(?i:a|the|an)\s+((?:[a-z-]+\s+){1,3})$", before)
    if adj and not m.group(0).lower().startswith("the ") and all(
            w == "and" or w in sp.place_adjectives or w.endswith(_ADJECTIVE_ENDINGS)
            for w in adj.group(1).split()):
        return True  # "a free and peaceful Lebanon", "a future Syria"
    if kept:
        last = kept[-1]
        gap = sentence[last.end : start]
        nxt = re.match(r"\s*([\w'’]+)", after)
        if re.fullmatch(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", gap) and last.relation and not (
                nxt and nxt.group(1).lower() in sp.not_there | {"stands", "remains", "continues"}):
            return True  # a list the first country opens, unless a new clause starts ("..., X is")
    return not sentence[:start].strip(" .-:") and not sentence[m.end():].strip(" .-:")


def place_mentions(sentence: str, *, offset: int = 0) -> list[PlaceMention]:
    """Every place a sentence mentions, as a reader would mark them: the named places of ``find_places``
    (without a name inside an organisation's, "the Islamic State of Iraq", nor one of an organisation's
    own words, "Northern Logistics Command"), countries and regions where they are places and not the
    state (``_country_is_place``), home towns ("Springfield, Ohio"), and the common-noun places of
    ``nominal_places``. Offsets are shifted by ``offset``. Events keep reading ``find_places``; this is
    the mention layer (docs/extract.md)."""
    sp = _site_patterns()
    pp = _patterns()
    lex = lexicon()
    actor_spans = [(a.start(), a.end()) for r in (lex.regex["actor"], lex.regex["actor_exact"])
                   for a in r.finditer(sentence)]
    countries = [m for m in sp.country.finditer(sentence)
                 if not any(s <= m.start("name") and m.end() <= e and e - s > m.end() - m.start("name")
                            for s, e in actor_spans)]
    country_spans = [(m.start("name"), m.end("name")) for m in countries]
    out: list[PlaceMention] = []
    named = find_places(sentence)
    for pm in named:
        if any(s < pm.end and pm.start < e for s, e in country_spans):
            continue  # read below, with the country rules
        name = re.sub(r"['’]s$", "", pm.name)
        words = set(re.findall(r"[\w-]+", name))
        if words & sp.organisation or _inside_actor_name(sentence, pm.start) or name.lower() in pp.stop:
            continue
        if name.rstrip("s") in pp.demonyms or name in pp.demonyms or (
                name.isupper() and name.isalpha() and key(name) not in _known_keys()):
            continue
        if sp.party_of.search(sentence[max(0, pm.start - 40) : pm.start]) or \
                sp.party_after_name.match(sentence, pm.end):
            continue  # "the people of Mosul", "the Assad regime": a party
        if (pm.relation or "").lower() == "on" and key(name) not in _known_keys() and pm.precision != 3 \
                and not sp.head.search(name) and not _in_gazetteer(name):
            continue  # "on Channel 9", "progress on Falcon": a topic or a channel unless a known place
        if any(s <= pm.start and pm.end <= e and e - s > len(pm.name) for s, e in actor_spans):
            continue  # "al-Qaeda in Iraq": inside an actor's name
        out.append(pm)
    kept: list[PlaceMention] = []
    for m in countries:
        if _country_is_place(sentence, m, kept, out):
            rel = sp.relation_before.search(sentence[max(0, m.start() - 40) : m.start()])
            name = m.group("name")
            relation = rel.group("rel").lower() if rel else (kept[-1].relation if kept else None)
            kept.append(PlaceMention(m.start(), m.end(), m.group(0), name, relation, 3,
                                     pp.countries.get(name) or _world_countries().get(name)))
    out += kept
    gaz_before = sp.gazetteer_before
    for m in pp.name.finditer(sentence):
        if any(o.start < m.end("name") and m.start("name") < o.end for o in out) or \
                any(s < m.end("name") and m.start("name") < e for s, e in actor_spans):
            continue
        name = m.group("name")
        if name.split()[0].lower() in pp.stop or name.lower() in pp.stop or name in pp.demonyms \
                or len(name) < 4:
            continue
        b = gaz_before.search(sentence, 0, m.start("name"))
        if b is None and not re.search(r"\w-held\s+$", sentence[: m.start("name")]):
            continue
        if (key(name) in _known_keys() or _in_gazetteer(name) or name in _world_capitals()) \
                and not _is_actor(name) and not _inside_actor_name(sentence, m.start("name")) \
                and not sp.party_after_name.match(sentence, m.end("name")) \
                and not re.match(r"['’]s\s", sentence[m.end("name"):]) \
                and not sp.party_of.search(sentence[max(0, m.start() - 40) : m.start("name")]):
            out.append(PlaceMention(m.start("name"), m.end("name"), name, name, None, 1))
    speech = lex.regex["speech_verb"]
    out = [o for o in (_listed(sentence, sorted(out, key=lambda x: x.start), 0) if out else out)
           if o.joins is None or not speech.match(sentence[o.end:].lstrip(" ,"))]  # "Raqqa, Davis said"
    for m in pp.name.finditer(sentence):
        h = sp.home.match(sentence, m.end("name"))
        if h and not any(o.start < m.end() and m.start() < o.end for o in out):
            out.append(PlaceMention(m.start("name"), h.end(), sentence[m.start("name") : h.end()],
                                    m.group("name"), None, 1))
    blocked = [*((o.start, o.end) for o in out), *((m.start(), m.end()) for m in countries),
               *((o.start, o.end) for o in named)]
    for nm in nominal_places(sentence):
        if not any(s < nm.end and nm.start < e for s, e in blocked):
            out.append(nm)
            blocked.append((nm.start, nm.end))  # "at the depot yard": one mention, not two
    out.sort(key=lambda x: x.start)
    if offset:
        out = [PlaceMention(x.start + offset, x.end + offset, x.text, x.name, x.relation, x.precision,
                            x.country, x.refers_to, x.joins) for x in out]
    return out
