"""Batch geocoding: one query per line in, one JSON line per query out, in order (``geocode -``)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice
from json.encoder import encode_basestring as _json_str

from strikewatch.geo.gazetteer import Gazetteer, default_gazetteer
from strikewatch.geo.resolve import geocode_noted

CACHE_LIMIT = 200_000
CHUNK = 256  # lines per task when several worker processes share the work


class _Resolver:
    """Answers lines as JSON, repeated queries (a feed names the same towns again and again) from a
    cache."""

    def __init__(self, gaz: Gazetteer, country: str | None, limit: int) -> None:
        self.gaz, self.country, self.limit = gaz, country, limit
        self.cache: dict[str, str] = {}

    def __call__(self, line: str) -> str:
        query = line.rstrip("\r\n")
        out = self.cache.get(query)
        if out is None:
            cands, note = geocode_noted(query, country=self.country, limit=self.limit, gazetteer=self.gaz)
            # "note": why an expression that matched something names no place (the score floor)
            tail = f', "note": {_json_str(note)}' if note else ""
            out = (f'{{"query": {_json_str(query)}, "candidates": '
                   f'[{", ".join(c.to_json() for c in cands)}]{tail}}}')
            if len(self.cache) < CACHE_LIMIT:
                self.cache[query] = out
        return out


# The resolver a forked worker inherits (set in the parent just before the pool starts).
_WORKER: _Resolver | None = None


def _work(lines: list[str]) -> list[str]:
    assert _WORKER is not None
    return [_WORKER(line) for line in lines]


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(lines)
    while chunk := list(islice(it, size)):
        yield chunk


def geocode_lines(lines: Iterable[str], *, country: str | None = None, limit: int = 5,
                  gazetteer: Gazetteer | None = None, workers: int = 1) -> Iterator[str]:
    """Yield ``{"query", "candidates"}`` as one JSON line per input line, in order.

    ``workers`` > 1 shares a large batch between forked processes (the loaded gazetteer is shared with
    them, so they start at once); answers still come out in input order, a chunk of lines at a time, so
    keep one worker for a live stream that waits for each answer. Where processes cannot be forked
    (Windows, macOS' default) the work stays in this process."""
    global _WORKER
    resolver = _Resolver(gazetteer or default_gazetteer(), country, limit)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for line in lines:
            yield resolver(line)
        return
    _WORKER = resolver
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for answers in pool.imap(_work, _chunks(lines, CHUNK)):
                yield from answers
    finally:
        _WORKER = None
