"""RSS and Atom feeds (feedparser): polite polling and one Document per entry.

``poll_feed`` sends the ETag and Last-Modified it was given (If-None-Match / If-Modified-Since), so an
unchanged feed costs one small 304 answer; it returns the new validators for the next poll. Each entry
becomes a Document from its full content when the feed carries it, else from its page (fetched with the
same safety rules as ``fetch_url``), else from its summary. The source kind comes from the caller, else
the outlet table, else the feed's own metadata (``lexicon/feed_kinds.yaml``).
"""

from __future__ import annotations

import calendar
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources

import httpx

from strikewatch import fastyaml as yaml
from strikewatch.errors import DocumentError, bad_document
from strikewatch.ingest.documents import check_kind, coerce_date, make_document
from strikewatch.ingest.web import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, AllowPrivate, client_for, fetch
from strikewatch.records import Document

FULL_CONTENT_WORDS = 60  # an entry body at least this long is the article itself, not a teaser
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}


@dataclass
class FeedResult:
    """What one poll found: new entries' Documents, the validators for the next poll, and any failures."""

    documents: list[Document]
    etag: str | None
    modified: str | None
    not_modified: bool = False
    errors: list[DocumentError] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # every entry's key (guid or link); pass back as seen=
    title: str | None = None


def is_feed(data: bytes, content_type: str | None) -> bool:
    """True for RSS/Atom: by content type, or XML whose root element is rss, feed or rdf:RDF."""
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in _FEED_TYPES:
        return True
    if ct not in ("", "application/xml", "text/xml", "application/octet-stream", "text/plain"):
        return False
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
    while head.startswith(b"<!--") or head.startswith(b"<?"):
        end = head.find(b"-->" if head.startswith(b"<!--") else b"?>")
        if end < 0:
            return False
        head = head[end + 3 :].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


@lru_cache(maxsize=1)
def _kind_rules() -> dict:
    return yaml.safe_load(
        resources.files("strikewatch.lexicon").joinpath("feed_kinds.yaml").read_text("utf-8")
    )


def feed_kind(feed: dict) -> str | None:
    """The kind of source a feed's own metadata suggests (its generator, its title), or None."""
    rules = _kind_rules()
    generator = " ".join(str(feed.get(k) or "") for k in ("generator",)).lower()
    generator += " " + str((feed.get("generator_detail") or {}).get("href") or "").lower()
    for kind, words in (rules.get("generator") or {}).items():
        if any(w.lower() in generator for w in words):
            return kind
    title = f"{feed.get('title') or ''} {feed.get('subtitle') or ''}".lower()
    for kind, words in (rules.get("title") or {}).items():
        if any(w.lower() in title for w in words):
            return kind
    return None


