"""Answering `control PLACE --on DATE` from the stored timelines (CONTRACT "Control")."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from strikewatch.errors import UserError
from strikewatch.records import ControlPeriod, Location
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


def place_feature(loc: Location) -> str | None:
    """The gazetteer's kind of a place (city, town, village, neighbourhood ...), None when unknown: a city's
    or town's answer rolls up its quarters (``fuse.control.roll_up``), a quarter's does not."""
    if not loc.gazetteer_id or not loc.name:
        return None
    try:
        from strikewatch.geo import geocode
    except ImportError:
        return None
    try:
        found = geocode(loc.name, country=loc.country, limit=5)
    except Exception:  # noqa: BLE001 - without the gazetteer's word the roll-up falls back to its own rule
        return None
    return next((c.feature for c in found if c.gazetteer_id == loc.gazetteer_id), None)


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


_PLACE_FIELDS = ("name", "country", "admin1", "lat", "lon", "precision", "gazetteer_id")


class UnknownPlace(UserError):
    """The place names nothing: not a stored place, and the gazetteer cannot resolve it."""


def _periods(rows: list[dict[str, Any]]) -> list[ControlPeriod]:
    return [
        ControlPeriod(
            place=Location.from_dict(r["place"]) or Location(),
            holder=r["holder"],
            since=r["since"],
            until=r["until"],
            events=list(r["events"]),
            stative=list(r.get("stative") or []),
            fighting=list(r.get("fighting") or []),
            contested=bool(r.get("contested")),
            others=list(r.get("others") or []),
        )
        for r in rows
    ]


def _event_records(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    with store.engine.connect() as conn:
        found = [
            json.loads(r.data)
            for r in conn.execute(sa.select(t.events.c.data).where(t.events.c.id.in_(sorted(set(ids)))))
        ]
    found.sort(key=lambda e: ((e.get("date") or {}).get("start") or "", e["id"]))
    return found


def answer_control(
    store: Store, place: str, on: date | str | None, *, country: str | None = None
) -> dict[str, Any]:
    """``{"place", "on", "holder", "since", "until", "contested", "events", "stative", "fighting",
    "timeline", "partial", "rollup", "partial_note", "summary", "holder_basis"}`` answered from the stored
    timelines by ``strikewatch.fuse.control_answer`` and ``roll_up`` (a city's quarters); null holder when
    no stored event says. An unknown place (not stored, and not in the gazetteer) raises UnknownPlace."""
    from strikewatch.fuse import control_answer
    from strikewatch.fuse.control import partial_control, roll_up

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
    if row is None and not loc.gazetteer_id and loc.lat is None:
        where = f" in {country}" if country else ""
        raise UnknownPlace(
            f"no place called {place.strip()!r}{where} is known to the gazetteer or the stored timelines; "
            "check the spelling, or try another name of it."
        )
    if row is None:
        place_out = {"text": place, **{k: getattr(loc, k) for k in _PLACE_FIELDS}}
        periods: list[ControlPeriod] = []
        key = None
    else:
        place_out = {"text": place, **{k: row[k] for k in _PLACE_FIELDS}}
        key = row["key"]
        periods = _periods(store.control_periods(key))
    answer = control_answer(periods, on_iso)
    answer["place"] = place_out
    city = Location(name=place_out["name"], country=place_out["country"], lat=place_out["lat"],
                    lon=place_out["lon"], gazetteer_id=place_out["gazetteer_id"])
    partial: list[dict[str, Any]] = []
    if city.lat is not None and city.lon is not None:
        nearby: dict[str, list[dict[str, Any]]] = {}
        for r in store.control_periods():
            lat, lon = r["place"]["lat"], r["place"]["lon"]
            near = lat is not None and lon is not None and abs(lat - city.lat) < 0.2
            if near and abs(lon - city.lon) < 0.25:
                nearby.setdefault(r["place_key"], []).append(r)
        timelines = {k: _periods(v) for k, v in nearby.items()}
        partial = partial_control(timelines, city, on_iso, exclude=key)
    # quarters and villages around a city: its partial control
    answer = roll_up(answer, partial, feature=place_feature(city), own_timeline=bool(periods))
    answer["events"] = _event_records(store, answer["events"])
    answer["stative"] = _event_records(store, answer["stative"])
    answer["fighting"] = _event_records(store, answer["fighting"])
    return answer
