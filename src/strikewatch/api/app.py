"""The FastAPI application: read-only JSON and GeoJSON over the Store, the dashboard, offline ``/docs``.

Errors are JSON ``{"error": {"status", "message"}}`` with their HTTP status: a bad parameter is 400, an
unknown id 404, a database that cannot be read 503; a bug is 500 without a traceback in the body.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from strikewatch.api import assets, guard, params, views
from strikewatch.errors import StoreError, StrikewatchError, UserError
from strikewatch.store import mapview
from strikewatch.store.stats import with_strikes

if TYPE_CHECKING:
    from strikewatch.store import Store

log = logging.getLogger("strikewatch.api")

DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
STATS_BY = ("day", "week", "month")
STATS_GROUP = ("actor", "country", "type")
STRIKES_MAX_EVENTS = 50_000
EXPORTS = {"csv": ("text/csv; charset=utf-8", "csv"), "acled": ("text/csv; charset=utf-8", "acled.csv"),
           "geojson": ("application/geo+json", "geojson"), "json": ("application/json", "json")}
TERRITORY_SUBTYPES = ("Government regains territory", "Non-state actor overtakes territory",
                      "Non-violent transfer of territory")


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid value')}")
    return "; ".join(parts) + "."


def _tiles_setting(tiles: str | None) -> str | None:
    """The tile URL template, or None for the offline basemap (the default: land, outlines, cities).

    Online tiles only when asked for: ``--tiles osm`` (OpenStreetMap), a URL template, or
    ``$STRIKEWATCH_TILES``; the dashboard keeps its offline land under them until a tile arrives, so an
    unreachable tile server never leaves the map blank.
    """
    value = tiles if tiles is not None else os.environ.get("STRIKEWATCH_TILES", "")
    if not value or value.lower() in ("none", "off", "0", "offline"):
        return None
    if value.lower() in ("osm", "openstreetmap"):
        return DEFAULT_TILES
    return value


def _open_store(db_url: str) -> Store:
    from strikewatch.store import Store

    try:
        return Store(db_url)
    except (sa.exc.SQLAlchemyError, OSError) as exc:  # a driver's error the Store has no sentence for
        raise StoreError(f"cannot open the database {db_url!r}: {exc.__class__.__name__}: {exc}") from exc


def create_app(db_url: str, *, tiles: str | None = None, store: Store | None = None,
               warm: bool = False) -> FastAPI:
    """The API and dashboard over the database at ``db_url`` (an SQLAlchemy URL).

    ``tiles`` is a Leaflet tile URL template shown under the offline country outlines (default
    OpenStreetMap, or ``$STRIKEWATCH_TILES``; ``"none"`` turns tiles off). ``store`` lets a caller
    that already holds an open Store share it. ``warm`` loads the gazetteer in the background at once,
    so the first place lookup (``near=``, ``/api/control``) does not wait for it.
    """
    if warm:
        threading.Thread(target=_warm_gazetteer, name="warm-gazetteer", daemon=True).start()
    store = store if store is not None else _open_store(db_url)
    tile_url = _tiles_setting(tiles)
    missing = assets.missing_vendor_files()
    if missing:
        log.warning("dashboard assets missing (%s); run `make install`", ", ".join(missing[:3]))

    app = FastAPI(
        title="Strikewatch API",
        version=_version(),
        description="Read-only access to Strikewatch's incidents, events, documents, control of places and "
        "statistics. Errors are JSON `{\"error\": {\"status\", \"message\"}}`.",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(guard.check_query)],
    )
    app.add_middleware(guard.HeadAsGet)
    app.state.store = store

    _install_error_handlers(app)
    _install_pages(app, tile_url)
    _install_routes(app, store)
    return app


def _warm_gazetteer() -> None:
    try:
        from strikewatch.geo import locate

        locate("Damascus")
    except (StrikewatchError, OSError) as exc:  # warming is an optimisation; requests report errors
        log.warning("could not preload the gazetteer: %s", exc)


def _version() -> str:
    from strikewatch import __version__

    return __version__


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = "no such page; the API lives under /api (see /docs)."
        if exc.status_code == 405:
            message = "the API is read-only: use GET."
        return _error(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(400, _validation_message(exc))

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message)

    @app.exception_handler(UserError)
    async def user_error(_: Request, exc: UserError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", exc)
        return _error(503, "the database cannot be read right now.")

    @app.exception_handler(Exception)
    async def server_error(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return _error(500, "internal error; the server log has the details.")


def _csp(tile_url: str | None) -> str:
    img = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        img += f" {parts.scheme}://{host}"
    return (f"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src {img}; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def _install_pages(app: FastAPI, tile_url: str | None) -> None:
    csp = _csp(tile_url)

    @app.middleware("http")
    async def headers(request: Request, call_next):  # noqa: ANN001, ANN202 - starlette signature
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        path = request.url.path
        if path == "/" or path.startswith("/static/"):
            response.headers["Content-Security-Policy"] = csp
        return response

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(assets.STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=assets.STATIC_DIR), name="static")

    @app.get("/vendor/{name:path}", include_in_schema=False)
    def vendor(name: str) -> FileResponse:
        path = assets.vendor_path(name)
        if path is None:
            raise ApiError(404, f"web asset {name!r} is not installed; run `make install`.")
        return FileResponse(path)

    @app.get("/api/config", tags=["meta"])
    def config() -> dict[str, Any]:
        """Settings the dashboard reads at start: the tile URL (null when off) and its attribution."""
        return {"tiles": tile_url, "attribution": OSM_ATTRIBUTION if tile_url == DEFAULT_TILES else None,
                "basemap": "offline" if tile_url is None else "tiles", "version": _version()}

    @app.get("/api/basemap/places", tags=["meta"])
    def basemap_places() -> JSONResponse:
        """The main cities and towns the offline basemap labels (from the gazetteer), biggest first, with
        the zoom from which each is shown."""
        return JSONResponse({"places": views.basemap_places()},
                            headers={"Cache-Control": "public, max-age=86400"})

    swagger = assets.swagger_dir()
    if swagger is not None:
        app.mount("/docs-assets", StaticFiles(directory=swagger), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if swagger is None:
            raise ApiError(404, "Swagger UI is not installed; run `make install` (swagger-ui-bundle).")
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="Strikewatch API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")


# Query parameters shared by the list endpoints, declared once.
Since = Query(None, description="first day, YYYY-MM-DD")
Until = Query(None, description="last day, YYYY-MM-DD")
Bbox = Query(None, description="west,south,east,north in degrees")
Near = Query(None, description="a place name (geocoded) or lat,lon")
Radius = Query(None, description="kilometres around near= (default 25)")
Country = Query(None, description="ISO code (SY, IQ) to disambiguate a near= place name")
Actor = Query(None, description="canonical actor name")
Type = Query(None, description="event type or sub-type")
GradeQ = Query(None, description="confirmed|fair|weak|contested|discounted (comma-separated for several)")
Contested = Query(None, description="true: only contested incidents; false: only uncontested")
Q = Query(None, description="full-text search over the source text (\"quoted words\" as a phrase)")
Belligerent = Query(None, description="the acting party: an incident's first actor, exactly")
Outlet = Query(None, description="an outlet that reported the incident (any case)")
Offset = Query(0, description="rows to skip")
Order = Query("date", description="date: newest first; date_asc: oldest first")
ORDERS = ("date", "date_asc")


def _install_routes(app: FastAPI, store: Store) -> None:
    def incident_filters(since, until, bbox, near, radius, country, actor, type_, grade, contested, q,  # noqa: ANN001, ANN202
                         belligerent=None, outlet=None):  # noqa: ANN001
        return params.filters(since=since, until=until, bbox=bbox, near=near, radius=radius, country=country,
                              actor=actor, type=type_, grade=grade, contested=contested, q=q,
                              belligerent=belligerent, outlet=outlet)

    def list_incidents(f: dict[str, Any], limit: int, offset: int, order: str = "date"
                       ) -> tuple[int, list[Any]]:
        limit, offset = params.parse_page(limit, offset)
        if order not in ORDERS:
            raise UserError(f"order takes {' or '.join(ORDERS)}, not {order!r}.")
        total = store.count_incidents(**f)
        rows = store.incidents(**f, limit=limit, offset=offset, order=order) if total > offset else []
        return total, rows

    @app.get("/api/incidents", tags=["incidents"])
    def incidents(since: str | None = Since, until: str | None = Until, bbox: str | None = Bbox,
                  near: str | None = Near, radius: float | None = Radius, country: str | None = Country,
                  actor: str | None = Actor, type: str | None = Type, grade: str | None = GradeQ,
                  contested: bool | None = Contested, q: str | None = Q,
                  belligerent: str | None = Belligerent, outlet: str | None = Outlet,
                  limit: int = Query(100, description="rows per page (1-5000)"), offset: int = Offset,
                  order: str = Order) -> JSONResponse:
        """Fused incidents matching the filters, newest first, one page at a time (`total` counts all)."""
        f = incident_filters(since, until, bbox, near, radius, country, actor, type, grade, contested, q,
                             belligerent, outlet)
        total, rows = list_incidents(f, limit, offset, order)
        return JSONResponse({"total": total, "limit": limit, "offset": offset,
                             "incidents": [views.plain(r) for r in rows]})

    @app.get("/api/incidents.geojson", tags=["incidents"])
    def incidents_geojson(since: str | None = Since, until: str | None = Until, bbox: str | None = Bbox,
                          near: str | None = Near, radius: float | None = Radius,
                          country: str | None = Country, actor: str | None = Actor, type: str | None = Type,
                          grade: str | None = GradeQ, contested: bool | None = Contested, q: str | None = Q,
                          belligerent: str | None = Belligerent, outlet: str | None = Outlet,
                          limit: int = Query(1000, description="features per page (1-5000)"),
                          offset: int = Offset, order: str = Order) -> Response:
        """The same incidents as a GeoJSON FeatureCollection (geometry null where the place is unknown)."""
        f = incident_filters(since, until, bbox, near, radius, country, actor, type, grade, contested, q,
                             belligerent, outlet)
        total, rows = list_incidents(f, limit, offset, order)
        body = views.feature_collection((views.incident_feature(r) for r in rows), total=total, limit=limit,
                                        offset=offset)
        return JSONResponse(body, media_type="application/geo+json")

    @app.get("/api/export/incidents", tags=["incidents"])
    def export_incidents(format: str = Query("csv", description="csv|acled|geojson|json"),
                         since: str | None = Since, until: str | None = Until, bbox: str | None = Bbox,
                         near: str | None = Near, radius: float | None = Radius,
                         country: str | None = Country, actor: str | None = Actor,
                         belligerent: str | None = Belligerent, type: str | None = Type,
                         grade: str | None = GradeQ, contested: bool | None = Contested,
                         q: str | None = Q, outlet: str | None = Outlet) -> Response:
        """Every incident matching the filters as a file, exactly as `strikewatch incidents --format` writes
        it (the dashboard's "Download this view")."""
        import io

        from strikewatch.store.export import write_incidents

        if format not in EXPORTS:
            raise UserError(f"format takes one of {', '.join(EXPORTS)}, not {format!r}.")
        f = incident_filters(since, until, bbox, near, radius, country, actor, type, grade, contested, q,
                             belligerent, outlet)
        buffer = io.StringIO()
        write_incidents(store, store.incidents(**f), format, buffer)
        media, ext = EXPORTS[format]
        return Response(buffer.getvalue(), media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="incidents.{ext}"'})

    @app.get("/api/map", tags=["incidents"])
    def map_view(zoom: float | None = Query(None, description="the map's zoom level (0-22); needed "
                                                                 "unless fit= is given"),
                 bbox: str | None = Bbox,
                 fit: str | None = Query(None, description="WIDTHxHEIGHT in pixels: frame the view on the "
                                         "matching incidents (the zoom and bbox are chosen and returned)"),
                 since: str | None = Since, until: str | None = Until,
                 near: str | None = Near,
                 radius: float | None = Radius, country: str | None = Country, actor: str | None = Actor,
                 type: str | None = Type, grade: str | None = GradeQ, contested: bool | None = Contested,
                 q: str | None = Q, belligerent: str | None = Belligerent, outlet: str | None = Outlet
                 ) -> JSONResponse:
        """What a map view shows of every matching incident: up to 2,000 in `bbox` as points, more as
        grid clusters with their count and worst grade; contested incidents apart (points, or clusters
        of their own past 500)."""
        f = incident_filters(since, until, None, near, radius, country, actor, type, grade, contested, q,
                             belligerent, outlet)
        box = params.parse_bbox(bbox)
        framed = None
        if fit is not None:
            width, height = params.parse_size(fit, "fit")
            found = mapview.extent(store, **f)["extent"]
            if found is not None:
                framed = mapview.frame(found, width, height)
                zoom, box = framed["zoom"], mapview.padded(framed["bounds"], 0.5)
            elif zoom is None:
                zoom = 6.0
        if zoom is None:
            raise UserError("zoom takes the map's zoom level (0 to 22), or give fit=WIDTHxHEIGHT.")
        if not 0 <= zoom <= 22:  # also refuses nan
            raise UserError(f"zoom takes a number from 0 to 22, not {zoom!r}.")
        return JSONResponse({**mapview.map_view(store, zoom=zoom, bbox=box, **f), "frame": framed})

    @app.get("/api/map/extent", tags=["incidents"])
    def map_extent(since: str | None = Since, until: str | None = Until, near: str | None = Near,
                   radius: float | None = Radius, country: str | None = Country, actor: str | None = Actor,
                   type: str | None = Type, grade: str | None = GradeQ, contested: bool | None = Contested,
                   q: str | None = Q, belligerent: str | None = Belligerent, outlet: str | None = Outlet
                   ) -> JSONResponse:
        """The bounds `[west, south, east, north]` of the matching incidents with a known place (those
        around Syria and Iraq when there are any), or null: how the dashboard frames its first view."""
        f = incident_filters(since, until, None, near, radius, country, actor, type, grade, contested, q,
                             belligerent, outlet)
        return JSONResponse(mapview.extent(store, **f))

    @app.get("/api/timeline", tags=["incidents"])
    def timeline(since: str | None = Since, until: str | None = Until, bbox: str | None = Bbox,
                 near: str | None = Near, radius: float | None = Radius, country: str | None = Country,
                 actor: str | None = Actor, type: str | None = Type, grade: str | None = GradeQ,
                 contested: bool | None = Contested, q: str | None = Q, belligerent: str | None = Belligerent,
                 outlet: str | None = Outlet) -> JSONResponse:
        """Matching incidents per first day, oldest first: `{"days": [["YYYY-MM-DD", n]...], "undated"}`
        (the dashboard's timeline)."""
        f = incident_filters(since, until, bbox, near, radius, country, actor, type, grade, contested, q,
                             belligerent, outlet)
        return JSONResponse(mapview.day_counts(store, **f))

    @app.get("/api/facets", tags=["incidents"])
    def facets(since: str | None = Since, until: str | None = Until, bbox: str | None = Bbox,
               near: str | None = Near, radius: float | None = Radius, country: str | None = Country,
               actor: str | None = Actor, type: str | None = Type, grade: str | None = GradeQ,
               contested: bool | None = Contested, q: str | None = Q, belligerent: str | None = Belligerent,
               outlet: str | None = Outlet) -> JSONResponse:
        """How many matching incidents each grade, type, belligerent and outlet has, each counted under
        every filter but its own (like datasette's facets), and how many are contested."""
        f = incident_filters(since, until, bbox, near, radius, country, actor, type, grade, contested, q,
                             belligerent, outlet)
        return JSONResponse(mapview.facets(store, **f))

    @app.get("/api/incidents/{incident_id}", tags=["incidents"])
    def incident(incident_id: str) -> JSONResponse:
        """The dossier: the incident, its events, each source's claims and evidence sentences side by side."""
        return JSONResponse(_dossier(store, incident_id))

    def list_events(f: dict[str, Any], limit: int, offset: int) -> list[dict[str, Any]]:
        limit, offset = params.parse_page(limit, offset)
        f.pop("grade", None)
        f.pop("contested", None)
        return [views.plain(e) for e in store.events(**f, limit=limit, offset=offset)]

    @app.get("/api/events", tags=["events"])
    def events(since: str | None = Since, until: str | None = Until, bbox: str | None = Bbox,
               near: str | None = Near, radius: float | None = Radius, country: str | None = Country,
               actor: str | None = Actor, type: str | None = Type, q: str | None = Q,
               limit: int = Query(100, description="rows per page (1-5000)"), offset: int = Offset
               ) -> JSONResponse:
        """Events: single mentions in single documents, before fusion."""
        f = incident_filters(since, until, bbox, near, radius, country, actor, type, None, None, q)
        return JSONResponse({"limit": limit, "offset": offset, "events": list_events(f, limit, offset)})

    @app.get("/api/events.geojson", tags=["events"])
    def events_geojson(since: str | None = Since, until: str | None = Until, bbox: str | None = Bbox,
                       near: str | None = Near, radius: float | None = Radius, country: str | None = Country,
                       actor: str | None = Actor, type: str | None = Type, q: str | None = Q,
                       limit: int = Query(1000, description="features per page (1-5000)"),
                       offset: int = Offset) -> Response:
        """Events as a GeoJSON FeatureCollection."""
        f = incident_filters(since, until, bbox, near, radius, country, actor, type, None, None, q)
        body = views.feature_collection(views.event_feature(e) for e in list_events(f, limit, offset))
        return JSONResponse(body, media_type="application/geo+json")

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def document(doc_id: str) -> JSONResponse:
        """One stored document: its text, metadata and the events found in it."""
        found = store.document(doc_id)
        if not found:
            raise ApiError(404, f"no document with id {doc_id!r}.")
        return JSONResponse(views.plain(guard.public_document(found)))

    @app.get("/api/control", tags=["control"])
    def control(place: str = Query(..., description="a place name"),
                on: str | None = Query(None, description="YYYY-MM-DD (default today)")) -> JSONResponse:
        """Who held a place on a date, since when, the events that say so, and the whole timeline."""
        if not place.strip():
            raise UserError("place takes a place name.")
        day = params.parse_day(on, "on") or date.today()
        return JSONResponse(_control(store, place.strip(), day))

    @app.get("/api/control/map", tags=["control"])
    def control_map(on: str | None = Query(None, description="YYYY-MM-DD (default today)")) -> JSONResponse:
        """Every place whose control was reported, with who held it on that date: the dashboard's control
        layer (a place is `contested` when an incident behind its holder's period is)."""
        day = params.parse_day(on, "on") or date.today()
        return JSONResponse({"on": day.isoformat(), "places": views.control_map(store, day.isoformat())})

    @app.get("/api/stats", tags=["stats"])
    def stats(by: str = Query("day", description="day|week|month"),
              group: str = Query("actor", description="actor|country|type"),
              since: str | None = Since, until: str | None = Until, bbox: str | None = Bbox,
              near: str | None = Near, radius: float | None = Radius, country: str | None = Country,
              actor: str | None = Actor, belligerent: str | None = Belligerent, type: str | None = Type,
              grade: str | None = GradeQ, contested: bool | None = Contested, q: str | None = Q,
              outlet: str | None = Outlet,
              strikes: bool = Query(True, description="add the strikes column (sum of the events' strike "
                                    f"counts; left out above {STRIKES_MAX_EVENTS} events)"),
              ) -> JSONResponse:
        """Events, strikes and incidents per period and group: the series behind the dashboard's charts.

        The filters are the incidents' (an event counts when its incident matches grade and contested)."""
        if by not in STATS_BY:
            raise UserError(f"by takes one of {', '.join(STATS_BY)}, not {by!r}.")
        if group not in STATS_GROUP:
            raise UserError(f"group takes one of {', '.join(STATS_GROUP)}, not {group!r}.")
        f = incident_filters(since, until, bbox, near, radius, country, actor, type, grade, contested, q,
                             belligerent, outlet)
        rows = views.plain(store.stats(by, group, **f))
        if strikes:
            rows = with_strikes(store, rows, by, group, max_events=STRIKES_MAX_EVENTS, **f)
        return JSONResponse({"by": by, "group": group, "rows": rows})


def _dossier(store: Store, incident_id: str) -> dict[str, Any]:
    raw = store.dossier(incident_id)
    if not raw:
        raise ApiError(404, f"no incident with id {incident_id!r}.")
    raw = views.plain(raw)
    if isinstance(raw.get("documents"), list):
        raw["documents"] = [guard.public_document(d) if isinstance(d, dict) else d for d in raw["documents"]]
    incident = raw.get("incident") or {k: v for k, v in raw.items() if k not in ("events", "documents")}
    events = [e for e in raw.get("events") or [] if isinstance(e, dict)]
    docs = raw.get("documents") or []
    if isinstance(docs, dict):
        documents = docs
    else:
        documents = {d["id"]: d for d in docs if isinstance(d, dict) and d.get("id")}
    extra = {k: v for k, v in raw.items() if k not in ("incident", "events", "documents", "sources")}
    if "incident" not in raw:
        extra = {}
    unnamed = [d for d, meta in documents.items() if not meta.get("outlet")]
    headers = views.document_headers(store, unnamed)
    for doc_id, (text, title) in headers.items():
        documents[doc_id] = {**documents[doc_id], "header_text": text, "title": documents[doc_id].get("title")
                             or title}
    return views.dossier(incident, events, documents, extra)


def _control(store: Store, place: str, day: date) -> dict[str, Any]:
    """The control answer (``pipeline.control``), with each period's event ids replaced by the events
    where known."""
    from strikewatch.pipeline import control

    answer = views.plain(control(store, place, day))
    known = {e["id"]: e for e in answer.get("events") or [] if isinstance(e, dict) and e.get("id")}
    where = answer.get("place") or {}
    wanted = {i for p in answer.get("timeline") or [] for i in p.get("events") or [] if isinstance(i, str)}
    if wanted - set(known) and where.get("lat") is not None and where.get("lon") is not None:
        for sub_type in TERRITORY_SUBTYPES:
            for e in store.events(type=sub_type, near=(where["lat"], where["lon"], 10.0), limit=500):
                e = views.plain(e)
                known.setdefault(e["id"], e)
    for period in answer.get("timeline") or []:
        period["events"] = [known.get(i, i) if isinstance(i, str) else i for i in period.get("events") or []]
    return answer
