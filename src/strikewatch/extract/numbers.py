"""Numbers and casualty counts in report text, as pure functions over strings.

Reports give counts as digits ("1,200"), words ("a hundred and sixty-eight"), ranges ("44 or 45"),
approximations ("at least 36", "nearly 50") and vague quantities ("dozens"). ``find_numbers`` finds them
all with their character spans; ``find_casualties`` reads who was killed or injured, and how many, from
one sentence. The words live in ``lexicon/numbers.yaml`` and ``lexicon/casualties.yaml``; this module
holds only the grammar. Regular expressions locate candidates so that the Python-level work is done only
on the few places that hold a number (EXTRACT's pipeline must read 30k words per CPU-second).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from strikewatch import fastyaml as yaml
from strikewatch.records import Fatalities

__all__ = [
    "Casualties",
    "CasualtyMention",
    "NumberMention",
    "find_casualties",
    "find_numbers",
    "parse_number",
    "to_fatalities",
]


@dataclass(frozen=True)
class NumberMention:
    """A count as written. ``low``/``high`` are the bounds the text states (``None`` = open).

    Exact "36": low=high=36. Range "44 or 45": 44..45. "at least 36": low=36, high=None. "up to 20":
    low=None, high=20. "about 50": low=high=50, approx. ``approx`` is true for anything not an exact count.
    """

    start: int
    end: int
    text: str
    low: int | None
    high: int | None
    approx: bool = False
    qualifier: str | None = None  # the words that made it approximate ("at least", "dozens", "or")

    @property
    def value(self) -> int | None:
        """The single number the text states: the exact count, the bound named, or a range's low end."""
        if self.low is not None:
            return self.low
        return self.high

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high


