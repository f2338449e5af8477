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


# ------------------------------------------------------------------- expressions of real reporting
# (issue 12: durations, future and "ago" times, anaphoric times, bare years, holidays, clock times)

MON = date(2016, 11, 21)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The garrison held out for two years.", ["two years"]),
        ("The meeting lasted 45 minutes.", ["45 minutes"]),
        ("The valley was cut off for nearly four long years.", ["four long years"]),
        ("Residents sheltered for six or seven hours.", ["six or seven hours"]),
        ("After 3 more days of shelling the road reopened.", ["3 more days"]),
        ("Clearing the old town could take weeks, if not months.", ["take weeks", "if not months"]),
        ("The battalion stayed 12 months in the province.", ["12 months"]),
    ],
)
def test_durations_date_nothing(text: str, expected: list[str]) -> None:
    found = find_times(text, MON)
    assert [t.text for t in found] == expected
    assert all((t.span.start, t.span.end, t.span.precision) == (None, None, "duration") for t in found)


@pytest.mark.parametrize(
    "text",
    [
        "The commander is forty years old.",
        "The economy grew 3% a year.",
        "Guards were paid two dinars an hour.",
        "One day the river will run clean again.",
        "A second round of talks opened.",
        "He had lived there for years.",  # a vague adverbial, not a time of the text
        "Shelling hit the market almost every day.",  # a recurrence
    ],
)
def test_not_durations(text: str) -> None:
    assert find_times(text, MON) == []


def test_past_span_in_months_and_plus() -> None:
    start = (MON - timedelta(days=20 * 30)).isoformat()  # a month counts as 30 days back from publication
    found = one("Over the past 20-plus months the front barely moved.", MON)
    assert found == (start, MON.isoformat(), "range")
    assert one("Aid fell over the last two years.", MON)[2] == "range"


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The drill will be held next year.", MON, ("2017-01-01", "2017-12-31", "year")),
        ("A new offensive is planned for early next year.", MON, ("2017-01-01", "2017-04-30", "range")),
        ("Talks resume next month.", date(2016, 12, 5), ("2017-01-01", "2017-01-31", "month")),
        ("Inspectors arrive next week.", MON, ("2016-11-28", "2016-12-04", "week")),
        ("The envoy flies to Geneva tomorrow.", MON, ("2016-11-22", "2016-11-22", "day")),
        ("The base should close before the end of the year.", MON, ("2016-09-01", "2016-12-31", "range")),
        ("More convoys are expected in the coming days.", MON, ("2016-11-21", "2016-11-28", "range")),
        ("Elections are due later this year.", MON, ("2016-11-21", "2016-12-31", "range")),
    ],
)
def test_future_relative_times(text: str, published: date, expected: tuple) -> None:
    assert one(text, published) == expected


def test_future_relative_times_need_a_publication_date() -> None:
    found = find_times("The envoy returns tomorrow and the drill is next year.", None)
    assert [(t.text, t.span.start, t.span.precision) for t in found] == [
        ("tomorrow", None, "day"),
        ("next year", None, "year"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The siege began four years ago.", ("2012-01-01", "2012-12-31", "year")),
        ("A year ago, the bridge was still standing.", ("2015-01-01", "2015-12-31", "year")),
        ("The well was poisoned eleven months ago.", ("2015-12-01", "2015-12-31", "month")),
        ("The checkpoint fell three hours ago.", (MON.isoformat(), MON.isoformat(), "day")),
        ("Jets struck three days ago.", ("2016-11-18", "2016-11-18", "day")),
    ],
)
def test_ago_in_hours_months_and_years(text: str, expected: tuple) -> None:
    assert one(text, MON) == expected


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The following day, the militia withdrew.", "The following day"),
        ("The crossing reopened four days later.", "four days later"),
        ("Later in the day, a second car exploded.", "Later in the day"),
        ("The curfew had begun a few hours before.", "a few hours before"),
        ("Ten civilians died in the first week of the offensive.", "the first week"),
        ("He escaped on the night of the ambush.", "the night of the ambush"),
        ("Two weeks after the vote, the council met.", "Two weeks after"),
        ("The patrol will move at dawn.", "at dawn"),
    ],
)
def test_anaphoric_times_stay_unresolved(text: str, phrase: str) -> None:
    found = find_times(text, MON)
    assert [(t.text, t.span.start, t.span.end, t.span.precision) for t in found] == [
        (phrase, None, None, "anaphoric")
    ]


