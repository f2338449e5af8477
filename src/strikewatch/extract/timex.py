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
- durations ("for two years", "45 minutes") date nothing: ``start=None``, precision "duration";
- anaphoric times ("the following day", "four days later") and clock times ("14:30 GMT") count from
  another time of the text: ``start=None``, precision "anaphoric" (a clock time next to a date joins it);
- a bare year ("the 2014 offensive") is a year unless the number counts something ("2000 fighters");
- holidays with a fixed or ruled day resolve like a date without a year; lunar ones stay unresolved.

The words (months, weekdays, relative phrases) live in ``lexicon/time.yaml``. Scanning is done with a few
compiled regular expressions (no dateparser search mode, which is slow and wrong on weekdays).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from strikewatch import fastyaml as yaml
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
    ago_units: list[str]
    duration_units: list[str]
    duration_quantities: list[str]
    duration_fillers: list[str]
    duration_not_after: list[str]
    bare_duration_units: list[str]
    bare_duration_cues: list[str]
    duration_refused: frozenset[str]
    anaphoric_phrases: list[str]
    anaphoric_after: list[str]
    anaphoric_ordinals: list[str]
    anaphoric_periods: list[str]
    anaphoric_of_heads: list[str]
    year_not_after_words: frozenset[str]
    year_counted_nouns: frozenset[str]
    year_count_modifiers: frozenset[str]
    holidays: dict[str, dict[str, int]]
    clock_suffixes: list[str]
    clock_zones: list[str]
    era_before: list[str]
    era_after: list[str]


def _merged(data: dict[str, Any], key: str) -> dict[str, Any]:
    """A table of time.yaml with its ``<key>_more`` additions."""
    return {**data[key], **data.get(f"{key}_more", {})}


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
        relative_days={k.lower(): v for k, v in _merged(data, "relative_days").items()},
        relative_periods={k.lower(): v for k, v in _merged(data, "relative_periods").items()},
        span_units={k.lower(): float(v) for k, v in _merged(data, "span_units").items()},
        month_parts={k.lower(): tuple(v) for k, v in data["month_parts"].items()},
        year_parts={k.lower(): tuple(v) for k, v in data["year_parts"].items()},
        week_parts={k.lower(): tuple(v) for k, v in data["week_parts"].items()},
        period_cues=[c.lower() for c in data["period_cues"]],
        week_ordinals={k.lower(): (int(v[0]), int(v[1])) for k, v in data["week_ordinals"].items()},
        seasons={k.lower(): (int(v[0]), int(v[1])) for k, v in data["seasons"].items()},
        after_date_words=frozenset(w.lower() for w in data["after_date_words"]),
        ago_units=[w.lower() for w in data["ago_units"]],
        duration_units=[w.lower() for w in data["duration_units"]],
        duration_quantities=[w.lower() for w in data["duration_quantities"]],
        duration_fillers=[w.lower() for w in data["duration_fillers"]],
        duration_not_after=[w.lower() for w in data["duration_not_after"]],
        bare_duration_units=[w.lower() for w in data["bare_duration_units"]],
        bare_duration_cues=[w.lower() for w in data["bare_duration_cues"]],
        duration_refused=frozenset(w.lower() for w in data["duration_refused"]),
        anaphoric_phrases=[w.lower() for w in data["anaphoric_phrases"]],
        anaphoric_after=[w.lower() for w in data["anaphoric_after"]],
        anaphoric_ordinals=[w.lower() for w in data["anaphoric_ordinals"]],
        anaphoric_periods=[w.lower() for w in data["anaphoric_periods"]],
        anaphoric_of_heads=[w.lower() for w in data["anaphoric_of_heads"]],
        year_not_after_words=frozenset(w.lower() for w in data["year_not_after_words"]),
        year_counted_nouns=frozenset(w.lower() for w in data["year_counted_nouns"]),
        year_count_modifiers=frozenset(w.lower() for w in data["year_count_modifiers"]),
        holidays={k: dict(v or {}) for k, v in data["holidays"].items()},
        clock_suffixes=list(data["clock_suffixes"]),
        clock_zones=list(data["clock_zones"]),
        era_before=list(data["era_before"]),
        era_after=list(data["era_after"]),
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
    # a fast pattern over the lowercased text for the rule's head word ("years", "day"): the rule's own
    # pattern, which opens on any word ("two", "several"), then runs only from ``back`` characters before
    # each head to ``ahead`` characters after it
    anchor: re.Pattern[str] | None = None
    back: int = 0
    ahead: int = 0


