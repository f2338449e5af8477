"""Bytes to text: refuse binary data, detect the encoding, and say plainly when it cannot be done.

Reports arrive as UTF-8, UTF-16 with a byte-order mark, or legacy code pages (Windows-1252, Windows-1256
for Arabic). We try the unambiguous encodings first and let charset_normalizer guess the rest, then
check that the guess reads as text rather than accept mojibake.
"""

from __future__ import annotations

import codecs
import contextlib
import unicodedata

from strikewatch.errors import DocumentError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of common binary formats that are not text even when they lack NUL bytes early on.
_BINARY_MAGIC = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\x7fELF", b"%PDF",
    b"\xd0\xcf\x11\xe0", b"7z\xbc\xaf", b"Rar!", b"OggS", b"ID3", b"RIFF", b"\x00\x00\x01\x00",
)


def has_binary_magic(data: bytes) -> bool:
    """True when the data starts with the signature of a common binary format."""
    return any(data.startswith(magic) for magic in _BINARY_MAGIC)


def looks_binary(data: bytes) -> bool:
    """True for data that is plainly not text: a known binary signature or NUL bytes without a BOM."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    if has_binary_magic(data):
        return True
    head = data[:8192]
    return b"\x00" in head and _utf16_without_bom(data) is None


def _readable(text: str) -> bool:
    """Share of control and unassigned characters low enough for the text to be real prose."""
    if not text:
        return True
    sample = text[:20000]
    bad = 0
    for ch in sample:
        if ch in "\n\r\t\f\v":
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cn", "Co", "Cs") or ch == "\ufffd":
            bad += 1
    return bad / len(sample) < 0.02


def _has_words(text: str) -> bool:
    """A guessed decoding of prose has spaces between words; line noise decoded as CJK has none."""
    sample = text[:20000]
    if len(sample) < 100:
        return True
    return sum(ch.isspace() for ch in sample) / len(sample) >= 0.02


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark (some Windows tools do): ASCII-range characters leave
    every other byte NUL, on the odd positions for little-endian, the even ones for big-endian."""
    head = data[:8192]
    if len(head) < 4 or b"\x00" not in head or has_binary_magic(data):
        return None
    pairs = len(head) // 2
    odd = head[1::2].count(0) / pairs
    even = head[0::2].count(0) / pairs
    for share, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if share >= 0.3:
            try:
                text = data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:
                continue
            if text.strip() and _readable(text) and _has_words(text):
                return text
    return None


def decode_bytes(data: bytes, source: str, *, declared: str | None = None) -> str:
    """Decode ``data`` to text or raise a ``DocumentError`` that names ``source``.

    Order: a byte-order mark; UTF-8 (strict UTF-8 almost never decodes text in another encoding, while
    servers often declare a wrong Latin-1); ``declared``, the charset a server or a page names; then a
    guess that must read as prose.
    """
    if not data.strip():
        raise DocumentError(source, "is empty.")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise DocumentError(source, f"starts with a {encoding} byte-order mark but is not valid "
                                            f"{encoding}; re-save it as UTF-8.") from None
    named = None
    if declared:
        with contextlib.suppress(LookupError):
            named = codecs.lookup(declared.strip().strip("\"'")).name
    if named and named.startswith(("utf-16", "utf-32")):  # wide encodings without a BOM contain NUL bytes
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode(named)
            if _readable(text) and text.strip():
                return text
    wide = _utf16_without_bom(data)
    if wide is not None:
        return wide
    if looks_binary(data):
        raise DocumentError(source, "looks like a binary file, not text; "
                                    "pass a .txt, .html, .pdf or .jsonl file.")
    for encoding in ("utf-8", named):
        if encoding is None:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _readable(text) and text.strip():
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _readable(text) and text.strip() and _has_words(text):
            return text
    raise DocumentError(source, "could not be decoded as text in any known encoding; re-save it as UTF-8.")
