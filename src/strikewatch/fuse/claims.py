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
from strikewatch.fuse.judgement import Judgement, judgement
from strikewatch.fuse.lexicon import FusionLexicon, lexicon
from strikewatch.fuse.sources import is_comment, root_document, source_key, speaker_of, voice_key
from strikewatch.records import Contradiction, ContradictionValue, Document, Event, IncidentClaim

__all__ = ["contradictions", "event_claims", "is_comment", "root_document", "source_key", "speaker_of",
           "voice_key"]

NUMBER_FIELDS = ("killed", "injured", "civilians_killed", "children_killed")
COUNT_FIELDS = ("strikes", "engagements", "sorties")


def event_claims(event: Event, documents: Mapping[str, Document], *, covering: bool = False,
                 speaker: str | None = None) -> list[IncidentClaim]:
    """One claim per field the event gives a value for (only actor and target for a covering summary).

    ``speaker`` saves the look-up when the caller already knows it (see ``sources.speaker_of``)."""
    if speaker is None:
        speaker = speaker_of(event, documents)
    modality = event.claim.modality or "asserted"
    doc_id, eid = event.doc_id, event.id
    actor = event.actor.name or event.actor.text
    values: list[tuple[str, object]] = [
        ("actor", None if actor == "unknown" else actor),
        ("target", event.target.name or event.target.text),
    ]
    if not covering:
        f = event.fatalities
        q = event.quantities
        values += [("killed", f.killed), ("injured", f.injured), ("civilians_killed", f.civilians_killed),
                   ("children_killed", f.children_killed),
                   ("whose", f.whose if f.whose != "unknown" else None),
                   ("strikes", q.strikes), ("engagements", q.engagements), ("sorties", q.sorties)]
        for eff in event.effects:
            head = head_noun(eff.object)
            if head and eff.count is not None:
                values.append((f"{lexicon().verb_class(eff.verb)}:{head}", eff.count))
    return [IncidentClaim(doc_id, speaker, field, value, modality, eid)
            for field, value in values if value is not None and value != ""]


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
            if isinstance(a.key, frozenset) and isinstance(b.key, frozenset) and (
                    a.key & b.key or any(lex.partners_of(x, y) for x in a.key for y in b.key)):
                continue  # "isis,civilians" beside "civilians": one names more, neither contradicts
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
    judge = judgement()
    events = {f.event.id: f for f in members}
    by_field: dict[str, list[_Said]] = {}
    civilian: list[_Said] = []
    for c in claims:
        member = events.get(c.event_id)
        if member is None or member.comment:
            continue
        src = member.voice
        if c.modality == "denied":
            continue  # what a source denies is not a value it gives
        if c.field == "actor":
            key: object = (None if judge.is_generic("actor", c.value)
                           else lex.side(str(c.value)) or lex.canonical_name(str(c.value)))
        elif c.field == "target":
            tk = target_key(lex, str(c.value), str(c.value))
            key = tk if tk and not tk.startswith("obj:") else None
            if key and key.startswith("side:"):
                key = key[5:]
        elif c.field == "whose":
            # "fighters" is any armed side and "unknown" anyone: only named sides are compared
            named = frozenset(w.strip() for w in str(c.value).lower().split(",")
                              if w.strip() and not judge.is_generic("whose", w))
            key = named or None
        else:
            key = c.value
        said = _Said(c.value, key, c.speaker, c.doc_id, src)
        by_field.setdefault(c.field, []).append(said)
    out: list[Contradiction] = _count_conflicts(
        {f: items for f, items in by_field.items() if ":" in f}, judge)
    for field, items in by_field.items():
        if ":" in field:
            continue  # effect counts: compared above, across the words for one kind of thing
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


def _count_conflicts(effects: dict[str, list[_Said]], judge: Judgement) -> list[Contradiction]:
    """Counts of one kind of thing that two sources give incompatibly: the same verb class with other
    numbers ("destroyed 168 trucks" against "destroyed three tankers"), or fewer things hit than another
    source says were destroyed ("bomb hits on only four trucks" against "destroyed 60")."""
    by_thing: dict[str, list[tuple[str, _Said]]] = {}
    fields_of: dict[str, set[str]] = {}
    for field, items in effects.items():
        cls, _, head = field.partition(":")
        by_thing.setdefault(judge.thing(head), []).extend((cls, s) for s in items)
        fields_of.setdefault(judge.thing(head), set()).add(field)
    out: list[Contradiction] = []
    for thing, said in sorted(by_thing.items()):
        same_class = cross = False
        for i, (ca, a) in enumerate(said):
            for cb, b in said[i + 1:]:
                if a.source == b.source or (a.value == b.value and ca == cb):
                    continue
                if ca == cb:
                    same_class = True
                elif (cb in judge.at_least.get(ca, ()) and a.value < b.value) or (
                        ca in judge.at_least.get(cb, ()) and b.value < a.value):
                    cross = True
        if not (same_class or cross):
            continue
        classes = {c for c, _ in said}
        if not cross and len(classes) == 1:  # one verb: "destroyed:truck", 168 against 3
            fields = fields_of[thing]
            name = next(iter(fields)) if len(fields) == 1 else f"{classes.pop()}:{thing}"
            out.append(_contradiction(name, [s for _, s in said]))
        else:  # the values say which count each is
            out.append(_contradiction(f"count:{thing}", [
                _Said(f"{s.value} {c}", s.key, s.speaker, s.doc_id, s.source) for c, s in said]))
    return out


_FIELD_ORDER = {"account": 0, "actor": 1, "target": 2, "killed": 3, "civilians_killed": 4,
                "children_killed": 5, "whose": 6, "injured": 7}


def _target_conflict(items: list[_Said], lex: FusionLexicon) -> bool:
    """An armed group against another, or against civilians, named by different sources as what was hit."""
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.source == b.source or a.key is None or b.key is None:
                continue
            if not lex.targets_overlap(str(a.key), str(b.key)):
                return True
    return False


def _civilian_toll(members: list[Features], documents: Mapping[str, Document]) -> list[_Said]:
    """'No civilians' from one source against civilians or children killed from another."""
    zero: list[_Said] = []
    some: list[_Said] = []
    for f in members:
        e = f.event
        if f.comment or e.claim.modality == "denied":
            continue
        fat = e.fatalities
        civ = fat.civilians_killed
        if civ is None and fat.whose == "civilians":
            civ = fat.killed
        src = f.voice
        speaker = f.said_by
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
        if f.comment:
            continue
        modality = e.claim.modality or "asserted"
        said = _Said(modality, modality in lex.opposing, f.said_by, e.doc_id,
                     f.voice)
        (con if modality in lex.opposing else pro).append(said)
    if any(p.source != c.source for p in pro for c in con):
        return pro + con
    return []
