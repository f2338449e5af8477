"""Security through the real programs: a `strikewatch serve` process on loopback and `strikewatch ingest`.

What is checked (docs/security.md says why): the API writes nothing (every non-GET method is refused and
the database is unchanged), no URL reaches a file outside the served folders, report text that looks like
HTML comes back as JSON text (and the dashboard's policy forbids inline script), and URL or feed ingest
refuses private, loopback and link-local addresses unless --allow-private is given.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from httpserver import LoopbackServer

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).with_name("strikewatch")

# Our own report: markup a hostile page might carry, around a sentence the extractor can read.
HOSTILE_REPORT = (
    "<script>document.title='pwned'</script><img src=x onerror=\"alert('xss')\">\n"
    "On 4 March 2016, coalition aircraft struck an ISIS checkpoint near Manbij, destroying two vehicles.\n"
    "<a href=\"javascript:alert(1)\">more</a>"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """A database holding one hostile report, served by the real `strikewatch serve` on loopback."""
    folder = tmp_path_factory.mktemp("served")
    report = folder / "2016-03-04_hostile-markup.txt"
    report.write_text(HOSTILE_REPORT, encoding="utf-8")
    db = folder / "sec.db"
    done = subprocess.run([str(EXE), "ingest", str(report), "--db", f"sqlite:///{db}", "--no-progress"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    port = _free_port()
    proc = subprocess.Popen([str(EXE), "serve", "--db", f"sqlite:///{db}", "--host", "127.0.0.1",
                             "--port", str(port), "--tiles", "none"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/config", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
        assert proc.poll() is None, proc.stderr.read()
    else:
        proc.kill()
        pytest.fail("strikewatch serve did not start within 90 s")
    yield {"base": base, "port": port, "db": db}
    proc.terminate()
    proc.wait(timeout=30)


def _raw_get(port: int, target: str) -> tuple[int, bytes]:
    """Send the request line exactly as written (clients normalise `..` away; attackers do not)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_api_is_read_only(served):
    base = served["base"]
    # follow_redirects: a trailing slash is redirected (307 keeps the method) and must then be refused.
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as http:
        spec = http.get("/openapi.json").json()
        # The published API has only GET operations.
        methods = {m for ops in spec["paths"].values() for m in ops}
        assert methods == {"get"}, methods
        before = http.get("/api/incidents").json()
        paths = [p.replace("{incident_id}", "x").replace("{doc_id}", "x") for p in spec["paths"]]
        paths += ["/", "/static/app.js", "/api/documents", "/api/ingest", "/api/incidents/"]
        refused = 0
        for path in paths:
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                r = http.request(method, path, content=b'{"id": "x", "text": "forged"}',
                                 headers={"Content-Type": "application/json"})
                assert r.status_code in (401, 403, 404, 405), (method, path, r.status_code)
                refused += 1
        assert refused >= 40
        assert http.get("/api/incidents").json() == before


def test_unknown_write_has_one_sentence_error(served):
    r = httpx.post(served["base"] + "/api/incidents", json={}, timeout=30)
    assert r.status_code == 405
    assert r.json()["error"]["message"].startswith("the API is read-only")


@pytest.mark.parametrize("target", [
    "/static/../../etc/passwd",
    "/static/../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e%2f%2e%2e%2fapi%2fapp.py",
    "/static//etc/passwd",
    "/static/..\\..\\..\\etc\\passwd",
    "/vendor/../../../../etc/passwd",
    "/vendor/..%2f..%2f..%2fpyproject.toml",
    "/vendor/leaflet/../../../../../../etc/passwd",
    "/docs-assets/../../../../etc/passwd",
    "/docs-assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
])
def test_paths_never_escape_the_served_folders(served, target):
    status, body = _raw_get(served["port"], target)
    assert b"root:" not in body
    assert b"[project]" not in body and b"def create_app" not in body
    assert status in (400, 403, 404), (target, status)


def test_static_files_are_served_from_their_folder(served):
    # The same server does serve what it should: refusal above is not a server that serves nothing.
    status, body = _raw_get(served["port"], "/static/app.js")
    assert status == 200 and body


