"""Publication date from the header of a text: "6th April 2018", "December 12, 2016", "2016-12-12".

Only full dates (with a year) in the first few lines count, and only on a line that reads as a dateline
(a short line, a "Posted on ..." label, or "BEIRUT, Dec. 12, 2016 -"), never a date inside the first
sentence of the story ("On December 12, 2016, forces ..."), which is an event date. Numeric dates whose
day and month could be swapped ("03/04/2016") are ambiguous and give no date: unknown beats a guess;
written with dots or dashes ("05.09.2013", "05-09-2013") they are day first, the convention of every
place that writes them so (``day_first_separators``; month-first dates are written with slashes).
Month names and labels (English, French, Arabic) come from ``lexicon/datelines.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from strikewatch import fastyaml as yaml

HEADER_LINES = 8
HEADER_CHARS = 1200
_YEAR = re.compile(r"(?:19|20)\d\d")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# After the date, a dateline ends the line, or goes on with a dash, a bar, a time or an agency in brackets.
_AFTER_OK = re.compile(r"^\s*(?:$|[—–\-|:(/•·]|\d{1,2}[:.]\d\d|at\s+\d|\d{1,2}\s*[ap]\.?m)", re.I)
# Before the date, besides a label or a weekday: a place in capitals ("BEIRUT," "SOUTHWEST ASIA —").
_PLACE = r"[A-Z][A-Z .'’\-]{1,40}(?:,\s*[A-Z][A-Za-z .'’\-]{1,30})?(?:\s*\([^)]{1,30}\))?\s*[,—–\-:]?"


@dataclass(frozen=True)
class Dateline:
    date: date
    text: str
    line: int


def _alternation(words: list[str]) -> str:
    parts = []
    for word in sorted({str(w).lower() for w in words}, key=len, reverse=True):
        parts.append(r"\s+".join(re.escape(p) for p in word.split()))
    return "|".join(parts)


@dataclass(frozen=True)
class _Rules:
    day_first: frozenset[str]
    months: dict[str, int]
    patterns: tuple[re.Pattern[str], ...]
    before_ok: re.Pattern[str]
    updated: re.Pattern[str]
    labelled: re.Pattern[str]
    credited: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw = yaml.safe_load(resources.files("strikewatch.lexicon").joinpath("datelines.yaml").read_text("utf-8"))
    months = {" ".join(str(name).lower().split()): int(num) for num, names in raw["months"].items()
              for name in names}
    month = r"(?P<mon>" + _alternation(list(months)) + r")\.?"
    day = r"(?P<day>[0-3]?\d)(?:" + _alternation(raw["ordinals"]) + r")?"
    year = r"(?P<year>(?:19|20)\d\d)"
    weekday = r"(?:(?:" + _alternation(raw["weekdays"]) + r")\.?[,،]?\s+)?"
    patterns = (
        re.compile(r"(?<!\w)" + weekday + day + r"\s+(?:of\s+)?" + month + r"[,،]?\s+" + year + r"(?!\w)",
                   re.I),
        re.compile(r"(?<!\w)" + weekday + month + r"\s+" + day + r"[,،]?\s+" + year + r"(?!\w)", re.I),
        # day and year run together where a page's markup separated them: "Last updated at Apr 152017"
        re.compile(r"(?<!\w)" + weekday + month + r"\s+(?P<day>[0-3]\d)(?P<year>(?:19|20)\d\d)(?!\w)", re.I),
        re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),
        re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<day>[0-3]?\d)(?!\d)"),
        re.compile(r"(?<![\d.\-])(?P<a>[0-3]?\d)(?P<sep>[/.\-])(?P<b>[0-3]?\d)(?P=sep)(?P<year>(?:19|20)\d\d)(?!\d)"),
    )
    labels = _alternation(raw["published_labels"] + raw["updated_labels"])
    before_ok = re.compile(
        r"^[\W_]*(?:(?:" + labels + r")(?:\s+(?:on|at|le))?\s*:?|" + _PLACE + r")?\s*$", re.I)
    return _Rules(
        day_first=frozenset(str(x) for x in raw.get("day_first_separators") or []),
        months=months,
        patterns=patterns,
        before_ok=before_ok,
        updated=re.compile(r"(?<!\w)(?:" + _alternation(raw["updated_labels"]) + r")(?!\w)", re.I),
        labelled=re.compile(r"(?<!\w)(?:" + _alternation(raw["published_labels"]) + r")(?!\w)", re.I),
        # An agency's credit just before the date: "... AFP Tuesday 5 Jul 2016" (the weekday is in the
        # date pattern). Case-sensitive, so the word "ap" or "Petra" inside a story is no credit.
        credited=re.compile(r"(?<![\w-])(?:" + "|".join(
            r"\s+".join(map(re.escape, str(a).split()))
            for a in sorted(raw.get("agencies", []), key=len, reverse=True)) + r")\s*[:,–—-]?\s*$"),
    )


def _to_date(m: re.Match[str], months: dict[str, int], today: date) -> date | None:
    g = m.groupdict()
    year = int(g["year"])
    if g.get("mon"):
        month, day = months[" ".join(g["mon"].lower().rstrip(".").split())], int(g["day"])
    elif g.get("m"):
        month, day = int(g["m"]), int(g["day"])
    else:
        a, b = int(g["a"]), int(g["b"])
        if a == b or (a > 12 >= b):
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        elif g.get("sep") in _rules().day_first:
            day, month = a, b  # "05.09.2013", "05-09-2013": written day first wherever dots or dashes are
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
    rules = _rules()
    today = today or date.today()
    found: list[tuple[bool, Dateline]] = []
    seen = 0
    for number, raw in enumerate(text[:HEADER_CHARS].splitlines()):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        plain = line.translate(_DIGITS)  # Arabic-Indic digits read as digits; same length, same offsets
        if not _YEAR.search(plain):
            continue  # every full date has a year: a cheap gate before the big patterns
        for pattern in rules.patterns:
            m = pattern.search(plain)
            if not m:
                continue
            when = _to_date(m, rules.months, today)
            if when is None:
                break
            before, after = plain[: m.start()], plain[m.end():]
            rest_words = len((before + " " + after).split())
            # A full date that opens the text is its date stamp, even when the story runs on in the same
            # line (text whose line breaks were lost): "Tue 05 Jul 2016 Rebels said ...". A date and a
            # comma open a sentence ("December 12, 2016, forces entered ..."): an event's date.
            # A label or a place in capitals may come first ("Posted on April 2 2017 by ...",
            # "Date of publication 5 July 2016 The ..."), or the headline and an agency's credit in one
            # line ("<headline> AFP Sunday 3 May 2015 <story>").
            opening = (seen == 1 and not after.lstrip().startswith((",", "،"))
                       and (not before.strip(" \t*#-–—|•·[]()") or bool(rules.before_ok.match(before))
                            or (m.start() <= 300 and bool(rules.credited.search(before)))))
            if opening or rest_words <= 8 or (rules.before_ok.match(before) and _AFTER_OK.match(after)):
                updated = bool(rules.updated.search(before)) and not rules.labelled.search(before)
                found.append((updated, Dateline(when, line[m.start():m.end()].strip(), number)))
            break
    if not found:
        return None
    for updated, dl in found:
        if not updated:
            return dl
    return found[0][1]


@lru_cache(maxsize=1)
def _issuer_words() -> re.Pattern[str]:
    raw = yaml.safe_load(resources.files("strikewatch.lexicon").joinpath("datelines.yaml").read_text("utf-8"))
    return re.compile(r"(?<!\w)(?:" + _alternation(raw.get("issuer_words") or []) + r")(?!\w)", re.I)


def find_issuer(text: str, title: str | None = None) -> str | None:
    """The body a text names as its issuer in its header ("Ministry of Defence of ..."), or None.

    Only a short line of the first few, not a sentence (no final full stop), not the dateline, that
    starts with a capital and holds one of the ``issuer_words`` of ``lexicon/datelines.yaml``; never the
    headline (``title``), which may name an army as the one acting.
    """
    words = _issuer_words()
    seen = 0
    for raw in text[:HEADER_CHARS].splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        if len(line) > 90 or len(line.split()) > 12 or line.endswith((".", ":", "?", "!")):
            continue
        if not line[0].isupper() or line.isupper() or _YEAR.search(line):
            continue
        if title and line.casefold() == " ".join(title.split()).casefold():
            continue
        if words.search(line):
            return line
    return None
