"""Building a ``Document``: clean text, a stable id, and a publication date with its provenance.

Publication date precedence (issue 2): the date the caller gives wins ("given"); else the document's
own metadata ("metadata": an HTML meta tag, a feed entry, a PDF's info, a .jsonl field); else a dateline
in the header of the text ("dateline"); else None, so that relative dates stay unresolved.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from strikewatch.errors import UserError
from strikewatch.ids import document_id
from strikewatch.ingest.dateline import find_dateline
from strikewatch.records import SOURCE_KINDS, Document

_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING = re.compile(r"[ \t]+\n")


def clean_text(text: str) -> str:
    """Text as the extractor sees it: Unix newlines, no trailing spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    text = _TRAILING.sub("\n", text)
    text = _BLANKS.sub("\n\n", text)
    return text.strip()


def coerce_date(value: date | datetime | str | None, what: str = "--published") -> date | None:
    """A date from a date, datetime or ISO string; a user's malformed value is a ``UserError``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise UserError(f"{what} takes a date as YYYY-MM-DD, not {value!r}.")


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
        if dl is not None:
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
