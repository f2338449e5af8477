"""Grade an incident from its sources (adapted from Airwars, CONTRACT.md), with a one-line reason.

- discounted: more independent sources deny it happened than assert it (a lone denial is weak; a voice
  that disputes another's account while asserting its own version is not denying it);
- contested: sources disagree on who acted, what was hit, the toll or a count, or one disputes another;
- confirmed: the acting party itself acknowledges it and at least one other independent source agrees;
- fair: two or more independent sources;
- weak: a single source.

Independent sources are voices (claims.voice_key): a named speaker however many outlets quote it, else
the outlet, with near-copies counted as their original and reader comments not counted at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from strikewatch.fuse.features import Features
from strikewatch.fuse.lexicon import FusionLexicon
from strikewatch.records import Contradiction, Document

_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def _n(k: int, noun: str, plural: str | None = None) -> str:
    word = _NUMBERS.get(k, str(k))
    return f"{word} {noun if k == 1 else (plural or noun + 's')}"


def _label(key: str) -> str:
    return key.split(":", 1)[1]


def grade(members: list[Features], contradictions: list[Contradiction], documents: Mapping[str, Document],
          lex: FusionLexicon) -> tuple[str, str]:
    """(grade, reason) for an incident with these member events and contradictions."""
    supporters: dict[str, str] = {}  # source key -> a display name
    deniers: dict[str, str] = {}  # say it did not happen
    disputers: dict[str, str] = {}  # reject another source's account of it (who did it, what was hit)
    acknowledged_by: str | None = None
    comments = copies = 0
    actor_sides = {f.side for f in members if f.side and f.supporting}
    seen_docs: set[str] = set()
    for f in members:
        e = f.event
        doc = documents.get(e.doc_id)
        if e.doc_id not in seen_docs:
            seen_docs.add(e.doc_id)
            if f.comment:
                comments += 1
            elif doc is not None and doc.copy_of:
                copies += 1
        if f.comment:
            continue
        key = f.voice
        name = f.said_by or (doc.outlet if doc and doc.outlet else _label(key))
        if f.supporting:
            supporters.setdefault(key, name)
            voice = lex.side(e.claim.speaker) or (lex.side(doc.outlet) if doc is not None else None)
            if voice and voice in actor_sides and acknowledged_by is None:
                acknowledged_by = name
        elif (e.claim.modality or "") == "denied":
            deniers.setdefault(key, name)
        elif (e.claim.modality or "") in lex.opposing:
            disputers.setdefault(key, name)
    not_counted = []
    if copies:
        not_counted.append(_n(copies, "copy", "copies"))
    if comments:
        not_counted.append(_n(comments, "comment"))
    tail = f"; {' and '.join(not_counted)} not counted as independent" if not_counted else ""
    for k in supporters:  # a voice that asserts its own version is not denying that it happened
        deniers.pop(k, None)
    s, d = len(supporters), len(deniers)
    if not s:
        against = ", ".join(sorted({**deniers, **disputers}.values()))
        if against:
            return "weak", f"only a denial or dispute ({against}) of an account not in these reports{tail}"
        return "weak", f"no independent source asserts it{tail}"
    if d > s:
        who = ", ".join(sorted(deniers.values()))
        return "discounted", f"denied by {_n(d, 'independent source')} ({who}) against {s} asserting it{tail}"
    if contradictions:
        fields = [c.field for c in contradictions]
        what = ", ".join("the account" if x == "account" else x.replace("_", " ") for x in fields)
        return "contested", f"sources disagree on {what} ({_n(s, 'independent source')} asserting){tail}"
    if d or disputers:
        o = len(set(deniers) | set(disputers))
        return "contested", f"{_n(o, 'source')} disputes the account of {_n(s, 'independent source')}{tail}"
    names = ", ".join(sorted(supporters.values(), key=str))
    if acknowledged_by and s >= 2:
        return "confirmed", f"the acting party acknowledges it ({acknowledged_by}) and " \
                            f"{_n(s - 1, 'other independent source')} agree{'s' if s == 2 else ''}{tail}"
    if s >= 2:
        return "fair", f"{_n(s, 'independent source')} ({names}){tail}"
    own = ", the acting party itself," if acknowledged_by else ""
    carried = {f.doc for f in members if f.supporting and not f.comment}
    spread = f" in {_n(len(carried), 'document')}" if len(carried) > 1 else ""
    return "weak", f"a single source ({names}){own}{spread}{tail}"
