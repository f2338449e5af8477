"""Civilian harm the Airwars way: each toll as a range over the sources, and each belligerent's stance.

A toll's range is the lowest and highest figure any source asserts for it (claims a source denies or
disputes, and reader comments, give none); ACLED's single figure is the range's minimum. A belligerent's
stance is read from its own voice among the incident's sources: ``acknowledged`` when it asserts the
incident, ``denied`` when it denies or disputes it (or its own release says there were no strikes that
day), ``silent`` when it says nothing in these reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from strikewatch.fuse.features import Features
from strikewatch.fuse.lexicon import FusionLexicon
from strikewatch.records import Document, IncidentClaim

TOLL_FIELDS = ("killed", "civilians_killed", "children_killed", "injured")


def toll_ranges(claims: Sequence[IncidentClaim], members: Sequence[Features],
                lex: FusionLexicon) -> dict[str, dict[str, int] | None]:
    """``{field: {"min", "max"} or None}`` for the four tolls."""
    comment = {f.event.id for f in members if f.comment}
    values: dict[str, list[int]] = {}
    for c in claims:  # one pass: an incident with a weekly summary on it has many claims
        if c.field in TOLL_FIELDS and type(c.value) is int and c.modality in lex.supporting \
                and c.event_id not in comment:
            values.setdefault(c.field, []).append(c.value)
    return {field: {"min": min(v), "max": max(v)} if (v := values.get(field)) else None
            for field in TOLL_FIELDS}


def _voice_side(f: Features, documents: Mapping[str, Document], lex: FusionLexicon) -> str | None:
    """The affiliation whose own voice this event is: its named speaker's, else its outlet's."""
    side = lex.side(f.event.claim.speaker) if f.event.claim.speaker else None
    doc = documents.get(f.doc)
    if side is not None or doc is None:
        return side
    if f.event.claim.speaker and not _generic_speaker(f.event.claim.speaker, doc):
        return None  # a named speaker of no party, quoted by a party's outlet
    return lex.side(doc.outlet) or lex.side(doc.author)


def _generic_speaker(speaker: str, doc: Document) -> bool:
    """"the ministry" in the ministry's own statement: the speaker's words are all in the outlet's name."""
    words = [w for w in speaker.lower().replace("'s", "").split() if w not in ("the", "a", "its")]
    outlet = (doc.outlet or "").lower().split()
    return bool(words) and all(w in outlet for w in words)


def stances(members: Sequence[Features], actors: Sequence[str], documents: Mapping[str, Document],
            lex: FusionLexicon, negative_sides: set[str] | None = None) -> dict[str, str]:
    """``{actor: acknowledged|denied|silent}`` for each belligerent the incident names."""
    said: dict[str, str] = {}
    for f in members:
        if f.comment:
            continue
        side = _voice_side(f, documents, lex)
        if side is None:
            continue
        modality = f.event.claim.modality or "asserted"
        if modality in lex.supporting:
            said[side] = "acknowledged"
        elif modality in lex.opposing:
            said.setdefault(side, "denied")
    for side in negative_sides or ():
        said.setdefault(side, "denied")
    out: dict[str, str] = {}
    for name in actors:
        side = lex.side(name)
        out[name] = said.get(side, "silent") if side else "silent"
    return out
