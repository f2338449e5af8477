"""A .jsonl corpus: one document per line, ``{"id", "text", "published", "outlet", "url"}``.

A bad line is reported (as a ``DocumentError`` naming the file and line) and skipped; the rest of the
file goes on. An ``id`` given on the line is kept exactly as given (CONTRACT.md). Lines are read one at a
time with a length cap, so a corpus of any size streams and one absurd line cannot exhaust memory.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from strikewatch.errors import DocumentError, UserError
from strikewatch.ingest.documents import check_kind, coerce_date, make_document
from strikewatch.limits import MAX_ID_CHARS
from strikewatch.records import Document


def document_from_record(
    record: Any,
    source: str,
    *,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
) -> list[Document]:
    """Documents from one parsed JSON line (several when its text is an HTML page with comments)."""
    if not isinstance(record, dict):
        raise DocumentError(source, "is not a JSON object; each line must be {\"id\", \"text\", ...}.")
    text = record.get("text")
    if not isinstance(text, str):
        raise DocumentError(source, "has no \"text\" string.")
    if not text.strip():
        raise DocumentError(source, "has an empty \"text\".")
    for name in ("outlet", "url", "title", "author", "kind", "parent_id"):
        if record.get(name) is not None and not isinstance(record[name], str):
            raise DocumentError(source, f"has a \"{name}\" that is not a string.")
    raw_id = record.get("id")
    if raw_id is not None and not isinstance(raw_id, (str, int)):
        raise DocumentError(source, "has an \"id\" that is neither a string nor a number.")
    doc_id = None if raw_id is None or raw_id == "" else str(raw_id)
    if doc_id is not None and (len(doc_id) > MAX_ID_CHARS or not doc_id.isprintable()):
        raise DocumentError(source, f"has an \"id\" that is not up to {MAX_ID_CHARS} printable characters.")
    try:
        meta_date = coerce_date(record.get("published"), "\"published\"")
    except UserError as exc:
        raise DocumentError(source, f"has a bad date: {exc}") from None
    try:
        line_kind = check_kind(record.get("kind"))
    except UserError as exc:
        raise DocumentError(source, f"has a bad kind: {exc}") from None
    from strikewatch.ingest.html import looks_like_html, read_html

    url = record.get("url") or None
    if looks_like_html(text):
        docs = read_html(text, source=source, published=published, outlet=outlet or record.get("outlet"),
                         kind=kind or line_kind, url=url, metadata_date=meta_date)
        if doc_id is not None and docs:
            old = docs[0].id
            docs[0].id = doc_id
            for d in docs[1:]:
                if d.parent_id == old:
                    d.parent_id = doc_id
        return docs
    return [make_document(
        text,
        source=source,
        doc_id=doc_id,
        given=published,
        metadata_date=meta_date,
        url=url,
        outlet=outlet or record.get("outlet"),
        title=record.get("title"),
        author=record.get("author"),
        kind=kind or line_kind,
        parent_id=record.get("parent_id"),
    )]


def read_jsonl(
    path: Path,
    *,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    max_line_bytes: int,
    compressed: bool = False,
) -> Iterator[Document | DocumentError]:
    """Each line's documents, or a ``DocumentError`` for a line that cannot be used (``compressed``: the
    file is gzip-compressed and is decompressed as it streams)."""
    from strikewatch.ingest.files import display_name

    name = display_name(path)
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as handle:
            yield from read_jsonl_stream(handle, name, published=published, outlet=outlet, kind=kind,
                                         max_line_bytes=max_line_bytes)
    except OSError as exc:
        yield DocumentError(name, f"cannot be read ({exc.strerror or exc}).")


_BINARY_LINES_TO_GIVE_UP = 3


def _read_line(line: str, source: str, **options: Any) -> list[Document | DocumentError]:
    """One line's documents, or the one error that skips it: whatever the line holds (nesting deeper
    than the parser's stack, a 5,000-digit number, an unpaired surrogate), the lines after it go on."""
    from strikewatch.ingest.files import guarded

    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return [DocumentError(source, f"is not valid JSON ({exc.msg} at column {exc.colno}).")]
    except RecursionError:
        return [DocumentError(source, "is nested too deeply to read safely.")]
    except ValueError:  # an integer of more than 4,300 digits
        return [DocumentError(source, "holds a number too long to read (over 4,300 digits).")]
    try:
        return list(guarded(source, lambda: document_from_record(record, source, **options)))
    except DocumentError as exc:
        return [exc]


def read_jsonl_stream(
    handle: BinaryIO,
    name: str,
    *,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    max_line_bytes: int,
) -> Iterator[Document | DocumentError]:
    """The documents of JSON Lines read from an open binary stream (a file, gzip, stdin)."""
    from strikewatch.ingest.decode import has_binary_magic, looks_binary

    try:
        head = handle.peek(8192)[:8192] if hasattr(handle, "peek") else b""
    except (OSError, EOFError, zlib.error):
        yield DocumentError(name, "is not a valid gzip file.")
        return
    if has_binary_magic(head.lstrip(b"\xef\xbb\xbf")):
        yield DocumentError(name, "looks like a binary file, not JSON Lines text.")
        return
    any_line = False
    number = 0
    binary_lines = 0
    while True:
        try:
            raw = handle.readline(max_line_bytes + 1)
        except (OSError, EOFError, zlib.error):
            yield DocumentError(name, f"is a damaged or truncated gzip file; stopped after line {number}.")
            return
        if not raw:
            break
        number += 1
        source = f"{name} line {number}"
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            any_line = True
            while raw and not raw.endswith(b"\n"):  # skip the rest of the over-long line
                raw = handle.readline(1 << 20)
            yield DocumentError(source, f"is longer than the {max_line_bytes:,}-byte limit; skipped.")
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        any_line = True
        if looks_binary(raw):
            # One corrupt line loses only itself; a file whose first lines are all binary is not JSON Lines.
            binary_lines += 1
            if binary_lines == number and number >= _BINARY_LINES_TO_GIVE_UP:
                yield DocumentError(name, "looks like a binary file, not JSON Lines text.")
                return
            yield DocumentError(source, "holds binary bytes, not JSON text; skipped.")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield DocumentError(source, "is not valid UTF-8; JSON Lines must be UTF-8.")
            continue
        yield from _read_line(line, source, published=published, outlet=outlet, kind=kind)
    if not any_line:
        yield DocumentError(name, "is empty.")
