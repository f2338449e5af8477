"""News articles as they arrive from aggregators: line breaks lost, headline, agency credit and date stamp
run into the story, apostrophes dropped. Every text here is written for these tests."""

from __future__ import annotations

import dataclasses
from datetime import date

from strikewatch.extract.places import find_places
from strikewatch.ingest import read_text
from strikewatch.ingest.dateline import find_dateline
from strikewatch.pipeline import extract_document


def read(text: str, title: str | None = None):
    doc = read_text(text, source="test:news", content_type="text/plain")[0]
    return dataclasses.replace(doc, title=title)


def test_label_and_agency_credit_open_a_one_line_story():
    assert find_dateline("Posted on March 3 2015 by Jane Roe Ten killed in a town").date == date(2015, 3, 3)
    assert find_dateline("Date of publication 9 June 2016 A blast struck a market").date == date(2016, 6, 9)
    credited = "Car bomb kills five in a market town Monitor AFP Sunday 3 May 2015 A car bomb killed five"
    assert find_dateline(credited).date == date(2015, 5, 3)
    # a date that opens a sentence and is followed by a comma dates an event, not the page
    assert find_dateline("On 3 May 2015, jets bombed the town of Kafr Batin and the fields around it, "
                         "residents said, and the market was closed for a week afterwards.") is None


def test_story_after_a_run_in_headline_and_stamp_is_read():
    title = "Jets kill 12 in a northern town Monitor"
    doc = read(f"{title} AFP Saturday 16 Jul 2016 Air raids on districts of the city of Aleppo killed "
               "12 civilians on Friday a monitor said. Four children were among the dead.", title)
    assert doc.published == date(2016, 7, 16)
    events = extract_document(doc, geocode=False).events
    assert [e.sub_type for e in events] == ["Air/drone strike"]
    # dated by its own "Friday", not by the stamp
    assert (events[0].date.start, events[0].date.text) == ("2016-07-15", "Friday")


def test_lead_without_a_time_gets_the_news_day_and_its_details_its_date():
    doc = read("Saturday 16 Jul 2016 Air raids on districts of the city of Aleppo killed 12 civilians a "
               "monitor said. Jets bombed the market of Atarib, the monitor added. In an older attack, jets "
               "bombed the town of Kafr Halab. Two men were arrested in the town of Sarmin.")
    lead, detail, older = extract_document(doc, geocode=False).events
    assert (lead.date.start, lead.date.end, lead.date.precision, lead.date.text) == (
        "2016-07-15", "2016-07-16", "range", None)
    # the next sentence elaborates the lead: same kind, nothing of its own dates it
    assert (detail.date.start, detail.date.end) == ("2016-07-15", "2016-07-16")
    assert detail.evidence.context_start == lead.evidence.start
    assert older.date.start is None  # another occasion is not the lead's


def test_lead_without_a_publication_date_stays_undated():
    doc = read("Air raids on districts of the city of Aleppo killed 12 civilians a monitor said.")
    (event,) = extract_document(doc, geocode=False).events
    assert event.date.start is None


def test_country_possessive_without_its_apostrophe_names_the_place_after_it():
    def places(s):
        return [(p.text, p.name, p.refers_to) for p in find_places(s)]

    assert places("a bakery in Syrias Qamishli city on Tuesday") == [
        ("in Syrias Qamishli city", "Qamishli", "in Qamishli city")]
    assert places("a blast near Syria's capital Damascus") == [
        ("near Syria's capital Damascus", "Damascus", "near Damascus")]
    assert places("jets struck near Iraqs second city Mosul") == [
        ("near Iraqs second city Mosul", "Mosul", "near Mosul")]
    assert places("Syrias government said the talks would go on") == []  # no village called "Syrias"
    assert places("fighting in Syria and Iraq") == [("in Syria", "Syria", None), ("Iraq", "Iraq", None)]


def test_possessive_place_is_geocoded_to_the_place_not_a_namesake_of_the_possessive():
    doc = read("Tuesday 5 Jul 2016 A suicide bomber killed nine people in Syrias Hasakeh city on Tuesday.")
    (event,) = extract_document(doc).events
    assert event.location.admin1 == "Al-Hasakah"


def kinds(text: str) -> list[str]:
    doc = read(text)
    return [e.sub_type for e in extract_document(doc, geocode=False).events]


def test_a_claim_of_responsibility_attributes_an_attack_and_reports_no_new_one():
    assert kinds("The Islamic State group claimed responsibility for the car bomb that killed nine people in "
                 "the town of Kafr Batin on Friday.") == []
    assert kinds("The ministry denied its jets were responsible for air strikes that hit a clinic in "
                 "the town of Kafr Batin.") == []
    # the attack itself, told as news, is an event
    assert kinds("A car bomb killed nine people in the town of Kafr Batin on Friday.") == [
        "Remote explosive/landmine/IED"]


def test_crashes_and_depot_fires_are_accidents_unless_something_hit_them():
    assert kinds("Nine people were killed in a plane crash near the town of Kafr Batin on Sunday.") == []
    assert kinds("A fire in a storage depot set off explosions that killed four workers on Monday.") == []
    assert kinds("Rebels said a missile hit the helicopter, which crashed near the town of Kafr Batin "
                 "killing two crew on Monday.") != []


