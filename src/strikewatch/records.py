"""Record types shared by every pipeline stage.

Each stage (ingest, extract, geo, fuse, store, api) takes and returns these plain dataclasses, so any
stage can be used from Python without a database. ``to_dict()`` serialises exactly the JSON of
``docs/schema.md`` (the CONTRACT's event and incident); fields beyond the contract are additions, never
renames. Unknown values are ``None`` (JSON ``null``), never a guess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, Literal

EventType = Literal[
    "Explosions/Remote violence",
    "Battles",
    "Violence against civilians",
    "Strategic developments",
    "Protests",
    "Riots",
]
Modality = Literal["asserted", "claimed", "reported", "denied", "disputed"]
Precision = Literal["day", "range", "week", "month", "year"]
Grade = Literal["confirmed", "fair", "weak", "contested", "discounted"]
SourceKind = Literal["news", "blog", "military", "government", "ngo", "social", "comment"]

SOURCE_KINDS: tuple[str, ...] = ("news", "blog", "military", "government", "ngo", "social", "comment")


def _plain(value: Any) -> Any:
    """JSON-ready copy: dates become ISO strings, dataclasses dicts."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None):  # noqa: ANN206 - returns cls
        if data is None:
            return None
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Document(_Record):
    """One report as read: an article, a release, a blog post, one reader comment, a social post."""

    id: str
    text: str
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    kind: str | None = None  # one of SOURCE_KINDS, or None when unknown
    parent_id: str | None = None  # a comment's article
    source: str | None = None  # file path or URL it was read from
    published_from: str | None = None  # "given" | "metadata" | "dateline" | None: why we trust `published`
    copy_of: str | None = None  # the original this is a near-copy of: not an independent source

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Document | None:
        if data is None:
            return None
        doc = super().from_dict(data)
        if isinstance(doc.published, str):
            doc.published = date.fromisoformat(doc.published[:10])
        return doc


@dataclass
class DateSpan(_Record):
    start: str | None = None  # YYYY-MM-DD
    end: str | None = None
    precision: str | None = None  # day | range | week | month | year
    text: str | None = None


@dataclass
class Actor(_Record):
    text: str | None = None
    name: str | None = None
    country: str | None = None


@dataclass
class Target(_Record):
    text: str | None = None
    name: str | None = None


@dataclass
class Location(_Record):
    text: str | None = None
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None  # ACLED geo_precision: 1 place, 2 near/small area, 3 region
    gazetteer_id: str | None = None


@dataclass
class PlaceRef(_Record):
    """One place a document mentions (``extract --places``): as written, in the document's offsets, with
    the gazetteer's reading, or ``location`` null when the gazetteer cannot place it (or geocoding is off)."""

    text: str
    name: str
    start: int
    end: int
    location: Location | None = None


@dataclass
class Quantities(_Record):
    strikes: int | None = None
    engagements: int | None = None
    sorties: int | None = None


@dataclass
class Effect(_Record):
    verb: str
    count: int | None
    object: str


@dataclass
class Fatalities(_Record):
    killed: int | None = None
    injured: int | None = None
    civilians_killed: int | None = None
    children_killed: int | None = None
    whose: str | None = None


@dataclass
class Claim(_Record):
    speaker: str | None = None
    modality: str = "asserted"


@dataclass
class Evidence(_Record):
    sentence: str
    start: int
    end: int
    # Where a value came from outside the sentence (the release lead that dates the lines below it, an
    # earlier sentence of the paragraph): that sentence's offsets in the document, else None.
    context_start: int | None = None
    context_end: int | None = None