def _load(name: str) -> dict[str, Any]:
    path = resources.files("strikewatch.lexicon").joinpath(name)
    with path.open("r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class _NumberLexicon:
    words: dict[str, int]  # unit and tens words
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    multipliers: dict[str, int]
    articles: frozenset[str]
    vague: dict[str, tuple[int | None, int | None]]
    qualifiers: dict[str, str]
    joiners: list[str]
    candidate_re: re.Pattern[str] = field(init=False)
    candidate_article_re: re.Pattern[str] = field(init=False)
    vague_re: re.Pattern[str] = field(init=False)
    qualifier_re: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        word_alts = sorted(
            [*self.units, *self.tens, *self.scales, *self.multipliers], key=len, reverse=True
        )
        words = "|".join(map(re.escape, word_alts))
        arts = "|".join(map(re.escape, sorted(self.articles, key=len, reverse=True)))
        digits = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
        atom = rf"(?:{digits}|(?:{words})(?:-(?:{words}))?)"
        joint = r"(?:[ \t]+and[ \t]+|[ \t]+|-)"
        # an optional article opens a phrase ("a hundred", "a dozen", and "a" alone when asked for)
        phrase = rf"(?<![\w.,])(?:(?:{arts})[ \t]+)?{atom}(?:{joint}{atom})*(?![\w]|[.,]\d)"
        self.candidate_re = re.compile(phrase, re.IGNORECASE)
        self.candidate_article_re = re.compile(
            rf"{phrase}|(?<![\w])(?:{arts})(?=[ \t]+[A-Za-z])", re.IGNORECASE
        )
        vague = "|".join(map(re.escape, sorted(self.vague, key=len, reverse=True)))
        self.vague_re = re.compile(rf"\b(?:{vague})\b", re.IGNORECASE)
        quals = "|".join(map(re.escape, sorted(self.qualifiers, key=len, reverse=True)))
        self.qualifier_re = re.compile(rf"\b({quals})[ \t]+$", re.IGNORECASE)


def number_words() -> list[str]:
    """Every number word of ``lexicon/numbers.yaml`` (units, tens, scales, multipliers), longest first:
    for callers that build their own patterns around counts."""
    lex = _lexicon()
    return sorted([*lex.units, *lex.tens, *lex.scales, *lex.multipliers], key=len, reverse=True)


@cache
def _lexicon() -> _NumberLexicon:
    data = _load("numbers.yaml")
    units = {k.lower(): int(v) for k, v in data["units"].items()}
    tens = {k.lower(): int(v) for k, v in data["tens"].items()}
    vague = {
        k.lower(): (v.get("low"), v.get("high")) for k, v in data["vague"].items()
    }
    return _NumberLexicon(
        words={**units, **tens},
        units=units,
        tens=tens,
        scales={k.lower(): int(v) for k, v in data["scales"].items()},
        multipliers={k.lower(): int(v) for k, v in data["multipliers"].items()},
        articles=frozenset(a.lower() for a in data["articles"]),
        vague=vague,
        qualifiers={k.lower(): v for k, v in data["qualifiers"].items()},
        joiners=list(data["range_joiners"]),
    )


_TOKEN_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|[A-Za-z]+")


def _parse_tokens(tokens: list[str], article_as_one: bool) -> tuple[int | None, int]:
    """Parse a number from the front of ``tokens``; return (value, tokens consumed)."""
    lex = _lexicon()
    total = 0
    current: float = 0
    last: str | None = None  # kind of the last token consumed
    used = 0
    seen_value = False
    pending_and = False
    for i, raw in enumerate(tokens):
        tok = raw.lower()
        if tok == "and":
            if last == "scale" and i + 1 < len(tokens) and tokens[i + 1].lower() in lex.words:
                pending_and = True
                continue
            break
        if tok in lex.articles:
            if last is not None:
                break
            last = "article"
            current = 1
            used = i + 1
            seen_value = article_as_one
            continue
        if tok[0].isdigit():
            if last not in (None,):
                break
            number = float(tok.replace(",", ""))
            current = number
            last = "digit"
        elif tok in lex.units:
            value = lex.units[tok]
            if last in (None, "article") or (last == "scale" and (current % 100 == 0 or pending_and)):
                current = value if last in (None, "article") else current + value
            elif last == "tens" and value < 10:
                current += value
            else:
                break
            last = "unit"
        elif tok in lex.tens:
            if last in (None, "article") or (last == "scale" and current % 100 == 0):
                current = lex.tens[tok] if last in (None, "article") else current + lex.tens[tok]
            else:
                break
            last = "tens"
        elif tok in lex.scales:
            scale = lex.scales[tok]
            if last not in ("unit", "tens", "digit", "article", "scale") or current == 0:
                break
            if scale == 100:
                if last == "scale" or current % 100 == 0 and current >= 100:
                    break
                current *= 100
            else:
                total += int(round(current * scale))
                current = 0
            last = "scale"
        elif tok in lex.multipliers:
            if last not in ("unit", "tens", "digit", "article"):
                break
            current *= lex.multipliers[tok]
            last = "scale"
        else:
            break
        pending_and = False
        seen_value = True
        used = i + 1
    if not seen_value or used == 0:
        return None, 0
    if last == "article" and not article_as_one:
        return None, 0
    if current != int(current):
        return None, 0  # "2.5" alone is not a count
    return total + int(current), used


def parse_number(words: str, *, article_as_one: bool = False) -> int | None:
    """The integer that ``words`` spell out in full ("twenty-one", "1,200", "a hundred and sixty-eight",
    "two dozen"), or ``None`` when they are not one number. "a"/"an" alone count as 1 only when asked."""
    tokens = _TOKEN_RE.findall(words.replace("-", " "))
    if not tokens:
        return None
    value, used = _parse_tokens(tokens, article_as_one)
    if used != len(tokens):
        return None
    return value


_MONTHS_RE = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?[ \t]*$"
)
_MONTH_AFTER_RE = re.compile(
    r"^(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|"
    r"July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)
_YEAR_CUE_RE = re.compile(
    r"(?:\b(?:in|since|until|till|by|of|during|early|mid|late|from|through|throughout|year|summer|winter|"
    r"spring|autumn|fall)|\d,|[-–])[ \t]*$",
    re.IGNORECASE,
)


def _is_date_part(text: str, start: int, end: int, token: str) -> bool:
    """True when a digit string is a day or year of a date ("April 5", "5 April", "in 2015")."""
    if not token[0].isdigit() or "," in token or "." in token:
        return False
    before = text[max(0, start - 16) : start]
    after = text[end : end + 16]
    value = int(token)
    if len(token) == 4 and 1900 <= value <= 2099:
        return bool(_YEAR_CUE_RE.search(before) or _MONTHS_RE.search(before) or after[:1] in ("-", "/"))
    if value <= 31 and (_MONTHS_RE.search(before) or _MONTH_AFTER_RE.match(after)):
        return True
    # times of day and ordinals: "10:30", "3rd"
    return after[:1] == ":" or before[-1:] == ":" or after[:2].lower() in ("st", "nd", "rd", "th")


def _atoms(text: str, article_as_one: bool) -> list[tuple[int, int, int]]:
    """Every single number in ``text`` as (start, end, value)."""
    lex = _lexicon()
    out: list[tuple[int, int, int]] = []
    pattern = lex.candidate_article_re if article_as_one else lex.candidate_re
    for m in pattern.finditer(text):
        s = m.start()
        chunk = m.group(0)
        toks = [(t.start(), t.end(), t.group(0)) for t in _TOKEN_RE.finditer(chunk)]
        i = 0
        while i < len(toks):
            words = [t[2] for t in toks[i:]]
            value, used = _parse_tokens(words, article_as_one)
            if used == 0 or value is None:
                i += 1
                continue
            a, b = s + toks[i][0], s + toks[i + used - 1][1]
            if not (used == 1 and _is_date_part(text, a, b, toks[i][2])):
                out.append((a, b, value))
            i += used
    return out


_RANGE_GAP_RE = re.compile(r"^[ \t]*(?:(or|to|and)[ \t]+|([-–])[ \t]*)$", re.IGNORECASE)
_BETWEEN_RE = re.compile(r"\b(between|from)[ \t]+$", re.IGNORECASE)


def find_numbers(text: str, *, article_as_one: bool = False, vague: bool = True) -> list[NumberMention]:
    """All counts in ``text`` with their spans, ranges and approximations merged (see ``NumberMention``).

    Days and years of dates ("April 5", "in 2015"), times and ordinals are left out. ``vague`` adds
    "dozens", "several", "hundreds" and the like as approximate counts with open bounds.
    """
    lex = _lexicon()
    atoms = _atoms(text, article_as_one)
    out: list[NumberMention] = []
    i = 0
    while i < len(atoms):
        a_start, a_end, a_val = atoms[i]
        start, end, low, high = a_start, a_end, a_val, a_val
        qualifier: str | None = None
        approx = False
        if i + 1 < len(atoms):
            b_start, b_end, b_val = atoms[i + 1]
            gap = _RANGE_GAP_RE.match(text[a_end:b_start])
            if gap and b_val > a_val:
                joiner = (gap.group(1) or gap.group(2)).lower()
                between = _BETWEEN_RE.search(text[max(0, a_start - 12) : a_start])
                if joiner != "and" or (between and between.group(1).lower() == "between"):
                    if between:
                        start = a_start - len(between.group(0))
                    end, high = b_end, b_val
                    approx, qualifier = True, ("between" if between else joiner)
                    i += 1
        q = lex.qualifier_re.search(text[max(0, start - 24) : start])
        if q:
            word = q.group(1).lower()
            bound = lex.qualifiers[word]
            start -= len(q.group(0))
            approx, qualifier = True, word
            if low == high:
                if bound == "low":
                    high = None
                elif bound == "high":
                    low = None
        out.append(NumberMention(start, end, text[start:end], low, high, approx, qualifier))
        i += 1
    if vague:
        taken = [(n.start, n.end) for n in out]
        for m in lex.vague_re.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            lo, hi = lex.vague[m.group(0).lower()]
            out.append(NumberMention(m.start(), m.end(), m.group(0), lo, hi, True, m.group(0).lower()))
        out.sort(key=lambda n: n.start)
    return out


# ------------------------------------------------------------------------------------------- casualties

CasualtyKind = str  # "killed" | "injured" | "casualties" (killed or injured, not said which)


@dataclass(frozen=True)
class CasualtyMention:
    """One toll in a sentence: ``low``..``high`` people of ``whose`` side were ``kind``.

    ``start``/``end`` cover the count, the victims and the verb ("killed 36 ISIS fighters").
    ``subgroup`` is "children" or "women" where the text says so; ``part_of`` is the index (in the same
    list) of the larger toll this one is part of ("36 people ..., including five children"). A claim of
    zero ("no civilian casualties") has low = high = 0 and ``zero`` true.
    """

    start: int
    end: int
    text: str
    kind: CasualtyKind
    low: int | None
    high: int | None
    approx: bool
    whose: str
    victims: str | None = None  # the words naming them ("ISIS fighters"), None when not named
    subgroup: str | None = None
    part_of: int | None = None
    zero: bool = False
    count: NumberMention | None = None
    vague: bool = False  # "dozens", "several": a bound, not a count; to_fatalities leaves it null
    partial: bool = False  # "Among the dead were three children.": part of a total the sentence omits

    @property
    def value(self) -> int | None:
        """The count the text states (a range's low end, a bound's number)."""
        return self.low if self.low is not None else self.high

    def to_fatalities(self) -> Fatalities:
        """This toll alone as a ``Fatalities``. To sum a sentence, call ``to_fatalities`` on the whole
        list that ``find_casualties`` returns: it adds sides up and does not count a part twice."""
        if self.part_of is None:
            return to_fatalities([self])
        if self.kind == "killed" and self.subgroup == "children":
            return Fatalities(children_killed=self.value)
        return Fatalities()


class Casualties(list[CasualtyMention]):
    """The tolls of one sentence, in order; ``to_fatalities()`` sums them into the contract's record."""

    def to_fatalities(self) -> Fatalities:
        return to_fatalities(self)


@dataclass
class _CasualtyLexicon:
    after_re: re.Pattern[str]
    after_kind: dict[str, str]
    noun_re: re.Pattern[str]
    noun_kind: dict[str, str]
    before_re: re.Pattern[str]
    before_kind: dict[str, str]
    toll_res: list[tuple[re.Pattern[str], str]]
    victims_before_res: list[tuple[re.Pattern[str], str]]
    unknown_count_re: re.Pattern[str]
    cue_stems: tuple[str, ...]
    part_re: re.Pattern[str]
    part_after_re: re.Pattern[str]
    part_killed: frozenset[str]
    apposition_re: re.Pattern[str]
    head_re: re.Pattern[str]
    head_kind: dict[str, str]
    name_res: list[tuple[re.Pattern[str], str]]
    nationality_re: re.Pattern[str] | None
    nationality_group: dict[str, str]
    default_group: dict[str, str]
    word_re: re.Pattern[str]
    stops: frozenset[str]
    zero_res: list[tuple[re.Pattern[str], dict[str, str]]]
    active_object_re: re.Pattern[str]


def _words_alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(set(words), key=len, reverse=True))


