"""Publication date from the header of a text: "6th April 2018", "December 12, 2016", "2016-12-12".

Only full dates (with a year) in the first few lines count, and only on a line that reads as a dateline
(a short line, a "Posted on ..." label, or "BEIRUT, Dec. 12, 2016 -"), never a date inside the first
sentence of the story ("On December 12, 2016, forces ..."), which is an event date. Numeric dates whose
day and month could be swapped ("03/04/2016") are ambiguous and give no date: unknown beats a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

_PATTERNS = [
    re.compile(_WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<day>[0-3]?\d)\b"),
    re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>(?:19|20)\d\d)\b"),
]

_LABEL = re.compile(r"^(?:published|posted|date[d]?|released?|issued|first published|written)\b", re.I)
_UPDATED = re.compile(r"\b(?:updated|modified|last edited|revised)\b", re.I)
# After the date, a dateline ends the line, or goes on with a dash, a bar, a time or an agency in brackets.
_AFTER_OK = re.compile(r"^\s*(?:$|[—–\-|:(/•·]|\d{1,2}[:.]\d\d|at\s+\d|\d{1,2}\s*[ap]\.?m)", re.I)
# Before the date: nothing, a label, a weekday, or a place in capitals ("BEIRUT," "SOUTHWEST ASIA —").
_BEFORE_OK = re.compile(
    r"^[\W_]*(?:(?:published|posted|date[d]?|released?|issued|updated|first published|written)"
    r"(?:\s+(?:on|at))?\s*:?|[A-Z][A-Z .'’\-]{1,40}(?:,\s*[A-Z][A-Za-z .'’\-]{1,30})?"
    r"(?:\s*\([^)]{1,30}\))?\s*[,—–\-:]?)?\s*$"
)

HEADER_LINES = 8
HEADER_CHARS = 1200


@dataclass(frozen=True)
class Dateline:
    date: date
    text: str
    line: int


def _to_date(m: re.Match[str], today: date) -> date | None:
    g = m.groupdict()
    year = int(g["year"])
    if g.get("mon"):
        month, day = _MONTHS[g["mon"].lower().rstrip(".")], int(g["day"])
    elif g.get("m"):
        month, day = int(g["m"]), int(g["day"])
    else:
        a, b = int(g["a"]), int(g["b"])
        if a == b or (a > 12 >= b):
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        else:
            return None  # 03/04/2016: day and month cannot be told apart
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if found.year < 1990 or found > date(today.year + 1, 12, 31):
        return None
    return found


def find_dateline(text: str, *, today: date | None = None) -> Dateline | None:
    """The publication date stated in the header of ``text``, or None when there is none or it is unclear."""
    today = today or date.today()
    header = text[:HEADER_CHARS]
    found: list[tuple[bool, Dateline]] = []
    seen = 0
    for number, raw in enumerate(header.splitlines()):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        for pattern in _PATTERNS:
            m = pattern.search(line)
            if not m:
                continue
            when = _to_date(m, today)
            if when is None:
                break
            before, after = line[: m.start()], line[m.end():]
            rest_words = len((before + " " + after).split())
            if rest_words <= 8 or (_BEFORE_OK.match(before) and _AFTER_OK.match(after)):
                updated = bool(_UPDATED.search(before)) and not _LABEL.search(before.strip())
                found.append((updated, Dateline(when, m.group(0).strip(), number)))
            break
    if not found:
        return None
    for updated, dl in found:
        if not updated:
            return dl
    return found[0][1]
