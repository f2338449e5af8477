"""The filters shared by the incident and event views, as SQLAlchemy conditions for either back end.

since/until   ISO dates; a record matches when its date range overlaps [since, until]
bbox          (west, south, east, north) in degrees
near          (lat, lon, km): within km of a point (equirectangular distance, exact enough at these scales)
actor         case-insensitive part of an actor's canonical name
belligerent   the acting party: an incident's first actor, exactly (an event: its incident's)
type          an event type or sub-type ("Battles", "Air/drone strike")
grade         one grade or several separated by commas (an event: its incident's grade)
contested     True / False (an event: its incident's)
outlet        a source's outlet, exactly but for case (an incident: one of its documents')
q             full text over the documents' title and text (SQLite FTS5; PostgreSQL tsvector + GIN)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from strikewatch.errors import UserError
from strikewatch.store import schema as t

KM_PER_DEGREE = 111.195
GRADES = ("confirmed", "fair", "weak", "contested", "discounted")
FILTERS = ("since", "until", "bbox", "near", "actor", "belligerent", "type", "grade", "contested", "q",
           "doc_id", "outlet")


def _iso(value: Any, name: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise UserError(f"{name} takes a date as YYYY-MM-DD, not {value!r}.") from None


def search_terms(q: str) -> list[list[str]]:
    """The terms of a search, each a list of words: ``"no civilian"`` in double quotes is one phrase
    (its words in that order), every other word a term of its own ("al-Bab": its parts in that order).
    Every term must match. Words are
    only words: a bare AND, OR, NOT or NEAR is searched for like any other word, never an operator."""
    terms: list[list[str]] = []
    for phrase, rest in re.findall(r'"([^"]*)"?|([^"\s]+)', q):
        if phrase:
            words = re.findall(r"\w+", phrase)
            if words:
                terms.append(words)
        else:
            words = re.findall(r"\w+", rest)
            if words:
                terms.append(words)  # "al-Bab" is the phrase al bab
    return terms


def fts_doc_ids(q: str, dialect: str) -> sa.Select:
    """Ids of documents whose title or text matches every term of `q` (see search_terms)."""
    d = t.documents
    terms = search_terms(q)
    if not terms:
        return sa.select(d.c.id).where(sa.false())
    if dialect == "postgresql":
        parts = []
        binds: dict[str, str] = {}
        for i, words in enumerate(terms):
            binds[f"fts_{i}"] = " ".join(words)
            parts.append(f"phraseto_tsquery('english', :fts_{i})")
        cond = sa.text(
            "to_tsvector('english'::regconfig, coalesce(documents.title, '') || ' ' || "
            "left(documents.text, 400000))"
            " @@ (" + " && ".join(parts) + ")"
        ).bindparams(**binds)
        return sa.select(d.c.id).where(cond)
    match = " ".join('"' + " ".join(words) + '"' for words in terms)
    rowids = (
        sa.text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :fts_q")
        .bindparams(fts_q=match)
        .columns(rowid=sa.Integer)
    )
    return sa.select(d.c.id).where(d.c.pk.in_(rowids))


def _contains(column: sa.ColumnElement, value: str, dialect: str) -> sa.ColumnElement:
    """Case-insensitive `value in column`. SQLite's LIKE already ignores ASCII case, as its lower() folds
    ASCII only, so lower() is left out there: the same matches without a function call per row."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if dialect == "sqlite":
        return column.like(f"%{escaped}%", escape="\\")
    return sa.func.lower(column).like(f"%{escaped}%", escape="\\")


def _same(column: sa.ColumnElement, value: str, dialect: str) -> sa.ColumnElement:
    """Case-insensitive equality; on SQLite a NOCASE comparison (ASCII folding, like its lower())."""
    if dialect == "sqlite":
        return sa.collate(column, "NOCASE") == value.lower()
    return sa.func.lower(column) == value.lower()


