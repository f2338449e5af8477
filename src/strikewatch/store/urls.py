"""Canonical URLs: one story reached by several addresses is stored once."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say how a reader arrived, never which page it is.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_")
_TRACKING = {"fbclid", "gclid", "igshid", "ref", "ref_src", "cmpid", "ocid", "share", "amp"}


def canonical_url(url: str | None, *, keep_fragment: bool = False) -> str | None:
    """Lower-case scheme and host, no default port, fragment or tracking parameters, no trailing slash.

    ``None`` for a missing URL or a local file path, which says nothing about identity.
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING
    ]
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    # http and https name the same story.
    fragment = parts.fragment if keep_fragment else ""
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), fragment))


def identity_url(url: str | None, parent_id: str | None) -> str | None:
    """The URL that names a document: a reader comment is its page plus its anchor (``#comment-12``), so
    the comments of one page are not mistaken for the page itself."""
    return canonical_url(url, keep_fragment=parent_id is not None)
