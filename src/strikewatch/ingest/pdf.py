"""PDF reports (releases, NGO reports) through pypdf: the text layer, title, author and creation date.

A truncated or malformed file, an encrypted one, or a scan without a text layer each give a
``DocumentError`` that says what to do, never a pypdf exception.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from datetime import date

from strikewatch.errors import DocumentError, bad_document
from strikewatch.ingest.documents import make_document
from strikewatch.limits import MAX_PAGE_CHARS, MAX_TEXT_CHARS
from strikewatch.records import Document

MAX_PAGES = 2000
_PDF_DATE = re.compile(r"^(?:D:)?((?:19|20)\d\d)(\d\d)?(\d\d)?")


def _pdf_date(value: object) -> date | None:
    m = _PDF_DATE.match(str(value or "").strip())
    if not m or not m.group(2) or not m.group(3):
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_pdf(
    data: bytes,
    *,
    source: str,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    url: str | None = None,
) -> Document:
    """The Document in a PDF's text layer; raises ``DocumentError`` when it has none or cannot be parsed."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip().startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise DocumentError(source, "is not a PDF file (no %PDF header).")
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(source, "is a truncated PDF (no end-of-file marker); download it again.")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    # pypdf's error types vary (a malformed file raises whatever its parser trips on): any failure
    # means unreadable, reported by the one per-document guard
    with bad_document(source, "is a malformed or truncated PDF that cannot be read ({kind})."):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reader = PdfReader(io.BytesIO(data), strict=False)
                if reader.is_encrypted:
                    try:
                        ok = reader.decrypt("")
                    except (PyPdfError, NotImplementedError, ValueError, KeyError, TypeError):
                        ok = 0  # unsupported crypto (DependencyError, NotImplementedError) or broken
                    if not ok:
                        raise DocumentError(source, "is an encrypted PDF; save an unencrypted copy first.")
                pages = reader.pages
                if len(pages) > MAX_PAGES:
                    raise DocumentError(source, f"has {len(pages):,} pages, over the {MAX_PAGES:,}-page "
                                                "limit.")
                texts = []
                total = 0
                for page in pages:
                    text = (page.extract_text() or "")[:MAX_PAGE_CHARS]  # a page is capped, not refused
                    total += len(text)
                    if total > MAX_TEXT_CHARS:
                        raise DocumentError(source, f"holds more than {MAX_TEXT_CHARS:,} characters of text; "
                                                    "split it into smaller files.")
                    texts.append(text)
                info = reader.metadata or {}
                title = info.get("/Title")
                author = info.get("/Author")
                created = _pdf_date(info.get("/CreationDate"))
        except RecursionError:
            raise DocumentError(source, "is a malformed PDF (its structure is nested too deeply).") from None
    text = "\n\n".join(t.strip() for t in texts if t and t.strip())
    if not text.strip():
        raise DocumentError(source, "is a PDF with no text layer (a scanned image?); run OCR on it first.")
    return make_document(text, source=source, given=published, metadata_date=created, url=url, outlet=outlet,
                         title=str(title) if title else None, author=str(author) if author else None,
                         kind=kind)
