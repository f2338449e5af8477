"""Control of places: captures, losses and withdrawals make a per-place timeline of holders."""

from __future__ import annotations

from datetime import date

from strikewatch.fuse import control_answer, control_timeline, holder_on, place_key
from strikewatch.records import Actor, Claim, DateSpan, Document, Event, Evidence, Location, Target

TOWN = Location(text="Tal Hamra", name="Tal Hamra", country="SY", lat=35.5, lon=38.4, precision=1,
                gazetteer_id="test:1")


def territorial(eid: str, day: str, actor: str | None, sentence: str, *, target: str | None = None,
                sub_type: str = "Non-state actor overtakes territory", modality: str = "asserted",
                location: Location = TOWN, actor_text: str | None = None) -> Event:
    return Event(id=eid, doc_id="d" + eid, type="Battles", sub_type=sub_type,
                 date=DateSpan(start=day, end=day, precision="day"),
                 actor=Actor(text=actor_text or actor, name=actor), target=Target(text=target, name=target),
                 location=location, claim=Claim(modality=modality),
                 evidence=Evidence(sentence=sentence, start=0, end=len(sentence)))


def test_capture_then_loss_of_a_town():
    events = [
        territorial("a", "2015-05-20", "ISIS", "ISIS fighters overran Tal Hamra on Wednesday."),
        territorial("b", "2015-05-22", "ISIS", "Islamic State consolidated its hold on Tal Hamra."),
        territorial("c", "2016-03-27", "Syrian government forces", "Government forces retook Tal Hamra.",
                    sub_type="Government regains territory", target="ISIS"),
    ]
    timeline = control_timeline(events, {})
    periods = timeline[place_key(TOWN)]
    assert [(p.holder, p.since, p.until) for p in periods] == [
        ("ISIS", "2015-05-20", "2016-03-27"), ("Syrian government forces", "2016-03-27", None)]
    assert periods[0].events == ["a", "b"]
    assert holder_on(periods, date(2015, 12, 1)).holder == "ISIS"
    assert holder_on(periods, "2016-04-01").holder == "Syrian government forces"
    assert holder_on(periods, "2015-01-01") is None
    answer = control_answer(periods, "2015-12-01")
    assert answer["holder"] == "ISIS" and answer["since"] == "2015-05-20" and answer["events"] == ["a", "b"]
    assert control_answer(periods, "2014-01-01")["holder"] is None


def test_withdrawal_hands_the_place_to_the_named_target_or_to_nobody_known():
    events = [
        territorial("a", "2016-01-05", "ISIS", "ISIS took Tal Hamra."),
        territorial("b", "2016-02-10", "ISIS",
                    "ISIS fighters withdrew from Tal Hamra, handing it to the SDF.",
                    sub_type="Non-violent transfer of territory", target="SDF", actor_text="ISIS fighters"),
    ]
    periods = control_timeline(events)[place_key(TOWN)]
    assert [p.holder for p in periods] == ["ISIS", "SDF"]
    events[1] = territorial("b", "2016-02-10", "ISIS", "ISIS fighters withdrew from Tal Hamra overnight.",
                            sub_type="Non-violent transfer of territory", actor_text="ISIS fighters")
    periods = control_timeline(events)[place_key(TOWN)]
    assert [p.holder for p in periods] == ["ISIS", None]  # unknown, never a guess


def test_taker_named_before_a_loss_cue_about_someone_else_keeps_the_place():
    e = territorial("a", "2016-08-12", "SDF", "The SDF entered Tal Hamra after ISIS withdrew.", target="ISIS",
                    actor_text="The SDF")
    assert [p.holder for p in control_timeline([e])[place_key(TOWN)]] == ["SDF"]


def test_denied_captures_and_other_events_do_not_move_the_timeline():
    strike = Event(id="s", doc_id="ds", type="Explosions/Remote violence", sub_type="Air/drone strike",
                   date=DateSpan(start="2016-01-01", end="2016-01-01"), actor=Actor(name="Russia"),
                   location=TOWN)
    denied = territorial("x", "2016-01-02", "Syrian opposition", "Rebels captured Tal Hamra.",
                         modality="denied")
    assert control_timeline([strike, denied], {"ds": Document(id="ds", text="t")}) == {}


