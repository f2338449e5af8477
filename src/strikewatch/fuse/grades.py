"""Grade an incident from its sources (Airwars' definitions, CONTRACT.md), with a reason in full sentences.

- discounted: the sources make it unlikely: more independent sources deny it than assert it, or the
  acting party's own report says there were no strikes there that day while it never claims this one;
- contested: sources disagree on who acted, what was hit, the toll or a count, or one disputes another;
- confirmed: the acting party itself acknowledges it and at least one other independent source agrees;
- fair: two or more independent sources;
- weak: a single source.

Independent sources are originating reports, not documents: a named speaker is one source however many
outlets quote it; an outlet's own words are the outlet's; speakers heard only through one article (it
quotes a council and a ministry that speak nowhere else here) are that one article's report; a near-copy
is its original, the same outlet twice is one, and reader comments are never counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from strikewatch.fuse.disputes import document_name
from strikewatch.fuse.features import Features
from strikewatch.fuse.judgement import judgement
from strikewatch.fuse.lexicon import FusionLexicon
from strikewatch.fuse.sources import _voice_name, source_key
from strikewatch.records import Contradiction, Document

_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
_FIELDS = {"account": "the account itself", "actor": "who acted", "target": "what was hit",
           "killed": "the toll", "civilians_killed": "the civilian toll",
           "children_killed": "the children killed", "injured": "the injured",
           "whose": "whose dead they were", "strikes": "the number of strikes"}


def _n(k: int, noun: str, plural: str | None = None) -> str:
    word = _NUMBERS.get(k, str(k))
    return f"{word} {noun if k == 1 else (plural or noun + 's')}"


def _names(values: Sequence[str]) -> str:
    values = list(dict.fromkeys(v for v in values if v))
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def _field(name: str) -> str:
    if name in _FIELDS:
        return _FIELDS[name]
    verb, _, obj = name.partition(":")
    if verb == "count" and obj:
        return f"the number of {obj}s hit or destroyed"
    return f"the number of {obj}s {verb}" if obj else name.replace("_", " ")


def _own_voice(root: str, documents: Mapping[str, Document]) -> str:
    return _voice_name(root[7:]) if root.startswith("outlet:") else root


def source_keys(members: Sequence[Features], documents: Mapping[str, Document],
                cache: dict | None = None) -> dict[str, str]:
    """Event id -> its independent source (see the module docstring). ``cache`` keeps each document's
    source key across the incidents of one fusion."""
    roots: dict[str, set[str]] = {}
    root_of: dict[str, str] = {}
    keyed = cache.setdefault("source_key", {}) if cache is not None else {}
    for f in members:
        if f.comment:
            continue
        root = keyed.get(f.doc)
        if root is None:
            root = keyed[f.doc] = source_key(f.doc, documents)
        root_of[f.event.id] = root
        roots.setdefault(f.voice, set()).add(root)
    out: dict[str, str] = {}
    for f in members:
        if f.comment:
            continue
        rs = roots[f.voice]
        root = root_of[f.event.id]
        own = {_own_voice(r, documents) for r in rs}
        # a voice with documents of its own, or carried by two outlets, is its own source
        out[f.event.id] = f.voice if len(rs) > 1 or f.voice in own else _own_voice(root, documents)
    return out


def _judged_false(members: Sequence[Features], disputes: Sequence[dict[str, Any]]
                  ) -> tuple[str, str, str] | None:
    """(disputer, cue, disputed speaker) when every voice asserting the incident is called false by another
    ("fabricated", "untrue": judgement.yaml ``false_cues``, not merely "misleading" or "exaggerated") and
    the disputer does not assert it itself: the only source is judged false."""
    judge = judgement()
    if judge.false_re is None or not disputes:
        return None
    asserting = {f.voice for f in members if f.supporting and not f.comment}
    if not asserting:
        return None
    for dispute in disputes:
        disputed = dispute.get("disputed") or {}
        if disputed.get("voice") not in asserting or not judge.false_re.search(dispute.get("cue") or ""):
            continue
        if asserting == {disputed["voice"]} and dispute.get("doc_id") not in {
                f.doc for f in members if f.supporting and f.voice != disputed["voice"]}:
            return dispute["by"], dispute["cue"], disputed.get("speaker") or disputed["voice"]
    return None


def grade(members: list[Features], contradictions: list[Contradiction], documents: Mapping[str, Document],
          lex: FusionLexicon, disputes: Sequence[dict[str, Any]] = (),
          negatives: Sequence[dict[str, Any]] = (), cache: dict | None = None) -> tuple[str, str]:
    """(grade, reason) for an incident with these member events, contradictions, disputes and negative
    reports of its acting party."""
    keys = source_keys(members, documents, cache)
    supporters: dict[str, str] = {}  # source key -> a display name
    deniers: dict[str, str] = {}  # say it did not happen
    disputers: dict[str, str] = {}  # reject another source's account of it (who did it, what was hit)
    acknowledged_by: str | None = None
    acknowledged_key: str | None = None
    comments = copies = 0
    actor_sides = {f.side for f in members if f.side and f.supporting}
    asserting_sides: set[str] = set()
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
        key = keys[e.id]
        outlet = (doc.outlet or doc.author or document_name(doc)) if doc else key.split(":", 1)[-1]
        name = (f.said_by or outlet) if key == f.voice else outlet
        if f.supporting:
            supporters.setdefault(key, name)
            voice = lex.side(e.claim.speaker) or (lex.side(doc.outlet) if doc is not None else None)
            if voice:
                asserting_sides.add(voice)
            if voice and voice in actor_sides and acknowledged_by is None:
                acknowledged_by, acknowledged_key = f.said_by or name, key
        elif (e.claim.modality or "") == "denied":
            deniers.setdefault(key, name)
        elif (e.claim.modality or "") in lex.opposing:
            disputers.setdefault(key, name)
    not_counted = []
    if copies:
        not_counted.append(_n(copies, "near-copy", "near-copies"))
    if comments:
        not_counted.append(_n(comments, "reader comment"))
    tail = ""
    if not_counted:
        verb = "is" if copies + comments == 1 else "are"
        tail = f" {_names(not_counted).capitalize()} {verb} not counted as independent."
    for k in supporters:  # a voice that asserts its own version is not denying that it happened
        deniers.pop(k, None)
    s, d = len(supporters), len(deniers)
    names = _names(sorted(supporters.values(), key=str))
    own_negatives = [n for n in negatives if n.get("side") and n["side"] not in asserting_sides]
    if not s:
        against = _names(sorted({**deniers, **disputers}.values()))
        if against:
            return "weak", (f"Only a denial or dispute by {against} speaks of it here; the account it "
                            f"answers is not among these reports.{tail}")
        return "weak", f"No independent source asserts it.{tail}"
    if own_negatives:
        n = own_negatives[0]
        where = f" in {n['country_name']}" if n.get("country_name") else ""
        return "discounted", (f"The acting party itself ({n['speaker']}) reported no strikes{where} on "
                              f"{n['date']}, and it never claims this one; {_n(s, 'independent source')} "
                              f"({names}) {'asserts' if s == 1 else 'assert'} it.{tail}")
    judged_false = _judged_false(members, disputes)
    if judged_false is not None:
        by, cue, disputed = judged_false
        return "discounted", (f"Its only source ({disputed}) is judged false by {by}, who calls the account "
                              f"\u201c{cue}\u201d, and no other independent source asserts it.{tail}")
    if d > s:
        who = _names(sorted(deniers.values()))
        return "discounted", (f"It is denied by {_n(d, 'independent source')} ({who}) against "
                              f"{_n(s, 'source')} asserting it ({names}).{tail}")
    if contradictions or disputes or d or disputers:
        sentences = []
        fields = [c.field for c in contradictions if c.field != "account"]
        if fields:
            sentences.append(f"The sources disagree on {_names([_field(x) for x in fields])}.")
        for dispute in disputes[:3]:
            sentences.append(f"{dispute['by']} disputes the account of {dispute['disputed']['speaker']}, "
                             f"calling it \u201c{dispute['cue']}\u201d.")
        others = sorted({**deniers, **disputers}.values())
        answered = _names(sorted(v for k, v in supporters.items() if k not in deniers and k not in disputers))
        if others and answered:
            verb = "disputes or denies" if len(others) == 1 else "dispute or deny"
            sentences.append(f"{_names(others)} {verb} the account of {answered}.")
        elif not sentences:
            sentences.append("One source disputes another's account.")
        sentences.append(f"{_n(s, 'independent source').capitalize()} {'asserts' if s == 1 else 'assert'} "
                         f"it ({names}).")
        return "contested", " ".join(sentences) + tail
    if acknowledged_by and s >= 2:
        others = _names(sorted(v for k, v in supporters.items() if k != acknowledged_key))
        agree = "agrees" if s == 2 else "agree"
        return "confirmed", (f"The acting party itself acknowledges it ({acknowledged_by}), and "
                             f"{_n(s - 1, 'other independent source')} {agree} ({others}).{tail}")
    if s >= 2:
        return "fair", f"{_n(s, 'independent source').capitalize()} report it: {names}.{tail}"
    carried = {f.doc for f in members if f.supporting and not f.comment}
    spread = f", carried by {_n(len(carried), 'document')}" if len(carried) > 1 else ""
    own = " It is the acting party's own report, which no other source confirms." if acknowledged_by else ""
    return "weak", f"A single source reports it: {names}{spread}.{own}{tail}"