def _entry_date(entry: dict) -> date | None:
    for key in ("published_parsed", "created_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC).date()
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _entry_key(entry: dict) -> str:
    from strikewatch.ids import content_hash

    return str(
        entry.get("id")
        or entry.get("link")
        or content_hash(
            f"{entry.get('title') or ''}|{entry.get('published') or ''}|{entry.get('summary') or ''}"
        )[:24]
    )


def _html_to_text(fragment: str) -> str:
    from lxml import etree
    from lxml import html as lhtml

    from strikewatch.ingest.html import element_text

    if "<" not in fragment:
        return fragment
    try:
        root = lhtml.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    return element_text(root)


def read_feed(
    data: bytes,
    *,
    source: str,
    feed_url: str | None = None,
    allow_private: AllowPrivate = False,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    seen: Container[str] | None = None,
    fetch_pages: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: httpx.Client | None = None,
    _result: FeedResult | None = None,
) -> list[Document | DocumentError]:
    """Documents (and per-entry errors) from a feed's bytes; entries whose key is in ``seen`` are skipped."""
    import feedparser

    from strikewatch.ingest.outlets import lookup

    parsed = feedparser.parse(data)
    feed = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    if not entries and (parsed.get("bozo") or not feed):
        raise DocumentError(source, "is not a readable RSS or Atom feed.")
    site = feed.get("link") or feed_url
    table = lookup(site) or lookup(feed_url)
    feed_outlet = outlet or (table.outlet if table else None) or (feed.get("title") or None)
    feed_kind_value = kind or (table.kind if table else None) or feed_kind(feed)
    if _result is not None:
        _result.title = feed.get("title") or None
    out: list[Document | DocumentError] = []
    for number, entry in enumerate(entries, 1):
        key = _entry_key(entry)
        if _result is not None:
            _result.keys.append(key)
        if seen is not None and key in seen:
            continue
        link = entry.get("link") or None
        label = f"{source} entry {number}" + (f" ({link})" if link else "")
        when = _entry_date(entry)
        title = entry.get("title") or None
        author = entry.get("author") or None
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        body = _html_to_text(max(contents, key=len)) if contents else ""
        summary = _html_to_text(entry.get("summary") or "")
        entry_kind = kind or (lookup(link).kind if lookup(link) else None) or feed_kind_value
        try:
            with bad_document(label):
                if len(body.split()) >= FULL_CONTENT_WORDS or (body and not (fetch_pages and link)):
                    text = body
                elif fetch_pages and link:
                    try:
                        docs = _entry_page(
                            link,
                            allow_private=allow_private,
                            published=published,
                            outlet=outlet,
                            feed_outlet=feed_outlet,
                            feed_site=site,
                            kind=entry_kind,
                            timeout=timeout,
                            max_bytes=max_bytes,
                            client=client,
                            when=when,
                            title=title,
                            author=author,
                        )
                        out.extend(docs)
                        continue
                    except DocumentError as exc:
                        if not (body or summary):
                            raise
                        out.append(
                            DocumentError(label, f"page could not be read, used the feed's summary ({exc})")
                        )
                        text = body or summary
                else:
                    text = body or summary
                if not text.strip() and title:
                    text = title
                if not text.strip():
                    raise DocumentError(label, "has no text, no content and no link.")
                out.append(
                    make_document(
                        text,
                        source=label,
                        given=published,
                        metadata_date=when,
                        url=link,
                        outlet=feed_outlet,
                        title=title,
                        author=author,
                        kind=entry_kind,
                    )
                )
        except DocumentError as exc:
            out.append(exc if exc.source.startswith(source) else DocumentError(label, exc.message))
    return out


def _entry_page(
    link: str,
    *,
    allow_private: AllowPrivate,
    published: date | None,
    outlet: str | None,
    kind: str | None,
    timeout: float,
    max_bytes: int,
    client: httpx.Client | None,
    when: date | None,
    title: str | None,
    author: str | None,
    feed_outlet: str | None = None,
    feed_site: str | None = None,
) -> list[Document]:
    """An entry's own page; the entry's date, title and author fill what the page does not state.

    The page is named by its own site (``--outlet`` aside): the outlet table's entry for its address, else
    the site name the page states, else the feed's outlet when the page is on the feed's site, else the
    page's host. A feed that gathers other sites' articles is not their author.
    """
    from urllib.parse import urlsplit

    from strikewatch.ingest.files import read_bytes
    from strikewatch.ingest.outlets import lookup

    got = fetch(link, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes, client=client)
    docs = read_bytes(
        got.content,
        source=link,
        url=got.url,
        content_type=got.content_type,
        charset=got.charset,
        published=published,
        outlet=outlet,
        kind=kind,
    )
    if outlet is None:
        table = lookup(got.url)

        def host(url: str | None) -> str:
            try:
                return (urlsplit(url or "").hostname or "").removeprefix("www.")
            except ValueError:
                return ""

        page_host = host(got.url)
        fallback = feed_outlet if page_host and page_host == host(feed_site) else (page_host or feed_outlet)
        for doc in docs:
            doc.outlet = (table.outlet if table else None) or doc.outlet or fallback
    if docs:
        article = docs[0]
        if when is not None and article.published_from in (None, "dateline"):
            article.published, article.published_from = when, "metadata"
        article.title = article.title or title
        article.author = article.author or author
    for doc in docs:
        doc.outlet = doc.outlet or feed_outlet
    return docs


def poll_feed(
    url: str,
    *,
    etag: str | None = None,
    modified: str | None = None,
    allow_private: AllowPrivate = False,
    seen: Container[str] | None = None,
    fetch_pages: bool = True,
    published: date | datetime | str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: httpx.Client | None = None,
) -> FeedResult:
    """Poll a feed politely; returns its entries' Documents and the new ETag / Last-Modified.

    When the server answers 304 (nothing changed since ``etag``/``modified``) the result is empty with
    ``not_modified`` True and the validators unchanged. ``seen`` holds entry keys (``FeedResult.keys`` of
    an earlier poll) to skip without fetching their pages. Raises ``DocumentError`` when the feed itself
    cannot be fetched or parsed; a failed entry is reported in ``errors`` and the rest go on.
    """
    given = coerce_date(published)
    kind = check_kind(kind)
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    with client_for(client, timeout) as shared:
        got = fetch(url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes, headers=headers,
                    client=shared)
        if got.not_modified:
            return FeedResult(documents=[], etag=got.etag or etag, modified=got.last_modified or modified,
                              not_modified=True)
        if not is_feed(got.content, got.content_type):
            what = got.content_type or "unknown content"
            raise DocumentError(url, f"is not an RSS or Atom feed (it is {what}).")
        result = FeedResult(documents=[], etag=got.etag, modified=got.last_modified)
        from strikewatch.ingest.files import guarded

        items = guarded(url, lambda: read_feed(
            got.content, source=url, feed_url=got.url, allow_private=allow_private, published=given,
            outlet=outlet, kind=kind, seen=seen, fetch_pages=fetch_pages, timeout=timeout,
            max_bytes=max_bytes, client=shared, _result=result,
        ))
    result.documents = [d for d in items if isinstance(d, Document)]
    result.errors = [e for e in items if isinstance(e, DocumentError)]
    return result
