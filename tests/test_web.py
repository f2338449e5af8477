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
    context = site["browser"].new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
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
    page.goto(site["url"] + "/")
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
    inc_id = next(i.id for i in site["store"].incidents() if len(i.documents) >= 2)
    # Click the incident's marker on the map (zoom in until the cluster opens).
    page.evaluate("() => { map.setView([36.157, 37.708], 12, {animate: false}); }")
    marker = page.locator(".sw-marker[title*='Dayr Hafir']").first
    marker.wait_for()
    marker.click()
    page.wait_for_selector("#panel-dossier .source")
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
