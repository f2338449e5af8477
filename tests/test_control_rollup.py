"""How the places around a city roll up into its answer (fuse.control.roll_up): the rule, on answers
built here."""

from __future__ import annotations

from strikewatch.fuse.control import roll_up


def _part(place: str, holder: str | None, since: str = "2016-03-01", events=()) -> dict:
    return {"place": place, "holder": holder, "since": since, "until": None, "events": list(events),
            "stative": [], "contested": False}


NOBODY = {"holder": None, "since": None, "until": None, "events": [], "stative": [], "contested": False}


def test_the_holder_of_most_quarters_is_the_city_answer_with_a_partial_note() -> None:
    parts = [_part(f"Q{i}", "Army", since=f"2016-03-0{i}", events=[f"e{i}"]) for i in range(1, 6)]
    parts += [_part("R1", "Rebels", events=["r1"]), _part("R2", "Rebels", events=["r2"]), _part("U", None)]
    out = roll_up(NOBODY, parts, feature="city")
    assert out["holder"] == "Army" and out["holder_basis"] == "quarters" and out["contested"]
    assert out["summary"] == "Army, all but two quarters held by Rebels"
    assert out["since"] == "2016-03-05"  # when the last of its quarters was taken
    assert out["events"] == ["e1", "e2", "e3", "e4", "e5", "r1", "r2"]
    assert out["rollup"]["unknown"] == 1 and out["rollup"]["held"] == 5


def test_several_other_holders_are_each_counted() -> None:
    parts = [_part(f"Q{i}", "Army") for i in range(4)] + [_part("R", "Rebels"), _part("I", "ISIS")]
    out = roll_up(NOBODY, parts, feature="town")
    assert out["partial_note"] == "all but two quarters held by ISIS (1) and Rebels (1)"


def test_a_tie_names_no_holder() -> None:
    out = roll_up(NOBODY, [_part("A", "Army"), _part("R", "Rebels")], feature="city")
    assert out["holder"] is None and out["rollup"]["holder"] is None
    assert out["summary"] == "no single holder (split: one quarter held by Army; one quarter held by Rebels)"


def test_a_city_with_its_own_answer_keeps_it() -> None:
    own = {**NOBODY, "holder": "Rebels", "since": "2016-01-01", "events": ["c1"]}
    out = roll_up(own, [_part("A", "Army"), _part("B", "Army")], feature="city")
    assert out["holder"] == "Rebels" and out["holder_basis"] == "place" and out["events"] == ["c1"]
    assert out["summary"] == "Rebels; around it, two quarters held by Army"
    same = roll_up({**own, "holder": "Army"}, [_part("A", "Army"), _part("B", "Army")], feature="city")
    assert same["summary"] == "Army, all two quarters whose holder is known"


def test_a_quarter_does_not_roll_up_its_neighbours() -> None:
    out = roll_up(NOBODY, [_part("A", "Army")], feature="neighbourhood")
    assert out["holder"] is None and out["rollup"] is None and out["partial"]
    # the gazetteer's kind unknown: only a place no report speaks of itself rolls up
    assert roll_up(NOBODY, [_part("A", "Army")], own_timeline=True)["holder"] is None
    assert roll_up(NOBODY, [_part("A", "Army")], own_timeline=False)["holder"] == "Army"


def test_a_city_whose_own_timeline_says_the_holder_is_unknown_keeps_that() -> None:
    left = {**NOBODY, "since": "2016-02-01", "events": ["w1"]}  # the army withdrew, nobody named
    out = roll_up(left, [_part("A", "Army"), _part("B", "Army")], feature="city")
    assert out["holder"] is None and out["holder_basis"] == "place" and out["events"] == ["w1"]
    assert out["summary"] == "holder unknown; around it, two quarters held by Army"
