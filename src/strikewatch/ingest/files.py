"""Reading files and directories into Documents, one ``DocumentError`` per bad input, never an exception.

``read_paths`` walks directories recursively (in sorted order, hidden entries skipped) and reads
``.txt``/``.text``/``.md``, ``.html``/``.htm``/``.xhtml``, ``.pdf`` and ``.jsonl``; a file named
explicitly with another extension is sniffed. Files over ``max_bytes`` are refused before they are read.
"""

from __future__ import annotations

import gzip
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from strikewatch.errors import DocumentError, StrikewatchError, bad_document
from strikewatch.ingest.decode import decode_bytes, looks_binary
from strikewatch.ingest.documents import check_kind, coerce_date, make_document
from strikewatch.ingest.web import AllowPrivate
from strikewatch.records import Document

DEFAULT_MAX_BYTES = 25 * 1024 * 1024  # one report; a .jsonl corpus is capped per line instead

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | JSONL_SUFFIXES


def _is_url(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


def _sniff(data: bytes, content_type: str | None) -> str:
    """"html", "pdf" or "text" from a content type or, failing that, the first bytes."""
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("text/html", "application/xhtml+xml", "html"):
        return "html"
    if ct in ("application/pdf", "pdf"):
        return "pdf"
    if ct in ("text/plain", "text", "txt"):
        return "text"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    from strikewatch.ingest.html import looks_like_html

    head = data[:4096].decode("utf-8", "ignore")
    if looks_like_html(head):
        return "html"
    return "pdf" if b"%PDF-" in data[:1024] and looks_binary(data) else "text"


def guarded(source: str, read: Callable[[], list[Document]]) -> list[Document]:
    """Run a reader so that any failure becomes a ``DocumentError`` naming ``source``: one bad document
    must never stop a batch, whatever the parsing library raises."""
    from strikewatch.limits import BudgetExceeded, over_budget_message, time_budget

    try:
        with time_budget(), bad_document(source):  # third-party parsers raise many types
            try:
                return read()
            except (RecursionError, MemoryError):
                raise DocumentError(source, "is too deeply nested or too large to read safely.") from None
    except BudgetExceeded:
        raise DocumentError(source, over_budget_message("read")) from None


def read_bytes(
    data: bytes,
    *,
    source: str,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    charset: str | None = None,
    metadata_date: date | None = None,
) -> list[Document]:
    """Documents from raw bytes of a known or sniffed type; raises ``DocumentError`` when unreadable."""
    return guarded(source, lambda: _read_bytes(data, source=source, published=published, outlet=outlet,
                                               kind=kind, url=url, content_type=content_type,
                                               charset=charset, metadata_date=metadata_date))


def _read_bytes(data: bytes, *, source: str, published: date | None, outlet: str | None, kind: str | None,
                url: str | None, content_type: str | None, charset: str | None,
                metadata_date: date | None) -> list[Document]:
    if not data.strip():
        raise DocumentError(source, "is empty.")
    form = _sniff(data, content_type)
    if form == "pdf":
        from strikewatch.ingest.pdf import read_pdf

        return [read_pdf(data, source=source, published=published, outlet=outlet, kind=kind, url=url)]
    if form == "html":
        from strikewatch.ingest.html import read_html, sniff_charset

        text = decode_bytes(data, source, declared=charset or sniff_charset(data))
        return read_html(text, source=source, published=published, outlet=outlet, kind=kind, url=url,
                         metadata_date=metadata_date)
    text = decode_bytes(data, source, declared=charset)
    return _plain(text, source=source, published=published, outlet=outlet, kind=kind, url=url,
                  metadata_date=metadata_date)


def _plain(text: str, *, source: str, published: date | None, outlet: str | None, kind: str | None,
           url: str | None, metadata_date: date | None = None) -> list[Document]:
    doc = make_document(text, source=source, given=published, metadata_date=metadata_date, url=url,
                        outlet=outlet, kind=kind)
    if not doc.text:
        raise DocumentError(source, "has no text (only whitespace).")
    return [doc]


def read_text(
    text: str,
    *,
    source: str,
    published: date | datetime | str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
) -> list[Document]:
    """Documents from a string already in memory (a pasted report, a page fetched elsewhere).

    ``content_type`` "text/html" (or "html") reads it as a web page, with its comments as separate
    Documents; "text/plain" as plain text; None sniffs for markup. Raises ``DocumentError`` for empty or
    unreadable input.
    """
    given = coerce_date(published)
    kind = check_kind(kind)
    if not text.strip():
        raise DocumentError(source, "is empty.")
    from strikewatch.ingest.html import looks_like_html, read_html

    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("application/pdf", "pdf"):
        raise DocumentError(source, "is a PDF; pass its bytes to read_bytes or its path to read_paths.")
    if ct in ("text/html", "application/xhtml+xml", "html") or (not ct and looks_like_html(text)):
        return guarded(source, lambda: read_html(text, source=source, published=given, outlet=outlet,
                                                 kind=kind, url=url))
    return guarded(source, lambda: _plain(text, source=source, published=given, outlet=outlet, kind=kind,
                                          url=url))


def display_name(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and stored: bytes of a file name that are not UTF-8 become
    U+FFFD instead of lone surrogates (which no encoder accepts)."""
    return os.fsencode(path).decode("utf-8", "replace")


def read_file(
    path: Path,
    *,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document | DocumentError]:
    """One file's documents (a .jsonl gives many), or ``DocumentError``s; never raises."""
    name = display_name(path)
    try:
        with bad_document(name):  # one bad document must never stop a batch
            try:
                yield from _read_file(path, name, published=published, outlet=outlet, kind=kind,
                                      max_bytes=max_bytes)
            except (RecursionError, MemoryError):
                raise DocumentError(name, "is too deeply nested or too large to read safely.") from None
    except DocumentError as exc:
        yield exc


def _read_file(path: Path, name: str, *, published: date | None, outlet: str | None, kind: str | None,
               max_bytes: int) -> Iterator[Document | DocumentError]:
    suffix, compressed = _suffix(path)
    if suffix in JSONL_SUFFIXES:
        from strikewatch.ingest.jsonl import read_jsonl

        yield from read_jsonl(path, published=published, outlet=outlet, kind=kind,
                              max_line_bytes=max_bytes, compressed=compressed)
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(name, f"cannot be read ({exc.strerror or exc}).") from None
    if size > max_bytes:
        raise DocumentError(name, f"is {size:,} bytes, over the {max_bytes:,}-byte limit for one "
                                  "document; split it or raise the limit.")
    if size == 0:
        raise DocumentError(name, "is empty.")
    data = _gunzip(path, name, max_bytes) if compressed else _read(path, name)
    if suffix in PDF_SUFFIXES:
        content_type = "application/pdf"
    elif suffix in HTML_SUFFIXES:
        content_type = "text/html"
    elif suffix in TEXT_SUFFIXES:
        if data.lstrip()[:5] == b"%PDF-":
            raise DocumentError(name, "is a PDF file with a text extension; rename it to .pdf.")
        if looks_binary(data):
            raise DocumentError(name, "looks like a binary file, not text; pass a .txt, .html, .pdf or "
                                      ".jsonl file.")
        content_type = "text/plain"
    else:
        content_type = None
    yield from read_bytes(data, source=name, published=published, outlet=outlet, kind=kind,
                          content_type=content_type)


def _suffix(path: Path) -> tuple[str, bool]:
    """The document's own extension and whether it is gzip-compressed ("a.jsonl.gz" -> ".jsonl", True)."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return Path(path.stem).suffix.lower(), True
    return suffix, False


def _read(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(name, f"cannot be read ({exc.strerror or exc}).") from None


def _gunzip(path: Path, name: str, max_bytes: int) -> bytes:
    """A .gz file's content, refused when it decompresses past ``max_bytes`` (a decompression bomb)."""
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error):
        raise DocumentError(name, "is not a valid or complete gzip file.") from None
    if len(data) > max_bytes:
        raise DocumentError(name, f"decompresses to more than the {max_bytes:,}-byte limit for one document.")
    if not data.strip():
        raise DocumentError(name, "is empty.")
    return data


def _outside(path: Path, root: Path) -> bool:
    """True when ``path`` is a link (or sits under one) that resolves outside ``root``."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return True


def _walk(root: Path, follow_links: bool = False) -> Iterator[Path | DocumentError]:
    """Files under ``root`` with a known extension, sorted, hidden files and folders skipped; a folder
    that cannot be listed is reported, not silently left out. A link to a file or folder outside
    ``root`` (``x.txt -> /etc/passwd``) is reported and not followed unless ``follow_links``."""
    failures: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=failures.append, followlinks=follow_links):
        while failures:
            exc = failures.pop(0)
            yield DocumentError(str(exc.filename or dirpath), f"cannot be listed ({exc.strerror or exc}).")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith("."):
                continue
            path = Path(dirpath) / filename
            if _suffix(path)[0] in KNOWN_SUFFIXES:
                if not follow_links and path.is_symlink() and _outside(path, root):
                    yield DocumentError(display_name(path), "is a link to a file outside the folder; not "
                                        "followed (name the file itself, or pass --follow-links).")
                    continue
                yield path
    for exc in failures:
        yield DocumentError(str(exc.filename or root), f"cannot be listed ({exc.strerror or exc}).")


def read_paths(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    published: date | datetime | str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: AllowPrivate = False,
    follow_links: bool = False,
) -> Iterator[Document | DocumentError]:
    """Every document in ``paths`` (files, directories recursively, and http(s) URLs), in order.

    Bad input yields a ``DocumentError`` in place and the batch goes on. ``published``, ``outlet`` and
    ``kind`` apply to every document read (except that comments keep kind "comment" and their own
    timestamps). A bad ``published`` or ``kind`` raises ``UserError`` at once, before anything is read.
    Links inside a folder that lead out of it are not followed unless ``follow_links``.
    """
    given = coerce_date(published)
    kind = check_kind(kind)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _read_all(list(paths), given, outlet, kind, max_bytes, allow_private, follow_links)


def _read_stdin(given: date | None, outlet: str | None, kind: str | None,
                max_bytes: int) -> Iterator[Document | DocumentError]:
    """"-" reads standard input: JSON Lines when it starts with "{", else one document (text, HTML, PDF)."""
    import io

    source = "<stdin>"
    stream = sys.stdin.buffer
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)  # type: ignore[arg-type]
    if stream.peek(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        from strikewatch.ingest.jsonl import read_jsonl_stream

        yield from read_jsonl_stream(stream, source, published=given, outlet=outlet, kind=kind,
                                     max_line_bytes=max_bytes)
        return
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield DocumentError(source, f"is over the {max_bytes:,}-byte limit for one document.")
        return
    try:
        yield from read_bytes(data, source=source, published=given, outlet=outlet, kind=kind)
    except DocumentError as exc:
        yield exc


def _read_all(paths: list, given: date | None, outlet: str | None, kind: str | None, max_bytes: int,
              allow_private: AllowPrivate, follow_links: bool = False) -> Iterator[Document | DocumentError]:
    for item in paths:
        text = os.fspath(item)
        if text == "-":
            yield from _read_stdin(given, outlet, kind, max_bytes)
            continue
        if _is_url(text):
            from strikewatch.ingest.web import fetch_items

            try:
                yield from fetch_items(text, published=given, outlet=outlet, kind=kind, max_bytes=max_bytes,
                                       allow_private=allow_private)
            except DocumentError as exc:
                yield exc
            except StrikewatchError as exc:
                yield DocumentError(text, str(exc))
            continue
        path = Path(text)
        if path.is_dir():
            found = False
            for child in _walk(path, follow_links):
                found = True
                if isinstance(child, DocumentError):
                    yield child
                    continue
                yield from read_file(child, published=given, outlet=outlet, kind=kind, max_bytes=max_bytes)
            if not found:
                yield DocumentError(display_name(text), "is a folder with no .txt, .html, .pdf or .jsonl "
                                    "files in it.")
        elif path.exists():
            yield from read_file(path, published=given, outlet=outlet, kind=kind, max_bytes=max_bytes)
        else:
            yield DocumentError(display_name(text), "does not exist; check the path.")