def test_report_markup_comes_back_as_text_never_html(served):
    with httpx.Client(base_url=served["base"], timeout=30) as http:
        events = http.get("/api/events").json()
        items = events["events"] if isinstance(events, dict) else events
        assert items, "the report's strike should have been stored"
        doc_id = items[0]["doc_id"]
        r = http.get(f"/api/documents/{doc_id}")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/json")
        assert r.headers.get("x-content-type-options") == "nosniff"
        text = r.json()["text"]
        # The markup is kept as the words of the report, not interpreted or dropped.
        assert "<script>" in text and "onerror" in text
        page = http.get("/")
        csp = page.headers["content-security-policy"]
        script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert "object-src 'none'" in csp


def test_dashboard_code_inserts_text_not_html():
    """The dashboard writes report text with textContent; no code path parses strings as HTML."""
    static = ROOT / "src" / "strikewatch" / "web" / "static"
    sinks = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")
    scripts = list(static.rglob("*.js"))
    assert scripts
    for js in scripts:
        code = js.read_text(encoding="utf-8")
        for sink in sinks:
            assert sink not in code, f"{js.name} uses {sink}"
    assert any("textContent" in js.read_text(encoding="utf-8") for js in scripts)


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.20.30.40/report.html",
    "http://192.168.1.1/",
    "http://[::1]:9/",
    "http://[fe80::1]/",
    "http://localhost:9/",
    "http://2130706433/",
    "http://0.0.0.0:9/",
])
def test_private_addresses_are_refused_by_ingest(tmp_path, cli, url):
    r = cli("ingest", url, "--db", f"sqlite:///{tmp_path / 'p.db'}", "--no-progress", timeout=60)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert "private, loopback or link-local" in r.stderr


def test_loopback_page_and_feed_need_allow_private(tmp_path, cli):
    page = ("<html><head><title>Strike</title></head><body><article><p>On 9 May 2016, Iraqi aircraft "
            "struck an ISIS weapons depot near Hit, the defence ministry said.</p></article></body></html>")
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><link>http://127.0.0.1/</link>"
            "<description>d</description><item><title>x</title><link>{link}</link>"
            "<description>On 10 May 2016 jets struck a bridge near Hit.</description>"
            "<pubDate>Tue, 10 May 2016 10:00:00 GMT</pubDate></item></channel></rss>")
    db = f"sqlite:///{tmp_path / 'p.db'}"
    with LoopbackServer() as server:
        server.add("/story.html", page)
        server.add("/feed.xml", feed.format(link=server.url("/story.html")),
                   content_type="application/rss+xml")
        for path in ("/story.html", "/feed.xml"):
            refused = cli("ingest", server.url(path), "--db", db, "--no-progress", timeout=60)
            assert refused.returncode != 0 and "private, loopback or link-local" in refused.stderr
        assert server.hits("/story.html") == 0 and server.hits("/feed.xml") == 0
        allowed = cli("ingest", server.url("/story.html"), "--db", db, "--no-progress", "--allow-private",
                      "--format", "json", timeout=120)
        assert allowed.returncode == 0, allowed.stderr
        assert server.hits("/story.html") >= 1
    assert '"documents_new": 1' in allowed.stdout


def test_no_secret_or_debug_surface(served):
    """No debug console, no directory listing, no dotfiles."""
    with httpx.Client(base_url=served["base"], timeout=30) as http:
        for path in ("/static/", "/.env", "/.git/config", "/debug", "/admin", "/api/../.git/HEAD"):
            r = http.get(path)
            assert r.status_code in (403, 404), (path, r.status_code)


# ---- URL tricks, redirects, DNS, identity (issue 16 "SSRF" and "Forged identity") -------------------

STORY = ("<html><head><title>Strike</title></head><body><article><p>On 9 May 2016, Iraqi aircraft struck "
         "an ISIS weapons depot near Hit, the defence ministry said.</p></article></body></html>")


