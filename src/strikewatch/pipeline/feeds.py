"""Watching RSS/Atom feeds: poll each one politely, ingest what is new, again every interval.

The ETag / Last-Modified and the keys of entries already ingested are kept in the database
(``Store.feed_state``), so an unchanged feed costs one conditional request and a changed one fetches
only its new entries.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from strikewatch.errors import DocumentError, StoreError, StrikewatchError
from strikewatch.store import Store

from .ingest_run import ingest
from .summary import IngestSummary

if TYPE_CHECKING:
    from strikewatch.ingest.web import AllowPrivate


def poll_once(
    store: Store,
    url: str,
    *,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    allow_private: AllowPrivate = False,
    model: str | None = None,
) -> IngestSummary:
    """Poll one feed and ingest its new entries; a feed that cannot be read is one failure in the
    summary, never an exception."""
    from strikewatch.ingest import poll_feed

    etag, modified, seen = store.feed_state(url)
    try:
        result = poll_feed(url, etag=etag, modified=modified, allow_private=allow_private, seen=set(seen),
                           published=published, outlet=outlet, kind=kind)
    except DocumentError as exc:
        return IngestSummary(documents_failed=1, failures=[(exc.source, exc.message)])
    except StrikewatchError as exc:
        return IngestSummary(documents_failed=1, failures=[(url, str(exc))])
    if result.not_modified:
        store.save_feed_state(url, etag, modified, 0)
        return IngestSummary()
    summary = ingest(store, [*result.errors, *result.documents], model=model)
    store.save_feed_state(url, result.etag, result.modified, len(result.documents), result.keys)
    return summary


def watch_feeds(
    store: Store,
    urls: Sequence[str],
    *,
    interval: float,
    on_poll: Callable[[str, IngestSummary], None] | None = None,
    on_error: Callable[[str, StoreError], None] | None = None,
    rounds: int | None = None,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    allow_private: AllowPrivate = False,
    model: str | None = None,
) -> None:
    """Poll every feed, sleep ``interval`` seconds, again: ``rounds`` times, or until interrupted.

    ``on_poll(url, summary)`` is called after each poll; a database that is down or locked for a while
    is ``on_error(url, error)`` and that feed is tried again the next round (without ``on_error`` it
    raises)."""
    done = 0
    while rounds is None or done < rounds:
        for url in urls:
            try:
                summary = poll_once(store, url, published=published, outlet=outlet, kind=kind,
                                    allow_private=allow_private, model=model)
            except StoreError as exc:
                if on_error is None:
                    raise
                on_error(url, exc)
                continue
            if on_poll is not None:
                on_poll(url, summary)
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval)
