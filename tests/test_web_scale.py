"""The dashboard over more incidents than it shows one by one (5,200 invented strikes and the test
ledger), in Debian's Chromium: every incident is counted, reachable on the map by zooming in and in the
list by paging, and the server's clusters keep their worst grade and the contested incidents apart.

The dashboard used to load the newest 5,000 incidents; these tests reach one older than that.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from pathlib import Path

import pytest
from test_api_data import LiveServer, build_ledger, bulk_strikes
from test_web import ARGS, CHROMIUM, SCREENSHOTS, _open, visible_markers

from strikewatch.api import create_app
from strikewatch.pipeline import ingest

pytestmark = pytest.mark.browser
ORDER = ["contested", "discounted", "weak", "fair", "confirmed"]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (tools/system-deps.sh installs it with apt)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    url = f"sqlite:///{tmp_path_factory.mktemp('web-scale') / 'scale.db'}"
    data = build_ledger(url)  # 2016-2017
    summary = ingest(data["store"], bulk_strikes(5200))  # 2015, older than all of the ledger
    assert summary.documents_failed == 0, summary.failures
    server = LiveServer(create_app(url, tiles="none", store=data["store"]))
    pw = playwright_api.sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    data.update(server=server, browser=browser, url=server.url)
    yield data
    browser.close()
    pw.stop()
    server.stop()


@pytest.fixture
def page(big):
    yield from _open(big, 1440)


def flagged(i) -> bool:
    return bool(i.contested or i.grade == "contested")


def beyond_the_newest_5000(store):
    """The oldest incident, which the newest 5,000 leave out."""
    oldest = store.incidents(order="date_asc", limit=1)[0]
    assert oldest.id not in {i.id for i in store.incidents(limit=5000)}
    return oldest


def test_every_incident_is_counted_and_the_servers_clusters_keep_the_worst_grade(big, page):
    store = big["store"]
    every = store.count_incidents()
    assert every > 5000
    assert page.get_attribute("#map", "data-mode") == "cells"
    assert page.get_attribute("#status", "data-total") == str(every)
    assert f"{every:,} incidents" in page.text_content("#status")
    in_view = int(page.get_attribute("#map", "data-in-view"))
    assert in_view == every  # framed on all of them
    assert visible_markers(page) == in_view  # every incident is in a cluster or a marker of its own
    size = page.evaluate("state.view.cell")
    squares = defaultdict(list)
    placed = [i for i in store.incidents() if i.location.lat is not None]
    for i in placed:
        if not flagged(i):
            key = (math.floor((i.location.lon + 180) / size), math.floor((i.location.lat + 90) / size))
            squares[key].append(i)
    cells = page.evaluate("""() => cellLayer.getLayers().filter((l) => l.options.cell)
        .map((l) => [l._icon.className, l.options.cell.lat, l.options.cell.lon, l.options.cell.count])""")
    assert cells, "the server clusters past 2,000 incidents in view"
    mixed = 0
    for cls, lat, lon, count in cells:
        members = squares[(math.floor((lon + 180) / size), math.floor((lat + 90) / size))]
        worst = min((i.grade for i in members), key=ORDER.index)
        assert count == len(members) and f"grade-{worst}" in cls.split(), (cls, count, len(members))
        mixed += len({i.grade for i in members}) > 1
    assert mixed  # clusters of confirmed and weak incidents take the colour of the weak ones
    # Contested incidents are never inside a cluster: each is its own marker at the start zoom.
    contested = [i for i in placed if flagged(i)]
    assert contested
    assert page.locator(".sw-marker.contested, .sw-marker.grade-contested").count() == len(contested)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-5000-plus.png"))


def test_an_incident_older_than_the_newest_5000_is_reached_by_zooming_in(big, page):
    old = beyond_the_newest_5000(big["store"])
    lat, lon = old.location.lat, old.location.lon
    marker = page.locator(f".sw-marker[title*='— {old.location.name} —']")
    for _ in range(8):  # click the cluster that holds it until it stands on its own
        if marker.count():
            break
        drawn = page.get_attribute("#map", "data-drawn")
        if page.get_attribute("#map", "data-mode") == "points":
            # Few enough in view to come one by one: the browser's own clusters open on the way in.
            page.evaluate(f"""() => {{ const m = cluster.getLayers().find((l) =>
                l.options.title.includes('— {old.location.name} —')); cluster.zoomToShowLayer(m); }}""")
            marker.first.wait_for()
            break
        # A click on the cluster's own element (a contested marker may stand over its centre).
        clicked = page.evaluate(f"""() => {{ const inside = ([w, s, e, n]) =>
                w <= {lon} && {lon} <= e && s <= {lat} && {lat} <= n;
            const hit = cellLayer.getLayers().find((l) => l.options.cell && !l.options.cell.contested &&
                inside(l.options.cell.bbox));
            if (!hit) return false;
            hit._icon.click();
            return true; }}""")
        assert clicked, "no cluster holds the incident"
        page.wait_for_function(f"document.getElementById('map').dataset.drawn !== '{drawn}'")
    marker.first.click()
    page.wait_for_function(f"location.hash.startsWith('#/incident/{old.id}')")
    page.wait_for_selector("#panel-dossier.active .dossier-title")
    assert old.location.name in page.text_content("#panel-dossier .dossier-title")


def test_an_incident_older_than_the_newest_5000_is_reached_in_the_list(big, page):
    store = big["store"]
    old = beyond_the_newest_5000(store)
    every = store.count_incidents()
    pages = math.ceil(every / 100)
    assert page.text_content("#list-more").startswith(f"1–100 of {every:,}, newest first")
    page.click("#page-last")
    page.wait_for_function(f"document.querySelector('#list-more').dataset.page === '{pages}'")
    last = [i.id for i in store.incidents(limit=100, offset=(pages - 1) * 100)]
    assert page.locator("#incident-list li").evaluate_all("rows => rows.map((r) => r.dataset.id)") == last
    assert set(page.locator("#incident-list li .row-date").all_text_contents()) == {old.date.start}
    assert f"page={pages}" in page.evaluate("location.hash")
    page.click("#page-prev")
    page.wait_for_function(f"document.querySelector('#list-more').dataset.page === '{pages - 1}'")
    # Oldest first: the oldest is the first row; opening it shows its dossier.
    page.click("#l-order")
    page.wait_for_function("document.querySelector('#list-more').textContent.includes('oldest first')")
    first = page.locator("#incident-list li").first
    assert first.get_attribute("data-id") == old.id
    first.click()
    page.wait_for_function(f"location.hash.startsWith('#/incident/{old.id}')")
    page.wait_for_selector("#panel-dossier.active .dossier-title")
    assert old.location.name in page.text_content("#panel-dossier .dossier-title")


def test_the_list_can_follow_the_map_and_the_brush_filters_on_the_server(big, page):
    store = big["store"]
    page.evaluate("() => map.setView([35.2, 38.6], 9, {animate: false})")
    page.check("#l-inview")
    bbox = page.evaluate("mapBbox(0)")
    expected = store.count_incidents(bbox=[float(x) for x in bbox.split(",")])
    page.wait_for_function(f"document.querySelector('#list-more').dataset.total === '{expected}'")
    assert "inview=true" in page.evaluate("location.hash")
    page.uncheck("#l-inview")
    every = store.count_incidents()
    page.wait_for_function(f"document.querySelector('#list-more').dataset.total === '{every}'")
    # A brush over part of 2015: the map, the counts, the list and the download agree with the server.
    page.evaluate("() => setBrush([dayMs('2015-03-01'), dayMs('2015-03-31')])")
    expected = store.count_incidents(since="2015-03-01", until="2015-03-31")
    page.wait_for_function(f"document.querySelector('#status').dataset.count === '{expected}'")
    assert page.text_content("#status").startswith(f"{expected:,} of {every:,} incidents")
    assert page.get_attribute("#list-more", "data-total") == str(expected)
    rows = list(csv.DictReader(io.StringIO(
        page.request.get(big["url"] + page.get_attribute("#downloads a.download-csv", "href")).text())))
    assert len(rows) == expected
    assert all("2015-03-01" <= r["date_start"] <= "2015-03-31" for r in rows)
