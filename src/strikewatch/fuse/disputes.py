"""A source disputing another's account: "extremely misleading if not false", "information war",
"rumours ... were groundless".

Read from the sentences of the incident's own documents (the extractor gives an event's modality, not
what an author or an official says about another source's claim elsewhere in the article). A sentence
disputes when it holds a dispute cue (fuse/data/judgement.yaml) near one of the incident's mentions and
it names the disputed voice (an actor whose voice speaks in the incident) or points at "the claim",
"the release", "the figure" when exactly one other voice speaks. The disputing speaker is the one the
sentence attributes it to ("French officials said ...") or, when it attributes it to nobody, the
document's author or outlet (the author's own words). Both are named, with the disputed claims.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from strikewatch.fuse.features import Features
from strikewatch.fuse.judgement import judgement
from strikewatch.fuse.lexicon import FusionLexicon, actor_matches
from strikewatch.records import Document, IncidentClaim

NEAR_CHARS = 1500  # a cue this far from every mention of the incident in its document is about something else
_ADVERB = re.compile(r"(?:extremely|highly|very|completely|totally|utterly|deeply|clearly|seemingly|simply|"
                     r"blatantly|outright)\s+$", re.IGNORECASE)
_IF_NOT = re.compile(r"\s+if\s+not\s+[\w-]+", re.IGNORECASE)


def _whole_cue(s: str, m: re.Match[str]) -> str:
    """The cue with its adverb and "if not ..." ("extremely misleading if not false")."""
    adv = _ADVERB.search(s[: m.start()])
    tail = _IF_NOT.match(s, m.end())
    return s[adv.start() if adv else m.start(): tail.end() if tail else m.end()]


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'\u201d\u2019)]*|\n|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (a cue and its speaker sit in one sentence; exactness matters little)."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _cue_sentences(doc: Document, cache: dict[str, list[tuple[int, int, str, str, int]]]
                   ) -> list[tuple[int, int, str, str, int]]:
    """(start, end, sentence, cue, cue offset in the sentence) for each sentence holding a dispute cue."""
    found = cache.get(doc.id)
    if found is not None:
        return found
    judge = judgement()
    out: list[tuple[int, int, str, str, int]] = []
    text = doc.text or ""
    if judge.dispute_re is not None and judge.dispute_re.search(text):
        for a, b in sentences(text):
            s = text[a:b]
            m = judge.dispute_re.search(s)
            if m:
                lead = len(s) - len(s.lstrip())
                out.append((a, b, s.strip(), _whole_cue(s, m), m.start() - lead))
    cache[doc.id] = out
    return out


def _names_in(sentence: str, lex: FusionLexicon) -> list[tuple[int, int, str]]:
    """(start, end, canonical actor) for every actor alias in the sentence."""
    return sorted(m for m in actor_matches(sentence, lex) if m[2] != "unknown")


def _attributed_to(sentence: str, cue_at: int, names: list[tuple[int, int, str]]) -> str | None:
    """The actor the sentence attributes the cue to: named right before or right after the speech verb
    nearest before the cue ("French officials said the claims were false"), else the first after it
    ("... were false, French officials said")."""
    judge = judgement()
    if judge.speech_re is None:
        return None
    verbs = list(judge.speech_re.finditer(sentence))
    ordered = [v for v in reversed(verbs) if v.start() < cue_at] + [v for v in verbs if v.start() >= cue_at]
    for verb in ordered:
        before = [n for n in names if n[1] <= verb.start() and verb.start() - n[1] <= 40]
        if before:
            return before[-1][2]
        after = [n for n in names if n[0] >= verb.end() and n[0] - verb.end() <= 12]
        if after:
            return after[0][2]
        return None  # the nearest speech verb names nobody we know: the author's or an unnamed voice
    return None


def _summary(claims: Sequence[IncidentClaim]) -> str:
    parts = []
    for c in claims:
        text = f"{c.field.replace('_', ' ')} {c.value}"
        if text not in parts:
            parts.append(text)
    return "; ".join(parts[:6])


def find_disputes(members: Sequence[Features], claims: Sequence[IncidentClaim],
                  documents: Mapping[str, Document], lex: FusionLexicon,
                  cache: dict[str, list[tuple[int, int, str, str, int]]] | None = None
                  ) -> list[dict[str, Any]]:
    """The disputes among an incident's sources: ``{"by", "doc_id", "cue", "sentence", "start", "end",
    "disputed": {"speaker", "voice", "doc_id", "claims": [{"field", "value"}]}}``."""
    cache = {} if cache is None else cache
    if not any(_cue_sentences(documents[d], cache) for d in {f.doc for f in members}
               if d in documents and documents[d].kind != "comment" and documents[d].text):
        return []  # no dispute cue in any of the incident's documents
    # the voices that assert something in the incident, with the name that stands for each
    voices: dict[str, dict[str, Any]] = {}
    by_event = {f.event.id: f for f in members}
    for c in claims:
        f = by_event.get(c.event_id or "")
        if f is None or f.comment or c.modality not in lex.supporting:
            continue
        v = voices.setdefault(f.voice, {"speaker": f.said_by, "doc_id": f.doc, "claims": [],
                                        "names": set(), "docs": set()})
        v["docs"].add(f.doc)
        v["claims"].append(c)
        for text in (f.event.claim.speaker, f.voice.split(":", 1)[-1], f.said_by):
            name = lex.canonical_name(text)
            if name and name != "unknown":
                v["names"].add(name)
        if f.event.claim.speaker:
            v["names"].add(f.event.claim.speaker.lower())
    if not voices:
        return []
    spans: dict[str, list[int]] = {}
    for f in members:
        spans.setdefault(f.doc, []).append(f.event.evidence.start)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, int]] = set()
    for doc_id, starts in spans.items():
        doc = documents.get(doc_id)
        if doc is None or doc.kind == "comment" or not doc.text:
            continue
        for a, b, sentence, cue, cue_at in _cue_sentences(doc, cache):
            if min(abs(a - s) for s in starts) > NEAR_CHARS:
                continue
            names = _names_in(sentence, lex)
            by = _attributed_to(sentence, cue_at, names)
            by_name = by or doc.author or doc.outlet or document_name(doc)
            low = sentence.lower()
            # unattributed words are the document's own: its own voices do not dispute themselves (a
            # statement's every voice is its author's; a reporter's are its unattributed lines)
            own = {_own_voice(doc)} | ({f.voice for f in members if f.doc == doc_id and (
                not f.event.claim.speaker or doc.kind not in _REPORTING or not doc.outlet)} if by is None
                else set())

            def mine(k: str, v: dict[str, Any]) -> bool:
                return _speaks(v, by) or k in own or v["speaker"] == by_name  # noqa: B023 - used at once

            disputed = [k for k, v in voices.items() if not mine(k, v) and _named(v, by, names, low)]
            pointer = judgement().pointer_re
            if not disputed and pointer is not None and pointer.search(sentence):
                others = [k for k, v in voices.items() if not mine(k, v)]
                here = [k for k in others if doc_id in voices[k]["docs"]]  # a claim the same text reports
                if len(here) == 1:
                    disputed = here
                elif not here and len(others) == 1:
                    disputed = others
            for k in disputed:
                v = voices[k]
                mark = (k, doc_id, a)
                if mark in seen:
                    continue
                seen.add(mark)
                out.append({
                    "by": by_name,
                    "doc_id": doc_id,
                    "cue": cue,
                    "sentence": sentence,
                    "start": a,
                    "end": b,
                    "disputed": {"speaker": v["speaker"], "voice": k, "doc_id": v["doc_id"],
                                 "claims": [{"field": c.field, "value": c.value} for c in v["claims"]],
                                 "summary": _summary(v["claims"])},
                })
    return out


def _speaks(v: dict[str, Any], by: str | None) -> bool:
    """Is the disputer this voice itself (it does not dispute itself)?"""
    return bool(by and by in v["names"])


def _named(v: dict[str, Any], by: str | None, names: list[tuple[int, int, str]], low: str) -> bool:
    """Does the sentence name this voice (its actor, or its speaker's own words)?"""
    if any(n[2] in v["names"] and n[2] != by for n in names):
        return True
    return any(x.islower() and len(x) > 3 and x in low for x in v["names"])


_REPORTING = ("news", "blog", "social")


def document_name(doc: Document) -> str:
    """A readable name for a document without outlet or author: its title, else its file's name."""
    if doc.title:
        return doc.title[:80]
    if doc.source:
        return doc.source.replace("\\", "/").rsplit("/", 1)[-1]
    return doc.id


def _own_voice(doc: Document) -> str:
    from strikewatch.fuse.sources import _voice_name

    return _voice_name(doc.outlet) if doc.outlet else "doc:" + doc.id
