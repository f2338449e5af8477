"""Incident pages: the id-first page query and the list indexes (migrations 0004-0006) must give exactly
the rows, order and counts of the plain filtered list, on both back ends, including undated incidents
(last, newest first) and case-insensitive actor and type filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from strikewatch.ids import document_id, event_id
from strikewatch.pipeline import ingest
from strikewatch.records import Actor, DateSpan, Document, Event, Evidence, Extraction, Location
from strikewatch.store import Store

ACTORS = ["Coalition", "Russia", "Syrian government forces"]
SUB_TYPES = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash")]


def _extraction(n: int = 90) -> Extraction:
    """One made-up report of `n` events, each at its own place so each becomes its own incident; some
    share a day (the id breaks the tie) and every seventh has no date."""
    lines = [f"Line {i}: something happened at test point {i}." for i in range(n)]
    text = "Synthetic page-order report.\n" + "\n".join(lines) + "\n"
    doc = Document(id=document_id(text), text=text, published=date(2016, 6, 1), outlet="Test Wire",
                   kind="news", source="test:pages")
    events = []
    for i, line in enumerate(lines):
        start = text.index(line)
        end = start + len(line)
        typ, sub = SUB_TYPES[i % 2]
        day = None if i % 7 == 3 else (date(2016, 1, 1) + timedelta(days=(i * 5) % 40)).isoformat()
        events.append(Event(
            id=event_id(doc.id, start, end, sub), doc_id=doc.id, type=typ, sub_type=sub,
            date=DateSpan(day, day, "day" if day else None, None),
            actor=Actor(ACTORS[i % 3], ACTORS[i % 3], None),
            location=Location(f"test point {i}", f"Test point {i}", "SY", None,
                              33.0 + (i % 10) * 0.4, 36.5 + (i // 10) * 0.4, 2, None),
            evidence=Evidence(line, start, end)))
    return Extraction(document=doc, events=events)


@pytest.fixture
def paged(db_url: str) -> Store:
    store = Store(db_url)
    summary = ingest(store, [_extraction()])
    assert summary.documents_failed == 0
    yield store
    store.close()


FILTERS = [
    {},
    {"actor": "coalition"},
    {"actor": "RUSSIA", "grade": "weak,fair"},
    {"type": "air/drone STRIKE"},
    {"type": "battles", "contested": False},
    {"since": "2016-01-10", "until": "2016-01-25"},
    {"bbox": (36.0, 33.5, 38.5, 35.0)},
    {"near": (34.0, 37.0, 60)},
    {"contested": True},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_pages_join_up_to_the_full_list(paged: Store, filters: dict) -> None:
    full = [i.id for i in paged.incidents(**filters)]
    assert paged.count_incidents(**filters) == len(full)
    pages: list[str] = []
    for offset in range(0, len(full) + 7, 7):
        pages.extend(i.id for i in paged.incidents(limit=7, offset=offset, **filters))
    assert pages == full
    assert [i.id for i in paged.incidents(offset=5, **filters)] == full[5:]


def test_newest_first_with_undated_last_and_ids_breaking_ties(paged: Store) -> None:
    listed = paged.incidents(limit=1000)
    assert len(listed) == 90
    expected = sorted(listed, key=lambda i: (i.date.start is None, "" if i.date.start is None else
                                             "".join(chr(0x10FFFF - ord(ch)) for ch in i.date.start), i.id))
    assert [i.id for i in listed] == [i.id for i in expected]
    assert listed[-1].date.start is None
    assert listed[0].date.start == max(i.date.start for i in listed if i.date.start)


def test_filters_match_what_the_records_say(paged: Store) -> None:
    every = paged.incidents()
    by_actor = {i.id for i in paged.incidents(actor="coaLITion", limit=500)}
    assert by_actor == {i.id for i in every if any("coalition" in a.lower() for a in i.actors)}
    assert by_actor
    by_type = {i.id for i in paged.incidents(type="ARMED CLASH", limit=500)}
    assert by_type == {i.id for i in every if i.sub_type == "Armed clash"} and by_type


def test_the_list_indexes_exist(paged: Store) -> None:
    names = {ix["name"] for ix in sa.inspect(paged.engine).get_indexes("incidents")}
    assert {"ix_incidents_date_order", "ix_incidents_grade_date", "ix_incidents_contested_date",
            "ix_incidents_lat_lon"} <= names
    assert "ix_incidents_grade" not in names