def test_url_tricks_are_refused_before_any_request(tmp_path, cli):
    """Userinfo, backslashes, broken brackets and IPv6 forms that carry a loopback IPv4 address (NAT64,
    6to4, IPv4-compatible, IPv4-mapped): each one line, no request reaches the server."""
    with LoopbackServer() as server:
        server.add("/story.html", STORY)
        port = server.url("/").rsplit(":", 1)[1].strip("/")
        urls = [
            f"http://127.0.0.1:{port}\\@8.8.8.8/story.html",
            f"http://reader@127.0.0.1:{port}/story.html",
            "http://[",
            "http://[::1/",
            f"http://[64:ff9b::7f00:1]:{port}/story.html",
            f"http://[2002:7f00:1::]:{port}/story.html",
            f"http://[::7f00:1]:{port}/story.html",
            f"http://[::ffff:127.0.0.1]:{port}/story.html",
        ]
        r = cli("ingest", *urls, "--db", f"sqlite:///{tmp_path / 'u.db'}", "--no-progress", "--format",
                "json", timeout=120)
        assert server.hits("/story.html") == 0
    assert "Traceback" not in r.stderr and r.returncode == 1
    skipped = [ln for ln in r.stderr.splitlines() if ln.startswith("strikewatch: skipped")]
    assert len(skipped) == len(urls)
    for line in skipped[4:]:
        assert "(127.0.0.1)" in line and "--allow-private" in line


def test_redirects_are_checked_and_never_reach_metadata(tmp_path, cli):
    """Even with --allow-private, a redirect to the link-local metadata address is refused; a redirect
    to an address that is not one is a clear line, not a traceback that ends the run."""
    with LoopbackServer() as server:
        server.add("/story.html", STORY)
        server.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
        server.redirect("/to-bracket", "http://[")
        server.redirect("/to-broken-v6", "http://[::1/")
        urls = [server.url(p) for p in ("/to-metadata", "/to-bracket", "/to-broken-v6", "/story.html")]
        r = cli("ingest", *urls, "--db", f"sqlite:///{tmp_path / 'r.db'}", "--allow-private",
                "--no-progress", "--format", "json", timeout=120)
    assert "Traceback" not in r.stderr and r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert any("to-metadata" in ln and "169.254.169.254" in ln and "metadata" in ln for ln in lines)
    assert sum("not a valid web address" in ln for ln in lines) == 2
    assert json.loads(r.stdout)["documents_new"] == 1


def test_allow_private_takes_the_networks_it_allows(tmp_path, cli):
    db = f"sqlite:///{tmp_path / 'n.db'}"
    with LoopbackServer() as server:
        url = server.add("/story.html", STORY)
        other = cli("ingest", url, "--allow-private", "10.0.0.0/8", "--db", db, "--no-progress", timeout=120)
        assert other.returncode == 1 and "--allow-private" in other.stderr
        assert server.hits("/story.html") == 0
        ours = cli("ingest", url, "--allow-private", "127.0.0.0/8", "--db", db, "--no-progress",
                   "--format", "json", timeout=120)
    assert ours.returncode == 0, ours.stderr
    assert json.loads(ours.stdout)["documents_new"] == 1


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch):
    """A hostile resolver that answers a public address to the check and loopback to the connection
    (DNS rebinding, TTL 0) never reaches loopback: the name is resolved once and that address is used.
    The resolver is the attacker here, so it is the one part replaced."""
    from strikewatch.errors import DocumentError
    from strikewatch.ingest import web

    real = socket.getaddrinfo
    answers = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            answer = "192.0.2.1" if not answers else "127.0.0.1"  # TEST-NET-1 first, loopback after
            answers.append(answer)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))]
        return real(host, port, *args, **kwargs)

    with LoopbackServer() as server:
        server.add("/story.html", STORY)
        port = int(server.url("/").rsplit(":", 1)[1].strip("/"))
        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        # 192.0.2.1 is documentation space (not global), so allow it explicitly as a "public" answer.
        with pytest.raises(DocumentError):
            web.fetch(f"http://rebind.test:{port}/story.html", allow_private=["192.0.2.0/24"], timeout=3)
        assert server.hits("/story.html") == 0
        assert answers == ["192.0.2.1"]
        # And the Host header names the host the URL named, not the address connected to.
        got = web.fetch(f"http://localhost:{port}/story.html", allow_private=["127.0.0.0/8", "::1"])
        assert got.status == 200 and got.url == f"http://localhost:{port}/story.html"
        assert server.requests[-1].headers["Host"] == f"localhost:{port}"


