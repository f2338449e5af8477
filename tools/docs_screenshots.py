"""The screenshots in docs/ (dashboard.png, dossier.png, control.png), taken in Debian's Chromium the way
tests/test_web.py takes its own, over a running dashboard (`strikewatch demo`).

    .venv/bin/strikewatch demo --port 8765 --tiles none &
    .venv/bin/python tools/docs_screenshots.py http://127.0.0.1:8765
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    incidents = httpx.get(f"{base}/api/incidents", params={"contested": "true", "limit": 100}).json()
    # The dossier of the contested incident with the most sources: contradictions, harm, several cards.
    shown = max(incidents["incidents"], key=lambda i: (len(i["documents"]), i["id"]))
    control = httpx.get(f"{base}/api/control/map", params={"on": shown["date"]["start"]}).json()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        # The page's CSP forbids eval, which Playwright's waiting for a condition needs.
        page = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True).new_page()
        page.goto(base + "/")
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_selector("body[data-facets]")
        page.wait_for_timeout(500)
        page.screenshot(path=str(DOCS / "dashboard.png"))
        page.goto(f"{base}/#/incident/{shown['id']}")
        page.wait_for_selector("#panel-dossier.active .source")
        page.wait_for_timeout(500)
        page.screenshot(path=str(DOCS / "dossier.png"))
        page.goto(f"{base}/#/?on={control['on']}")
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_function(f"document.body.dataset.controlOn === '{control['on']}'")
        held = [p for p in control["places"] if p["holder"]]
        if held:
            lat = sum(p["lat"] for p in held) / len(held)
            lon = sum(p["lon"] for p in held) / len(held)
            page.evaluate(f"() => map.setView([{lat}, {lon}], 7, {{animate: false}})")
        page.wait_for_timeout(800)
        page.screenshot(path=str(DOCS / "control.png"))
        browser.close()
    print(f"saved dashboard.png, dossier.png ({shown['id']}) and control.png (on {control['on']}) in {DOCS}")


if __name__ == "__main__":
    main()
