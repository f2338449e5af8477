"""Reading files: text encodings, datelines, .jsonl, PDF, directories, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from strikewatch.errors import DocumentError, UserError
from strikewatch.ids import document_id
from strikewatch.ingest import read_paths, read_text
from strikewatch.ingest.dateline import find_dateline
from strikewatch.records import Document

REPORT = (
    "Field update\n"
    "14 March 2017\n"
    "Artillery shells fell on the eastern edge of the town overnight, residents said.\n"
    "Two houses near the grain silo were destroyed and four people were wounded.\n"
)


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(lines: list[str], *, title: str | None = None, created: str | None = None) -> bytes:
    """A small, valid one-page PDF with a real text layer (Helvetica), written by hand."""
    content = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(f"{_pdf_string(x)} Tj T*" for x in lines) + " ET"
    info = []
    if title:
        info.append(f"/Title {_pdf_string(title)}")
    if created:
        info.append(f"/CreationDate {_pdf_string(created)}")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< " + " ".join(info) + " >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def read_all(*paths, **kw) -> tuple[list[Document], list[DocumentError]]:
    docs, errors = [], []
    for item in read_paths(list(paths), **kw):
        (docs if isinstance(item, Document) else errors).append(item)
    return docs, errors


# -- plain text -----------------------------------------------------------------------------------------

def test_txt_document_has_content_id_and_dateline(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    docs, errors = read_all(tmp_path / "r.txt")
    assert errors == []
    [doc] = docs
    assert doc.text.startswith("Field update\n14 March 2017")
    assert doc.id == document_id(doc.text)
    assert doc.published == date(2017, 3, 14) and doc.published_from == "dateline"
    assert doc.source == str(tmp_path / "r.txt")
    # the same text saved with Windows newlines and trailing spaces is the same document
    (tmp_path / "r2.txt").write_bytes(REPORT.replace("\n", "  \r\n").encode("utf-8"))
    again, _ = read_all(tmp_path / "r2.txt")
    assert again[0].id == doc.id


def test_given_published_wins_over_dateline(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    [doc], _ = read_all(tmp_path / "r.txt", published="2017-03-15", outlet="Valley Courier", kind="news")
    assert doc.published == date(2017, 3, 15) and doc.published_from == "given"
    assert doc.outlet == "Valley Courier" and doc.kind == "news"


def test_no_dateline_means_unknown_date(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("On Tuesday jets struck a depot north of the river.\n", encoding="utf-8")
    [doc], _ = read_all(tmp_path / "r.txt")
    assert doc.published is None and doc.published_from is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    text = "Résidents of the café district fled after the shelling — “nobody stayed”, one said.\n" * 3
    (tmp_path / "r.txt").write_bytes(text.encode(encoding))
    [doc], errors = read_all(tmp_path / "r.txt")
    assert errors == []
    assert "Résidents of the café district" in doc.text and "“nobody stayed”" in doc.text


def test_arabic_legacy_code_page(tmp_path: Path) -> None:
    text = "قصفت الطائرات الحربية مواقع قرب المدينة صباح اليوم وقال السكان إن الانفجارات كانت قوية.\n" * 4
    (tmp_path / "r.txt").write_bytes(text.encode("cp1256"))
    [doc], errors = read_all(tmp_path / "r.txt")
    assert errors == [] and "الطائرات الحربية" in doc.text


# -- bad input: one DocumentError each, the batch goes on ---------------------------------------------

def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text("Jets struck a bridge over the canal on Friday.\n", encoding="utf-8")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_blank.txt").write_text("  \n\t\n  \n", encoding="utf-8")
    (tmp_path / "d_binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "e_image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x10\x20" * 500)
    (tmp_path / "f_garbage.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 400)
    (tmp_path / "g_truncated.pdf").write_bytes(make_pdf(["A strike hit the depot."])[:150])
    (tmp_path / "h_notpdf.pdf").write_text("this is not a pdf at all", encoding="utf-8")
    (tmp_path / "i_broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n")
    (tmp_path / "j_deep.html").write_text("<html><body>" + "<div>" * 400 + "deep" + "</div>" * 400
                                          + "</body></html>", encoding="utf-8")
    (tmp_path / "k_last.txt").write_text("Shelling hit the old market at dawn.\n", encoding="utf-8")
    docs, errors = read_all(tmp_path)
    assert [Path(d.source).name for d in docs] == ["a_good.txt", "k_last.txt"]
    by_name = {Path(e.source).name: e.message for e in errors}
    assert set(by_name) == {"b_empty.txt", "c_blank.txt", "d_binary.txt", "e_image.txt", "f_garbage.txt",
                            "g_truncated.pdf", "h_notpdf.pdf", "i_broken.pdf", "j_deep.html"}
    assert "empty" in by_name["b_empty.txt"] and "empty" in by_name["c_blank.txt"]
    assert "binary" in by_name["d_binary.txt"] and "binary" in by_name["e_image.txt"]
    assert "decoded" in by_name["f_garbage.txt"]
    assert "truncated" in by_name["g_truncated.pdf"]
    assert "not a PDF" in by_name["h_notpdf.pdf"]
    assert "PDF" in by_name["i_broken.pdf"]
    assert "nested" in by_name["j_deep.html"]
    for message in by_name.values():  # one clear sentence each, no traceback text
        assert "\n" not in message and "Traceback" not in message and message.endswith(".")


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Strikes continued near the dam. " * 5000, encoding="utf-8")
    docs, errors = read_all(tmp_path / "big.txt", max_bytes=10_000)
    assert docs == []
    [error] = errors
    assert "limit" in error.message and "10,000" in error.message


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty_dir").mkdir()
    (tmp_path / "only_images").mkdir()
    (tmp_path / "only_images" / "map.png").write_bytes(b"\x89PNG....")
    docs, errors = read_all(tmp_path / "nope.txt", tmp_path / "empty_dir", tmp_path / "only_images")
    assert docs == [] and len(errors) == 3
    assert "does not exist" in errors[0].message
    assert "no .txt" in errors[1].message


def test_bad_arguments_are_user_errors_at_once() -> None:
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        read_paths(["whatever.txt"], published="12/03/2017")
    with pytest.raises(UserError, match="--kind must be one of"):
        read_paths(["whatever.txt"], kind="tabloid")


def test_directories_are_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("First report: a strike hit a bridge.\n", encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text("Second report: shelling hit a school.\n", encoding="utf-8")
    (tmp_path / "b" / "deeper" / "d.md").write_text("Third report: clashes at a checkpoint.\n")
    (tmp_path / "b" / "notes.docx").write_bytes(b"PK\x03\x04 skipped: unknown extension in a folder")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("hidden, skipped\n", encoding="utf-8")
    docs, errors = read_all(tmp_path)
    assert errors == []
    assert [d.text.split(":")[0] for d in docs] == ["First report", "Second report", "Third report"]


# -- .jsonl ----------------------------------------------------------------------------------------------

def test_jsonl_keeps_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "wire-0001", "text": "Jets hit a fuel depot near the border.",
                    "published": "2016-12-12", "outlet": "Desert Wire", "url": "https://desertwire.example/a/1"}),
        "{not json",
        json.dumps({"text": "A second story, without an id, about shelling of a village."}),
        json.dumps({"id": "wire-0003", "text": "   "}),
        json.dumps(["a", "list"]),
        json.dumps({"id": 42, "text": "A numeric id is kept as its string.", "published": "2016-13-45"}),
        "",
        json.dumps({"id": "wire-0005", "text": "Kind and time from the line.", "kind": "military",
                    "published": "2016-12-10T22:15:00Z"}),
    ]
    (tmp_path / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_paths([tmp_path / "corpus.jsonl"]))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert [d.id for d in docs] == ["wire-0001", document_id(docs[1].text), "wire-0005"]
    first = docs[0]
    assert first.published == date(2016, 12, 12) and first.published_from == "metadata"
    assert first.outlet == "Desert Wire" and first.url == "https://desertwire.example/a/1"
    assert docs[2].kind == "military" and docs[2].published == date(2016, 12, 10)
    assert [e.source.rsplit(" ", 1)[-1] for e in errors] == ["2", "4", "5", "6"]
    assert "not valid JSON" in errors[0].message and "empty" in errors[1].message
    assert "bad date" in errors[3].message


def test_jsonl_given_options_override_the_lines(tmp_path: Path) -> None:
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "x", "text": "Mortar fire hit the square.",
                                                  "published": "2016-01-01", "outlet": "A"}) + "\n")
    [doc] = [d for d in read_paths([tmp_path / "c.jsonl"], published=date(2016, 1, 3), outlet="B")]
    assert doc.published == date(2016, 1, 3) and doc.published_from == "given" and doc.outlet == "B"


def test_jsonl_overlong_line_is_skipped(tmp_path: Path) -> None:
    long = json.dumps({"id": "big", "text": "word " * 5000})
    short = json.dumps({"id": "ok", "text": "A short report of a clash."})
    (tmp_path / "c.jsonl").write_text(long + "\n" + short + "\n", encoding="utf-8")
    items = list(read_paths([tmp_path / "c.jsonl"], max_bytes=2000))
    assert isinstance(items[0], DocumentError) and "longer than" in items[0].message
    assert isinstance(items[1], Document) and items[1].id == "ok"


def test_jsonl_html_text_is_read_as_text(tmp_path: Path) -> None:
    page = ("<html><body><article><p>Rockets struck the eastern quarter of the city late on Sunday, "
            "the civil defence said in a statement.</p></article></body></html>")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "p1", "text": page}) + "\n", encoding="utf-8")
    [doc] = list(read_paths([tmp_path / "c.jsonl"]))
    assert doc.id == "p1" and "<" not in doc.text and "Rockets struck the eastern quarter" in doc.text


# -- PDF -------------------------------------------------------------------------------------------------

def test_pdf_text_title_and_creation_date(tmp_path: Path) -> None:
    data = make_pdf(["Monthly summary of reported strikes",
                     "Near the river crossing, two strikes hit a depot."],
                    title="Monthly summary", created="D:20180406093000Z")
    (tmp_path / "s.pdf").write_bytes(data)
    [doc], errors = read_all(tmp_path / "s.pdf")
    assert errors == []
    assert "two strikes hit a depot" in doc.text and doc.title == "Monthly summary"
    assert doc.published == date(2018, 4, 6) and doc.published_from == "metadata"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(make_pdf([]))
    docs, [error] = read_all(tmp_path / "scan.pdf")
    assert docs == [] and "no text layer" in error.message


# -- read_text --------------------------------------------------------------------------------------------

def test_read_text_plain_and_html() -> None:
    [doc] = read_text("Shelling hit the bakery on Monday.", source="pasted", published="2019-05-07")
    assert doc.published == date(2019, 5, 7) and doc.source == "pasted"
    html = ("<html><head><title>T</title></head><body><p>Drones struck a <b>convoy</b> near the dam.</p>"
            "</body></html>")
    [page] = read_text(html, source="pasted", content_type="text/html")
    assert page.text.count("<") == 0 and "Drones struck a convoy near the dam." in page.text
    with pytest.raises(DocumentError, match="empty"):
        read_text("   ", source="pasted")


# -- datelines ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "expected"), [
    ("6th April 2018\nWarplanes struck ...", date(2018, 4, 6)),
    ("Posted on December 12, 2016 by a correspondent\nText", date(2016, 12, 12)),
    ("Release\nNovember 02, 2015\nRelease # 20151102-99\n", date(2015, 11, 2)),
    ("RIVERTOWN, Jan. 9, 2017 (Desert Wire) - Two strikes hit a depot outside the town on Sunday.",
     date(2017, 1, 9)),
    ("Tuesday, 3 May 2016 14:02\nbody", date(2016, 5, 3)),
    ("Date: 2016-12-12\n", date(2016, 12, 12)),
    ("13/04/2016\n", date(2016, 4, 13)),
    ("04/13/2016\n", date(2016, 4, 13)),
    # dots and dashes with the year last are written day first; slashes stay ambiguous (below)
    ("05.09.2013 A blast hit a market in the town", date(2013, 9, 5)),
    ("05-09-2013 Car bomb kills four in a town square. Four people were killed", date(2013, 9, 5)),
    ("Updated: 2019-01-02\nPublished: 2018-12-30\n", date(2018, 12, 30)),
    ("Last updated 2019-01-02\nNo other date here.", date(2019, 1, 2)),
    ("Publié le 1er avril 2018\nDes frappes ...", date(2018, 4, 1)),
    ("دمشق، ٦ نيسان ٢٠١٨\nقصفت الطائرات", date(2018, 4, 6)),
    ("الأحد 11 كانون الأول 2016\n", date(2016, 12, 11)),
    ("نشر في 2017/03/14\n", date(2017, 3, 14)),
])
def test_dateline_found(header: str, expected: date) -> None:
    found = find_dateline(header)
    assert found is not None and found.date == expected


@pytest.mark.parametrize("text", [
    "03/04/2016\nday and month cannot be told apart",
    "On December 12, 2016, government forces entered the quarter after weeks of fighting around it.",
    "December 12, 2016, government forces entered the quarter after weeks of fighting around it and more.",
    "Jets struck on April 6 near the town.",
    "31 February 2017\n",
    "Line one\nline two\nline three\nline four\nline five\nline six\nline seven\nline eight\nline nine\n"
    "9 May 2017\n",
])
def test_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


def test_declared_charsets() -> None:
    from strikewatch.ingest import read_bytes

    utf8 = "Résidents said the café was hit.".encode()
    # a server that wrongly declares Latin-1 for UTF-8 text does not turn it into mojibake
    [doc] = read_bytes(utf8, source="s", content_type="text/plain", charset="iso-8859-1")
    assert doc.text == "Résidents said the café was hit."
    [doc] = read_bytes("Résidents said the café was hit.".encode("cp1252"), source="s",
                       content_type="text/plain", charset="windows-1252")
    assert doc.text == "Résidents said the café was hit."
    # UTF-16 without a byte-order mark is readable when the server names it
    [doc] = read_bytes("Shelling hit the port.".encode("utf-16-le"), source="s", content_type="text/plain",
                       charset="utf-16-le")
    assert doc.text == "Shelling hit the port."
    # a page's own <meta charset>
    page = ('<html><head><meta charset="windows-1256"></head><body><p>قصفت الطائرات مواقع قرب المدينة '
            'صباح اليوم</p></body></html>').encode("cp1256")
    [doc] = read_bytes(page, source="s", content_type="text/html")
    assert "قصفت الطائرات" in doc.text


def test_gzip_files(tmp_path: Path) -> None:
    import gzip

    with gzip.open(tmp_path / "corpus.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write(json.dumps({"id": "z1", "text": "Jets struck a depot."}) + "\n")
        out.write(json.dumps({"id": "z2", "text": "Shelling hit a school."}) + "\n")
    (tmp_path / "note.txt.gz").write_bytes(gzip.compress(REPORT.encode("utf-8")))
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a " * 200_000))
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(REPORT.encode("utf-8"))[:30])
    docs, errors = read_all(tmp_path, max_bytes=100_000)
    assert sorted(d.id for d in docs if d.id.startswith("z")) == ["z1", "z2"]
    assert any(d.text.startswith("Field update") for d in docs)
    messages = {Path(e.source).name: e.message for e in errors}
    assert "decompresses to more than" in messages["bomb.txt.gz"]
    assert "gzip" in messages["broken.txt.gz"]


def test_standard_input(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = ("import sys\nfrom strikewatch.ingest import read_paths\n"
              "for d in read_paths(['-']): print(type(d).__name__, getattr(d, 'id', ''), d.source)\n")
    text = subprocess.run([sys.executable, "-c", script], input=REPORT, capture_output=True, text=True,
                          check=True).stdout.split()
    assert text[0] == "Document" and text[2] == "<stdin>"
    lines = json.dumps({"id": "s1", "text": "A clash at the crossing."}) + "\n{bad\n"
    out = subprocess.run([sys.executable, "-c", script], input=lines, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0].split()[:2] == ["Document", "s1"] and out[1].startswith("DocumentError")
