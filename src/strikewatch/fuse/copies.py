"""Near-copies: a wire story or a release republished or lightly rewritten by another outlet.

A document's signature is a MinHash of its word 5-shingles (64 values) plus its shingle count: 260 bytes
that the store can keep beside the document and compare without the text. ``find_copy`` returns the
candidate a new text copies, judged by estimated resemblance (Jaccard) or, for a story quoted inside a
longer one or cut down from it, by estimated containment of the smaller text in the larger.

``band_keys`` cuts a signature into bands (locality-sensitive hashing) so a store can look up the few
documents worth comparing instead of all of them.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

PERMUTATIONS = 64
SHINGLE = 5
BANDS = 16
RESEMBLANCE = 0.6  # estimated Jaccard at or above which a text is a copy
CONTAINMENT = 0.8  # or: this share of the smaller text's shingles found in the larger
MIN_SHINGLES = 8  # texts shorter than this are compared only when identical in words

_TOKEN = re.compile(r"\w+", re.UNICODE)
_RNG = np.random.default_rng(20141208)
_A = (_RNG.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1))
_B = _RNG.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Signature:
    """MinHash values and the number of distinct shingles they summarise."""

    values: bytes  # PERMUTATIONS little-endian uint32
    size: int

    def to_bytes(self) -> bytes:
        return struct.pack("<I", self.size) + self.values

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        (size,) = struct.unpack("<I", data[:4])
        return cls(values=bytes(data[4:]), size=size)

    def to_hex(self) -> str:
        return self.to_bytes().hex()

    @classmethod
    def from_hex(cls, text: str) -> Signature:
        return cls.from_bytes(bytes.fromhex(text))

    def array(self) -> np.ndarray:
        return np.frombuffer(self.values, dtype="<u4")


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _shingle_hashes(text: str) -> np.ndarray:
    words = _tokens(text)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    k = min(SHINGLE, len(words))
    acc = np.zeros(len(words) - k + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            acc = acc * _MIX + h[i: len(words) - k + 1 + i]
    return np.unique(acc)


def signature(text: str) -> Signature:
    """The MinHash signature of a text (empty text: all-max values and size 0)."""
    shingles = _shingle_hashes(text)
    if shingles.size == 0:
        values = np.full(PERMUTATIONS, 0xFFFFFFFF, dtype="<u4")
        return Signature(values=values.tobytes(), size=0)
    values = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for at in range(0, shingles.size, 4096):  # bounded memory for very long texts
            block = shingles[at: at + 4096]
            mixed = (block[None, :] * _A[:, None] + _B[:, None]) >> np.uint64(32)
            values = np.minimum(values, mixed.min(axis=1))
    values = values.astype("<u4")
    return Signature(values=values.tobytes(), size=int(shingles.size))


def resemblance(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    if a.size == 0 or b.size == 0:
        return 0.0
    return float(np.mean(a.array() == b.array()))


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the smaller text's shingles that the larger one also has."""
    j = resemblance(a, b)
    small = min(a.size, b.size)
    if small == 0 or j == 0.0:
        return 0.0
    return min(1.0, j * (a.size + b.size) / ((1.0 + j) * small))


def band_keys(sig: Signature, bands: int = BANDS) -> list[str]:
    """Locality-sensitive lookup keys: two likely copies share at least one."""
    values = sig.array()
    rows = len(values) // bands
    return [f"{b}:{values[b * rows:(b + 1) * rows].tobytes().hex()}" for b in range(bands)]


def _as_signature(value: Signature | bytes | str) -> Signature:
    if isinstance(value, Signature):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return Signature.from_bytes(bytes(value))
    return signature(value)


def is_copy(a: Signature, b: Signature) -> bool:
    """Do two signatures look like one text republished (whole, trimmed, or quoted in a longer piece)?"""
    if a.size == 0 or b.size == 0:
        return False
    if min(a.size, b.size) < MIN_SHINGLES:
        return a.size == b.size and a.values == b.values
    return resemblance(a, b) >= RESEMBLANCE or containment(a, b) >= CONTAINMENT


def find_copy(text: str | Signature, candidates: Mapping[str, Signature | bytes | str]
              | Iterable[tuple[str, Signature | bytes | str]]) -> str | None:
    """The id of the candidate that ``text`` is a near-copy of (most similar first, ties by id), or None.

    Candidates are earlier documents given as signatures (or their ``to_bytes()``) or as texts.
    """
    sig = text if isinstance(text, Signature) else signature(text)
    items = candidates.items() if isinstance(candidates, Mapping) else candidates
    best: tuple[float, str] | None = None
    for cid, value in items:
        other = _as_signature(value)
        if not is_copy(sig, other):
            continue
        score = max(resemblance(sig, other), containment(sig, other))
        if best is None or score > best[0] or (score == best[0] and cid < best[1]):
            best = (score, cid)
    return best[1] if best else None
