"""Shapes the API returns: GeoJSON features and the incident dossier, built from the Store's records.

Kept free of FastAPI so they can be tested and reused from Python. Every string from a report is
passed through as data; the dashboard renders it as text.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from strikewatch.store import Store

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


def incident_feature(incident: Any) -> dict[str, Any]:
    """One incident (record or dict) as a GeoJSON Feature: the same flattening as the CLI's
    ``incidents --format geojson`` (strikewatch.store.export.incident_feature); geometry is null when the
    place is unknown."""
    from strikewatch.records import Incident
    from strikewatch.store.export import incident_feature as flatten
    from strikewatch.store.rows import incident_from_dict

    if not isinstance(incident, Incident):
        incident = incident_from_dict(plain(incident))
    return flatten(incident)


HARM_LABELS = {"killed": "killed", "civilians_killed": "civilians killed",
               "children_killed": "children killed", "injured": "injured"}


def harm(incident: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Civilian harm as ranges with who says what: one row per toll (killed, civilians killed, children
    killed, injured), ``min``/``max`` null (unknown) when no source gives a number. Reads the incident's
    own ``harm`` when fusion provides one, else the sources' claims."""
    own = incident.get("harm")
    if isinstance(own, list) and own:
        return [dict(r) for r in own]
    rows = []
    for name, label in HARM_LABELS.items():
        said = [{"value": c.get("value"), "speaker": c.get("speaker"), "doc_id": c.get("doc_id"),
                 "modality": c.get("modality")}
                for c in incident.get("claims") or [] if c.get("field") == name]
        numbers = [c["value"] for c in said
                   if isinstance(c["value"], int) and not isinstance(c["value"], bool)
                   and c.get("modality") != "denied"]
        rows.append({"field": name, "label": label, "min": min(numbers) if numbers else None,
                     "max": max(numbers) if numbers else None, "claims": said})
    whose = [c.get("value") for c in incident.get("claims") or []
             if c.get("field") == "whose" and c.get("value")]
    if whose:
        rows[0]["whose"] = sorted({str(w) for w in whose})
    return rows


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


def document_headers(store: Store, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """The first lines and title of these documents: where an outlet-less source names its issuer."""
    import sqlalchemy as sa

    from strikewatch.store import schema as t

    ids = list(ids)
    if not ids:
        return {}
    d = t.documents
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(d.c.id, sa.func.substr(d.c.text, 1, 1200).label("head"), d.c.title)
                            .where(d.c.id.in_(ids[:200])))
        return {r.id: (r.head or "", r.title) for r in rows}


