"""Hostile input through the real `strikewatch ingest`: 0 crashes, each bad document reported and skipped,
the good ones stored. The corpus is generated here (binary files, wrong and mixed encodings, a 50 MB page,
empty files, deeply nested HTML, scripts and event handlers, broken PDFs and feeds, JSONL with bad lines)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from httpserver import LoopbackServer

# Our own report sentences (never third-party text).
GOOD = [
    "On 2 April 2016, coalition aircraft struck an ISIS fighting position near Raqqa, the task force said.",
    "On 5 April 2016, Syrian army artillery shelled rebel positions in Talbiseh, killing three fighters.",
    "Iraqi F-16s struck a car bomb factory near Fallujah on 8 April 2016, the defence ministry said.",
]


def _build(folder: Path) -> dict[str, list[str]]:
    """Write the hostile corpus; return the files that must be refused and the good documents' sources."""
    bad: list[str] = []
    good: list[str] = []

    def tag(name: str) -> str:
        """A sentence that makes each good file's text its own (equal texts are stored once)."""
        return f" This note is filed as {name}."

    def put(name: str, data: bytes, *, ok: bool) -> None:
        (folder / name).write_bytes(data)
        (good if ok else bad).append(name)

    rnd = os.urandom(4096)
    put("random.txt", rnd + b"\x00" * 64, ok=False)
    put("image.html", b"\x89PNG\r\n\x1a\n" + rnd, ok=False)
    put("archive.txt", b"PK\x03\x04" + rnd, ok=False)
    put("empty.txt", b"", ok=False)
    put("blank.txt", b" \n\t\r\n   \n" * 50, ok=False)
    put("blank.html", b"<html><body>   <div> </div>\n</body></html>", ok=False)
    # A 50 MB page: over the size cap, refused before it is read.
    with open(folder / "huge.html", "wb") as f:
        f.write(b"<html><body>")
        chunk = ("<p>" + GOOD[0] + "</p>\n").encode() * 5000
        while f.tell() < 50 * 1024 * 1024:
            f.write(chunk)
        f.write(b"</body></html>")
    bad.append("huge.html")
    put("nested.html", b"<html><body>" + b"<div>" * 20000 + GOOD[1].encode() + b"</div>" * 20000
        + b"</body></html>", ok=False)
    put("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\nxref\ngarbage", ok=False)
    put("truncated.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + rnd[:512], ok=False)
    put("notapdf.pdf", GOOD[0].encode(), ok=False)  # no %PDF header: refused, not guessed
    # Good documents in awkward clothes: scripts and handlers, wrong and mixed encodings.
    put("scripts.html", (
        "<html><head><script>alert(document.cookie)</script><style>p{color:red}</style></head>"
        "<body onload=\"steal()\"><article><h1>Strike report</h1>"
        f"<p onclick=\"evil()\">{GOOD[2]}{tag('s')}</p><img src=x onerror=\"alert(1)\">"
        "<iframe src=\"javascript:alert(2)\"></iframe><script>while(true){}</script></article></body></html>"
    ).encode(), ok=True)
    put("cp1252.txt", ("Café report — " + GOOD[1] + " “Quoted” words." + tag("c")).encode("cp1252"), ok=True)
    put("utf16.txt", ("\ufeff" + GOOD[0] + tag("u")).encode("utf-16-le"), ok=True)
    mixed = (GOOD[2] + tag("m")).encode() + " naïve café ".encode("latin-1") + " naïve ".encode()
    put("mixed.txt", mixed, ok=True)
    put("wrong-charset.html", (
        "<html><head><meta charset=\"iso-8859-1\"></head><body><article><p>"
        + GOOD[1] + tag("w") + " Ḥimṣ — الرقة</p></article></body></html>").encode("utf-8"), ok=True)
    put("control-chars.txt", ("\x1b[31m" + GOOD[0] + tag("x") + "\x07\x0b\u202e\u200f").encode(), ok=True)
    # JSONL: two good lines among bad ones.
    lines = [
        json.dumps({"id": "good-1", "text": GOOD[0] + tag("j1"), "published": "2016-04-02"}),
        "{not json at all",
        json.dumps(["a", "list"]),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "num-text", "text": 12345}),
        json.dumps({"id": "bad-date", "text": GOOD[1] + tag("j2"), "published": "the 45th of Smarch"}),
        json.dumps({"id": "good-2", "text": GOOD[2] + tag("j3"), "published": "2016-04-08"}),
        '{"id": "truncated", "text": "On 3 May',
        "",
        json.dumps({"id": "blank", "text": "   \n  "}),
        json.dumps({"id": "deep", "text": "x", "extra": json.loads("[" * 50 + "]" * 50)}),
    ]
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A JSONL line with binary bytes in it is skipped on its own; the file's good lines are kept.
    good_line = json.dumps({"id": "b", "text": GOOD[0] + tag("b")}).encode()
    put("binary.jsonl", good_line + b"\n\x00\xff\xfe\n", ok=False)
    # A file that is binary from its first lines is refused as a whole.
    put("all-binary.jsonl", b"\x00\x01\x02\n" * 5, ok=False)
    return {"bad": bad, "good": good}


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as c:
        return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "events", "incidents")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, _build(folder)


