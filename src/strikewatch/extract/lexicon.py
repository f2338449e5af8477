"""The extractor's domain knowledge, loaded once from the data files in ``strikewatch/lexicon``.

Nothing here knows about a particular report: the files list actors and their aliases, event triggers by
ACLED sub-event type, weapons, place words and the cues of speech and modality. This module only reads
them and compiles the lookups the rules need (regular expressions and alias tables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from strikewatch.extract import rxcache as rx


def load_data(name: str) -> Any:
    """Parse one YAML file of the lexicon package."""
    path = resources.files("strikewatch.lexicon").joinpath(name)
    with path.open("r", encoding="utf-8") as fh:
        # libyaml's parser when PyYAML has it: the pure-Python one took 0.15 CPU-s of every start-up
        return yaml.load(fh, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader either way


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def words_regex(words: list[str], *, flags: int = re.IGNORECASE, plain: bool = False) -> re.Pattern[str]:
    """One alternation of whole words/phrases, longest first so "air strikes" beats "air"."""
    parts = sorted({w for w in words if w}, key=lambda w: (-len(w), w))  # one order in every process
    body = alternation([re.escape(p).replace(r"\ ", r"\s+") for p in parts],
                       ignore_case=bool(flags & re.IGNORECASE)) or r"(?!x)x"
    if plain:
        return rx.compile(body, flags)
    return rx.compile(rf"(?<![\w-])(?:{body})(?![\w])", flags)


def alternation(alternatives: list[str], *, ignore_case: bool) -> str:
    """``"|".join(alternatives)``, grouped by first character behind a lookahead when there are many.

    Python's regex engine tries an alternation branch by branch at every position: the 3,000 actor
    aliases cost a few hundred microseconds per sentence searched. Grouped, it tries one lookahead per
    first character and then only the branches that can start there. The matches are the same: within
    a group the branches keep their order, and no two groups can start at the same character (keys are
    folded as the engine folds case; where that cannot be shown, the plain alternation is returned)."""
    plain = "|".join(alternatives)
    if len(alternatives) < 16:
        return plain
    groups: dict[str, tuple[str, list[str]]] = {}
    for alt in alternatives:
        atom = r"\s" if alt.startswith(r"\s+") else alt[:2] if alt.startswith("\\") else alt[:1]
        if not atom or (atom != r"\s" and atom[-1].isspace()):
            return plain
        key = atom.lower() if ignore_case else atom
        groups.setdefault(key, (atom, []))[1].append(alt)
    if ignore_case:  # a non-ASCII first character that folds to another group's shares its starts
        atoms = [atom for atom, _ in groups.values()]
        for a in (a for a in atoms if not a.isascii()):
            if any(b != a and (re.fullmatch(re.escape(a), b, re.I) or re.fullmatch(re.escape(b), a, re.I))
                   for b in atoms):
                return plain
    return "|".join(f"(?={atom})(?:{'|'.join(alts)})" for atom, alts in groups.values())


@dataclass(frozen=True)
class ActorEntry:
    """A canonical actor: its name, country, affiliation and whether it is a state force."""

    name: str
    country: str | None
    affiliation: str | None
    state: bool


@dataclass
class Lexicon:
    actors: dict[str, ActorEntry]
    alias_to_actor: dict[str, str]  # lower-cased alias -> canonical name
    exact_to_actor: dict[str, str]  # case-sensitive alias -> canonical name
    contextual: dict[str, dict[str, str]]  # lower-cased generic alias -> {country: canonical name}
    speaker_aliases: dict[str, str]  # lower-cased speaker phrase -> canonical actor
    sub_types: dict[str, dict[str, Any]]
    trigger_nouns: dict[str, str]  # lower-cased phrase -> sub_type
    trigger_verbs: dict[str, str]
    generic_verbs: set[str]
    weapons: dict[str, str]  # lower-cased weapon word -> sub_type
    territory: dict[str, list[str]]
    strike_release: dict[str, list[str]]
    modality: dict[str, Any]
    places: dict[str, Any]
    regex: dict[str, re.Pattern[str]] = field(default_factory=dict)
    triggers: dict[str, Any] = field(default_factory=dict)  # triggers.yaml as read (word lists by name)

    def actor_for(self, text: str, country: str | None = None) -> ActorEntry | None:
        """The canonical actor an alias stands for; generic aliases resolve by ``country``."""
        key = " ".join(text.split())
        name = self.exact_to_actor.get(key)
        low = key.lower()
        if name is None:
            name = self.alias_to_actor.get(low)
        if name is None and low.startswith("the "):
            name = self.alias_to_actor.get(low[4:])
        if name is None:
            by_country = self.contextual.get(low) or self.contextual.get(low.removeprefix("the "))
            if by_country:
                # a state's forces of a country the report does not name: "Government forces", no guess
                name = by_country.get(country) if country else None
                if name is None and (country is None or country not in ("SY", "IQ")):
                    name = by_country.get("any")
        return self.actors.get(name) if name else None


@cache
def lexicon() -> Lexicon:
    """Load and compile every lexicon file once per process."""
    actors_data = load_data("actors.yaml")
    actors: dict[str, ActorEntry] = {}
    alias_to_actor: dict[str, str] = {}
    exact_to_actor: dict[str, str] = {}
    speaker_aliases: dict[str, str] = {}
    for item in actors_data["actors"]:
        entry = ActorEntry(
            item["name"], item.get("country"), item.get("affiliation"), bool(item.get("state"))
        )
        actors[entry.name] = entry
        for alias in item.get("aliases") or []:
            alias_to_actor.setdefault(" ".join(str(alias).lower().split()), entry.name)
        for alias in item.get("exact") or []:
            exact_to_actor.setdefault(str(alias), entry.name)
        for alias in item.get("speakers") or []:
            speaker_aliases.setdefault(str(alias).lower(), entry.name)
    contextual = {k.lower(): v or {} for k, v in (actors_data.get("contextual") or {}).items()}
    # "<demonym> <force word>": generated aliases, after the written ones so those win.
    generic_by_country = contextual.get("government forces", {})
    for demonym, name in (actors_data.get("demonyms") or {}).items():
        for word in actors_data.get("force_words") or []:
            alias = f"{demonym} {word}".lower()
            if name:
                alias_to_actor.setdefault(alias, name)
            elif alias not in alias_to_actor:
                contextual.setdefault(
                    alias, contextual.get(f"{demonym} forces".lower()) or generic_by_country
                )
    for possessor, name in (actors_data.get("possessors") or {}).items():
        for word in actors_data.get("force_words") or []:
            for mark in ("'s", "’s"):
                alias_to_actor.setdefault(f"{possessor}{mark} {word}".lower(), name)

    trig = load_data("triggers.yaml")
    trigger_nouns: dict[str, str] = {}
    trigger_verbs: dict[str, str] = {}
    for sub_type, spec in trig["triggers"].items():
        for w in spec.get("nouns") or []:
            trigger_nouns.setdefault(str(w).lower(), sub_type)
        for w in spec.get("verbs") or []:
            trigger_verbs.setdefault(str(w).lower(), sub_type)
    weapons: dict[str, str] = {}
    for sub_type, words in trig["weapons"].items():
        for w in words:
            weapons.setdefault(str(w).lower(), sub_type)
    modality = load_data("modality.yaml")
    places = load_data("places.yaml")

    lex = Lexicon(
        actors=actors,
        alias_to_actor=alias_to_actor,
        exact_to_actor=exact_to_actor,
        contextual=contextual,
        speaker_aliases=speaker_aliases,
        sub_types=trig["sub_types"],
        trigger_nouns=trigger_nouns,
        trigger_verbs=trigger_verbs,
        generic_verbs={str(w).lower() for w in trig["generic_verbs"]},
        weapons=weapons,
        territory={k: [str(w) for w in v] for k, v in trig["territory"].items()},
        strike_release={k: [str(w) for w in v] for k, v in trig["strike_release"].items()},
        modality=modality,
        places=places,
        triggers=trig,
    )
    _compile(lex)
    rx.save()  # the compiled patterns, for the next process
    return lex


def _compile(lex: Lexicon) -> None:
    r = lex.regex
    r["actor"] = words_regex(list(lex.alias_to_actor) + list(lex.contextual))
    r["actor_exact"] = words_regex(list(lex.exact_to_actor), flags=0)
    r["trigger"] = words_regex(list(lex.trigger_nouns) + list(lex.trigger_verbs) + list(lex.generic_verbs))
    r["weapon"] = words_regex(list(lex.weapons))
    for kind, words in lex.territory.items():
        r["territory_" + kind] = words_regex(words)
    r["territory"] = words_regex([w for ws in lex.territory.values() for w in ws])
    sr = lex.strike_release
    r["effect_verb"] = words_regex(sr["effect_verbs"])
    m = lex.modality
    r["speech_verb"] = words_regex(m["speech_verbs"])
    r["according_to"] = words_regex(m["according_to"])
    r["institution"] = words_regex(m.get("institution_words") or [])
    # a day that dates a speech act: "said on Monday", "announced late Tuesday"
    r["speech_time"] = rx.compile(
        rf"\b(?:{'|'.join(sorted(map(re.escape, m['speech_verbs']), key=len, reverse=True))})"
        r"(?:\s+\w+){0,2}?\s+(?:on\s+)?$",
        re.I,
    )
    for kind, words in m["modality"].items():
        r["modality_" + kind] = words_regex(words)
    r["not_modality"] = rx.compile("|".join(m.get("not_modality") or [r"(?!x)x"]), re.I)
    for kind, words in m["not_event"].items():
        r["not_event_" + kind] = words_regex(words)
    t = lex.triggers
    for key, name in (("protest_words", "protest"), ("police_words", "police"),
                      ("military_targets", "military_target"), ("not_triggers", "not_trigger"),
                      ("redeployment_places", "redeployment_place"), ("civilian_words", "civilian")):
        r[name] = words_regex([str(w) for w in t.get(key) or []])
    adjs = "|".join(re.escape(str(w)) for w in t.get("target_tail_adjectives") or [])
    tail_nouns = [str(w) for w in t.get("target_tail_nouns") or []]
    nouns = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in tail_nouns), key=len, reverse=True))
    r["target_tail"] = rx.compile(rf"^(?:[\s-]+(?:{adjs}))?(?:\s+(?:{nouns})\b)*", re.I)
    ordnance = "|".join(sorted((re.escape(str(w)).replace(r"\ ", r"\s+") for w in t.get("ordnance") or []),
                               key=len, reverse=True)) or r"(?!x)x"
    # the object of a verb that is weapons themselves: "destroyed 342 mines and 288 explosive devices"
    r["ordnance"] = rx.compile(r"\s+(?:(?:the|a|an|some|several|dozens\s+of|hundreds\s+of|[\d,]+|\w+)\s+)"
                               r"{0,3}?"
                               rf"(?:{ordnance})\b(?!\s+(?:depots?|factor(?:y|ies)|facilit(?:y|ies)|storage|"
                               r"warehouses?|plants?|sites?|workshops?|stores?))", re.I)
    p = lex.places
    r["country"] = words_regex(list(p["countries"]))
    r["place_stop"] = words_regex(p["not_places"])
