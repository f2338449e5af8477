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
