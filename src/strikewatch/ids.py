"""Stable identifiers: the same document or span gets the same id on any machine."""

from __future__ import annotations

import hashlib
import unicodedata


def _digest(*parts: str, size: int = 16) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:size]


def normalise_text(text: str) -> str:
    """Whitespace- and Unicode-normalised text, so a re-save of the same report keeps its id."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def document_id(text: str, url: str | None = None) -> str:
    """Id derived from the content and, where there is one, the URL."""
    return "d" + _digest(normalise_text(text), url or "")


def event_id(doc_id: str, start: int, end: int, sub_type: str, ordinal: int = 0) -> str:
    """Id of an event: its document, evidence span and kind (stable for the same document and span)."""
    return "e" + _digest(doc_id, str(start), str(end), sub_type, str(ordinal))


def content_hash(text: str) -> str:
    return _digest(normalise_text(text), size=64)