def source_name(doc: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """How the dashboard names a source, and from what: its outlet; else the issuer its header names
    ("Ministry of Defence of ..."); else its web site; else its title. (None, None) when nothing names
    it: the dashboard then says "unnamed source", never an id."""
    from urllib.parse import urlsplit

    if doc.get("outlet"):
        return str(doc["outlet"]), "outlet"
    if doc.get("header_text"):
        from strikewatch.ingest.dateline import find_issuer

        issuer = find_issuer(doc["header_text"], doc.get("title"))
        if issuer:
            return issuer, "dateline"
    try:
        host = urlsplit(doc.get("url") or "").hostname
    except ValueError:
        host = None
    if host:
        return host.removeprefix("www."), "site"
    if doc.get("title"):
        return str(doc["title"]), "title"
    return None, None


@functools.lru_cache(maxsize=8192)
def speaker_actor(speaker: str | None) -> str | None:
    """The canonical actor a speaker stands for ("Russian Ministry of Defence" -> Russia), so that one
    body under several spellings reads as one; None when the actor lexicon does not know it."""
    if not speaker:
        return None
    from strikewatch.extract.lexicon import lexicon

    lex = lexicon()
    entry = lex.actor_for(speaker)
    if entry is not None:
        return entry.name
    low = " ".join(speaker.split()).lower()
    if low in lex.speaker_aliases:
        return lex.speaker_aliases[low]
    # "Republic of Iraq - Ministry of Defence", "Russia's defence ministry": the phrase opens with a
    # name the lexicon knows (the longest one wins).
    best = None
    for table in (lex.speaker_aliases, lex.alias_to_actor):
        for alias, name in table.items():
            if low.startswith(alias) and not low[len(alias):len(alias) + 1].isalnum() \
                    and (best is None or len(alias) > len(best[0])):
                best = (alias, name)
    return best[1] if best else None


def _document_meta(doc: Mapping[str, Any] | None, doc_id: str) -> dict[str, Any]:
    doc = doc or {}
    keys = ("outlet", "kind", "published", "url", "title", "author", "parent_id", "copy_of")
    meta = {"doc_id": doc_id, **{k: doc.get(k) for k in keys}}
    meta["name"], meta["named_from"] = source_name(doc)
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
    for c in contradictions:
        for v in c.get("values") or []:
            v["speaker_actor"] = speaker_actor(v.get("speaker"))
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
        claims = [{**c, "contradicted": _is_contradicted(c, contradictions),
                   "speaker_actor": speaker_actor(c.get("speaker"))}
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
        sources.append({**_document_meta(doc, doc_id), "speakers": speakers,
                        "speaker_actors": {sp: speaker_actor(sp) for sp in speakers if speaker_actor(sp)},
                        "claims": claims, "evidence": evidence})
    docs_out = []
    for d in doc_ids:
        if documents.get(d):
            meta = {k: v for k, v in plain(documents[d]).items() if k != "header_text"}
            meta["name"], meta["named_from"] = source_name(documents[d])
            docs_out.append(meta)
    out = {**{k: plain(v) for k, v in (extra or {}).items()}, "incident": incident, "events": events,
           "sources": sources, "documents": docs_out, "harm": harm(incident)}
    return out


def basemap_places(limit: int = 400) -> list[dict[str, Any]]:
    """Cities, towns and capitals of the gazetteer around Syria and Iraq, biggest first, each with the
    zoom from which the offline basemap labels it (``minzoom``). Read straight from the packaged TSV:
    no need to build the geocoder's indexes for a few hundred labels."""
    return list(_basemap_places(limit))


@functools.cache
def _basemap_places(limit: int) -> tuple[dict[str, Any], ...]:
    import csv
    import gzip
    from importlib import resources

    west, south, east, north = 25.0, 24.0, 60.0, 42.0
    out = []
    with resources.files("strikewatch.geo").joinpath("data/gazetteer.tsv.gz").open("rb") as raw, \
            gzip.open(raw, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["feature"] not in ("capital", "city", "town"):
                continue
            try:
                lat, lon, pop = float(row["lat"]), float(row["lon"]), int(float(row["population"] or 0))
            except ValueError:
                continue
            if not (south <= lat <= north and west <= lon <= east):
                continue
            minzoom = 5 if pop >= 1_000_000 or row["feature"] == "capital" else 6 if pop >= 250_000 else \
                7 if pop >= 60_000 else 8
            out.append({"name": row["name"], "country": row["country"], "lat": lat, "lon": lon,
                        "population": pop or None, "feature": row["feature"], "minzoom": minzoom})
    out.sort(key=lambda p: (-(p["population"] or 0), p["name"]))
    return tuple(out[:limit])


def control_map(store: Store, on: str) -> list[dict[str, Any]]:
    """Each place with reported control: who held it on ``on`` (null before the first report), since
    and until when, and whether an incident behind that period is contested."""
    import sqlalchemy as sa

    from strikewatch.store import schema as t

    current: dict[str, dict[str, Any]] = {}
    for period in store.control_periods():
        key = period["place_key"]
        entry = current.setdefault(key, {**period["place"], "holder": None, "since": None, "until": None,
                                         "events": [], "changes": 0})
        entry["changes"] += 1
        since = plain(period["since"])
        until = plain(period["until"])
        if (since is None or since <= on) and (until is None or until > on):
            entry.update(holder=period["holder"], since=since, until=until, events=list(period["events"]))
    wanted = sorted({e for p in current.values() for e in p["events"]})
    disputed: set[str] = set()
    m, inc = t.incident_members, t.incidents
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            query = sa.select(m.c.event_id).join(inc, inc.c.id == m.c.incident_id).where(
                m.c.event_id.in_(chunk), inc.c.contested.is_(True))
            disputed.update(r.event_id for r in conn.execute(query))
    out = []
    for entry in current.values():
        if entry["lat"] is None or entry["lon"] is None:
            continue
        entry["contested"] = any(e in disputed for e in entry.pop("events"))
        out.append(entry)
    out.sort(key=lambda p: (p["name"] or "", p["country"] or ""))
    return out
