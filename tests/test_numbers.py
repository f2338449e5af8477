"""Numbers and casualty tolls (strikewatch.extract.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strikewatch.extract.numbers import find_casualties, find_numbers, parse_number, to_fatalities
from strikewatch.records import Fatalities

# ----------------------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("nine", 9),
        ("eleven", 11),
        ("twenty-one", 21),
        ("Twenty one", 21),
        ("a hundred and sixty-eight", 168),
        ("one hundred sixty-eight", 168),
        ("two thousand five hundred", 2500),
        ("a dozen", 12),
        ("two dozen", 24),
        ("1,200", 1200),
        ("168", 168),
        ("2.5 million", 2_500_000),
        ("one", 1),
    ],
)
def test_parse_number(words: str, value: int) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize("words", ["", "vehicles", "five and six", "hundred", "2.5", "twenty twenty"])
def test_parse_number_rejects_non_numbers(words: str) -> None:
    assert parse_number(words) is None


def test_article_counts_as_one_only_when_asked() -> None:
    assert parse_number("a") is None
    assert parse_number("an", article_as_one=True) == 1
    assert parse_number("a hundred") == 100


def _to_words(n: int) -> str:
    units = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    parts: list[str] = []
    if n >= 1000:
        parts.append(_to_words(n // 1000) + " thousand")
        n %= 1000
    if n >= 100:
        parts.append(units[n // 100] + " hundred")
        n %= 100
        if n:
            parts.append("and")
    if n >= 20:
        parts.append(tens[n // 10] + (f"-{units[n % 10]}" if n % 10 else ""))
    elif n or not parts:
        parts.append(units[n])
    return " ".join(parts)


@given(st.integers(min_value=0, max_value=999_999))
def test_parse_number_reads_spelled_out_numbers(n: int) -> None:
    assert parse_number(_to_words(n)) == n


@given(st.integers(min_value=0, max_value=9_999_999))
def test_parse_number_reads_digits_with_separators(n: int) -> None:
    assert parse_number(f"{n:,}") == n


# ----------------------------------------------------------------------------------------- find_numbers


def nums(text: str, **kw) -> list[tuple[str, int | None, int | None, bool]]:
    return [(n.text, n.low, n.high, n.approx) for n in find_numbers(text, **kw)]


def test_counts_in_a_strike_line() -> None:
    text = "Near the dam, nine strikes consisting of 11 engagements destroyed 168 tanker trucks."
    assert nums(text) == [("nine", 9, 9, False), ("11", 11, 11, False), ("168", 168, 168, False)]


def test_spans_point_into_the_text() -> None:
    text = "Officials counted at least 36 dead and between 10 and 15 wounded in two villages."
    for n in find_numbers(text):
        assert text[n.start : n.end] == n.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The strikes hit 44 or 45 towers.", ("44 or 45", 44, 45, True)),
        ("Between 10 and 15 houses collapsed.", ("Between 10 and 15", 10, 15, True)),
        ("Gunmen seized two to three trucks.", ("two to three", 2, 3, True)),
        ("Jets destroyed 10-15 depots.", ("10-15", 10, 15, True)),
        ("At least 36 fighters surrendered.", ("At least 36", 36, None, True)),
        ("There were over 60 air attacks.", ("over 60", 60, None, True)),
        ("There were more than 60 air attacks.", ("more than 60", 60, None, True)),
        ("Nearly 50 shells landed.", ("Nearly 50", None, 50, True)),
        ("Up to twenty-one families fled.", ("Up to twenty-one", None, 21, True)),
        ("Some 300 families fled.", ("Some 300", 300, 300, True)),
        ("Dozens of shells landed.", ("Dozens", 24, None, True)),
    ],
)
def test_ranges_and_approximations(text: str, expected: tuple) -> None:
    assert nums(text)[0] == expected


def test_value_is_the_stated_number() -> None:
    at_least, range_, up_to = find_numbers("at least 36 and 44 or 45 and up to 20")
    assert (at_least.value, range_.value, up_to.value) == (36, 44, 20)
    assert range_.is_range and not at_least.is_range


def test_dates_times_and_ordinals_are_not_counts() -> None:
    text = "On April 5, 2016 at 10:30, the 3rd Division hit 4 positions; on 9 December in 2015 it hit more."
    assert nums(text) == [("4", 4, 4, False)]


def test_a_and_one() -> None:
    assert nums("One strike destroyed a vehicle.") == [("One", 1, 1, False)]
    assert nums("One strike destroyed a vehicle.", article_as_one=True) == [
        ("One", 1, 1, False),
        ("a", 1, 1, False),
    ]


def test_words_inside_other_words_are_not_numbers() -> None:
    assert nums("The tent and the often-used tenement were hit.") == []


def test_vague_quantities_can_be_left_out() -> None:
    assert nums("Several houses and dozens of cars burned.", vague=False) == []


# -------------------------------------------------------------------------------------- find_casualties


def tolls(sentence: str) -> list[tuple[str, int | None, str, str | None]]:
    return [(c.kind, c.value, c.whose, c.subgroup) for c in find_casualties(sentence)]


def test_active_verb_with_side() -> None:
    (c,) = find_casualties("Coalition jets killed 36 ISIS fighters near the dam.")
    assert (c.kind, c.value, c.whose, c.text) == ("killed", 36, "isis", "killed 36 ISIS fighters")
    assert to_fatalities([c]) == Fatalities(killed=36, whose="isis")


def test_toll_including_children() -> None:
    cs = find_casualties("At least 36 people were killed, including five children, in the market.")
    assert [(c.kind, c.value, c.subgroup, c.part_of) for c in cs] == [
        ("killed", 36, None, None),
        ("killed", 5, "children", 0),
    ]
    assert cs[0].approx and cs[0].low == 36 and cs[0].high is None
    f = cs.to_fatalities()
    # 36 people of unstated side; the five children are part of the 36, not added to it
    assert (f.killed, f.children_killed, f.civilians_killed, f.whose) == (36, 5, None, "unknown")


def test_civilians_died() -> None:
    f = find_casualties("Eleven civilians died when the shell hit the bakery.").to_fatalities()
    assert (f.killed, f.civilians_killed, f.whose) == (11, 11, "civilians")


def test_vague_toll_names_the_side_but_gives_no_number() -> None:
    cs = find_casualties("Dozens of Daesh militants were killed in the raid.")
    assert [(c.kind, c.value, c.vague, c.whose) for c in cs] == [("killed", 24, True, "isis")]
    assert cs.to_fatalities() == Fatalities(whose="isis")


def test_neutralised_is_killed() -> None:
    f = find_casualties("Artillery hit 20 targets, and seven terrorists were neutralised.").to_fatalities()
    assert (f.killed, f.whose) == (7, "fighters")


def test_wounded_without_victims_named() -> None:
    assert tolls("The roadside bomb wounded three.") == [("injured", 3, "unknown", None)]


def test_soldiers_injured() -> None:
    f = find_casualties("Two soldiers were injured in the ambush.").to_fatalities()
    assert (f.killed, f.injured, f.whose) == (None, 2, "government forces")


def test_nationality_names_the_state_forces() -> None:
    assert tolls("Three Turkish soldiers were killed.") == [("killed", 3, "turkey", None)]
    assert tolls("A Russian serviceman was killed.") == [("killed", 1, "russia", None)]


def test_named_side_beats_head_noun() -> None:
    assert tolls("The raid killed four YPG fighters.") == [("killed", 4, "sdf", None)]
    assert tolls("The raid killed dozens of Daesh militants.") == [("killed", 24, "isis", None)]
    assert tolls("The raid killed four anti-ISIS fighters.") == [("killed", 4, "fighters", None)]


def test_no_civilian_casualties_is_a_claim_of_zero() -> None:
    (c,) = find_casualties("The ministry said there were no civilian casualties.")
    assert (c.zero, c.value, c.whose) == (True, 0, "civilians")
    f = to_fatalities([c])
    assert (f.killed, f.civilians_killed, f.whose) == (None, 0, "civilians")


@pytest.mark.parametrize(
    ("sentence", "kind", "whose"),
    [
        ("No civilians were killed in the operation.", "killed", "civilians"),
        ("No one was hurt.", "casualties", "unknown"),
        ("There were no reported injuries.", "injured", "unknown"),
        ("The jets did not kill any civilians, the statement said.", "killed", "civilians"),
    ],
)
def test_other_zero_claims(sentence: str, kind: str, whose: str) -> None:
    (c,) = find_casualties(sentence)
    assert (c.zero, c.kind, c.value, c.whose) == (True, kind, 0, whose)


def test_no_casualties_at_all_means_zero_killed_and_injured() -> None:
    f = find_casualties("The blast caused no casualties.").to_fatalities()
    assert (f.killed, f.injured) == (0, 0)


def test_several_sides_in_one_sentence() -> None:
    cs = find_casualties("Nine strikes destroyed 12 vehicles and killed 20 fighters and five civilians.")
    assert [(c.kind, c.value, c.whose) for c in cs] == [
        ("killed", 20, "fighters"),
        ("killed", 5, "civilians"),
    ]
    f = cs.to_fatalities()
    assert (f.killed, f.civilians_killed, f.whose) == (25, 5, "fighters,civilians")


def test_counts_sharing_a_later_verb() -> None:
    assert tolls("Four civilians and two Turkish soldiers were killed, the monitor said.") == [
        ("killed", 4, "civilians", None),
        ("killed", 2, "turkey", None),
    ]


def test_killed_and_wounded_with_elided_verb() -> None:
    f = find_casualties("In all 36 were killed and 50 wounded.").to_fatalities()
    assert (f.killed, f.injured) == (36, 50)
    f = find_casualties("The raid left 12 dead and 30 injured.").to_fatalities()
    assert (f.killed, f.injured) == (12, 30)


def test_death_toll() -> None:
    assert tolls("The death toll rose to 45 on Sunday.") == [("killed", 45, "unknown", None)]


def test_subject_of_an_active_verb_is_not_a_victim() -> None:
    assert tolls("Two SDF fighters killed a civilian at a checkpoint.") == [("killed", 1, "civilians", None)]


def test_family_members_are_civilians() -> None:
    assert tolls("Five members of the same family were killed in the strike.") == [
        ("killed", 5, "civilians", None)
    ]


def test_parts_listed_after_the_toll() -> None:
    cs = find_casualties("Activists said 17 civilians, among them four women and six children, were killed.")
    assert [(c.value, c.subgroup, c.part_of) for c in cs] == [
        (17, None, None),
        (4, "women", 0),
        (6, "children", 0),
    ]
    f = cs.to_fatalities()
    assert (f.killed, f.civilians_killed, f.children_killed) == (17, 17, 6)


def test_counts_of_things_are_not_casualties() -> None:
    assert find_casualties("Near the dam, four strikes destroyed 36 fighting positions.") == []
    assert find_casualties("Over 60 Russian air attacks were reported.") == []


def test_casualty_spans_point_into_the_sentence() -> None:
    s = "Officials said a strike killed 12 civilians, including three children, and wounded 20 others."
    cs = find_casualties(s)
    assert [(c.kind, c.value) for c in cs] == [("killed", 12), ("killed", 3), ("injured", 20)]
    for c in cs:
        assert s[c.start : c.end] == c.text


def test_empty_list_gives_empty_fatalities() -> None:
    assert to_fatalities([]) == Fatalities()


def test_deaths_of_as_a_toll() -> None:
    cs = find_casualties(
        "Medics recorded the deaths of 30 civilians, including four children and two women, and 45 injured."
    )
    assert [(c.kind, c.value, c.subgroup, c.part_of) for c in cs] == [
        ("killed", 30, None, None),
        ("killed", 4, "children", 0),
        ("killed", 2, "women", 0),
        ("injured", 45, None, None),
    ]
    f = cs.to_fatalities()
    assert (f.killed, f.civilians_killed, f.children_killed, f.injured) == (30, 30, 4, 45)


def test_family_of_five() -> None:
    cs = find_casualties("A shell killed a family of six, including three children, in their home.")
    f = cs.to_fatalities()
    assert (f.killed, f.civilians_killed, f.children_killed, f.whose) == (6, 6, 3, "civilians")


def test_each_mention_converts_alone() -> None:
    cs = find_casualties("The strike killed 9 people, including two children.")
    assert cs[0].to_fatalities() == Fatalities(killed=9, whose="unknown")
    assert cs[1].to_fatalities() == Fatalities(children_killed=2)


def test_every_toll_word_passes_the_quick_gate() -> None:
    """find_casualties skips sentences without a cue stem: no vocabulary word may lack one."""
    from importlib import resources

    import yaml

    data = yaml.safe_load(
        resources.files("strikewatch.lexicon").joinpath("casualties.yaml").read_text("utf-8")
    )
    words = [w for key in ("after", "nouns", "before") for ws in data[key].values() for w in ws]
    words += [w for key in ("nouns", "verbs") for ws in data["zero"][key].values() for w in ws]
    assert words
    assert [w for w in words if not any(stem in w.lower() for stem in data["cue_stems"])] == []


def test_article_is_one_only_before_a_person() -> None:
    cs = find_casualties("Two strikes destroyed a checkpoint and an wounded an ISIL fighter.")
    assert [(c.kind, c.value, c.whose) for c in cs] == [("injured", 1, "isis")]


def test_unknown_number_is_not_a_count() -> None:
    (c,) = find_casualties("An undetermined number of civilians were injured.")
    assert (c.kind, c.value, c.whose) == ("injured", None, "civilians")
    assert c.to_fatalities().injured is None


def test_zero_claim_does_not_name_the_side_of_the_killed() -> None:
    f = find_casualties(
        "Nine terrorists were neutralised and no civilian casualties were caused."
    ).to_fatalities()
    assert (f.killed, f.civilians_killed, f.whose) == (9, 0, "fighters")


SALAD = [
    "killed",
    "wounded",
    "36",
    "at",
    "least",
    "no",
    "civilians",
    "were",
    "including",
    "five",
    "children",
    "ISIS",
    "fighters",
    "a",
    "an",
    "one",
    "dozens",
    "of",
    "44",
    "or",
    "45",
    "between",
    "and",
    "1,200",
    "hundred",
    "twenty-one",
    "the",
    "death",
    "toll",
    "rose",
    "to",
    ",",
    ".",
]


@given(st.lists(st.sampled_from(SALAD), max_size=25))
def test_any_word_salad_gives_consistent_tolls(words: list[str]) -> None:
    text = " ".join(words)
    for n in find_numbers(text, article_as_one=True):
        assert text[n.start : n.end] == n.text
    tolls = find_casualties(text)
    for c in tolls:
        assert text[c.start : c.end] == c.text
        assert c.part_of is None or 0 <= c.part_of < len(tolls)
    f = tolls.to_fatalities()
    for value in (f.killed, f.injured, f.civilians_killed, f.children_killed):
        assert value is None or value >= 0


@given(st.text(max_size=60))
def test_arbitrary_text_never_raises(text: str) -> None:
    find_casualties(text).to_fatalities()
    find_numbers(text)


def test_apposition_names_the_victims() -> None:
    f = find_casualties("The raid killed 3 people, all civilians, in the village.").to_fatalities()
    assert (f.killed, f.civilians_killed, f.whose) == (3, 3, "civilians")
    # "most of them" does not make them all civilians
    f = find_casualties("At least five people, most of them women, were killed.").to_fatalities()
    assert (f.killed, f.civilians_killed, f.whose) == (5, None, "unknown")


def test_number_of_dead() -> None:
    assert tolls("The number of dead rose to 23 on Monday.") == [("killed", 23, "unknown", None)]


def test_part_without_its_total() -> None:
    (c,) = find_casualties("Among the dead were three children.")
    assert (c.kind, c.value, c.subgroup, c.partial) == ("killed", 3, "children", True)
    f = to_fatalities([c])
    # the total is not given: three children died, the toll is not three
    assert (f.killed, f.children_killed) == (None, 3)


def test_coordinated_victims_share_the_verb() -> None:
    f = find_casualties("Two Iraqi soldiers and a policeman were killed.").to_fatalities()
    assert (f.killed, f.whose) == (3, "government forces")
