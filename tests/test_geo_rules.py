"""The geocoding rules of issue 15, one test per rule, on gazetteers of invented places.

Sites named by their kind, kind words of the landscape, directional parts of a governorate, the score
floor for likeness-only matches, countries, hashtags and handles, an exact name across the theatre's
border, the writer's exact spelling between namesakes, and the document's other places.
"""

from __future__ import annotations

import json

from strikewatch.geo import geocode, geocode_noted, parse
from strikewatch.geo.batch import geocode_lines
from strikewatch.geo.gazetteer import Gazetteer, Place
from strikewatch.geo.resolve import FUZZY_FLOOR, km


def _grid(admin1: str, lat0: float, lon0: float, rows: int = 5, cols: int = 12, step: float = 0.25
          ) -> list[Place]:
    """Invented villages spread over a governorate, a grid of ``rows`` x ``cols`` points."""
    return [Place(f"g:{admin1}:{r}:{c}", f"Qaryat {admin1} {r} {c}", "village", "SY", lat0 + r * step,
                  lon0 + c * step, admin1) for r in range(rows) for c in range(cols)]


def _sites() -> Gazetteer:
    return Gazetteer().extend([
        Place("t:town", "Qarsalun", "town", "SY", 35.60, 38.40, "Wardiya", population=20000),
        # a site of sites.tsv: printed with its kind, matched also by its own name
        Place("site:qarsalun-dam", "Qarsalun dam", "dam", "SY", 35.70, 38.45, "Wardiya",
              names=("Qarsalun", "Qursalon")),
        Place("t:adm", "Wardiya", "admin1", "SY", 35.5, 38.5, "Wardiya"),
        Place("t:far", "Qursalun", "village", "SY", 33.00, 36.20, "Nahrain"),
    ])


def test_a_known_site_is_picked_by_the_kind_the_query_names():
    gaz = _sites()
    # no kind said: the town of that name
    assert geocode("Qarsalun", country="SY", gazetteer=gaz)[0].gazetteer_id == "t:town"
    for text in ("Qarsalun dam", "Qarsalun reservoir", "the Qarsalun Dam, Wardiya", "Qursalon dam"):
        top = geocode(text, country="SY", gazetteer=gaz)[0]
        assert (top.gazetteer_id, top.precision) == ("site:qarsalun-dam", 1), text
    # a facility of another kind: the town, precision 2 (outlying) or 1 (inside it)
    airport = geocode("Qarsalun airport", country="SY", gazetteer=gaz)[0]
    assert (airport.gazetteer_id, airport.precision) == ("t:town", 2)
    hospital = geocode("Qarsalun hospital", country="SY", gazetteer=gaz)[0]
    assert (hospital.gazetteer_id, hospital.precision) == ("t:town", 1)


def test_kind_words_of_the_landscape_are_read_like_villages_and_quarters():
    p = parse("Tall Nimruq refugee camp")
    assert (p.anchors, p.facility, p.precision) == (["Tall Nimruq"], "camp", 2)
    p = parse("Tall Nimruq Oil Fields")  # the facility, not the "fields" (area) of "Tall Nimruq Oil"
    assert (p.anchors, p.facility) == (["Tall Nimruq"], "field")
    for text in ("Tall Nimruq checkpoint", "Tall Nimruq crossroad", "Tall Nimruq hills", "Tall Nimruq ruins",
                 "Tall Nimruq springs", "Tall Nimruq military heliport", "the former Tall Nimruq airport"):
        assert parse(text).anchors == ["Tall Nimruq"], text
    p = parse("Sahl Dulmun plain, Wardiya")
    assert (p.anchors, p.precision, p.context) == (["Sahl Dulmun"], 3, ["Wardiya"])


def test_a_region_carries_its_governorate():
    gaz = Gazetteer().extend([
        Place("region:jebeldulmun", "Jebel Dulmun", "region", "SY", 35.80, 36.10, "Wardiya"),
        Place("t:jb", "Jablun", "town", "SY", 35.40, 35.90, "Wardiya", population=50000),
        Place("t:adm", "Wardiya", "admin1", "SY", 35.5, 36.0, "Wardiya"),
    ])
    top = geocode("Jabal ad Dulmun, Wardiya", country="SY", gazetteer=gaz)[0]
    assert top.gazetteer_id == "region:jebeldulmun"


def test_a_direction_before_a_governorate_is_that_part_of_it():
    places = [*_grid("Wardiya", 34.0, 36.0), Place("t:adm", "Wardiya", "admin1", "SY", 34.5, 37.4, "Wardiya")]
    gaz = Gazetteer().extend(places)
    whole = geocode("Wardiya governorate", country="SY", gazetteer=gaz)[0]
    east = geocode("Eastern Wardiya Governorate", country="SY", gazetteer=gaz)[0]
    west = geocode("western Wardiya province", country="SY", gazetteer=gaz)[0]
    north = geocode("northern Wardiya countryside", country="SY", gazetteer=gaz)[0]
    assert east.gazetteer_id == whole.gazetteer_id == "t:adm" and east.precision == 3
    # the third of the governorate's extent furthest that way: the grid spans 36.0-38.75 east
    assert east.lon > 38.0 and west.lon < 36.8 and north.lat > 34.7
    assert abs(east.lat - 34.5) < 0.2


