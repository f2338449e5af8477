"""Document-level discourse (issue 12, section 2): an elliptical part of the strikes counted before, the
speaker of a copied social post, the day a statement was made as the upper bound of its deed, and tolls
written without their commas. Every sentence here is written for these tests."""

from __future__ import annotations

import dataclasses
from datetime import date

from strikewatch.extract import numbers
from strikewatch.extract.attribution import find_speaker, post_speakers
from strikewatch.ingest import read_text
from strikewatch.pipeline import extract_document
from strikewatch.records import Event

PUBLISHED = date(2016, 3, 16)


def events(text: str, published: date | None = PUBLISHED) -> list[Event]:
    doc = read_text(text, source="test:discourse", content_type="text/plain")[0]
    doc = dataclasses.replace(doc, published=published)
    return extract_document(doc, geocode=False).events


# Elliptical counts ---------------------------------------------------------------------------------------


def test_part_of_the_strikes_counted_before_is_one_event_per_place_with_their_actor_and_date():
    got = events("Coalition warplanes conducted seven airstrikes in Iraq on Sunday. "
                 "Five of the seven struck ISIL positions near Baiji and Haditha.")
    assert [(e.sub_type, e.location.text) for e in got] == [
        ("Air/drone strike", "near Baiji"), ("Air/drone strike", "Haditha")]
    assert {e.actor.name for e in got} == {"Coalition"}
    assert {(e.date.start, e.date.precision) for e in got} == {("2016-03-13", "day")}
    # the five are not divided between the two places by guesswork: the first carries the count
    assert [e.quantities.strikes for e in got] == [5, None]
    # the date and actor came from the summary, which the evidence names
    assert got[0].evidence.sentence.startswith("Five of the seven")
    assert got[0].evidence.context_start == 0


def test_of_them_takes_up_the_count_too():
    got = events("Coalition aircraft carried out four strikes in Syria on Friday. "
                 "Two of them destroyed ISIL fuel trucks near Shaddadi.")
    assert [(e.location.text, e.quantities.strikes) for e in got] == [("near Shaddadi", 2)]


def test_summary_alone_gives_no_event():
    # country level only: a summary of the lines below it, never an event of its own (docs/extract.md)
    assert events("Coalition aircraft carried out six airstrikes in Iraq on Monday.") == []


def test_part_of_something_else_or_of_another_count_is_not_taken_up():
    # a part of villages, not of the strikes
    assert events("Coalition aircraft carried out six airstrikes in Iraq on Monday. "
                  "Two of the villages near Baiji were empty.") == []
    # "three of the nine": not the six strikes just counted
    assert events("Coalition aircraft carried out six airstrikes in Iraq on Monday. "
                  "Three of the nine hit targets near Baiji.") == []
    # no count before it at all
    assert events("Four of the six hit targets near Baiji and Haditha.") == []
    # a new paragraph starts another account
    assert events("Coalition aircraft carried out six airstrikes in Iraq on Monday.\n\n"
                  "Four of the six hit targets near Baiji.") == []


# A copied social post's speaker --------------------------------------------------------------------------


def test_post_header_makes_its_account_the_speaker():
    got = events("Lina Sabbagh @linasabbagh - 5h\n"
                 "Regime helicopters dropped barrel bombs on Daraya this morning, killing four people.\n")
    assert len(got) == 1
    assert (got[0].claim.speaker, got[0].claim.modality) == ("@linasabbagh", "reported")


def test_embedded_post_footer_makes_its_account_the_speaker_of_its_line_only():
    text = ("Activists shared a post about the raid.\n"
            "Regime jets bombed the market of Saqba this morning, killing six people.\n"
            "— Omar Jaber (@omarjaber_sy) March 15, 2016\n"
            "Government artillery shelled the town of Harasta on Sunday, killing two people.\n")
    spans = post_speakers(text)
    assert [(text[p.start : p.end].strip(), p.speaker.text, p.stamp) for p in spans] == [
        ("Regime jets bombed the market of Saqba this morning, killing six people.", "@omarjaber_sy",
         "March 15, 2016")]
    got = events(text)
    by_place = {e.location.text: e.claim for e in got}
    assert by_place["the market of Saqba"].speaker == "@omarjaber_sy"
    assert by_place["the town of Harasta"].speaker is None  # the article's own voice again


def test_embedded_post_dates_its_own_this_morning_from_its_byline():
    text = ("Regime jets bombed the market of Saqba this morning, killing six people.\n"
            "— Omar Jaber (@omarjaber_sy) March 9, 2016\n")
    got = events(text)  # published March 16: the post's "this morning" is its own March 9
    assert [(e.date.start, e.date.text) for e in got] == [("2016-03-09", "this morning")]
    # a byline date after the story's own day is no reference: the story's day is kept
    later = text.replace("March 9, 2016", "March 20, 2016")
    assert [e.date.start for e in events(later)] == ["2016-03-16"]


def test_a_party_account_speaks_for_its_party():
    got = events("SDF Press @SDF_Press_EN - 2h\n"
                 "Our forces captured the village of Tal Samen from ISIS today.\n")
    assert got and got[0].claim.speaker == "@SDF_Press_EN"
    assert got[0].claim.modality == "claimed"


def test_bylines_as_pages_flatten_them():
    # a timeline's second post after a blank line, its "Mar 3" stamp; a footer written with a plain hyphen
    text = "Lina Sabbagh @linasabbagh · Mar 3\nFirst post.\n\nOmar Jaber @omarjaber_sy - 4h\nSecond post.\n"
    assert [(text[p.start : p.end].strip(), p.speaker.text, p.stamp) for p in post_speakers(text)] == [
        ("First post.", "@linasabbagh", "Mar 3"), ("Second post.", "@omarjaber_sy", None)]
    text = "Jets hit the town. - Omar Jaber (@omarjaber_sy) March 3, 2016"
    assert [(p.start, p.end, p.speaker.text) for p in post_speakers(text)] == [(0, 19, "@omarjaber_sy")]


