"""Property-based fuzzing of the text pipeline: ``extract_document`` on arbitrary text and on word salad
made of the words the extractor reacts to never raises, and what it returns keeps its invariants
(evidence inside the text, dates in order, counts non-negative, types from the contract). The Dask batch
function is fuzzed the same way: one outcome per document, whatever the text. Examples are bounded so
the file runs in well under a minute."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strikewatch.ids import document_id
from strikewatch.pipeline import extract_document
from strikewatch.records import Document, Extraction
from strikewatch.scale import extract_batch

TYPES = {"Explosions/Remote violence", "Battles", "Violence against civilians", "Strategic developments",
         "Protests", "Riots"}
MODALITIES = {"asserted", "claimed", "reported", "denied", "disputed"}

# Words that wake the extractor up (our own list, not a benchmark's sentences), to reach deep code paths.
WORDS = [
    "On", "in", "near", "west", "of", "the", "a", "and", "said", "killed", "wounded", "civilians", "children",
    "struck", "airstrike", "airstrikes", "shelled", "clashes", "captured", "recaptured", "seized", "regained",
    "control", "coalition", "aircraft", "Russian", "jets", "Syrian", "army", "Iraqi", "forces", "ISIS", "SDF",
    "rebels", "Hezbollah", "Raqqa", "Mosul", "Aleppo", "Palmyra", "Hit", "Idlib", "village", "district",
    "March", "12", "2016", "Monday", "last", "week", "yesterday", "early", "two", "dozens", "at", "least",
    "about", "100", "-", ",", ".", ";", "(", ")", "\"", "denied", "claimed", "reportedly", "according", "to",
    "ministry", "tanks", "vehicles", "destroyed", "bomb", "suicide", "IED", "checkpoint", "no", "casualties",
    "between", "1", "and", "May", "2017", "late", "1st", "of", "21/3/2016", "الرقة", "Dayr", "az-Zawr",
]


def _check(doc: Document, result: Extraction) -> None:
    assert isinstance(result, Extraction)
    assert result.document.id == doc.id
    n = len(doc.text)
    for e in result.events:
        assert e.doc_id == doc.id
        assert e.type in TYPES, e.type
        assert 0 <= e.evidence.start <= e.evidence.end <= n
        assert e.evidence.sentence.strip() and e.evidence.sentence.strip() in doc.text
        if e.date.start and e.date.end:
            assert date.fromisoformat(e.date.start) <= date.fromisoformat(e.date.end)
        f = e.fatalities
        for value in (f.killed, f.injured, f.civilians_killed, f.children_killed):
            assert value is None or value >= 0
        assert e.claim.modality in MODALITIES
        if e.location.lat is not None:
            assert -90 <= e.location.lat <= 90 and -180 <= e.location.lon <= 180


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(text=st.text(max_size=400), published=st.one_of(st.none(), st.dates()))
def test_arbitrary_text_never_raises(text, published):
    doc = Document(id=document_id(text or "x"), text=text, published=published)
    _check(doc, extract_document(doc, geocode=False))


@FUZZ
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=80),
       published=st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))))
def test_word_salad_never_raises(words, published):
    text = " ".join(words)
    doc = Document(id=document_id(text), text=text, published=published)
    _check(doc, extract_document(doc))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.one_of(st.text(max_size=200),
                                st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)),
                      min_size=1, max_size=6))
def test_dask_batch_function_gives_one_outcome_per_document(texts):
    docs = [Document(id=f"fz-{i}", text=t, source=f"fuzz-{i}") for i, t in enumerate(texts)]
    out = extract_batch(docs, None, True)
    assert len(out) == len(docs)
    for doc, result in zip(docs, out, strict=True):
        if isinstance(result, tuple):  # ("error", source, message): reported, never raised
            assert result[0] == "error" and result[1] == doc.source and result[2]
        else:
            _check(doc, result)


# Words of place expressions: relative, distance, area and facility words, qualifiers, joiners, in English
# and Arabic (our own list).
PLACE_WORDS = [
    "near", "north", "east", "of", "the", "outskirts", "between", "and", "20", "km", "kilometres", "from",
    "about", "road", "highway", "district", "province", "countryside", "village", "quarter", "hospital",
    "camp", "Upper", "Fawqani", "Tahtani", "Kabir", "Tall", "Masaken", "Al", "al-", "Aleppo", "Raqqa",
    "Hasakah", "Deir", "ez-Zor", "Afrin", "Mosul", "Syria", ":", ",", "-", "(", ")", "/", "في", "قرب", "بين",
    "و", "الطريق", "مدرسة", "حي", "ريف", "الشرقي", "تل", "رفعت",
]


@FUZZ
@given(words=st.lists(st.sampled_from(PLACE_WORDS), max_size=12), text=st.text(max_size=60),
       country=st.sampled_from([None, "SY", "IQ", "TR"]))
def test_geocoding_any_expression_never_raises_and_keeps_its_invariants(words, text, country):
    from strikewatch.geo import geocode, locate

    for query in (" ".join(words), text, f"{text} {' '.join(words)}"):
        cands = geocode(query, country=country, limit=3)
        assert len(cands) <= 3
        for c in cands:
            assert 0.0 <= c.score <= 1.0 and c.precision in (1, 2, 3)
            assert -90 <= c.lat <= 90 and -180 <= c.lon <= 180 and c.gazetteer_id
        loc = locate(query, country=country)
        assert loc.text == query and (loc.lat is None) == (loc.name is None)
