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

from strikewatch.limits import MAX_ID_CHARS

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


# ---- bounds and the per-line guard (issue 16, "Faults and bad input") -------------------------------

def _ingest(cli, db: str, *paths: str, env: dict | None = None, timeout: float = 300, extra=()):
    r = cli("ingest", *paths, "--db", db, "--format", "json", "--no-progress", "--fast", *extra,
            env=env, timeout=timeout)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    return r


def _stored(db: str) -> dict[str, str]:
    from strikewatch.store import Store

    with Store(db) as store:
        return {d["id"]: d for d in store.documents(limit=None)}


def _skipped(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("strikewatch: skipped")]


def test_hostile_jsonl_lines_lose_only_themselves(tmp_path, cli, db_url):
    """Each hostile line is one skipped line naming its number; every good line after it is stored, on
    SQLite and PostgreSQL alike (a NUL in the text used to fail the line on PostgreSQL only)."""
    lines = [
        "[" * 100_000 + "]" * 100_000,  # deeper than the JSON parser's stack
        json.dumps({"id": "after-deep", "text": GOOD[0]}),
        '{"text": "' + GOOD[1] + ' \\ud800 unpaired"}',  # an unpaired surrogate, no id
        '{"id": ' + "9" * 5001 + ', "text": "x"}',  # a number Python refuses to convert
        json.dumps({"id": "x" * (MAX_ID_CHARS + 1), "text": GOOD[2]}),  # longer than any stored id
        json.dumps({"id": "nul", "text": GOOD[2] + "\u0000 Filed twice.", "title": "t\u0000itle",
                    "author": "Sami \u202eevif\u202c Haddad"}),  # a right-to-left override
        json.dumps({"id": "far-future", "text": GOOD[0] + " Late.", "published": "9999-12-31"}),
        json.dumps({"id": "year-one", "text": GOOD[0] + " Early.", "published": "0001-01-01"}),
        json.dumps({"id": "last", "text": GOOD[1]}),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = _ingest(cli, db_url, str(path))
    assert r.returncode == 0, r.stderr
    skipped = _skipped(r.stderr)
    for number, why in ((1, "nested too deeply"), (4, "number too long"), (5, "\"id\""),
                        (7, "between 1800-01-01 and 2199-12-31"), (8, "between 1800-01-01 and 2199-12-31")):
        assert any(f"line {number}:" in ln and why in ln for ln in skipped), (number, skipped)
    assert len(skipped) == 5
    stored = _stored(db_url)
    assert {"after-deep", "nul", "last"} <= set(stored) and len(stored) == 4
    assert "\x00" not in stored["nul"]["title"] and stored["nul"]["title"] == "title"
    assert stored["nul"]["author"] == "Sami evif Haddad"
    surrogate = next(d for i, d in stored.items() if i not in ("after-deep", "nul", "last"))
    assert surrogate["source"].endswith("line 3")


def test_over_long_line_is_not_called_empty(tmp_path):
    from strikewatch.errors import DocumentError
    from strikewatch.ingest import read_paths

    path = tmp_path / "one-long-line.jsonl"
    path.write_text(json.dumps({"text": GOOD[0] + " x" * 600}) + "\n", encoding="utf-8")
    out = list(read_paths([str(path)], max_bytes=1000))
    assert len(out) == 1 and isinstance(out[0], DocumentError)
    assert "longer than the 1,000-byte limit" in out[0].message and "empty" not in out[0].message


def test_encodings_names_and_links(tmp_path, cli):
    """UTF-16 without a byte-order mark is read (both byte orders); a file name with bytes that are not
    UTF-8 keeps its document; a link out of the folder is reported and not followed unless asked."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "le.txt").write_bytes((GOOD[0] + " Saved as UTF-16 LE.").encode("utf-16-le"))
    (folder / "be.txt").write_bytes((GOOD[1] + " Saved as UTF-16 BE.").encode("utf-16-be"))
    with open(os.fsencode(folder) + b"/caf\xe9-report.txt", "wb") as f:
        f.write((GOOD[2] + " Named in Latin-1.").encode())
    outside = tmp_path / "outside-secret.txt"
    outside.write_text("On 1 May 2016, this private note must never be ingested from the folder.")
    (folder / "link.txt").symlink_to(outside)
    db = f"sqlite:///{tmp_path / 'e.db'}"
    r = _ingest(cli, db, str(folder))
    assert r.returncode == 0, r.stderr
    stored = _stored(db)
    texts = {d["source"].rsplit("/", 1)[-1]: d for d in stored.values()}
    assert set(texts) == {"le.txt", "be.txt", "caf\ufffd-report.txt"}
    skipped = _skipped(r.stderr)
    assert len(skipped) == 1 and "link.txt" in skipped[0] and "outside the folder" in skipped[0]
    with sqlite3.connect(tmp_path / "e.db") as c:
        assert not c.execute("SELECT count(*) FROM documents WHERE text LIKE '%private note%'").fetchone()[0]
    # Asked to, it follows the link.
    r = _ingest(cli, db, str(folder), extra=("--follow-links",))
    assert r.returncode == 0 and json.loads(r.stdout)["documents_new"] == 1


def test_ingest_reads_standard_input(tmp_path, cli):
    db = f"sqlite:///{tmp_path / 's.db'}"
    r = cli("ingest", "-", "--db", db, "--format", "json", "--no-progress", "--fast",
            input=GOOD[0] + " Read from a pipe.", timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["documents_new"] == 1
    lines = "\n".join(json.dumps({"id": f"in-{i}", "text": t}) for i, t in enumerate(GOOD))
    r = cli("ingest", "-", "--db", db, "--format", "json", "--no-progress", "--fast", input=lines,
            timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["documents_new"] == 3


def test_extreme_published_flag_is_one_sentence(tmp_path, cli):
    path = tmp_path / "a.txt"
    path.write_text(GOOD[0])
    for value in ("9999-12-31", "0001-01-01"):
        r = cli("ingest", str(path), "--db", f"sqlite:///{tmp_path / 'p.db'}", "--published", value,
                "--no-progress", timeout=60)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and value in r.stderr


def test_long_text_is_read_in_chunks(tmp_path, cli):
    """A 5.2-million-character text (past spaCy's limit, which raised E088 for the whole batch) is read in
    pieces: the events at both ends are found, their offsets point into the whole text."""
    filler = "The weather was mild and the market was open as usual that week in the old town. "
    text = GOOD[0] + " " + filler * 64_000 + GOOD[1]
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text(GOOD[2], encoding="utf-8")
    r = cli("extract", str(path), str(short), "--format", "jsonl", "--fast", timeout=600,
            env={"STRIKEWATCH_DOC_SECONDS": "0"})
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    events = [json.loads(line) for line in r.stdout.splitlines()]
    short_id = next(e["doc_id"] for e in events if "Fallujah" in e["evidence"]["sentence"])
    long_events = [e for e in events if e["doc_id"] != short_id]
    starts = sorted(e["evidence"]["start"] for e in long_events)
    assert starts[0] < 200 and starts[-1] > len(text) - 200
    stored = path.read_text(encoding="utf-8")
    for e in long_events:
        ev = e["evidence"]
        assert stored[ev["start"]:ev["end"]] == ev["sentence"]
    assert len({e["id"] for e in events}) == len(events)


def test_time_budget_fails_one_document(tmp_path, cli):
    """A text that costs minutes of CPU (brackets are quadratic in the tokenizer) stops at the budget
    with one line; the documents before and after it are stored."""
    folder = tmp_path / "budget"
    folder.mkdir()
    (folder / "a-good.txt").write_text(GOOD[0])
    (folder / "b-brackets.txt").write_text("[" * 20_000 + "]" * 20_000)
    (folder / "c-good.txt").write_text(GOOD[1])
    db = f"sqlite:///{tmp_path / 'b.db'}"
    r = _ingest(cli, db, str(folder), env={"STRIKEWATCH_DOC_SECONDS": "25"}, timeout=400)
    assert r.returncode == 0, r.stderr
    skipped = _skipped(r.stderr)
    assert len(skipped) == 1 and "b-brackets.txt" in skipped[0] and "CPU seconds" in skipped[0]
    assert {d["source"].rsplit("/", 1)[-1] for d in _stored(db).values()} == {"a-good.txt", "c-good.txt"}


def _pdf(pages: list[str]) -> bytes:
    """A minimal valid PDF whose pages each show one string (our own writer: offsets in the xref)."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", None,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        body = f"BT /F1 10 Tf 20 700 Td ({text}) Tj ET".encode("latin-1")
        objs.append(f"<< /Length {len(body)} >>\nstream\n".encode("latin-1") + body + b"\nendstream")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {len(objs)} 0 R "
                    "/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        data = obj if isinstance(obj, bytes) else obj.encode("latin-1")
        out += f"{n} 0 obj\n".encode() + data + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text_is_capped_per_page_and_per_document(tmp_path):
    from strikewatch.errors import DocumentError
    from strikewatch.ingest import read_bytes
    from strikewatch.limits import MAX_PAGE_CHARS, MAX_TEXT_CHARS

    page = "x" * (MAX_PAGE_CHARS + 50_000)
    docs = read_bytes(_pdf([GOOD[0].replace(",", ""), page]), source="capped.pdf")
    assert len(docs) == 1 and len(docs[0].text) <= MAX_PAGE_CHARS + len(GOOD[0]) + 10
    assert docs[0].text.startswith("On 2 April 2016")
    many = [page] * (MAX_TEXT_CHARS // MAX_PAGE_CHARS + 1)
    with pytest.raises(DocumentError, match="characters of text; split it"):
        read_bytes(_pdf(many), source="huge.pdf")