def test_a_handle_in_running_text_is_no_post():
    assert post_speakers("Jets struck Daraya on Monday.\nFollow @newsdesk for updates\nMore text here.") == []
    got = events("Regime jets struck the town of Saqba on Monday, said @omarjaber_sy, a local reporter.")
    assert got and got[0].claim.speaker == "@omarjaber_sy, a local reporter"  # the sentence's own speaker


# The day of the statement bounds the deed ----------------------------------------------------------------


def test_announcement_day_ends_the_span_of_what_was_announced():
    got = events("The Russian defence ministry announced on March 14 that its jets had just destroyed "
                 "35 fuel trucks near Deir ez-Zor.")
    assert len(got) == 1
    ev = got[0]
    assert ev.sub_type == "Air/drone strike" and ev.actor.name == "Russia"
    assert (ev.date.start, ev.date.end, ev.date.precision) == ("2016-03-12", "2016-03-14", "range")
    assert [(f.verb, f.count, f.object) for f in ev.effects] == [("destroyed", 35, "fuel trucks")]
    assert ev.claim.modality == "claimed"


def test_a_day_of_the_deed_itself_stays_a_day():
    got = events("Russian jets destroyed 35 fuel trucks near Deir ez-Zor on March 14, the ministry said.")
    assert [(e.date.start, e.date.end, e.date.precision) for e in got] == [
        ("2016-03-14", "2016-03-14", "day")]
    got = events("The ministry said on March 15 that its jets destroyed 35 fuel trucks near Deir ez-Zor "
                 "on March 14.")
    assert [(e.date.start, e.date.precision) for e in got] == [("2016-03-14", "day")]


# Tolls on messy text --------------------------------------------------------------------------------------


def test_rising_toll_after_what_it_counts_with_its_part_and_commas_lost():
    fat = numbers.find_casualties(
        "The death toll from the bombing of Zamalka has risen to 47 16 of them children a rights group said."
    ).to_fatalities()
    assert (fat.killed, fat.children_killed) == (47, 16)
    fat = numbers.find_casualties(
        "The death toll from the bombing of Zamalka has risen to 47, 16 of them children."
    ).to_fatalities()
    assert (fat.killed, fat.children_killed) == (47, 16)


def test_toll_rose_to_at_least_with_its_part():
    fat = numbers.find_casualties("The toll rose to at least 23, including 7 children.").to_fatalities()
    assert (fat.killed, fat.children_killed) == (23, 7)
    fat = numbers.find_casualties("By nightfall the toll stood at 14 dead.").to_fatalities()
    assert fat.killed == 14


def test_killing_civilians_including_women():
    fat = numbers.find_casualties("Artillery shelled the town, killing 9 civilians including 3 women.")
    assert [(c.value, c.subgroup, c.part_of) for c in fat] == [(9, None, None), (3, "women", 0)]
    fat = fat.to_fatalities()
    assert (fat.killed, fat.civilians_killed, fat.whose) == (9, 9, "civilians")


def test_a_toll_that_counts_no_people_is_none():
    # a road toll, and a count "of them" that is not people
    assert numbers.find_casualties("The road toll rose to 5 dollars this week.") == []
    fat = numbers.find_casualties("Rebels fired 40 rockets, 12 of them at the airport.").to_fatalities()
    assert fat.killed is None


def test_comma_less_toll_sentence_gives_the_event_its_toll_and_speaker():
    got = events("The death toll from the shelling of the town of Zamalka has risen to 47 16 of them "
                 "children a monitoring group said.")
    assert len(got) == 1
    assert (got[0].fatalities.killed, got[0].fatalities.children_killed) == (47, 16)
    assert (got[0].claim.speaker, got[0].claim.modality) == ("monitoring group", "reported")


def test_comma_less_speaker_needs_a_determiner_right_before_said():
    # no determiner before "witnesses": no speaker rather than the whole run of words before "said"
    assert find_speaker("Shells hit the old market of the town early on Sunday morning wounding 8 people "
                        "witnesses said") is None
    sp = find_speaker("Shells hit the old market of the town early on Sunday morning wounding 8 people "
                      "the civil defence said")
    assert sp is not None and sp.text == "civil defence"


def test_comma_less_speaker_drops_auxiliaries_and_is_never_a_place():
    run = "Shells hit the old market early on Sunday morning wounding 8 people in the north of the town "
    sp = find_speaker(run + "a rescue team has said")
    assert sp is not None and sp.text == "rescue team"
    assert (run + "a rescue team has said")[sp.start : sp.end] == "a rescue team"
    # a place's kind before "of": a place, not a speaker
    assert find_speaker(run.replace("the town ", "") + "the city of Hama said") is None
    # a pronoun right before the verb is the speaker ("he said" takes the last speaker in the story)
    sp = find_speaker(run + "it said")
    assert sp is not None and sp.text == "it"


def test_a_time_a_place_kind_or_an_event_before_said_is_no_speaker():
    from strikewatch.extract.attribution import _speaks, find_speaker

    assert _speaks("monitoring group") and _speaks("Observatory") and _speaks("he")
    assert _speaks("doctor at the town's hospital")  # the head is the doctor, not the hospital
    for phrase in ("start of the war", "Idlib countryside", "Sunday", "toll", "monitor has"):
        assert not _speaks(phrase), phrase
    sp = find_speaker("Shelling on the market killed 7 people on Sunday a local rescue team said.")
    assert sp is not None and sp.text == "local rescue team"
