"""Fusion, claims, contradictions and grades on events and documents built here (sentences are our own)."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strikewatch.fuse import fuse_events, incident_id, refuse_window
from strikewatch.records import (
    Actor,
    Claim,
    DateSpan,
    Document,
    Effect,
    Event,
    Evidence,
    Fatalities,
    Location,
    Quantities,
    Target,
)

# Places (coordinates rounded): two villages 6 km apart, a town 40 km away.
QARYA = dict(name="Qarya", country="SY", lat=35.950, lon=39.010)
SAGHIRA = dict(name="Saghira", country="SY", lat=35.990, lon=39.060)
MADINA = dict(name="Madina", country="SY", lat=36.300, lon=39.000)


def doc(doc_id: str, outlet: str | None, published: str = "2016-05-03", kind: str = "news",
        copy_of: str | None = None) -> Document:
    return Document(id=doc_id, text=f"text of {doc_id}", published=date.fromisoformat(published),
                    outlet=outlet, kind=kind, copy_of=copy_of)


def ev(eid: str, doc_id: str, *, day: str | None = "2016-05-02", end: str | None = None, place=QARYA,
       precision: int | None = 2, sub_type: str = "Air/drone strike", actor: str | None = "Coalition",
       actor_text: str | None = None, target: str | None = None, target_text: str | None = None,
       speaker: str | None = None, modality: str = "asserted", killed: int | None = None,
       civilians: int | None = None, children: int | None = None, whose: str | None = None,
       strikes: int | None = None, effects=(), sentence: str = "", start: int = 0) -> Event:
    type_ = {"Armed clash": "Battles", "Government regains territory": "Battles",
             "Non-state actor overtakes territory": "Battles"}.get(sub_type, "Explosions/Remote violence")
    loc = Location(text=f"near {place['name']}", precision=precision, **place) if place else Location()
    return Event(
        id=eid, doc_id=doc_id, type=type_, sub_type=sub_type,
        date=DateSpan(start=day, end=end or day, precision="day" if not end else "range"),
        actor=Actor(text=actor_text or actor, name=actor),
        target=Target(text=target_text or target, name=target),
        location=loc, quantities=Quantities(strikes=strikes),
        effects=[Effect(verb=v, count=c, object=o) for v, c, o in effects],
        fatalities=Fatalities(killed=killed, civilians_killed=civilians, children_killed=children,
                              whose=whose),
        claim=Claim(speaker=speaker, modality=modality),
        evidence=Evidence(sentence=sentence, start=start, end=start + len(sentence)),
    )


def by_event(incidents):
    return {e: i for i in incidents for e in i.events}


def test_two_outlets_quoting_one_release_make_one_incident_per_strike():
    docs = {d.id: d for d in (doc("dA", "Daily Courier"), doc("dB", "Evening Post"))}
    events = []
    for d in docs:
        events.append(ev(f"{d}1", d, place=QARYA, strikes=2, speaker="CJTF-OIR",
                         effects=[("destroyed", 1, "vehicle")], start=10))
        events.append(ev(f"{d}2", d, place=SAGHIRA, strikes=1, speaker="CJTF-OIR", start=80))
        events.append(ev(f"{d}3", d, place=MADINA, strikes=3, speaker="CJTF-OIR", start=150))
    incidents = fuse_events(events, docs)
    assert len(incidents) == 3
    for inc in incidents:
        assert inc.documents == ["dA", "dB"]
        assert len(inc.events) == 2
        assert inc.grade == "weak"  # one voice (the coalition's release) carried by two outlets
        assert "acting party" in inc.grade_reason and "two documents" in inc.grade_reason
        assert not inc.contradictions
    m = by_event(incidents)
    assert m["dA1"] is m["dB1"] and m["dA2"] is m["dB2"] and m["dA1"] is not m["dA2"]
    strikes = sorted(c.value for c in m["dA3"].claims if c.field == "strikes")
    assert strikes == [3, 3]


def test_ministry_claim_disputed_by_council_is_contested_with_both_values():
    docs = {d.id: d for d in (doc("dM", "Ministry of Defence", kind="government"),
                              doc("dC", "Local Council"))}
    events = [
        ev("m1", "dM", actor="Russia", target="ISIS", target_text="ISIS positions",
           speaker="Russian Ministry of Defence", civilians=0, killed=30, whose="isis"),
        ev("c1", "dC", actor="Russia", target_text="the market", speaker="Qarya local council",
           modality="disputed", killed=36, children=5, whose="civilians"),
    ]
    incidents = fuse_events(events, docs)
    assert len(incidents) == 1
    inc = incidents[0]
    assert inc.grade == "contested" and inc.contested
    fields = {c.field: c for c in inc.contradictions}
    assert {"account", "target", "killed", "civilians_killed", "whose"} <= set(fields)
    speakers = {v.speaker for v in fields["target"].values}
    assert speakers == {"Russian Ministry of Defence", "Qarya local council"}
    assert {v.value for v in fields["killed"].values} == {30, 36}  # both kept, nothing averaged
    assert "disagree" in inc.grade_reason


def test_credit_dispute_between_iraqi_air_force_and_coalition_is_one_contested_incident():
    docs = {d.id: d for d in (doc("dI", "Iraqi News Agency"),
                              doc("dU", "Coalition releases", kind="military"))}
    events = [
        ev("i1", "dI", actor="Iraqi security forces", actor_text="Iraqi air force", target="ISIS",
           target_text="an ISIS headquarters", speaker="Iraqi Ministry of Defence"),
        ev("u1", "dU", actor="Coalition", target="ISIS", target_text="an ISIS headquarters",
           speaker="CJTF-OIR"),
    ]
    incidents = fuse_events(events, docs)
    assert len(incidents) == 1
    actor = [c for c in incidents[0].contradictions if c.field == "actor"]
    assert actor and {v.value for v in actor[0].values} == {"Iraqi security forces", "Coalition"}
    assert incidents[0].grade == "contested"
    assert incidents[0].actors == ["Iraqi security forces", "Coalition"] or set(incidents[0].actors) == {
        "Iraqi security forces", "Coalition"}


def test_one_voice_naming_two_strikers_reports_two_strikes():
    docs = {"dN": doc("dN", "Daily Courier")}
    events = [ev("n1", "dN", actor="Russia", target="ISIS", start=0),
              ev("n2", "dN", actor="Coalition", target="ISIS", start=90)]
    assert len(fuse_events(events, docs)) == 2


def test_different_places_days_and_kinds_stay_apart():
    docs = {d.id: d for d in (doc("d1", "A"), doc("d2", "B"))}
    events = [
        ev("a", "d1", place=QARYA, precision=1),
        ev("b", "d2", place=SAGHIRA, precision=1),  # 6 km away, both named places
        ev("c", "d2", place=QARYA, precision=1, day="2016-05-05"),
        ev("d", "d2", place=QARYA, precision=1, sub_type="Suicide bomb", actor="ISIS"),
    ]
    assert len(fuse_events(events, docs)) == 4


def test_weekly_summary_attaches_to_the_days_it_covers_without_merging_them():
    docs = {d.id: d for d in (doc("d1", "A"), doc("d2", "B"), doc("dW", "Weekly", published="2016-05-09"))}
    events = [
        ev("x", "d1", day="2016-05-02", place=QARYA),
        ev("y", "d2", day="2016-05-04", place=QARYA),
        ev("w", "dW", day="2016-05-01", end="2016-05-07", place=QARYA, strikes=12),
    ]
    incidents = fuse_events(events, docs)
    assert len(incidents) == 2
    for inc in incidents:
        assert "w" in inc.events and "dW" in inc.documents
        assert not any(c.field == "strikes" and c.value == 12 for c in inc.claims)  # a total, not this strike
    assert {inc.date.start for inc in incidents} == {"2016-05-02", "2016-05-04"}


def test_copies_and_comments_are_not_independent_sources():
    docs = {d.id: d for d in (doc("d1", "Wire"), doc("d2", "Mirror", copy_of="d1"),
                              doc("d3", None, kind="comment"))}
    events = [ev("a", "d1"), ev("b", "d2"), ev("c", "d3", killed=99)]
    incidents = fuse_events(events, docs)
    assert len(incidents) == 1
    inc = incidents[0]
    assert inc.grade == "weak" and "copy" in inc.grade_reason and "comment" in inc.grade_reason
    assert not inc.contradictions  # a comment's number is a claim, not a contradiction
    assert any(c.field == "killed" and c.value == 99 for c in inc.claims)


def test_acting_party_plus_an_independent_witness_is_confirmed():
    docs = {d.id: d for d in (doc("dU", "Coalition releases", kind="military"), doc("dW", "Raqqa Monitor"))}
    incidents = fuse_events([ev("u", "dU", speaker="CJTF-OIR", target="ISIS"),
                             ev("w", "dW", actor=None, speaker="residents of Qarya")], docs)
    assert [i.grade for i in incidents] == ["confirmed"]
    assert "acting party" in incidents[0].grade_reason


def test_two_independent_outlets_are_fair_and_a_majority_of_denials_discounts():
    docs = {d.id: d for d in (doc("d1", "A"), doc("d2", "B"), doc("d3", "C"), doc("d4", "D"))}
    fair = fuse_events([ev("a", "d1", actor=None), ev("b", "d2", actor=None)], docs)
    assert [i.grade for i in fair] == ["fair"]
    denied = fuse_events([ev("a", "d1"), ev("b", "d2", modality="denied", speaker="X"),
                          ev("c", "d3", modality="denied", speaker="Y")], docs)
    assert [i.grade for i in denied] == ["discounted"]


def test_unplaced_event_joins_only_its_own_documents_incident():
    docs = {d.id: d for d in (doc("d1", "A"), doc("d2", "B"))}
    events = [ev("a", "d1"), ev("b", "d1", place=None, killed=4), ev("c", "d2", place=None)]
    incidents = fuse_events(events, docs)
    m = by_event(incidents)
    assert m["a"] is m["b"] and m["c"] is not m["a"]


def test_ids_are_deterministic_stable_and_order_free():
    docs = {d.id: d for d in (doc("d1", "A", "2016-05-02"), doc("d2", "B", "2016-05-03"))}
    events = [ev("a", "d1"), ev("b", "d2"), ev("c", "d2", place=MADINA)]
    first = fuse_events(events, docs)
    shuffled = events[:]
    random.Random(4).shuffle(shuffled)
    assert [i.to_dict() for i in fuse_events(shuffled, docs)] == [i.to_dict() for i in first]
    # a later report joining keeps the id (anchored on the earliest-published member)
    docs["d3"] = doc("d3", "C", "2016-05-20")
    later = fuse_events(events + [ev("z", "d3")], docs)
    assert {i.id for i in later} == {i.id for i in first}
    assert by_event(later)["a"].id == incident_id("a")


def test_refuse_window_covers_margin():
    lo, hi = refuse_window([ev("a", "d1", day="2016-05-02"),
                            ev("w", "d1", day="2016-05-01", end="2016-05-07")])
    assert lo.isoformat() == "2016-04-28" and hi.isoformat() == "2016-05-10"
    assert refuse_window([ev("u", "d1", day=None)]) is None


def test_blocked_index_gives_the_same_answer_as_the_reference():
    rng = random.Random(7)
    docs = {f"d{k}": doc(f"d{k}", rng.choice(["A", "B", "C", None]), f"2016-05-{rng.randint(1, 9):02d}")
            for k in range(30)}
    actors = ["Coalition", "Russia", None, "Iraqi security forces", "ISIS"]
    events = []
    for k in range(300):
        place = dict(name="p", country="SY", lat=35 + rng.random() * 1.6, lon=39 + rng.random() * 1.6,
                     admin1=rng.choice([None, "Raqqa", "Aleppo"]))
        day = f"2016-05-{rng.randint(1, 6):02d}"
        end = None if rng.random() < 0.9 else f"2016-05-{rng.randint(7, 12):02d}"
        kinds = ["Air/drone strike", "Armed clash", "Shelling/artillery/missile attack"]
        events.append(ev(f"e{k:03d}", rng.choice(list(docs)), day=None if rng.random() < 0.05 else day,
                         end=end, place=None if rng.random() < 0.1 else place,
                         precision=rng.choice([1, 2, 2, 3]), actor=rng.choice(actors),
                         target=rng.choice([None, "ISIS", "Syrian opposition"]), sub_type=rng.choice(kinds),
                         killed=rng.choice([None, 1, 2])))
    fast = fuse_events(events, docs)
    slow = fuse_events(events, docs, blocked=False)
    assert [i.to_dict() for i in fast] == [i.to_dict() for i in slow]
    assert 1 < len(fast) < len(events)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(
    st.sampled_from(["d1", "d2", "d3"]),
    st.one_of(st.none(), st.sampled_from(["2016-05-01", "2016-05-02", "2016-13-40", "", "2016-05"])),
    st.one_of(st.none(), st.sampled_from(["2016-05-02", "2016-05-09", "2015-01-01"])),
    st.one_of(st.none(), st.floats(34, 37), st.just(float("nan"))),
    st.one_of(st.none(), st.integers(-1, 5)),
    st.sampled_from(["Air/drone strike", "Armed clash", "Government regains territory", "", "Something new"]),
    st.one_of(st.none(), st.sampled_from(["Coalition", "Russia", "ISIS", "unknown", "nobody we know"])),
    st.sampled_from(["asserted", "denied", "disputed", "claimed", None]),
), max_size=25))
def test_odd_input_never_breaks_fusion_and_every_event_lands(rows):
    docs = {d: doc(d, d.upper()) for d in ("d1", "d2")}  # d3 has no Document
    events = []
    for k, (d, start, end, lat, precision, sub_type, actor, modality) in enumerate(rows):
        place = None if lat is None else dict(name="p", country="SY", lat=lat, lon=39.0)
        e = ev(f"e{k}", d, day=start, end=end, place=place, precision=precision, sub_type=sub_type,
               actor=actor, modality=modality or "asserted")
        e.claim.modality = modality
        events.append(e)
    events.append(events[0]) if events else None  # the same event twice counts once
    fast = fuse_events(events, docs)
    assert [i.to_dict() for i in fast] == [i.to_dict() for i in fuse_events(events, docs, blocked=False)]
    landed = {e for i in fast for e in i.events}
    assert landed == {e.id for e in events}
    for inc in fast:
        assert inc.grade in ("confirmed", "fair", "weak", "contested", "discounted") and inc.grade_reason
        assert len(inc.events) == len(set(inc.events))


def test_a_governorate_wide_mention_meets_the_one_place_of_its_governorate():
    docs = {d.id: d for d in (doc("d1", "A"), doc("d2", "B"))}
    province = dict(name="Idlib", country="SY", admin1="Idlib", lat=35.79, lon=36.68)
    town = dict(name="Kafr Example", country="SY", admin1="Idlib", lat=36.30, lon=36.20)  # 70 km away
    other = dict(name="Tal Example", country="SY", admin1="Idlib", lat=35.40, lon=36.90)
    events = [ev("p", "d1", place=province, precision=3, actor="Russia"),
              ev("t", "d2", place=town, precision=1, actor="Russia")]
    assert len(fuse_events(events, docs)) == 1
    # two places of the governorate that day: the vague mention cannot tell which, so it stays apart
    docs["d3"] = doc("d3", "C")
    events.append(ev("o", "d3", place=other, precision=1, actor="Russia"))
    incidents = fuse_events(events, docs)
    assert len(incidents) == 3
    assert fuse_events(events, docs, blocked=False) == incidents


# --- judgement on real-style reporting (issue 13): compatible values, disputes, negatives, sources, harm


def test_fighters_beside_a_named_side_is_no_contradiction_but_two_sides_are():
    docs = {d.id: d for d in (doc("d1", "Wire A"), doc("d2", "Wire B"), doc("d3", "Wire C"))}
    generic = fuse_events([ev("a", "d1", killed=8, whose="isis"), ev("b", "d2", killed=8, whose="fighters")],
                          docs)
    assert [i.contradictions for i in generic] == [[]]
    named = fuse_events([ev("a", "d1", killed=8, whose="isis"), ev("c", "d3", killed=8, whose="rebels")],
                        docs)
    assert [c.field for c in named[0].contradictions] == ["whose"]


def test_an_author_calling_a_spokesmans_credit_false_is_a_named_dispute():
    text = ("Coalition aircraft hit the Qarya bridge on Monday, a coalition spokesman said. "
            "That credit is extremely misleading if not false, since local pilots flew the mission.")
    article = Document(id="dA", text=text, published=date(2016, 5, 3), outlet="Plain Record", kind="news")
    blog = Document(id="dB", text="The Qarya bridge was hit from the air on Monday.",
                    published=date(2016, 5, 4), outlet="Sky Notes", author="Ana Brightwater", kind="blog")
    claim = ev("c", "dA", speaker="a coalition spokesman", sentence=text[:77], target_text="the Qarya bridge")
    witness = ev("w", "dB", actor=None, sentence=blog.text, target_text="the Qarya bridge")
    inc, = fuse_events([claim, witness], {"dA": article, "dB": blog})
    assert inc.grade == "contested" and inc.contested
    dispute, = inc.disputes
    assert dispute["by"] == "Plain Record" and dispute["cue"] == "extremely misleading if not false"
    assert dispute["disputed"]["speaker"] == "a coalition spokesman"
    account = next(c for c in inc.contradictions if c.field == "account")
    assert {v.speaker for v in account.values} == {"a coalition spokesman", "Plain Record"}
    assert "disputes the account of a coalition spokesman" in inc.grade_reason


def test_the_acting_partys_own_no_strikes_report_discounts_a_strike_it_never_claims():
    from strikewatch.records import NegativeReport

    release = Document(id="dR", text="There were no reported strikes in Syria on May 2.",
                       published=date(2016, 5, 3), outlet="CJTF-OIR", kind="military")
    post = doc("dP", "Qarya Voices", kind="social")
    neg = NegativeReport(doc_id="dR", country="SY", date=DateSpan(start="2016-05-02", end="2016-05-02"),
                         evidence=Evidence(sentence=release.text, start=0, end=len(release.text)))
    inc, = fuse_events([ev("p", "dP", actor="Coalition")], {"dR": release, "dP": post}, negatives=[neg])
    assert inc.grade == "discounted"
    assert inc.negatives and inc.negatives[0]["doc_id"] == "dR"
    assert inc.stances == {"Coalition": "denied"}
    assert inc.grade_reason.startswith("The acting party itself (CJTF-OIR) reported no strikes in Syria")
    # another party's strike that day, or the coalition's in Iraq, is untouched
    other, = fuse_events([ev("q", "dP", actor="Russia")], {"dR": release, "dP": post}, negatives=[neg])
    assert other.grade == "weak" and not other.negatives


def test_two_speakers_heard_through_one_article_are_one_source():
    docs = {"dA": doc("dA", "Plain Record"), "dB": doc("dB", "Other Daily")}
    quoted = [ev("a1", "dA", speaker="Qarya local council"), ev("a2", "dA", speaker="residents of Qarya")]
    inc, = fuse_events(quoted, docs)
    assert inc.grade == "weak" and "Plain Record" in inc.grade_reason
    # a voice with a report of its own elsewhere stands for itself
    inc, = fuse_events(quoted + [ev("b1", "dB", speaker="Qarya local council")], docs)
    assert inc.grade == "fair"


def test_tolls_are_ranges_over_the_sources_and_each_belligerent_has_a_stance():
    docs = {d.id: d for d in (doc("dM", "Russian Ministry of Defence", kind="government"),
                              doc("dC", "Qarya Monitor"), doc("dK", None, kind="comment"))}
    events = [ev("m", "dM", actor="Russia", speaker="the ministry", killed=20),
              ev("c", "dC", actor="Russia", killed=36, civilians=36, children=5),
              ev("k", "dK", actor="Russia", killed=400)]
    inc, = fuse_events(events, docs)
    assert inc.killed == {"min": 20, "max": 36}  # the comment's figure is no source's
    assert inc.civilians_killed == {"min": 36, "max": 36} and inc.children_killed == {"min": 5, "max": 5}
    assert inc.injured is None
    assert inc.stances == {"Russia": "acknowledged"}
    assert all(r.endswith(".") for r in [inc.grade_reason])


def test_an_unplaced_comment_or_quoted_post_is_context_of_its_article_not_an_incident():
    article = doc("dA", "Plain Record")
    comment = Document(id="dC", text="So many strikes this week.", published=date(2016, 5, 3), kind="comment",
                       parent_id="dA")
    events = [ev("a", "dA"), ev("c", "dC", place=None, precision=None),
              ev("t", "dA", place=None, precision=None, speaker="@qarya_watch", start=90)]
    incidents = fuse_events(events, {"dA": article, "dC": comment})
    assert len(incidents) == 1
    inc = incidents[0]
    assert set(inc.events) == {"a", "c", "t"} and "dC" in inc.documents
    assert inc.grade == "weak"  # context adds no independent source
    # a comment with nothing to attach to stays as its own (weak) incident rather than vanish
    alone = fuse_events([ev("c", "dC", place=None, precision=None)], {"dA": article, "dC": comment})
    assert [i.events for i in alone] == [["c"]]


def test_reports_differing_in_precision_are_one_incident():
    """A village named by one outlet and "near" the town 6 km away by another; a day and a short range."""
    docs = {d.id: d for d in (doc("d1", "A"), doc("d2", "B"), doc("d3", "C"))}
    events = [ev("village", "d1", place=QARYA, precision=1),
              ev("near", "d2", place=SAGHIRA, precision=2),
              ev("range", "d3", place=QARYA, precision=1, day="2016-05-01", end="2016-05-03")]
    incidents = fuse_events(events, docs)
    assert len(incidents) == 1 and set(incidents[0].events) == {"village", "near", "range"}
    assert incidents[0].grade == "fair"


def test_a_comment_that_names_the_place_belongs_to_that_incident():
    article = doc("dA", "Plain Record")
    other = doc("dB", "Other Paper")
    comment = Document(id="dC", text="I saw the jets over Qarya.", published=date(2016, 5, 3), kind="comment",
                       parent_id="dB")
    incidents = fuse_events([ev("a", "dA"), ev("b", "dB", place=MADINA), ev("c", "dC", place=QARYA)],
                            {"dA": article, "dB": other, "dC": comment})
    m = by_event(incidents)
    assert m["c"] is m["a"] and m["c"] is not m["b"]  # the incident it names, not its article's
    assert m["a"].grade == "weak"  # a comment is no independent source


def test_a_month_long_mention_covers_no_day_level_incident():
    docs = {d.id: d for d in (doc("d1", "A"), doc("d2", "B"))}
    events = [ev("day", "d1", place=QARYA),
              ev("month", "d2", place=QARYA, day="2016-05-01", end="2016-05-31")]
    m = by_event(fuse_events(events, docs))
    assert m["day"] is not m["month"] and m["day"].documents == ["d1"]


def test_an_unplaced_mention_meets_the_one_placed_incident_with_its_toll():
    docs = {d.id: d for d in (doc("d1", "A"), doc("d2", "B"), doc("d3", "C"))}
    placed = [ev("a", "d1", place=QARYA, killed=6), ev("b", "d2", place=MADINA, killed=9)]
    m = by_event(fuse_events([*placed, ev("u", "d3", place=None, precision=None, killed=6)], docs))
    assert m["u"] is m["a"]
    # two placed incidents with that toll that day: the unplaced mention stays apart
    twice = [*placed, ev("c", "d2", place=MADINA, killed=6, start=50)]
    m = by_event(fuse_events([*twice, ev("u", "d3", place=None, precision=None, killed=6)], docs))
    assert m["u"] is not m["a"] and m["u"] is not m["c"]
