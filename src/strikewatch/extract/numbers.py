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
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["NumberMention", "find_numbers", "parse_number"]


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
