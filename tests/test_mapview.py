"""The dashboard's summaries computed in the database (strikewatch.store.mapview and its API routes): the
map's points and grid clusters, the day histogram, the facet counts and the framing, on SQLite and
PostgreSQL, checked against the incidents themselves."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import httpx
import pytest
from test_api_data import LiveServer, build_ledger, bulk_strikes

from strikewatch.api import create_app
from strikewatch.pipeline import ingest
from strikewatch.store import mapview

ORDER = ["contested", "discounted", "weak", "fair", "confirmed"]


@pytest.fixture
def ledger(db_url: str):
    data = build_ledger(db_url)
    ingest(data["store"], bulk_strikes(600, per_document=300))
    yield data
    data["store"].close()


def flagged(i) -> bool:
    return bool(i.contested or i.grade == "contested")


def outlets_of(store, incident) -> set[str]:
    if not hasattr(store, "_test_outlets"):
        store._test_outlets = {d["id"]: d.get("outlet") for d in store.documents(limit=None)}
    return {store._test_outlets[doc] for doc in incident.documents if store._test_outlets.get(doc)}


def test_few_incidents_come_as_points_wherever_the_map_looks(db_url: str) -> None:
    store = build_ledger(db_url)["store"]
    view = mapview.map_view(store, zoom=9, bbox=(37.0, 35.5, 38.0, 36.5))
    everything = store.incidents()
    assert view["mode"] == "points" and view["complete"]
    assert view["total"] == view["placed"] == view["in_view"] == len(everything)
    by_id = {i.id: i for i in everything}
    assert {p["id"] for p in view["points"]} == set(by_id)
    for p in view["points"]:
        inc = by_id[p["id"]]
        assert (p["lat"], p["lon"], p["grade"], p["contested"]) == (inc.location.lat, inc.location.lon,
                                                                      inc.grade, inc.contested)
        assert p["date_start"] == inc.date.start and p["sub_type"] == inc.sub_type
    store.close()


def test_cells_count_every_incident_with_its_worst_grade_and_keep_contested_apart(ledger) -> None:
    store = ledger["store"]
    everything = [i for i in store.incidents() if i.location.lat is not None]
    view = mapview.map_view(store, zoom=6, point_limit=100)
    assert view["mode"] == "cells" and not view["complete"]
    assert view["in_view"] == view["placed"] == len(everything)
    # Contested incidents one by one, never inside a cluster.
    assert {p["id"] for p in view["points"]} == {i.id for i in everything if flagged(i)}
    assert all(not c["contested"] for c in view["cells"])
    assert sum(c["count"] for c in view["cells"]) + len(view["points"]) == len(everything)
    # Each cell: the incidents of its square of the grid, the worst grade among them.
    size = view["cell"]
    squares = defaultdict(list)
    for i in everything:
        if not flagged(i):
            key = (math.floor((i.location.lon + 180) / size), math.floor((i.location.lat + 90) / size))
            squares[key].append(i)
    assert len(view["cells"]) == len(squares)
    for cell in view["cells"]:
        key = (math.floor((cell["lon"] + 180) / size), math.floor((cell["lat"] + 90) / size))
        members = squares[key]
        assert cell["count"] == len(members)
        assert cell["grade"] == min((i.grade for i in members), key=ORDER.index)
        west, south, east, north = cell["bbox"]
        assert all(west <= i.location.lon <= east and south <= i.location.lat <= north for i in members)
        if cell["count"] == 1:
            assert cell["point"]["id"] == members[0].id
    # Past the limit, contested incidents come in clusters of their own.
    crowded = mapview.map_view(store, zoom=6, point_limit=100, flagged_limit=0)
    assert crowded["points"] == []
    assert sum(c["count"] for c in crowded["cells"] if c["contested"]) == sum(map(flagged, everything))
    assert all(c["grade"] == "contested" for c in crowded["cells"] if c["contested"] and
               any(i.grade == "contested" for i in everything))


def test_a_view_counts_what_is_inside_its_bounds_under_the_filters(ledger) -> None:
    store = ledger["store"]
    box = (36.0, 33.0, 39.0, 36.0)
    view = mapview.map_view(store, zoom=8, bbox=box, point_limit=50, belligerent="Russia")
    assert view["total"] == store.count_incidents(belligerent="Russia")
    assert view["in_view"] == store.count_incidents(belligerent="Russia", bbox=box)
    shown = sum(c["count"] for c in view["cells"]) + len(view["points"])
    assert shown == view["in_view"]
    near = mapview.map_view(store, zoom=12, bbox=(38.0, 35.0, 38.5, 35.5))
    assert near["mode"] == "points"
    ids = {i.id for i in store.incidents(bbox=(38.0, 35.0, 38.5, 35.5))}
    assert {p["id"] for p in near["points"]} == ids or near["complete"]


def test_the_timeline_counts_incidents_per_first_day(ledger) -> None:
    store = ledger["store"]
    body = mapview.day_counts(store, grade="weak")
    expected = Counter(i.date.start for i in store.incidents(grade="weak") if i.date.start)
    assert dict((d, n) for d, n in body["days"]) == dict(expected)
    assert [d for d, _ in body["days"]] == sorted(expected)
    assert sum(n for _, n in body["days"]) + body["undated"] == store.count_incidents(grade="weak")


def test_facets_count_each_option_under_the_other_filters(ledger) -> None:
    store = ledger["store"]
    everything = store.incidents()
    facets = mapview.facets(store)
    outlets = Counter(o for i in everything for o in outlets_of(store, i))
    assert {f["value"]: f["count"] for f in facets["outlet"]} == dict(outlets)
    for f in facets["outlet"]:
        assert store.count_incidents(outlet=f["value"]) == f["count"]
    assert {f["value"]: f["count"] for f in facets["grade"]} == dict(Counter(i.grade for i in everything))
    assert {f["value"]: f["count"] for f in facets["belligerent"]} == dict(
        Counter(i.actors[0] for i in everything if i.actors))
    assert {f["value"]: f["count"] for f in facets["actor"]} == dict(
        Counter(a for i in everything for a in set(i.actors)))
    assert {f["value"]: f["count"] for f in facets["type"]} == dict(Counter(i.sub_type for i in everything))
    assert facets["contested"] == sum(1 for i in everything if i.contested)
    counts = [f["count"] for f in facets["outlet"]]
    assert counts == sorted(counts, reverse=True)
    # A chosen grade keeps the other grades' counts (its own filter left out), and narrows the rest.
    weak = mapview.facets(store, grade="weak", outlet="Bulk Courier")
    assert {f["value"]: f["count"] for f in weak["grade"]} == dict(
        Counter(i.grade for i in everything if "Bulk Courier" in outlets_of(store, i)))
    assert {f["value"]: f["count"] for f in weak["outlet"]} == dict(
        Counter(o for i in everything if i.grade == "weak" for o in outlets_of(store, i)))
    assert {f["value"]: f["count"] for f in weak["belligerent"]} == dict(
        Counter(i.actors[0] for i in store.incidents(grade="weak", outlet="Bulk Courier") if i.actors))


def test_framing_matches_what_fitbounds_shows() -> None:
    frame = mapview.frame((36.0, 33.0, 45.0, 37.0), 800, 600)
    zoom = frame["zoom"]
    assert zoom % 0.5 == 0 and 3 <= zoom <= 9
    west, south, east, north = frame["bounds"]
    # The extent padded by a fifth of its size on each side fits on screen...
    assert west <= 36.0 - 1.8 and east >= 45.0 + 1.8 and south <= 33.0 - 0.8 and north >= 37.0 + 0.8
    assert abs(frame["lon"] - 40.5) < 1e-6 and south < frame["lat"] < north
    # ...and half a zoom step closer it would not (in either direction).
    degrees_wide = 800 / (256 * 2 ** (zoom + 0.5)) * 360
    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    pixels_high = (merc(37.8) - merc(32.2)) / (2 * math.pi) * 256 * 2 ** (zoom + 0.5)
    assert degrees_wide < 12.6 or pixels_high > 600
    assert mapview.padded((30.0, 30.0, 40.0, 40.0), 0.5) == (25.0, 25.0, 45.0, 45.0)
    assert mapview.padded((-170.0, 0.0, 170.0, 10.0), 0.5) is None


@pytest.fixture
def api(ledger):
    server = LiveServer(create_app("unused: the store is given", store=ledger["store"], tiles="none"))
    with httpx.Client(base_url=server.url, timeout=120) as http:
        yield ledger["store"], http
    server.stop()


def test_the_api_serves_the_map_facets_and_timeline(api) -> None:
    store, http = api
    framed = http.get("/api/map", params={"fit": "800x600", "grade": "weak"}).json()
    assert framed["frame"]["zoom"] % 0.5 == 0 and framed["total"] == store.count_incidents(grade="weak")
    assert framed["mode"] in ("points", "cells")
    view = http.get("/api/map", params={"zoom": 7, "bbox": "36,33,39,36"}).json()
    assert view["in_view"] == store.count_incidents(bbox=(36, 33, 39, 36)) or view["complete"]
    facets = http.get("/api/facets", params={"outlet": "Bulk Courier"}).json()
    assert {f["value"] for f in facets["outlet"]} >= {"Bulk Courier", "Bulk Task Force"}
    days = http.get("/api/timeline", params={"outlet": "Bulk Courier"}).json()
    courier = store.count_incidents(outlet="Bulk Courier")
    assert sum(n for _, n in days["days"]) + days["undated"] == courier
    listed = http.get("/api/incidents", params={"outlet": "bulk courier", "limit": 5}).json()
    assert listed["total"] == courier
    oldest = http.get("/api/incidents", params={"order": "date_asc", "limit": 1}).json()["incidents"][0]
    assert oldest["id"] == store.incidents(order="date_asc", limit=1)[0].id
    assert http.get("/api/map/extent").json()["extent"][0] < 40
    for path, params in [("/api/map", {}), ("/api/map", {"zoom": "near"}), ("/api/map", {"zoom": 40}),
                         ("/api/map", {"fit": "wide"}), ("/api/map", {"fit": "0x10"}),
                         ("/api/incidents", {"order": "random"}), ("/api/facets", {"grade": "certain"}),
                         ("/api/timeline", {"colour": "red"})]:
        r = http.get(path, params=params)
        assert r.status_code == 400, (path, params, r.text)
        assert r.json()["error"]["message"].endswith(".")