def test_a_direction_before_a_towns_countryside_is_that_side_of_it():
    places = [*_grid("Wardiya", 34.0, 36.0, rows=9, cols=9, step=0.1),
              Place("t:city", "Qasr Dulmun", "city", "SY", 34.4, 36.4, "Wardiya", population=300000),
              Place("t:adm", "Wardiya", "admin1", "SY", 34.4, 36.4, "Wardiya")]
    gaz = Gazetteer().extend(places)
    city = next(p for p in places if p.id == "t:city")
    west = geocode("the western countryside of Qasr Dulmun", country="SY", gazetteer=gaz)[0]
    assert west.name == "Qasr Dulmun" and west.precision == 3
    assert west.lon < city.lon - 0.1 and abs(west.lat - city.lat) < 0.15
    assert km(west.lat, west.lon, city.lat, city.lon) < 50
    # "north of X" keeps X's own point (precision 2): a direction from a place, not a part of an area
    north_of = geocode("north of Qasr Dulmun", country="SY", gazetteer=gaz)[0]
    assert (north_of.lat, north_of.lon, north_of.precision) == (city.lat, city.lon, 2)


def test_a_likeness_below_the_floor_names_no_place_and_the_batch_says_so():
    gaz = Gazetteer().extend([Place("t:1", "Dulmuniyat", "village", "IQ", 35.0, 43.0, "Nahrain")])
    weak = geocode("Dulmuniyah", country="IQ", gazetteer=gaz, floor=False)
    assert weak and weak[0].likeness and weak[0].score < FUZZY_FLOOR
    cands, note = geocode_noted("Dulmuniyah", country="IQ", gazetteer=gaz)
    assert cands == [] and note and str(FUZZY_FLOOR) in note
    assert geocode("Dulmuniyah", country="IQ", gazetteer=gaz) == []
    line = json.loads(next(geocode_lines(["Dulmuniyah"], country="IQ", gazetteer=gaz)))
    assert line["candidates"] == [] and "below" in line["note"]
    # a likeness above the floor is an answer; an exact name is never held to it; neither has a note
    good = geocode("Dalmuniyat", country="IQ", gazetteer=gaz)
    assert good and good[0].likeness and good[0].score >= FUZZY_FLOOR
    line = json.loads(next(geocode_lines(["Dulmuniyat"], country="IQ", gazetteer=gaz)))
    assert line["candidates"][0]["gazetteer_id"] == "t:1" and "note" not in line


def test_a_country_a_hashtag_or_a_handle_is_never_a_village():
    gaz = Gazetteer().extend([
        Place("world:ZZ", "Zembla", "country", "ZZ", 40.0, 30.0),
        Place("t:v", "Zamblah", "village", "SY", 35.0, 37.0, "Wardiya"),
        Place("t:town", "Qarsalun", "town", "SY", 35.60, 38.40, "Wardiya", population=20000),
    ])
    for text in ("Zembla", "#Zembla"):
        assert [c.feature for c in geocode(text, gazetteer=gaz)] == ["country"], text
    for text in ("@Zembla", "the Global @Qarsalun", "@qarsalun_news"):
        assert geocode(text, country="SY", gazetteer=gaz) == [], text
    assert geocode("#Qarsalun", country="SY", gazetteer=gaz)[0].gazetteer_id == "t:town"
    assert geocode("#Qarsalon", country="SY", gazetteer=gaz) == []  # a hashtag is written exactly
    assert geocode("Qarsalon", country="SY", gazetteer=gaz)[0].gazetteer_id == "t:town"


def test_an_exact_name_across_the_theatres_border_beats_a_likeness_at_home():
    gaz = Gazetteer().extend([
        Place("t:sy", "Mayadun", "town", "SY", 35.0, 40.4, "Wardiya", population=40000),
        Place("t:iq", "Madunah", "town", "IQ", 31.0, 47.3, "Shatt", population=40000),
    ])
    assert geocode("al-Mayadun", country="IQ", gazetteer=gaz)[0].gazetteer_id == "t:sy"
    assert geocode("Madunah", country="IQ", gazetteer=gaz)[0].gazetteer_id == "t:iq"


def test_the_writers_exact_spelling_breaks_a_tie_between_namesakes():
    gaz = Gazetteer().extend([
        Place("t:1", "Tal Nimruq", "village", "SY", 35.0, 37.0, "Wardiya"),
        Place("t:2", "Tall Nimruq", "village", "SY", 35.5, 37.8, "Wardiya"),
    ])
    assert geocode("Tall Nimruq, Wardiya", country="SY", gazetteer=gaz)[0].gazetteer_id == "t:2"
    assert geocode("Tal Nimruq, Wardiya", country="SY", gazetteer=gaz)[0].gazetteer_id == "t:1"


def test_the_documents_other_places_decide_between_namesakes():
    gaz = Gazetteer().extend([
        Place("t:a", "Jubb Qarsa", "village", "SY", 35.0, 37.0, "Wardiya"),
        Place("t:b", "Jubb Qarsa", "village", "SY", 36.2, 38.5, "Nahrain"),
        Place("t:n", "Ain Dulmun", "village", "SY", 36.3, 38.6, "Nahrain"),
        Place("t:m", "Tall Wardi", "village", "SY", 35.1, 37.1, "Wardiya"),
    ])
    assert geocode("Jubb Qarsa", context=["Ain Dulmun"], gazetteer=gaz)[0].gazetteer_id == "t:b"
    assert geocode("Jubb Qarsa", context=["Tall Wardi"], gazetteer=gaz)[0].gazetteer_id == "t:a"
