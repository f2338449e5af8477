"""A real HTTP server on 127.0.0.1, run in a thread, for tests of URL and feed ingest (and anyone else's).

    from httpserver import LoopbackServer

    @pytest.fixture
    def server():
        with LoopbackServer() as started:
            yield started

    with LoopbackServer() as server:              # or directly
        server.add("/feed.xml", feed_bytes, content_type="application/rss+xml", etag='"v1"')
        server.redirect("/old", "/feed.xml")
        server.serve_dir(tmp_path)              # files under a folder, with ETag and Last-Modified
        url = server.url("/feed.xml")
        ...
        server.hits("/feed.xml"), server.requests[-1].headers["If-None-Match"]

Routes answer conditional requests like a well-behaved server: a matching If-None-Match or an
If-Modified-Since at or after Last-Modified gets 304 with no body. Nothing here is mocked: the code under
test talks HTTP over a real socket.
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None  # an HTTP date, e.g. "Wed, 12 Apr 2017 08:00:00 GMT"
    headers: dict[str, str] = field(default_factory=dict)
    location: str | None = None  # for redirects
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    declare_length: bool = True  # False sends no Content-Length (the client must count)
    gzip: bool = False  # send the body gzip-encoded
    drip: float = 0.0  # seconds between 1 KiB pieces of the body (a slow-drip server)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


def http_date(when: float) -> str:
    return email.utils.formatdate(when, usegmt=True)


class LoopbackServer:
    """A threaded HTTP server on a free loopback port; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._dirs: list[Path] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up ---------------------------------------------------------------------------------
    def add(self, path: str, body: bytes | str = b"", **options) -> str:
        """Serve ``body`` at ``path``; options are ``Route`` fields. Returns the full URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Route(status=status, location=to, content_type=None)
        return self.url(path)

    def serve_dir(self, folder: Path) -> None:
        """Serve the files under ``folder`` at their relative paths, with ETag and Last-Modified."""
        self._dirs.append(Path(folder))

    def url(self, path: str = "/") -> str:
        assert self._server is not None, "start the server first (use it as a context manager)"
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path == path)

    # -- life cycle -----------------------------------------------------------------------------
    def __enter__(self) -> LoopbackServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server._answer(self, head=False)

            def do_HEAD(self) -> None:  # noqa: N802
                server._answer(self, head=True)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # -- answering ------------------------------------------------------------------------------
    def _route(self, path: str) -> Route | None:
        if path in self.routes:
            return self.routes[path]
        for folder in self._dirs:
            file = (folder / path.lstrip("/")).resolve()
            if folder.resolve() in file.parents and file.is_file():
                data = file.read_bytes()
                ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if ctype.startswith("text/") or ctype.endswith("xml"):
                    ctype += "; charset=utf-8"
                tag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
                return Route(body=data, content_type=ctype, etag=tag,
                             last_modified=http_date(int(file.stat().st_mtime)))
        return None

    def _answer(self, handler: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.requests.append(Request(handler.command, path, dict(handler.headers.items())))
        route = self._route(path)
        if route is None:
            route = Route(body=b"not found", content_type="text/plain", status=404)
        if route.delay:
            time.sleep(route.delay)
        status, body = route.status, route.body
        if status == 200 and self._fresh(handler, route):
            status, body = 304, b""
        if route.gzip and body:
            body = gzip.compress(body)
        handler.send_response(status)
        if route.content_type and status != 304:
            handler.send_header("Content-Type", route.content_type)
        if route.etag:
            handler.send_header("ETag", route.etag)
        if route.last_modified:
            handler.send_header("Last-Modified", route.last_modified)
        if route.location:
            handler.send_header("Location", route.location)
        if route.gzip and body:
            handler.send_header("Content-Encoding", "gzip")
        for name, value in route.headers.items():
            handler.send_header(name, value)
        if route.declare_length or status == 304:
            handler.send_header("Content-Length", str(len(body)))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        if not head and body:
            # The client may stop reading (a size limit): expected in tests.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                if route.drip:
                    for start in range(0, len(body), 1024):
                        handler.wfile.write(body[start:start + 1024])
                        handler.wfile.flush()
                        time.sleep(route.drip)
                else:
                    handler.wfile.write(body)

    @staticmethod
    def _fresh(handler: BaseHTTPRequestHandler, route: Route) -> bool:
        """True when the client's validators say it already has this version."""
        tags = handler.headers.get("If-None-Match")
        if tags is not None and route.etag:
            return route.etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
        since = handler.headers.get("If-Modified-Since")
        if since and route.last_modified:
            a = email.utils.parsedate_to_datetime(since)
            b = email.utils.parsedate_to_datetime(route.last_modified)
            return b <= a
        return False
