"""Counted effects in prose (extract/effects.py) and how fusion compares the counts of one kind of thing
across sources (fuse/claims.py, fuse/data/judgement.yaml effect_counts). Sentences are our own."""

from __future__ import annotations

from test_fuse import doc, ev

from strikewatch.extract.effects import counted_effects
from strikewatch.fuse import fuse_events


def _said(sentence: str) -> list[tuple[str, int, str]]:
    return [(e.verb, e.count, e.object) for e in counted_effects(sentence)]


def test_counts_after_a_verb_before_a_passive_and_along_a_list() -> None:
    assert _said("Turkish jets destroyed 27 ISIS fuel trucks south of the dam.") == [
        ("destroyed", 27, "fuel trucks")]
    assert _said("The footage showed bomb hits on only two of the trucks.") == [("bomb hits on", 2, "trucks")]
    assert _said("Residents said nine vehicles were destroyed in the raid.") == [("destroyed", 9, "vehicles")]
    assert _said("The drones wrecked three pickups and two boats.") == [
        ("wrecked", 3, "pickups"), ("wrecked", 2, "boats")]


def test_no_count_no_effect() -> None:
    assert _said("Jets struck a convoy of fuel trucks near the dam.") == []  # "a convoy" counts nothing
    assert _said("The strike killed 14 fighters and wounded 6 others.") == []  # a toll, not an effect
    assert _said("The jets destroyed about 40 trucks.") == []  # approximate: no exact count
    assert _said("They destroyed at least 40 trucks.") == []  # a bound is not a count


def _fused(own: tuple, other: tuple):
    docs = {d.id: d for d in (doc("dA", "Ministry Wire", kind="government"),
                              doc("dB", "Open Desk", kind="blog"))}
    events = [ev("a1", "dA", actor="Russia", speaker="Russian Ministry of Defence", effects=[own]),
              ev("b1", "dB", actor="Russia", speaker="Open Desk", effects=[other])]
    incidents = fuse_events(events, docs)
    assert len(incidents) == 1
    return incidents[0]


def test_counts_of_one_thing_contradict_across_sources() -> None:
    inc = _fused(("destroyed", 60, "tanker trucks"), ("destroyed", 4, "fuel tankers"))
    c, = [c for c in inc.contradictions if c.field.endswith(":truck")]
    assert c.field == "destroyed:truck" and {v.value for v in c.values} == {60, 4}
    assert inc.grade == "contested" and "the number of trucks destroyed" in inc.grade_reason


def test_fewer_things_hit_than_another_source_says_were_destroyed() -> None:
    inc = _fused(("destroyed", 60, "tanker trucks"), ("hits on", 4, "trucks"))
    c, = [c for c in inc.contradictions if c.field.endswith(":truck")]
    assert c.field == "count:truck" and {v.value for v in c.values} == {"60 destroyed", "4 hit"}
    assert inc.grade == "contested"


def test_compatible_counts_are_no_contradiction() -> None:
    # what was destroyed was hit: 70 trucks hit fit 60 destroyed
    more_hit = _fused(("destroyed", 60, "tanker trucks"), ("struck", 70, "trucks"))
    assert not more_hit.contradictions and more_hit.grade != "contested"
    same = _fused(("destroyed", 12, "tankers"), ("destroyed", 12, "trucks"))
    assert not same.contradictions
    other_things = _fused(("destroyed", 12, "trucks"), ("destroyed", 3, "bridges"))
    assert not other_things.contradictions
