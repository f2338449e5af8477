"""Write the sample PDF report from its text in source/pdf/, with the standard library only.

The PDF has a real text layer (Helvetica, one page per 60 lines) and an Info dictionary with title,
author and creation date, as a report downloaded from an organisation's site would.
Run: python samples/source/make_pdf.py
"""

from __future__ import annotations

import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORTS = HERE.parent / "reports"
PDFS = {
    "2016-12-05_idn-monthly-report-november": {
        "Title": "Monthly report on attacks on civilians in Idlib province, November 2016",
        "Author": "Idlib Documentation Network",
        "CreationDate": "D:20161205090000Z",
    },
}


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for para in text.splitlines():
        out.extend(textwrap.wrap(para, 88) or [""])
    return out


def pdf_bytes(text: str, info: dict[str, str]) -> bytes:
    """A minimal, valid PDF 1.4 file whose text layer holds ``text``."""
    lines = _lines(text)
    pages = [lines[i:i + 60] for i in range(0, len(lines), 60)]
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, 4 info, then per page: page object and content stream.
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    entries = " ".join(f"/{k} ({_escape(v)})" for k, v in info.items())
    objects.append(f"<< {entries} >>".encode("latin-1"))
    for i, page in enumerate(pages):
        body = "BT /F1 10 Tf 13 TL 56 790 Td\n" + "".join(f"({_escape(t)}) Tj T*\n" for t in page) + "ET"
        stream = body.encode("latin-1")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       f"<< /Font << /F1 3 0 R >> >> /Contents {6 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def main() -> None:
    for name, info in PDFS.items():
        text = (HERE / "pdf" / f"{name}.txt").read_text(encoding="utf-8")
        (REPORTS / f"{name}.pdf").write_bytes(pdf_bytes(text, info))
        print(f"wrote reports/{name}.pdf")


if __name__ == "__main__":
    main()
