"""ingest stage: files, directories, web pages and feeds in, ``records.Document`` out.

Bad input never raises out of ``read_paths``: each unreadable document is yielded as a
``DocumentError`` in its place and the batch goes on. See docs/ingest.md.
"""

from strikewatch.errors import DocumentError
from strikewatch.ingest.dateline import find_dateline
from strikewatch.ingest.feeds import FeedResult, is_feed, poll_feed, read_feed
from strikewatch.ingest.files import DEFAULT_MAX_BYTES, read_bytes, read_file, read_paths, read_text
from strikewatch.ingest.outlets import fill_source
from strikewatch.ingest.outlets import lookup as lookup_outlet
from strikewatch.ingest.spam import is_spam
from strikewatch.ingest.web import USER_AGENT, check_url, fetch, fetch_items, fetch_url, make_client

__all__ = [
    "DEFAULT_MAX_BYTES",
    "USER_AGENT",
    "DocumentError",
    "FeedResult",
    "check_url",
    "fetch",
    "fetch_items",
    "fetch_url",
    "fill_source",
    "find_dateline",
    "is_feed",
    "is_spam",
    "lookup_outlet",
    "make_client",
    "poll_feed",
    "read_bytes",
    "read_feed",
    "read_file",
    "read_paths",
    "read_text",
]
