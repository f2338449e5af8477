"""Who is speaking: documents, outlets, near-copies, comments and named speakers as independent voices.

A named speaker is one voice however many outlets quote it (an actor's spokesman speaks for the actor);
unattributed text is its outlet's voice, and a near-copy (``Document.copy_of``) speaks with its original's.
Reader comments are voices too, but never independent sources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from strikewatch.fuse.lexicon import lexicon
from strikewatch.records import Document, Event


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


@lru_cache(maxsize=65536)
def _voice_name(text: str) -> str:
    """One key per voice: an actor's name or spokesman is the actor; "@Raqqa_Voices" is "Raqqa Voices"."""
    plain = " ".join(text.replace("_", " ").replace("@", " ").split())
    name = lexicon().canonical_name(plain)
    if name and name != "unknown":
        return "voice:" + name
    return "voice:" + re.sub(r"\W+", "", plain.lower())


def voice_key(event: Event, documents: Mapping[str, Document]) -> str:
    """The independent voice behind an event: its named speaker (an actor's spokesman counts as the actor),
    else the outlet of the original document, else that document. Two outlets quoting one release are one
    voice; an outlet's own unattributed text and its byline quotes are one voice."""
    spk = (event.claim.speaker or "").strip()
    if spk:
        return _voice_name(spk)
    key = source_key(event.doc_id, documents)
    if key.startswith("outlet:"):
        return _voice_name(key[7:])
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
