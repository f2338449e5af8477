"""The API routes behind the dashboard (control layer, basemap labels, filtered stats, downloads, the
dossier's harm and source names) over a real SQLite file, through a real uvicorn server on loopback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pytest
from test_api_data import LiveServer, build_ledger

from strikewatch.api import create_app
from strikewatch.api.app import DEFAULT_TILES, _tiles_setting
from strikewatch.store.export import geojson


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'dash.db'}"
    data = build_ledger(url)
    server = LiveServer(create_app(url, store=data["store"]))
    data.update(url=server.url, db=url, http=httpx.Client(base_url=server.url, timeout=120))
    yield data
    data["http"].close()
    server.stop()


def test_the_basemap_is_offline_unless_tiles_are_asked_for(ledger, monkeypatch):
    config = ledger["http"].get("/api/config").json()
    assert config["tiles"] is None and config["basemap"] == "offline"
    monkeypatch.delenv("STRIKEWATCH_TILES", raising=False)
    assert _tiles_setting(None) is None
    assert _tiles_setting("osm") == DEFAULT_TILES
    assert _tiles_setting("https://tiles.example/{z}/{x}/{y}.png") == "https://tiles.example/{z}/{x}/{y}.png"
    monkeypatch.setenv("STRIKEWATCH_TILES", "osm")
    assert _tiles_setting(None) == DEFAULT_TILES
    assert _tiles_setting("none") is None


def test_basemap_labels_come_from_the_gazetteer(ledger):
    places = ledger["http"].get("/api/basemap/places").json()["places"]
    names = {p["name"]: p for p in places}
    assert {"Damascus", "Baghdad", "Aleppo", "Mosul"} <= set(names)
    assert names["Baghdad"]["minzoom"] <= 5 and names["Baghdad"]["country"] == "IQ"
    populations = [p["population"] or 0 for p in places]
    assert populations == sorted(populations, reverse=True)  # biggest first: labelled from far out


def test_control_map_follows_the_date(ledger):
    http = ledger["http"]

    def held(on: str) -> dict[str, str | None]:
        body = http.get("/api/control/map", params={"on": on}).json()
        assert body["on"] == on
        return {p["name"]: p["holder"] for p in body["places"]}

    assert held("2017-01-20").get("Al-Bab") is None  # nothing reported yet
    assert held("2017-02-01")["Al-Bab"] == "ISIS"
    assert held("2017-02-12")["Al-Bab"] == "Turkey"
    place = next(p for p in http.get("/api/control/map", params={"on": "2017-02-12"}).json()["places"]
                 if p["name"] == "Al-Bab")
    assert place["since"] == "2017-02-10" and place["changes"] == 2 and place["contested"] is False
    assert http.get("/api/control/map", params={"on": "someday"}).status_code == 400


def test_stats_honour_grade_contested_and_belligerent(ledger):
    http, store = ledger["http"], ledger["store"]
    for params in ({"grade": "weak"}, {"grade": "fair,confirmed"}, {"contested": "true"},
                   {"contested": "false"}, {"belligerent": "Coalition"}):
        rows = http.get("/api/stats", params={"by": "week", "group": "type", **params}).json()["rows"]
        expected = store.count_incidents(**params)
        assert sum(r["incidents"] for r in rows) == expected, params
        # An event counts when its incident matches.
        incidents = store.incidents(**params)
        assert sum(r["events"] for r in rows) == sum(len(i.events) for i in incidents), params
    every = http.get("/api/stats", params={"by": "week"}).json()["rows"]
    weak = http.get("/api/stats", params={"by": "week", "grade": "weak"}).json()["rows"]
    assert sum(r["incidents"] for r in weak) < sum(r["incidents"] for r in every)


def test_api_and_cli_geojson_carry_the_same_properties(ledger, cli):
    api = ledger["http"].get("/api/incidents.geojson", params={"limit": 1000}).json()["features"]
    out = cli("incidents", "--db", ledger["db"], "--format", "geojson")
    assert out.returncode == 0, out.stderr
    mine = json.loads(out.stdout)["features"]
    assert len(api) == len(mine) == ledger["store"].count_incidents()
    by_id = {f["id"]: f for f in mine}
    for f in api:
        assert f == by_id[f["id"]]
    assert api == geojson(ledger["store"].incidents())["features"]
    props = api[0]["properties"]
    for name in ("killed_min", "killed_max", "civilians_killed_min", "children_killed_max", "injured_min"):
        assert name in props


def test_downloads_return_the_filtered_rows(ledger):
    http, store = ledger["http"], ledger["store"]
    r = http.get("/api/export/incidents", params={"format": "csv", "grade": "weak", "since": "2017-01-15"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    expected = store.incidents(grade="weak", since="2017-01-15")
    assert [row["id"] for row in rows] == [i.id for i in expected] and rows
    acled = list(csv.DictReader(io.StringIO(
        http.get("/api/export/incidents", params={"format": "acled", "belligerent": "ISIS"}).text)))
    assert acled and all(row["actor1"] == "ISIS" for row in acled)
    geo = http.get("/api/export/incidents", params={"format": "geojson", "type": "Strategic developments"})
    assert len(geo.json()["features"]) == store.count_incidents(type="Strategic developments")
    assert http.get("/api/export/incidents", params={"format": "xls"}).status_code == 400


def test_dossier_shows_harm_as_ranges_and_unknowns(ledger):
    http, store = ledger["http"], ledger["store"]
    wire = ledger["reports"]["wire"]
    inc = next(i for i in store.incidents() if wire.doc.id in i.documents)
    d = http.get(f"/api/incidents/{inc.id}").json()
    harm = {row["field"]: row for row in d["harm"]}
    assert set(harm) == {"killed", "civilians_killed", "children_killed", "injured"}
    assert harm["killed"]["min"] == 4 and harm["killed"]["max"] == 4
    assert harm["killed"]["claims"][0]["speaker"] == "residents"
    assert harm["injured"]["min"] is None and harm["injured"]["claims"] == []  # unknown, never 0
    names = {s["doc_id"]: (s["name"], s["named_from"]) for s in d["sources"]}
    assert names[wire.doc.id] == ("Northern Plains Courier", "outlet")


def test_sources_without_an_outlet_are_named_by_their_header(tmp_path):
    from strikewatch.api.views import source_name
    from strikewatch.ingest.dateline import find_issuer

    header = "12 March 2017\n\nMinistry of Water Defence of the Republic of Nowhere\nDaily briefing\n\nOn ..."
    assert find_issuer(header) == "Ministry of Water Defence of the Republic of Nowhere"
    # A headline that names an army is no issuer; a sentence is none either.
    headline = "Army retakes the hill town"
    assert find_issuer(f"{headline}\n\nThe army said ...", headline) is None
    assert find_issuer("The local council said that the market was hit.\n") is None
    assert source_name({"header_text": header}) == (
        "Ministry of Water Defence of the Republic of Nowhere", "dateline")
    assert source_name({"url": "https://www.river-post.example/a"}) == ("river-post.example", "site")
    assert source_name({}) == (None, None)


def test_one_body_under_several_spellings_is_one_speaker():
    from strikewatch.api.views import speaker_actor

    assert speaker_actor("Russian Ministry of Defence") == "Russia"
    assert speaker_actor("Russia's defence ministry") == "Russia"
    iraq = speaker_actor("Iraqi Ministry of Defense")
    assert iraq and speaker_actor("Republic of Iraq - Ministry of Defence") == iraq
    assert speaker_actor("residents reached by telephone") is None


def test_phrase_search_and_bare_operators(ledger):
    http, store = ledger["http"], ledger["store"]

    def total(q: str) -> int:
        r = http.get("/api/incidents", params={"q": q})
        assert r.status_code == 200, r.text
        return r.json()["total"]

    assert total('"coalition jets bombed"') == 1
    assert total('"bombed jets coalition"') == 0  # the same words out of order are no phrase
    assert total("bombed jets coalition") == 1
    assert total('"coalition jets" bakery') == 1
    # A bare operator is a word like any other, not a syntax error or an empty search.
    assert total("AND") == total("and") == store.count_incidents(q="and")
    assert total("NOT") == total("not")
    assert total('"') == 0


def test_stats_cli_table_and_csv_have_strikes(ledger, cli, tmp_path: Path):
    out = cli("stats", "--db", ledger["db"], "--by", "week", "--group", "actor", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and list(rows[0]) == ["period", "group", "events", "incidents", "strikes"]
    api = ledger["http"].get("/api/stats", params={"by": "week", "group": "actor"}).json()["rows"]
    assert [(r["period"], r["group"], int(r["strikes"])) for r in rows] == [
        (r["period"], r["group"], r["strikes"]) for r in api]
    table = cli("stats", "--db", ledger["db"], "--by", "week", "--group", "actor")
    assert "strikes" in table.stdout.splitlines()[2]
    png = tmp_path / "chart.png"
    drawn = cli("stats", "--db", ledger["db"], "--by", "day", "--format", "png", "--output", str(png))
    assert drawn.returncode == 0 and png.read_bytes()[:4] == b"\x89PNG"


def test_chart_periods_keep_quiet_ones_and_cut_far_mentions():
    from strikewatch.store.charts import core_span, period_starts

    assert period_starts("2017-01-02", "2017-01-30", "week") == [
        "2017-01-02", "2017-01-09", "2017-01-16", "2017-01-23", "2017-01-30"]
    assert period_starts("2016-11", "2017-02", "month") == ["2016-11", "2016-12", "2017-01", "2017-02"]
    busy = list(range(1000, 1060))
    assert core_span([10, 400, *busy]) == (2, 61)  # two mentions years before: cut
    spread = list(range(0, 1000, 10))
    assert core_span(spread) == (0, len(spread) - 1)  # evenly spread: nothing cut


def test_phrases_stats_and_belligerent_on_both_back_ends(db_url):
    data = build_ledger(db_url)
    store = data["store"]
    try:
        wire = data["reports"]["wire"]
        assert {d for i in store.incidents(q='"coalition jets bombed"') for d in i.documents} >= {wire.doc.id}
        assert store.count_incidents(q='"bombed jets coalition"') == 0
        assert store.count_incidents(q="AND") == store.count_incidents(q="and")
        rows = store.stats(by="week", group="type", grade="weak")
        assert sum(r["incidents"] for r in rows) == store.count_incidents(grade="weak")
        coalition = store.incidents(belligerent="Coalition")
        assert coalition and all(i.actors[0] == "Coalition" for i in coalition)
        events = {e.id for e in store.events(belligerent="Coalition")}
        assert events == {e for i in coalition for e in i.events}
    finally:
        store.close()
