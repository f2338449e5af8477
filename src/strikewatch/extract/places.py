"""Place expressions as written: "near Abu Kamal", "north of Homs", "in east-Aleppo", "the town of Hit".

A place expression is a relation word from ``lexicon/places.yaml`` (or none) followed by a run of
capitalised words, with the transliteration particles that join them ("Dayr Az Zawr", "al-Qaim",
"Albu Kamal"). The text is kept exactly as written; the gazetteer (``strikewatch.geo``) resolves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from strikewatch.extract.lexicon import lexicon

_PARTICLE = r"(?:al|el|as|ash|ar|az|ad|an|at|ath|adh|es|ez|ed|bin|ibn|abu|abou|umm|bani|beni|wadi|tal|tell|jabal|jebel|of|the|de)"
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


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, int], set[str]]:
    lex = lexicon()
    rel = lex.places["relations"]
    kinds = sorted(lex.places["kinds"], key=len, reverse=True)
    kind_re = "|".join(re.escape(k) for k in kinds)
    words = sorted((r for r in rel if not r.endswith("-")), key=len, reverse=True)
    rel_re = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in words)
    dash_re = "|".join(re.escape(r) for r in rel if r.endswith("-"))
    pattern = re.compile(
        rf"(?:(?<![\w-])(?i:(?P<rel>{rel_re}))\s+|(?<![\w-])(?i:(?P<dash>{dash_re})))?"
        rf"(?P<the>(?i:the)\s+)?"
        rf"(?:(?P<kind1>{kind_re})\s+of\s+)?"
        rf"(?P<name>{_NAME})"
        rf"(?:\s+(?P<kind2>{kind_re})(?![\w]))?",
    )
    stop = {s.lower() for s in lex.places["not_places"]}
    return pattern, re.compile(rf"^(?:{kind_re})$", re.I), rel, stop


def _is_actor(name: str) -> bool:
    lex = lexicon()
    return (
        name in lex.exact_to_actor
        or name.lower() in lex.alias_to_actor
        or name.lower().removeprefix("the ") in lex.alias_to_actor
    )


def find_places(sentence: str, *, offset: int = 0) -> list[PlaceMention]:
    """Place expressions in ``sentence``, in order; offsets are shifted by ``offset``.

    A run of capitalised words counts as a place only after a relation word ("near", "in", "north of"),
    with a kind word ("the town of Hit", "the Sheikh Saeed quarter"), or when it is a country name.
    """
    pattern, _, relations, stop = _patterns()
    countries = lexicon().places["countries"]
    out: list[PlaceMention] = []
    for m in pattern.finditer(sentence):
        name = m.group("name")
        words = name.split()
        if words[0].lower() in stop:
            continue
        # Trim trailing words that are not part of a name ("Mosul Tuesday").
        while words and words[-1].lower().rstrip(".,") in stop:
            name = name[: name.rfind(words[-1])].rstrip(" -")
            words = name.split()
        if not name or len(name) < 2 or name.lower() in stop:
            continue
        if _is_actor(name) or _is_actor(name.removesuffix("'s")) or (name.isupper() and len(name) <= 5):
            continue  # organisations and acronyms are not places
        rel = m.group("rel") or m.group("dash")
        kind = m.group("kind1") or m.group("kind2")
        country = countries.get(name)
        if not rel and not kind and not country:
            continue
        end = m.start("name") + len(name)
        if m.group("kind2") and name == m.group("name"):
            end = m.end("kind2")
        start = m.start()
        text = sentence[start:end].strip()
        prec = relations.get(" ".join(rel.lower().split())) if rel else 1
        if kind and kind.lower() in ("countryside", "province", "governorate", "region", "desert", "plain", "valley"):
            prec = 3
        if country:
            prec = 3
        out.append(PlaceMention(offset + start, offset + end, text, name, rel, prec, country))
    return out


def place_name(expression: str) -> str:
    """The name inside a place expression ("near Abu Kamal" -> "Abu Kamal")."""
    found = find_places(expression)
    return found[0].name if found else expression.strip()


_ANAPHOR = re.compile(r"\s*((?:the|that|this)\s+(?:city|town|village|area|district|quarter|neighbourhood|"
                      r"neighborhood|base|airbase|stronghold|camp))\b", re.I)


def place_at(sentence: str, pos: int) -> PlaceMention | None:
    """The place written right at ``pos`` (a verb's object: "took the Sheikh Saeed quarter", "captured
    Palmyra", "seized the town"), with or without a relation word; ``None`` when none starts there."""
    pattern, _, relations, stop = _patterns()
    rest = sentence[pos:]
    skip = len(rest) - len(rest.lstrip())
    m = pattern.match(sentence, pos + skip)
    if m is not None:
        name = m.group("name")
        if name.split()[0].lower() not in stop and not _is_actor(name) and not (name.isupper() and len(name) <= 5):
            end = m.end("kind2") if m.group("kind2") else m.end("name")
            rel = m.group("rel") or m.group("dash")
            prec = relations.get(" ".join(rel.lower().split())) if rel else 1
            country = lexicon().places["countries"].get(name)
            return PlaceMention(m.start(), end, sentence[m.start():end], name, rel, 3 if country else prec, country)
    a = _ANAPHOR.match(sentence, pos)
    if a is not None:
        return PlaceMention(a.start(1), a.end(1), a.group(1), a.group(1), None, 1)
    return None
