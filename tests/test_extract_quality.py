"""The quality pass on the extractor: headlines, leads, weekdays, places named in passing, tolls in the
next sentence. Every sentence here is written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from strikewatch.extract.attribution import modality
from strikewatch.ids import document_id
from strikewatch.pipeline import extract_document
from strikewatch.records import Document


def run(text: str, published: date | None, **kw):
    doc = Document(id=document_id(text), text=text, published=published, **kw)
    return extract_document(doc, geocode=False).events


RELEASE = """Coalition strikes hit ISIL command and control nodes in Syria and Iraq

SOUTHWEST ASIA - On March 3, Coalition military forces conducted 3 strikes against ISIL terrorists in Syria.

Syria
* Near Raqqa, ISIL fighters were struck by two strikes that destroyed a fighting position.
* Near Tabqa, one strike destroyed an ISIL boat and denied ISIL access to terrain.
"""


def test_a_headline_naming_isil_is_not_the_release_speaker_and_isil_is_the_target():
    events = run(RELEASE, date(2017, 3, 4))
    assert [e.location.text for e in events] == ["Near Raqqa", "Near Tabqa"]
    for e in events:
        assert e.actor.name == "Coalition"
        assert e.target.name == "ISIS"
        assert "headline" not in (e.claim.speaker or "").lower()
        assert "ISIL" not in (e.claim.speaker or "")
        assert e.date.start == str(date(2017, 3, 3))


def test_denying_access_to_terrain_is_an_effect_not_a_denial():
    line = "Near Tabqa, one strike destroyed an ISIL boat and denied ISIL access to terrain."
    assert modality(line, None, "Coalition") == "asserted"
    assert modality("The ministry denied that its aircraft bombed the market.", None, "Russia") == "denied"


STATEMENT = """Ministry of Defence of the Russian Federation

On 12 March, aircraft of the Russian Aerospace Forces continued their operation in Hama province.

Near Souran, precision strikes destroyed a fortified bunker and three pickup trucks.

In Homs province, strikes near Taldou destroyed a depot of the militants.
"""


def test_a_statements_lead_dates_and_attributes_the_sentences_below_it():
    events = run(STATEMENT, date(2018, 3, 14))
    assert len(events) == 2
    for e in events:
        assert e.date.start == str(date(2018, 3, 12))
        assert e.actor.name == "Russia"
        assert e.evidence.context_start is not None  # the lead that gave the date is named


def test_a_relayed_statement_is_dated_by_the_event_not_the_speech():
    text = "The coalition said on Thursday that its aircraft struck an ISIS convoy near Shaddadi on Tuesday."
    (e,) = run(text, date(2017, 5, 19))  # a Friday
    assert e.date.start == str(date(2017, 5, 16))


def test_weekdays_count_back_from_the_storys_dateline_not_a_later_metadata_date():
    text = (
        "Frontline Gazette, 7 June 2017\n\n"
        "Turkish artillery shelled YPG positions near Tal Rifaat on Sunday, killing three fighters."
    )
    (e,) = run(text, date(2017, 6, 13))  # the page's metadata: six days after its own dateline
    assert e.date.start == str(date(2017, 6, 4))  # the Sunday before 7 June, not the one before 13 June
    (e,) = run(text.split("\n\n", 1)[1], date(2017, 6, 13))  # no dateline: the metadata date counts
    assert e.date.start == str(date(2017, 6, 11))


def test_a_speakers_day_does_not_date_the_event_the_story_already_dated():
    text = (
        "Villagers said warplanes bombed a mill near Kafr Nabudah on Friday, killing two farmers. "
        "The ministry said on Sunday that its jets had destroyed a rebel depot near Kafr Nabudah."
    )
    events = run(text, date(2017, 6, 13))  # a Tuesday
    assert [e.date.start for e in events] == [str(date(2017, 6, 9))] * 2


def test_a_place_named_in_passing_is_the_location_when_nothing_better_is_there():
    (e,) = run("Residents of Saraqib said warplanes bombed a bakery on Monday, killing seven people.", PUB2)
    assert e.location.text == "Saraqib"
    (e,) = run("Kafr Nubl's main hospital was hit by an air strike on Monday.", PUB2)
    assert e.location.text == "Kafr Nubl"
    # a place given with a relation word wins over one named in passing
    (e,) = run("Residents of Saraqib said warplanes bombed a bakery near Maarat al-Numan on Monday.", PUB2)
    assert e.location.text == "near Maarat al-Numan"
    # an institution or an actor is not a place
    (e,) = run("The Ministry of Defence said its aircraft bombed a depot on Monday.", PUB2)
    assert e.location.text in (None, "")


PUB2 = date(2017, 6, 14)


def test_the_documents_other_places_pull_an_ambiguous_name_toward_the_story():
    pytest.importorskip("strikewatch.geo")
    from strikewatch.geo import locate

    alone = locate("Sheikh Saeed", country="SY")
    if alone.lat is None:
        pytest.skip("no gazetteer built")
    story = (
        "Rebels attacked an army checkpoint near Daraa on Sunday.\n"
        "Government forces shelled Sheikh Saeed on Monday, killing three civilians.\n"
    )
    doc = Document(id=document_id(story), text=story, published=PUB2)
    events = extract_document(doc, geocode=True).events
    shelled = next(e for e in events if e.location.text == "Sheikh Saeed")
    assert shelled.location.admin1 == "Daraa"
    # "government forces" is read in the country of the story's earlier place (nothing names the country)
    assert shelled.actor.name == "Syrian government forces"
    # the same sentence alone resolves elsewhere: the pull comes from the story's other place
    line = story.splitlines()[1]
    (solo,) = extract_document(Document(id=document_id(line), text=line, published=PUB2), geocode=True).events
    assert solo.location.admin1 != "Daraa"


def test_a_toll_in_the_next_sentence_belongs_to_the_event_before_it():
    text = "Regime artillery shelled rebel positions near Inkhil on Monday. At least 12 fighters were killed."
    (e,) = run(text, PUB2)
    assert e.fatalities.killed == 12
    toll = text.index("At least")
    assert e.evidence.context_start <= toll and e.evidence.context_end == len(text)
    # not across a paragraph, and not when the event already has its own toll
    (e,) = run(text.replace(". At", ".\n\nAt"), PUB2)
    assert e.fatalities.killed is None
    (e,) = run(text.replace(" on Monday.", " on Monday, killing two.", 1), PUB2)
    assert e.fatalities.killed == 2


def test_what_an_earlier_clause_hit_is_not_the_agent_of_the_next_strikes():
    text = (
        "In Iraq, one strike near Haditha destroyed an ISIL mortar, while two strikes near Baiji struck an "
        "ISIL tactical unit."
    )
    events = run(text, date(2015, 6, 2))
    assert [e.location.text for e in events] == ["near Haditha", "near Baiji"]
    for e in events:
        assert e.actor.name != "ISIS"
        assert e.target.name == "ISIS"


BRIEFING = """Military strikes continue against ISIL terrorists in Syria and Iraq