def test_a_time_of_day_next_to_a_date_is_part_of_it() -> None:
    assert spans("The briefing opens at 10 a.m. Nov. 29, 2016 in the hall.", None) == [
        ("10 a.m. Nov. 29, 2016", "2016-11-29", "2016-11-29", "day")
    ]
    assert spans("Jets hit the dam on Nov. 3 at dawn.", MON) == [
        ("Nov. 3 at dawn", "2016-11-03", "2016-11-03", "day")
    ]


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("The ceasefire starts at 14:30 GMT.", "14:30 GMT"),
        ("Sirens sounded at 10 a.m. and again later.", "10 a.m."),
        ("The convoy left at 0900 local time.", "0900 local time"),
        ("Voting closes at 7pm.", "7pm"),
    ],
)
def test_clock_times(text: str, clock: str) -> None:
    assert spans(text, MON) == [(clock, None, None, "anaphoric")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The 2014 offensive emptied the valley.", ("2014-01-01", "2014-12-31", "year")),
        ("The 1913 treaty fixed the border.", ("1913-01-01", "1913-12-31", "year")),
        ("Veterans of the wars of 1980-88 marched.", ("1980-01-01", "1988-12-31", "range")),
        ("The 2015/16 winter was harsh.", ("2015-01-01", "2016-12-31", "range")),
        ("Militias of the 1990s rearmed.", ("1990-01-01", "1999-12-31", "range")),
        ("The ruins date from 575 B.C. and earlier.", (None, None, "year")),
    ],
)
def test_bare_years(text: str, expected: tuple) -> None:
    assert one(text, None) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Some 2000 fighters joined the assault.",
        "Nearly 2000 more troops arrived.",
        "Resolution 2254 was adopted.",
        "The fund paid $2016 to each family.",
        "Police counted 1,500 people and 2015 tents.",
        "The bus carried 2010 civilian passengers and 2012 displaced families.",
        "The report gives 2009-10 as the period.",  # October 2009 or 2009-2010: unknown is null
    ],
)
def test_counts_are_not_bare_years(text: str) -> None:
    assert [t.text for t in find_times(text, None)] == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("A soldier died on Thanksgiving Day.", date(2016, 11, 28), ("2016-11-24", "2016-11-24", "day")),
        ("A soldier died on Thanksgiving Day.", date(2016, 11, 20), ("2015-11-26", "2015-11-26", "day")),
        ("The truce held over Christmas 2015.", None, ("2015-12-25", "2015-12-25", "day")),
        ("Markets were shelled on New Year's Eve.", date(2017, 1, 2), ("2016-12-31", "2016-12-31", "day")),
        ("The truce may last until next Christmas.", MON, ("2016-12-25", "2016-12-25", "day")),
        ("A soldier died on Thanksgiving Day.", None, (None, None, "range")),
        ("The market was bombed during Ramadan.", MON, (None, None, "range")),
        ("Families shopped for Eid al-Adha.", MON, (None, None, "range")),
    ],
)
def test_holidays(text: str, published: date | None, expected: tuple) -> None:
    assert one(text, published) == expected


def test_holiday_names_inside_other_words_are_not_holidays() -> None:
    assert find_times("Eastern villages and the Eidan family were spared.", MON) == []


def test_abbreviated_month_glued_to_its_day() -> None:
    assert one("He spoke at the Dec.14th press conference.", WED) == ("2016-12-14", "2016-12-14", "day")


def test_head_word_windows_find_what_the_full_patterns_find() -> None:
    """The anchors only skip text: running every pattern over the whole text finds the same mentions."""
    import dataclasses

    from strikewatch.extract import timex

    texts = [
        "From 3 to 5 May 2016 and again between April 1 and 3, 2016, strikes hit the town; Dec. 28, 2016 - "
        "Jan. 3, 2017 was quiet. The garrison held out for nearly four long years, and four days later "
        "the following day came. Late last year and early next year, in the coming days, last Wednesday "
        "night, throughout the beginning of March 2015, the 2014 offensive, 2000 fighters.",
        "Wednesday, the 9 December 2015, and December 11 and 12 2016, and the first week of the offensive.",
    ]
    anchored = [[(t.start, t.end, t.span) for t in find_times(x, MON)] for x in texts]
    rules = timex._rules()
    saved = list(rules)
    try:
        rules[:] = [dataclasses.replace(r, anchor=None) for r in rules]
        plain = [[(t.start, t.end, t.span) for t in find_times(x, MON)] for x in texts]
    finally:
        rules[:] = saved
    assert anchored == plain
    assert all(anchored)


def test_hours_counted_are_no_clock_time() -> None:
    assert spans("The talks ran for 100 hours.", MON) == [("100 hours", None, None, "duration")]