def _kinds(table: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    kind = {w.lower(): k for k, words in table.items() for w in words}
    return _words_alt(list(kind)), kind


@cache
def _casualty_lexicon() -> _CasualtyLexicon:
    data = _load("casualties.yaml")
    nums = _lexicon()
    after_alt, after_kind = _kinds(data["after"])
    noun_alt, noun_kind = _kinds(data["nouns"])
    before_alt, before_kind = _kinds(data["before"])
    aux = _words_alt([str(a) for a in data["auxiliaries"]])
    head_kind = {w.lower(): kind for kind, words in data["heads"].items() for w in words}
    name_res: list[tuple[re.Pattern[str], str]] = []
    nationality_group: dict[str, str] = {}
    default_group: dict[str, str] = {}
    for group, spec in data["groups"].items():
        for name in spec.get("names", []):
            flags = 0 if any(c.isupper() for c in name) else re.IGNORECASE
            name_res.append((re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flags), group))
        for nat in spec.get("nationality", []):
            nationality_group[nat] = group
        for kind in spec.get("default_for", []):
            default_group[kind] = group
    name_res.sort(key=lambda p: -len(p[0].pattern))
    nationality_re = (
        re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, nationality_group))})(?![\w-])")
        if nationality_group
        else None
    )
    zero = data["zero"]
    zero_res: list[tuple[re.Pattern[str], dict[str, str]]] = []
    opener = _words_alt([str(o) for o in zero["openers"]])
    mods = _words_alt(zero["modifiers"])
    znoun_alt, znoun_kind = _kinds(zero["nouns"])
    zverb_alt, zverb_kind = _kinds(zero["verbs"])
    persons = _words_alt([*head_kind, *zero["persons"]])
    negated = _words_alt(zero["negated_verbs"])
    # "no civilian casualties", "no reported deaths", "without any injuries"
    zero_res.append((re.compile(
        rf"\b(?:{opener})[ \t]+(?:(?:{mods})[ \t]+)?(?P<np>(?:[\w-]+[ \t]+){{0,2}}?)(?P<noun>{znoun_alt})\b",
        re.IGNORECASE,
    ), znoun_kind))
    # "no civilians were killed", "no one was hurt", "nobody was injured"
    zero_res.append((re.compile(
        rf"\b(?:(?:{opener})[ \t]+(?P<np>(?:[\w-]+[ \t]+){{0,2}}?(?:{persons}))|(?P<nob>nobody|no-one|none))"
        rf"[ \t]+(?:(?:was|were|had|has|have|been|being|reportedly|seriously)[ \t]+){{1,3}}"
        rf"(?P<noun>{zverb_alt})\b",
        re.IGNORECASE,
    ), zverb_kind))
    # "did not kill any civilians", "has not harmed any civilians"
    zero_res.append((re.compile(
        rf"\b(?:{negated})[ \t]+(?P<noun>{zverb_alt})[ \t]+(?:any|a[ \t]+single)[ \t]+"
        rf"(?P<np>(?:[\w-]+[ \t]+){{0,2}}?(?:{persons}))\b",
        re.IGNORECASE,
    ), zverb_kind))
    toll_res = [
        (re.compile(rf"\b(?:{pattern})[ \t]*$", re.IGNORECASE), kind)
        for kind, patterns in data["toll_before"].items()
        for pattern in patterns
    ]
    victims_before_res = [
        (re.compile(rf"(?:^|(?<=[\s(,;:]))(?:{pattern})[ \t]+$", re.IGNORECASE), group)
        for group, patterns in data.get("victims_before", {}).items()
        for pattern in patterns
    ]
    determiners = _words_alt(["the", "a", "an", "his", "her", "their", "its", "dozens", "several", "many",
                              "scores", "hundreds", *nums.units, *nums.tens])
    return _CasualtyLexicon(
        after_re=re.compile(
            rf"(?:[ \t]*,[^,;()]{{1,60}},)?[ \t]*(?:(?:{aux})[ \t]+){{0,4}}(?P<verb>{after_alt})(?![\w])",
            re.IGNORECASE,
        ),
        after_kind=after_kind,
        noun_re=re.compile(rf"[ \t]+(?P<noun>{noun_alt})(?![\w])", re.IGNORECASE),
        noun_kind=noun_kind,
        before_re=re.compile(rf"(?<![\w])(?P<verb>{before_alt})[ \t]+$", re.IGNORECASE),
        before_kind=before_kind,
        toll_res=toll_res,
        victims_before_res=victims_before_res,
        cue_stems=tuple(str(c).lower() for c in data["cue_stems"]),
        unknown_count_re=re.compile(rf"(?:{_words_alt(data['unknown_count'])})[ \t]+", re.IGNORECASE),
        part_re=re.compile(
            rf"(?:\b(?:{_words_alt(data['part_before'])})[ \t]*:?|\()[ \t]*$", re.IGNORECASE
        ),
        part_after_re=re.compile(
            rf"[ \t]+(?:{_words_alt(data.get('part_after') or [])})(?=[ \t]+[A-Za-z])", re.IGNORECASE
        ),
        part_killed=frozenset(re.sub(r"\s+", " ", p.lower()) for p in data["part_killed"]),
        apposition_re=re.compile(
            rf",[ \t]+(?:{_words_alt(data['apposition'])})[ \t]+(?P<np>[\w' -]{{1,40}}?)(?=[ \t]*[,.;:)]|$)",
            re.IGNORECASE,
        ),
        head_re=re.compile(rf"(?<![\w-])(?:{_words_alt(list(head_kind))})(?![\w-])", re.IGNORECASE),
        head_kind=head_kind,
        name_res=name_res,
        nationality_re=nationality_re,
        nationality_group=nationality_group,
        default_group=default_group,
        word_re=re.compile(r"[ \t]+([A-Za-z][\w'’.-]*)"),
        stops=frozenset(
            [str(s).lower() for s in data["phrase_stops"]]
            + [w.split()[0] for w in after_kind]
        ),
        zero_res=zero_res,
        active_object_re=re.compile(rf"[ \t]+(?:{determiners}|\d)(?![\w])", re.IGNORECASE),
    )


