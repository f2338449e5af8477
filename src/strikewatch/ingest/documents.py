"""Building a ``Document``: clean text, a stable id, and a publication date with its provenance.

Publication date precedence (issue 2): the date the caller gives wins ("given"); else the document's
own metadata ("metadata": an HTML meta tag, a feed entry, a PDF's info, a .jsonl field); else a dateline
in the header of the text ("dateline"); else None, so that relative dates stay unresolved.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime

from strikewatch.errors import UserError
from strikewatch.ids import document_id
from strikewatch.ingest.dateline import find_dateline
from strikewatch.records import SOURCE_KINDS, Document

_SURROGATE = re.compile("[\ud800-\udfff]")
# Embeddings, overrides and isolates (LRE..RLO, LRI..PDI): they reorder the text around them when shown,
# so a name can display as other words; no report needs them (the marks LRM/RLM/ALM are kept).
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING = re.compile(r"[ \t]+\n")


# Publication dates outside these are a broken or hostile value, not a date (9999-12-31 overflowed the
# date arithmetic of relative dates and fusion windows).
MIN_DATE = date(1800, 1, 1)
MAX_DATE = date(2199, 12, 31)


def safe_str(value: str) -> str:
    """A string any database and terminal accepts and no screen shows reordered: no NUL (PostgreSQL
    refuses it in text), no bidi embedding/override/isolate control, no unpaired surrogate (no encoder
    accepts one; it becomes U+FFFD)."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if _BIDI_CONTROL.search(value):
        value = _BIDI_CONTROL.sub("", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = _SURROGATE.sub("\ufffd", value)
    return value


def clean_text(text: str) -> str:
    """Text as the extractor sees it: Unix newlines, no trailing spaces, at most one blank line in a row."""
    text = safe_str(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    text = _TRAILING.sub("\n", text)
    text = _BLANKS.sub("\n\n", text)
    return text.strip()


def coerce_date(value: date | datetime | str | None, what: str = "--published") -> date | None:
    """A date from a date, datetime or ISO string; a user's malformed value is a ``UserError``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value.strip()[:10])
    if isinstance(value, date):
        if not MIN_DATE <= value <= MAX_DATE:
            raise UserError(f"{what} takes a date between {MIN_DATE} and {MAX_DATE}, not {value}.")
        return value
    raise UserError(f"{what} takes a date as YYYY-MM-DD, not {str(value)[:40]!r}.")


def _plausible(day: date | None) -> date | None:
    """A date found in a document's metadata or dateline, or None when it is outside any real one."""
    return day if day is not None and MIN_DATE <= day <= MAX_DATE else None


def check_kind(kind: str | None) -> str | None:
    """The source kind, or a ``UserError`` naming the allowed ones."""
    if kind is None:
        return None
    kind = kind.strip().lower()
    if kind not in SOURCE_KINDS:
        raise UserError(f"--kind must be one of {', '.join(SOURCE_KINDS)}, not {kind!r}.")
    return kind


def make_document(
    text: str,
    *,
    source: str | None,
    doc_id: str | None = None,
    given: date | None = None,
    metadata_date: date | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    author: str | None = None,
    kind: str | None = None,
    parent_id: str | None = None,
    id_url: str | None = None,
    use_dateline: bool = True,
) -> Document:
    """A Document with its id and dated by the precedence above.

    ``id_url`` overrides the URL used in the id (a comment uses its article's URL plus its own anchor).
    ``use_dateline`` False skips the header-dateline rule (a reader comment's first line is not a dateline).
    """
    text = clean_text(text)
    url, outlet, title, author, parent_id, source = (
        safe_str(v) if isinstance(v, str) else v for v in (url, outlet, title, author, parent_id, source))
    if doc_id is not None:
        doc_id = safe_str(doc_id)
    given, metadata_date = _plausible(given), _plausible(metadata_date)
    if url and (not outlet or not kind):
        from strikewatch.ingest.outlets import fill_source

        outlet, kind = fill_source(url, outlet, kind)
    published, published_from = None, None
    if given is not None:
        published, published_from = given, "given"
    elif metadata_date is not None:
        published, published_from = metadata_date, "metadata"
    elif use_dateline:
        dl = find_dateline(text)
        if dl is not None and _plausible(dl.date):
            published, published_from = dl.date, "dateline"
    return Document(
        id=doc_id if doc_id is not None else document_id(text, id_url if id_url is not None else url),
        text=text,
        published=published,
        outlet=outlet or None,
        url=url or None,
        title=(title or "").strip() or None,
        author=(author or "").strip() or None,
        kind=kind,
        parent_id=parent_id,
        source=source,
        published_from=published_from,
    )
