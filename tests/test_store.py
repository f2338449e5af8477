"""Storage on both back ends: schema, identity, incremental fusion, filters, dossiers, control, frames.

Documents and events are built here by hand (the sentences are the project's own), so these tests
exercise the store and the real fusion stage without depending on extraction.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from strikewatch.errors import DocumentError, UserError
from strikewatch.ids import document_id, event_id
from strikewatch.pipeline import control, fuse_pending, ingest, ingest_one, refuse
from strikewatch.records import (
    Actor,
    Claim,
    DateSpan,
    Document,
    Event,
    Evidence,
    Extraction,
    Fatalities,
    Location,
    Quantities,
    Target,
)
from strikewatch.store import Store, canonical_url, db
from strikewatch.store import schema as t

# Two places of our own choosing (coordinates are public facts).
ABU_KAMAL = {"name": "Abu Kamal", "country": "SY", "admin1": "Deir ez-Zor", "lat": 34.45, "lon": 40.92}
RUTBA = {"name": "Rutba", "country": "IQ", "admin1": "Anbar", "lat": 33.04, "lon": 40.28}
TALBISEH = {"name": "Talbiseh", "country": "SY", "admin1": "Homs", "lat": 34.84, "lon": 36.73}


def make_doc(
    text: str, *, published: str, outlet: str, kind: str, url: str | None = None, doc_id: str | None = None
) -> Document:
    return Document(
        id=doc_id or document_id(text, url),
        text=text,
        published=date.fromisoformat(published),
        outlet=outlet,
        url=url,
        kind=kind,
        source=f"test:{outlet}",
    )


def make_event(
    doc: Document,
    sentence: str,
    *,
    day: str,
    place: dict,
    actor: str | None,
    sub_type: str = "Air/drone strike",
    type_: str = "Explosions/Remote violence",
    target: str | None = None,
    speaker: str | None = None,
    modality: str = "asserted",
    killed: int | None = None,
    strikes: int | None = None,
    precision: int = 2,
    ordinal: int = 0,
) -> Event:
    start = doc.text.index(sentence)
    end = start + len(sentence)
    return Event(
        id=event_id(doc.id, start, end, sub_type, ordinal),
        doc_id=doc.id,
        type=type_,
        sub_type=sub_type,
        date=DateSpan(start=day, end=day, precision="day", text=day),
        actor=Actor(text=actor, name=actor),
        target=Target(text=target, name=target),
        location=Location(text=f"near {place['name']}", precision=precision, **place),
        quantities=Quantities(strikes=strikes),
        fatalities=Fatalities(killed=killed),
        claim=Claim(speaker=speaker, modality=modality),
        evidence=Evidence(sentence=sentence, start=start, end=end),
    )


RELEASE = (
    "Coalition forces conducted strikes on October 24. Near Abu Kamal, two strikes hit a fighting "
    "position and destroyed a storage depot. Near Rutba, one strike destroyed a mortar tube."
)
NEWS = (
    "Coalition aircraft struck targets near the border town of Abu Kamal on Monday, the coalition said "
    "in its daily release. Near Abu Kamal, two strikes hit a fighting position, it said."
)
MINISTRY = (
    "The Iraqi air force destroyed a weapons cache near Rutba on 24 October, the ministry said, "
    "killing 12 militants."
)
BLOG = "Residents near Talbiseh reported shelling on 30 October that killed four people."


def corpus() -> list[Extraction]:
    """A release, a news story quoting it, a ministry crediting another air force, an unrelated blog."""
    rel = make_doc(
        RELEASE,
        published="2016-10-25",
        outlet="Coalition release",
        kind="military",
        url="https://release.example/2016/10/25",
    )
    news = make_doc(
        NEWS,
        published="2016-10-25",
        outlet="Levant Wire",
        kind="news",
        url="https://levantwire.example/abu-kamal?utm_source=feed",
    )
    mod = make_doc(MINISTRY, published="2016-10-25", outlet="Ministry of Defence", kind="government")
    blog = make_doc(BLOG, published="2016-10-31", outlet="Homs Notes", kind="blog")
    return [
        Extraction(
            rel,
            [
                make_event(
                    rel,
                    "Near Abu Kamal, two strikes hit a fighting position and destroyed a storage depot.",
                    day="2016-10-24",
                    place=ABU_KAMAL,
                    actor="Coalition",
                    target="fighting position",
                    speaker="Coalition",
                    strikes=2,
                ),
                make_event(
                    rel,
                    "Near Rutba, one strike destroyed a mortar tube.",
                    day="2016-10-24",
                    place=RUTBA,
                    actor="Coalition",
                    target="mortar tube",
                    speaker="Coalition",
                    strikes=1,
                ),
            ],
        ),
        Extraction(
            news,
            [
                make_event(
                    news,
                    "Near Abu Kamal, two strikes hit a fighting position, it said.",
                    day="2016-10-24",
                    place=ABU_KAMAL,
                    actor="Coalition",
                    target="fighting position",
                    speaker="Coalition",
                    modality="reported",
                    strikes=2,
                ),
            ],
        ),
        Extraction(
            mod,
            [
                make_event(
                    mod,
                    MINISTRY,
                    day="2016-10-24",
                    place=RUTBA,
                    actor="Iraqi security forces",
                    target="weapons cache",
                    speaker="Iraqi Ministry of Defense",
                    killed=12,
                    precision=2,
                ),
            ],
        ),
        Extraction(
            blog,
            [
                make_event(
                    blog,
                    BLOG,
                    day="2016-10-30",
                    place=TALBISEH,
                    actor=None,
                    sub_type="Shelling/artillery/missile attack",
                    speaker="residents",
                    modality="reported",
                    killed=4,
                ),
            ],
        ),
    ]


def snapshot(store: Store) -> dict[str, list]:
    """Every row of every table that identity and re-ingest must leave alone."""
    out = {}
    with store.engine.connect() as conn:
        for table in (t.documents, t.events, t.incidents, t.incident_members, t.claims, t.contradictions):
            cols = (
                [c for c in table.c if c.name not in ("pk", "id", "ingested_at")]
                if table in (t.claims, t.contradictions, t.documents)
                else list(table.c)
            )
            out[table.name] = sorted(tuple(str(v) for v in r) for r in conn.execute(sa.select(*cols)))
    return out


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def filled(store: Store) -> Store:
    summary = ingest(store, corpus())
    assert summary.documents_new == 4 and summary.documents_failed == 0
    return store


def test_migrated_schema_matches_the_tables(store: Store) -> None:
    import importlib

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    DOCUMENT_ID_COLUMNS = importlib.import_module(  # noqa: N806
        "strikewatch.store.migrations.versions.0008_long_document_ids").DOCUMENT_ID_COLUMNS

    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), t.metadata)
    # SQLite enforces no VARCHAR length, so migration 0008 widens the document-id columns on PostgreSQL
    # only (limits.MAX_ID_CHARS bounds them on both, in store.writes): on SQLite their declared length is
    # the only difference allowed, and nothing else about them.
    widened = set(DOCUMENT_ID_COLUMNS) if store.dialect == "sqlite" else set()
    diffs = [d for d in diffs if not (isinstance(d, list) and len(d) == 1 and d[0][0] == "modify_type"
                                      and (d[0][2], d[0][3]) in widened
                                      and (d[0][5].length, d[0][6].length) == (64, 512))]
    # Only the full-text objects (FTS5 tables, the GIN expression index) live outside the Core tables.
    leftover = [d for d in diffs if "fts" not in str(d[1]).lower() and "fts" not in getattr(d[1], "name", "")]
    assert leftover == []
    # Opening again is a no-op, not a second migration.
    Store(store.url).close()
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [db.HEAD]


def test_an_older_database_is_upgraded_on_open(db_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    engine = db.create_engine(db_url)
    with engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(db.MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    with Store(db_url) as store:
        store.save_feed_state("https://feeds.example/rss", '"e1"', None, 2, ["k1", "k2"])
        assert store.feed_state("https://feeds.example/rss") == ('"e1"', None, ["k1", "k2"])
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == db.HEAD


def test_ingest_fuses_two_outlets_into_one_incident(filled: Store) -> None:
    counts = filled.counts()
    assert counts["documents"] == 4 and counts["events"] == 5
    abu = filled.incidents(near=(ABU_KAMAL["lat"], ABU_KAMAL["lon"], 15))
    assert len(abu) == 1
    inc = abu[0]
    assert len(inc.events) == 2 and len(inc.documents) == 2
    assert inc.actors == ["Coalition"]
    # The store's members, claims and the incident record agree.
    with filled.engine.connect() as conn:
        members = (
            conn.execute(
                sa.select(t.incident_members.c.event_id).where(t.incident_members.c.incident_id == inc.id)
            )
            .scalars()
            .all()
        )
        claim_docs = set(
            conn.execute(sa.select(t.claims.c.doc_id).where(t.claims.c.incident_id == inc.id)).scalars()
        )
    assert sorted(members) == sorted(inc.events)
    assert claim_docs == set(inc.documents)
    # Every event belongs to exactly one incident.
    with filled.engine.connect() as conn:
        n_members = conn.execute(sa.select(sa.func.count()).select_from(t.incident_members)).scalar()
    assert n_members == counts["events"]
    for ev in filled.events():
        assert filled.incident_of_event(ev.id) is not None


def test_reingest_changes_nothing(filled: Store) -> None:
    before = snapshot(filled)
    again = ingest(filled, corpus())
    assert (again.documents_new, again.documents_unchanged, again.events) == (0, 4, 0)
    assert again.incidents_created == again.incidents_updated == 0
    assert snapshot(filled) == before


def test_same_canonical_url_or_content_is_stored_once(filled: Store) -> None:
    news = corpus()[1].document
    # The same page reached through another address (tracking parameters, www, http) with new text.
    moved = make_doc(
        news.text + " Updated.",
        published="2016-10-25",
        outlet="Levant Wire",
        kind="news",
        url="http://www.levantwire.example/abu-kamal/?utm_medium=rss",
    )
    # The same text under another id (a copy saved as a file without its URL).
    resaved = Document(id="given-id-7", text="  " + news.text.replace(" ", "\n", 3), outlet="x", kind="news")
    summary = ingest(filled, [moved, resaved])
    assert summary.documents_unchanged == 2 and summary.documents_new == 0
    assert canonical_url(moved.url) == canonical_url(news.url)


def test_incremental_fusion_matches_fusing_everything_at_once(db_url: str) -> None:
    s = Store(db_url)
    # Ingest in reverse order, one document at a time.
    for extraction in reversed(corpus()):
        ingest(s, [extraction])
    incremental = {i.id: (sorted(i.events), i.grade, i.contested) for i in s.incidents()}
    summary = refuse(s)
    full = {i.id: (sorted(i.events), i.grade, i.contested) for i in s.incidents()}
    assert incremental == full
    assert summary.incidents_created == summary.incidents_removed == 0
    s.close()


def test_a_bad_document_is_reported_and_skipped(store: Store) -> None:
    good = corpus()[3]
    broken = corpus()[2]
    broken.events[0].type = None  # cannot be stored: events need a type
    items = [DocumentError("reports/empty.txt", "is empty."), broken, good]
    summary = ingest(store, items)
    assert summary.documents_failed == 2 and summary.documents_new == 1
    assert [s for s, _ in summary.failures] == ["reports/empty.txt", "test:Ministry of Defence"]
    # Nothing of the broken document was kept: no half document.
    assert store.document(broken.document.id) is None
    assert store.counts()["events"] == 1


def test_filters(filled: Store) -> None:
    everything = filled.incidents()
    assert filled.count_incidents() == len(everything) >= 3
    assert [i.date.start for i in everything] == sorted((i.date.start for i in everything), reverse=True)
    assert {i.location.name for i in filled.incidents(since="2016-10-30")} == {"Talbiseh"}
    assert "Talbiseh" not in {i.location.name for i in filled.incidents(until="2016-10-29")}
    in_syria_east = filled.incidents(bbox=(40.0, 34.0, 41.5, 35.0))
    assert {i.location.name for i in in_syria_east} == {"Abu Kamal"}
    assert {i.location.name for i in filled.incidents(near=(33.0, 40.3, 20))} == {"Rutba"}
    assert filled.incidents(near=(33.0, 40.3, 1)) == []
    assert all("Coalition" in i.actors for i in filled.incidents(actor="coaL"))
    assert {i.location.name for i in filled.incidents(type="Shelling/artillery/missile attack")} == {
        "Talbiseh"
    }
    assert filled.count_incidents(type="Battles") == 0
    weak = filled.incidents(grade="weak")
    assert weak and all(i.grade == "weak" for i in weak)
    assert filled.count_incidents(grade="weak,fair,confirmed,contested,discounted") == len(everything)
    contested = filled.incidents(contested=True)
    assert all(i.contested for i in contested)
    assert len(contested) + filled.count_incidents(contested=False) == len(everything)
    # Full text over the documents (stemmed: "depots" finds "depot").
    assert {i.location.name for i in filled.incidents(q="storage depots")} >= {"Abu Kamal"}
    assert filled.incidents(q="nonexistentword") == []
    assert filled.incidents(q="***") == []
    # Events of the documents that match: the release names both places.
    assert {e.doc_id for e in filled.events(q="mortar")} == {corpus()[0].document.id}
    page1 = filled.incidents(limit=2)
    page2 = filled.incidents(limit=2, offset=2)
    assert [i.id for i in page1 + page2] == [i.id for i in everything][:4]
    with pytest.raises(UserError):
        filled.incidents(since="24 October")
    with pytest.raises(UserError):
        filled.incidents(colour="red")
    with pytest.raises(UserError, match="grade takes"):
        filled.incidents(grade="probable")


def test_dossier_and_document(filled: Store) -> None:
    inc = filled.incidents(near=(ABU_KAMAL["lat"], ABU_KAMAL["lon"], 15))[0]
    dossier = filled.dossier(inc.id)
    assert dossier["incident"]["id"] == inc.id
    assert {e["id"] for e in dossier["events"]} == set(inc.events)
    docs = {d["id"]: d for d in dossier["documents"]}
    assert set(docs) == set(inc.documents)
    for d in docs.values():
        assert d["independent"] is True
        for ev in d["evidence"]:
            full = filled.document(d["id"])["text"]
            assert full[ev["start"] : ev["end"]] == ev["sentence"]
    assert set(dossier["claims_by_source"]) <= set(docs)
    assert filled.dossier("no-such-incident") is None
    news_id = corpus()[1].document.id
    doc = filled.document(news_id)
    assert doc["kind"] == "news" and doc["outlet"] == "Levant Wire" and doc["text"] == NEWS
    assert doc["canonical_url"] == "https://levantwire.example/abu-kamal"
    assert doc["incidents"] == [inc.id]
    assert filled.document("nope") is None
    assert {d["id"] for d in filled.documents(q="mortar")} == {corpus()[0].document.id}


def test_stats(filled: Store) -> None:
    rows = filled.stats(by="week", group="type")
    assert sum(r["events"] for r in rows) == 5
    assert sum(r["incidents"] for r in rows) == filled.count_incidents()
    assert {r["period"] for r in rows} == {"2016-10-24"}  # both weeks start on Monday 24 October
    monthly = filled.stats(by="month", group="country")
    assert {(r["period"], r["group"]) for r in monthly} == {("2016-10", "SY"), ("2016-10", "IQ")}
    by_actor = filled.stats(by="day", group="actor")
    assert ("2016-10-30", "unknown") in {(r["period"], r["group"]) for r in by_actor}
    with pytest.raises(UserError):
        filled.stats(by="fortnight")


def test_frames(filled: Store) -> None:
    ev = filled.events_frame()
    assert len(ev) == 5 and {"date_start", "lat", "actor", "killed", "sentence"} <= set(ev.columns)
    assert str(ev["date_start"].dtype).startswith("datetime64")
    inc = filled.incidents_frame()
    assert len(inc) == filled.count_incidents()
    assert set(inc["grade"]) <= {"confirmed", "fair", "weak", "contested", "discounted"}
    claims = filled.claims_frame()
    assert set(claims["incident_id"]) <= set(inc["id"])
    assert {"speaker", "field", "value", "modality", "outlet", "kind"} <= set(claims.columns)
    killed = claims[claims["field"] == "killed"]
    assert 12 in set(killed["value"])


def test_control_timeline(store: Store) -> None:
    text = (
        "Government forces regained control of the town of Rutba on 26 October after ISIS fighters "
        "seized it on 23 October."
    )
    doc = make_doc(text, published="2016-10-27", outlet="Joint Operations Command", kind="military")
    lost = make_event(
        doc,
        "ISIS fighters seized it on 23 October",
        day="2016-10-23",
        place=RUTBA,
        actor="ISIS",
        type_="Strategic developments",
        sub_type="Non-state actor overtakes territory",
        precision=1,
        speaker="Joint Operations Command",
    )
    regained = make_event(
        doc,
        "Government forces regained control of the town of Rutba on 26 October",
        day="2016-10-26",
        place=RUTBA,
        actor="Iraqi security forces",
        type_="Battles",
        sub_type="Government regains territory",
        precision=1,
        speaker="Joint Operations Command",
    )
    ingest(store, [Extraction(doc, [lost, regained])])
    during = control(store, "Rutba", "2016-10-24")
    assert during["holder"] == "ISIS" and during["since"] == "2016-10-23"
    assert [e["id"] for e in during["events"]] == [lost.id]
    after = control(store, "rutba", date(2016, 11, 1))
    assert after["holder"] == "Iraqi security forces" and after["since"] == "2016-10-26"
    assert after["place"]["country"] == "IQ"
    assert control(store, "Rutba", "2016-10-01")["holder"] is None
    with pytest.raises(UserError, match="no place called 'Atlantis'"):  # unknown: an error, not a null answer
        control(store, "Atlantis", "2016-10-24")
    with pytest.raises(UserError):
        control(store, "Rutba", "yesterday")


def test_unusable_database_urls() -> None:
    from strikewatch.errors import StoreError

    with pytest.raises(StoreError, match="folder"):
        Store("sqlite:////no/such/folder/x.db")
    with pytest.raises(StoreError, match="unsupported"):
        Store("mysql://u@h/db")


def test_bulk_load_fused_at_the_end_matches_document_by_document(db_url: str, sqlite_url: str) -> None:
    with Store(db_url) as each:
        ingest(each, corpus())
        expected = [(i.id, sorted(i.events), i.grade, i.contested) for i in each.incidents(order="id")]
    bulk_url = sqlite_url.replace("test.db", "bulk.db")
    with Store(bulk_url) as bulk:
        summary = ingest(bulk, corpus(), fuse="end")
        assert summary.documents_new == 4 and summary.incidents_created == len(expected)
        assert [
            (i.id, sorted(i.events), i.grade, i.contested) for i in bulk.incidents(order="id")
        ] == expected
        with pytest.raises(UserError):
            ingest(bulk, [], fuse="later")


def test_events_left_unfused_by_an_interruption_are_fused_by_the_next_ingest(store: Store) -> None:
    first, *rest = corpus()
    ingest_one(store, first, fuse=False)  # as if a bulk load died before its final fusion
    assert store.counts()["events"] == 2 and store.counts()["incidents"] == 0
    summary = ingest(store, rest)
    assert summary.documents_new == 3
    with store.engine.connect() as conn:
        unfused = conn.execute(
            sa.select(sa.func.count())
            .select_from(t.events)
            .where(t.events.c.id.not_in(sa.select(t.incident_members.c.event_id)))
        ).scalar()
    assert unfused == 0
    assert fuse_pending(store).incidents_created == 0


WIRE = (
    "Warplanes struck a fuel depot on the eastern edge of Rutba on 24 October, setting several tankers on "
    "fire, a spokesman for the provincial council told reporters. The council said the depot had been used "
    "by militants to supply fighters in the desert west of the town, and that no civilians were hurt."
)


def test_a_republished_story_is_linked_to_its_original(store: Store) -> None:
    original = make_doc(WIRE, published="2016-10-25", outlet="Levant Wire", kind="news")
    copy_text = "ANBAR (Gulf Monitor) - " + WIRE.replace("told reporters", "said on Tuesday")
    copy = make_doc(copy_text, published="2016-10-26", outlet="Gulf Monitor", kind="news")
    sentence = "Warplanes struck a fuel depot on the eastern edge of Rutba on 24 October"
    items = [
        Extraction(
            doc,
            [
                make_event(
                    doc,
                    sentence,
                    day="2016-10-24",
                    place=RUTBA,
                    actor=None,
                    target="fuel depot",
                    speaker="provincial council",
                    modality="reported",
                )
            ],
        )
        for doc in (original, copy)
    ]
    summary = ingest(store, items)
    assert summary.documents_new == 2 and summary.documents_copies == 1
    assert store.document(copy.id)["copy_of"] == original.id
    assert store.document(original.id)["copies"] == [copy.id]
    [inc_id] = store.document(copy.id)["incidents"]
    listed = {d["id"]: d for d in store.dossier(inc_id)["documents"]}
    assert listed[copy.id]["independent"] is False and listed[original.id]["independent"] is True
    # A copy does not make a second independent source: one source stays a weak incident.
    assert store.incident(inc_id).grade == "weak"


@pytest.mark.parametrize("fuse", ["each", "end"])
def test_long_document_ids_are_kept_alike_on_both_back_ends(db_url: str, fuse: str) -> None:
    """Ids over 64 characters (a file name given as the id) are stored on SQLite and PostgreSQL alike,
    up to limits.MAX_ID_CHARS; one past it fails alone with one sentence, on both, and the rest go on."""
    from strikewatch.limits import MAX_ID_CHARS

    texts = [
        "Near Rutba, one strike destroyed a mortar tube on 24 October.",
        "Near Abu Kamal, two strikes hit a bunker on 24 October.",
        "Near Talbiseh, shelling hit a market on 25 October.",
    ]
    ids = ["battle-of-a-town-that-has-a-long-name-" + "x" * 200, "y" * (MAX_ID_CHARS + 1), "z" * MAX_ID_CHARS]
    items = []
    for text, doc_id, place in zip(texts, ids, (RUTBA, ABU_KAMAL, TALBISEH), strict=True):
        doc = make_doc(text, published="2016-10-25", outlet=f"Outlet {doc_id[0]}", kind="news", doc_id=doc_id)
        event = make_event(doc, text, day="2016-10-24", place=place, actor="Coalition")
        items.append(Extraction(doc, [event]))
    with Store(db_url) as store:
        summary = ingest(store, items, fuse=fuse)
        assert (summary.documents_new, summary.documents_failed) == (2, 1)
        (source, message), = summary.failures
        assert source == "test:Outlet y"
        assert message == (f"has an id of {MAX_ID_CHARS + 1} characters, over the {MAX_ID_CHARS}-character "
                           "limit; give it a shorter id.")
        for doc_id in (ids[0], ids[2]):
            stored = store.document(doc_id)
            assert stored is not None and stored["id"] == doc_id and len(stored["events"]) == 1
            assert store.incidents(doc_id=doc_id)[0].documents == [doc_id]
        assert store.document(ids[1]) is None
        assert ingest(store, items).documents_unchanged == 2  # and again: nothing new, the same failure


def test_a_row_the_database_refuses_fails_its_document_alone(pg_url: str) -> None:
    """PostgreSQL refuses a NUL in text (the readers strip them; a Document built in Python may hold
    one): that document is reported in one sentence and skipped, the next one stored, in each path."""
    bad = Document(id="nul", text="Jets struck a bridge\x00 near Mosul on 3 May 2016.", source="a.txt")
    good = Document(id="ok", text="Jets struck a bridge near Mosul on 3 May 2016.", source="b.txt")
    with Store(pg_url) as store:
        for fuse in ("each", "end"):
            summary = ingest(store, [Extraction(bad), Extraction(good)], fuse=fuse)
            assert summary.failures == [
                ("a.txt", "cannot be stored: PostgreSQL text fields cannot contain NUL (0x00) bytes")]
        assert [d["id"] for d in store.documents()] == ["ok"]
