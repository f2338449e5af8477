"""pandas DataFrames of events, incidents and claims, for analysis in a notebook."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa

from strikewatch.store import schema as t
from strikewatch.store.filters import conditions

if TYPE_CHECKING:
    from strikewatch.store.store import Store

EVENT_COLUMNS = [
    "id",
    "doc_id",
    "type",
    "sub_type",
    "date_start",
    "date_end",
    "date_precision",
    "lat",
    "lon",
    "geo_precision",
    "country",
    "admin1",
    "location_name",
    "actor",
    "target",
    "speaker",
    "modality",
    "killed",
]
INCIDENT_COLUMNS = [
    "id",
    "type",
    "sub_type",
    "date_start",
    "date_end",
    "date_precision",
    "lat",
    "lon",
    "geo_precision",
    "country",
    "admin1",
    "location_name",
    "grade",
    "contested",
    "n_events",
    "n_documents",
    "killed_min",
]


def _dates(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
    for col in cols:
        frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d", errors="coerce")
    return frame


def events_frame(store: Store, **filters: Any) -> pd.DataFrame:
    """One row per event; dates as datetimes, nulls as NaN/None; plus injured/civilians/children killed,
    strikes and the evidence sentence from the full record."""
    ev = t.events
    query = (
        sa.select(*[ev.c[c] for c in EVENT_COLUMNS], ev.c.data)
        .where(*conditions(ev, store.dialect, **filters))
        .order_by(ev.c.date_start, ev.c.id)
    )
    rows = []
    with store.engine.connect() as conn:
        for r in conn.execute(query):
            rec = dict(r._mapping)
            data = json.loads(rec.pop("data"))
            fat = data.get("fatalities") or {}
            rec.update(
                injured=fat.get("injured"),
                civilians_killed=fat.get("civilians_killed"),
                children_killed=fat.get("children_killed"),
                strikes=(data.get("quantities") or {}).get("strikes"),
                sentence=(data.get("evidence") or {}).get("sentence"),
            )
            rows.append(rec)
    cols = [*EVENT_COLUMNS, "injured", "civilians_killed", "children_killed", "strikes", "sentence"]
    return _dates(pd.DataFrame(rows, columns=cols), "date_start", "date_end")


def incidents_frame(store: Store, **filters: Any) -> pd.DataFrame:
    """One row per incident, with actors joined by "; " and the grade's one-line reason."""
    inc = t.incidents
    query = (
        sa.select(*[inc.c[c] for c in INCIDENT_COLUMNS], inc.c.data)
        .where(*conditions(inc, store.dialect, **filters))
        .order_by(inc.c.date_start, inc.c.id)
    )
    rows = []
    with store.engine.connect() as conn:
        for r in conn.execute(query):
            rec = dict(r._mapping)
            data = json.loads(rec.pop("data"))
            rec["contested"] = bool(rec["contested"])
            rec["actors"] = "; ".join(data.get("actors") or [])
            rec["grade_reason"] = data.get("grade_reason")
            rec["contradictions"] = len(data.get("contradictions") or [])
            rows.append(rec)
    cols = [*INCIDENT_COLUMNS, "actors", "grade_reason", "contradictions"]
    return _dates(pd.DataFrame(rows, columns=cols), "date_start", "date_end")


def claims_frame(store: Store, **filters: Any) -> pd.DataFrame:
    """One row per claim (incident, source document, speaker, field, value, modality), with the source's
    outlet and kind; filters select the incidents."""
    c, inc, d = t.claims, t.incidents, t.documents
    query = (
        sa.select(
            c.c.incident_id,
            c.c.doc_id,
            c.c.event_id,
            c.c.speaker,
            c.c.field,
            c.c.value,
            c.c.modality,
            d.c.outlet,
            d.c.kind,
            d.c.copy_of,
        )
        .join(inc, inc.c.id == c.c.incident_id)
        .outerjoin(d, d.c.id == c.c.doc_id)
        .where(*conditions(inc, store.dialect, **filters))
        .order_by(c.c.incident_id, c.c.id)
    )
    rows = []
    with store.engine.connect() as conn:
        for r in conn.execute(query):
            rec = dict(r._mapping)
            rec["value"] = json.loads(rec["value"]) if rec["value"] is not None else None
            rows.append(rec)
    cols = [
        "incident_id",
        "doc_id",
        "event_id",
        "speaker",
        "field",
        "value",
        "modality",
        "outlet",
        "kind",
        "copy_of",
    ]
    return pd.DataFrame(rows, columns=cols)