def test_places_without_gazetteer_id_are_keyed_by_name_and_country():
    loc = Location(text="in Kafr Example", name="Kafr Example", country="SY")
    assert place_key(loc) == "SY:kafr example"
    assert place_key(Location(text="the hills east of the river")) == "text:the hills east of the river"
    assert place_key(Location()) is None


# --- stative holders, contested periods, quarters around a city, misdated history (issue 13)

from strikewatch.fuse.control import partial_control, stative_holder  # noqa: E402


def strike(eid: str, day: str, sentence: str, *, location: Location = TOWN,
           sub_type: str = "Air/drone strike", type_: str = "Explosions/Remote violence") -> Event:
    return Event(id=eid, doc_id="d" + eid, type=type_, sub_type=sub_type,
                 date=DateSpan(start=day, end=day, precision="day"),
                 actor=Actor(text="Coalition", name="Coalition"),
                 location=location, evidence=Evidence(sentence=sentence, start=0, end=len(sentence)))


def test_stative_sentences_say_who_held_a_place_as_of_their_date():
    held = strike("s1", "2016-06-01",
                  "Coalition jets struck a depot in the ISIS-held town of Tal Hamra on Monday.")
    assert stative_holder(held) == "ISIS"
    after = strike("s2", "2016-07-01",
                   "Shells fell on Tal Hamra, under the control of the Syrian army, at dawn.")
    assert stative_holder(after) == "Syrian government forces"
    history = strike("s3", "2016-07-01", "Tal Hamra, which ISIS had held until March, was quiet.")
    assert stative_holder(history) is None
    periods = control_timeline([held], {})[place_key(TOWN)]
    assert [(p.holder, p.since, p.stative) for p in periods] == [("ISIS", "2016-06-01", ["s1"])]
    answer = control_answer(periods, "2016-06-10")
    assert answer["holder"] == "ISIS" and answer["stative"] == ["s1"] and answer["events"] == []


def test_a_stative_holder_that_disagrees_or_fighting_inside_makes_the_period_contested():
    capture = territorial("a", "2016-05-20", "ISIS", "ISIS fighters overran Tal Hamra on Wednesday.")
    calm = control_timeline([capture], {})[place_key(TOWN)]
    assert calm[0].contested is False
    other = strike("s", "2016-06-01", "Jets hit Tal Hamra, held by the Syrian army, on Monday.")
    clash = strike("c", "2016-06-03", "Fighters clashed in Tal Hamra on Friday.", sub_type="Armed clash",
                   type_="Battles")
    periods = control_timeline([capture, other, clash], {})[place_key(TOWN)]
    assert len(periods) == 1 and periods[0].contested
    assert periods[0].others == ["Syrian government forces"] and periods[0].fighting == ["c"]


def test_a_capture_dated_after_its_own_report_does_not_move_the_timeline():
    report = Document(id="dlate", text="...", published=date(2016, 12, 12))
    late = territorial("late", "2016-12-31", "Syrian government forces",
                       "Government forces had held the town.")
    late.doc_id = "dlate"
    assert control_timeline([late], {"dlate": report}) == {}


def test_quarters_around_a_city_roll_up_into_its_partial_control():
    city = Location(text="Halab", name="Halab", country="SY", lat=36.20, lon=37.16, precision=1,
                    gazetteer_id="test:city")
    quarter = Location(text="Bab Qarya", name="Bab Qarya", country="SY", lat=36.22, lon=37.18, precision=1,
                       gazetteer_id="test:q1")
    far = Location(text="Tal Baid", name="Tal Baid", country="SY", lat=36.60, lon=37.60, precision=1,
                   gazetteer_id="test:far")
    events = [territorial("q", "2016-11-26", "Syrian government forces", "Government forces took Bab Qarya.",
                          location=quarter, sub_type="Government regains territory"),
              territorial("f", "2016-11-26", "ISIS", "ISIS took Tal Baid.", location=far)]
    timelines = control_timeline(events, {})
    parts = partial_control(timelines, city, "2016-12-12")
    assert [(p["place"], p["holder"], p["since"]) for p in parts] == [
        ("Bab Qarya", "Syrian government forces", "2016-11-26")]
    assert partial_control(timelines, city, "2016-11-01") == []
