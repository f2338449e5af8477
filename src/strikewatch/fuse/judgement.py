"""fuse/data/judgement.yaml, compiled once: compatible values, dispute cues, stative control phrases.

Kept apart from ``fuse.lexicon`` (matching rules shared with the extractor's actors) because these are
the judgements fusion makes about what sources say, not about which events describe one occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from strikewatch import fastyaml as yaml

_WORD = r"(?<![\w-]){}(?![\w-])"


def _phrases(words: list[str]) -> re.Pattern[str] | None:
    if any(not isinstance(w, str) for w in words):  # an unquoted "false" or "no" read as a YAML boolean
        raise ValueError(f"fuse/data/judgement.yaml: quote the word lists' entries {words!r}")
    words = sorted({w.strip() for w in words if w and w.strip()}, key=lambda w: (-len(w), w))
    if not words:
        return None
    return re.compile("|".join(_WORD.format(re.escape(w)) for w in words), re.IGNORECASE)


@dataclass(frozen=True)
class Judgement:
    """The vocabularies of fuse/data/judgement.yaml."""

    generic: dict[str, frozenset[str]]  # field -> values compatible with any other value
    dispute_re: re.Pattern[str] | None
    pointer_re: re.Pattern[str] | None
    false_re: re.Pattern[str] | None  # the dispute cues that judge an account false, not merely doubtful
    speech_re: re.Pattern[str] | None
    stative_before: tuple[str, ...]
    stative_after: tuple[str, ...]
    stative_past_re: re.Pattern[str] | None
    quarter_radius_km: float
    quarter_words: tuple[str, str]  # what a city's rolled-up places are called: one, many
    rollup_features: frozenset[str]  # gazetteer kinds whose answer rolls up the places around them
    fighting_sub_types: frozenset[str]
    same_thing: dict[str, str]  # a counted thing's head word -> the word its kind is compared under
    at_least: dict[str, frozenset[str]]  # verb class -> the classes whose counts it is at least

    def thing(self, head: str) -> str:
        """The kind a counted thing is compared under ("tanker" and "truck" are one)."""
        return self.same_thing.get(head, head)

    def is_generic(self, field: str, value: object) -> bool:
        """A value that names nothing in particular for this field ("fighters" as whose dead)."""
        text = " ".join(str(value).lower().split()) if value is not None else ""
        return not text or text in self.generic.get(field, frozenset())


def _load() -> dict[str, Any]:
    text = resources.files("strikewatch.fuse").joinpath("data/judgement.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


@cache
def judgement() -> Judgement:
    """The judgement vocabularies (loaded on first use, then shared)."""
    data = _load()
    compatible = data.get("compatible") or {}
    stative = data.get("stative") or {}
    counts = data.get("effect_counts") or {}
    return Judgement(
        generic={f: frozenset(" ".join(str(v).lower().split()) for v in (d or {}).get("generic") or [])
                 for f, d in compatible.items()},
        dispute_re=_phrases(list(data.get("dispute_cues") or [])),
        pointer_re=_phrases(list(data.get("disputed_pointers") or [])),
        false_re=_phrases(list(data.get("false_cues") or [])),
        speech_re=_phrases(list(data.get("speech_verbs") or [])),
        stative_before=tuple(stative.get("before") or []),
        stative_after=tuple(stative.get("after") or []),
        stative_past_re=_phrases(list(stative.get("past") or [])),
        quarter_radius_km=float(data.get("quarter_radius_km") or 8.0),
        quarter_words=tuple((data.get("quarter_words") or ["quarter", "quarters"])[:2]),  # type: ignore[arg-type]
        rollup_features=frozenset(str(f).lower() for f in data.get("rollup_features") or ["city", "town"]),
        fighting_sub_types=frozenset(data.get("fighting_sub_types") or []),
        same_thing={str(w).lower(): str(group[0]).lower() for group in counts.get("same_thing") or []
                    for w in group},
        at_least={str(k): frozenset(v or []) for k, v in (counts.get("at_least") or {}).items()},
    )
