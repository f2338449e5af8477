"""The REST API over a real database (SQLite, and PostgreSQL when a server runs), through a real uvicorn
server on loopback, plus the `serve` and `demo` commands run as the installed console script."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from test_api_data import XSS_SCRIPT, LiveServer, build_ledger

from strikewatch.api import create_app
from strikewatch.api.views import mark_spans


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"
    data = build_ledger(url)
    server = LiveServer(create_app(url, tiles="none", store=data["store"]))
    data["url"] = server.url
    # Generous timeout: the first place lookup loads the gazetteer (seconds on a busy machine).
    data["http"] = httpx.Client(base_url=server.url, timeout=120)
    yield data
    data["http"].close()
    server.stop()


def _incidents(http: httpx.Client, **params) -> dict:
    r = http.get("/api/incidents", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _two_source_incident(http: httpx.Client) -> dict:
    rows = _incidents(http, limit=100)["incidents"]
    multi = [i for i in rows if len(i["documents"]) >= 2 and i["location"]["name"] == "Dayr Hafir"]
    assert multi, "the two reports of the Dayr Hafir strike should fuse into one incident"
    return multi[0]


def test_incidents_list_counts_pages_and_orders(ledger):
    http = ledger["http"]
    body = _incidents(http, limit=100)
    total = body["total"]
    assert total == ledger["store"].count_incidents() and total >= 6
    assert len(body["incidents"]) == total
    dates = [i["date"]["start"] for i in body["incidents"]]
    assert dates == sorted(dates, reverse=True)
    page = _incidents(http, limit=2, offset=1)
    assert page["total"] == total
    assert [i["id"] for i in page["incidents"]] == [i["id"] for i in body["incidents"][1:3]]
    beyond = _incidents(http, limit=5, offset=total)
    assert beyond["incidents"] == []


def test_incident_filters_narrow_the_list(ledger):
    http = ledger["http"]
    every = _incidents(http, limit=100)["incidents"]
    feb = _incidents(http, since="2017-02-01", limit=100)["incidents"]
    assert feb and len(feb) < len(every)
    assert all(i["date"]["end"] >= "2017-02-01" for i in feb)
    jan = _incidents(http, until="2017-01-31", limit=100)["incidents"]
    assert {i["id"] for i in jan} | {i["id"] for i in feb} == {i["id"] for i in every}
    iraq = _incidents(http, bbox="41.0,32.0,45.0,37.0", limit=100)["incidents"]
    assert iraq and all(i["location"]["country"] == "IQ" for i in iraq)
    near = _incidents(http, near="35.836,38.548", radius=5, limit=100)["incidents"]
    assert near and all(i["location"]["name"] == "Tabqa" for i in near)
    coalition = _incidents(http, actor="Coalition", limit=100)["incidents"]
    assert coalition and all("Coalition" in i["actors"] for i in coalition)
    moves = _incidents(http, type="Strategic developments", limit=100)["incidents"]
    assert moves and all(i["type"] == "Strategic developments" for i in moves)
    for grade in ("weak", "fair", "contested", "confirmed"):
        graded = _incidents(http, grade=grade, limit=100)
        assert all(i["grade"] == grade for i in graded["incidents"])
    contested = _incidents(http, contested="true", limit=100)["incidents"]
    assert all(i["contested"] for i in contested)
    assert len(contested) + _incidents(http, contested="false")["total"] == len(every)


def test_full_text_search_finds_the_report_words(ledger):
    http = ledger["http"]
    hits = _incidents(http, q="bakery", limit=100)["incidents"]
    wire = ledger["reports"]["wire"].doc.id
    assert hits and all(wire in i["documents"] for i in hits)
    assert _incidents(http, q="zeppelin")["total"] == 0


def test_geojson_variants(ledger):
    http = ledger["http"]
    r = http.get("/api/incidents.geojson", params={"limit": 100})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["total"] == len(fc["features"])
    listed = {i["id"]: i for i in _incidents(http, limit=100)["incidents"]}
    for f in fc["features"]:
        inc = listed[f["id"]]
        assert f["geometry"]["coordinates"] == [inc["location"]["lon"], inc["location"]["lat"]]
        assert f["properties"]["grade"] == inc["grade"]
        assert f["properties"]["n_documents"] == len(inc["documents"])
    ev = http.get("/api/events.geojson", params={"type": "Air/drone strike"}).json()
    assert ev["features"] and all(f["properties"]["sub_type"] == "Air/drone strike" for f in ev["features"])


def test_dossier_puts_sources_side_by_side(ledger):
    http = ledger["http"]
    inc = _two_source_incident(http)
    r = http.get(f"/api/incidents/{inc['id']}")
    assert r.status_code == 200
    d = r.json()
    assert d["incident"]["id"] == inc["id"]
    assert len(d["sources"]) >= 2
    by_doc = {s["doc_id"]: s for s in d["sources"]}
    release = ledger["reports"]["release"]
    wire = ledger["reports"]["wire"]
    assert {release.doc.id, wire.doc.id} <= set(by_doc)
    assert by_doc[wire.doc.id]["outlet"] == "Northern Plains Courier"
    assert by_doc[wire.doc.id]["url"] == wire.url
    for report in (release, wire):
        evidence = by_doc[report.doc.id]["evidence"]
        assert [e["sentence"] for e in evidence] == [report.specs[0].sentence]
        # The claimed actor words are marked inside the sentence.
        marks = {m["field"]: m for m in evidence[0]["marks"]}
        assert marks["actor"]["text"].lower() == report.specs[0].actor_text.lower()
        sentence = evidence[0]["sentence"]
        assert sentence[marks["actor"]["start"]:marks["actor"]["end"]] == marks["actor"]["text"]
    # Every claim sits under the document it came from; contradicted ones are flagged.
    for s in d["sources"]:
        assert all(c["doc_id"] == s["doc_id"] for c in s["claims"])
    flagged = {(c["field"], s["doc_id"]) for s in d["sources"] for c in s["claims"] if c["contradicted"]}
    for c in d["incident"]["contradictions"]:
        assert any(f == c["field"] for f, _ in flagged)


def test_dossier_and_document_not_found_are_json_404(ledger):
    http = ledger["http"]
    for path in ("/api/incidents/nope", "/api/documents/nope"):
        r = http.get(path)
        assert r.status_code == 404
        assert "nope" in r.json()["error"]["message"]


def test_document_has_text_and_events(ledger):
    http = ledger["http"]
    report = ledger["reports"]["release2"]
    doc = http.get(f"/api/documents/{report.doc.id}").json()
    assert doc["text"] == report.doc.text
    assert sorted(e["id"] for e in doc["events"]) == sorted(e.id for e in report.events)
    assert doc["outlet"] == "Task Force Bulletin" and doc["kind"] == "military"


def test_events_list_and_filters(ledger):
    http = ledger["http"]
    body = http.get("/api/events", params={"limit": 100}).json()
    expected = sum(len(r.events) for r in ledger["reports"].values())
    assert len(body["events"]) == expected
    strikes = http.get("/api/events", params={"actor": "Coalition", "limit": 100}).json()["events"]
    assert strikes and all(e["actor"]["name"] == "Coalition" for e in strikes)


def test_control_answers_who_held_a_place(ledger):
    http = ledger["http"]
    before = http.get("/api/control", params={"place": "Al-Bab", "on": "2017-02-01"}).json()
    after = http.get("/api/control", params={"place": "Al-Bab", "on": "2017-02-20"}).json()
    assert before["on"] == "2017-02-01" and after["on"] == "2017-02-20"
    assert before["holder"] == "ISIS"
    assert after["holder"] is not None and after["holder"] != "ISIS"
    assert len(after["timeline"]) >= 2
    # The timeline's events come back as events (with their sentences), not bare ids.
    first = after["timeline"][0]["events"][0]
    assert isinstance(first, dict) and "Al-Bab" in first["evidence"]["sentence"]
    nowhere = http.get("/api/control", params={"place": "Atlantis", "on": "2017-02-20"})  # an unknown place
    assert nowhere.status_code == 400 and "no place called" in nowhere.json()["error"]["message"]


def test_stats_series_with_strikes(ledger):
    http = ledger["http"]
    body = http.get("/api/stats", params={"by": "week", "group": "actor"}).json()
    rows = body["rows"]
    assert body["by"] == "week" and rows
    coalition = [r for r in rows if r["group"] == "Coalition"]
    specs = [s for r in ledger["reports"].values() for s in r.specs]
    expected = sum(s.strikes or 0 for s in specs if s.actor == "Coalition")
    assert sum(r["strikes"] for r in coalition) == expected
    assert sum(r["events"] for r in rows) == sum(len(r.events) for r in ledger["reports"].values())


@pytest.mark.parametrize("path, fragment", [
    ("/api/incidents?since=yesterday", "since takes a date"),
    ("/api/incidents?bbox=1,2,3", "bbox takes four numbers"),
    ("/api/incidents?grade=great", "grade takes one of"),
    ("/api/incidents?limit=0", "limit takes a number"),
    ("/api/incidents?near=Atlantisxyzzy", "near="),
    ("/api/incidents?radius=5", "radius needs near="),
    ("/api/incidents?contested=maybe", "contested"),
    ("/api/stats?by=year", "by takes one of"),
    ("/api/control", "place"),
    ("/api/control?place=Al-Bab&on=soon", "on takes a date"),
])
def test_bad_parameters_are_400_with_one_sentence(ledger, path, fragment):
    r = ledger["http"].get(path)
    assert r.status_code == 400, r.text
    message = r.json()["error"]["message"]
    assert fragment in message and "Traceback" not in message


def test_read_only_and_unknown_paths(ledger):
    http = ledger["http"]
    r = http.post("/api/incidents", json={})
    assert r.status_code == 405 and "read-only" in r.json()["error"]["message"]
    r = http.delete("/api/documents/x")
    assert r.status_code == 405
    r = http.get("/api/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404


def test_swagger_docs_are_served_locally(ledger):
    http = ledger["http"]
    html = http.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in html and "/openapi.json" in html
    assert "cdn." not in html and "https://" not in html.split("<body>")[1].split("</body>")[0]
    assert http.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert http.get("/docs-assets/swagger-ui.css").status_code == 200
    spec = http.get("/openapi.json").json()
    for path in ("/api/incidents", "/api/incidents.geojson", "/api/incidents/{incident_id}", "/api/events",
                 "/api/documents/{doc_id}", "/api/control", "/api/stats"):
        assert path in spec["paths"], path
        assert list(spec["paths"][path]) == ["get"]


def test_dashboard_page_and_assets(ledger):
    http = ledger["http"]
    r = http.get("/")
    assert r.status_code == 200 and "<title>Strikewatch</title>" in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for asset in ("/static/app.js", "/static/style.css", "/vendor/leaflet/leaflet.js",
                  "/vendor/markercluster/leaflet.markercluster.js", "/vendor/world-atlas/countries-50m.json",
                  "/vendor/topojson-client/topojson-client.min.js"):
        assert http.get(asset).status_code == 200, asset
    # Only the listed files of node_modules are reachable.
    assert http.get("/vendor/leaflet/package.json").status_code == 404
    assert http.get("/vendor/../../api/app.py").status_code == 404
    assert http.get("/api/config").json()["tiles"] is None


def test_report_text_reaches_the_api_unaltered(ledger):
    """The API returns a report's text as data (the dashboard must render it as text: see test_web)."""
    http = ledger["http"]
    blog = ledger["reports"]["blog"]
    hits = _incidents(http, q="garage")["incidents"]
    assert hits
    d = http.get(f"/api/incidents/{hits[0]['id']}").json()
    sentences = [e["sentence"] for s in d["sources"] for e in s["evidence"]]
    assert any(XSS_SCRIPT in s for s in sentences)
    assert any(s["doc_id"] == blog.doc.id and s["url"] == "javascript:alert(3)" for s in d["sources"])


