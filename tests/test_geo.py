"""Geocoding: keys, expression parsing, context rules, precision levels, user places, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strikewatch.geo import default_gazetteer, fold, geocode, key, locate, parse, skeleton
from strikewatch.geo.gazetteer import Gazetteer, Place, read_shipped, read_user_csv
from strikewatch.geo.keys import normalise_arabic
from strikewatch.geo.resolve import BETWEEN_MIDPOINT, km
from strikewatch.records import Location

# ------------------------------------------------------------------------------------------------ keys


def test_fold_drops_case_diacritics_and_apostrophes():
    assert fold("Ālbū Kamāl") == "albu kamal"
    assert fold("Ma‘arrat an-Nu‘mān") == "maarrat an numan"
    assert fold("Dar'a") == fold("Dar`a") == "dara"


@pytest.mark.parametrize("variant", ["Abu Kamal", "Albu Kamal", "Al Bukamal", "Bukamal", "al-Bukamal"])
def test_abu_albu_and_article_forms_share_one_key(variant):
    assert key(variant) == key("Abu Kamal")


def test_arabic_albu_and_abu_share_one_key():
    assert key("البوكمال") == key("ابو كمال") == key("أبو كمال")


@pytest.mark.parametrize("variant", ["Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr", "Deir el-Zor",
                                     "Dair al-Zour"])
def test_deir_ez_zor_spellings_share_a_skeleton(variant):
    assert skeleton(variant) == skeleton("Deir ez-Zor")


@pytest.mark.parametrize(("a", "b"), [
    ("Shaddadi", "Ash Shaddadah"),  # article, doubled letter, ta marbuta
    ("Qamishli", "Kamishli"),  # q/k
    ("Khan Shaykhun", "Han Sheikhoun"),  # kh/h, ay/ei, ou/u
    ("Raqqa", "Rakka"),
    ("Tell Abyad", "Tal Abiad"),
    ("Jarablus", "Garabulus"),  # j/g
])
def test_transliteration_pairs_share_a_skeleton(a, b):
    assert skeleton(a) == skeleton(b)


def test_qualifiers_match_across_languages_and_word_order():
    from strikewatch.geo.keys import qualified_keys

    assert qualified_keys("Zaqrun Fawqani") == qualified_keys("Upper Zaqrun")
    assert qualified_keys("Marqab Gharbi")[0] == qualified_keys("Western Marqab")[0]
    assert qualified_keys("Tahtani Zaqrun") != qualified_keys("Upper Zaqrun")  # lower is not upper
    assert qualified_keys("Zuqroun Tahtani")[1] == qualified_keys("Lower Zaqrun")[1]  # by skeleton
    assert qualified_keys("Kabir") is None and qualified_keys("Ras al Ain") is None


def test_distinct_names_keep_distinct_skeletons():
    assert skeleton("Manbij") != skeleton("Mosul")
    assert skeleton("Idlib") != skeleton("Hama")


def test_arabic_normalisation_folds_letter_variants():
    assert normalise_arabic("إدلب") == normalise_arabic("ادلب")
    assert normalise_arabic("حماة") == "حماه"
    assert normalise_arabic("مُسْتَشْفَى") == "مستشفي"


def test_an_arabic_initial_alef_is_only_a_hamza_seat_in_the_skeleton():
    assert skeleton("اعزاز") == skeleton("عزاز") == skeleton("أعزاز")
    assert skeleton("ادلب") != skeleton("دير")


def test_an_arabic_name_meets_a_place_known_only_in_latin_letters(tmp_path):
    from strikewatch.geo.keys import latin_skeleton

    assert latin_skeleton("معرة النعسان") == skeleton("Maaret Naasan")
    assert latin_skeleton("Maaret Naasan") == ""
    gaz = _invented(tmp_path, "Maaret Elqushta,35.60,36.60,SY,Idlib,village\n")
    top = geocode("معرة القشطة", country="SY", gazetteer=gaz)[0]
    assert top.name == "Maaret Elqushta" and top.score < 0.8  # found, and scored below an exact name
    # The skeletons of one Arabic word and of two Latin words may meet across a word's end: not a match.
    gaz = _invented(tmp_path, "Qaryat Azizi,35.60,36.60,SY,Idlib,village\n")
    assert latin_skeleton("قورتز") == skeleton("Qaryat Azizi")
    assert geocode("قورتز", country="SY", gazetteer=gaz) == []


def test_arabic_presentation_forms_fold_like_plain_letters():
    # As some PDFs and old web pages give Arabic: contextual glyph code points, not letters.
    shaped = "\ufee3\ufee8\ufec4\ufed8\ufe94 \ufea3\ufe8e\ufead"  # "منطقة حار" in presentation forms
    assert key(shaped) == key("منطقة حار") and skeleton(shaped) == skeleton("منطقة حار")


# ----------------------------------------------------------------------------------------------- parse


def test_parse_relative_words_set_precision():
    assert (parse("near Albu Kamal").anchors, parse("near Albu Kamal").precision) == (["Albu Kamal"], 2)
    p = parse("the outskirts of Raqqa")
    assert p.anchors == ["Raqqa"] and p.precision == 2 and p.relation == "outskirts"
    p = parse("north of Homs")
    assert p.anchors == ["Homs"] and p.precision == 2 and p.relation == "direction"
    p = parse("east-Aleppo")
    assert p.anchors == ["Aleppo"] and p.precision == 2


def test_parse_keeps_hyphenated_names_whole():
    assert [key(a) for a in parse("Deir ez-Zor").anchors] == [key("Deir ez-Zor")]
    assert [key(a) for a in parse("Ma'arrat al-Numan").anchors] == [key("Ma'arrat al-Numan")]
    assert parse("Deir ez-Zor").precision == 1


def test_parse_context_after_comma_and_in():
    p = parse("Al-Fatih, Jableh District")
    assert [key(a) for a in p.anchors] == [key("Al-Fatih")] and p.context == ["Jableh District"]
    p = parse("Kafr Zeita in Hama province")
    assert p.anchors == ["Kafr Zeita"] and p.context == ["Hama province"]


def test_parse_between_two_places():
    p = parse("between Baghdad and Mosul")
    assert p.anchors == ["Baghdad", "Mosul"] and p.relation == "between"


def test_parse_area_words_and_facilities():
    p = parse("eastern Idlib countryside")
    assert p.anchors == ["Idlib"] and p.precision == 3
    assert parse("the school in Maarat Misrin").context == ["Maarat Misrin"]
    assert parse("Tal Rifaat hospital").anchors == ["Tal Rifaat"]


def test_a_facility_outside_its_town_gives_the_town_with_precision_2():
    # An airport, a camp or an oil field lies outside the town it is named after: near it, as ACLED
    # codes it. A hospital or a school is inside it: the town, precision 1.
    for text, anchor in (("Kafr Dulmun military airport", "Kafr Dulmun"),
                         ("Qarat Sawida oilfield", "Qarat Sawida"), ("Tall Nimruq IDP camp", "Tall Nimruq"),
                         ("مطار كفر دلمون", "كفر دلمون"), ("Kafr Dulmun refinery", "Kafr Dulmun")):
        p = parse(text)
        assert (p.anchors, p.precision) == ([anchor], 2), text
    for text in ("Kafr Dulmun hospital", "Kafr Dulmun school", "مشفى كفر دلمون"):
        assert parse(text).precision == 1, text
    # Through to the answer: the real town, with the facility's precision (no air base of that name is
    # known; see test_a_known_site_is_picked_by_the_kind_the_query_names for one that is).
    top = _top("Manbij military airport", country="SY")
    assert (top.admin1, top.feature, top.precision) == ("Aleppo", "town", 2)
    assert _top("Deir ez-Zor hospital", country="SY").precision == 1


def test_parse_possessives_holders_abbreviated_directions_and_fronts():
    # "A's B" is B of A; "Ra's al-Ayn" (a two-letter word before the apostrophe) is a name
    p = parse("Raqqa's al-Mashlab district")
    assert p.anchors == ["al Mashlab"] and p.context == ["Raqqa"]
    assert parse("Idlib's Jisr al-Shughur").context == ["Idlib"]
    p = parse("Deir ez-Zor's countryside")
    assert p.precision == 3 and p.context == [] and p.anchors == ["Deir ez Zor"]
    assert parse("Ra's al-Ayn").anchors == ["Ra's al Ayn"] and parse("Ra's al-Ayn").context == []
    # who holds a place is not its name
    assert parse("ISIS-held Raqqa").anchors == ["Raqqa"]
    assert parse("the rebel-controlled town of Kafr Nabl").anchors == ["Kafr Nabl"]
    assert parse("Deir ez-Zor").anchors == ["Deir ez Zor"]  # an article's hyphen stays a name's
    # "N. Raqqa", "NE Aleppo": directions; "the Hajin pocket": the area around Hajin
    assert (parse("N. Raqqa").anchors, parse("N. Raqqa").precision) == (["Raqqa"], 2)
    assert (parse("NE Aleppo").anchors, parse("NE Aleppo").precision) == (["Aleppo"], 2)
    assert (parse("the Hajin pocket").anchors, parse("the Hajin pocket").precision) == (["Hajin"], 2)


def test_a_country_the_expression_names_outweighs_the_documents():
    top = _top("Mosul, Iraq", country="SY")
    assert (top.name, top.country) == ("Mosul", "IQ")
    # an unknown place of a named country: that country, precision 3, not a Syrian namesake of "Iraq"
    top = _top("Qxzwq, Iraq", country="SY")
    assert (top.country, top.feature, top.precision) == ("IQ", "country", 3)


def test_a_facilitys_adjectives_go_with_it():
    assert parse("Raqqa national hospital").anchors == ["Raqqa"]
    assert parse("Old Maadan school").anchors == ["Old Maadan"]  # "Old" is the name's, not the school's
    assert parse("the main bakery, Aleppo").anchors == []  # a facility alone names no place
    assert _top("the main bakery, Aleppo", country="SY").precision == 3  # the governorate named
    assert parse("مطار كويرس العسكري").anchors == ["كويرس"]  # the military airport of Kuweires


def test_parse_two_places_joined_by_and_names_the_first():
    # "of" inside the second place must not leave the conjunction on the first one's name
    p = parse("the town of Qarmala and the village of Dubsiya, Raqqa")
    assert p.anchors == ["Qarmala"]
    # a dangling conjunction (a list cut short) is not part of the name, before a facility word too
    assert parse("Aleppo or").anchors == ["Aleppo"]
    assert (parse("Deir ez-Zor airport and").anchors, parse("Deir ez-Zor airport and").precision) == (
        ["Deir ez Zor"], 2)
    assert parse("and").anchors == [] and geocode("and", country="SY") == []
    # a word of the vocabularies alone names nothing ("the town" was a fuzzy village); the next part counts
    for text in ("the town", "the ISIS-held town", "road", "the area"):
        assert parse(text).anchors == [] and geocode(text, country="SY") == [], text
    assert _top("Road near Tal Tamr", country="SY").name.startswith("Tal")


def test_parse_arabic_area_and_facility_words():
    p = parse("بادية هجين")  # the desert of Hajin
    assert p.anchors == ["هجين"] and p.precision == 3
    assert parse("شارع تل أبيض").anchors == ["تل أبيض"]  # one facility word off: "تل" is the name's
    assert parse("حارة البدو").quarter and parse("حارة البدو").anchors == ["البدو"]


def test_a_generic_word_of_a_quarter_name_may_be_left_out(tmp_path):
    gaz = _invented(tmp_path, (
        "Karam al-Zuwayqi,36.20,37.18,SY,Aleppo,neighbourhood\n"
        "Hasrat,35.10,40.10,SY,Raqqa,village\n"
    ))
    assert geocode("Al Zuwayqi, Aleppo", country="SY", gazetteer=gaz)[0].name == "Karam al-Zuwayqi"


def test_al_balad_is_the_old_town_of_a_city_not_its_governorate():
    p = parse("Daraa al-Balad")
    assert p.anchors == ["Daraa"] and p.precision == 2
    top = _top("Daraa al-Balad", country="SY")
    assert top.feature == "city" and top.precision == 2


def test_parse_kind_words_before_the_name_are_kept_as_hints():
    assert parse("حي المشهد").quarter and parse("the quarter of Qarmala").quarter
    assert parse("قرية قارموكس").village and parse("the village of Qarmala").village
    assert not parse("Qarmala in the neighbourhood of Aleppo").quarter


def test_a_village_said_as_such_is_not_a_quarter_of_that_name(tmp_path):
    # Invented namesakes: a quarter of Aleppo city and a village of Aleppo governorate.
    csv_path = _write_csv(tmp_path / "qumra.csv", (
        "name,lat,lon,country,admin1,feature\n"
        "Qumra,36.205,37.155,SY,Aleppo,neighbourhood\n"
        "Qumra,36.45,37.65,SY,Aleppo,village\n"
    ))
    gaz = Gazetteer().extend(read_shipped()).extend(read_user_csv(csv_path))
    assert geocode("Qumra, Aleppo", country="SY", gazetteer=gaz)[0].feature == "neighbourhood"
    assert geocode("Qumra village, Aleppo", country="SY", gazetteer=gaz)[0].feature == "village"


def test_a_quarter_said_as_such_is_never_a_foreign_capital(tmp_path):
    gaz = _invented(tmp_path, (
        "Nimrodabad,36.30,59.60,IR,,capital\n"
        "Nimrodabad,36.21,37.16,SY,Aleppo,neighbourhood\n"
    ))
    # A capital named alone is a speaker's place; "the quarter of" it is the Syrian quarter.
    assert geocode("Nimrodabad", country="SY", gazetteer=gaz)[0].country == "IR"
    assert geocode("the quarter of Nimrodabad", country="SY", gazetteer=gaz)[0].country == "SY"


def test_parse_town_colon_detail():
    p = parse("Manbij: the grain silos")
    assert p.towns == ["Manbij"] and "Manbij" in p.context


def test_parse_arabic_relative_words():
    p = parse("قرب البوكمال")
    assert p.anchors == ["البوكمال"] and p.precision == 2
    assert parse("ريف حلب").precision == 3


# --------------------------------------------------------------------------------------------- geocode


def _top(query, **kw):
    cands = geocode(query, limit=3, **kw)
    assert cands, f"nothing for {query!r}"
    return cands[0]


def test_spellings_of_one_town_resolve_to_the_same_place():
    points = [_top(q, country="SY") for q in ("Abu Kamal", "Albu Kamal", "Al Bukamal", "البوكمال")]
    assert {p.country for p in points} == {"SY"}
    assert {p.admin1 for p in points} == {"Deir ez-Zor"}
    assert max(km(points[0].lat, points[0].lon, p.lat, p.lon) for p in points) < 5


def test_candidate_has_the_contract_fields():
    d = _top("Manbij").to_dict()
    for field in ("name", "country", "admin1", "lat", "lon", "precision", "score", "gazetteer_id"):
        assert field in d
    assert 0 < d["score"] <= 1 and d["precision"] == 1 and d["country"] == "SY"


def test_near_keeps_the_anchor_point_with_precision_2():
    plain, near = _top("Palmyra"), _top("near Palmyra")
    assert (near.lat, near.lon) == (plain.lat, plain.lon)
    assert plain.precision == 1 and near.precision == 2


def test_countryside_and_governorates_are_precision_3():
    assert _top("rural Hama").precision == 3
    anbar = _top("Anbar")
    assert anbar.precision == 3 and anbar.country == "IQ" and anbar.feature == "admin1"
    assert _top("Hama province").feature == "admin1"


def test_a_bare_city_name_is_the_city_not_its_governorate():
    top = _top("Raqqa")
    assert top.feature == "city" and top.precision == 1


def test_reporting_regions_are_precision_3():
    top = _top("Upper Mesopotamia")
    assert top.feature == "region" and top.precision == 3
    assert _top("the Euphrates valley").feature == "region"


def test_capitals_are_not_mistaken_for_villages_even_with_a_country_hint():
    capitals = (("Moscow", "RU"), ("Paris", "FR"), ("Ankara", "TR"), ("Tehran", "IR"), ("Beirut", "LB"))
    for city, country in capitals:
        assert _top(city, country="SY").country == country


def test_country_hint_chooses_between_same_named_places():
    assert _top("Albu Kamal", country="IQ").country == "IQ"
    assert _top("Albu Kamal", country="SY").country == "SY"


def test_admin_names_in_the_expression_choose_the_governorate():
    assert _top("Hit, Anbar").country == "IQ"
    assert _top("Hit, Daraa").admin1 == "Daraa"
    top = _top("Kafr Zeita in Hama province")
    assert top.admin1 == "Hama" and top.precision == 1


def test_district_context():
    top = _top("Al-Fatih, Jableh District", country="SY")
    assert top.admin1 == "Latakia"


def test_other_places_of_the_document_pull_ambiguous_names():
    ramadi = _top("Ramadi", country="IQ")
    iraq = locate("Hit", context=[Location(lat=ramadi.lat, lon=ramadi.lon)])
    assert iraq.country == "IQ"
    syria = locate("Hit", context=["Daraa", "Nawa"])
    assert syria.country == "SY" and syria.admin1 == "Daraa"


def test_quarter_of_a_city_resolves_to_the_quarter():
    aleppo = _top("Aleppo")
    top = _top("Sheikh Maqsoud neighbourhood of Aleppo")
    assert top.feature == "neighbourhood" and top.precision == 1
    assert km(top.lat, top.lon, aleppo.lat, aleppo.lon) < 10


def test_unknown_quarter_falls_back_to_the_city_with_precision_2():
    top = _top("Qzzyxq quarter of Aleppo")
    assert top.name == _top("Aleppo").name and top.precision == 2


def test_between_far_apart_places_is_precision_3():
    top = _top("between Baghdad and Mosul")
    assert top.admin1 == "Baghdad" and top.precision == 3


def test_misspelling_found_by_the_fuzzy_fallback_with_a_lower_score():
    exact, fuzzy = _top("Jarablus"), _top("Jarablous")
    assert km(exact.lat, exact.lon, fuzzy.lat, fuzzy.lon) < 5
    assert fuzzy.score < exact.score


def test_locate_fills_the_location_or_leaves_it_null():
    loc = locate("near Manbij", country="SY")
    assert loc.text == "near Manbij" and loc.name and loc.precision == 2 and loc.gazetteer_id
    nothing = locate("Xqzvbnmwq")
    assert nothing.text == "Xqzvbnmwq"
    assert (nothing.name, nothing.lat, nothing.lon, nothing.precision) == (None, None, None, None)


def test_empty_expression_has_no_candidates():
    assert geocode("") == [] and geocode("   ") == []


def test_the_default_gazetteer_is_loaded_once():
    assert default_gazetteer() is default_gazetteer()


def test_arabic_expressions_read_like_english_ones():
    # "في" joins the place to its context; the article of "الطريق" (the road) does not hide the word;
    # in Arabic the building comes before the place it is in.
    p = parse("منزل في تل رفعت")
    assert p.context == ["تل رفعت"]
    between = parse("الطريق بين الرقة و دير الزور")
    assert between.relation == "between" and between.anchors == ["الرقة", "دير الزور"]
    town = _top("Tal Rifaat", country="SY")
    school = _top("مدرسة تل رفعت", country="SY")
    assert school.gazetteer_id == town.gazetteer_id and school.precision == 1


def test_a_preposition_before_the_place_is_not_part_of_its_name():
    # The extractor hands over "on Qayyarah" from "shelling ... on Qayyarah".
    plain = _top("Qayyarah")
    for text in ("on Qayyarah", "into Qayyarah", "inside Qayyarah"):
        top = _top(text)
        assert (top.gazetteer_id, top.country, top.precision) == (plain.gazetteer_id, "IQ", 1)


def test_a_distance_before_the_anchor_keeps_its_point_with_precision_2():
    plain, far = _top("Manbij", country="SY"), _top("20 km from Manbij", country="SY")
    assert (far.name, far.lat, far.lon, far.precision) == (plain.name, plain.lat, plain.lon, 2)
    p = parse("about 5 kilometres north-west of Hit")
    assert p.anchors == ["Hit"] and p.precision == 2 and p.relation == "direction"
    assert parse("10 Tishreen street").precision == 1  # a number that is not a distance stays


def test_a_quarter_of_another_governorates_city_is_not_taken_for_the_place():
    # "Bustan al-Zahra" is a quarter of Aleppo; written with Hama as its governorate it is unknown there,
    # so the answer is the area named (precision 3), not Aleppo's quarter.
    assert _top("Bustan al-Zahra, Aleppo").feature == "neighbourhood"
    top = _top("Bustan al-Zahra, Hama", country="SY")
    assert top.admin1 == "Hama" and top.precision == 3


def test_an_unknown_village_of_a_named_town_resolves_to_the_town_with_precision_2():
    town = _top("Afrin", country="SY")
    top = _top("Xqzvil village, Afrin, Aleppo", country="SY")
    assert top.name == town.name and km(top.lat, top.lon, town.lat, town.lon) < 1 and top.precision == 2


def test_an_unknown_quarter_of_a_city_gives_the_city_once_with_precision_2():
    cands = geocode("Qwxzt quarter, Aleppo", country="SY")
    assert cands[0].feature == "city" and cands[0].precision == 2
    ids = [c.gazetteer_id for c in cands]
    assert len(ids) == len(set(ids))


def test_the_area_fallback_comes_from_a_governorate_not_from_an_unknown_quarter():
    # Neither the building nor the quarter is known: the governorate named last, precision 3.
    top = _top("Qwxzt clinic, Zzqxw neighbourhood, Raqqa", country="SY")
    assert top.admin1 == "Raqqa" and top.precision == 3


def _invented(tmp_path: Path, rows: str) -> Gazetteer:
    csv_path = _write_csv(tmp_path / "invented.csv", "name,lat,lon,country,admin1,feature\n" + rows)
    return Gazetteer().extend(read_user_csv(csv_path))


def test_a_village_named_as_context_places_its_unknown_hamlet_unless_the_village_name_repeats(tmp_path):
    gaz = _invented(tmp_path, (
        "Qarat Dulmun,35.80,39.00,SY,Raqqa,village\n"
        "Sawida,35.20,39.90,SY,Raqqa,village\n"
        "Sawida Saghira,36.30,37.70,SY,Aleppo,village\n"
        "Tall Nimruq,36.00,37.50,SY,Aleppo,village\n"
        "Tall Nimruq,36.40,37.20,SY,Aleppo,village\n"
        "Raqqa,35.95,39.00,SY,Raqqa,admin1\n"
        "Aleppo,36.20,37.15,SY,Aleppo,admin1\n"
    ))
    # "Swida" is not known near Qarat Dulmun: the village named as context, precision 2, not a namesake
    # 100 km away; a hamlet the sources have near it comes first.
    top = geocode("Swida village, Qarat Dulmun, Raqqa", country="SY", gazetteer=gaz)[0]
    assert (top.name, top.precision) == ("Qarat Dulmun", 2)
    # Two villages of Aleppo are called Tall Nimruq: it is no context, and the hamlet's own name decides.
    top = geocode("Swida, Tall Nimruq, Aleppo", country="SY", gazetteer=gaz)[0]
    assert top.name.startswith("Sawida")


def test_a_qualifier_in_another_language_finds_the_village(tmp_path):
    gaz = _invented(tmp_path, (
        "Upper Zaqrun,35.10,40.10,SY,Deir ez-Zor,village\n"
        "Lower Zaqrun,35.05,40.12,SY,Deir ez-Zor,village\n"
    ))
    assert geocode("Zaqrun Fawqani", country="SY", gazetteer=gaz)[0].name == "Upper Zaqrun"
    assert geocode("Zuqroun Tahtani", country="SY", gazetteer=gaz)[0].name == "Lower Zaqrun"


def test_names_without_their_generic_words_and_glued_articles_still_meet(tmp_path):
    gaz = _invented(tmp_path, (
        "Tall Marqab Kabir,35.50,39.50,SY,Raqqa,village\n"
        "Maarat Elnashwan,35.60,36.60,SY,Idlib,village\n"
    ))
    # Both drop a generic word ("Tall", "Jubb"): the cores meet.
    assert geocode("Jubb Marqab", country="SY", gazetteer=gaz)[0].name == "Tall Marqab Kabir"
    # The article glued to "Elnashwan" comes off, and the skeletons meet.
    assert geocode("Ma'arrat an-Nishwan", country="SY", gazetteer=gaz)[0].name == "Maarat Elnashwan"


def test_a_close_spelling_in_the_governorate_named_beats_an_exact_namesake_elsewhere(tmp_path):
    gaz = _invented(tmp_path, (
        "Hawiya,33.10,35.90,SY,Quneitra,village\n"
        "Hawya,36.70,40.00,SY,Al-Hasakah,village\n"
        "Al-Hasakah,36.50,40.75,SY,Al-Hasakah,admin1\n"
    ))
    top = geocode("Hawiya, Al-Hasakah", country="SY", gazetteer=gaz)[0]
    assert top.name == "Hawya" and top.admin1 == "Al-Hasakah"


def test_a_record_where_ocha_has_a_community_counts_as_surveyed():
    # Invented places. Two villages called Qarsuna in one governorate: one is on OCHA's list; the other
    # comes from another source with a population, and OCHA has it as "Eastern Qarsuna" 300 m away.
    # Being on OCHA's list no longer outweighs the namesake's population: both are surveyed communities.
    listed = Place("ocha:C9001", "Qarsuna", "village", "SY", 35.70, 36.60, "Idlib")
    elsewhere = Place("wof:9002", "Qarsunah", "village", "SY", 35.50, 36.90, "Idlib", population=1200)
    same_spot = Place("ocha:C9003", "Eastern Qarsuna", "village", "SY", 35.5027, 36.90, "Idlib")
    gaz = Gazetteer().extend([listed, elsewhere, same_spot])
    assert geocode("Qarsuna", country="SY", gazetteer=gaz)[0].gazetteer_id == "wof:9002"
    # 10 km from the community it is another place: OCHA's own record is the likelier one again.
    far = Place("ocha:C9003", "Eastern Qarsuna", "village", "SY", 35.59, 36.90, "Idlib")
    gaz = Gazetteer().extend([listed, elsewhere, far])
    assert geocode("Qarsuna", country="SY", gazetteer=gaz)[0].gazetteer_id == "ocha:C9001"


def test_x_and_y_or_x_or_y_names_the_first_unless_only_a_later_one_is_known(tmp_path):
    gaz = _invented(tmp_path, (
        "Kashmeh,35.00,40.60,SY,Deir ez-Zor,village\n"
        "Dibsi Qarun,35.90,38.30,SY,Raqqa,village\n"
        "Marqaba,35.95,39.10,SY,Raqqa,village\n"
        "Thawrun,35.80,38.50,SY,Raqqa,town\n"
        "Raqqa,35.95,39.00,SY,Raqqa,admin1\n"
        "Deir ez-Zor,35.33,40.14,SY,Deir ez-Zor,admin1\n"
    ))
    # The first name is unknown: the second, not the governorate's point.
    for text in ("Qxzwv or Kashmeh, Deir ez-Zor", "Qxzwv and Kashmeh, Deir ez-Zor", "قخزوف أو Kashmeh"):
        assert geocode(text, country="SY", gazetteer=gaz)[0].name == "Kashmeh", text
    # Both known: the first named.
    assert geocode("Marqaba and Dibsi Qarun, Raqqa", country="SY", gazetteer=gaz)[0].name == "Marqaba"
    # A later part that resembles a place only with the governorate's help is not taken ("other" is
    # not Thawrun): the governorate, precision 3.
    top = geocode("Qxzwv and other areas, Raqqa", country="SY", gazetteer=gaz)[0]
    assert (top.name, top.precision) == ("Raqqa", 3)


def test_a_namesake_far_from_the_governorate_named_gives_way_to_the_governorate():
    # Invented places (not a user's, which would come first anyway).
    places = [
        Place("t:1", "Qarat Dulmun", "village", "SY", 35.80, 39.00, "Raqqa"),
        Place("t:2", "Tall Sawida", "village", "SY", 36.60, 38.30, "Raqqa"),
        Place("t:3", "Raqqa", "admin1", "SY", 35.95, 39.00, "Raqqa"),
        Place("t:4", "Nahdun", "village", "SY", 32.70, 36.10, "Daraa"),  # 400 km south of Raqqa's places
        Place("t:5", "Khan Qurmuz", "town", "SY", 35.40, 36.70, "Idlib"),
        Place("t:6", "Daraa", "admin1", "SY", 32.62, 36.10, "Daraa"),
        Place("t:7", "Idlib", "admin1", "SY", 35.93, 36.63, "Idlib"),
    ]
    gaz = Gazetteer().extend(places)
    # A village 400 km from Raqqa is not "Nahdun, Raqqa": the governorate named, precision 3.
    top = geocode("Nahdun, Raqqa", country="SY", gazetteer=gaz)[0]
    assert (top.name, top.precision) == ("Raqqa", 3)
    # A town named with the wrong governorate is still the town: writers misfile towns, not villages.
    assert geocode("Khan Qurmuz, Raqqa", country="SY", gazetteer=gaz)[0].name == "Khan Qurmuz"
    # A village of the next governorate, a few km from the border, is the place.
    gaz = Gazetteer().extend([*places, Place("t:8", "Nahdun", "village", "SY", 36.62, 38.26, "Aleppo")])
    top = geocode("Nahdun, Raqqa", country="SY", gazetteer=gaz)[0]
    assert (top.name, top.admin1) == ("Nahdun", "Aleppo")


def test_a_settlement_grown_into_parts_wins_a_tie_between_namesakes():
    # Invented places: two villages called Qarsuna in one governorate; near the second, 3 km away,
    # "Eastern Qarsuna" and "Western Qarsuna": it has grown into parts, the likelier one to be meant.
    places = [
        Place("t:1", "Qarsuna", "village", "SY", 35.90, 36.50, "Idlib"),
        Place("t:2", "Qarsuna", "village", "SY", 35.50, 36.90, "Idlib"),
        Place("t:3", "Eastern Qarsuna", "village", "SY", 35.50, 36.93, "Idlib"),
        Place("t:4", "Western Qarsuna", "village", "SY", 35.50, 36.87, "Idlib"),
    ]
    assert geocode("Qarsuna", country="SY", gazetteer=Gazetteer().extend(places))[0].gazetteer_id == "t:2"
    # Without the parts the tie falls to the first id.
    assert geocode("Qarsuna", country="SY", gazetteer=Gazetteer().extend(places[:2]))[0].gazetteer_id == "t:1"


def _two_namesakes(tmp_path: Path) -> Gazetteer:
    # Invented places: a village in the governorate's central district, a town in another district.
    csv_path = _write_csv(tmp_path / "namesakes.csv", (
        "name,lat,lon,country,admin1,admin2,feature\n"
        "Khirbat Qurmuz,35.30,40.10,SY,Deir ez-Zor,Deir-ez-Zor,village\n"
        "Khirbat Qurmuz,34.60,40.80,SY,Deir ez-Zor,Abu Kamal,town\n"
    ))
    return Gazetteer().extend(read_shipped()).extend(read_user_csv(csv_path))


def test_a_bare_governorate_name_is_the_governorate_and_a_district_only_when_said(tmp_path):
    gaz = _two_namesakes(tmp_path)
    # "Deir Ezzor" names the governorate (both places are in it): the town's prior decides.
    top = geocode("Khirbat Qurmuz, Deir Ezzor", country="SY", gazetteer=gaz)[0]
    assert top.feature == "town"
    # "Deir ez-Zor District" names the district: the village in it comes first.
    top = geocode("Khirbat Qurmuz, Deir ez-Zor District", country="SY", gazetteer=gaz)[0]
    assert top.feature == "village" and top.admin2 == "Deir-ez-Zor"


# ---------------------------------------------------------------------------------------- user places


def _write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_places_take_precedence(tmp_path):
    csv_path = _write_csv(tmp_path / "mine.csv", (
        "name,lat,lon,country,admin1,feature,names\n"
        "Forward Base Cedar,35.1,40.2,SY,Deir ez-Zor,base,FB Cedar|Cedar base\n"
        "Hit,34.9,40.9,SY,Deir ez-Zor,village,\n"
    ))
    gaz = Gazetteer().extend(read_shipped()).extend(read_user_csv(csv_path))
    top = geocode("near FB Cedar", gazetteer=gaz)[0]
    assert top.name == "Forward Base Cedar" and top.precision == 2 and top.gazetteer_id.startswith("user:")
    hit = geocode("Hit", gazetteer=gaz)[0]
    assert hit.gazetteer_id.startswith("user:") and hit.lat == 34.9


def test_user_csv_errors_name_the_file_and_line(tmp_path):
    from strikewatch.errors import UserError

    with pytest.raises(UserError, match="name, lat and lon"):
        read_user_csv(_write_csv(tmp_path / "a.csv", "title,lat\nX,1\n"))
    with pytest.raises(UserError, match="line 2"):
        read_user_csv(_write_csv(tmp_path / "b.csv", "name,lat,lon\nX,north,3\n"))


# ------------------------------------------------------------------------------------------------- CLI


def test_cli_geocode_one_query(cli):
    r = cli("geocode", "near Albu Kamal", "--country", "SY")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["query"] == "near Albu Kamal"
    top = out["candidates"][0]
    assert top["country"] == "SY" and top["precision"] == 2 and top["admin1"] == "Deir ez-Zor"


def test_cli_geocode_batch_keeps_order(cli):
    queries = ["Manbij", "Xqzvbnmwq", "Mosul", "Manbij", ""]
    r = cli("geocode", "-", "--format", "jsonl", input="\n".join(queries) + "\n")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["query"] for x in lines] == queries
    assert lines[0] == lines[3]
    assert lines[1]["candidates"] == [] or lines[1]["candidates"][0]["score"] < 0.6
    assert lines[2]["candidates"][0]["country"] == "IQ"


def test_batch_lines_are_the_json_of_the_candidates():
    from strikewatch.geo.batch import geocode_lines

    queries = ["near Albu Kamal", 'Ḥalab "old city" \\ east', "عفرين", "Xqzvbnmwq", "", "Mosul\tnorth"]
    for query, line in zip(queries, geocode_lines(queries, country="SY"), strict=True):
        want = {"query": query, "candidates": [c.to_dict() for c in geocode(query, country="SY")]}
        assert line == json.dumps(want, ensure_ascii=False)


def test_batch_workers_give_the_same_answers_in_the_same_order():
    from strikewatch.geo.batch import CHUNK, geocode_lines

    # More lines than one chunk, with repeats and blanks, so several chunks go to the two processes.
    base = ["near Albu Kamal", "Mosul", "", "Xqzvbnmwq", "Al-Fatih, Jableh District", "north of Homs"]
    lines = [f"{q}\n" for q in base * (CHUNK // len(base) + 3)]
    one = list(geocode_lines(lines, country="SY"))
    two = list(geocode_lines(lines, country="SY", workers=2))
    assert len(one) == len(lines) and two == one
    assert [json.loads(x)["query"] for x in two] == [x.rstrip("\n") for x in lines]


def test_cli_geocode_batch_with_workers(cli):
    queries = ["Manbij", "Mosul", "near Albu Kamal"] * 3
    one = cli("geocode", "-", "--country", "SY", input="\n".join(queries) + "\n")
    two = cli("geocode", "-", "--country", "SY", "--workers", "2", input="\n".join(queries) + "\n")
    assert one.returncode == two.returncode == 0, two.stderr
    assert two.stdout == one.stdout and len(two.stdout.splitlines()) == len(queries)


def test_cli_user_gazetteer_flag_and_config_dir(cli, tmp_path):
    mine = _write_csv(tmp_path / "bases.csv", "name,lat,lon,country\nObservation Post Juniper,36.5,40.7,SY\n")
    r = cli("geocode", "Observation Post Juniper", "--gazetteer", str(mine))
    assert json.loads(r.stdout)["candidates"][0]["lat"] == 36.5
    home = tmp_path / "home"
    (home / "gazetteer").mkdir(parents=True)
    (home / "gazetteer" / "points.csv").write_text("name,lat,lon\nCheckpoint Rowan,35.5,39.5\n")
    r = cli("geocode", "Checkpoint Rowan", env={"STRIKEWATCH_HOME": str(home)})
    assert json.loads(r.stdout)["candidates"][0]["lon"] == 39.5


@pytest.mark.parametrize("args", [
    ("geocode", "Manbij", "--country", "Narnia"),
    ("geocode", "Manbij", "--country", "XQ"),
    ("geocode", "Manbij", "--format", "xml"),
    ("geocode", "Manbij", "--gazetteer", "/nonexistent/places.csv"),
    ("gazetteer", "build", "--from", "/nonexistent/folder", "--out", "/tmp/never.tsv.gz"),
])
def test_cli_mistakes_are_one_line_without_traceback(cli, args):
    r = cli(*args)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("strikewatch: ")


def test_index_cache_round_trip_and_invalidation(tmp_path, monkeypatch):
    from strikewatch.geo.gazetteer import _read_cache, _signature, _write_cache

    monkeypatch.setenv("STRIKEWATCH_CACHE", str(tmp_path / "cache"))
    mine = _write_csv(tmp_path / "posts.csv", "name,lat,lon,country\nOutpost Larch,34.2,40.1,SY\n")
    gaz = Gazetteer().extend(read_user_csv(mine))
    sig = _signature((str(mine),))
    _write_cache(sig, gaz)
    back = _read_cache(sig)
    assert back is not None and len(back) == len(gaz)
    assert geocode("near Outpost Larch", gazetteer=back)[0].to_dict() == geocode(
        "near Outpost Larch", gazetteer=gaz)[0].to_dict()
    _write_csv(mine, "name,lat,lon,country\nOutpost Larch,34.3,40.1,SY\n")
    assert _signature((str(mine),)) != sig
    monkeypatch.setenv("STRIKEWATCH_CACHE", "off")
    assert _read_cache(sig) is None


def test_world_places_match_only_their_exact_names():
    assert all(c.country in ("SY", "IQ") for c in geocode("in the Gogjali district", limit=10))
    assert _top("Kigali").country == "RW"


def test_the_word_quarter_prefers_a_quarter_to_a_village_of_the_same_name():
    top = _top("the Sheikh Saeed quarter")
    assert top.feature == "neighbourhood" and top.admin1 == "Aleppo"


def test_a_quarter_named_without_its_masaken_is_found_in_its_city():
    # "Masaken" (housing blocks) comes and goes in quarter names: "Hanano" is Masaken Hanano in Aleppo,
    # not a village of another governorate or a near spelling.
    top = _top("Hanano, Aleppo", country="SY")
    assert top.feature == "neighbourhood" and top.admin1 == "Aleppo" and "Hanano" in top.name
    # "housing district" says quarter too: a village of that name elsewhere is not it.
    top = _top("the Hanano housing district", country="SY")
    assert top.feature == "neighbourhood" and top.admin1 == "Aleppo"
    # Alone, "Hanano" is the village of that exact name; in a story about Aleppo's quarters, the quarter.
    assert _top("Hanano", country="SY").feature == "village"
    top = _top("Hanano", country="SY", context=["Sheikh Saeed", "Aleppo", "Jabal Badro"])
    assert top.feature == "neighbourhood" and top.admin1 == "Aleppo"


@pytest.mark.parametrize("expression, ends", [
    ("the Manbij-Jarablus road", ["Manbij", "Jarablus"]),
    ("near the Azaz-Afrin highway", ["Azaz", "Afrin"]),
    ("the Jisr al-Shughur-Ariha road", ["Jisr al-Shughur", "Ariha"]),
    ("the road between Saraqib and Ariha", ["Saraqib", "Ariha"]),
])
def test_a_road_named_by_its_ends_is_between_them(expression, ends):
    parsed = parse(expression)
    assert parsed.relation == "between"
    assert parsed.anchors == ends
    assert parsed.precision >= 2


@pytest.mark.parametrize("expression", ["Deir ez-Zor road", "the Tall al-Abyad road", "Ras al-Ain road"])
def test_a_hyphenated_article_is_not_a_road_between_two_places(expression):
    assert parse(expression).relation != "between"


def test_a_road_resolves_to_the_point_halfway_with_a_coarse_precision():
    # "between A and B" and "the A-B road": halfway between the ends when they are up to
    # BETWEEN_MIDPOINT km apart, named after A; precision 2 when they are close, 3 when far apart.
    gaz = default_gazetteer()
    manbij = geocode("Manbij", country="SY", limit=1, gazetteer=gaz)[0]
    jarablus = geocode("Jarablus", country="SY", limit=1, gazetteer=gaz)[0]
    half = ((manbij.lat + jarablus.lat) / 2, (manbij.lon + jarablus.lon) / 2)
    for text in ("the Manbij-Jarablus road", "the road between Manbij and Jarablus"):
        top = geocode(text, country="SY", limit=1, gazetteer=gaz)[0]
        assert top.name == manbij.name and km(top.lat, top.lon, *half) < 1
        assert top.precision == 2  # the two towns are close
    homs = geocode("Homs", country="SY", limit=1, gazetteer=gaz)[0]
    raqqa = geocode("Raqqa", country="SY", limit=1, gazetteer=gaz)[0]
    assert km(homs.lat, homs.lon, raqqa.lat, raqqa.lon) > BETWEEN_MIDPOINT
    far = geocode("the road between Homs and Raqqa", country="SY", limit=1, gazetteer=gaz)[0]
    assert km(far.lat, far.lon, homs.lat, homs.lon) < 3 and far.precision == 3  # too far apart: A's point


def test_the_governorate_named_outweighs_a_closer_spelling_elsewhere():
    gaz = default_gazetteer()
    # Two villages named alike in different governorates: the governorate given picks one.
    for gov in ("Idlib", "Aleppo"):
        top = geocode(f"Mintar, {gov}", country="SY", limit=1, gazetteer=gaz)[0]
        assert top.admin1 == gov


@pytest.mark.parametrize("expression, anchor, precision", [
    ("the market of Saraqib", "Saraqib", 2),
    ("the vegetable market in Saraqib, Idlib", "Saraqib", 2),
    ("Saraqib market", "Saraqib", 1),
    ("Hajin farms", "Hajin", 2),
    ("the farms of Hajin", "Hajin", 2),
    ("Rural Saraqib", "Saraqib", 3),
    ("Saraqib countryside", "Saraqib", 3),
])
def test_descriptive_expressions_reduce_to_their_anchor(expression, anchor, precision):
    gaz = default_gazetteer()
    want = geocode(anchor, country="SY", limit=1, gazetteer=gaz)[0]
    top = geocode(expression, country="SY", limit=1, gazetteer=gaz)[0]
    assert km(top.lat, top.lon, want.lat, want.lon) < 3
    assert top.precision == precision