def test_withdrawal_from_a_base_with_nobody_taking_it_is_no_transfer_of_territory():
    assert kinds("US forces have withdrawn from a base near the town of Kafr Batin.") == []
    assert kinds("ISIS withdrew from the town of Kafr Batin on Friday.") == [
        "Non-violent transfer of territory"]


def actors_kinds(text: str) -> list[tuple[str, str | None]]:
    doc = read(text)
    return [(e.sub_type, e.actor.name) for e in extract_document(doc, geocode=False).events]


def test_a_party_that_says_it_took_a_place_is_the_one_that_took_it():
    found = actors_kinds("The Syrian army confirmed it regained territory in the town of Kafr Batin.")
    assert found == [("Government regains territory", "Syrian government forces")]
    assert actors_kinds("The ministry said it was hit by shelling in the town of Kafr Batin.")[0][1] is None


def test_captured_objects_without_a_name_are_kept_as_written():
    doc = read("Government troops captured two rebel camps in the hills over the weekend. Syrian army units "
               "seized control of the entire length of the coastal highway on Tuesday.")
    found = [(e.sub_type, e.location.text) for e in extract_document(doc, geocode=False).events]
    assert found == [("Government regains territory", "two rebel camps"),
                     ("Government regains territory", "the entire length of the coastal highway")]


def test_a_chemical_agent_named_in_the_next_sentence_types_the_attack_before_it():
    doc = read("Dozens were treated for breathing problems after rebels fired shells into the city of Kafr "
               "Batin. Residents suspect the shells contained poison gas.")
    (event,) = extract_document(doc, geocode=False).events
    assert event.sub_type == "Chemical weapon"
    assert event.evidence.context_end == len(doc.text)


def test_a_chemical_weapons_site_or_another_attack_does_not_type_a_strike():
    assert kinds("The ministry said on Tuesday it launched airstrikes on armed groups it accused of carrying "
                 "out a chlorine attack on the town of Kafr Batin the previous day.") == ["Air/drone strike"]
    assert "Chemical weapon" not in kinds("Warships fired 60 missiles on Tuesday at what officials said "
                                          "were two chemical weapons facilities near Kafr Batin.")


def test_suspects_and_denials_are_no_new_attack():
    assert kinds("Two suicide bombers are suspected to be behind the blasts that hit a church in Kafr Batin "
                 "last Sunday, the minister said on Friday.") == []
    assert kinds("The ministry said its aircraft had carried out no air strikes near Kafr Batin in recent "
                 "days.") == []


def test_an_armed_party_killing_without_a_weapon_named_is_a_clash_or_an_attack():
    assert actors_kinds("Security forces killed 40 rebels near the town of Kafr Batin.") == [
        ("Armed clash", "Government forces")]
    assert kinds("Gunmen killed five civilians in the village of Kafr Batin.") == ["Attack"]


def test_destroyed_weapons_are_disrupted_weapons_not_an_attack_but_a_depot_is_a_target():
    assert kinds("Turkish forces have destroyed 300 mines and 200 explosive devices in the operation.") == []
    assert kinds("Jets destroyed a weapons depot near the town of Kafr Batin.") == ["Air/drone strike"]


def test_people_killed_name_no_place_and_clashes_with_a_party_are_reported():
    doc = read("Dozens of pro-government fighters were killed during heavy clashes with rebel forces.")
    (event,) = extract_document(doc, geocode=False).events
    assert (event.sub_type, event.location.text) == ("Armed clash", None)
    assert kinds("Clashes are common in the region.") == []


def test_death_in_an_explosion_committed_rape_and_lobbed_grenades():
    assert kinds("Four children died in an explosion near the town of Kafr Batin.") == [
        "Remote explosive/landmine/IED"]
    assert actors_kinds("Security forces committed widespread rape against women in the villages.") == [
        ("Sexual violence", "Government forces")]
    assert kinds("A militant was seen lobbing a grenade at a police station in the town on Monday.") == [
        "Grenade"]


def test_fire_on_a_civilian_place_is_an_attack_and_the_weapon_types_an_explosion():
    assert kinds("Gunmen opened fire on a teahouse in the city of Kafr Batin on Monday.") == ["Attack"]
    assert kinds("Several explosions rocked the border town of Kafr Batin as militants fired dozens of "
                 "rockets at it on Monday.") == ["Shelling/artillery/missile attack"]


def test_a_trigger_noun_that_acts_is_a_report_even_without_a_place_below_the_country():
    assert kinds("Two suicide bombers detonated their vests in a market in Turkey.") == ["Suicide bomb"]
    assert kinds("Suicide bombings are a threat in Turkey.") == []


