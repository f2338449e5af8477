"""The lexicon data files are consistent: names other stages rely on exist, every trigger has a type."""

from __future__ import annotations

from strikewatch.extract.lexicon import lexicon, load_data

CONTRACT_SUB_TYPES = {
    "Air/drone strike",
    "Shelling/artillery/missile attack",
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Non-violent transfer of territory",
    "Attack",
    "Remote explosive/landmine/IED",
    "Suicide bomb",
    # ACLED's other political-violence and protest sub-types the lexicon reads
    "Grenade",
    "Chemical weapon",
    "Sexual violence",
    "Abduction/forced disappearance",
    "Looting/property destruction",
    "Excessive force against protesters",
    "Violent demonstration",
}
EVENT_TYPES = {
    "Explosions/Remote violence",
    "Battles",
    "Violence against civilians",
    "Strategic developments",
    "Protests",
    "Riots",
}


def test_actor_names_are_unique_and_complete():
    data = load_data("actors.yaml")
    names = [a["name"] for a in data["actors"]]
    assert len(names) == len(set(names))
    for needed in (
        "Coalition",
        "Russia",
        "Syrian government forces",
        "Iraqi security forces",
        "ISIS",
        "HTS",
        "Jabhat Fateh al-Sham",
        "SDF",
        "Turkey",
        "Syrian National Army",
        "Hezbollah",
        "Iran",
        "Peshmerga",
        "unknown",
    ):
        assert needed in names
    for item in data["actors"]:
        assert item.get("aliases") or item.get("exact"), item["name"]


def test_contextual_and_demonym_targets_are_known_actors():
    lex = lexicon()
    for by_country in lex.contextual.values():
        for name in by_country.values():
            assert name in lex.actors
    assert set(lex.alias_to_actor.values()) <= set(lex.actors)


def test_every_trigger_maps_to_a_contract_sub_type_with_its_event_type():
    lex = lexicon()
    assert set(lex.sub_types) == CONTRACT_SUB_TYPES
    assert {v["type"] for v in lex.sub_types.values()} <= EVENT_TYPES
    assert (
        set(lex.trigger_nouns.values()) | set(lex.trigger_verbs.values()) | set(lex.weapons.values())
        <= CONTRACT_SUB_TYPES
    )


def test_yaml_words_are_strings():
    """YAML reads bare on/no/yes as booleans; every word list must hold strings only."""
    for name in ("actors.yaml", "triggers.yaml", "modality.yaml", "places.yaml"):
        stack = [load_data(name)]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                assert all(isinstance(k, str) for k in item), name
                stack.extend(item.values())
            elif isinstance(item, list):
                assert all(isinstance(v, (str, dict)) for v in item), name
                stack.extend(item)
