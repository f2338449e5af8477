"""Query-string parsing for the API: turns the flags a user types into the Store's keyword filters.

Every mistake becomes a ``UserError`` with one sentence saying what the parameter takes; the app turns
it into a 400 JSON error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from strikewatch.errors import StrikewatchError, UserError

GRADES = ("confirmed", "fair", "weak", "contested", "discounted")
MAX_LIMIT = 5000
MAX_OFFSET = 1_000_000_000  # past any real table; SQLite's offset is a signed 64-bit integer
MAX_RADIUS_KM = 20_000  # half the Earth's circumference


def parse_day(value: str | None, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{name} takes a date as YYYY-MM-DD, not {value!r}.") from None


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees (the order GeoJSON and most map tools use)."""
    if value in (None, ""):
        return None
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise UserError(f"bbox takes four numbers west,south,east,north, not {value!r}.") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise UserError(f"bbox {value!r} is outside the world or has south above north.")
    return west, south, east, north


def _latlon(value: str) -> tuple[float, float] | None:
    parts = value.split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise UserError(f"near {value!r} is not a latitude,longitude pair on Earth.")
    return lat, lon


def parse_near(value: str | None, radius: float | None, country: str | None = None
               ) -> tuple[float, float, float] | None:
    """``near=lat,lon`` or ``near=<place name>`` (geocoded with the gazetteer), with ``radius`` km."""
    if value in (None, ""):
        if radius is not None:
            raise UserError("radius needs near= (a place name or lat,lon).")
        return None
    km = 25.0 if radius is None else float(radius)
    if not 0 < km <= MAX_RADIUS_KM:  # also refuses nan
        raise UserError(f"radius takes a number of kilometres above 0 and up to {MAX_RADIUS_KM:,}, "
                        f"not {radius!r}.")
    point = _latlon(value)
    if point is None:
        point = geocode_place(value, country=country)
    return point[0], point[1], km


def geocode_place(name: str, *, country: str | None = None) -> tuple[float, float]:
    """The best gazetteer match for a place name, or a UserError naming what was not found."""
    from strikewatch.geo import geocode

    try:
        candidates = geocode(name, country=country, limit=1)
    except StrikewatchError as exc:
        raise UserError(f"cannot look up {name!r} ({exc}); give near= as lat,lon instead.") from None
    best = candidates[0] if candidates else None
    if best is None or best.lat is None or best.lon is None:
        raise UserError(f"no place called {name!r} in the gazetteer; give near= as lat,lon instead.")
    return float(best.lat), float(best.lon)


def parse_grade(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    for grade in value.split(","):
        if grade not in GRADES:
            raise UserError(f"grade takes one of {', '.join(GRADES)}, not {grade!r}.")
    return value


def parse_size(value: str, name: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` in pixels, each from 1 to 10,000."""
    parts = value.lower().split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise UserError(f"{name} takes WIDTHxHEIGHT in pixels, like 1200x700, not {value!r}.") from None
    if not (0 < width <= 10_000 and 0 < height <= 10_000):
        raise UserError(f"{name} takes a width and a height from 1 to 10,000 pixels, not {value!r}.")
    return width, height


def parse_page(limit: int, offset: int) -> tuple[int, int]:
    if limit < 1 or limit > MAX_LIMIT:
        raise UserError(f"limit takes a number from 1 to {MAX_LIMIT}, not {limit}.")
    if offset < 0 or offset > MAX_OFFSET:
        raise UserError(f"offset takes a number from 0 to {MAX_OFFSET:,}, not {offset}.")
    return limit, offset


def filters(*, since: str | None = None, until: str | None = None, bbox: str | None = None,
            near: str | None = None, radius: float | None = None, actor: str | None = None,
            type: str | None = None, grade: str | None = None, contested: bool | None = None,
            q: str | None = None, country: str | None = None, belligerent: str | None = None,
            outlet: str | None = None) -> dict[str, Any]:
    """The Store's keyword filters from the API's query parameters; absent ones are left out."""
    start, end = parse_day(since, "since"), parse_day(until, "until")
    if start and end and start > end:
        raise UserError(f"since ({start}) is after until ({end}).")
    out: dict[str, Any] = {
        "since": start,
        "until": end,
        "bbox": parse_bbox(bbox),
        "near": parse_near(near, radius, country),
        "actor": actor or None,
        "type": type or None,
        "grade": parse_grade(grade),
        "contested": contested,
        "q": (q or "").strip() or None,
        "belligerent": belligerent or None,
        "outlet": outlet or None,
    }
    return {k: v for k, v in out.items() if v is not None}
