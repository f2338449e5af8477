"""Answering `control PLACE --on DATE` (CONTRACT "Control"): the name resolved against the stored places
and the gazetteer, the holder chosen by fusion's rule from the stored timelines."""

from __future__ import annotations

from datetime import date
from typing import Any

from strikewatch.errors import UserError
from strikewatch.records import ControlPeriod, Location
from strikewatch.store import Store, queries
from strikewatch.store.control import place_by_gazetteer_id, place_by_name

_PLACE_FIELDS = ("name", "country", "admin1", "lat", "lon", "precision", "gazetteer_id")
NEARBY_DEGREES = (0.2, 0.25)  # latitude, longitude: the places around a city whose holders are shown


class UnknownPlace(UserError):
    """The place names nothing: not a stored place, and the gazetteer cannot resolve it."""


def find_place(store: Store, place: str, *, country: str | None = None
               ) -> tuple[dict[str, Any] | None, Location]:
    """The stored place (a row of `places`) that `place` names, and how it was resolved.

    A name already stored is found without the gazetteer; other spellings ("Tadmur" for Palmyra) are
    resolved with strikewatch.geo.locate and matched by gazetteer id or resolved name.
    """
    with store.reading() as conn:
        direct = place_by_name(conn, place, country)
    if direct is not None:
        return direct, Location(text=place, **{k: direct[k] for k in _PLACE_FIELDS})
    from strikewatch.geo import locate

    loc = locate(place, country=country)
    with store.reading() as conn:
        if loc.gazetteer_id:
            row = place_by_gazetteer_id(conn, loc.gazetteer_id)
            if row is not None:
                return row, loc
        return place_by_name(conn, loc.name, country or loc.country), loc


def place_feature(loc: Location) -> str | None:
    """The gazetteer's kind of a place (city, town, village, neighbourhood ...), None when unknown: a city's
    or town's answer rolls up its quarters (``fuse.control.roll_up``), a quarter's does not."""
    if not loc.gazetteer_id or not loc.name:
        return None
    from strikewatch.geo import geocode

    found = geocode(loc.name, country=loc.country, limit=5)
    return next((c.feature for c in found if c.gazetteer_id == loc.gazetteer_id), None)


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


def _day(on: date | str | None) -> str:
    if on is None:
        return date.today().isoformat()
    if isinstance(on, date):
        return on.isoformat()
    try:
        return date.fromisoformat(on).isoformat()
    except ValueError:
        raise UserError(f"--on takes a date as YYYY-MM-DD, not {on!r}.") from None


def control(store: Store, place: str, on: date | str | None = None, *, country: str | None = None
            ) -> dict[str, Any]:
    """Who held `place` on date `on` (default today), with the events that say so: ``{"place", "on",
    "holder", "since", "until", "contested", "events", "stative", "fighting", "timeline", "partial",
    "rollup", "partial_note", "summary", "holder_basis"}``, answered from the stored timelines by
    ``strikewatch.fuse.control_answer`` and ``roll_up`` (a city's quarters). `holder`
    and `since` are null when no stored event speaks of that place before that date; an unknown place
    (not stored, and not in the gazetteer) raises UnknownPlace."""
    from strikewatch.fuse import control_answer
    from strikewatch.fuse.control import partial_control, roll_up

    if not place or not place.strip():
        raise UserError("name a place, for example: strikewatch control Palmyra --on 2016-12-12.")
    on_iso = _day(on)
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
            near = lat is not None and lon is not None and abs(lat - city.lat) < NEARBY_DEGREES[0]
            if near and abs(lon - city.lon) < NEARBY_DEGREES[1]:
                nearby.setdefault(r["place_key"], []).append(r)
        timelines = {k: _periods(v) for k, v in nearby.items()}
        partial = partial_control(timelines, city, on_iso, exclude=key)
    # quarters and villages around a city: its partial control
    answer = roll_up(answer, partial, feature=place_feature(city), own_timeline=bool(periods))
    with store.reading() as conn:
        for name in ("events", "stative", "fighting"):
            answer[name] = queries.event_records(conn, answer[name]) if answer[name] else []
    return answer
