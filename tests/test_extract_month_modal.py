"""The month May is a date, not the hedge "may": a dated strike is still an event."""

from __future__ import annotations

from datetime import date

import pytest

from strikewatch.pipeline import extract_text

PUBLISHED = date(2017, 5, 20)


@pytest.mark.parametrize(
    "sentence, start",
    [
        ("On 9 May 2017, Turkish jets struck PKK positions near Sinjar.", "2017-05-09"),
        ("May 12: Iraqi helicopters struck an ISIS convoy near Tal Afar.", "2017-05-12"),
        ("In May, Russian aircraft bombed a market in Maarat al-Numan.", "2017-05-01"),
    ],
)
def test_a_strike_dated_in_may_is_an_event(sentence: str, start: str) -> None:
    events = extract_text(sentence, published=PUBLISHED).events
    assert len(events) == 1
    assert events[0].date.start == start


def test_the_modal_may_is_still_not_an_event() -> None:
    plan = "Turkish jets may strike PKK positions near Sinjar."
    assert extract_text(plan, published=PUBLISHED).events == []
