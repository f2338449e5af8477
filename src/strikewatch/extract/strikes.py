"""Strike-release clauses: "Near X, two strikes consisting of four engagements engaged ... and destroyed ...".

A clause is a count of strikes ("one strike", "an airstrike", "11 strikes"), the place it names before
("Near Ar Raqqah, ...") or after ("... near Kobani", "... northwest of Baghdad"), the engagements and sorties
it consists of, and its effects: each effect verb with the things it acted on, counted
(``Effect("destroyed", 2, "oil pump jacks")``). The words come from ``lexicon/triggers.yaml``
(``strike_release``); numbers are read by ``strikewatch.extract.numbers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from strikewatch.extract import numbers
from strikewatch.extract.lexicon import lexicon, load_data, words_regex
from strikewatch.extract.places import PlaceMention, find_places
from strikewatch.records import Effect

_NUMBER_WORDS = [re.escape(w) for w in numbers.number_words()]
_NUM = (
    rf"(?:\d[\d,]*|(?:{'|'.join(_NUMBER_WORDS)})(?:[-\s](?:{'|'.join(_NUMBER_WORDS)}))*|an?|another|single)"
)
_TRAILING = re.compile(r"(?:[\s,]+(?:and|also|but|then|as well as|plus))+[\s,]*$", re.I)
_FILLER = r"(?:(?:separate|additional|more|other|further|coalition|U\.S\.|US|new|precision|total|of)\s+)*"


@dataclass
class StrikeClause:
    """One counted group of strikes in a sentence, with offsets relative to the sentence."""

    start: int
    end: int
    strikes: int | None
    count_text: str
    engagements: int | None = None
    sorties: int | None = None
    place: PlaceMention | None = None
    effects: list[Effect] = field(default_factory=list)
    target_text: str | None = None
    conducted: bool = False  # "conducted N strikes": a summary when no place below country level


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    sr = lexicon().strike_release
    nouns = "|".join(
        sorted((re.escape(n).replace(r"\ ", r"\s*") for n in sr["count_nouns"]), key=len, reverse=True)
    )
    eng = "|".join(re.escape(n) for n in sr["engagement_nouns"])
    sor = "|".join(re.escape(n) for n in sr["sortie_nouns"])
    heads = "|".join(re.escape(n) for n in sr["effect_list_heads"])
    return {
        "count": re.compile(rf"(?<![\w-])(?P<num>{_NUM})\s+{_FILLER}(?P<noun>{nouns})(?![\w-])", re.I),
        "engagements": re.compile(
            rf"^[\s,]*(?:,?\s*)?(?:consisting|comprised|made\s+up)\s+of\s+(?P<num>{_NUM})\s+"
            rf"(?:{eng})\b",
            re.I,
        ),
        "sorties": re.compile(rf"(?<![\w-])(?P<num>{_NUM})\s+(?:{sor})\b", re.I),
        "lead_num": re.compile(rf"^(?P<num>{_NUM})\s+{_FILLER}", re.I),
        "and_split": re.compile(
            rf",?\s+and\s+(?=(?:{_NUM}|{heads})\b)",
            re.I,
        ),
    }


def count_value(text: str) -> int | None:
    """The count a number phrase states: "an" and "another" are one."""
    t = text.strip().lower()
    if t in ("a", "an", "another", "single"):
        return 1
    return numbers.parse_number(t.replace(",", ""), article_as_one=True)


def _strip_actor(obj: str) -> str:
    lex = lexicon()
    m = lex.regex["actor"].match(obj) or lex.regex["actor_exact"].match(obj)
    if m and obj[m.end() : m.end() + 1] == " ":
        return obj[m.end() :].strip()
    return obj


def parse_effects(text: str, verbs_re: re.Pattern[str] | None = None) -> tuple[list[Effect], str | None]:
    """Effects in the verb phrase of a clause and the first thing acted on, as written. ``verbs_re``
    replaces the strike releases' effect verbs (``prose_effects`` reads prose with its own)."""
    p = _patterns()
    verbs = list((verbs_re or lexicon().regex["effect_verb"]).finditer(text))
    effects: list[Effect] = []
    first: str | None = None
    for i, v in enumerate(verbs):
        end = verbs[i + 1].start() if i + 1 < len(verbs) else len(text)
        chunk = text[v.end() : end]
        chunk = re.split(
            r"[.;:]\s|[.;:]$|\s+(?:near|in the vicinity of|north of|south of|east of|west of|"
            r"(?:north|south)(?:east|west)\s+of|while|using|with|to\s+deny|in\s+support|"
            r"which|that|who)\b",
            chunk,
            maxsplit=1,
        )[0]
        chunk = _TRAILING.sub("", chunk.strip()).strip(" ,")
        if not chunk:
            continue
        parts = [p_ for piece in re.split(r",\s*(?:and\s+)?", chunk) for p_ in p["and_split"].split(piece)]
        for part in parts:
            part = part.strip(" ,")
            part = re.sub(r"^(?:and|also)\s+", "", part)
            if not part:
                continue
            count: int | None = None
            m = p["lead_num"].match(part)
            obj = part
            if m:
                count = count_value(m.group("num"))
                obj = part[m.end() :]
            obj = re.sub(r"^(?:the|their|its|several|multiple|numerous|various)\s+", "", obj, flags=re.I)
            if first is None:
                first = obj.strip()
            obj = _strip_actor(obj.strip())
            if obj:
                effects.append(Effect(verb=v.group(0).lower(), count=count, object=obj))
    return effects, first


