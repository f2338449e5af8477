"""Time expressions resolved against the publication date (strikewatch.extract.timex)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strikewatch.extract.timex import find_times, resolve_time

WED = date(2017, 1, 4)  # a Wednesday, early in January: yearless December dates fall in 2016


def spans(text: str, published: date | None) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(t.text, t.span.start, t.span.end, t.span.precision) for t in find_times(text, published)]


def one(text: str, published: date | None) -> tuple[str | None, str | None, str | None]:
    found = find_times(text, published)
    assert len(found) == 1, found
    span = found[0].span
    return span.start, span.end, span.precision


# ------------------------------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jets hit the bridge on Dec. 9 at dawn.", "2016-12-09"),
        ("Artillery fire resumed on December 9.", "2016-12-09"),
        ("Shelling was reported on 9 December.", "2016-12-09"),
        ("The depot burned on the 9th of December.", "2016-12-09"),
        ("Clashes broke out on Nov. 1 near the dam.", "2016-11-01"),
        ("The convoy was struck on Sept. 30.", "2016-09-30"),
        ("The raid took place on December 12, 2015.", "2015-12-12"),
        ("The raid took place on 12 December 2015.", "2015-12-12"),
        ("The raid took place on Wednesday, Dec. 28.", "2016-12-28"),
        ("The raid took place on 2016-03-02.", "2016-03-02"),
    ],
)
def test_absolute_days(text: str, expected: str) -> None:
    assert one(text, WED) == (expected, expected, "day")


def test_yearless_date_rolls_back_across_new_year() -> None:
    # published on 4 January 2017: "Dec. 30" is the December just past, "Jan. 2" this year's
    assert one("A strike on Dec. 30 hit a school.", WED)[0] == "2016-12-30"
    assert one("A strike on Jan. 2 hit a school.", WED)[0] == "2017-01-02"
    # a date later in the year than publication belongs to the previous year
    assert one("A strike on Jan. 5 hit a school.", WED)[0] == "2016-01-05"


def test_yearless_date_on_publication_day_is_that_day() -> None:
    assert one("Fighting on January 4 left the road closed.", WED)[0] == "2017-01-04"


def test_february_29_without_year_finds_a_leap_year() -> None:
    assert one("Shelling on Feb. 29 damaged the clinic.", date(2017, 6, 1))[0] == "2016-02-29"


def test_impossible_day_is_not_a_date() -> None:
    assert find_times("Shelling on April 31 damaged the clinic.", WED) == []


def test_month_names_as_verbs_and_names_are_not_dates() -> None:
    assert find_times("Protesters may march to the square.", WED) == []
    assert find_times("The Mar Elias monastery was shelled.", WED) == []


# ------------------------------------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("The offensive ran from 30 March to 5 April.", "2016-03-30", "2016-04-05"),
        ("Strikes were carried out between April 1 and 3.", "2016-04-01", "2016-04-03"),
        ("Strikes were carried out from 3 to 5 May.", "2016-05-03", "2016-05-05"),
        ("Strikes were carried out on 3-5 May 2015.", "2015-05-03", "2015-05-05"),
        ("The siege lasted from March 30 to April 5.", "2016-03-30", "2016-04-05"),
        ("The siege lasted from Dec. 28, 2015 to Jan. 3, 2016.", "2015-12-28", "2016-01-03"),
        # a yearless range across New Year ends on or before publication
        ("Raids from December 28 to January 3 hit the suburbs.", "2016-12-28", "2017-01-03"),
    ],
)
def test_ranges(text: str, start: str, end: str) -> None:
    assert one(text, WED) == (start, end, "range")


def test_range_text_covers_both_ends() -> None:
    (mention,) = find_times("The offensive ran from 30 March to 5 April.", WED)
    assert mention.text == "from 30 March to 5 April"


def test_day_followed_by_a_count_is_not_a_range() -> None:
    found = spans("On April 1 and 3 strikes hit the town.", WED)
    assert found == [("April 1", "2016-04-01", "2016-04-01", "day")]


# ------------------------------------------------------------------------------------------ weekdays


def test_weekday_on_its_own_day_means_that_day() -> None:
    assert one("Jets struck the airport on Wednesday.", WED) == ("2017-01-04", "2017-01-04", "day")


def test_weekday_is_latest_on_or_before_publication() -> None:
    assert one("Jets struck the airport on Thursday.", WED)[0] == "2016-12-29"
    assert one("Jets struck the airport on Tuesday.", WED)[0] == "2017-01-03"
    assert one("Jets struck the airport on Sunday.", WED)[0] == "2017-01-01"


def test_last_weekday_is_strictly_before_publication() -> None:
    assert one("Jets struck the airport last Wednesday.", WED)[0] == "2016-12-28"
    assert one("Jets struck the airport last Friday.", WED)[0] == "2016-12-30"


def test_weekday_with_part_of_day() -> None:
    found = find_times("Shells fell on Tuesday night and again on Friday morning.", WED)
    assert [(t.text, t.span.start) for t in found] == [
        ("Tuesday night", "2017-01-03"),
        ("Friday morning", "2016-12-30"),
    ]


# ------------------------------------------------------------------------------------ relative days


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    [
        ("yesterday", "2017-01-03", "2017-01-03", "day"),
        ("today", "2017-01-04", "2017-01-04", "day"),
        ("this morning", "2017-01-04", "2017-01-04", "day"),
        ("overnight", "2017-01-03", "2017-01-04", "range"),
        ("last night", "2017-01-03", "2017-01-04", "range"),
        ("earlier this week", "2017-01-02", "2017-01-03", "range"),
        ("this week", "2017-01-02", "2017-01-04", "week"),
        ("last week", "2016-12-26", "2017-01-01", "week"),
        ("last month", "2016-12-01", "2016-12-31", "month"),
        ("late last year", "2016-09-01", "2016-12-31", "range"),
        ("last year", "2016-01-01", "2016-12-31", "year"),
        ("in March", "2016-03-01", "2016-03-31", "month"),
        ("in 2015", "2015-01-01", "2015-12-31", "year"),
        ("in the past 24 hours", "2017-01-03", "2017-01-04", "range"),
        ("over the past three days", "2017-01-01", "2017-01-04", "range"),
        ("three days ago", "2017-01-01", "2017-01-01", "day"),
        ("two weeks ago", "2016-12-19", "2016-12-25", "week"),
        ("in early March", "2016-03-01", "2016-03-10", "range"),
        ("in mid-2015", "2015-05-01", "2015-08-31", "range"),
        ("in late 2016", "2016-09-01", "2016-12-31", "range"),
        ("in March 2016", "2016-03-01", "2016-03-31", "month"),
    ],
)
def test_relative_expressions(phrase: str, start: str, end: str, precision: str) -> None:
    sentence = f"Government forces shelled the village {phrase}, residents said."
    found = find_times(sentence, WED)
    assert len(found) == 1, found
    assert found[0].text.lower() == phrase.lower() or phrase.lower().endswith(found[0].text.lower())
    assert (found[0].span.start, found[0].span.end, found[0].span.precision) == (start, end, precision)


def test_earlier_this_year_in_january() -> None:
    assert one("Fighting flared earlier this year.", date(2017, 3, 15)) == (
        "2017-01-01",
        "2017-03-14",
        "range",
    )


def test_this_month_ends_at_publication() -> None:
    assert one("Strikes intensified this month.", date(2016, 6, 10)) == ("2016-06-01", "2016-06-10", "month")


def test_in_month_of_publication_is_this_year() -> None:
    assert one("Strikes intensified in June.", date(2016, 6, 10))[0] == "2016-06-01"
    assert one("Strikes intensified in July.", date(2016, 6, 10))[0] == "2015-07-01"


# ------------------------------------------------------------------------------- no publication date


def test_without_publication_relative_expressions_stay_unresolved() -> None:
    found = find_times("On Wednesday and again yesterday, and last week, jets struck the bridge.", None)
    assert [t.text for t in found] == ["Wednesday", "yesterday", "last week"]
    assert all(t.span.start is None and t.span.end is None for t in found)
    assert [t.span.precision for t in found] == ["day", "day", "week"]


def test_without_publication_yearless_dates_stay_unresolved() -> None:
    found = find_times("The bridge was hit on Dec. 9.", None)
    assert [(t.text, t.span.start) for t in found] == [("Dec. 9", None)]


def test_without_publication_dates_with_year_resolve() -> None:
    assert one("The bridge was hit on December 12, 2016.", None) == ("2016-12-12", "2016-12-12", "day")
    assert one("The siege lasted from 30 March to 5 April 2016.", None) == (
        "2016-03-30",
        "2016-04-05",
        "range",
    )
    assert one("The town changed hands in 2015.", None) == ("2015-01-01", "2015-12-31", "year")


# ----------------------------------------------------------------------------------- spans and API


def test_spans_point_into_the_text() -> None:
    text = "Officials said that on Dec. 9 and again yesterday the airport was shelled."
    for t in find_times(text, WED):
        assert text[t.start : t.end] == t.text == t.span.text


def test_counts_and_plain_years_are_not_dates() -> None:
    assert find_times("Nine strikes destroyed 2015 barrels and 12 vehicles.", WED) == []


def test_resolve_time() -> None:
    assert resolve_time("last Friday", WED).start == "2016-12-30"
    span = resolve_time("30 March to 5 April", WED)
    assert (span.start, span.end, span.precision) == ("2016-03-30", "2016-04-05", "range")
    assert resolve_time("near the river", WED) is None
    unresolved = resolve_time("yesterday", None)
    assert unresolved is not None and unresolved.start is None


# ------------------------------------------------------------------------------------- properties

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)), st.booleans())
def test_full_dates_resolve_to_themselves(day: date, day_first: bool) -> None:
    words = (
        f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if day_first
        else f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    )
    assert one(f"The strike on {words} hit a bridge.", None)[0] == day.isoformat()


@given(
    st.dates(min_value=date(2000, 3, 1), max_value=date(2030, 12, 31)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)),
)
def test_yearless_dates_fall_within_the_year_before_publication(published: date, day: date) -> None:
    start = one(f"The strike on {MONTHS[day.month - 1]} {day.day} hit a bridge.", published)[0]
    assert start is not None
    resolved = date.fromisoformat(start)
    assert resolved <= published
    assert (resolved.month, resolved.day) == (day.month, day.day)
    limit = 4 * 366 if (day.month, day.day) == (2, 29) else 366
    assert published - resolved < timedelta(days=limit)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 6))
def test_weekdays_fall_in_the_week_before_publication(published: date, weekday: int) -> None:
    name = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday]
    start = one(f"Jets struck the bridge on {name}.", published)[0]
    resolved = date.fromisoformat(start)
    assert resolved.weekday() == weekday
    assert timedelta(0) <= published - resolved < timedelta(days=7)


def test_month_of_last_year() -> None:
    published = date(2016, 12, 12)
    assert one("The group first seized the town in May last year.", published) == (
        "2015-05-01",
        "2015-05-31",
        "month",
    )
    assert one("It was shelled in late March this year.", published) == ("2016-03-21", "2016-03-31", "range")


def test_since_gives_the_start_of_the_state() -> None:
    # "held since June 2014": the event that began it (the capture) happened in June 2014
    published = date(2016, 12, 12)
    assert one("The town has been besieged since early 2014.", published) == (
        "2014-01-01",
        "2014-04-30",
        "range",
    )
    assert one("The town has been besieged since June 2014.", published) == (
        "2014-06-01",
        "2014-06-30",
        "month",
    )


def test_relative_day_phrase_followed_by_of_is_not_today() -> None:
    found = find_times("The raid began in the early hours of Sunday.", WED)
    assert [(t.text, t.span.start) for t in found] == [("Sunday", "2017-01-01")]
    assert one("The raid began in the early hours.", WED)[0] == "2017-01-04"


def test_abbreviated_month_with_year() -> None:
    assert one("Raids intensified in Dec. 2015.", WED) == ("2015-12-01", "2015-12-31", "month")


def test_weekend() -> None:
    # published on Wednesday 4 January 2017: the weekend just past is 31 December - 1 January
    assert one("Shelling continued over the weekend.", WED) == ("2016-12-31", "2017-01-01", "range")
    # published on a Sunday: the weekend still running, up to that day
    assert one("Shelling continued this weekend.", date(2017, 1, 8)) == ("2017-01-07", "2017-01-08", "range")


def test_seasons() -> None:
    published = date(2016, 10, 5)
    assert one("The town fell last summer.", published) == ("2016-06-01", "2016-08-31", "range")
    assert one("The town fell in summer 2015.", published) == ("2015-06-01", "2015-08-31", "range")
    assert one("The town fell in the spring.", published) == ("2016-03-01", "2016-05-31", "range")
    assert one("The town fell last winter.", published) == ("2015-12-01", "2016-02-29", "range")
    assert find_times("They feared the fall of the city after the Arab Spring.", published) == []


WORDS = [
    "killed",
    "on",
    "Wednesday",
    "last",
    "Friday",
    "Dec.",
    "9",
    "9",
    "December",
    "2016",
    "between",
    "and",
    "to",
    "from",
    "30",
    "March",
    "5",
    "April",
    "in",
    "since",
    "early",
    "late",
    "mid-",
    "yesterday",
    "overnight",
    "past",
    "24",
    "hours",
    "ago",
    "weeks",
    "this",
    "week",
    "the",
    "weekend",
    "summer",
    "fall",
    "of",
    ",",
    ".",
]


@given(st.lists(st.sampled_from(WORDS), max_size=20), st.one_of(st.none(), st.dates()))
def test_any_word_salad_gives_consistent_spans(words: list[str], published: date | None) -> None:
    text = " ".join(words)
    for t in find_times(text, published):
        assert text[t.start : t.end] == t.text
        assert (t.span.start is None) == (t.span.end is None)
        if t.span.start is not None:
            assert t.span.start <= t.span.end
            assert t.span.precision in ("day", "range", "week", "month", "year")


@given(st.text(max_size=60), st.one_of(st.none(), st.dates()))
def test_arbitrary_text_never_raises(text: str, published: date | None) -> None:
    find_times(text, published)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The depot was hit on 13/11/2016.", ("2016-11-13", "2016-11-13", "day")),
        ("The depot was hit on 11/13/2016.", ("2016-11-13", "2016-11-13", "day")),
        ("The depot was hit on 13.11.2016.", ("2016-11-13", "2016-11-13", "day")),
        # day and month cannot be told apart: found, but not resolved
        ("The depot was hit on 03/04/2016.", (None, None, "day")),
    ],
)
def test_numeric_dates(text: str, expected: tuple) -> None:
    assert one(text, None) == expected


def test_week_of_month() -> None:
    published = date(2016, 11, 21)
    assert one("Raids peaked in the first week of November.", published) == (
        "2016-11-01",
        "2016-11-07",
        "range",
    )
    assert one("Raids peaked in the last week of October 2015.", published) == (
        "2015-10-25",
        "2015-10-31",
        "range",
    )


def test_year_ranges() -> None:
    assert one("The town was besieged between 2014 and 2016.", None) == ("2014-01-01", "2016-12-31", "range")
    assert one("The siege (2014-2016) ended.", None) == ("2014-01-01", "2016-12-31", "range")
    assert find_times("In all, 2014 and 2016 barrels were found.", None) == []


def test_ordinal_day_of_month() -> None:
    published = date(2016, 11, 21)  # a Monday
    assert one("Jets struck on the 9th, residents said.", published)[0] == "2016-11-09"
    assert one("Jets struck on Monday 14th.", published)[0] == "2016-11-14"
    assert find_times("The 5th attack hit the 3rd Division.", published) == []
