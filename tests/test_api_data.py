"""A small ledger for the API and dashboard tests, written through the Store's public API.

The reports are the project's own invented sentences (no third-party text). They are handed to the Store
as ready Extractions, so these tests check the API and dashboard over real fusion and a real database
without depending on how well extraction reads prose (the extraction tests do that). One blog post
carries script and event-handler payloads, to prove the dashboard renders report text as text.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from strikewatch.ids import document_id, event_id
from strikewatch.pipeline import ingest
from strikewatch.records import (
    Actor,
    Claim,
    DateSpan,
    Document,
    Event,
    Evidence,
    Extraction,
    Fatalities,
    Location,
    Quantities,
    Target,
)

XSS_SCRIPT = "<script>window.__xss = 1</script>"
XSS_IMG = '<img src=x onerror="window.__xss = 2">'
XSS_OUTLET = "<b onmouseover=alert(1)>Ravine Notes</b>"

# name, country, admin1, lat, lon (approximate coordinates of real places; facts, not text)
PLACES = {
    "Dayr Hafir": ("SY", "Aleppo", 36.157, 37.708),
    "Qayyarah": ("IQ", "Nineveh", 35.800, 43.290),
    "Tabqa": ("SY", "Raqqa", 35.836, 38.548),
    "Al-Bab": ("SY", "Aleppo", 36.370, 37.517),
    "Hit": ("IQ", "Anbar", 33.640, 42.830),
    "Ma'adan": ("SY", "Raqqa", 35.742, 39.618),
}


@dataclass
class Spec:
    """One event in one invented report."""

    sentence: str
    day: str
    place: str
    actor: str
    actor_text: str
    sub_type: str = "Air/drone strike"
    type: str = "Explosions/Remote violence"
    target: str | None = None
    speaker: str | None = None
    modality: str = "asserted"
    strikes: int | None = None
    killed: int | None = None


@dataclass
class Report:
    key: str
    outlet: str
    kind: str
    published: str
    specs: list[Spec]
    url: str | None = None
    title: str | None = None
    preamble: str = "Summary of the day. "
    doc: Document | None = None
    events: list[Event] = field(default_factory=list)


def reports() -> list[Report]:
    """The invented reports: two sources on one strike, a single-source strike, the hostile blog post,
    a town taken and retaken, and strikes spread over six weeks for the timeline."""
    return [
        Report("release", "Task Force Bulletin", "military", "2017-01-04", [
            Spec("On January 3, coalition aircraft conducted two strikes near Dayr Hafir that destroyed a "
                 "fighting position.", "2017-01-03", "Dayr Hafir", "Coalition", "coalition aircraft",
                 target="a fighting position", speaker="Coalition", strikes=2),
        ], title="Strike summary"),
        Report("wire", "Northern Plains Courier", "news", "2017-01-04", [
            Spec("Residents said coalition jets bombed a bakery near Dayr Hafir on Tuesday, killing four "
                 "people.",
                 "2017-01-03", "Dayr Hafir", "Coalition", "coalition jets", target="a bakery",
                 speaker="residents", modality="reported", killed=4),
        ], url="https://courier.example.org/2017/01/dayr-hafir"),
        Report("ministry", "Ministry Statement Desk", "government", "2017-01-11", [
            Spec("Iraqi army aviation struck a weapons cache near Qayyarah on January 10.", "2017-01-10",
                 "Qayyarah", "Iraqi security forces", "Iraqi army aviation", target="a weapons cache",
                 speaker="Iraqi security forces", strikes=1),
        ]),
        Report("council", "Qayyarah Relief Committee", "ngo", "2017-01-12", [
            Spec("The committee said the aircraft struck a farmhouse near Qayyarah on January 10, killing "
                 "two children, and that no weapons were stored there.", "2017-01-10", "Qayyarah",
                 "Iraqi security forces", "the aircraft", target="a farmhouse", speaker="the committee",
                 modality="disputed", killed=2),
        ]),
        Report("blog", XSS_OUTLET, "blog", "2017-01-21", [
            Spec(f"A reader wrote that jets hit a garage near Tabqa {XSS_SCRIPT} on January 20 {XSS_IMG}.",
                 "2017-01-20", "Tabqa", "Coalition", "jets", target="a garage", speaker="a reader",
                 modality="claimed"),
        ], url="javascript:alert(3)"),
        Report("capture", "Northern Plains Courier", "news", "2017-01-26", [
            Spec("Islamic State fighters seized Al-Bab on January 25 after a night of fighting.",
                 "2017-01-25", "Al-Bab", "ISIS", "Islamic State fighters",
                 sub_type="Non-state actor overtakes territory", type="Strategic developments",
                 speaker="Northern Plains Courier", modality="reported"),
        ]),
        Report("retaken", "Ministry Statement Desk", "government", "2017-02-11", [
            Spec("Turkish-backed forces recaptured Al-Bab on February 10, the ministry announced.",
                 "2017-02-10", "Al-Bab", "Turkey", "Turkish-backed forces",
                 sub_type="Government regains territory", type="Strategic developments", speaker="Turkey"),
        ]),
        Report("release2", "Task Force Bulletin", "military", "2017-02-07", [
            Spec("Near Hit, three strikes destroyed a vehicle-borne bomb factory on February 6.",
                 "2017-02-06", "Hit", "Coalition", "three strikes", target="a vehicle-borne bomb factory",
                 speaker="Coalition", strikes=3),
            Spec("Near Ma'adan, one strike destroyed a mortar tube on February 6.", "2017-02-06", "Ma'adan",
                 "Coalition", "one strike", target="a mortar tube", speaker="Coalition", strikes=1),
        ]),
        Report("release3", "Task Force Bulletin", "military", "2017-02-14", [
            Spec("Near Tabqa, two strikes destroyed a checkpoint on February 13.", "2017-02-13", "Tabqa",
                 "Coalition", "two strikes", target="a checkpoint", speaker="Coalition", strikes=2),
        ]),
    ]


def build(report: Report) -> Extraction:
    """The report as a Document and its Events, with evidence offsets into the document's text."""
    text = report.preamble + " ".join(s.sentence for s in report.specs) + "\nEnd of report."
    doc = Document(id=document_id(text, report.url), text=text,
                   published=date.fromisoformat(report.published), outlet=report.outlet, url=report.url,
                   title=report.title, kind=report.kind,
                   source=f"test:{report.key}")
    events = []
    for spec in report.specs:
        start = text.index(spec.sentence)
        end = start + len(spec.sentence)
        country, admin1, lat, lon = PLACES[spec.place]
        loc_text = f"near {spec.place}" if f"near {spec.place}" in spec.sentence else spec.place
        events.append(Event(
            id=event_id(doc.id, start, end, spec.sub_type),
            doc_id=doc.id,
            type=spec.type,
            sub_type=spec.sub_type,
            date=DateSpan(spec.day, spec.day, "day", None),
            actor=Actor(spec.actor_text, spec.actor, None),
            target=Target(spec.target, spec.target),
            location=Location(loc_text, spec.place, country, admin1, lat, lon, 2 if "near" in loc_text else 1,
                              f"test:{spec.place}"),
            quantities=Quantities(strikes=spec.strikes),
            fatalities=Fatalities(killed=spec.killed, whose="civilians" if spec.killed else None),
            claim=Claim(spec.speaker, spec.modality),
            evidence=Evidence(spec.sentence, start, end),
        ))
    report.doc = doc
    report.events = events
    return Extraction(document=doc, events=events)


