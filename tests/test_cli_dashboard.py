"""The command line an analyst meets first: Ctrl-C during ingest, the progress count, the slow first
extract, a feed's pages named by their own sites. Real console script, real files, a real HTTP server."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer

from strikewatch.cli.ledger import count_sources
from strikewatch.ingest import poll_feed

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "reports"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as started:
        yield started


def test_count_sources_counts_files_and_records(tmp_path: Path):
    (tmp_path / "a.txt").write_text("One strike hit a bridge.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>Shelling on the port.</p>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{"text": "z"}\n', encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("skipped", encoding="utf-8")
    assert count_sources([str(tmp_path)]) == 5  # two files and three records; blank lines and dot files not
    assert count_sources([str(tmp_path / "c.jsonl")]) == 3
    assert count_sources([str(tmp_path), "https://example.org/feed"]) is None  # a URL's size is unknown


def test_ctrl_c_during_ingest_says_what_was_saved(tmp_path: Path):
    db = tmp_path / "cut.db"
    exe = Path(sys.executable).with_name("strikewatch")
    # A test runner started in the background may ignore SIGINT, and a child inherits that: restore it.
    proc = subprocess.Popen([str(exe), "ingest", str(SAMPLES), "--db", f"sqlite:///{db}", "--fast"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 240
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.3)
        if not db.exists():
            continue
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= 2:
            break
    assert proc.poll() is None, "the ingest ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "Traceback" not in err
    with sqlite3.connect(db) as conn:
        saved = conn.execute("SELECT count(*) FROM documents").fetchone()[0]  # near-copies included
    assert f"saved before stopping: {saved} new documents" in err, err
    assert saved >= 2 and "Run the same command again" in err


def _on_a_terminal(args: list[str], timeout: float = 240, env: dict[str, str] | None = None
                   ) -> tuple[int, str]:
    """Run the console script with a real pseudo-terminal as stdin, stdout and stderr (wide, so that rich
    does not crop), and return its exit status and everything it wrote."""
    import pty
    import select

    exe = Path(sys.executable).with_name("strikewatch")
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "220", "TERM": "xterm", **(env or {})}
    proc = subprocess.Popen([str(exe), *args], stdin=terminal, stdout=terminal, stderr=terminal, env=env,
                            close_fds=True)
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(controller)
    return proc.returncode, seen.decode("utf-8", "replace")


def test_a_slow_first_extract_says_why_on_a_terminal(tmp_path: Path, cli):
    report = tmp_path / "r.txt"
    report.write_text("Near Abu Kamal, one strike destroyed a vehicle on 3 May 2017.\n", encoding="utf-8")
    # A first run: an empty cache folder, so the gazetteer's index is built (far longer than the two
    # seconds before the notice; with a warm cache start-up is about a second and says nothing).
    cache = tmp_path / "cache"
    code, text = _on_a_terminal(["extract", str(report), "--published", "2017-05-04"],
                                env={"STRIKEWATCH_CACHE": str(cache)})
    assert code == 0, text[-2000:]
    assert text.count("loading the English parser and the gazetteer") == 1
    # A script's stderr keeps only the documents that could not be read.
    piped = cli("extract", str(report), "--published", "2017-05-04", timeout=300)
    assert piped.returncode == 0 and "loading" not in piped.stderr


AGGREGATOR = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Morning digest of the valley press</title>
<link>https://digest.example/</link><description>links</description>
<item><title>Ring road</title><guid>d1</guid><pubDate>Tue, 20 Feb 2018 08:00:00 GMT</pubDate>
<link>{named}</link><description>Teaser.</description></item>
<item><title>Bridge</title><guid>d2</guid><pubDate>Tue, 20 Feb 2018 09:00:00 GMT</pubDate>
<link>{plain}</link><description>Teaser.</description></item>
</channel></rss>"""

NAMED = """<html><head><title>Clashes on the ring road</title>
<meta property="og:site_name" content="Hillside Courier"></head><body><article><p>Fighting broke out on
the ring road north of the town on Monday, when fighters attacked a checkpoint, a monitoring group
said.</p></article></body></html>"""

PLAIN = """<html><head><title>Bridge hit</title></head><body><article><p>A strike hit the old bridge over
the river on Monday night, residents said, and the crossing was closed.</p></article></body></html>"""


def test_a_feeds_page_takes_its_own_site_as_outlet(server: LoopbackServer):
    named, plain = server.add("/named", NAMED), server.add("/plain", PLAIN)
    url = server.add("/digest.xml", AGGREGATOR.format(named=named, plain=plain),
                     content_type="application/rss+xml")
    docs = poll_feed(url, allow_private=True).documents
    outlets = {d.title: d.outlet for d in docs}
    assert outlets["Clashes on the ring road"] == "Hillside Courier"  # the page's own site name
    assert outlets["Bridge hit"] == "127.0.0.1"  # no name stated: its own site's address, not the digest's
    mine = poll_feed(url, allow_private=True, outlet="My desk").documents
    assert {d.outlet for d in mine} == {"My desk"}  # what the user gives wins


def test_the_progress_bar_has_a_total_and_says_what_loads(tmp_path: Path):
    """On a terminal the bar counts files done of the total and, until the first document is done, names
    what is loading."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        text = f"Near a village, {n + 1} strikes destroyed a vehicle on 3 May 2016.\n"
        (folder / f"r{n}.txt").write_text(text, encoding="utf-8")
    code, text = _on_a_terminal(["ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'p.db'}", "--fast"])
    assert code == 0, text[-2000:]
    assert "loading the gazetteer" in text
    assert "0/3" in text and "files/records" in text
    assert "documents: 3 new" in text
