"""Write the sample PDF report from its text below, with the standard library only.

The PDF has a real text layer (Helvetica, one page per 60 lines) and an Info dictionary with title,
author and creation date, as a report downloaded from an organisation's site would.
Run: python samples/source/make_pdf.py
The text lives here rather than in a .txt file so that reading the samples folder never meets it twice.
"""
# ruff: noqa: E501  (the report's paragraphs are data and stay whole)

from __future__ import annotations

import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORTS = HERE.parent / "reports"
TEXTS = {
    "2016-12-05_idn-monthly-report-november": """\
IDLIB DOCUMENTATION NETWORK
Monthly report on attacks on civilians and civilian objects in Idlib province
November 2016
Published 5 December 2016

Summary

In November 2016 our field team documented 41 attacks on civilian areas of Idlib province, most of them air strikes. At least 97 civilians were killed, among them 23 children. We could attribute 19 of the attacks to Russian aircraft and 12 to Syrian government aircraft; for the others the aircraft could not be identified.

Main incidents

1. On 14 November, air strikes hit the main hospital in Maarat al-Numan and put it out of service. Two members of the staff were injured.

2. On 16 November, three missiles struck the market of Kafr Takharim at about 3 p.m. After checking the names with the families, we confirmed the deaths of 34 civilians, including five children. Witnesses and the sound of the aircraft point to a Russian strike.

3. On 22 November, Syrian government helicopters dropped two barrel bombs on the town of Jisr al-Shughur, killing four civilians.

4. On the night of 27 to 28 November, an air strike destroyed a civil defence centre in Saraqib. Nobody was hurt because the team had left the building.

Method

Each incident is checked with at least two independent witnesses and, where possible, with photographs and the list of names. Numbers may be revised when new information arrives; the toll for Kafr Takharim replaces the first estimate we gave to the press on 17 November.

Recommendations

All parties should stop attacking markets, hospitals and rescue teams. An independent investigation into the market attack in Kafr Takharim would help to establish responsibility.
""",
}
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
        (REPORTS / f"{name}.pdf").write_bytes(pdf_bytes(TEXTS[name], info))
        print(f"wrote reports/{name}.pdf")


if __name__ == "__main__":
    main()
