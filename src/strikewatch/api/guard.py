"""What the API lets in and out, whatever a route declares: known and bounded query parameters, HEAD
answered like GET, and no server file path in what it sends back (docs/security.md)."""

from __future__ import annotations

import posixpath
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import Request

from strikewatch.errors import UserError

# Longer than any place name, actor or search a person types; SQLite refuses LIKE patterns over 50,000
# characters and FTS5 slows with absurd queries, so a longer value is a mistake or an attack: 400.
MAX_PARAM_CHARS = 1000
MAX_PARAMS = 40

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def check_query(request: Request) -> None:
    """Refuse parameters the route does not take (a typo would otherwise silently show everything) and
    values longer than ``MAX_PARAM_CHARS``; an app-wide dependency, so every /api route gets it."""
    if not request.url.path.startswith("/api/"):
        return
    items = request.query_params.multi_items()
    if len(items) > MAX_PARAMS:
        raise UserError(f"the request has {len(items)} query parameters; the limit is {MAX_PARAMS}.")
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    known = _query_names(dependant) if dependant is not None else None
    for name, value in items:
        if known is not None and name not in known:
            takes = ", ".join(sorted(known)) or "no parameters"
            raise UserError(f"{request.url.path} has no parameter {name[:40]!r}; it takes: {takes}.")
        if len(value) > MAX_PARAM_CHARS:
            raise UserError(f"{name} is {len(value):,} characters long; the limit is {MAX_PARAM_CHARS:,}.")


def _query_names(dependant: Any) -> set[str]:
    """The query parameters a route takes, its sub-dependencies' included."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


class HeadAsGet:
    """ASGI middleware: a HEAD request runs as GET and is answered with the same status and headers but
    no body, as HTTP says (FastAPI's ``@app.get`` alone answers HEAD with 405)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return
        scope = dict(scope, method="GET")

        async def headless(message: Message) -> None:
            if message.get("type") == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, headless)


def public_source(source: Any) -> Any:
    """A document's ``source`` as the API shows it: a URL as it is, a local file by its name only (the
    server's folders are nobody's business)."""
    if not isinstance(source, str) or source.lower().startswith(("http://", "https://")):
        return source
    line = ""
    if " line " in source:  # "corpus.jsonl line 12"
        source, _, number = source.rpartition(" line ")
        line = f" line {number}"
    name = posixpath.basename(source.replace("\\", "/")) or source
    return name + line


def public_document(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document's metadata with its ``source`` made public (see ``public_source``)."""
    if "source" in doc:
        doc = {**doc, "source": public_source(doc["source"])}
    return doc
