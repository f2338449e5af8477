"""Answering `control PLACE --on DATE` from the stored timelines (CONTRACT "Control")."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from strikewatch.errors import UserError
from strikewatch.records import Location
from strikewatch.store import schema as t

if TYPE_CHECKING:
    from strikewatch.store.store import Store


def name_key(name: str | None) -> str | None:
    """A place name folded for lookup: case, accents and spacing do not matter."""
    if not name:
        return None
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace("-", " ").split())


def _locate(place: str, country: str | None) -> Location:
    try:
        from strikewatch.geo import locate
    except ImportError:
        return Location(text=place)
    try:
        return locate(place, country=country)
    except Exception:  # noqa: BLE001 - an unresolved place falls back to its name
        return Location(text=place)


def find_place(
    store: Store, place: str, *, country: str | None = None
) -> tuple[dict[str, Any] | None, Location]:
    """The stored place (a row of `places`) that `place` names, and how the gazetteer resolved it.

    A name already stored is found without the gazetteer; other spellings ("Tadmur" for Palmyra) are
    resolved with strikewatch.geo.locate and matched by gazetteer id or resolved name.
    """
    p = t.places

    def by_name(name: str | None, code: str | None) -> dict[str, Any] | None:
        key = name_key(name)
        if not key:
            return None
        cond = p.c.name_key == key
        if code:
            cond = sa.and_(cond, sa.or_(p.c.country.is_(None), p.c.country == code.upper()))
        with store.engine.connect() as conn:
            row = conn.execute(sa.select(p).where(cond).order_by(p.c.key).limit(1)).first()
        return dict(row._mapping) if row is not None else None

    direct = by_name(place, country)
    if direct is not None:
        return direct, Location(
            text=place,
            name=direct["name"],
            country=direct["country"],
            admin1=direct["admin1"],
            lat=direct["lat"],
            lon=direct["lon"],
            precision=direct["precision"],
            gazetteer_id=direct["gazetteer_id"],
        )
    loc = _locate(place, country)
    if loc.gazetteer_id:
        with store.engine.connect() as conn:
            row = conn.execute(sa.select(p).where(p.c.gazetteer_id == loc.gazetteer_id).limit(1)).first()
        if row is not None:
            return dict(row._mapping), loc
    return by_name(loc.name, country or loc.country), loc


def answer_control(
    store: Store, place: str, on: date | str | None, *, country: str | None = None
) -> dict[str, Any]:
    """``{"place", "on", "holder", "since", "until", "events", "timeline"}``: null holder when unknown."""
    if not place or not place.strip():
        raise UserError("name a place, for example: strikewatch control Palmyra --on 2016-12-12.")
    if on is None:
        on_iso = date.today().isoformat()
    elif isinstance(on, date):
        on_iso = on.isoformat()
    else:
        try:
            on_iso = date.fromisoformat(on).isoformat()
        except ValueError:
            raise UserError(f"--on takes a date as YYYY-MM-DD, not {on!r}.") from None
    row, loc = find_place(store, place.strip(), country=country)
    if row is None:
        place_out = {
            "text": place,
            "name": loc.name,
            "country": loc.country,
            "admin1": loc.admin1,
            "lat": loc.lat,
            "lon": loc.lon,
            "precision": loc.precision,
            "gazetteer_id": loc.gazetteer_id,
        }
        return {
            "place": place_out,
            "on": on_iso,
            "holder": None,
            "since": None,
            "until": None,
            "events": [],
            "timeline": [],
        }
    periods = store.control_periods(row["key"])
    current = None
    for period in periods:
        starts_ok = period["since"] is None or period["since"] <= on_iso
        ends_ok = period["until"] is None or period["until"] > on_iso
        if starts_ok and ends_ok:
            current = period
    place_out = {
        "text": place,
        "name": row["name"],
        "country": row["country"],
        "admin1": row["admin1"],
        "lat": row["lat"],
        "lon": row["lon"],
        "precision": row["precision"],
        "gazetteer_id": row["gazetteer_id"],
    }
    events = []
    if current is not None and current["events"]:
        with store.engine.connect() as conn:
            events = [
                json.loads(r.data)
                for r in conn.execute(sa.select(t.events.c.data).where(t.events.c.id.in_(current["events"])))
            ]
        events.sort(key=lambda e: ((e.get("date") or {}).get("start") or "", e["id"]))
    timeline = [
        {"holder": p["holder"], "since": p["since"], "until": p["until"], "events": p["events"]}
        for p in periods
    ]
    return {
        "place": place_out,
        "on": on_iso,
        "holder": current["holder"] if current else None,
        "since": current["since"] if current else None,
        "until": current["until"] if current else None,
        "events": events,
        "timeline": timeline,
    }