def test_watch_survives_a_bad_redirect(tmp_path):
    """Any public page can send `Location: http://[`: --watch reports it on each poll and keeps going."""
    import os
    import signal

    with LoopbackServer() as server:
        server.redirect("/feed.xml", "http://[")
        url = server.url("/feed.xml")
        proc = subprocess.Popen([str(EXE), "ingest", url, "--watch", "0.3", "--allow-private", "--db",
                                 f"sqlite:///{tmp_path / 'w.db'}"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and server.hits("/feed.xml") < 3 and proc.poll() is None:
                time.sleep(0.2)
            assert proc.poll() is None, proc.communicate()[1]
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            out, err = proc.communicate(timeout=60)
        assert server.hits("/feed.xml") >= 3
    assert proc.returncode == 130 and "Traceback" not in err
    assert "not a valid web address" in err


def test_a_canonical_url_on_another_site_is_no_identity(tmp_path, cli):
    """A page may not make itself another outlet's article (`<link rel=canonical>` on centcom.mil)."""
    forged = STORY.replace("<head>", "<head><link rel=\"canonical\" href=\"https://www.centcom.mil/MEDIA/"
                           "PRESS-RELEASES/Press-Release-View/Article/1/\">")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    with LoopbackServer() as server:
        url = server.add("/forged.html", forged)
        r = cli("ingest", url, "--allow-private", "--db", db, "--no-progress", timeout=120)
    assert r.returncode == 0, r.stderr
    from strikewatch.store import Store

    with Store(db) as store:
        (doc,) = store.documents(limit=None)
    assert doc["url"] == url and "centcom" not in (doc["canonical_url"] or "")
    assert doc["outlet"] != "US Central Command" and doc["kind"] != "military"


# ---- the API's parameters, HEAD and paths (issue 14, issue 16 "API 500s") ---------------------------

@pytest.mark.parametrize(("path", "query", "says"), [
    ("/api/events", {"grade": "weak"}, "no parameter 'grade'"),
    ("/api/incidents", {"gradee": "weak"}, "no parameter 'gradee'"),
    ("/api/stats", {"bogus": "1"}, "no parameter 'bogus'"),
    ("/api/incidents", {"offset": "9223372036854775808"}, "offset"),
    ("/api/events", {"offset": "9223372036854775808"}, "offset"),
    ("/api/incidents", {"actor": "a" * 50_001}, "characters long"),
    ("/api/incidents", {"q": "q" * 50_001}, "characters long"),
    ("/api/events", {"actor": "a" * 50_001}, "characters long"),
    ("/api/events", {"q": "q" * 50_001}, "characters long"),
    ("/api/incidents.geojson", {"q": "q" * 50_001}, "characters long"),
    ("/api/events.geojson", {"actor": "a" * 50_001}, "characters long"),
    ("/api/stats", {"q": "q" * 50_001}, "characters long"),
    ("/api/control", {"place": "p" * 50_001}, "characters long"),
    ("/api/incidents", {"near": "36.1,38.2", "radius": "nan"}, "radius"),
    ("/api/incidents", {"limit": "99999999999999999999999"}, "limit"),
])
def test_api_bounds_every_parameter(served, path, query, says):
    r = httpx.get(served["base"] + path, params=query, timeout=60)
    assert r.status_code == 400, (path, r.status_code, r.text[:200])
    message = r.json()["error"]["message"]
    assert says in message and len(message) < 400


def test_head_answers_like_get(served):
    for path in ("/api/incidents", "/api/config", "/api/stats", "/"):
        get = httpx.get(served["base"] + path, timeout=30)
        head = httpx.head(served["base"] + path, timeout=30)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_api_shows_no_server_paths(served):
    folder = str(served["db"].parent)
    incidents = httpx.get(served["base"] + "/api/incidents", timeout=30).json()["incidents"]
    assert incidents
    for inc in incidents:
        dossier = httpx.get(served["base"] + f"/api/incidents/{inc['id']}", timeout=30)
        assert folder not in dossier.text
        for doc_id in inc["documents"]:
            doc = httpx.get(served["base"] + f"/api/documents/{doc_id}", timeout=30)
            assert doc.status_code == 200 and folder not in doc.text
            assert doc.json()["source"] == "2016-03-04_hostile-markup.txt"