def conditions(table: sa.Table, dialect: str, **filters: Any) -> list[sa.ColumnElement]:
    """WHERE conditions on the incidents or events table for the filters given (None means no filter)."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise UserError(f"unknown filter {sorted(unknown)[0]!r}; use one of {', '.join(FILTERS)}.")
    c = table.c
    is_incident = table is t.incidents
    out: list[sa.ColumnElement] = []
    if filters.get("since") is not None:
        out.append(sa.func.coalesce(c.date_end, c.date_start) >= _iso(filters["since"], "since"))
    if filters.get("until") is not None:
        out.append(c.date_start <= _iso(filters["until"], "until"))
    bbox = filters.get("bbox")
    if bbox is not None:
        west, south, east, north = _floats(bbox, 4, "bbox")
        out.append(c.lat.between(south, north))
        out.append(c.lon.between(west, east) if west <= east else sa.or_(c.lon >= west, c.lon <= east))
    near = filters.get("near")
    if near is not None:
        lat0, lon0, km = _floats(near, 3, "near")
        dlat = km / KM_PER_DEGREE
        coslat = max(math.cos(math.radians(lat0)), 1e-6)
        dlon = dlat / coslat
        # The box first, so the lat/lon index does the work; then the circle.
        out.append(c.lat.between(lat0 - dlat, lat0 + dlat))
        out.append(c.lon.between(lon0 - dlon, lon0 + dlon))
        dx = (c.lon - lon0) * coslat
        dy = c.lat - lat0
        out.append(dx * dx + dy * dy <= dlat * dlat)
    actor = filters.get("actor")
    if actor:
        out.append(_contains(c.actors if is_incident else c.actor, str(actor), dialect))
    typ = filters.get("type")
    if typ:
        out.append(sa.or_(_same(c.type, str(typ), dialect), _same(c.sub_type, str(typ), dialect)))
    grade = filters.get("grade")
    contested = filters.get("contested")
    graded: list[sa.ColumnElement] = []
    if grade:
        grades = [g.strip().lower() for g in (grade.split(",") if isinstance(grade, str) else grade)]
        bad = [g for g in grades if g and g not in GRADES]
        if bad:
            raise UserError(f"grade takes {', '.join(GRADES)} (several separated by commas), not {bad[0]!r}.")
        graded.append(t.incidents.c.grade.in_([g for g in grades if g]))
    if contested is not None:
        graded.append(t.incidents.c.contested == _bool(contested))
    belligerent = filters.get("belligerent")
    if belligerent:
        name = str(belligerent).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        graded.append(t.incidents.c.actors.like(f"|{name}|%", escape="\\"))
    if graded and is_incident:
        out.extend(graded)
    elif graded:
        # An event takes the grade of the incident it was fused into (the charts' counts of events and
        # strikes then follow the dashboard's grade and contested filters).
        m = t.incident_members
        out.append(c.id.in_(sa.select(m.c.event_id).join(t.incidents, t.incidents.c.id == m.c.incident_id)
                            .where(*graded)))
    q = filters.get("q")
    doc_id = filters.get("doc_id")
    members = t.incident_members
    if q:
        docs = fts_doc_ids(str(q), dialect)
        if is_incident:
            text_match = c.id.in_(sa.select(members.c.incident_id).where(members.c.doc_id.in_(docs)))
            out.append(
                sa.or_(
                    text_match,
                    _contains(c.location_name, str(q), dialect),
                    _contains(c.actors, str(q), dialect),
                )
            )
        else:
            out.append(c.doc_id.in_(docs))
    outlet = filters.get("outlet")
    if outlet:
        by_outlet = sa.select(t.documents.c.id).where(_same(t.documents.c.outlet, str(outlet), dialect))
        if is_incident:
            cond = c.id.in_(sa.select(members.c.incident_id).where(members.c.doc_id.in_(by_outlet)))
            if dialect == "sqlite":
                # A big outlet's ten thousand ids would otherwise drive a page: each row opened for its
                # date, then sorted. Said to be likely, the list's index is walked in order instead.
                cond = sa.func.likelihood(cond, sa.literal_column("0.5"))
            out.append(cond)
        else:
            out.append(c.doc_id.in_(by_outlet))
    if doc_id:
        if is_incident:
            out.append(c.id.in_(sa.select(members.c.incident_id).where(members.c.doc_id == doc_id)))
        else:
            out.append(c.doc_id == doc_id)
    return out


def _floats(value: Any, n: int, name: str) -> list[float]:
    if isinstance(value, str):
        value = value.split(",")
    try:
        nums = [float(v) for v in value]
    except (TypeError, ValueError):
        nums = []
    if len(nums) != n or not all(math.isfinite(x) for x in nums):
        raise UserError(f"{name} takes {n} numbers separated by commas.")
    return nums


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("1", "true", "yes", "y"):
            return True
        if low in ("0", "false", "no", "n"):
            return False
        raise UserError(f"contested takes true or false, not {value!r}.")
    return bool(value)


def in_chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    """Split long IN lists: SQLite caps the number of bound parameters."""
    return [values[i : i + size] for i in range(0, len(values), size)]