_NEGATED_COUNT = re.compile(r"\b(?:no|not|none)[ \t]+$", re.IGNORECASE)


def _victims(lex: _CasualtyLexicon, text: str, pos: int) -> tuple[int, str]:
    """The words after a count that name the victims: up to the first verb or clause word."""
    end = pos
    for _ in range(7):
        m = lex.word_re.match(text, end)
        if not m:
            break
        word = m.group(1).rstrip(".")
        if word.lower() in lex.stops:
            break
        end = m.start(1) + len(word)
        if m.group(1).endswith("."):
            break
    return end, text[pos:end].strip()


def _whose(lex: _CasualtyLexicon, phrase: str) -> tuple[str, str | None, str] | None:
    """(group, subgroup, head kind) for the words naming the victims; None when they name no people."""
    heads = list(lex.head_re.finditer(phrase))
    names = [(m.start(), group) for pattern, group in lex.name_res for m in [pattern.search(phrase)] if m]
    if not heads:
        if not phrase:
            return lex.default_group.get("neutral", "unknown"), None, "neutral"
        if names:
            return min(names)[1], None, "fighter"
        return None
    head = heads[-1]
    # the victims' head noun ends the phrase (or is followed by its own qualifier "of the family")
    kind = lex.head_kind[re.sub(r"\s+", " ", head.group(0).lower())]
    subgroup = {"child": "children", "woman": "women"}.get(kind)
    if kind in ("civilian", "child", "woman", "family"):
        return lex.default_group.get(kind, "civilians"), subgroup, kind
    before_head = phrase[: head.start()] if kind != "state" else phrase
    own = [(s, g) for s, g in names if s < head.end()] or names
    if own:
        return min(own)[1], None, kind
    if kind == "state" and lex.nationality_re is not None:
        nat = lex.nationality_re.search(before_head)
        if nat:
            return lex.nationality_group[nat.group(0)], None, kind
    return lex.default_group.get(kind, "unknown"), None, kind