def test_well_known_places_written_bare_are_places_unless_they_speak_or_start_a_name():
    def names(s):
        return [p.name for p in find_places(s)]

    assert names("the siege of Mosul ended in the summer") == ["Mosul"]
    assert names("fighters moved to isolate Raqqah from the south") == ["Raqqah"]
    assert names("Damascus denied the report") == []  # the government speaking
    assert names("Mosul University reopened its library") == []  # the start of another name
    assert names("Turkey said it would respond") == []  # the state, not the place
    assert names("the dams in Turkey hold back the river") == ["Turkey"]


def test_a_list_of_towns_is_one_place_each_and_one_event_each():
    assert [(p.name, p.relation) for p in find_places("near Hit, Kubaysah and Baghdadi")] == [
        ("Hit", "near"), ("Kubaysah", "near"), ("Baghdadi", "near")]
    doc = read("Government forces shelled the towns of Kafr Batin and Deir Saman on Friday, killing six.")
    first, second = extract_document(doc, geocode=False).events
    assert (first.location.text, second.location.text) == ("the towns of Kafr Batin", "Deir Saman")
    assert first.fatalities.killed == 6 and second.fatalities.killed is None  # the toll is not divided
    took = kinds("The army captured Kafr Batin, Deir Saman and Tell Hamra on Sunday.")
    assert took == ["Government regains territory"] * 3
    # a list ends where another party starts
    assert len(kinds("Rebels attacked the town of Kafr Batin and Russian jets bombed it.")) == 1


def test_the_opening_paragraph_reports_the_news_of_its_day():
    doc = read("Monday 4 Apr 2016 Rescuers searched the rubble all day. A car bomb exploded outside a "
               "bakery in the town of Kafr Batin killing six people. Relatives gathered at the hospital. "
               "Police said more people were hurt. Jets also bombed the village of Tal Sheer, activists "
               "said.")
    events = extract_document(doc, geocode=False).events
    bomb = next(e for e in events if "bakery" in e.evidence.sentence)
    # the second sentence of the story: no time of its own, but in the opening paragraph
    assert (bomb.date.start, bomb.date.end, bomb.date.text) == ("2016-04-03", "2016-04-04", None)
    later = next(e for e in events if "Tal Sheer" in e.evidence.sentence)
    assert later.date.start is None  # further down the story, only what the sentence says dates it


def test_a_vague_lead_takes_the_place_its_headline_names():
    title = "Air strikes kill nine in Syrias Idlib"
    doc = read(f"{title} Monday 4 Apr 2016 Air strikes killed nine people in northwestern Syria on Monday, "
               "a monitor said.", title)
    (event,) = extract_document(doc).events
    assert event.location.admin1 == "Idlib"
    assert event.evidence.context_start is not None and event.evidence.context_start < event.evidence.start
    # a lead placed by its own words keeps them
    title = "Air strikes kill nine in Syrias Idlib"
    doc = read(f"{title} Monday 4 Apr 2016 Air strikes killed nine people in the city of Hama on Monday.",
               title)
    (event,) = extract_document(doc).events
    assert event.location.admin1 == "Hama"


def test_a_town_part_is_read_with_the_town_it_lies_in():
    def places(s):
        return [(p.text, p.name) for p in find_places(s)]

    assert places("shells fell on the Bustan neighbourhood of the eastern town of Saraqib") == [
        ("on the Bustan neighbourhood of the eastern town of Saraqib", "Bustan")]
    # apostrophe lost on a known town: its part is looked up in it
    (pm,) = find_places("a bomb went off in Aleppos Jamiliyeh district on Tuesday")
    assert (pm.name, pm.refers_to) == ("Aleppo", "in Jamiliyeh district, Aleppo")
    # a Title-Case headline's event words end the name; a foreign country's own is no place
    assert places("Dozens Dead in Syrias Homs Car Bomb Blast") == [("in Syrias Homs", "Homs")]
    assert places("he told Irans state radio on Sunday") == []
    # a known name whose case was lost; a capitalised agency or city after the name; a direction alone
    assert places("jets struck eastern Deir ezzor at dawn") == [("eastern Deir ezzor", "Deir ezzor")]
    assert places("raids in Homs Province MOSCOW (Agency) - The") == [
        ("in Homs Province", "Homs Province")]
    assert places("positions in the Southern countryside") == []
    # a governorate run on after the town (commas lost) is the town's context; no name ends with a particle
    (pm,) = find_places("a massacre in the town of Kafr Batin Idlib Province.")
    assert (pm.name, pm.refers_to) == ("Kafr Batin", "in Kafr Batin, Idlib Province")
    assert places("a drone fell in Syria as Kurdish fighters fired") == [("in Syria", "Syria")]


def test_counted_things_destroyed_in_prose_are_effects():
    doc = read("Monday 7 Dec 2015 Russian jets bombed 120 tanker trucks near Tal Sheer on Sunday. Jets also "
               "hit two clinics and a bakery in the town of Kafr Batin, killing 12 civilians.")
    first, second = extract_document(doc, geocode=False).events
    assert [(f.verb, f.count, f.object) for f in first.effects] == [("bombed", 120, "tanker trucks")]
    # people are the toll, not effects; a place after the thing is not part of it
    assert [(f.verb, f.count, f.object) for f in second.effects] == [
        ("hit", 2, "clinics"), ("hit", 1, "bakery")]