def _resolve_day(month: int, day: int, year: int | None, published: date | None) -> date | None | bool:
    """A day of a month; False when it cannot exist, None when it needs a year we do not have."""
    if year is not None:
        return _safe_date(year, month, day) or False
    if not 1 <= day <= 31 or _safe_date(2000, month, day) is None:
        return False
    if published is None:
        return None
    return _latest_on_or_before(month, day, published)


_YEAR_ANCHOR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _word_anchor(words: Any) -> re.Pattern[str]:
    """An anchor (over lowercased text) on any of ``words``."""
    return re.compile(rf"\b(?:{_alt(sorted({w.lower().rstrip('.') for w in words}))})\b")


def _head_anchor(phrases: Any) -> re.Pattern[str]:
    """An anchor on the last word of any of ``phrases`` ("this week" -> "week")."""
    return _word_anchor({p.split()[-1] for p in phrases})


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
    month_anchor = _word_anchor(lex.months)

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
    ), range_rule, "month", month_anchor, 40, 30))
    # March 30 to April 5; between April 1 and 3, 2016; Dec. 28, 2016 - Jan. 3, 2017
    rules.append(_Rule(re.compile(
        rf"{lead}\b(?P<m1>{mon})[ \t]+(?P<d1>{day})(?:,?[ \t]+(?P<y1>{year}))?{conn}"
        rf"(?:(?P<m2>{mon})[ \t]+)?(?P<d2>{day})(?:,?[ \t]+(?P<y2>{year}))?"
    ), range_tail_rule, "month", month_anchor, 40, 30))

    def single(m: re.Match[str], pub: date | None):
        month = month_of(m["mon"])
        d = _resolve_day(month, _day(m["day"]), _year(m["year"]), pub)
        if d is False:
            return None
        return d, d, "day"  # type: ignore[return-value]

    wd_lead = rf"(?:\b(?:{wd}),?[ \t]+(?:the[ \t]+)?)?"
    # [Wednesday,] Dec. 9[, 2015] / December 12, 2016
    rules.append(_Rule(re.compile(
        rf"{wd_lead}\b(?P<mon>{mon})(?:[ \t]+|(?<=\.))(?P<day>{day})(?:,?[ \t]+(?P<year>{year}))?"
    ), single, "month", month_anchor, 40, 12))
    # [Wednesday] 9 December [2015] / the 9th of December
    rules.append(_Rule(re.compile(
        rf"{wd_lead}\b(?P<day>{day})[ \t]+(?:of[ \t]+)?(?P<mon>{mon})(?:,?[ \t]+(?P<year>{year}))?"
    ), single, "month", month_anchor, 40, 12))

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
    ), month_rule, "month", month_anchor, 40, 20))

    # in 2015 / since 2014 / late 2016 / mid-2015 / early last year handled by relative periods
    year_parts = _alt(list(lex.year_parts))

    def year_rule(m: re.Match[str], pub: date | None):
        yr = int(m["year"])
        part = (m["part"] or "").lower().replace("-", "").strip()
        cue = (m["cue"] or "").lower()
        if _counts_something(m.string, m.end("year"), lex):
            return None
        if not part and not cue:
            # a bare year ("the 2016 summit"): not a number after "Resolution", "$", "about"
            before = m.string[max(0, m.start("year") - 24) : m.start("year")]
            if before.endswith(("$", "£", "€", "#", "-", "/")):
                return None
            prev = _PREV_WORD.search(before)
            if prev and prev.group(1).lower() in lex.year_not_after_words:
                return None
        if part:
            lo, hi = lex.year_parts[part]
            return date(yr, lo, 1), _month_end(yr, hi), "range"
        return date(yr, 1, 1), date(yr, 12, 31), "year"

    rules.append(_Rule(re.compile(
        rf"(?:\b(?P<cue>{cues})[ \t]+(?:the[ \t]+)?)?(?:\b(?P<part>{year_parts})(?:-|[ \t]+)(?:of[ \t]+)?)?"
        rf"(?<![\d,.])\b(?P<year>{year})(?![-–/]\d|[.,:]\d|[ \t]*%)",
        re.IGNORECASE,
    ), year_rule, "year", _YEAR_ANCHOR, 40, 6))

    # 1990-91 / 2015/16: a year range with a two-digit end (ambiguous with a month when it is 01-12)
    def short_year_range(m: re.Match[str], pub: date | None):
        y1, yy = int(m["y1"]), int(m["y2"])
        y2 = y1 // 100 * 100 + yy
        if yy <= 12 or y2 <= y1 or _counts_something(m.string, m.end(), lex):
            return None
        return date(y1, 1, 1), date(y2, 12, 31), "range"

    rules.append(_Rule(re.compile(
        r"(?<![\d,.])\b(?P<y1>(?:19|20)\d\d)[-–/](?P<y2>\d\d)(?![\w]|[.,]\d)"
    ), short_year_range, "year"))

    # the 1990s / the 2000s
    def decade(m: re.Match[str], pub: date | None):
        y = int(m["y"])
        return date(y, 1, 1), date(y + 9, 12, 31), "range"

    rules.append(_Rule(re.compile(r"(?<![\d,.])\b(?P<y>(?:19|20)\d0)['’]?s\b"), decade, "year"))

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
    ), weekday_rule, "weekday", _word_anchor(lex.weekdays), 20, 14))

    # today, yesterday, overnight, last night ...
    rel = lex.relative_days

    def rel_day(m: re.Match[str], pub: date | None):
        entry = rel[re.sub(r"\s+", " ", m["rel"].lower())]
        if pub is None:
            return None, None, entry["precision"]
        return (pub + timedelta(days=entry["start"]), pub + timedelta(days=entry["end"]), entry["precision"])

    rules.append(_Rule(
        re.compile(rf"\b(?P<rel>{_alt(list(rel))})\b(?![ \t]+of\b)", re.IGNORECASE), rel_day, "rel",
        _head_anchor(rel), max(map(len, rel)), 8,
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
            elif which == "next":
                monday += timedelta(days=7)
            first, last = monday, monday + timedelta(days=6)
            if part:
                lo, hi = lex.week_parts[part]
                first, last = monday + timedelta(days=lo), monday + timedelta(days=hi)
        elif unit == "month":
            y, mo = pub.year, pub.month
            if which == "last":
                y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
            elif which == "next":
                y, mo = (y, mo + 1) if mo < 12 else (y + 1, 1)
            first, last = date(y, mo, 1), _month_end(y, mo)
            if part:
                lo, hi = lex.month_parts[part]
                first, last = date(y, mo, lo), date(y, mo, min(hi, last.day))
        else:
            y = pub.year - 1 if which == "last" else pub.year + 1 if which == "next" else pub.year
            first, last = date(y, 1, 1), date(y, 12, 31)
            if part:
                lo, hi = lex.year_parts[part]
                first, last = date(y, lo, 1), _month_end(y, hi)
        if which == "later_this":
            first = max(first, pub)
        if which in ("this", "earlier_this"):
            last = min(last, pub)
            if which == "earlier_this":
                last = max(first, pub - timedelta(days=1))
        return first, last, entry["precision"]

    rules.append(_Rule(
        re.compile(rf"\b(?P<rel>{_alt(list(per))})\b", re.IGNORECASE), rel_period, "rel",
        _head_anchor(per), max(map(len, per)), 2,
    ))

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
        n = parse_number(m["n"].removesuffix("-plus"), article_as_one=True)
        if n is None:
            return None
        if pub is None:
            return None, None, "range"
        days = max(1, round(n * lex.span_units[m["unit"].lower()]))
        return pub - timedelta(days=days), pub, "range"

    rules.append(_Rule(re.compile(
        rf"\b(?:the|over[ \t]+the|in[ \t]+the)[ \t]+(?:past|last|previous)[ \t]+"
        rf"(?P<n>\d+|[a-z]+(?:-[a-z]+)?)(?:-?plus|\+)?[ \t]+(?P<unit>{units})\b",
        re.IGNORECASE,
    ), past_span, "past"))

    # three days ago / a week ago / four years ago / a few hours ago
    ago_units = _alt(lex.ago_units)
    unit_words = {*lex.ago_units, *lex.duration_units, *lex.bare_duration_units, *lex.anaphoric_periods}
    unit_anchor = re.compile(rf"\b(?:{_alt(sorted(unit_words))})\b")
    heads = {p.split()[-1] for p in lex.anaphoric_phrases} | set(lex.anaphoric_of_heads)
    head_anchor = re.compile(rf"\b(?:{_alt(sorted(heads))})\b")
    quants = _alt(lex.duration_quantities)
    count = rf"(?:\d+(?:\.\d+)?|(?i:{quants})|[a-zA-Z]+(?:-[a-z]+)?)"

    def ago(m: re.Match[str], pub: date | None):
        n = _count(m["n"], lex)
        if n is None:
            return None
        unit = m["unit"].lower().rstrip("s")
        precision = {"minute": "day", "hour": "day", "day": "day", "week": "week", "month": "month"}.get(
            unit, "year"
        )
        if pub is None:
            return None, None, precision
        if unit in ("minute", "hour"):
            hours = n if unit == "hour" else n / 60
            return pub - timedelta(days=1 if hours >= 12 else 0), pub, "range" if hours >= 12 else "day"
        if unit == "day":
            d = pub - timedelta(days=n)
            return d, d, "day"
        if unit == "week":
            d = pub - timedelta(days=7 * n)
            monday = d - timedelta(days=d.weekday())
            return monday, monday + timedelta(days=6), "week"
        if unit == "month":
            y, mo = divmod(pub.year * 12 + pub.month - 1 - int(n), 12)
            return date(y, mo + 1, 1), _month_end(y, mo + 1), "month"
        years = int(n) * (10 if unit == "decade" else 1)
        if unit == "decade":
            return date(pub.year - years - 1, 1, 1), date(pub.year - years + 1, 12, 31), "range"
        return date(pub.year - years, 1, 1), date(pub.year - years, 12, 31), "year"

    rules.append(_Rule(re.compile(
        rf"\b(?P<n>{count})[ \t]+(?:(?i:{_alt(lex.duration_fillers)})[ \t]+)?(?P<unit>(?i:{ago_units}))"
        rf"[ \t]+(?i:ago)\b"
    ), ago, "ago", unit_anchor, 60, 12))

    # ---- durations: "for two years", "45 minutes", "six or seven hours", "nearly four long years".
    # They date nothing: precision "duration", no start.
    dur_units = _alt(lex.duration_units)
    fillers = _alt(lex.duration_fillers)
    not_after = _alt(lex.duration_not_after)

    def duration(m: re.Match[str], pub: date | None):
        if m["n"].lower() in ("a", "an") and not m["n2"]:
            return None  # "2% a year": a rate
        if re.sub(r"[ \t]+", " ", m.group(0).lower()) in lex.duration_refused:
            return None
        if _count(m["n"], lex) is None or (m["n2"] and _count(m["n2"], lex) is None):
            return None
        return None, None, "duration"

    rules.append(_Rule(re.compile(
        rf"\b(?P<n>{count})(?:-?plus|\+)?(?:[ \t]+(?i:or|to)[ \t]+|[ \t]*[-–][ \t]*)?(?P<n2>(?<=[ \t-–])"
        rf"(?:\d+|[a-z]+))?[ \t]+(?:(?i:{fillers})[ \t]+)?(?P<unit>(?i:{dur_units}))\b"
        rf"(?![ \t]+(?i:{not_after})\b|-)"
    ), duration, "", unit_anchor, 45, 20))

    # "for years", "take weeks, if not months": a bare plural unit after a cue
    def bare_duration(m: re.Match[str], pub: date | None):
        return None, None, "duration"

    rules.append(_Rule(re.compile(
        rf"\b(?i:{_alt(lex.bare_duration_cues)}),?[ \t]+(?P<unit>(?i:{_alt(lex.bare_duration_units)}))\b"
        rf"(?![ \t]+(?i:ago|old)\b|-)"
    ), bare_duration, "", unit_anchor, 20, 20))

    # ---- anaphoric times, counted from another time of the text: unresolved, precision "anaphoric"
    def anaphoric(m: re.Match[str], pub: date | None):
        return None, None, "anaphoric"

    def anaphoric_count(m: re.Match[str], pub: date | None):
        if _count(m["n"], lex) is None:
            return None
        return None, None, "anaphoric"

    rules.append(_Rule(re.compile(
        rf"\b(?:{_alt(lex.anaphoric_phrases)})\b(?![ \t]+of\b)", re.IGNORECASE
    ), anaphoric, "", head_anchor, 30, 10))
    rules.append(_Rule(re.compile(
        rf"\b(?P<n>{count})[ \t]+(?:(?i:{fillers})[ \t]+)?(?i:{dur_units})[ \t]+"
        rf"(?i:{_alt(lex.anaphoric_after)})\b"
    ), anaphoric_count, "", unit_anchor, 45, 20))
    rules.append(_Rule(re.compile(
        rf"\b(?i:the)[ \t]+(?i:{_alt(lex.anaphoric_ordinals)})[ \t]+(?:(?i:few)[ \t]+)?"
        rf"(?i:{_alt(lex.anaphoric_periods)})\b(?![ \t]+(?i:of)[ \t]+(?:[A-Z0-9]|(?i:last|this|next)\b))",
    ), anaphoric, "", unit_anchor, 40, 20))
    rules.append(_Rule(re.compile(
        rf"\b(?i:the)[ \t]+(?:[a-z]+[ \t]+)?(?i:{_alt(lex.anaphoric_of_heads)})[ \t]+of[ \t]+"
        r"(?:the|that|this|a|an|his|her|its|their)[ \t]+[a-z]+(?:[ \t]+(?:attack|strike|bombing|raid))?\b"
    ), anaphoric, "", head_anchor, 30, 50))

    # ---- holidays: resolved like a date without a year when their day is fixed or ruled; lunar ones
    # (Ramadan, Eid) are found and left unresolved.
    hol = lex.holidays

    def holiday(m: re.Match[str], pub: date | None):
        rule = hol[re.sub(r"[ \t]+", " ", m["name"])]
        yr = _year(m["year"])
        cue = (m["cue"] or "").lower()
        if "month" not in rule:
            return None, None, "range"

        def on(y: int) -> date | None:
            if "day" in rule:
                return _safe_date(y, rule["month"], rule["day"])
            first = date(y, rule["month"], 1)
            return first + timedelta(days=(rule["weekday"] - first.weekday()) % 7 + 7 * (rule["nth"] - 1))

        if yr is not None:
            d = on(yr)
            return d, d, "day"
        if pub is None:
            return None, None, "range"
        if cue == "next":
            d = on(pub.year)
            if d is None or d <= pub:
                d = on(pub.year + 1)
            return d, d, "day"
        d = on(pub.year)
        if d is None or d > pub or (cue == "last" and d == pub):
            d = on(pub.year - 1)
        return d, d, "day"

    rules.append(_Rule(re.compile(
        rf"(?:\b(?P<cue>(?i:this|last|next))[ \t]+)?\b(?P<name>{_alt(list(hol))})(?![\w-])"
        rf"(?:,?[ \t]+(?P<year>{year}))?"
    ), holiday, "holiday"))

    # ---- clock times: "10 a.m.", "14:30 GMT", "0900 local time", "11am"
    suffixes = "|".join(re.escape(x) + ("" if x.endswith(".") else r"\b") for x in lex.clock_suffixes)
    zones = _alt(lex.clock_zones)
    rules.append(_Rule(re.compile(
        rf"(?<![\d:.,])\b(?:(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?[ \t]*(?i:{suffixes})"
        rf"(?:[ \t]+(?:{zones})\b)?"
        rf"|(?:[01]?\d|2[0-3]):[0-5]\d(?:[ \t]*(?:{zones})\b)?"
        rf"|(?:[01]\d|2[0-3])[.]?[0-5]\d[ \t]*(?:{zones})\b)(?![:\d])"
    ), anaphoric, "clock"))

    # ---- years of an era: "575 B.C.", "AD 632"
    def era(m: re.Match[str], pub: date | None):
        y = int(m["y1"] or m["y2"])
        if m["bc"] or y < 1:
            return None, None, "year"
        return date(y, 1, 1), date(y, 12, 31), "year"

    before_era = "|".join(re.escape(x) + ("" if x.endswith(".") else r"\b") for x in lex.era_before)
    rules.append(_Rule(re.compile(
        rf"\b(?P<y1>\d{{1,4}})[ \t]*(?:(?P<bc>{before_era})|(?:{_alt(lex.era_after)})\b)"
        rf"|\b(?:{_alt(lex.era_after)})[ \t]+(?P<y2>\d{{1,4}})\b"
    ), era, "era"))
    return rules


_NEXT_WORD = re.compile(r",?[ \t]+([a-z]+)\b")
_PREV_WORD = re.compile(r"([A-Za-z]+\.?)[ \t]*$")
_FOLLOWING = re.compile(r"(?:[ \t]+(?:and|or|to|-|–)[ \t]*\d[\d,]*)?[ \t]+([A-Za-z]+)(?:[ \t]+([A-Za-z]+))?")


def _counts_something(text: str, end: int, lex: _TimeLexicon) -> bool:
    """True when the number ending at ``end`` counts people or things ("2000 fighters", "2014 and 2016
    barrels", "2000 more troops"): it is then no year."""
    m = _FOLLOWING.match(text, end)
    if m is None:
        return False
    first = m.group(1).lower()
    if first in lex.year_counted_nouns:
        return True
    second = (m.group(2) or "").lower()
    return first in lex.year_count_modifiers and second in lex.year_counted_nouns


def _count(raw: str, lex: _TimeLexicon) -> float | None:
    """The count of a duration or "ago": digits, number words, or a quantity word ("several")."""
    low = re.sub(r"[ \t]+", " ", raw.lower())
    if low in lex.duration_quantities:
        return 3
    if low[0].isdigit():
        return float(low)
    return parse_number(low.removesuffix("-plus"), article_as_one=True)

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
    holiday = re.compile(rf"\b(?:{_alt(list(lex.holidays))})")
    clock = re.compile(r"\d(?::\d|[ \t]*[ap]\.?m\b|[ \t]*(?:gmt|utc|zulu|local|hrs|hours))")
    era = re.compile(r"\d[ \t]*B\.?C|\bA\.?D\b|\bCE\b")
    era_letters = ("BC", "B.C", "AD", "A.D", "CE")
    return {
        "month": lambda text, low: month.search(text) is not None,
        "year": lambda text, low: year.search(text) is not None,
        "weekday": lambda text, low: "day" in low and weekday.search(text) is not None,
        "rel": lambda text, low: any(h in low for h in heads),
        "past": lambda text, low: "past" in low or "last" in low or "previous" in low,
        "ago": lambda text, low: "ago" in low,
        "holiday": lambda text, low: holiday.search(text) is not None,
        "clock": lambda text, low: clock.search(low) is not None,
        "era": lambda text, low: any(x in text for x in era_letters) and era.search(text) is not None,
        "ordinal": lambda text, low: ordinal.search(low) is not None,
        "season": lambda text, low: any(name in low for name in lex.seasons),
    }


def _matches(
    rule: _Rule, text: str, low: str, heads: dict[int, list[tuple[int, int]]]
) -> Iterator[re.Match[str]]:
    """The rule's matches in ``text``; with an anchor, only in the windows around its head words (found
    once per text for all the rules that share the anchor, in ``heads``)."""
    if rule.anchor is None or len(low) != len(text):
        yield from rule.pattern.finditer(text)
        return
    found = heads.get(id(rule.anchor))
    if found is None:
        found = heads[id(rule.anchor)] = [a.span() for a in rule.anchor.finditer(low)]
    windows: list[list[int]] = []
    for a_start, a_end in found:
        lo, hi = max(0, a_start - rule.back), min(len(text), a_end + rule.ahead)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    last_end = -1
    for lo, hi in windows:
        for m in rule.pattern.finditer(text, lo, hi):
            if m.start() >= last_end:
                last_end = m.end()
                yield m


_JOINER = re.compile(r"[ \t,]*(?:(?:on|at|in|of)[ \t]+)?$")


_Found = tuple[int, int, DateSpan]


def _absorb_times_of_day(text: str, chosen: list[_Found]) -> list[_Found]:
    """An anaphoric mention right next to a dated one ("Dec. 9 at dawn", "10 a.m. Nov. 29") names a time
    of that day, not another time of the text: the two become one mention with the date's span."""
    out: list[_Found] = []
    for s, e, span in chosen:
        prev = out[-1] if out else None
        if prev is not None and e - prev[0] <= 80 and _JOINER.match(text[prev[1] : s]) and (
            (span.precision == "anaphoric" and prev[2].start is not None)
            or (prev[2].precision == "anaphoric" and span.start is not None)
        ):
            keep = prev[2] if span.precision == "anaphoric" else span
            out[-1] = (prev[0], e, replace(keep, text=text[prev[0] : e]))
            continue
        out.append((s, e, span))
    return out


def find_times(text: str, published: date | None) -> list[TimeMention]:
    """Every time expression in ``text``, left to right, resolved against ``published``.

    Overlapping readings keep the longest ("30 March to 5 April" is one range, not two days).
    """
    if not text:
        return []
    low = text.lower()
    tests = _gate_tests()
    passed: dict[str, bool] = {}
    heads: dict[int, list[tuple[int, int]]] = {}
    found: list[tuple[int, int, DateSpan]] = []
    for rule in _rules():
        if rule.gate:
            ok = passed.get(rule.gate)
            if ok is None:
                ok = passed[rule.gate] = tests[rule.gate](text, low)
            if not ok:
                continue
        for m in _matches(rule, text, low, heads):
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
    chosen = _absorb_times_of_day(text, chosen)
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