@dataclass
class Event(_Record):
    """One mention of something that happened, in one document (CONTRACT.md "An event")."""

    id: str
    doc_id: str
    type: str
    sub_type: str
    date: DateSpan = field(default_factory=DateSpan)
    actor: Actor = field(default_factory=Actor)
    target: Target = field(default_factory=Target)
    location: Location = field(default_factory=Location)
    quantities: Quantities = field(default_factory=Quantities)
    effects: list[Effect] = field(default_factory=list)
    fatalities: Fatalities = field(default_factory=Fatalities)
    claim: Claim = field(default_factory=Claim)
    evidence: Evidence = field(default_factory=lambda: Evidence("", 0, 0))

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Event | None:
        if data is None:
            return None
        return cls(
            id=data["id"],
            doc_id=data["doc_id"],
            type=data["type"],
            sub_type=data["sub_type"],
            date=DateSpan.from_dict(data.get("date")) or DateSpan(),
            actor=Actor.from_dict(data.get("actor")) or Actor(),
            target=Target.from_dict(data.get("target")) or Target(),
            location=Location.from_dict(data.get("location")) or Location(),
            quantities=Quantities.from_dict(data.get("quantities")) or Quantities(),
            effects=[Effect.from_dict(e) for e in data.get("effects") or []],
            fatalities=Fatalities.from_dict(data.get("fatalities")) or Fatalities(),
            claim=Claim.from_dict(data.get("claim")) or Claim(),
            evidence=Evidence.from_dict(data.get("evidence")) or Evidence("", 0, 0),
        )


@dataclass
class NegativeReport(_Record):
    """A document's statement that nothing happened ("no reported strikes in Syria on April 5")."""

    doc_id: str
    country: str | None
    date: DateSpan
    evidence: Evidence


@dataclass
class Extraction(_Record):
    """What `extract` returns for one document: the document's events and negative reports."""

    document: Document
    events: list[Event] = field(default_factory=list)
    negatives: list[NegativeReport] = field(default_factory=list)
    places: list[PlaceRef] | None = None  # every place mentioned, when asked for (``extract --places``)

    def to_dict(self) -> dict[str, Any]:
        d = self.document
        out = {
            "id": d.id,
            "published": d.published.isoformat() if d.published else None,
            "outlet": d.outlet,
            "url": d.url,
            "title": d.title,
            "kind": d.kind,
            "parent_id": d.parent_id,
            "events": [e.to_dict() for e in self.events],
            "negatives": [n.to_dict() for n in self.negatives],
        }
        if self.places is not None:
            out["places"] = [p.to_dict() for p in self.places]
        return out


@dataclass
class IncidentClaim(_Record):
    """One source's value for one field of an incident."""

    doc_id: str
    speaker: str | None
    field: str  # actor | target | killed | civilians_killed | children_killed | injured | count | ...
    value: Any
    modality: str = "asserted"
    event_id: str | None = None


@dataclass
class ContradictionValue(_Record):
    value: Any
    speaker: str | None
    doc_id: str | None = None


@dataclass
class Contradiction(_Record):
    field: str
    values: list[ContradictionValue] = field(default_factory=list)


@dataclass
class Incident(_Record):
    """One real-world occurrence fused from one or more events (CONTRACT.md "An incident")."""

    id: str
    type: str
    sub_type: str
    date: DateSpan = field(default_factory=DateSpan)
    location: Location = field(default_factory=Location)
    actors: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    claims: list[IncidentClaim] = field(default_factory=list)
    contested: bool = False
    contradictions: list[Contradiction] = field(default_factory=list)
    grade: str = "weak"
    grade_reason: str | None = None
    # The Airwars view: each toll as {"min", "max"} over the sources that assert one (None: none says).
    killed: dict[str, int] | None = None
    civilians_killed: dict[str, int] | None = None
    children_killed: dict[str, int] | None = None
    injured: dict[str, int] | None = None
    # each belligerent named: "acknowledged" (its own voice asserts it), "denied" (its own voice denies
    # or disputes it) or "silent" (no statement of its own among these reports)
    stances: dict[str, str] = field(default_factory=dict)
    # a source disputing another's account: {"by", "doc_id", "cue", "sentence", "disputed": {"speaker",
    # "doc_id", "claims": [{"field", "value"}]}}
    disputes: list[dict[str, Any]] = field(default_factory=list)
    # negative reports of the acting party that speak against it: {"doc_id", "speaker", "country",
    # "date", "sentence"}
    negatives: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ControlPeriod(_Record):
    """Who held a place from one date on, and the events that say so.

    ``stative`` lists the events whose sentences say who held the place then ("the ISIS-held town");
    ``fighting`` the clashes reported inside it while the period lasted; ``contested`` is true when
    sources disagree on the holder within the period or fighting is reported there."""

    place: Location
    holder: str | None
    since: str | None
    until: str | None = None
    events: list[str] = field(default_factory=list)
    stative: list[str] = field(default_factory=list)
    fighting: list[str] = field(default_factory=list)
    contested: bool = False
    others: list[str] = field(default_factory=list)  # other holders sources name within the period
