"""Fetching web pages safely: httpx with timeouts, a size cap, a redirect cap, a clear User-Agent, and
no requests to private, loopback or link-local addresses unless the caller allows it.

Every hop of a redirect chain is checked again, and every address a host name resolves to must be
public, so a page cannot point the fetcher at a service inside the network. (The check and the
connection resolve the name separately; a resolver that answers differently within milliseconds could
still slip through, which is why ``allow_private`` is off by default rather than the only defence.)
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from strikewatch import __version__
from strikewatch.errors import DocumentError, UserError
from strikewatch.ingest.documents import check_kind, coerce_date
from strikewatch.records import Document

USER_AGENT = f"strikewatch/{__version__} (conflict-report monitor; +https://pypi.org/project/strikewatch/)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
TOTAL_TIME_FACTOR = 3  # a whole fetch may take this many times the per-operation timeout (slow-drip servers)
_REDIRECTS = {301, 302, 303, 307, 308}

# True: any address; False: public addresses only; a collection: public ones plus these addresses/networks.
AllowPrivate = bool | Collection[str]


@dataclass
class Fetched:
    """One HTTP response after redirects: the final URL, body and the headers a poller needs."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _allowed_networks(allow_private: AllowPrivate) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    if isinstance(allow_private, bool):
        return []
    nets = []
    for item in allow_private:
        try:
            nets.append(ipaddress.ip_network(str(item).strip("[]"), strict=False))
        except ValueError:
            raise UserError(f"allow_private takes addresses or networks such as 10.0.0.0/8, not {item!r}."
                            ) from None
    return nets


def check_url(url: str, *, allow_private: AllowPrivate = False) -> None:
    """Raise ``DocumentError`` unless ``url`` is http(s) and its host resolves only to public addresses.

    ``allow_private`` True allows any address; a collection of addresses or networks ("10.0.0.0/8",
    "127.0.0.1") allows just those, so a trusted intranet host can be read without opening the rest.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise DocumentError(url, "is not an http or https address.")
    host = parts.hostname
    if not host:
        raise DocumentError(url, "has no host name.")
    if allow_private is True:
        return
    allowed = _allowed_networks(allow_private)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise DocumentError(url, "has an invalid port.") from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise DocumentError(url, f"names a host that could not be found ({host}).") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        if (not address.is_global or address.is_multicast) and not any(address in net for net in allowed):
            raise DocumentError(
                url,
                f"resolves to a private, loopback or link-local address ({address}); "
                "allow private addresses explicitly to fetch from your own network.",
            )


def make_client(timeout: float = DEFAULT_TIMEOUT) -> httpx.Client:
    """An httpx client with our User-Agent and timeouts, redirects left to ``fetch`` (it checks each hop).

    Pass one to several calls (``fetch_url``, ``poll_feed``) to reuse connections to the same server.
    """
    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                        headers={"User-Agent": USER_AGENT})


@contextlib.contextmanager
def client_for(client: httpx.Client | None, timeout: float) -> Iterator[httpx.Client]:
    """The caller's client, or a new one closed afterwards."""
    if client is not None:
        yield client
        return
    own = make_client(timeout)
    try:
        yield own
    finally:
        own.close()


