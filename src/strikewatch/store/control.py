"""Stored places and control periods, found by name or gazetteer id (over an open connection).

Answering `control PLACE --on DATE` (resolving the name with the gazetteer, choosing the holder) is the
pipeline's: strikewatch.pipeline.control.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from strikewatch.store import schema as t


def name_key(name: str | None) -> str | None:
    """A place name folded for lookup: case, accents and spacing do not matter."""
    if not name:
        return None
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace("-", " ").split())


def place_by_name(conn: Connection, name: str | None, country: str | None = None) -> dict[str, Any] | None:
    """The stored place (a row of `places`) of that name (folded, see name_key), in that country if given."""
    key = name_key(name)
    if not key:
        return None
    p = t.places
    cond = p.c.name_key == key
    if country:
        cond = sa.and_(cond, sa.or_(p.c.country.is_(None), p.c.country == country.upper()))
    row = conn.execute(sa.select(p).where(cond).order_by(p.c.key).limit(1)).first()
    return dict(row._mapping) if row is not None else None


def place_by_gazetteer_id(conn: Connection, gazetteer_id: str) -> dict[str, Any] | None:
    p = t.places
    query = sa.select(p).where(p.c.gazetteer_id == gazetteer_id).order_by(p.c.key).limit(1)
    row = conn.execute(query).first()
    return dict(row._mapping) if row is not None else None


def control_periods(conn: Connection, place_key: str | None = None) -> list[dict[str, Any]]:
    """Stored control periods (all places, or one place key), oldest first, each with its place."""
    p, c = t.places, t.control_periods
    query = sa.select(
        c, p.c.name, p.c.country, p.c.admin1, p.c.lat, p.c.lon, p.c.precision, p.c.gazetteer_id
    ).join(p, p.c.key == c.c.place_key)
    if place_key is not None:
        query = query.where(c.c.place_key == place_key)
    query = query.order_by(c.c.place_key, c.c.since.asc().nulls_first(), c.c.id)
    return [
        {
            **json.loads(r.detail or "{}"),
            "contested": bool(r.contested),
            "place_key": r.place_key,
            "place": {
                "name": r.name,
                "country": r.country,
                "admin1": r.admin1,
                "lat": r.lat,
                "lon": r.lon,
                "precision": r.precision,
                "gazetteer_id": r.gazetteer_id,
            },
            "holder": r.holder,
            "since": r.since,
            "until": r.until,
            "events": json.loads(r.events),
        }
        for r in conn.execute(query)
    ]
