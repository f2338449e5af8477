"""Batch geocoding: one query per line in, one JSON line per query out, in order (``geocode -``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from strikewatch.geo.gazetteer import Gazetteer, default_gazetteer
from strikewatch.geo.resolve import geocode

CACHE_LIMIT = 200_000


def geocode_lines(lines: Iterable[str], *, country: str | None = None, limit: int = 5,
                  gazetteer: Gazetteer | None = None) -> Iterator[str]:
    """Yield ``{"query", "candidates"}`` as one JSON line per input line. Repeated queries (a feed names
    the same towns again and again) are answered from a cache."""
    gaz = gazetteer or default_gazetteer()
    cache: dict[str, str] = {}
    for line in lines:
        query = line.rstrip("\r\n")
        out = cache.get(query)
        if out is None:
            cands = geocode(query, country=country, limit=limit, gazetteer=gaz)
            out = json.dumps({"query": query, "candidates": [c.to_dict() for c in cands]}, ensure_ascii=False)
            if len(cache) < CACHE_LIMIT:
                cache[query] = out
        yield out
