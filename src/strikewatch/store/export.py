"""Writing incidents out: table, JSON, CSV, GeoJSON and ACLED-compatible CSV.

Nothing is averaged away: where sources disagree on the toll, ACLED's single ``fatalities`` number is
the lowest one claimed (ACLED's own rule) and the disagreement is spelled out in ``notes``. Unknown values
stay empty, never 0.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from strikewatch.errors import UserError
from strikewatch.records import Incident
from strikewatch.store import schema as t
from strikewatch.store.filters import in_chunks
from strikewatch.store.rows import HARM_FIELDS, claimed_range, lowest_killed

if TYPE_CHECKING:
    from strikewatch.store.store import Store

FORMATS = ("table", "json", "csv", "geojson", "acled")

CSV_COLUMNS = [
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "type",
    "sub_type",
    "location",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "actors",
    "targets",
    "grade",
    "grade_reason",
    "contested",
    "contradictions",
    "killed_min",
    "killed_max",
    "civilians_killed_min",
    "civilians_killed_max",
    "children_killed_min",
    "children_killed_max",
    "injured_min",
    "injured_max",
    "n_events",
    "n_documents",
    "documents",
    "stances",
]

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
]

_COUNTRIES: dict[str, str] | None = None


def country_name(code: str | None) -> str | None:
    """ACLED names countries in full ("Syria"); the records carry ISO codes."""
    global _COUNTRIES
    if code is None:
        return None
    if _COUNTRIES is None:
        _COUNTRIES = json.loads(Path(__file__).with_name("countries.json").read_text(encoding="utf-8"))
    return _COUNTRIES.get(code.upper(), code)


def claim_values(incident: Incident, field: str) -> list[Any]:
    """Distinct values the sources give for one field, in the order first claimed."""
    out: list[Any] = []
    for c in incident.claims:
        if c.field == field and c.value is not None and c.modality not in ("denied",) and c.value not in out:
            out.append(c.value)
    return out


def contradiction_text(incident: Incident) -> str:
    """``target: ISIS (Ministry) vs rebels (council)``, one clause per field, ``; ``-separated."""
    parts = []
    for con in incident.contradictions:
        vals = " vs ".join(f"{v.value}" + (f" ({v.speaker})" if v.speaker else "") for v in con.values)
        parts.append(f"{con.field}: {vals}")
    return "; ".join(parts)


def time_precision(incident: Incident) -> int | None:
    """ACLED's time_precision: 1 a day, 2 within a week, 3 within a month or longer."""
    d = incident.date
    if not d.start:
        return None
    end = d.end or d.start
    days = (date.fromisoformat(end) - date.fromisoformat(d.start)).days
    if d.precision == "day" or days == 0:
        return 1
    if d.precision == "week" or days <= 7:
        return 2
    return 3


def csv_row(incident: Incident) -> dict[str, Any]:
    loc = incident.location
    return {
        "id": incident.id,
        "date_start": incident.date.start,
        "date_end": incident.date.end or incident.date.start,
        "date_precision": incident.date.precision,
        "type": incident.type,
        "sub_type": incident.sub_type,
        "location": loc.name,
        "country": loc.country,
        "admin1": loc.admin1,
        "latitude": loc.lat,
        "longitude": loc.lon,
        "geo_precision": loc.precision,
        "actors": "; ".join(incident.actors),
        "targets": "; ".join(str(v) for v in claim_values(incident, "target")),
        "grade": incident.grade,
        "grade_reason": incident.grade_reason,
        "contested": "true" if incident.contested else "false",
        "contradictions": contradiction_text(incident),
        "killed_min": lowest_killed(incident),
        **harm_columns(incident),
        "n_events": len(incident.events),
        "n_documents": len(incident.documents),
        "documents": " ".join(incident.documents),
        "stances": "; ".join(f"{a}: {v}" for a, v in incident.stances.items()),
    }


def harm_columns(incident: Incident) -> dict[str, int | None]:
    """``<field>_min`` / ``<field>_max`` of the tolls the sources give (store.rows.claimed_range);
    killed_min is ACLED's number, above: the lowest undisputed one."""
    out: dict[str, int | None] = {}
    for name in HARM_FIELDS:
        fused = getattr(incident, name, None) or {}  # fusion's range over the sources, when it made one
        low, high = (fused.get("min"), fused.get("max")) if fused else claimed_range(incident, name)
        if name != "killed":
            out[f"{name}_min"] = low
        out[f"{name}_max"] = high
    return out


def sources_of(store: Store, incidents: Sequence[Incident]) -> dict[str, dict[str, Any]]:
    """doc_id -> {outlet, kind, copy_of, published} for the documents behind these incidents."""
    ids = sorted({d for i in incidents for d in i.documents})
    out: dict[str, dict[str, Any]] = {}
    d = t.documents
    with store.engine.connect() as conn:
        for chunk in in_chunks(ids):
            for r in conn.execute(
                sa.select(d.c.id, d.c.outlet, d.c.kind, d.c.copy_of, d.c.published).where(d.c.id.in_(chunk))
            ):
                out[r.id] = dict(r._mapping)
    return out


def source_name(doc: dict[str, Any]) -> str:
    """How a source is named in ACLED's `source`: its outlet, else its web site, else its title, else id."""
    if doc.get("outlet"):
        return str(doc["outlet"])
    host = urlsplit(doc.get("url") or "").hostname
    if host:
        return host.removeprefix("www.")
    return str(doc.get("title") or f"document {doc.get('id')}")


