"""The dashboard's summaries of any number of incidents, computed in the database: grid clusters of a
map view, the day histogram of the timeline and facet counts per filter option.

The dashboard used to load the newest 5,000 incidents and summarise them in the browser, so older ones
could not be reached. These queries let it show every incident: a map view asks for the clusters inside
its bounds (each with its count and worst grade; contested incidents apart, so they show at every zoom),
and the list pages through ``Store.incidents``. Kept apart from ``store.py``: plain functions of an open
Store's engine and dialect, over the same filters (strikewatch.store.filters).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from strikewatch.store import schema as t
from strikewatch.store.filters import conditions, in_chunks

# Worst first, as the dashboard colours a cluster: contested, then discounted, weak, fair, confirmed.
GRADE_ORDER = ("contested", "discounted", "weak", "fair", "confirmed")
UNGRADED_RANK = len(GRADE_ORDER)
# A cluster gathers the incidents of one square of about this many screen pixels (256-pixel tiles).
CELL_PX = 64
# Up to this many placed incidents in a view are sent one by one (the browser clusters them itself).
POINT_LIMIT = 2000
# Contested incidents are sent one by one, never folded into a cluster, up to this many in a view (past
# that, in clusters of their own).
FLAGGED_LIMIT = 500
# Where the dashboard first looks: the Middle East around Syria and Iraq (west, south, east, north).
REGION = (20.0, 10.0, 70.0, 48.0)
MAP_INDEX = "ix_incidents_map"
LIST_INDEX = "ix_incidents_date_order"

Bbox = Sequence[float]


def cell_degrees(zoom: float) -> float:
    """The side of a cluster's square in degrees of longitude at a zoom level."""
    zoom = min(max(float(zoom), 0.0), 22.0)
    return CELL_PX * 360.0 / (256.0 * 2.0 ** zoom)


# SQLite's planner, without statistics, takes the grade index for grade=weak and then opens nine rows
# in ten; the map's queries are answered from ix_incidents_map alone and the facets from
# ix_incidents_date_order alone, which carry every column the filters read. SQLAlchemy drops table hints
# on SQLite, so a query asks for its index with a comment that a cursor hook turns into INDEXED BY.
_HINT = re.compile(r"/\* sw-index:(\w+) \*/")
_FROM_INCIDENTS = re.compile(r"\bFROM incidents(?=\s|$)(?!\s+INDEXED)")


def _rewrite_hint(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                  executemany: bool) -> tuple[str, Any]:
    found = _HINT.search(statement)
    if found:
        statement = _FROM_INCIDENTS.sub(f"FROM incidents INDEXED BY {found.group(1)}", statement, count=1)
    return statement, parameters


def _using(store: Any, query: sa.Select, index: str) -> sa.Select:
    """``query`` reading incidents through ``index`` on SQLite (elsewhere the planner's choice)."""
    if store.dialect != "sqlite":
        return query
    if not sa.event.contains(store.engine, "before_cursor_execute", _rewrite_hint):
        sa.event.listen(store.engine, "before_cursor_execute", _rewrite_hint, retval=True)
    return query.prefix_with(f"/* sw-index:{index} */")


def _placed(c: Any) -> list[sa.ColumnElement]:
    return [c.lat.is_not(None), c.lon.is_not(None)]


def _flagged(c: Any) -> sa.ColumnElement:
    """Contested incidents: flagged by fusion, or graded contested."""
    return sa.or_(c.contested.is_(True), c.grade == "contested")


def _rank(c: Any) -> sa.ColumnElement:
    whens = [(c.grade == g, i) for i, g in enumerate(GRADE_ORDER)]
    return sa.case(*whens, else_=UNGRADED_RANK)


def _cell(column: Any, offset: float, size: float, dialect: str) -> sa.ColumnElement:
    """The index of a value's grid cell (floor((value + offset) / size)); values + offset are >= 0, so
    SQLite's CAST (which truncates) is the floor; PostgreSQL's CAST rounds, hence floor() there."""
    scaled = (column + offset) / size
    if dialect == "postgresql":
        return sa.cast(sa.func.floor(scaled), sa.Integer)
    return sa.cast(scaled, sa.Integer)