def find_casualties(sentence: str) -> Casualties:
    """The tolls of killed and injured in one sentence, with whose they were and their spans.

    Reads "killed 36 ISIS fighters", "at least 36 people were killed, including five children",
    "11 civilians died", "wounded three", "two soldiers were injured", "the death toll rose to 45" and
    claims of zero ("no civilian casualties"). Counts that are not about people ("36 strikes") are skipped.
    """
    lex = _casualty_lexicon()
    out = Casualties()
    low = sentence.lower()
    if not any(stem in low for stem in lex.cue_stems):
        return out
    pending: list[tuple[NumberMention, int, str, tuple[str, str | None, str]]] = []
    for num in find_numbers(sentence, article_as_one=True):
        before = sentence[max(0, num.start - 60) : num.start]
        if _NEGATED_COUNT.search(before):
            continue  # "no one was hurt" is a claim of zero, read below
        kind: str | None = None
        start, end = num.start, num.end
        # "has risen to 52, 19 of them children": the victims come after "of them", a part of the toll before
        part_after = lex.part_after_re.match(sentence, num.end) if out and not out[-1].zero else None
        if part_after is not None and not re.fullmatch(r"[ \t]*,?[ \t]*", sentence[out[-1].end : num.start]):
            part_after = None
        victims_end, victims = _victims(lex, sentence, part_after.end() if part_after else num.end)
        if num.text.lower() in _lexicon().articles:
            unknown = lex.unknown_count_re.match(victims)
            if unknown:  # "an undetermined number of civilians": people, but no count
                victims = victims[unknown.end() :]
                num = NumberMention(num.start, num.end, num.text, None, None, True, unknown.group(0).strip())
            elif not lex.head_re.search(victims):
                continue  # "a" is one person only when it names one ("a civilian", "an ISIS commander")
        noun = lex.noun_re.match(sentence, num.end)
        if noun and not victims.lower().startswith(("dead and", "wounded and")):
            who: tuple[str, str | None, str] | None = ("unknown", None, "neutral")
            kind = lex.noun_kind[noun.group("noun").lower()]
            victims, victims_end = "", num.end
            end = noun.end()
        else:
            who = _whose(lex, victims)
        named_before = None
        for pattern, group in lex.victims_before_res:
            named_before = pattern.search(before)
            if named_before:
                if who is None or who[2] == "neutral":
                    who = (group, None, "family")
                break
        if who is None:
            continue
        if who[2] == "neutral":
            appos = lex.apposition_re.match(sentence, victims_end)
            named = _whose(lex, appos.group("np")) if appos else None
            if named is not None and named[2] != "neutral":
                who = named  # "three people, all civilians"
        verb_before = before[: len(before) - len(named_before.group(0))] if named_before else before
        shared_verb = partial = False
        part = lex.part_re.search(before)
        parent = len(out) - 1 if part and out and not out[-1].zero else None
        if kind is None:
            after = lex.after_re.match(sentence, victims_end)
            if after:
                verb = after.group("verb").lower()
                # "two soldiers killed a civilian": the count is the subject of an active verb
                active = not after.group(0).strip().lower().startswith(tuple(
                    ["were", "was", "have", "has", "had", "are", "is", "been", "who", ","]
                )) and lex.active_object_re.match(sentence, after.end())
                if not active:
                    kind = lex.after_kind[re.sub(r"\s+", " ", verb)]
                    end = after.end()
                    shared_verb = True
        if kind is None:
            pre = lex.before_re.search(verb_before)
            if pre:
                kind = lex.before_kind[re.sub(r"\s+", " ", pre.group("verb").lower())]
                start = num.start - (len(before) - len(verb_before)) - len(pre.group(0))
                end = max(end, victims_end)
        if kind is None:
            for pattern, toll_kind in lex.toll_res:
                toll = pattern.search(before)
                if toll:
                    kind = toll_kind
                    start = num.start - len(toll.group(0))
                    end = max(end, victims_end)
                    break
        if (
            kind is None
            and part
            and parent is None
            and re.sub(r"\s+", " ", part.group(0).strip(" \t:(").lower()) in lex.part_killed
        ):
            kind, partial = "killed", True  # "Among the dead were three children."
            start = num.start - len(part.group(0).lstrip())
            end = max(end, victims_end)
        if kind is None and part_after is not None:
            kind, parent = out[-1].kind, len(out) - 1
            end = max(end, victims_end)
        if kind is None and parent is not None:
            kind = out[parent].kind
            start = num.start - len(part.group(0).lstrip()) if part else num.start
            end = max(end, victims_end)
        elif kind is not None and parent is not None and out[parent].kind != kind:
            parent = None
        if kind is None and out and who[2] != "neutral" and victims:
            # "killed 20 fighters and five civilians": a count joined to the toll just before it
            gap = sentence[out[-1].end : num.start]
            if re.fullmatch(r"[ \t]*(?:,|and|, and|as well as)[ \t]*", gap):
                kind, parent = out[-1].kind, out[-1].part_of
                end = max(end, victims_end)
        if kind is None:
            if victims and who[2] != "neutral":
                pending.append((num, victims_end, victims, who))
            continue
        group, subgroup, _ = who
        if parent is None and pending and shared_verb:
            # "Eleven civilians and two soldiers were killed": earlier counts share this verb
            for p_num, p_end, p_victims, p_who in pending:
                gap = sentence[p_end : num.start]
                if re.fullmatch(r"[ \t]*(?:,|and|, and)[ \t]*", gap):
                    out.append(CasualtyMention(
                        p_num.start, p_end, sentence[p_num.start : p_end], kind, p_num.low, p_num.high,
                        p_num.approx, p_who[0], p_victims or None, p_who[1], None, False, p_num,
                        _is_vague(p_num),
                    ))
            pending = []
        if parent is not None and group == "unknown":
            group = out[parent].whose
        out.append(CasualtyMention(
            start, end, sentence[start:end], kind, num.low, num.high, num.approx, group, victims or None,
            subgroup, parent, False, num, _is_vague(num), partial,
        ))
    taken = [(c.start, c.end) for c in out]
    for pattern, kinds in lex.zero_res:
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            phrase = (m.group("np") or "").strip()
            who = _whose(lex, phrase) if phrase and lex.head_re.search(phrase) else None
            group = who[0] if who else "unknown"
            out.append(CasualtyMention(
                m.start(), m.end(), m.group(0), kinds[re.sub(r"\s+", " ", m.group("noun").lower())], 0, 0,
                False, group, phrase or None, who[1] if who else None, None, True, None,
            ))
            taken.append((m.start(), m.end()))
    order = sorted(range(len(out)), key=lambda i: out[i].start)
    if order != list(range(len(out))):
        new_index = {old: new for new, old in enumerate(order)}
        out = Casualties(
            _replace_parent(out[i], new_index) for i in order
        )
    return out


