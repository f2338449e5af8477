"""The knowledge fusion applies, loaded once from data files.

Actors, aliases, affiliations and speakers come from ``lexicon/actors.yaml`` (shared with extraction, so a
name means the same thing in both stages); ``lexicon/fusion.yaml`` says how fusion compares them: which
sub-event types can describe one occurrence, which affiliations fight as partners, location radii by
precision, civilian target words and the cues that a place was lost rather than taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from strikewatch import fastyaml as yaml

_WORD = r"(?<![\w]){}(?![\w])"


def _load(name: str) -> dict[str, Any]:
    text = resources.files("strikewatch.lexicon").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _alternation(words: list[str], flags: int) -> re.Pattern[str] | None:
    words = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not words:
        return None
    return re.compile("|".join(_WORD.format(re.escape(w)) for w in words), flags)


@dataclass(frozen=True)
class FusionLexicon:
    """Everything fusion looks up, compiled once per process."""

    affiliation: dict[str, str | None]  # canonical actor name (lower-case) -> affiliation
    canonical: dict[str, str]  # alias (lower-case) -> canonical name
    canonical_exact: dict[str, str]  # case-sensitive alias -> canonical name
    alias_re: re.Pattern[str] | None
    exact_re: re.Pattern[str] | None
    families: dict[str, frozenset[str]]
    partners: frozenset[frozenset[str]]
    partner_map: dict[str, frozenset[str]]  # affiliation -> those it fights beside (itself included)
    strikers: frozenset[str]
    radius_km: dict[int, float]
    effect_verbs: dict[str, str]  # verb -> its class
    directions: dict[str, frozenset[str]]  # word -> compass directions it names
    target_overlaps: frozenset[frozenset[str]]
    date_slack_days: int
    cover_max_days: int  # a ranged mention longer than this covers no day-level incident
    supporting: frozenset[str]
    opposing: frozenset[str]
    civilian_re: re.Pattern[str] | None
    loss_re: re.Pattern[str] | None
    control_sub_types: frozenset[str]

    def canonical_name(self, text: str | None) -> str | None:
        """The canonical actor a name or phrase refers to (longest alias found), or None."""
        return _canonical(self, text)

    def side(self, text: str | None) -> str | None:
        """The affiliation of the actor named in ``text``; None for unknown or unaffiliated actors."""
        name = _canonical(self, text)
        if name is None:
            return None
        return self.affiliation.get(name.lower())

    def family_set(self, sub_type: str | None, type_: str | None) -> frozenset[str]:
        fam = self.families.get(sub_type or "")
        if fam:
            return fam
        return frozenset({"type:" + (type_ or sub_type or "?")})

    def partners_of(self, a: str, b: str) -> bool:
        return a == b or b in self.partner_map.get(a, ())


    def directions_of(self, text: str | None) -> frozenset[str]:
        """Compass directions a place expression names ("north-eastern Aleppo" -> {north, east})."""
        if not text:
            return frozenset()
        out: set[str] = set()
        for word in re.findall(r"[a-z]+", text.lower()):
            out |= self.directions.get(word, frozenset())
        return frozenset(out)

    def targets_overlap(self, a: str, b: str) -> bool:
        return a == b or frozenset((a, b)) in self.target_overlaps or self.partners_of(a, b)

    def verb_class(self, verb: str | None) -> str:
        v = (verb or "hit").strip().lower()
        return self.effect_verbs.get(v, v)

    def is_civilian(self, text: str | None) -> bool:
        return bool(text and self.civilian_re and self.civilian_re.search(text))

    def is_loss(self, sentence: str | None) -> bool:
        return bool(sentence and self.loss_re and self.loss_re.search(sentence))


@lru_cache(maxsize=65536)
def _canonical_cached(lex_id: int, text: str) -> str | None:
    lex = _LEX_BY_ID[lex_id]
    low = text.strip().lower()
    if low in lex.affiliation:  # already a canonical name
        return _proper(lex, low)
    if low in lex.canonical:
        return lex.canonical[low]
    if text.strip() in lex.canonical_exact:
        return lex.canonical_exact[text.strip()]
    best: tuple[int, str] | None = None
    for start, end, name in actor_matches(text, lex):
        if best is None or end - start > best[0]:
            best = (end - start, name)
    return best[1] if best else None


def actor_matches(text: str, lex: FusionLexicon) -> list[tuple[int, int, str]]:
    """(start, end, canonical actor) of every actor alias (case-folded) and exact name in ``text``."""
    out = []
    searches = ((lex.alias_re, lex.canonical, str.lower), (lex.exact_re, lex.canonical_exact, str))
    for pattern, table, key in searches:
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            name = table.get(key(m.group(0)))
            if name:
                out.append((m.start(), m.end(), name))
    return out


def _partner_map(pairs: list[list[str]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for pair in pairs:
        for a in pair:
            out.setdefault(a, {a}).update(pair)
    return {k: frozenset(v) for k, v in out.items()}


_PROPER: dict[int, dict[str, str]] = {}
_LEX_BY_ID: dict[int, FusionLexicon] = {}


def _proper(lex: FusionLexicon, low: str) -> str:
    return _PROPER[id(lex)].get(low, low)


def _canonical(lex: FusionLexicon, text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    return _canonical_cached(id(lex), text)


@cache
def lexicon() -> FusionLexicon:
    """The fusion lexicon (loaded on first use, then shared)."""
    actors = _load("actors.yaml")
    fusion = _load("fusion.yaml")
    affiliation: dict[str, str | None] = {}
    proper: dict[str, str] = {}
    canonical: dict[str, str] = {}
    exact: dict[str, str] = {}
    for actor in actors.get("actors") or []:
        name = actor["name"]
        aff = actor.get("affiliation")
        affiliation[name.lower()] = aff if name.lower() != "unknown" else None
        proper[name.lower()] = name
        for alias in [name, *(actor.get("aliases") or []), *(actor.get("speakers") or [])]:
            canonical.setdefault(alias.lower(), name)
        for alias in actor.get("exact") or []:
            exact.setdefault(alias, name)
    families: dict[str, set[str]] = {}
    for fam, subs in (fusion.get("families") or {}).items():
        for sub in subs:
            families.setdefault(sub, set()).add(fam)
    lex = FusionLexicon(
        affiliation=affiliation,
        canonical=canonical,
        canonical_exact=exact,
        alias_re=_alternation(list(canonical), re.IGNORECASE),
        exact_re=_alternation(list(exact), 0),
        families={k: frozenset(v) for k, v in families.items()},
        partners=frozenset(frozenset(p) for p in fusion.get("partners") or []),
        partner_map=_partner_map(fusion.get("partners") or []),
        strikers=frozenset(fusion.get("strikers") or []),
        radius_km={int(k): float(v) for k, v in (fusion.get("radius_km") or {}).items()},
        date_slack_days=int(fusion.get("date_slack_days") or 0),
        cover_max_days=int(fusion.get("cover_max_days") or 16),
        directions={w.lower(): frozenset(d) for w, d in (fusion.get("directions") or {}).items()},
        target_overlaps=frozenset(frozenset(p) for p in fusion.get("target_overlaps") or []),
        effect_verbs={v.lower(): cls for cls, verbs in (fusion.get("effect_verbs") or {}).items()
                      for v in verbs},
        supporting=frozenset(fusion.get("supporting") or ["asserted", "claimed", "reported"]),
        opposing=frozenset(fusion.get("opposing") or ["denied", "disputed"]),
        civilian_re=_alternation(list(fusion.get("civilian_targets") or []), re.IGNORECASE),
        loss_re=_alternation(list(fusion.get("loss_cues") or []), re.IGNORECASE),
        control_sub_types=frozenset(fusion.get("control_sub_types") or []),
    )
    _PROPER[id(lex)] = proper
    _LEX_BY_ID[id(lex)] = lex
    return lex