def test_list_and_filters_on_both_back_ends(db_url):
    """The same queries through the API on SQLite and on PostgreSQL."""
    data = build_ledger(db_url)
    server = LiveServer(create_app(db_url, tiles="none", store=data["store"]))
    try:
        with httpx.Client(base_url=server.url, timeout=120) as http:
            every = _incidents(http, limit=100)
            assert every["total"] >= 6
            assert _incidents(http, q="bakery")["total"] >= 1
            assert 0 < _incidents(http, since="2017-02-01")["total"] < every["total"]
            inc = _two_source_incident(http)
            assert len(http.get(f"/api/incidents/{inc['id']}").json()["sources"]) >= 2
            assert http.get("/api/stats", params={"by": "day"}).json()["rows"]
    finally:
        server.stop()
        data["store"].close()


def test_mark_spans_keeps_marks_apart():
    event = {
        "evidence": {"sentence": "Coalition jets struck a depot near Raqqa on Monday."},
        "actor": {"text": "Coalition jets"},
        "target": {"text": "a depot near Raqqa"},
        "location": {"text": "near Raqqa"},  # inside the target's words: dropped, marks never overlap
        "date": {"text": "on Monday"},
    }
    marks = mark_spans(event)
    assert [m["field"] for m in marks] == ["actor", "target", "date"]
    assert [m["text"] for m in marks] == ["Coalition jets", "a depot near Raqqa", "on Monday"]
    assert all(a["end"] <= b["start"] for a, b in zip(marks, marks[1:], strict=False))
    assert mark_spans({"evidence": {"sentence": "x"}, "actor": {"text": "absent words"}}) == []


