"""Shapes the API returns: GeoJSON features and the incident dossier, built from the Store's records.

Kept free of FastAPI so they can be tested and reused from Python. Every string from a report is
passed through as data; the dashboard renders it as text.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

# Event fields whose words are marked in the evidence sentence: the claimed spans.
MARKED_FIELDS = ("actor", "target", "location", "date")


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def plain(value: Any) -> Any:
    """JSON-ready copy of records, dicts and dates (the Store may hand back either).

    Walks dataclass fields directly (what ``to_dict`` gives, without ``asdict``'s deep copies): the
    list endpoints serialise thousands of incidents per request.
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    return value


def _point(location: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not location:
        return None
    lat, lon = location.get("lat"), location.get("lon")
    if lat is None or lon is None:
        return None
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}


def _summary(incident: Any) -> dict[str, Any]:
    """The parts of an incident (record or dict) a map needs, without serialising its claims."""
    if isinstance(incident, Mapping):
        return incident
    return {"id": incident.id, "type": incident.type, "sub_type": incident.sub_type,
            "location": plain(incident.location), "date": plain(incident.date), "actors": incident.actors,
            "grade": incident.grade, "grade_reason": incident.grade_reason, "contested": incident.contested,
            "events": incident.events, "documents": incident.documents}


def incident_feature(incident: Any) -> dict[str, Any]:
    """One incident (record or dict) as a GeoJSON Feature; geometry is null when the place is unknown."""
    incident = _summary(incident)
    loc = incident.get("location") or {}
    when = incident.get("date") or {}
    props = {
        "id": incident.get("id"),
        "type": incident.get("type"),
        "sub_type": incident.get("sub_type"),
        "date_start": when.get("start"),
        "date_end": when.get("end"),
        "date_precision": when.get("precision"),
        "location": loc.get("name") or loc.get("text"),
        "country": loc.get("country"),
        "admin1": loc.get("admin1"),
        "geo_precision": loc.get("precision"),
        "actors": list(incident.get("actors") or []),
        "grade": incident.get("grade"),
        "grade_reason": incident.get("grade_reason"),
        "contested": bool(incident.get("contested")),
        "n_events": len(incident.get("events") or []),
        "n_documents": len(incident.get("documents") or []),
    }
    return {"type": "Feature", "id": incident.get("id"), "geometry": _point(loc), "properties": props}


def event_feature(event: Mapping[str, Any]) -> dict[str, Any]:
    """One event (a mention in one document) as a GeoJSON Feature."""
    loc = event.get("location") or {}
    when = event.get("date") or {}
    actor = event.get("actor") or {}
    target = event.get("target") or {}
    claim = event.get("claim") or {}
    props = {
        "id": event.get("id"),
        "doc_id": event.get("doc_id"),
        "type": event.get("type"),
        "sub_type": event.get("sub_type"),
        "date_start": when.get("start"),
        "date_end": when.get("end"),
        "location": loc.get("name") or loc.get("text"),
        "country": loc.get("country"),
        "geo_precision": loc.get("precision"),
        "actor": actor.get("name") or actor.get("text"),
        "target": target.get("name") or target.get("text"),
        "speaker": claim.get("speaker"),
        "modality": claim.get("modality"),
        "strikes": (event.get("quantities") or {}).get("strikes"),
        "killed": (event.get("fatalities") or {}).get("killed"),
    }
    return {"type": "Feature", "id": event.get("id"), "geometry": _point(loc), "properties": props}


def feature_collection(features: Iterable[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features), **extra}


def mark_spans(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Offsets (within the evidence sentence) of the words each claimed field came from.

    Overlaps keep the earlier, longer span so the dashboard can lay marks end to end.
    """
    sentence = ((event.get("evidence") or {}).get("sentence")) or ""
    found: list[dict[str, Any]] = []
    lowered = sentence.lower()
    for name in MARKED_FIELDS:
        words = ((event.get(name) or {}).get("text") or "").strip()
        if not words:
            continue
        at = lowered.find(words.lower())
        if at >= 0:
            end = at + len(words)
            found.append({"field": name, "start": at, "end": end, "text": sentence[at:end]})
    found.sort(key=lambda m: (m["start"], -(m["end"] - m["start"])))
    marks: list[dict[str, Any]] = []
    for mark in found:
        if marks and mark["start"] < marks[-1]["end"]:
            continue
        marks.append(mark)
    return marks


def _document_meta(doc: Mapping[str, Any] | None, doc_id: str) -> dict[str, Any]:
    doc = doc or {}
    keys = ("outlet", "kind", "published", "url", "title", "author", "parent_id", "copy_of")
    meta = {"doc_id": doc_id, **{k: doc.get(k) for k in keys}}
    # Copies and comments are not independent sources (they do not raise a grade).
    meta["independent"] = doc.get("independent", not doc.get("copy_of") and doc.get("kind") != "comment")
    return meta


def _is_contradicted(claim: Mapping[str, Any], contradictions: list[Mapping[str, Any]]) -> bool:
    for c in contradictions:
        if c.get("field") != claim.get("field"):
            continue
        for v in c.get("values") or []:
            if v.get("doc_id") == claim.get("doc_id"):
                return True
            if v.get("doc_id") is None and v.get("value") == claim.get("value") \
                    and v.get("speaker") == claim.get("speaker"):
                return True
    return False


def dossier(incident: Mapping[str, Any], events: Iterable[Mapping[str, Any]],
            documents: Mapping[str, Mapping[str, Any]], extra: Mapping[str, Any] | None = None
            ) -> dict[str, Any]:
    """The dossier of one incident: its sources side by side.

    ``sources`` has one entry per document (the columns of the dashboard): the document's metadata, its
    claims (each flagged ``contradicted`` when a contradiction names it) and its evidence sentences with
    the claimed spans marked. ``extra`` carries whatever else the Store adds, untouched.
    """
    incident = plain(incident)
    events = [plain(e) for e in events]
    contradictions = incident.get("contradictions") or []
    doc_ids: list[str] = list(incident.get("documents") or [])
    for e in events:
        if e.get("doc_id") and e["doc_id"] not in doc_ids:
            doc_ids.append(e["doc_id"])
    for c in incident.get("claims") or []:
        if c.get("doc_id") and c["doc_id"] not in doc_ids:
            doc_ids.append(c["doc_id"])
    sources = []
    for doc_id in doc_ids:
        doc = plain(documents.get(doc_id)) if documents.get(doc_id) else None
        claims = [{**c, "contradicted": _is_contradicted(c, contradictions)}
                  for c in incident.get("claims") or [] if c.get("doc_id") == doc_id]
        evidence = []
        for e in events:
            if e.get("doc_id") != doc_id:
                continue
            ev = e.get("evidence") or {}
            evidence.append({"event_id": e.get("id"), "sentence": ev.get("sentence"),
                             "start": ev.get("start"), "end": ev.get("end"), "marks": mark_spans(e),
                             "speaker": (e.get("claim") or {}).get("speaker"),
                             "modality": (e.get("claim") or {}).get("modality")})
        named = [c.get("speaker") for c in claims] + [x["speaker"] for x in evidence]
        speakers = sorted({s for s in named if s})
        sources.append({**_document_meta(doc, doc_id), "speakers": speakers, "claims": claims,
                        "evidence": evidence})
    out = {**{k: plain(v) for k, v in (extra or {}).items()}, "incident": incident, "events": events,
           "sources": sources, "documents": [plain(documents[d]) for d in doc_ids if documents.get(d)]}
    return out
