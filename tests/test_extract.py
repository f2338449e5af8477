"""The event extractor, piece by piece, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from strikewatch.extract.attribution import find_speaker, modality, speaker_actor
from strikewatch.extract.lexicon import lexicon
from strikewatch.extract.places import find_places, place_at
from strikewatch.extract.strikes import find_strike_clauses
from strikewatch.ids import document_id
from strikewatch.pipeline import extract_document
from strikewatch.records import Document

PUB = date(2016, 11, 9)  # a Wednesday


def run(text: str, published: date | None = PUB, **kw):
    doc = Document(id=document_id(text), text=text, published=published, **kw)
    return extract_document(doc, geocode=False)


# ------------------------------------------------------------------------------------------ actors


@pytest.mark.parametrize(
    ("alias", "country", "name"),
    [
        ("Daesh", None, "ISIS"),
        ("ISIL", None, "ISIS"),
        ("Hay'at Tahrir al-Sham", None, "HTS"),
        ("Nusra Front", None, "Jabhat Fateh al-Sham"),
        ("YPG", None, "SDF"),
        ("Turkish fighter jets", None, "Turkey"),
        ("Iraqi F-16 aircraft", None, "Iraqi security forces"),
        ("Hashd al-Shaabi", None, "Popular Mobilization Forces"),
        ("government forces", "SY", "Syrian government forces"),
        ("government forces", "IQ", "Iraqi security forces"),
        ("Kurdish fighters", "IQ", "Peshmerga"),
    ],
)
def test_actor_aliases_resolve_to_canonical_names(alias, country, name):
    entry = lexicon().actor_for(alias, country)
    assert entry is not None and entry.name == name


def test_generic_alias_without_a_country_names_no_country():
    # "government forces" in a story that names no country: a state's forces, whose country stays unknown
    entry = lexicon().actor_for("government forces", None)
    assert entry is not None and entry.name == "Government forces" and entry.country is None
    assert entry.state


def test_short_capitalised_alias_is_case_sensitive():
    ex = run("It is said that Russian jets hit a depot near Saraqib on Tuesday.")
    assert [e.actor.name for e in ex.events] == ["Russia"]


# ------------------------------------------------------------------------------------------ places


@pytest.mark.parametrize(
    ("sentence", "text", "name"),
    [
        ("Warplanes bombed villages north of Hama overnight.", "north of Hama", "Hama"),
        ("Fighting raged on the outskirts of Albu Kamal.", "on the outskirts of Albu Kamal", "Albu Kamal"),
        ("Shells fell on homes in east-Aleppo.", "east-Aleppo", "Aleppo"),
        ("A car bomb exploded near al-Qaim.", "near al-Qaim", "al-Qaim"),
        ("Troops entered the village of Tal Ahmar.", "the village of Tal Ahmar", "Tal Ahmar"),
        ("Jets struck a convoy 10 km SW of Tabqa.", "SW of Tabqa", "Tabqa"),
    ],
)
def test_place_expressions_are_kept_as_written(sentence, text, name):
    places = [p for p in find_places(sentence) if p.country is None]
    assert places and places[0].text == text and places[0].name == name
    assert sentence[places[0].start : places[0].end] == text


def test_who_holds_a_place_is_no_place_and_no_capture():
    # "the ISIS-held town of Hajin": the place is Hajin, and "-held" is no territory event
    ex = run("Coalition aircraft struck the ISIS-held town of Qaryat Dulmun on Tuesday.")
    got = [(e.sub_type, e.location.text) for e in ex.events]
    assert got == [("Air/drone strike", "town of Qaryat Dulmun")]
    ex = run("Coalition aircraft struck Qaryat Dulmun, an ISIS-held town, on Tuesday.")
    assert [(e.sub_type, e.location.text) for e in ex.events] == [("Air/drone strike", "Qaryat Dulmun")]
    # a capture stays one (geocoded: a territory event needs its place); a hyphenated name stays a name
    text = "Government forces captured the rebel-held town of Kafr Nabl on Monday."
    ex = extract_document(Document(id="d2", text=text, published=PUB))
    got = [(e.sub_type, e.location.name) for e in ex.events]
    assert got == [("Government regains territory", "Kafr Nabl")]
    assert [p.name for p in find_places("Jets struck near al-Bab.")] == ["al-Bab"]
    assert [p.name for p in find_places("Jets struck near Deir ez-Zor.")] == ["Deir ez-Zor"]


def test_a_strike_nouns_verb_leads_to_its_place():
    # "Strikes hit Manbij": the trigger is the noun; the place is the object of the verb after it
    ex = run("Strikes hit Qaryat Dulmun on Monday, killing two civilians.")
    assert [(e.sub_type, e.location.text) for e in ex.events] == [("Air/drone strike", "Qaryat Dulmun")]
    ex = run("Airstrikes also targeted Kafr Dulmun on Monday.")
    assert [e.location.text for e in ex.events] == ["Kafr Dulmun"]


def test_a_nationality_alone_is_no_place_but_a_name_with_it_is():
    assert find_places("Jets hit a convoy fleeing toward the Syrian border.") == []
    assert [p.name for p in find_places("A convoy heading toward the Turkish border near Azaz was hit.")] == [
        "Azaz"]
    assert [p.name for p in find_places("Shelling hit camps in the Syrian Desert.")] == ["Syrian Desert"]


def test_actor_names_and_months_are_not_places():
    assert [p.name for p in find_places("Strikes on ISIS in March near Tabqa.") if p.country is None] == [
        "Tabqa"
    ]


def test_object_of_a_capture_verb_is_a_place():
    s = "Rebels seized the Bustan al-Qasr quarter."
    found = place_at(s, s.index("seized") + len("seized"))
    assert found is not None and found.name == "Bustan al-Qasr" and found.text == "the Bustan al-Qasr quarter"


# ---------------------------------------------------------------------------------- strike releases


def test_strike_line_counts_engagements_and_effects():
    line = (
        "* Near Tabqa, three strikes consisting of eight engagements engaged two ISIL tactical units and "
        "destroyed four ISIL fighting positions, an ISIL mortar and a bulldozer."
    )
    [clause] = find_strike_clauses(line)
    assert clause.strikes == 3 and clause.engagements == 8
    assert clause.place is not None and clause.place.text == "Near Tabqa"
    assert [(e.verb, e.count, e.object) for e in clause.effects] == [
        ("engaged", 2, "tactical units"),
        ("destroyed", 4, "fighting positions"),
        ("destroyed", 1, "mortar"),
        ("destroyed", 1, "bulldozer"),
    ]


def test_strike_line_without_comma_and_with_an_article_count():
    [clause] = find_strike_clauses("- Near Baaj an airstrike destroyed an ISIL command and control node.")
    assert clause.strikes == 1 and clause.place.name == "Baaj"
    assert [e.object for e in clause.effects] == ["command and control node"]


def test_two_clauses_in_one_sentence():
    clauses = find_strike_clauses(
        "Two airstrikes west of Haditha destroyed a boat, while four strikes south of Kirkuk struck a tunnel."
    )
    assert [(c.strikes, c.place.text) for c in clauses] == [(2, "west of Haditha"), (4, "south of Kirkuk")]


RELEASE = """March 3, 2017
FOR IMMEDIATE RELEASE
SOUTHWEST ASIA -- On March 2, Coalition military forces conducted 9 strikes against ISIS in Syria and Iraq.
In Syria, Coalition military forces conducted 3 strikes using attack aircraft.
Syria
* Near Tabqa, two strikes destroyed an ISIS boat and a tunnel entrance.
* Near Shaddadi, one strike struck an ISIS tactical unit.
Iraq
* Near Tal Afar, six strikes consisting of 14 engagements destroyed nine ISIS vehicles.
There were no reported strikes in Iraq on March 1.
"""


def test_release_lines_take_country_from_headings_and_date_from_the_lead():
    ex = run(RELEASE, published=date(2017, 3, 3))
    got = [
        (e.location.text, e.location.country, e.quantities.strikes, e.date.start, e.actor.name)
        for e in ex.events
    ]
    assert got == [
        ("Near Tabqa", "SY", 2, "2017-03-02", "Coalition"),
        ("Near Shaddadi", "SY", 1, "2017-03-02", "Coalition"),
        ("Near Tal Afar", "IQ", 6, "2017-03-02", "Coalition"),
    ]
    assert ex.events[2].quantities.engagements == 14
    lead = ex.events[0].evidence
    assert RELEASE[lead.context_start : lead.context_end].startswith("SOUTHWEST ASIA -- On March 2")
    assert all(e.sub_type == "Air/drone strike" and e.type == "Explosions/Remote violence" for e in ex.events)


def test_negative_report_is_not_an_event():
    ex = run(RELEASE, published=date(2017, 3, 3))
    [neg] = ex.negatives
    assert neg.country == "IQ" and neg.date.start == "2017-03-01"
    assert "no reported strikes" in neg.evidence.sentence


# ------------------------------------------------------------------------------------------- prose


def test_prose_strike_with_weekday_casualties_and_reported_speaker():
    ex = run(
        "Russian warplanes struck a bakery in the town of Maarat al-Numan on Monday, killing 11 "
        "civilians including four children, rescue workers said."
    )
    [ev] = ex.events
    assert ev.sub_type == "Air/drone strike" and ev.actor.name == "Russia"
    assert ev.date.start == "2016-11-07" and ev.date.precision == "day"
    assert ev.location.text == "in the town of Maarat al-Numan"
    assert ev.fatalities.killed == 11 and ev.fatalities.children_killed == 4
    assert ev.claim.speaker == "rescue workers" and ev.claim.modality == "reported"
    assert ev.target.name == "civilians"


def test_weekday_equal_to_publication_day_is_that_day():
    ex = run("Turkish artillery shelled YPG positions near Tal Rifaat on Wednesday.")
    [ev] = ex.events
    assert ev.sub_type == "Shelling/artillery/missile attack"
    assert ev.date.start == "2016-11-09"
    assert ev.actor.name == "Turkey" and ev.target.name == "SDF"


def test_party_speaker_makes_a_claim():
    ex = run(
        "The Iraqi Defence Ministry said its aircraft destroyed an ISIS weapons depot near Hawija on Tuesday."
    )
    [ev] = ex.events
    assert ev.actor.name == "Iraqi security forces"
    assert ev.claim.modality == "claimed"


def test_without_publication_date_relative_dates_stay_unresolved():
    ex = run("Coalition jets struck an ISIS convoy near Qaim yesterday.", published=None)
    [ev] = ex.events
    assert ev.date.start is None


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        (
            "A roadside bomb exploded near a police patrol in Tikrit on Monday, killing two officers.",
            "Remote explosive/landmine/IED",
        ),
        ("A suicide bomber blew himself up at a checkpoint in Samarra on Monday.", "Suicide bomb"),
        ("SDF fighters clashed with ISIS near the village of Umm Ashba on Sunday.", "Armed clash"),
        (
            "Gunmen opened fire on worshippers outside a mosque in Baquba on Monday, killing three people.",
            "Attack",
        ),
    ],
)
def test_sub_types(sentence, sub_type):
    assert [e.sub_type for e in run(sentence).events] == [sub_type]


# ------------------------------------------------------------------------------------------ territory


def test_capture_by_government_forces():
    text = "Government forces took the Bustan al-Basha quarter of Aleppo on Tuesday."
    ex = extract_document(Document(id="d1", text=text, published=PUB))  # the gazetteer places Aleppo in Syria
    [ev] = ex.events
    assert ev.sub_type == "Government regains territory"
    assert ev.actor.name == "Syrian government forces"
    assert ev.location.text.startswith("the Bustan al-Basha quarter")


def test_place_falling_to_a_group():
    ex = run("After a week of fighting, Qaryatayn fell again to ISIS on Monday.")
    [ev] = ex.events
    assert ev.sub_type == "Non-state actor overtakes territory"
    assert ev.actor.name == "ISIS" and ev.location.text == "Qaryatayn"


def test_expulsion_names_gainer_and_loser():
    ex = run("The SDF expelled Daesh from the village of Hamra on Sunday.")
    [ev] = ex.events
    assert ev.sub_type == "Non-state actor overtakes territory"
    assert ev.actor.name == "SDF" and ev.target.name == "ISIS"


def test_anaphoric_place_takes_the_last_place_named():
    ex = run("ISIS attacked Sukhnah on Saturday. By Sunday the town fell to ISIS.")
    captures = [e for e in ex.events if e.sub_type == "Non-state actor overtakes territory"]
    assert captures and captures[0].location.text == "Sukhnah"


def test_a_strike_near_the_town_is_placed_at_the_town_named_before():
    text = ("Government forces recaptured Qaryatayn on Saturday. Russian jets struck rebel positions near "
            "the town on Sunday. Syrian aircraft carried out several strikes inside the town on Monday.")
    doc = Document(id=document_id(text), text=text, published=PUB)
    strikes = [e for e in extract_document(doc).events if e.sub_type == "Air/drone strike"]
    assert [e.location.text for e in strikes] == ["near the town", "inside the town"]
    town = [e for e in extract_document(doc).events if e.sub_type == "Government regains territory"][0]
    # The text stays as written; the point is the earlier place's, the relation keeps its precision.
    assert [(e.location.lat, e.location.lon) for e in strikes] == [(town.location.lat, town.location.lon)] * 2
    assert town.location.lat is not None and town.location.country == "SY"
    assert [e.location.precision for e in strikes] == [2, town.location.precision]


def test_a_bare_the_town_in_a_plan_is_no_place_of_a_strike():
    ex = run("Iraqi forces recaptured Rutba on Saturday. "
             "Commanders have said an offensive to retake the town will follow.")
    assert [e.sub_type for e in ex.events] == ["Government regains territory"]


def test_a_place_as_the_subject_of_a_passive_strike_verb():
    ex = run("Talbiseh was also hit by Russian strikes on Monday.")
    assert [(e.sub_type, e.location.text) for e in ex.events] == [("Air/drone strike", "Talbiseh")]
    # An actor in that slot is not a place.
    ex = run("ISIS was hit by Russian strikes near Palmyra on Monday.")
    assert [e.location.text for e in ex.events] == ["near Palmyra"]


# ------------------------------------------------------------------------------------------ attribution


def test_speaker_frames():
    assert (
        find_speaker("Jets hit the bridge, according to an Iraqi military spokesperson.").text
        == "Iraqi military spokesperson"
    )
    assert find_speaker("A commander told Reuters the base was hit.").text == "commander"
    assert find_speaker("The base was hit, said Major Ali Karim, a PMU commander.").text.startswith(
        "Major Ali"
    )
    assert find_speaker("Jets hit the bridge on Monday.") is None


def test_speaker_side():
    assert speaker_actor("the Russian Defence Ministry") == "Russia"
    assert speaker_actor("@SDF_Press_EN") == "SDF"
    assert speaker_actor("a local doctor") is None


@pytest.mark.parametrize(
    ("sentence", "mod"),
    [
        ("The ministry denied that its jets struck the market.", "denied"),
        ("Activists called the coalition's account misleading if not completely false.", "disputed"),
        ("The figure sounded very dubious to residents.", "disputed"),
        ("The group claimed its fighters destroyed a tank.", "claimed"),
    ],
)
def test_modality_cues(sentence, mod):
    assert modality(sentence, find_speaker(sentence), None) == mod


def test_denial_is_kept_as_a_denied_claim():
    ex = run("Russia denied that its aircraft struck a hospital in Kafr Nabl on Tuesday.")
    assert [e.claim.modality for e in ex.events] == ["denied"]


# ------------------------------------------------------------------------------------------ not events


@pytest.mark.parametrize(
    "sentence",
    [
        "Ankara would consider airstrikes near Manbij if invited by Washington.",
        "The Pentagon is preparing to expand airstrikes around Tabqa next month.",
        "If the army advances, Russian jets will bomb the road to Idlib.",
        "In my view airstrikes on Raqqa are pointless.",
        "Strikes like these are not even pinpricks against a group of that size.",
        "Did coalition jets really hit the dam near Tabqa on Monday?",
        "Coalition nations which have conducted strikes in Syria include Canada and France.",
        "Engineering units began clearing the Bab al-Hadid quarter of mines and explosive devices.",
    ],
)
def test_not_events(sentence):
    assert run(sentence).events == []


# ------------------------------------------------------------------------------------------ evidence


def test_evidence_offsets_point_into_the_document():
    text = "Clashes in Deir ez-Zor.\n\nSyrian army helicopters dropped barrel bombs on Daraya on Monday."
    ex = run(text)
    assert ex.events
    for ev in ex.events:
        assert text[ev.evidence.start : ev.evidence.end] == ev.evidence.sentence
        assert ev.location.text in ev.evidence.sentence
        assert ev.id.startswith("e")


def test_event_ids_are_stable():
    text = "Coalition jets struck an ISIS convoy near Qaim on Monday."
    assert [e.id for e in run(text).events] == [e.id for e in run(text).events]


def test_headline_repeating_the_title_gives_no_extra_event():
    title = "Coalition jets hit ISIS convoy near Qaim"
    text = title + "\nCoalition jets struck an ISIS convoy near Qaim on Monday, a spokesman said."
    ex = run(text, title=title)
    assert len(ex.events) == 1


def test_comment_speaks_for_its_author():
    """A reader's comment is its author's own account (asserted), like a post."""
    ex = run(
        "Warplanes hit the bakery near our house in Atarib on Monday.", kind="comment", author="Abu Sami"
    )
    [ev] = ex.events
    assert ev.claim.speaker == "Abu Sami" and ev.claim.modality == "asserted"


# ------------------------------------------------------------------------------------------ context


def test_the_day_something_was_said_is_not_the_day_it_happened():
    text = "Rebel commanders said on Tuesday that Russian air strikes near Talbiseh on Sunday hit a clinic."
    ex = run(text)
    [ev] = ex.events
    assert ev.date.start == "2016-11-06"  # Sunday before the Wednesday of publication, not Tuesday


def test_issuer_header_speaks_for_its_party():
    text = (
        "8 November 2016\n\nMinistry of Defence of the Russian Federation\n\n"
        "On November 7, a Su-34 bomber destroyed a weapons depot near Maarat al-Numan.\n"
    )
    ex = run(text, published=date(2016, 11, 8))
    [ev] = ex.events
    assert ev.actor.name == "Russia" and ev.claim.modality == "asserted"
    assert ev.claim.speaker == "Ministry of Defence of the Russian Federation"


def test_a_backer_is_not_the_actor():
    ex = run(
        "Free Syrian Army fighters supported by Turkish tanks took control of the village of Akhtarin "
        "on Tuesday."
    )
    [ev] = ex.events
    assert ev.actor.name == "Syrian opposition"
    assert ev.sub_type == "Non-state actor overtakes territory"


def test_victims_are_not_the_actor_of_the_strikes_just_reported():
    ex = run("Russian jets bombed Atarib on Monday. Four rebel fighters were killed in the strikes.")
    assert [e.actor.name for e in ex.events] == ["Russia", "Russia"]
    assert ex.events[1].date.start == "2016-11-07"  # the earlier sentence's date
    assert ex.events[1].evidence.context_start == 0


def test_two_clauses_report_two_events_but_a_follow_up_clause_does_not():
    two = run(
        "Coalition jets struck ISIS near Raqqa on Monday; Turkish artillery shelled YPG near Tal Rifaat."
    )
    assert [(e.sub_type, e.actor.name) for e in two.events] == [
        ("Air/drone strike", "Coalition"),
        ("Shelling/artillery/missile attack", "Turkey"),
    ]
    one = run("Russian jets bombed Saraqib on Monday, while the strikes killed five civilians.")
    assert [(e.actor.name, e.fatalities.killed) for e in one.events] == [("Russia", 5)]


def test_another_side_rejecting_an_account_disputes_it():
    ex = run(
        "Rebel commanders said Russian air strikes near Talbiseh on Sunday hit a clinic, rejecting "
        "Moscow's statement."
    )
    assert [e.claim.modality for e in ex.events] == ["disputed"]