def point(row: Any) -> dict[str, Any]:
    """An incident as the map draws it: where, what, when, how sure (no claims or sources)."""
    return {"id": row.id, "lat": row.lat, "lon": row.lon, "grade": row.grade,
            "contested": bool(row.contested), "type": row.type, "sub_type": row.sub_type,
            "location": row.location_name, "date_start": row.date_start, "date_end": row.date_end}


def _point_columns(c: Any) -> list[Any]:
    return [c.id, c.lat, c.lon, c.grade, c.contested, c.type, c.sub_type, c.location_name, c.date_start,
            c.date_end]


def map_view(store: Any, *, zoom: float, bbox: Bbox | None = None, point_limit: int = POINT_LIMIT,
             flagged_limit: int = FLAGGED_LIMIT, **filters: Any) -> dict[str, Any]:
    """What a map view of the incidents matching ``filters`` shows at ``zoom`` inside ``bbox``.

    ``{"mode": "points"|"cells", "total", "placed", "in_view", "complete", "points": [...],
    "cells": [...]}``: ``total`` counts every match, ``placed`` those with a known place, ``in_view``
    those inside ``bbox``. When ``placed`` is at most ``point_limit`` every placed match comes as a point
    whatever ``bbox`` says (``complete``: the map needs nothing more until the filters change).
    Otherwise up to ``point_limit`` incidents in view come as points; beyond that as cells of a grid
    aligned on the world (so panning keeps clusters stable), each with its ``count``, the incidents'
    mean position, their ``bbox`` and the ``grade`` of its worst incident; a cell of one incident carries
    that incident (``point``). Contested incidents are never mixed into the others' cells: up to
    ``flagged_limit`` in view come as points, past that as cells of their own (``contested``: true).
    """
    inc = t.incidents
    c = inc.c
    where = conditions(inc, store.dialect, **filters)
    view = conditions(inc, store.dialect, bbox=bbox) if bbox is not None else []
    out: dict[str, Any] = {"zoom": zoom, "cell": None, "points": [], "cells": []}
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(inc).where(*where)).scalar() or 0
        counting = sa.select(sa.func.count()).select_from(inc)
        placed = int(conn.execute(_using(store, counting.where(*where, *_placed(c)), MAP_INDEX)).scalar()
                     or 0)
        if placed <= point_limit:
            view = []  # every match fits: all of them, wherever the map looks
        in_view = placed if not view else int(conn.execute(
            _using(store, counting.where(*where, *_placed(c), *view), MAP_INDEX)).scalar() or 0)
        out.update(total=int(total), placed=placed, in_view=in_view, complete=placed <= point_limit)
        if in_view <= point_limit:
            rows = conn.execute(_using(store, sa.select(*_point_columns(c)).where(*where, *_placed(c), *view),
                                       MAP_INDEX))
            out["mode"] = "points"
            out["points"] = [point(r) for r in rows]
            return out
        out["mode"] = "cells"
        n_flagged = int(conn.execute(_using(store, counting.where(*where, *_placed(c), *view, _flagged(c)),
                                            MAP_INDEX)).scalar() or 0)
        apart = n_flagged <= flagged_limit
        if apart and n_flagged:
            rows = conn.execute(sa.select(*_point_columns(c)).where(*where, *_placed(c), *view, _flagged(c)))
            out["points"] = [point(r) for r in rows]
        size = cell_degrees(zoom)
        out["cell"] = size
        gx = _cell(c.lon, 180.0, size, store.dialect).label("gx")
        gy = _cell(c.lat, 90.0, size, store.dialect).label("gy")
        is_flagged = sa.case((_flagged(c), 1), else_=0).label("flagged")
        query = (sa.select(gx, gy, is_flagged, sa.func.count().label("n"), sa.func.avg(c.lat).label("lat"),
                           sa.func.avg(c.lon).label("lon"), sa.func.min(c.lat).label("s"),
                           sa.func.max(c.lat).label("n_"), sa.func.min(c.lon).label("w"),
                           sa.func.max(c.lon).label("e"), sa.func.min(_rank(c)).label("rank"),
                           sa.func.min(c.id).label("one"))
                 .where(*where, *_placed(c), *view).group_by("gx", "gy", "flagged"))
        if apart:
            query = query.where(sa.not_(_flagged(c)))
        query = _using(store, query, MAP_INDEX)
        cells = []
        singles = []
        for r in conn.execute(query):
            rank = int(r.rank) if r.rank is not None else UNGRADED_RANK
            cell = {"lat": float(r.lat), "lon": float(r.lon), "count": int(r.n),
                    "bbox": [float(r.w), float(r.s), float(r.e), float(r.n_)],
                    "grade": GRADE_ORDER[rank] if rank < len(GRADE_ORDER) else None,
                    "contested": bool(r.flagged)}
            if r.n == 1:
                singles.append((cell, r.one))
            cells.append(cell)
        ones = {}
        for chunk in in_chunks([one for _, one in singles]):
            for r in conn.execute(sa.select(*_point_columns(c)).where(c.id.in_(chunk))):
                ones[r.id] = point(r)
        for cell, one in singles:
            cell["point"] = ones.get(one)
        out["cells"] = cells
    return out


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates at zoom 0 (a 256-pixel world), as Leaflet projects."""
    lat = max(-85.0511, min(85.0511, lat))
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180.0) / 360.0 * 256.0, (1 - y / math.pi) / 2 * 256.0


def _unmercator(x: float, y: float) -> tuple[float, float]:
    lon = x / 256.0 * 360.0 - 180.0
    lat = math.degrees(2 * math.atan(math.exp((1 - 2 * y / 256.0) * math.pi)) - math.pi / 2)
    return lat, lon


def frame(bounds: Bbox, width: int, height: int, *, pad: float = 0.2, max_zoom: float = 9.0,
          min_zoom: float = 3.0, snap: float = 0.5) -> dict[str, Any]:
    """The view a ``width`` x ``height`` pixel map shows when framed on ``bounds`` (west, south, east,
    north) padded by ``pad`` of its size, as Leaflet's ``fitBounds`` does: the zoom (down to a multiple
    of ``snap``), the centre and the bounds on screen. Lets the dashboard's first view come in one
    request."""
    west, south, east, north = bounds
    dlon, dlat = (east - west) * pad, (north - south) * pad
    west, east, south, north = west - dlon, east + dlon, south - dlat, north + dlat
    x0, y0 = _mercator(north, west)
    x1, y1 = _mercator(south, east)
    span_x, span_y = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    zoom = math.log2(min(width / span_x, height / span_y))
    zoom = max(min_zoom, min(max_zoom, math.floor(zoom / snap + 1e-9) * snap))
    scale = 2.0 ** zoom
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    lat, lon = _unmercator(cx, cy)
    half_x, half_y = width / 2 / scale, height / 2 / scale
    top_lat, left_lon = _unmercator(cx - half_x, cy - half_y)
    bottom_lat, right_lon = _unmercator(cx + half_x, cy + half_y)
    return {"lat": lat, "lon": lon, "zoom": zoom, "bounds": [left_lon, bottom_lat, right_lon, top_lat]}


def padded(bounds: Bbox, pad: float) -> tuple[float, float, float, float] | None:
    """``bounds`` grown by ``pad`` of its size on each side, within the world; None past a whole world."""
    west, south, east, north = bounds
    dlon, dlat = (east - west) * pad, (north - south) * pad
    if east - west + 2 * dlon >= 360:
        return None
    return (max(-180.0, west - dlon), max(-90.0, south - dlat), min(180.0, east + dlon),
            min(90.0, north + dlat))


def extent(store: Any, **filters: Any) -> dict[str, Any]:
    """The bounds ``[west, south, east, north]`` of the placed incidents matching ``filters`` (those in
    REGION when there are any: a stray, mis-resolved point far away should not frame the map), or null;
    and how many are placed."""
    c = t.incidents.c
    where = conditions(t.incidents, store.dialect, **filters)
    bounds = sa.select(sa.func.min(c.lon), sa.func.min(c.lat), sa.func.max(c.lon), sa.func.max(c.lat))
    region = conditions(t.incidents, store.dialect, bbox=REGION)
    with store.engine.connect() as conn:
        for extra in (region, []):
            row = conn.execute(_using(store, bounds.where(*where, *_placed(c), *extra), MAP_INDEX)).first()
            if row is not None and row[0] is not None:
                return {"extent": [float(v) for v in row]}
    return {"extent": None}


def day_counts(store: Any, **filters: Any) -> dict[str, Any]:
    """Incidents per first day, oldest first (the timeline's bars): ``{"days": [[day, n]...],
    "undated": n}``."""
    c = t.incidents.c
    where = conditions(t.incidents, store.dialect, **filters)
    query = (sa.select(c.date_start, sa.func.count()).where(*where, c.date_start.is_not(None))
             .group_by(c.date_start).order_by(c.date_start))
    with store.engine.connect() as conn:
        days = [[str(day)[:10], int(n)] for day, n in conn.execute(query)]
        undated = conn.execute(sa.select(sa.func.count()).select_from(t.incidents)
                               .where(*where, c.date_start.is_(None))).scalar() or 0
    return {"days": days, "undated": int(undated)}


def facets(store: Any, **filters: Any) -> dict[str, Any]:
    """How many incidents each option of the dashboard's filters would keep, like datasette's facets.

    Each facet counts under every filter but its own, so its other options stay visible with their
    counts: ``{"grade": [{"value", "count"}], "type": [{"value", "type", "count"}] (sub-types, with the
    type they belong to), "belligerent": [...] (first actors), "actor": [...] (every actor named),
    "outlet": [...], "contested": n}``, biggest first. An incident counts once per outlet that reported
    it; documents without an outlet are left out.
    """
    inc = t.incidents
    c = inc.c
    d, m = t.documents, t.incident_members

    def where(without: str) -> list[sa.ColumnElement]:
        return conditions(inc, store.dialect, **{k: v for k, v in filters.items() if k != without})

    def counted(query: sa.Select, without: str) -> sa.Select:
        """Under filters, the count reads the list index (it carries every filtered column but the
        place's); unfiltered, the planner's own choice (the grade or type index) is quicker."""
        rest = {k for k, v in filters.items() if k != without and v is not None}
        if rest and not rest & {"bbox", "near"}:
            return _using(store, query, LIST_INDEX)
        return query

    out: dict[str, Any] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(counted(sa.select(c.grade, sa.func.count()).where(*where("grade"))
                                    .group_by(c.grade), "grade"))
        out["grade"] = _ranked((g, n) for g, n in rows if g)
        rows = conn.execute(counted(sa.select(c.sub_type, c.type, sa.func.count()).where(*where("type"))
                                    .group_by(c.sub_type, c.type), "type"))
        out["type"] = sorted(({"value": s, "type": ty, "count": int(n)} for s, ty, n in rows if s),
                             key=lambda f: (-f["count"], f["value"]))
        # Grouped by the whole actors column (a few dozen combinations), then by its first name here:
        # cheaper than grouping 100,000 rows by an expression.
        def combinations(without: str) -> list[tuple[list[str], int]]:
            query = sa.select(c.actors, sa.func.count()).where(*where(without)).group_by(c.actors)
            return [([a for a in (actors or "").strip("|").split("|") if a], int(n))
                    for actors, n in conn.execute(counted(query, without))]

        first: Counter[str] = Counter()
        by_first = combinations("belligerent")
        for names, n in by_first:
            if names:
                first[names[0]] += n
        out["belligerent"] = _ranked(first.items())
        named: Counter[str] = Counter()
        # Without either filter the two facets count the same incidents: one query serves both.
        both = not filters.get("actor") and not filters.get("belligerent")
        for names, n in by_first if both else combinations("actor"):
            for name in set(names):
                named[name] += n
        out["actor"] = _ranked(named.items())
        # An incident counts once per outlet, however many of its documents that outlet wrote.
        query = (sa.select(d.c.outlet, sa.func.count(sa.distinct(m.c.incident_id)))
                 .select_from(m.join(d, d.c.id == m.c.doc_id))
                 .where(d.c.outlet.is_not(None), d.c.outlet != "").group_by(d.c.outlet))
        others = where("outlet")
        if others:
            query = query.where(m.c.incident_id.in_(counted(sa.select(c.id).where(*others), "outlet")))
        rows = conn.execute(query)
        out["outlet"] = _ranked(rows)
        out["contested"] = int(conn.execute(sa.select(sa.func.count()).select_from(inc)
                                            .where(*where("contested"), c.contested.is_(True))).scalar() or 0)
    return out


def _ranked(rows: Any) -> list[dict[str, Any]]:
    return sorted(({"value": v, "count": int(n)} for v, n in rows), key=lambda f: (-f["count"], f["value"]))

