"""Each source's claims about an incident, and where they contradict one another.

A claim is one value one source gives for one field (who struck, what was hit, how many were killed, how
many strikes, what was destroyed) with the speaker and modality. Claims are kept as given; nothing is
averaged. A contradiction is two independent sources giving incompatible values for one field, or one
source disputing or denying what another asserts. Both values stay, each with its speaker.

Voices: a named speaker is one voice however many outlets quote it (an actor's spokesman speaks for the
actor); unattributed text is its outlet's voice, a near-copy (``Document.copy_of``) its original's; reader
comments are listed as claims but never make a contradiction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from strikewatch.fuse.features import Features, head_noun, target_key
from strikewatch.fuse.lexicon import FusionLexicon, lexicon
from strikewatch.records import Contradiction, ContradictionValue, Document, Event, IncidentClaim

NUMBER_FIELDS = ("killed", "injured", "civilians_killed", "children_killed")
COUNT_FIELDS = ("strikes", "engagements", "sorties")


def root_document(doc_id: str, documents: Mapping[str, Document]) -> str:
    """The original a document copies (following ``copy_of``), or the document itself."""
    seen = {doc_id}
    doc = documents.get(doc_id)
    while doc is not None and doc.copy_of and doc.copy_of not in seen:
        doc_id = doc.copy_of
        seen.add(doc_id)
        doc = documents.get(doc_id)
    return doc_id


def source_key(doc_id: str, documents: Mapping[str, Document]) -> str:
    """Who is speaking: the outlet of the original document, else the original document itself."""
    root = root_document(doc_id, documents)
    doc = documents.get(root)
    if doc is not None and doc.outlet and doc.outlet.strip():
        return "outlet:" + " ".join(doc.outlet.lower().split())
    return "doc:" + root


def voice_key(event: Event, documents: Mapping[str, Document]) -> str:
    """The independent voice behind an event: its named speaker (an actor's spokesman counts as the actor),
    else the outlet or original document. Two outlets quoting one release are one voice."""
    lex = lexicon()
    spk = (event.claim.speaker or "").strip()
    if spk:
        return "voice:" + (lex.canonical_name(spk) or " ".join(spk.lower().split()))
    key = source_key(event.doc_id, documents)
    if key.startswith("outlet:"):
        name = lex.canonical_name(key[7:])
        if name and name != "unknown":
            return "voice:" + name
    return key


def is_comment(doc_id: str, documents: Mapping[str, Document]) -> bool:
    doc = documents.get(doc_id)
    return doc is not None and doc.kind == "comment"


def speaker_of(event: Event, documents: Mapping[str, Document]) -> str | None:
    """The named speaker, else the author or outlet whose own words the sentence is."""
    if event.claim.speaker:
        return event.claim.speaker
    doc = documents.get(event.doc_id)
    if doc is None:
        return None
    return doc.author or doc.outlet


def event_claims(event: Event, documents: Mapping[str, Document], *,
                 covering: bool = False) -> list[IncidentClaim]:
    """One claim per field the event gives a value for (only actor and target for a covering summary)."""
    speaker = speaker_of(event, documents)
    modality = event.claim.modality or "asserted"
    out: list[IncidentClaim] = []

    def add(field: str, value: object) -> None:
        if value is None or value == "":
            return
        out.append(IncidentClaim(doc_id=event.doc_id, speaker=speaker, field=field, value=value,
                                 modality=modality, event_id=event.id))

    actor = event.actor.name or event.actor.text
    add("actor", None if actor == "unknown" else actor)
    add("target", event.target.name or event.target.text)
    if covering:
        return out
    f = event.fatalities
    for name in NUMBER_FIELDS:
        add(name, getattr(f, name))
    if f.whose and f.whose != "unknown":
        add("whose", f.whose)
    for name in COUNT_FIELDS:
        add(name, getattr(event.quantities, name))
    for eff in event.effects:
        head = head_noun(eff.object)
        if head and eff.count is not None:
            add(f"{(eff.verb or 'hit').lower()}:{head}", eff.count)
    return out


@dataclass
class _Said:
    value: object
    key: object  # what is compared: equal keys agree
    speaker: str | None
    doc_id: str
    source: str


def _conflicts(items: list[_Said], lex: FusionLexicon, kind: str) -> bool:
    """Do two different sources give incompatible values?"""
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.source == b.source or a.key is None or b.key is None or a.key == b.key:
                continue
            if kind == "side" and lex.partners_of(str(a.key), str(b.key)):
                continue
            return True
    return False


def _contradiction(field: str, items: list[_Said]) -> Contradiction:
    values: list[ContradictionValue] = []
    seen: set[tuple[str, str | None]] = set()
    for s in items:
        mark = (repr(s.value), s.speaker)
        if mark not in seen:
            seen.add(mark)
            values.append(ContradictionValue(value=s.value, speaker=s.speaker, doc_id=s.doc_id))
    return Contradiction(field=field, values=values)


def contradictions(members: list[Features], claims: list[IncidentClaim], documents: Mapping[str, Document],
                   lex: FusionLexicon) -> list[Contradiction]:
    """Fields on which independent sources disagree, plus any dispute or denial of the account."""
    events = {f.event.id: f for f in members}
    by_field: dict[str, list[_Said]] = {}
    civilian: list[_Said] = []
    for c in claims:
        if c.event_id not in events or is_comment(c.doc_id, documents):
            continue
        src = voice_key(events[c.event_id].event, documents)
        if c.modality == "denied":
            continue  # what a source denies is not a value it gives
        if c.field == "actor":
            key: object = lex.side(str(c.value)) or lex.canonical_name(str(c.value))
        elif c.field == "target":
            tk = target_key(lex, str(c.value), str(c.value))
            key = tk if tk and not tk.startswith("obj:") else None
            if key and key.startswith("side:"):
                key = key[5:]
        elif c.field == "whose":
            key = str(c.value).lower()
        else:
            key = c.value
        said = _Said(c.value, key, c.speaker, c.doc_id, src)
        by_field.setdefault(c.field, []).append(said)
    out: list[Contradiction] = []
    for field, items in by_field.items():
        kind = "side" if field in ("actor", "target") else "value"
        if field == "target":
            items = [_Said(s.value, s.key, s.speaker, s.doc_id, s.source) for s in items]
            if _target_conflict(items, lex):
                out.append(_contradiction(field, [s for s in items if s.key is not None]))
            continue
        if _conflicts(items, lex, kind):
            out.append(_contradiction(field, [s for s in items if s.key is not None]))
    civilian = _civilian_toll(members, documents)
    if civilian and not any(c.field == "civilians_killed" for c in out):
        out.append(_contradiction("civilians_killed", civilian))
    account = _account(members, documents, lex)
    if account:
        out.append(_contradiction("account", account))
    out.sort(key=lambda c: _FIELD_ORDER.get(c.field, 99))
    return out


_FIELD_ORDER = {"account": 0, "actor": 1, "target": 2, "killed": 3, "civilians_killed": 4,
                "children_killed": 5, "whose": 6, "injured": 7}


def _target_conflict(items: list[_Said], lex: FusionLexicon) -> bool:
    """An armed group against another, or against civilians, named by different sources as what was hit."""
    return _conflicts(items, lex, "side")


def _civilian_toll(members: list[Features], documents: Mapping[str, Document]) -> list[_Said]:
    """'No civilians' from one source against civilians or children killed from another."""
    zero: list[_Said] = []
    some: list[_Said] = []
    for f in members:
        e = f.event
        if is_comment(e.doc_id, documents) or e.claim.modality == "denied":
            continue
        fat = e.fatalities
        civ = fat.civilians_killed
        if civ is None and fat.whose == "civilians":
            civ = fat.killed
        src = voice_key(e, documents)
        speaker = speaker_of(e, documents)
        if civ == 0 and not fat.children_killed:
            zero.append(_Said(0, 0, speaker, e.doc_id, src))
        elif (civ or 0) > 0 or (fat.children_killed or 0) > 0:
            value = civ if civ else f"at least {fat.children_killed} (children)"
            some.append(_Said(value, 1, speaker, e.doc_id, src))
    if any(z.source != s.source for z in zero for s in some):
        return zero + some
    return []


def _account(members: list[Features], documents: Mapping[str, Document], lex: FusionLexicon) -> list[_Said]:
    """A source that disputes or denies what another source asserts."""
    pro: list[_Said] = []
    con: list[_Said] = []
    for f in members:
        e = f.event
        if is_comment(e.doc_id, documents):
            continue
        modality = e.claim.modality or "asserted"
        said = _Said(modality, modality in lex.opposing, speaker_of(e, documents), e.doc_id,
                     voice_key(e, documents))
        (con if modality in lex.opposing else pro).append(said)
    if any(p.source != c.source for p in pro for c in con):
        return pro + con
    return []
