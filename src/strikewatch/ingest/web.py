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
            nets.append(ipaddress.ip_network(str(item).strip().strip("[]"), strict=False))
        except ValueError:
            raise UserError(f"--allow-private takes addresses or networks such as 10.0.0.0/8, not {item!r}."
                            ) from None
    return nets


def parse_allow_private(value: str | None) -> AllowPrivate:
    """``--allow-private`` as typed: absent (False), bare (``"all"``: any address) or a comma-separated
    list of addresses and networks ("127.0.0.0/8,10.1.0.0/16") that are allowed besides public ones."""
    if value is None:
        return False
    if value.strip().lower() in ("all", "any", ""):
        return True
    nets = [part.strip() for part in value.split(",") if part.strip()]
    _allowed_networks(nets)
    return nets


# Networks that carry an IPv4 address inside an IPv6 one: the embedded address must be public too.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_COMPAT = ipaddress.ip_network("::/96")  # the deprecated IPv4-compatible form, ::a.b.c.d
# Cloud metadata services answer on link-local addresses (and these two others); a redirect never goes
# there, even with --allow-private, unless the network is named explicitly.
_METADATA = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"),
             ipaddress.ip_network("fd00:ec2::254/128"), ipaddress.ip_network("100.100.100.200/32"))

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded(address: IPAddress) -> list[IPAddress]:
    """The IPv4 address an IPv6 one carries (IPv4-mapped, 6to4, NAT64, IPv4-compatible), if any: such an
    address reaches that IPv4 host, so it is judged by it."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if any(address in net for net in _NAT64) or (address in _COMPAT and int(address) > 1):
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    return []


def _refusal(address: IPAddress, allow_private: AllowPrivate, allowed: list, *, redirect: bool) -> str | None:
    """Why ``address`` may not be fetched, or None when it may."""
    carried = [address, *_embedded(address)]
    if any(one in net for one in carried for net in allowed):
        return None
    if redirect and any(one in net for one in carried for net in _METADATA):
        return (f"is a link-local address ({carried[-1]}), where cloud metadata services answer; a "
                "redirect may not go there even with --allow-private unless that network is named in it")
    if allow_private is True:
        return None
    for one in carried[1:] or carried:
        if not one.is_global or one.is_multicast:
            return (f"resolves to a private, loopback or link-local address ({one}); pass --allow-private "
                    "(or --allow-private NETWORK, e.g. 10.0.0.0/8) to fetch from your own network")
    return None


@dataclass
class Target:
    """A URL parsed once, with the client's own parser, and the address its connection must go to."""

    url: httpx.URL
    host: str
    address: str  # the checked IP address the connection is made to (no second DNS lookup)

    def request_url(self) -> httpx.URL:
        return self.url.copy_with(host=self.address)


def parse_url(url: str | httpx.URL) -> httpx.URL:
    """``url`` as httpx will send it; refuses what two parsers could read differently."""
    raw = str(url)
    if "\\" in raw:
        raise DocumentError(raw, "contains a backslash; web addresses use forward slashes only.")
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(raw)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise DocumentError(raw, "is not a valid web address.") from None
    if parsed.scheme.lower() not in ("http", "https"):
        raise DocumentError(raw, "is not an http or https address.")
    if parsed.userinfo:
        raise DocumentError(raw, "carries a user name or password before the host (user@host); "
                                 "give the address without it.")
    host = parsed.host
    if not host or any(ch in host for ch in "%[]@ "):
        raise DocumentError(raw, "is not a valid web address (it has no host name).")
    return parsed


def resolve_url(url: str | httpx.URL, *, allow_private: AllowPrivate = False,
                redirect: bool = False) -> Target:
    """Parse ``url`` and resolve its host once; every address must be allowed (``check_url``); the
    connection then goes to the first of them, so a DNS answer that changes cannot reach another."""
    parsed = parse_url(url)
    raw = str(url)
    allowed = _allowed_networks(allow_private)
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError:
        raise DocumentError(raw, "has an invalid port.") from None
    try:
        infos = socket.getaddrinfo(parsed.host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise DocumentError(raw, f"names a host that could not be found ({parsed.host}).") from None
    addresses = []
    for info in infos:
        try:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        except ValueError:
            why = f"resolves to an address that cannot be checked ({info[4][0]})."
            raise DocumentError(raw, why) from None
        why = _refusal(address, allow_private, allowed, redirect=redirect)
        if why:
            raise DocumentError(raw, why + ".")
        addresses.append(address)
    if not addresses:
        raise DocumentError(raw, f"names a host that could not be found ({parsed.host}).")
    return Target(url=parsed, host=parsed.host, address=str(addresses[0]))


def check_url(url: str, *, allow_private: AllowPrivate = False) -> None:
    """Raise ``DocumentError`` unless ``url`` is http(s) and its host resolves only to public addresses.

    ``allow_private`` True allows any address; a collection of addresses or networks ("10.0.0.0/8",
    "127.0.0.1") allows just those, so a trusted intranet host can be read without opening the rest.
    """
    resolve_url(url, allow_private=allow_private)


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
        current: str | httpx.URL = url
        for hop in range(max_redirects + 1):
            try:
                target = resolve_url(current, allow_private=allow_private, redirect=hop > 0)
            except DocumentError as exc:
                if hop == 0:
                    raise
                raise DocumentError(url, f"redirected to {str(current)[:200]}, which {exc.message}") from None
            request_headers = {
                "User-Agent": USER_AGENT,
                "Accept-Encoding": "gzip, deflate",
                **(headers or {}),
                "Host": target.url.netloc.decode("ascii"),
            }
            with client.stream("GET", target.request_url(), headers=request_headers, follow_redirects=False,
                               extensions={"sni_hostname": target.host}) as response:
                if response.status_code in _REDIRECTS and response.headers.get("location"):
                    try:
                        current = target.url.join(response.headers["location"])
                    except (httpx.InvalidURL, ValueError, TypeError):
                        raise DocumentError(url, "redirects to an address that is not a valid web address."
                                            ) from None
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
                    url=str(target.url),
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
        if "location header" in str(exc).lower():  # httpx reads Location itself before we can
            raise DocumentError(url, "redirects to an address that is not a valid web address.") from None
        raise DocumentError(url, f"could not be fetched ({type(exc).__name__}: {exc}).") from None
    except (ValueError, UnicodeError) as exc:  # a header or address httpx cannot encode
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