def fetch(
    url: str,
    *,
    allow_private: AllowPrivate = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    headers: dict[str, str] | None = None,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET ``url`` following at most ``max_redirects`` redirects, each hop checked; raises ``DocumentError``.

    A 304 answer to a conditional request is returned (``not_modified``), not raised.
    """
    own = client is None
    if client is None:
        client = make_client(timeout)
    deadline = time.monotonic() + TOTAL_TIME_FACTOR * timeout
    try:
        current = url
        for _hop in range(max_redirects + 1):
            check_url(current, allow_private=allow_private)
            request_headers = {
                "User-Agent": USER_AGENT,
                "Accept-Encoding": "gzip, deflate",
                **(headers or {}),
            }
            with client.stream("GET", current, headers=request_headers, follow_redirects=False) as response:
                if response.status_code in _REDIRECTS and response.headers.get("location"):
                    current = urljoin(current, response.headers["location"])
                    continue
                if response.status_code >= 400:
                    raise DocumentError(
                        url,
                        f"answered HTTP {response.status_code} {response.reason_phrase or ''}".rstrip() + ".",
                    )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise DocumentError(
                        url, f"is {int(declared):,} bytes, over the {max_bytes:,}-byte limit."
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if time.monotonic() > deadline:
                        raise DocumentError(url, f"took more than {TOTAL_TIME_FACTOR * timeout:g} seconds to "
                                                 "send its content; stopped reading.")
                    if len(body) > max_bytes:
                        raise DocumentError(
                            url, f"is larger than the {max_bytes:,}-byte limit; stopped reading."
                        )
                content_type = response.headers.get("content-type")
                charset = response.charset_encoding
                return Fetched(
                    url=str(response.url),
                    status=response.status_code,
                    content=bytes(body),
                    content_type=content_type.split(";")[0].strip().lower() if content_type else None,
                    charset=charset,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    headers=dict(response.headers),
                )
        raise DocumentError(url, f"redirected more than {max_redirects} times.")
    except httpx.TimeoutException:
        raise DocumentError(url, f"did not answer within {timeout:g} seconds.") from None
    except httpx.ConnectError as exc:
        raise DocumentError(url, f"could not be reached ({exc}).") from None
    except httpx.InvalidURL:
        raise DocumentError(url, "is not a valid web address.") from None
    except httpx.HTTPError as exc:
        raise DocumentError(url, f"could not be fetched ({type(exc).__name__}: {exc}).") from None
    finally:
        if own:
            client.close()


def fetch_items(
    url: str,
    *,
    allow_private: AllowPrivate = False,
    published: date | datetime | str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    client: httpx.Client | None = None,
) -> list[Document | DocumentError]:
    """Like ``fetch_url`` but keeps per-item errors (a feed entry whose page failed) in the list."""
    given = coerce_date(published)
    kind = check_kind(kind)
    with client_for(client, timeout) as shared:
        return _fetch_items(url, allow_private=allow_private, given=given, outlet=outlet, kind=kind,
                            timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects, client=shared)


def _fetch_items(url: str, *, allow_private: AllowPrivate, given: date | None, outlet: str | None,
                 kind: str | None, timeout: float, max_bytes: int, max_redirects: int,
                 client: httpx.Client) -> list[Document | DocumentError]:
    from strikewatch.ingest.feeds import is_feed, read_feed
    from strikewatch.ingest.files import guarded, read_bytes

    got = fetch(
        url,
        allow_private=allow_private,
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        client=client,
    )
    if is_feed(got.content, got.content_type):
        return guarded(url, lambda: read_feed(
            got.content, source=url, feed_url=got.url, allow_private=allow_private, published=given,
            outlet=outlet, kind=kind, timeout=timeout, max_bytes=max_bytes, client=client,
        ))
    return list(read_bytes(got.content, source=url, url=got.url, content_type=got.content_type,
                           charset=got.charset, published=given, outlet=outlet, kind=kind))


def fetch_url(
    url: str,
    *,
    allow_private: AllowPrivate = False,
    published: date | datetime | str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    client: httpx.Client | None = None,
) -> list[Document]:
    """The Documents at ``url``: a page (its article and its reader comments), a PDF, a text file, or
    every entry of an RSS/Atom feed. Raises ``DocumentError`` when nothing could be read."""
    items = fetch_items(
        url,
        allow_private=allow_private,
        published=published,
        outlet=outlet,
        kind=kind,
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        client=client,
    )
    docs = [d for d in items if isinstance(d, Document)]
    errors = [e for e in items if isinstance(e, DocumentError)]
    if not docs and errors:
        raise errors[0]
    return docs