def acled_row(incident: Incident, sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    loc = incident.location
    actor_disputed = any(c.field == "actor" for c in incident.contradictions)
    targets = claim_values(incident, "target")
    docs = [sources.get(d, {"id": d}) for d in incident.documents]
    outlets = list(dict.fromkeys(source_name(s) for s in docs))
    kinds = sorted({s["kind"] for s in docs if s.get("kind")})
    when = incident.date.start
    notes = []
    if when:
        who = incident.actors[0] if incident.actors else "an unidentified actor"
        where = f" in {loc.name}" if loc.name else ""
        notes.append(f"On {when}, {incident.sub_type.lower()} by {who}{where}.")
    notes.append(f"Grade: {incident.grade}." + (f" {incident.grade_reason}" if incident.grade_reason else ""))
    civ = incident.civilians_killed
    if isinstance(civ, dict) and civ.get("min") is not None:
        span = str(civ["min"]) if civ["min"] == civ.get("max") else f"{civ['min']}-{civ['max']}"
        notes.append(f"Civilians killed: {span} (over the sources).")
    disagreements = contradiction_text(incident)
    if disagreements:
        notes.append(f"Sources disagree on {disagreements}.")
    killed = claim_values(incident, "killed")
    if len(killed) > 1:
        notes.append("Tolls claimed: " + ", ".join(str(k) for k in killed) + "; fatalities is the lowest.")
    tags = [f"grade: {incident.grade}"]
    if incident.contested:
        tags.append("contested")
    if kinds:
        tags.append("sources: " + ", ".join(kinds))
    return {
        "event_id_cnty": incident.id,
        "event_date": when,
        "year": when[:4] if when else None,
        "time_precision": time_precision(incident),
        "event_type": incident.type,
        "sub_event_type": incident.sub_type,
        "actor1": incident.actors[0] if incident.actors else None,
        "assoc_actor_1": "; ".join(incident.actors[1:])
        if len(incident.actors) > 1 and not actor_disputed
        else None,
        "actor2": str(targets[0]) if targets else None,
        "country": country_name(loc.country),
        "admin1": loc.admin1,
        "location": loc.name,
        "latitude": loc.lat,
        "longitude": loc.lon,
        "geo_precision": loc.precision,
        "source": "; ".join(o for o in outlets if o),
        "source_scale": None,  # ACLED's geographic scale of a source is not something the reports tell us
        "notes": " ".join(notes),
        "fatalities": lowest_killed(incident),
        "tags": "; ".join(tags),
    }


def geojson(incidents: Iterable[Incident]) -> dict[str, Any]:
    """A FeatureCollection: one Point per placed incident (null geometry when the place is unknown)."""
    return {"type": "FeatureCollection", "features": [incident_feature(inc) for inc in incidents]}


def incident_feature(inc: Incident) -> dict[str, Any]:
    """One incident as a GeoJSON Feature: the CSV's columns, with lists as lists. The CLI's and the API's
    GeoJSON (and the dashboard's map) are this one flattening, so they agree field for field."""
    loc = inc.location
    geometry = (
        {"type": "Point", "coordinates": [loc.lon, loc.lat]}
        if loc.lat is not None and loc.lon is not None
        else None
    )
    props = csv_row(inc)
    props.pop("latitude")
    props.pop("longitude")
    props["actors"] = list(inc.actors)
    props["documents"] = list(inc.documents)
    props["contested"] = bool(inc.contested)
    props["contradictions"] = [c.to_dict() for c in inc.contradictions]
    return {"type": "Feature", "id": inc.id, "geometry": geometry, "properties": props}


def _csv_value(value: Any) -> Any:
    return "" if value is None else value


def write_incidents(store: Store, incidents: Sequence[Incident], fmt: str, out: IO[str]) -> None:
    """Write `incidents` to `out` in one of FORMATS."""
    if fmt not in FORMATS:
        raise UserError(f"--format takes one of {', '.join(FORMATS)}, not {fmt!r}.")
    if fmt == "json":
        json.dump(
            {"count": len(incidents), "incidents": [i.to_dict() for i in incidents]},
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
    elif fmt == "geojson":
        json.dump(geojson(incidents), out, ensure_ascii=False)
        out.write("\n")
    elif fmt in ("csv", "acled"):
        columns = CSV_COLUMNS if fmt == "csv" else ACLED_COLUMNS
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        sources = sources_of(store, incidents) if fmt == "acled" else {}
        for inc in incidents:
            row = csv_row(inc) if fmt == "csv" else acled_row(inc, sources)
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
    else:
        write_table(incidents, out)


def write_table(incidents: Sequence[Incident], out: IO[str]) -> None:
    """A readable table (rich) for the terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, title=f"{len(incidents)} incidents" if incidents else "no incidents")
    for name in ("date", "type", "place", "actors", "grade", "killed", "docs", "id"):
        table.add_column(name, overflow="fold")
    for inc in incidents:
        d = inc.date
        when = d.start or "?"
        if d.end and d.end != d.start:
            when = f"{when}..{d.end}"
        # A place the gazetteer could not resolve shows the report's own words, quoted.
        place = inc.location.name or (f'"{inc.location.text}"' if inc.location.text else "?")
        if inc.location.country:
            place += f" ({inc.location.country})"
        grade = inc.grade + (" !" if inc.contested and inc.grade != "contested" else "")
        killed = lowest_killed(inc)
        table.add_row(
            when,
            inc.sub_type,
            place,
            ", ".join(inc.actors) or "?",
            grade,
            "" if killed is None else str(killed),
            str(len(inc.documents)),
            inc.id,
        )
    Console(file=out, width=None if is_terminal(out) else 160, soft_wrap=False).print(table)


def is_terminal(stream: IO[str]) -> bool:
    """A terminal gets tables at its own width; a pipe or file a fixed, wide one."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
