"""The dashboard in a real headless Chromium (Debian's), served by a real uvicorn on loopback.

Every request the page makes to anything but the test server is refused and recorded, so these tests
also prove the dashboard works offline (map tiles are off; outlines and scripts come from npm packages).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_api_data import XSS_IMG, XSS_OUTLET, XSS_SCRIPT, LiveServer, build_ledger

from strikewatch.api import create_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (tools/system-deps.sh installs it with apt)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    data = build_ledger(url)
    server = LiveServer(create_app(url, tiles="none", store=data["store"]))
    pw = playwright_api.sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    data.update(server=server, browser=browser, url=server.url)
    yield data
    browser.close()
    pw.stop()
    server.stop()


@pytest.fixture
def page(site):
    # The page's Content-Security-Policy is bypassed: it would stop injected scripts anyway, and these
    # tests must prove the rendering itself is inert (and wait_for_function needs eval).
    yield from _open(site, 1440)


def _open(site, width: int, hash_: str = ""):
    context = site["browser"].new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10000)
    page.outside = []
    page.errors = []
    page.dialogs = []

    def guard(route):
        if route.request.url.startswith(site["url"]):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(site["url"] + "/" + hash_)
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    yield page
    assert page.errors == [], page.errors
    assert page.outside == [], f"the dashboard reached outside the server: {page.outside}"
    context.close()


def shown(page) -> int:
    return int(page.get_attribute("#status", "data-shown"))


def visible_markers(page) -> int:
    """Markers plus the incidents inside each cluster, as Leaflet drew them."""
    singles = page.locator(".sw-marker").count()
    clustered = sum(int(t) for t in page.locator(".sw-cluster span").all_text_contents())
    return singles + clustered


def test_dashboard_loads_with_markers_and_saves_a_screenshot(site, page):
    placed = site["store"].count_incidents()
    assert shown(page) == placed
    page.wait_for_function("document.querySelectorAll('.sw-marker, .sw-cluster').length > 0")
    assert visible_markers(page) == placed
    # Country outlines come from the world-atlas npm package, drawn as SVG paths.
    page.wait_for_selector("body[data-outlines]")
    assert int(page.get_attribute("body", "data-outlines")) >= 5  # Syria, Iraq and their neighbours
    assert page.locator("#incident-list li").count() == placed
    assert page.locator("#timeline-svg rect.bar").count() > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "dashboard.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000


def test_timeline_brush_filters_the_map(page):
    before = shown(page)
    box = page.locator("#timeline-svg").bounding_box()
    # Drag across the left half of the histogram: January, not February.
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=8)
    page.mouse.up()
    page.wait_for_function(f"Number(document.querySelector('#status').dataset.shown) < {before}")
    after = shown(page)
    assert 0 < after < before
    assert visible_markers(page) == after
    assert page.locator("#incident-list li").count() == after
    label = page.text_content("#brush-label")
    assert label.startswith("2017-01") or label.startswith("2016-12")
    page.click("#brush-clear")
    page.wait_for_function(f"Number(document.querySelector('#status').dataset.shown) === {before}")


def test_filters_reload_from_the_api(page, site):
    page.select_option("#f-type", "Strategic developments")
    expected = site["store"].count_incidents(type="Strategic developments")
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{expected}'")
    assert shown(page) == expected
    page.click("#f-reset")
    page.fill("#f-q", "bakery")
    expected = site["store"].count_incidents(q="bakery")
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{expected}'")
    assert page.locator("#incident-list li").count() == expected


def test_clicking_an_incident_opens_its_dossier_with_two_sources(page, site):
    release = site["reports"]["release"]
    wire = site["reports"]["wire"]
    inc_id = _two_source_id(site)
    # Click the incident's marker on the map (zoom in until the cluster opens).
    page.evaluate("() => { map.setView([36.157, 37.708], 12, {animate: false}); }")
    marker = page.locator(".sw-marker[title*='Dayr Hafir']").first
    marker.wait_for()
    marker.click()
    page.wait_for_function("location.hash.startsWith('#/incident/')")
    # The first dossier of a run loads the actor lexicon (who a speaker speaks for): slow on a busy machine.
    page.wait_for_selector("#panel-dossier .source", timeout=30000)
    columns = page.locator("#panel-dossier .source")
    assert columns.count() >= 2
    outlets = columns.locator(".outlet").all_text_contents()
    assert release.outlet in outlets and wire.outlet in outlets
    text = page.text_content("#panel-dossier")
    assert release.specs[0].sentence in text
    assert wire.specs[0].sentence in text
    # Each source column lists its claims and marks the claimed words in its sentence.
    for i in range(columns.count()):
        col = columns.nth(i)
        assert col.locator("ul.claims li.claim").count() >= 1
        assert col.locator("blockquote.evidence mark").count() >= 1
    assert page.locator("mark.field-actor").first.text_content().lower() in {
        release.specs[0].actor_text, wire.specs[0].actor_text}
    contradictions = site["store"].incident(inc_id).contradictions
    if contradictions:
        assert page.locator(".contradictions .contradiction").count() == len(contradictions)
        assert page.locator("li.claim.contradicted").count() >= 1
    # The document link opens the whole report with the sentence marked.
    page.locator(f"#panel-dossier .source[data-doc='{wire.doc.id}'] .links a").first.click()
    page.wait_for_selector("#panel-document .document-text mark.evidence-span")
    assert page.text_content("#panel-document mark.evidence-span") == wire.specs[0].sentence


def test_hostile_report_text_renders_as_inert_text(page, site):
    blog = site["reports"]["blog"]
    page.fill("#f-q", "garage")
    expected = site["store"].count_incidents(q="garage")
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{expected}'")
    page.locator("#incident-list li").first.click()
    page.wait_for_selector(f"#panel-dossier .source[data-doc='{blog.doc.id}']")
    column = page.locator(f"#panel-dossier .source[data-doc='{blog.doc.id}']")
    text = column.text_content()
    assert XSS_SCRIPT in text and XSS_IMG in text  # shown literally, as the report wrote it
    assert XSS_OUTLET in column.locator(".outlet").text_content()
    panel = page.locator("#panel-dossier")
    assert panel.locator("script").count() == 0
    assert panel.locator("img").count() == 0
    assert panel.locator("b").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.locator("[onerror], [onmouseover]").count() == 0
    column.locator(".outlet").hover()
    assert page.evaluate("window.__xss") is None and page.dialogs == []
    # A javascript: URL from a report never becomes a link.
    hrefs = column.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and not any(h.lower().startswith("javascript") for h in hrefs)
    # The same holds in the whole-document view.
    column.locator(".links a").first.click()
    page.wait_for_selector("#panel-document .document-text")
    assert XSS_SCRIPT in page.text_content("#panel-document .document-text")
    assert page.locator("#panel-document script, #panel-document img").count() == 0


def test_control_view_shows_the_holders_of_a_place(page):
    page.click("#tabs button[data-panel=control]")
    page.fill("#c-place", "Al-Bab")
    page.fill("#c-on", "2017-02-01")
    page.click("#control-form button")
    page.wait_for_selector("#control-result .control-holder")
    assert "ISIS" in page.text_content("#control-result .control-holder")
    assert page.locator("#control-result .control-seg").count() >= 2
    assert "seized Al-Bab" in page.text_content("#control-result .control-periods")


def test_charts_show_events_and_strikes_by_actor(page, site):
    page.click("#tabs button[data-panel=charts]")
    page.wait_for_selector("#chart-svg polyline")
    options = page.locator("#ch-metric option").all_text_contents()
    assert {"events", "strikes", "incidents"} <= set(options)
    page.select_option("#ch-metric", "strikes")
    page.wait_for_function("document.querySelector('#chart-headline').textContent.startsWith('strikes')")
    legend = page.text_content("#chart-legend")
    total = sum(s.strikes or 0 for r in site["reports"].values() for s in r.specs if s.actor == "Coalition")
    assert f"Coalition: {total}" in legend


def test_swagger_ui_works_offline(page, site):
    page.goto(site["url"] + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert page.locator(".opblock-summary-path").filter(has_text="/api/incidents").count() >= 1


def test_belligerent_filter_keeps_the_acting_party(page, site):
    every = shown(page)
    options = page.locator("#f-belligerent option").evaluate_all("o => o.map(x => x.value).filter(Boolean)")
    assert "Coalition" in options and "ISIS" in options
    page.select_option("#f-belligerent", "Coalition")
    page.wait_for_function(f"Number(document.querySelector('#status').dataset.shown) < {every}")
    expected = sum(1 for i in site["store"].incidents() if i.actors and i.actors[0] == "Coalition")
    assert shown(page) == expected
    rows = page.locator("#incident-list li .row-actors").all_text_contents()
    assert rows and all(r.split(", ")[0] == "Coalition" for r in rows)


# -- session 6: the analyst's dashboard ------------------------------------------------------------------

def _pixel(page, lat: float, lon: float) -> tuple[int, int, int]:
    """The colour the map shows at a place (a screenshot of one pixel)."""
    import io

    from PIL import Image

    point = page.evaluate(f"() => {{ const p = map.latLngToContainerPoint([{lat}, {lon}]); "
                          "const r = document.getElementById('map').getBoundingClientRect(); "
                          "return [r.left + p.x, r.top + p.y]; }")
    shot = page.screenshot(clip={"x": point[0], "y": point[1], "width": 1, "height": 1})
    return Image.open(io.BytesIO(shot)).convert("RGB").getpixel((0, 0))


def test_offline_basemap_shows_land_sea_and_city_names(page):
    page.wait_for_selector("body[data-outlines]")
    assert page.get_attribute("body", "data-basemap") == "offline"
    page.evaluate("() => map.setView([34.8, 38.5], 6, {animate: false})")
    page.wait_for_function("Number(document.body.dataset.labels) > 5")
    page.wait_for_timeout(300)
    land = _pixel(page, 34.2, 39.3)  # the desert between Palmyra and the Euphrates
    sea = _pixel(page, 34.0, 34.6)  # the sea between Cyprus and Lebanon
    assert sum(abs(a - b) for a, b in zip(land, sea, strict=True)) > 60, (land, sea)
    assert land[0] > land[2] and sea[2] > sea[0]  # land warm and pale, sea blue
    labels = page.locator(".city-label").all_text_contents()
    assert {"Damascus", "Aleppo", "Baghdad"} <= set(labels)
    page.evaluate("() => map.setZoom(9, {animate: false})")
    page.wait_for_timeout(300)
    assert int(page.get_attribute("body", "data-labels")) > len(labels)  # smaller towns from closer in


def test_clusters_take_their_worst_grade_and_contested_ones_stay_visible(page, site):
    page.evaluate("() => map.setView([35.0, 40.0], 4, {animate: false})")
    page.wait_for_timeout(500)
    clusters = page.evaluate("""() => { const out = [];
        cluster._featureGroup.eachLayer((l) => { if (l.getAllChildMarkers)
          out.push([l._icon.className, l.getAllChildMarkers().map((m) => m.options.grade)]); });
        return out; }""")
    assert clusters, "at zoom 4 the incidents should cluster"
    order = ["contested", "discounted", "weak", "fair", "confirmed"]
    for cls, grades in clusters:
        worst = min(grades, key=order.index)
        assert f"grade-{worst}" in cls.split(), (cls, grades)
    flagged = [i for i in site["store"].incidents() if (i.contested or i.grade == "contested")
               and i.location.lat is not None]
    assert flagged, "the test ledger has a contested incident"
    assert page.locator(".sw-marker.contested, .sw-marker.grade-contested").count() == len(flagged)
    # Each marker carries its kind's icon.
    assert page.locator(".sw-marker.kind-air svg path").count() >= 1
    assert page.locator(".sw-marker.kind-territory").count() == 0  # territory ones are clustered here


def test_timeline_bins_adapt_to_the_span(page):
    assert page.get_attribute("#timeline", "data-unit") == "day"  # six weeks of incidents
    def unit(days: list[str]) -> tuple[str, str]:
        return page.evaluate("""(days) => { drawTimeline(days.map((d) => [d, 1]));
            return [document.getElementById('timeline').dataset.unit,
                    document.getElementById('timeline-outside').textContent]; }""", days)
    from datetime import date, timedelta

    def span(start: str, n: int, step: int) -> list[str]:
        d = date.fromisoformat(start)
        return [(d + timedelta(days=k * step)).isoformat() for k in range(n)]

    assert unit(span("2016-01-01", 40, 7))[0] == "week"  # 273 days
    assert unit(span("2014-01-01", 40, 30))[0] == "month"  # three years
    busy = span("2016-10-15", 60, 1)
    got, note = unit(["2014-01-01", "2014-06-01", "2015-03-01", *busy])  # background mentions years before
    assert got == "day" and "3 earlier" in note
    page.evaluate("() => render()")


def _drag_left_half(page) -> None:
    box = page.locator("#timeline-svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=8)
    page.mouse.up()


def test_brush_filters_map_list_counts_and_charts_alike(page, site):
    every = int(page.get_attribute("#status", "data-count"))
    _drag_left_half(page)
    page.wait_for_function(f"Number(document.querySelector('#status').dataset.count) < {every}")
    count = int(page.get_attribute("#status", "data-count"))
    assert page.locator("#incident-list li").count() == count
    assert page.text_content("#status").startswith(f"{count} of {every} incidents")
    start, end = page.text_content("#brush-label").split(" to ")
    expected = site["store"].count_incidents(since=start, until=end)
    assert count == expected
    page.click("#tabs button[data-panel=charts]")
    page.select_option("#ch-group", "type")
    page.wait_for_selector("#ch-metric option[value=incidents]", state="attached")
    page.select_option("#ch-metric", "incidents")
    page.wait_for_function(
        f"(document.querySelector('#chart-svg').dataset.query || '').includes('until={end}') && "
        "document.querySelector('#chart-headline').textContent.startsWith('incidents')")
    assert int(page.get_attribute("#chart-svg", "data-total")) == expected
    assert f"from={start}" in location_hash(page) and f"to={end}" in location_hash(page)


def location_hash(page) -> str:
    return page.evaluate("() => location.hash")


def test_filter_state_lives_in_the_url(page, site):
    page.select_option("#f-grade", "weak")
    weak = site["store"].count_incidents(grade="weak")
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{weak}'")
    assert "grade=weak" in location_hash(page)
    shared = page.url
    # The same URL in a fresh tab shows the same view.
    other = page.context.new_page()
    other.goto(shared)
    other.wait_for_selector("body[data-ready=true]")
    assert other.input_value("#f-grade") == "weak"
    assert other.get_attribute("#status", "data-total") == str(weak)
    other.close()
    # The back button returns to the unfiltered view.
    page.go_back()
    every = site["store"].count_incidents()
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{every}'")
    assert page.input_value("#f-grade") == ""


def test_download_links_return_the_rows_of_the_view(page, site):
    page.select_option("#f-grade", "weak")
    weak = site["store"].count_incidents(grade="weak")
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{weak}'")
    href = page.get_attribute("#downloads a.download-csv", "href")
    body = page.request.get(site["url"] + href).text()
    assert len(body.strip().splitlines()) - 1 == weak
    geo = page.request.get(site["url"] + page.get_attribute("#downloads a.download-geojson", "href")).json()
    assert len(geo["features"]) == weak


def _two_source_id(site) -> str:
    """The Dayr Hafir strike: a release and a wire story that agree on the acting party."""
    return next(i.id for i in site["store"].incidents()
                if len(i.documents) >= 2 and i.location.name == "Dayr Hafir")


def test_a_contested_incident_says_where_the_sources_disagree(page, site):
    inc = next(i for i in site["store"].incidents() if i.contested)
    page.goto(f"{site['url']}/#/incident/{inc.id}")
    page.wait_for_selector("#panel-dossier.active .contradictions")
    text = page.text_content("#panel-dossier .contradictions")
    assert "their account" in text and "disputes" in text  # plain words, not "account: disputed"
    assert page.text_content("#panel-dossier .harm dd[data-field=killed]").startswith("2")


def test_an_incident_url_opens_its_dossier(page, site):
    inc_id = _two_source_id(site)
    page.goto(f"{site['url']}/#/incident/{inc_id}")
    page.wait_for_selector("#panel-dossier.active .dossier-title")
    assert "Dayr Hafir" in page.text_content("#panel-dossier .dossier-title")
    # Harm as ranges with who says what; a toll no source gives reads "unknown".
    assert page.text_content("#panel-dossier .harm dd[data-field=killed]").startswith("4")
    assert page.text_content("#panel-dossier .harm dd[data-field=injured]") == "unknown"
    # Plain words, not the extractor's vocabulary.
    text = page.text_content("#panel-dossier")
    assert "modality" not in text and "asserted" not in text
    assert page.get_attribute("#panel-dossier .permalink", "href") == f"#/incident/{inc_id}"
    # Clicking another incident in the list changes the URL to it.
    page.click("#tabs button[data-panel=list]")
    other = page.locator(f"#incident-list li:not([data-id='{inc_id}'])").first
    other_id = other.get_attribute("data-id")
    other.click()
    page.wait_for_function(f"location.hash.startsWith('#/incident/{other_id}')")
    page.wait_for_selector("#panel-dossier .dossier-title")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{site['url']}/#/incident/{inc_id}")
    page.wait_for_selector("#panel-dossier.active .source")
    page.screenshot(path=str(SCREENSHOTS / "dossier.png"))


def test_dossier_is_readable_at_800_px(site):
    for page in _open(site, 800, f"#/incident/{_two_source_id(site)}"):
        page.wait_for_selector("#panel-dossier.active .source")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        widths = page.locator("#panel-dossier .source").evaluate_all(
            "cards => cards.map((c) => [c.scrollWidth, c.clientWidth, c.getBoundingClientRect().right])")
        for scroll, client, right in widths:
            assert scroll <= client + 1 and right <= 800
        page.locator("#panel-dossier").scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "dossier-800.png"), full_page=True)


def _click_day(page, day: str) -> None:
    x = page.evaluate(f"() => state.timeline.x(dayMs('{day}') + DAY_MS / 2)")
    box = page.locator("#timeline-svg").bounding_box()
    width = page.evaluate("() => state.timeline.width")
    page.mouse.click(box["x"] + x * box["width"] / width, box["y"] + box["height"] / 2)


def test_control_layer_follows_the_day_chosen_on_the_timeline(page):
    _click_day(page, "2017-02-01")
    page.wait_for_function("document.body.dataset.controlOn === '2017-02-01'")
    assert "Al-Bab=ISIS" in page.get_attribute("body", "data-control-holders").split("|")
    assert "on=2017-02-01" in location_hash(page)
    _click_day(page, "2017-02-12")
    page.wait_for_function("document.body.dataset.controlOn === '2017-02-12'")
    assert "Al-Bab=Turkey" in page.get_attribute("body", "data-control-holders").split("|")
    assert page.locator(".sw-control").count() >= 1
    assert "Turkey" in page.text_content("#control-legend")
    page.evaluate("() => map.setView([36.37, 37.52], 9, {animate: false})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "control.png"))
    page.go_back()  # the URL alone brings the previous day's holders back
    page.wait_for_function("document.body.dataset.controlOn === '2017-02-01'")
    assert "Al-Bab=ISIS" in page.get_attribute("body", "data-control-holders").split("|")


def test_play_steps_through_the_days(page):
    page.click("#play")
    page.wait_for_function("document.querySelector('#brush-label').textContent !== ''")
    first = page.text_content("#brush-label")
    page.wait_for_function(f"document.querySelector('#brush-label').textContent !== '{first}'", timeout=5000)
    page.click("#play")
    start, end = page.text_content("#brush-label").split(" to ")
    assert start == end and start > first.split(" to ")[0]


# -- session 7: every incident on the server; facet counts per outlet --------------------------------------

def _options(page, selector: str) -> dict[str, str]:
    return {v: t for v, t in page.locator(f"{selector} option").evaluate_all(
        "o => o.map(x => [x.value, x.textContent])") if v}


def test_facet_counts_beside_each_option_and_the_outlet_filter(page, site):
    store = site["store"]
    page.wait_for_selector("body[data-facets]")
    outlets = _options(page, "#f-outlet")
    assert set(outlets) == {r.outlet for r in site["reports"].values()}
    for name, text in outlets.items():
        assert text == f"{name} ({store.count_incidents(outlet=name)})"
    for name, text in _options(page, "#f-belligerent").items():
        assert text == f"{name} ({store.count_incidents(belligerent=name)})"
    for name, text in _options(page, "#f-type").items():
        assert text == f"{name} ({store.count_incidents(type=name)})"
    for name, text in _options(page, "#f-grade").items():
        assert text == f"{name} ({store.count_incidents(grade=name)})"
    # Choosing an outlet filters the map, the list and the counts on the server.
    facets = page.get_attribute("body", "data-facets")
    page.select_option("#f-outlet", "Task Force Bulletin")
    chosen = store.count_incidents(outlet="Task Force Bulletin")
    assert 0 < chosen < store.count_incidents()
    page.wait_for_function(f"document.querySelector('#status').dataset.total === '{chosen}'")
    assert page.locator("#incident-list li").count() == chosen
    assert visible_markers(page) == chosen
    assert "outlet=Task+Force+Bulletin" in location_hash(page)
    page.wait_for_function(f"document.body.dataset.facets !== '{facets}'")
    # Each facet counts under the other filters: the outlets keep their own counts, the grades narrow.
    assert _options(page, "#f-outlet") == outlets
    for name, text in _options(page, "#f-grade").items():
        assert text == f"{name} ({store.count_incidents(grade=name, outlet='Task Force Bulletin')})"
    href = page.get_attribute("#downloads a.download-csv", "href")
    assert len(page.request.get(site["url"] + href).text().strip().splitlines()) - 1 == chosen