def build_ledger(url: str) -> dict[str, Any]:
    """Store the invented reports at `url`; returns the reports by key and the open Store."""
    from strikewatch.store import Store

    store = Store(url)
    items = reports()
    summary = ingest(store, [build(r) for r in items])
    assert summary.documents_failed == 0, summary.failures
    return {"store": store, "reports": {r.key: r for r in items}, "summary": summary}


class LiveServer:
    """A real uvicorn server on a free loopback port, in a thread (stopped by `stop()`)."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def bulk_strikes(n: int, *, first_day: str = "2015-01-01", per_day: int = 20, per_document: int = 500,
                 seed: int = 5) -> list[Extraction]:
    """`n` invented strikes at random points of Syria and Iraq, `per_day` a day from `first_day`, in
    releases of `per_document` lines; a tenth of them repeated by a second outlet's report (two
    sources). For the tests that need more incidents than the dashboard shows one by one."""
    import random
    from datetime import timedelta

    rng = random.Random(seed)
    actors = [("Coalition", "coalition aircraft"), ("Russia", "Russian jets")]
    day0 = date.fromisoformat(first_day)
    specs = []
    for k in range(n):
        actor, actor_text = rng.choice(actors)
        iraq = rng.random() < 0.4
        specs.append({"day": (day0 + timedelta(days=k // per_day)).isoformat(), "place": f"Test hamlet {k}",
                      "country": "IQ" if iraq else "SY", "lat": round(rng.uniform(33.0, 36.8), 5),
                      "lon": round(rng.uniform(41.5, 45.0) if iraq else rng.uniform(36.2, 41.2), 5),
                      "actor": actor, "actor_text": actor_text})
    out = []
    for block, start in enumerate(range(0, n, per_document)):
        chunk = specs[start:start + per_document]
        for kind, outlet, lines in (
            ("military", "Bulk Task Force",
             [f"Near {s['place']}, one strike destroyed a fighting position on {s['day']}." for s in chunk]),
            ("news", "Bulk Courier",
             [f"Residents said {s['actor_text']} hit a depot near {s['place']} on {s['day']}."
              for s in chunk[::10]]),
        ):
            used = chunk if kind == "military" else chunk[::10]
            text = f"Bulk report {block} ({kind}).\n" + "\n".join(lines) + "\n"
            doc = Document(id=document_id(text), text=text, published=date.fromisoformat(used[-1]["day"]),
                           outlet=outlet, kind=kind, source=f"test:bulk:{kind}:{block}")
            events = []
            for line, s in zip(lines, used, strict=True):
                at = text.index(line)
                events.append(Event(
                    id=event_id(doc.id, at, at + len(line), "Air/drone strike"), doc_id=doc.id,
                    type="Explosions/Remote violence", sub_type="Air/drone strike",
                    date=DateSpan(s["day"], s["day"], "day", None),
                    actor=Actor(s["actor_text"], s["actor"], None),
                    target=Target("a fighting position", None),
                    location=Location(f"near {s['place']}", s["place"], s["country"], None, s["lat"],
                                      s["lon"], 2, None),
                    quantities=Quantities(strikes=1),
                    claim=Claim(s["actor"] if kind == "military" else "residents",
                                "asserted" if kind == "military" else "reported"),
                    evidence=Evidence(line, at, at + len(line))))
            out.append(Extraction(document=doc, events=events))
    return out
