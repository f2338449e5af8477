"""Every place a document mentions, geocoded: the document's ``places`` (``extract --places``).

Events keep one location each; a reader of a whole story (a journalist mapping what an article talks
about, a coder checking what the extractor saw) wants all the places named, with where each is. This is
the mention layer of ``extract.places.place_mentions`` over the document's sentences, each mention
resolved by the same gazetteer lookup the events use (``build._location``), in the document's
offsets. A mention the gazetteer cannot place keeps ``location`` null: never a guessed point.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from strikewatch.extract.events.build import _location
from strikewatch.extract.events.state import _State
from strikewatch.extract.places import PlaceMention, place_mentions
from strikewatch.records import Location, PlaceRef

if TYPE_CHECKING:
    from spacy.tokens import Span

_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "our"})


def _resolvable(pm: PlaceMention) -> bool:
    """A name to look up: a country, a named place, or "the town" pointing back at one. A common noun
    alone ("a hospital", "two bridges") names no place the gazetteer could hold."""
    if pm.country or pm.refers_to:
        return True
    words = pm.name.split()
    if not words or words[0].lower() in _DETERMINERS:
        return False  # "The town" opening a sentence: a common noun, capitalised
    first = words[0][:1]
    return first.isupper() or (first.isalpha() and not first.isascii())


def stripped_sentences(sents: Iterable[Span]) -> Iterator[tuple[str, int]]:
    """Each non-empty sentence without its surrounding space, and where that text starts in the document."""
    for sent in sents:
        raw = sent.text
        body = raw.strip()
        if body:
            yield body, sent.start_char + len(raw) - len(raw.lstrip())


def document_places(state: _State, sents: Iterable[Span]) -> list[PlaceRef]:
    """The place mentions of every sentence, in document order, each with its gazetteer reading."""
    out: list[PlaceRef] = []
    text = state.doc.text
    for body, base in stripped_sentences(sents):
        for pm in place_mentions(body, offset=base):
            loc: Location | None = None
            if _resolvable(pm):
                found = _location(state, pm, None, body)
                loc = found if found.name is not None else None
            out.append(PlaceRef(text=text[pm.start : pm.end], name=pm.name, start=pm.start, end=pm.end,
                                location=loc))
    return out
