"""Time expressions in report text, resolved against the publication date.

A report says "Dec. 9", "Wednesday", "last night" or "late last year"; what it means depends on when it
was published. ``find_times`` finds every such expression with its character span and resolves it to a
``records.DateSpan`` (start, end, precision day|range|week|month|year). The rules:

- a date without a year is the latest such date on or before publication ("Dec. 9" in a report of
  5 January 2017 is 2016-12-09);
- a weekday is the latest such day on or before publication (a report published on a Wednesday about
  "Wednesday" means that day); "last Friday" is the latest Friday strictly before it;
- without a publication date relative expressions stay unresolved (``span.start is None``) while dates
  that carry their year still resolve. Nothing is guessed.

The words (months, weekdays, relative phrases) live in ``lexicon/time.yaml``. Scanning is done with a few
compiled regular expressions (no dateparser search mode, which is slow and wrong on weekdays).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from strikewatch.extract.numbers import parse_number
from strikewatch.records import DateSpan

__all__ = ["TimeMention", "find_times", "resolve_time"]


@dataclass(frozen=True)
class TimeMention:
    """A time expression at ``text[start:end]`` and what it resolves to."""

    start: int
    end: int
    text: str
    span: DateSpan

    @property
    def resolved(self) -> bool:
        return self.span.start is not None


# ---------------------------------------------------------------------------------------------- lexicon


@dataclass
class _TimeLexicon:
    months: dict[str, int]  # name or abbreviation (as written, capitalised) -> 1..12
    weekdays: dict[str, int]  # full name -> 0..6
    day_parts: list[str]
    relative_days: dict[str, dict[str, Any]]
    relative_periods: dict[str, dict[str, Any]]
    span_units: dict[str, float]
    month_parts: dict[str, tuple[int, int]]
    year_parts: dict[str, tuple[int, int]]
    week_parts: dict[str, tuple[int, int]]
    period_cues: list[str]
    week_ordinals: dict[str, tuple[int, int]]
    seasons: dict[str, tuple[int, int]]
    after_date_words: frozenset[str]


@cache
def _lexicon() -> _TimeLexicon:
    path = resources.files("strikewatch.lexicon").joinpath("time.yaml")
    with path.open("r", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    months: dict[str, int] = {}
    for number, names in data["months"].items():
        for name in names:
            months[name] = int(number)
            months[name.upper()] = int(number)
    weekdays: dict[str, int] = {}
    for number, names in data["weekdays"].items():
        weekdays[names[0]] = int(number)
        weekdays[names[0].upper()] = int(number)
    return _TimeLexicon(
        months=months,
        weekdays=weekdays,
        day_parts=list(data["day_parts"]),
        relative_days={k.lower(): v for k, v in data["relative_days"].items()},
        relative_periods={k.lower(): v for k, v in data["relative_periods"].items()},
        span_units={k.lower(): float(v) for k, v in data["span_units"].items()},
        month_parts={k.lower(): tuple(v) for k, v in data["month_parts"].items()},
        year_parts={k.lower(): tuple(v) for k, v in data["year_parts"].items()},
        week_parts={k.lower(): tuple(v) for k, v in data["week_parts"].items()},
        period_cues=[c.lower() for c in data["period_cues"]],
        week_ordinals={k.lower(): (int(v[0]), int(v[1])) for k, v in data["week_ordinals"].items()},
        seasons={k.lower(): (int(v[0]), int(v[1])) for k, v in data["seasons"].items()},
        after_date_words=frozenset(w.lower() for w in data["after_date_words"]),
    )


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ------------------------------------------------------------------------------------------ date helpers


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _latest_on_or_before(month: int, day: int, ref: date) -> date | None:
    """The latest (year, month, day) on or before ``ref``; None when the day never exists."""
    for year in range(ref.year, ref.year - 9, -1):
        d = _safe_date(year, month, day)
        if d is not None and d <= ref:
            return d
    return None


def _span(start: date | None, end: date | None, precision: str, text: str) -> DateSpan:
    if start is not None and end is not None and start > end:
        start, end = end, start
    if precision == "range" and start is not None and start == end:
        precision = "day"
    return DateSpan(
        start=start.isoformat() if start else None,
        end=end.isoformat() if end else None,
        precision=precision,
        text=text,
    )


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw.lstrip("'’"))
    return value + 2000 if value < 100 else value


def _day(raw: str) -> int:
    return int(re.match(r"\d+", raw).group(0))  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------- patterns


@dataclass
class _Rule:
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], date | None], tuple[date | None, date | None, str] | None]
    gate: str = ""  # a cheap test the text must pass before the pattern runs (see _gates)


def _resolve_day(month: int, day: int, year: int | None, published: date | None) -> date | None | bool:
    """A day of a month; False when it cannot exist, None when it needs a year we do not have."""
    if year is not None:
        return _safe_date(year, month, day) or False
    if not 1 <= day <= 31 or _safe_date(2000, month, day) is None:
        return False
    if published is None:
        return None
    return _latest_on_or_before(month, day, published)


@cache
def _rules() -> list[_Rule]:
    lex = _lexicon()
    full = [n for n in lex.months if len(n) > 4 or n in ("May", "MAY", "June", "JUNE", "July", "JULY")]
    abbr = [n for n in lex.months if n not in full]
    mon = rf"(?:(?:{_alt(full)})(?![\w])|(?:{_alt(abbr)})(?:\.|(?![\w])))"
    # abbreviations are taken as months only next to a day or year (Mar Elias, Jan the driver)
    day = r"(?:[0-3]?\d)(?:st|nd|rd|th)?(?![\w])"
    year = r"(?:(?:19|20)\d\d)(?![\w])"
    wd = _alt(list(lex.weekdays))
    parts = _alt([*lex.day_parts])
    conn = r"[ \t]*(?:-|–|—|\bto\b|\buntil\b|\btill\b|\bthrough\b|\band\b)[ \t]*"
    rules: list[_Rule] = []

    def month_of(raw: str) -> int:
        return lex.months[raw.rstrip(".")]

    # 2016-12-12
    def iso(m: re.Match[str], pub: date | None):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return (d, d, "day") if d else None

    rules.append(_Rule(re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), iso, "year"))

    def range_rule(m: re.Match[str], pub: date | None):
        m1 = month_of(m["m1"]) if m["m1"] else None
        m2 = month_of(m["m2"]) if m["m2"] else None
        if m1 is None and m2 is None:
            return None
        m1 = m1 or m2
        m2 = m2 or m1
        d1, d2 = _day(m["d1"]), _day(m["d2"])
        y1, y2 = _year(m["y1"]), _year(m["y2"])
        if _safe_date(2000, m1, d1) is None or _safe_date(2000, m2, d2) is None:  # type: ignore[arg-type]
            return None
        if (m1, d1) == (m2, d2) or (m1 == m2 and d2 < d1 and y1 is None):
            return None
        if y2 is not None or y1 is not None:
            y2 = y2 if y2 is not None else y1
            end = _safe_date(y2, m2, d2)  # type: ignore[arg-type]
            if end is None:
                return None
            if y1 is None:
                y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1  # type: ignore[operator]
            start = _safe_date(y1, m1, d1)  # type: ignore[arg-type]
            if start is None or start > end:
                return None
            return start, end, "range"
        if pub is None:
            return None, None, "range"
        end = _latest_on_or_before(m2, d2, pub)  # type: ignore[arg-type]
        if end is None:
            return None
        start = _safe_date(end.year if (m1, d1) <= (m2, d2) else end.year - 1, m1, d1)  # type: ignore[arg-type]
        return start, end, "range"

    def range_tail_rule(m: re.Match[str], pub: date | None):
        # "April 1 and 3 strikes hit ...": a bare second day followed by a noun is a count, not a day
        if m["m2"] is None and m["y2"] is None:
            nxt = _NEXT_WORD.match(m.string, m.end())
            if nxt and nxt.group(1) not in lex.after_date_words:
                return None
        return range_rule(m, pub)

    lead = r"(?:\b(?i:from|between)[ \t]+)?"
    # 30 March to 5 April [2016]; from 3 to 5 May; between 1 and 3 April 2016
    rules.append(_Rule(re.compile(
        rf"{lead}\b(?P<d1>{day})(?:[ \t]+(?:of[ \t]+)?(?P<m1>{mon})(?:,?[ \t]+(?P<y1>{year}))?)?{conn}"
        rf"(?P<d2>{day})[ \t]+(?:of[ \t]+)?(?P<m2>{mon})(?:,?[ \t]+(?P<y2>{year}))?"
    ), range_rule, "month"))
    # March 30 to April 5; between April 1 and 3, 2016; Dec. 28, 2016 - Jan. 3, 2017
    rules.append(_Rule(re.compile(
        rf"{lead}\b(?P<m1>{mon})[ \t]+(?P<d1>{day})(?:,?[ \t]+(?P<y1>{year}))?{conn}"
        rf"(?:(?P<m2>{mon})[ \t]+)?(?P<d2>{day})(?:,?[ \t]+(?P<y2>{year}))?"
    ), range_tail_rule, "month"))

    def single(m: re.Match[str], pub: date | None):
        month = month_of(m["mon"])
        d = _resolve_day(month, _day(m["day"]), _year(m["year"]), pub)
        if d is False:
            return None
        return d, d, "day"  # type: ignore[return-value]

    wd_lead = rf"(?:\b(?:{wd}),?[ \t]+(?:the[ \t]+)?)?"
    # [Wednesday,] Dec. 9[, 2015] / December 12, 2016
    rules.append(_Rule(re.compile(
        rf"{wd_lead}\b(?P<mon>{mon})[ \t]+(?P<day>{day})(?:,?[ \t]+(?P<year>{year}))?"
    ), single, "month"))
    # [Wednesday] 9 December [2015] / the 9th of December
    rules.append(_Rule(re.compile(
        rf"{wd_lead}\b(?P<day>{day})[ \t]+(?:of[ \t]+)?(?P<mon>{mon})(?:,?[ \t]+(?P<year>{year}))?"
    ), single, "month"))

    # early March 2016 / mid-March / late March / March 2016 / in March / last March
    month_parts = _alt(list(lex.month_parts))
    cues = _alt(lex.period_cues)
    full_months = [n for n in lex.months if len(n) > 3 or n.rstrip(".") in ("May",)]
    abbr_months = [n for n in lex.months if n not in full_months]
    # "Dec. 2016": an abbreviation counts as a month on its own only before a year
    full_mon = rf"(?:{_alt(full_months)})(?![\w])|(?:{_alt(abbr_months)})\.?(?=[ \t]+{year})"

    def month_rule(m: re.Match[str], pub: date | None):
        month = month_of(m["mon"])
        yr = _year(m["year"])
        cue = (m["cue"] or "").lower()
        part = (m["part"] or "").lower().replace("-", "").strip()
        if yr is None and not cue and not part and not m["rel"]:
            return None
        if yr is None and m["rel"]:
            if pub is None:
                return None, None, "range" if part else "month"
            yr = pub.year - 1 if m["rel"].lower() == "last" else pub.year
        if yr is None:
            if pub is None:
                return None, None, "month"
            if cue == "last":
                yr = pub.year if month < pub.month else pub.year - 1
            elif cue == "this":
                yr = pub.year
            else:
                yr = pub.year if month <= pub.month else pub.year - 1
        first, last = date(yr, month, 1), _month_end(yr, month)
        if part:
            lo, hi = lex.month_parts[part]
            first = date(yr, month, lo)
            last = date(yr, month, min(hi, last.day))
            return first, last, "range"
        return first, last, "month"

    rules.append(_Rule(re.compile(
        rf"(?:\b(?P<cue>(?i:{cues}))[ \t]+(?:the[ \t]+)?)?(?:\b(?P<part>(?i:{month_parts}))(?:-|[ \t]+))?"
        rf"\b(?P<mon>{full_mon})(?:\.?,?[ \t]+(?P<year>{year})"
        rf"|[ \t]+(?:of[ \t]+)?(?P<rel>(?i:last|this))[ \t]+(?i:year))?",
    ), month_rule, "month"))

    # in 2015 / since 2014 / late 2016 / mid-2015 / early last year handled by relative periods
    year_parts = _alt(list(lex.year_parts))

    def year_rule(m: re.Match[str], pub: date | None):
        yr = int(m["year"])
        part = (m["part"] or "").lower().replace("-", "").strip()
        cue = (m["cue"] or "").lower()
        if not part and not cue:
            return None
        if part:
            lo, hi = lex.year_parts[part]
            return date(yr, lo, 1), _month_end(yr, hi), "range"
        return date(yr, 1, 1), date(yr, 12, 31), "year"

    rules.append(_Rule(re.compile(
        rf"(?:\b(?P<cue>{cues})[ \t]+(?:the[ \t]+)?)?(?:\b(?P<part>{year_parts})(?:-|[ \t]+)(?:of[ \t]+)?)?"
        rf"(?<![\d,.])\b(?P<year>{year})(?![-–/]\d)",
        re.IGNORECASE,
    ), year_rule, "year"))

    # Wednesday / last Friday / on Tuesday night / next Monday
    def weekday_rule(m: re.Match[str], pub: date | None):
        if pub is None:
            return None, None, "day"
        wday = lex.weekdays[m["wd"]]
        which = (m["which"] or "").lower()
        if which == "next":
            delta = (wday - pub.weekday()) % 7 or 7
            d = pub + timedelta(days=delta)
        else:
            delta = (pub.weekday() - wday) % 7
            if which == "last" and delta == 0:
                delta = 7
            d = pub - timedelta(days=delta)
        return d, d, "day"

    rules.append(_Rule(re.compile(
        rf"(?:\b(?P<which>(?i:last|this|next|past|late[ \t]+on|early[ \t]+on|late|early))[ \t]+)?"
        rf"\b(?P<wd>{wd})(?![\w])(?:[ \t]+(?i:{parts})\b)?",
    ), weekday_rule, "weekday"))

    # today, yesterday, overnight, last night ...
    rel = lex.relative_days

    def rel_day(m: re.Match[str], pub: date | None):
        entry = rel[re.sub(r"\s+", " ", m["rel"].lower())]
        if pub is None:
            return None, None, entry["precision"]
        return (pub + timedelta(days=entry["start"]), pub + timedelta(days=entry["end"]), entry["precision"])

    rules.append(_Rule(
        re.compile(rf"\b(?P<rel>{_alt(list(rel))})\b(?![ \t]+of\b)", re.IGNORECASE), rel_day, "rel"
    ))

    # this week, last month, late last year ...
    per = lex.relative_periods

    def rel_period(m: re.Match[str], pub: date | None):
        entry = per[re.sub(r"\s+", " ", m["rel"].lower())]
        if pub is None:
            return None, None, entry["precision"]
        unit, which, part = entry["unit"], entry["which"], entry.get("part")
        if unit == "weekend":
            # the latest weekend that had begun by publication ("at the weekend", "last weekend")
            saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
            if which == "last":
                saturday -= timedelta(days=7)
            return saturday, min(saturday + timedelta(days=1), pub), entry["precision"]
        if unit == "week":
            monday = pub - timedelta(days=pub.weekday())
            if which == "last":
                monday -= timedelta(days=7)
            first, last = monday, monday + timedelta(days=6)
            if part:
                lo, hi = lex.week_parts[part]
                first, last = monday + timedelta(days=lo), monday + timedelta(days=hi)
        elif unit == "month":
            y, mo = pub.year, pub.month
            if which == "last":
                y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
            first, last = date(y, mo, 1), _month_end(y, mo)
            if part:
                lo, hi = lex.month_parts[part]
                first, last = date(y, mo, lo), date(y, mo, min(hi, last.day))
        else:
            y = pub.year - 1 if which == "last" else pub.year
            first, last = date(y, 1, 1), date(y, 12, 31)
            if part:
                lo, hi = lex.year_parts[part]
                first, last = date(y, lo, 1), _month_end(y, hi)
        if which in ("this", "earlier_this"):
            last = min(last, pub)
            if which == "earlier_this":
                last = max(first, pub - timedelta(days=1))
        return first, last, entry["precision"]

    rules.append(_Rule(re.compile(rf"\b(?P<rel>{_alt(list(per))})\b", re.IGNORECASE), rel_period, "rel"))

    # the first week of March [2016]
    def week_of_month(m: re.Match[str], pub: date | None):
        month = month_of(m["mon"])
        yr = _year(m["year"])
        if yr is None:
            if pub is None:
                return None, None, "range"
            yr = pub.year if month <= pub.month else pub.year - 1
        end_day = _month_end(yr, month).day
        lo, hi = lex.week_ordinals[m["nth"].lower()]
        lo = end_day + lo + 1 if lo < 0 else lo
        return date(yr, month, lo), date(yr, month, min(hi, end_day)), "range"

    rules.append(_Rule(re.compile(
        rf"\b(?:the[ \t]+)?(?P<nth>(?i:{_alt(list(lex.week_ordinals))}))[ \t]+(?i:week)[ \t]+(?i:of)[ \t]+"
        rf"(?P<mon>{full_mon})(?:,?[ \t]+(?P<year>{year}))?",
    ), week_of_month, "month"))

    # between 2014 and 2016 / from 2014 to 2016 / 2014-2016
    def year_range(m: re.Match[str], pub: date | None):
        y1, y2 = int(m["y1"]), int(m["y2"])
        if y2 <= y1 or (m["lead"] is None and m["conn"].strip().lower() in ("and", "to")):
            return None
        return date(y1, 1, 1), date(y2, 12, 31), "range"

    rules.append(_Rule(re.compile(
        rf"(?:\b(?P<lead>(?i:between|from))[ \t]+)?(?<![\d,.])\b(?P<y1>{year})"
        rf"(?P<conn>[ \t]*[-–][ \t]*|[ \t]+(?i:and|to|until)[ \t]+)(?P<y2>{year})",
    ), year_range, "year"))

    # 13/11/2016: day and month are told apart only when one of them is over 12
    def numeric(m: re.Match[str], pub: date | None):
        a, b, yr = int(m["a"]), int(m["b"]), int(m["y"])
        if m["sep"] == "." or (a > 12 >= b):
            d = _safe_date(yr, b, a)
        elif b > 12 >= a or a == b:
            d = _safe_date(yr, a, b)
        else:
            return None, None, "day"  # 03/04/2016: March 4 or 3 April; unknown is null
        return (d, d, "day") if d else None

    rules.append(_Rule(re.compile(
        rf"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[01]?\d)(?P=sep)(?P<y>{year})(?![\d/])"
    ), numeric, "year"))

    # the 9th / Monday the 14th / Monday 14th: a day of the month on or before publication; only where the
    # ordinal ends the phrase ("on the 9th, jets ...", "the 9th when"), not "the 5th attack" or "3rd Division"
    after_words = _alt(sorted(lex.after_date_words - {"of"}))
    def ordinal_day(m: re.Match[str], pub: date | None):
        day_n = int(m["d"])
        if not 1 <= day_n <= 31:
            return None
        if pub is None:
            return None, None, "day"
        want = lex.weekdays[m["wd"]] if m["wd"] else None
        y, mo = pub.year, pub.month
        for _ in range(14):
            d = _safe_date(y, mo, day_n)
            if d is not None and d <= pub and (want is None or d.weekday() == want):
                return d, d, "day"
            y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
        return None

    rules.append(_Rule(re.compile(
        rf"(?:\b(?P<wd>{wd}),?[ \t]+(?:the[ \t]+)?|\bthe[ \t]+)(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b"
        rf"(?=[ \t]*(?:[,.;:!?)\]]|$)|[ \t]+(?:{after_words})\b)",
    ), ordinal_day, "ordinal"))

    # summer 2015 / last summer / in the spring / this winter
    seasons = lex.seasons

    def season_rule(m: re.Match[str], pub: date | None):
        name = m["season"].lower()
        first_month, last_month = seasons[name]
        wraps = last_month < first_month
        cue = (m["cue"] or "").lower()
        if m["year"]:
            if wraps:
                return None
            yr = int(m["year"])
            return date(yr, first_month, 1), _month_end(yr, last_month), "range"
        if name == "fall" or not cue:
            return None
        if pub is None:
            return None, None, "range"
        for yr in range(pub.year, pub.year - 3, -1):
            first = date(yr, first_month, 1)
            last = _month_end(yr + 1 if wraps else yr, last_month)
            if first > pub or (cue == "last" and last >= pub):
                continue
            return first, min(last, pub), "range"
        return None

    rules.append(_Rule(re.compile(
        rf"(?:\b(?P<cue>(?i:{cues}))[ \t]+(?:the[ \t]+)?)?\b(?P<season>(?i:{_alt(list(seasons))}))\b"
        rf"(?:[ \t]+(?:of[ \t]+)?(?P<year>{year}))?",
    ), season_rule, "season"))

    # the past 24 hours / the last three days / in the previous 48 hours
    units = _alt(list(lex.span_units))

    def past_span(m: re.Match[str], pub: date | None):
        n = parse_number(m["n"], article_as_one=True)
        if n is None:
            return None
        if pub is None:
            return None, None, "range"
        days = max(1, round(n * lex.span_units[m["unit"].lower()]))
        return pub - timedelta(days=days), pub, "range"

    rules.append(_Rule(re.compile(
        rf"\b(?:the|over[ \t]+the|in[ \t]+the)[ \t]+(?:past|last|previous)[ \t]+"
        rf"(?P<n>\d+|[a-z]+(?:-[a-z]+)?)[ \t]+(?P<unit>{units})\b",
        re.IGNORECASE,
    ), past_span, "past"))

    # three days ago / a week ago / two weeks ago
    def ago(m: re.Match[str], pub: date | None):
        n = parse_number(m["n"], article_as_one=True)
        if n is None:
            return None
        unit = m["unit"].lower()
        if pub is None:
            return None, None, "day" if unit.startswith("day") else "week"
        if unit.startswith("day"):
            d = pub - timedelta(days=n)
            return d, d, "day"
        d = pub - timedelta(days=7 * n)
        monday = d - timedelta(days=d.weekday())
        return monday, monday + timedelta(days=6), "week"

    rules.append(_Rule(re.compile(
        r"\b(?P<n>\d+|[a-z]+(?:-[a-z]+)?)[ \t]+(?P<unit>days?|weeks?)[ \t]+ago\b", re.IGNORECASE
    ), ago, "ago"))
    return rules


_NEXT_WORD = re.compile(r",?[ \t]+([a-z]+)\b")

@cache
def _gate_tests() -> dict[str, Callable[[str, str], bool]]:
    """Cheap tests that let ``find_times`` skip the patterns a sentence cannot match (most sentences
    name no date at all, and the pipeline's budget is 30k words per CPU-second)."""
    lex = _lexicon()
    month = re.compile(rf"\b(?:{_alt(list(lex.months))})\b")
    year = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
    weekday = re.compile(rf"\b(?:{_alt(list(lex.weekdays))})\b")
    ordinal = re.compile(r"\d(?:st|nd|rd|th)\b")
    heads = sorted({phrase.split()[-1] for phrase in [*lex.relative_days, *lex.relative_periods]})
    return {
        "month": lambda text, low: month.search(text) is not None,
        "year": lambda text, low: year.search(text) is not None,
        "weekday": lambda text, low: "day" in low and weekday.search(text) is not None,
        "rel": lambda text, low: any(h in low for h in heads),
        "past": lambda text, low: "past" in low or "last" in low or "previous" in low,
        "ago": lambda text, low: "ago" in low,
        "ordinal": lambda text, low: ordinal.search(low) is not None,
        "season": lambda text, low: any(name in low for name in lex.seasons),
    }


def find_times(text: str, published: date | None) -> list[TimeMention]:
    """Every time expression in ``text``, left to right, resolved against ``published``.

    Overlapping readings keep the longest ("30 March to 5 April" is one range, not two days).
    """
    if not text:
        return []
    low = text.lower()
    tests = _gate_tests()
    passed: dict[str, bool] = {}
    found: list[tuple[int, int, DateSpan]] = []
    for rule in _rules():
        if rule.gate:
            ok = passed.get(rule.gate)
            if ok is None:
                ok = passed[rule.gate] = tests[rule.gate](text, low)
            if not ok:
                continue
        for m in rule.pattern.finditer(text):
            try:
                result = rule.resolve(m, published)
            except (OverflowError, ValueError):  # a publication date at the edge of the calendar
                continue
            if result is None:
                continue
            start, end, precision = result
            s, e = m.start(), m.end()
            while e > s and text[e - 1] in " \t,":
                e -= 1
            found.append((s, e, _span(start, end, precision, text[s:e])))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    chosen: list[tuple[int, int, DateSpan]] = []
    for f in found:
        if all(f[1] <= c[0] or f[0] >= c[1] for c in chosen):
            chosen.append(f)
    chosen.sort(key=lambda f: f[0])
    return [TimeMention(s, e, text[s:e], span) for s, e, span in chosen]


def resolve_time(expression: str, published: date | None) -> DateSpan | None:
    """The date span of one time expression ("Dec. 9", "last Friday", "30 March to 5 April").

    ``None`` when the words are not a time expression; a span with ``start=None`` when they are one but
    cannot be resolved (a relative expression without a publication date).
    """
    mentions = find_times(expression, published)
    if not mentions:
        return None
    best = max(mentions, key=lambda t: t.end - t.start)
    return best.span