# ---------------------------------------------------------------- the commands


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_serves_a_database(tmp_path, ledger):
    db = Path(ledger["store"].url.removeprefix("sqlite:///"))
    exe = Path(sys.executable).with_name("strikewatch")
    port = _free_port()
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(port), "--tiles", "none"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in banner
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/incidents", params={"limit": 1}, timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["total"] == ledger["store"].count_incidents()
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_serve_command_errors_are_one_sentence(tmp_path, cli):
    missing = cli("serve", "--db", str(tmp_path / "none.db"), "--port", "0")
    assert missing.returncode != 0
    assert "no database at" in missing.stderr and "Traceback" not in missing.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        (tmp_path / "x.db").touch()
        taken = cli("serve", "--db", str(tmp_path / "x.db"), "--port", str(port))
    assert taken.returncode != 0
    assert "cannot listen" in taken.stderr and "Traceback" not in taken.stderr
    bad = cli("demo", "--no-serve", "--samples", str(tmp_path / "nowhere"))
    assert bad.returncode != 0 and "no sample folder" in bad.stderr


def test_demo_builds_a_database_without_serving(tmp_path, cli):
    """`demo --no-serve` over a folder of (our own, invented) reports: the database it prints is usable."""
    folder = tmp_path / "samples" / "reports"
    folder.mkdir(parents=True)
    (folder / "release.txt").write_text(
        "Task Force Bulletin, March 6, 2017\n\n"
        "On March 5, coalition military forces conducted two strikes near Tabqa, destroying a checkpoint "
        "and a mortar position.\n", encoding="utf-8")
    (folder / "news.txt").write_text(
        "March 7, 2017\n\nRussian warplanes bombed a market in Maarat al-Numan on Monday, killing six "
        "civilians, a local council said.\n", encoding="utf-8")
    (tmp_path / "samples" / "annotations.jsonl").write_text('{"not": "a report"}\n', encoding="utf-8")
    db = tmp_path / "demo.db"
    result = cli("demo", "--no-serve", "--samples", str(tmp_path / "samples"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"demo database: sqlite:///{db}" in result.stdout
    from strikewatch.store import Store

    with Store(f"sqlite:///{db}") as store:
        docs = store.documents()
        assert len(docs) == 2  # the annotations file is not a report
        assert f"incidents_total {store.count_incidents()}" in result.stdout