def _is_vague(num: NumberMention) -> bool:
    return num.qualifier is not None and num.qualifier in _lexicon().vague


def _replace_parent(mention: CasualtyMention, new_index: dict[int, int]) -> CasualtyMention:
    if mention.part_of is None:
        return mention
    return replace(mention, part_of=new_index[mention.part_of])


def to_fatalities(mentions: list[CasualtyMention]) -> Fatalities:
    """Sum a sentence's (or an event's) tolls into the contract's ``fatalities`` record.

    Vague quantities ("dozens", "several") give no number: unknown is null, never a guess.
    ``killed`` adds the top-level killed counts (a part "including five children" is not added again);
    ``civilians_killed`` and ``children_killed`` count only what the text says of civilians and children;
    a claim of zero gives 0. ``whose`` names the side of the killed (or injured) when one side is named,
    comma-joined sides when several are, "unknown" when the text does not say. Ranges count their low end.
    """
    killed: int | None = None
    injured: int | None = None
    civilians: int | None = None
    children: int | None = None
    sides: list[str] = []

    def add(total: int | None, value: int | None) -> int | None:
        if value is None:
            return total
        return value if total is None else total + value

    for m in mentions:
        if m.vague:  # "dozens were killed": the side is known, the number is not
            m = replace(m, low=None, high=None)
        top = m.part_of is None and not m.partial
        if m.kind == "killed" or (m.zero and m.kind == "casualties"):
            if top and not (m.zero and m.whose != "unknown"):
                killed = add(killed, m.value)
            if m.whose == "civilians" and top:
                civilians = add(civilians, m.value)
            if m.subgroup == "children":
                children = add(children, m.value)
            if top and not m.zero and m.whose not in sides:
                sides.append(m.whose)
        if (m.kind == "injured" or (m.zero and m.kind == "casualties")) and top and (
            not m.zero or m.whose == "unknown"
        ):
            injured = add(injured, m.value)
    if not sides:
        sides = [m.whose for m in mentions if m.part_of is None][:1]
    named = [s for s in sides if s != "unknown"]
    whose = ",".join(named) if named else (sides[0] if sides else None)
    if civilians is None and killed is not None and named == ["civilians"]:
        civilians = killed
    return Fatalities(killed=killed, injured=injured, civilians_killed=civilians, children_killed=children,
                      whose=whose)