def find_strike_clauses(sentence: str) -> list[StrikeClause]:
    """Counted strikes in one sentence, each with its place, engagements and effects."""
    p = _patterns()
    counts = list(p["count"].finditer(sentence))
    if not counts:
        return []
    places = find_places(sentence)
    clauses: list[StrikeClause] = []
    prev_end = 0
    for i, m in enumerate(counts):
        nxt = counts[i + 1].start() if i + 1 < len(counts) else len(sentence)
        # A place written just before the count ("Near Mosul, three strikes") opens the clause.
        pre = [
            pl
            for pl in places
            if prev_end <= pl.start
            and pl.end <= m.start()
            and re.fullmatch(r"[\s,*]*", sentence[pl.end : m.start()])
        ]
        # The next clause may open with its own place: stop this clause before it.
        if i + 1 < len(counts):
            nxt_pre = [
                pl
                for pl in places
                if m.end() <= pl.start
                and pl.end <= counts[i + 1].start()
                and re.fullmatch(r"[\s,*]*", sentence[pl.end : counts[i + 1].start()])
            ]
            if nxt_pre:
                nxt = nxt_pre[-1].start
        clause_start = pre[-1].start if pre else m.start()
        body = sentence[m.end() : nxt]
        clause = StrikeClause(
            start=clause_start, end=nxt, strikes=count_value(m.group("num")), count_text=m.group(0)
        )
        before = sentence[prev_end : m.start()]
        clause.conducted = bool(
            re.search(r"\b(?:conducted|carried out|launched|flew|made)\s+(?:a total of\s+)?$", before, re.I)
        )
        e = p["engagements"].match(body)
        if e:
            clause.engagements = count_value(e.group("num"))
            body_off = e.end()
        else:
            body_off = 0
        s = p["sorties"].search(body)
        if s:
            clause.sorties = count_value(s.group("num"))
        after = [pl for pl in places if m.end() <= pl.start < nxt]
        if clause.conducted:  # "conducted two strikes near Mosul": the place belongs to the count's phrase
            cut = re.search(r"[,;]", body)
            reach = m.end() + (cut.start() if cut else len(body))
            after = [pl for pl in after if pl.start <= reach]
        local = [pl for pl in after if pl.country is None]
        if pre and (pre[-1].country is None or not local):
            clause.place = pre[-1]
        else:
            clause.place = (local or after or [None])[0]
        if clause.place is None and not clause.conducted:
            # "Near Al Hasakah and Dayr Az Zawr, one strike ...": the last place written before the count
            earlier = [
                pl for pl in places if prev_end <= pl.start and pl.end <= m.start() and pl.country is None
            ]
            clause.place = earlier[-1] if earlier else None
        clause.effects, clause.target_text = parse_effects(body[body_off:])
        clauses.append(clause)
        prev_end = nxt
    return clauses


@cache
def _prose_effect_verbs() -> re.Pattern[str]:
    return words_regex([str(w) for w in lexicon().triggers.get("prose_effect_verbs") or []])


@cache
def _people_words() -> re.Pattern[str]:
    heads = load_data("casualties.yaml")["heads"]
    return words_regex([str(w) for ws in heads.values() for w in ws])


def prose_effects(text: str) -> list[Effect]:
    """What a prose sentence says was destroyed or hit, counted: "jets destroyed 120 tanker trucks near X"
    gives (destroyed, 120, tanker trucks). Only counted things, never people (their toll is the
    casualties'), with the verbs of ``triggers.yaml`` ``prose_effect_verbs``."""
    if not any(ch.isdigit() for ch in text) and not _NUMBER_WORD.search(text):
        return []
    effects, _ = parse_effects(text, _prose_effect_verbs())
    people = _people_words()
    out = []
    for e in effects:
        # "a school in the town of X": the school
        obj = re.split(r"\s+(?:in|on|at|outside|inside|around|across|belonging|used|run|held|operated)\b",
                       e.object, maxsplit=1)[0].strip(" ,")
        if e.count is not None and obj and not people.search(obj):
            out.append(Effect(verb=e.verb, count=e.count, object=obj))
    return out


_NUMBER_WORD = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds|"
                          r"twenty|thirty|forty|fifty)\b", re.I)