SOUTHWEST ASIA, May 9, 2016 - U.S. and coalition military forces have continued to attack ISIL terrorists in
Syria and Iraq, task force officials reported today.

Officials reported details of the latest strikes, which took place between 8 a.m. yesterday and 8 a.m. today.

Strikes in Syria

-- Near Shaddadi, two strikes struck an ISIL tactical unit.

-- Near Hawl, ISIL fighters were struck by one strike that destroyed a mortar.
"""


def test_a_release_lead_names_the_acting_party_and_a_mention_of_the_latest_strikes_is_no_event():
    events = run(BRIEFING, date(2016, 5, 9))
    assert [e.location.text for e in events] == ["Near Shaddadi", "Near Hawl"]
    for e in events:
        assert (e.actor.name, e.target.name) == ("Coalition", "ISIS")
        assert "ISIL" not in (e.claim.speaker or "")


def test_a_day_in_a_pluperfect_relative_clause_dates_the_earlier_deed_not_the_strike():
    text = (
        "Coalition aircraft struck ISIS positions near Tel Keppe on Thursday. "
        "Two more strikes near Bashiqa hit ISIS fighters who had ambushed a Peshmerga patrol on Tuesday."
    )
    events = run(text, date(2016, 11, 5))  # a Saturday
    assert [e.date.start for e in events] == [str(date(2016, 11, 3))] * 2
    # with no date in the story before it, the sentence's own day is all there is
    (e,) = run(text.split(". ", 1)[1], date(2016, 11, 5))
    assert e.date.start == str(date(2016, 11, 1))


def test_a_partys_document_as_speaker_speaks_for_the_party_that_last_spoke():
    text = (
        "The Russian Defence Ministry said on Friday its jets bombed a depot near Kafr Zita on Thursday. "
        "Another strike near Saraqib destroyed a tank on Thursday, the statement added."
    )
    events = run(text, date(2017, 6, 16))
    assert len(events) == 2
    assert events[1].claim.speaker == "statement"
    assert events[1].claim.modality == "claimed"  # the ministry's own account, not a third party's report