@pytest.mark.parametrize("workers", [None, 2], ids=["single", "dask-2"])
def test_hostile_folder_is_ingested_without_a_crash(corpus, tmp_path, cli, workers):
    folder, expect = corpus
    db = tmp_path / "h.db"
    args = ["ingest", str(folder), "--db", f"sqlite:///{db}", "--format", "json", "--no-progress"]
    if workers:
        args += ["--workers", str(workers)]
    r = cli(*args, timeout=300)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    # Every bad file is named once on stderr with a reason, and counted as failed.
    for name in expect["bad"]:
        assert any(name in line and "skipped" in line for line in r.stderr.splitlines()), name
    # The good files and the good JSONL lines are stored (bad-date keeps its text, the date stays unknown).
    stored = _counts(db)["documents"]
    assert stored == summary["documents_new"]
    assert stored >= len(expect["good"]) + 2
    assert summary["documents_failed"] >= len(expect["bad"]) + 4
    assert len([ln for ln in r.stderr.splitlines() if ln.startswith("strikewatch: skipped")]) == \
        summary["documents_failed"]
    with sqlite3.connect(db) as c:
        ids = {row[0] for row in c.execute("SELECT id FROM documents")}
        texts = [row[0] for row in c.execute("SELECT text FROM documents")]
    assert {"good-1", "good-2", "b"} <= ids
    assert not any(t.strip() == "" for t in texts)
    # Markup is gone from the stored page text: scripts never become report words.
    assert not any("alert(" in t or "steal()" in t for t in texts)
    assert _counts(db)["events"] >= 3
    # Re-running changes nothing and still does not crash.
    again = cli(*args, timeout=300)
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert json.loads(again.stdout)["documents_new"] == 0
    assert _counts(db)["documents"] == stored


def test_malformed_feeds_are_reported_and_skipped(tmp_path, cli):
    db = f"sqlite:///{tmp_path / 'f.db'}"
    story = ("<html><body><article><p>" + GOOD[2] + "</p></article></body></html>")
    with LoopbackServer() as server:
        server.add("/story.html", story)
        server.add("/truncated.xml", "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item>"
                   "<title>x</title><link>", content_type="application/rss+xml")
        server.add("/binary.xml", os.urandom(2048), content_type="application/rss+xml")
        server.add("/empty.xml", "", content_type="application/atom+xml")
        server.add("/billion.xml", "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
                   "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
                   "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]>"
                   "<rss version='2.0'><channel><title>&lol3;</title></channel></rss>",
                   content_type="application/rss+xml")
        server.add("/error.xml", "gone", status=500, content_type="application/rss+xml")
        urls = [server.url(p) for p in ("/truncated.xml", "/binary.xml", "/empty.xml", "/billion.xml",
                                        "/error.xml", "/story.html")]
        r = cli("ingest", *urls, "--db", db, "--allow-private", "--format", "json", "--no-progress",
                timeout=180)
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["documents_new"] >= 1  # the good page among the bad feeds
    assert "error.xml" in r.stderr and "binary.xml" in r.stderr
    assert summary["documents_failed"] >= 2
