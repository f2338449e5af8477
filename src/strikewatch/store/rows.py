"""Records to rows and back: the JSON of each record plus the indexed columns the views filter on."""

from __future__ import annotations

import json
from typing import Any

from strikewatch.records import (
    Contradiction,
    ContradictionValue,
    DateSpan,
    Document,
    Event,
    Incident,
    IncidentClaim,
    Location,
)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def event_row(event: Event) -> dict[str, Any]:
    d, loc = event.date, event.location
    return {
        "id": event.id,
        "doc_id": event.doc_id,
        "type": event.type,
        "sub_type": event.sub_type,
        "date_start": d.start,
        "date_end": d.end or d.start,
        "date_precision": d.precision,
        "lat": loc.lat,
        "lon": loc.lon,
        "geo_precision": loc.precision,
        "country": loc.country,
        "admin1": loc.admin1,
        "location_name": loc.name,
        "actor": event.actor.name or event.actor.text,
        "target": event.target.name or event.target.text,
        "speaker": event.claim.speaker,
        "modality": event.claim.modality,
        "killed": event.fatalities.killed,
        "data": dumps(event.to_dict()),
    }


def event_from_row(data: str) -> Event:
    return Event.from_dict(json.loads(data))


def lowest_killed(incident: Incident) -> int | None:
    """ACLED's single number: the lowest toll any source claims (denials and disputes aside), which is
    the minimum of the incident's ``killed`` range."""
    if isinstance(incident.killed, dict) and incident.killed.get("min") is not None:
        return int(incident.killed["min"])
    values = [
        c.value
        for c in incident.claims
        if c.field == "killed"
        and isinstance(c.value, int)
        and not isinstance(c.value, bool)
        and c.modality not in ("denied", "disputed")
    ]
    return min(values) if values else None


HARM_FIELDS = ("killed", "civilians_killed", "children_killed", "injured")


def claimed_range(incident: Incident, field: str) -> tuple[int | None, int | None]:
    """The lowest and highest number the sources give for a harm field (a denial gives none; a source
    disputing another's account still gives its own toll); (None, None) when no source gives one:
    unknown, never 0."""
    values = [
        c.value
        for c in incident.claims
        if c.field == field
        and isinstance(c.value, int)
        and not isinstance(c.value, bool)
        and c.modality != "denied"
    ]
    return (min(values), max(values)) if values else (None, None)


def incident_row(incident: Incident) -> dict[str, Any]:
    d, loc = incident.date, incident.location
    return {
        "id": incident.id,
        "type": incident.type,
        "sub_type": incident.sub_type,
        "date_start": d.start,
        "date_end": d.end or d.start,
        "date_precision": d.precision,
        "lat": loc.lat,
        "lon": loc.lon,
        "geo_precision": loc.precision,
        "country": loc.country,
        "admin1": loc.admin1,
        "location_name": loc.name,
        "actors": "|" + "|".join(incident.actors) + "|" if incident.actors else None,
        "grade": incident.grade,
        "contested": bool(incident.contested),
        "n_events": len(incident.events),
        "n_documents": len(incident.documents),
        "killed_min": lowest_killed(incident),
        "data": dumps(incident.to_dict()),
    }


def incident_from_dict(data: dict[str, Any]) -> Incident:
    """Rebuild an Incident with its nested records (the generic from_dict keeps nested dicts)."""
    return Incident(
        id=data["id"],
        type=data["type"],
        sub_type=data["sub_type"],
        date=DateSpan.from_dict(data.get("date")) or DateSpan(),
        location=Location.from_dict(data.get("location")) or Location(),
        actors=list(data.get("actors") or []),
        events=list(data.get("events") or []),
        documents=list(data.get("documents") or []),
        claims=[IncidentClaim.from_dict(c) for c in data.get("claims") or []],
        contested=bool(data.get("contested")),
        contradictions=[
            Contradiction(
                field=c["field"], values=[ContradictionValue.from_dict(v) for v in c.get("values") or []]
            )
            for c in data.get("contradictions") or []
        ],
        grade=data.get("grade") or "weak",
        grade_reason=data.get("grade_reason"),
        killed=data.get("killed"),
        civilians_killed=data.get("civilians_killed"),
        children_killed=data.get("children_killed"),
        injured=data.get("injured"),
        stances=dict(data.get("stances") or {}),
        disputes=list(data.get("disputes") or []),
        negatives=list(data.get("negatives") or []),
    )


def incident_from_row(data: str) -> Incident:
    return incident_from_dict(json.loads(data))


DOC_META = (
    "id",
    "kind",
    "outlet",
    "url",
    "canonical_url",
    "published",
    "published_from",
    "title",
    "author",
    "parent_id",
    "source",
    "copy_of",
    "n_events",
)


def document_from_row(row: Any) -> Document:
    """A Document record from a documents row (copy_of set when the record type has that field)."""
    doc = Document.from_dict(
        {
            "id": row.id,
            "text": row.text,
            "published": row.published,
            "outlet": row.outlet,
            "url": row.url,
            "title": row.title,
            "author": row.author,
            "kind": row.kind,
            "parent_id": row.parent_id,
            "source": row.source,
            "published_from": row.published_from,
        }
    )
    if hasattr(doc, "copy_of"):
        doc.copy_of = row.copy_of
    return doc
