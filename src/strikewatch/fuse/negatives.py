"""Negative reports ("There were no reported strikes in Syria on Nov. 2.") as evidence about incidents.

A party's own release saying it made no strikes in a country on a day speaks against any incident that
credits that party with a strike there that day. The party is the release's voice (its outlet or author,
through lexicon/actors.yaml); a negative from an outlet that is no party says nothing about who acted and
is not used here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from strikewatch.fuse.features import day_number
from strikewatch.fuse.lexicon import FusionLexicon
from strikewatch.records import Document, Event, NegativeReport

COUNTRY_NAMES = {"SY": "Syria", "IQ": "Iraq"}
MARGIN_DAYS = 3  # a release's negative report speaks of its own day: published within this of the events


def negative_days(negatives: Iterable[NegativeReport]) -> tuple[date, date] | None:
    """The days new negative reports speak of: the incidents there must be graded again."""
    days = sorted(d for n in negatives for d in (day_number(n.date.start), day_number(n.date.end)) if d)
    return (date.fromordinal(days[0]), date.fromordinal(days[-1])) if days else None


def negatives_window(events: Iterable[Event]) -> tuple[date, date] | None:
    """The publication dates of the negative reports that can speak of these events' days (the store
    loads those when it re-fuses them); None for undated events."""
    days = sorted(d for e in events for d in (day_number(e.date.start), day_number(e.date.end)) if d)
    if not days:
        return None
    margin = timedelta(days=MARGIN_DAYS)
    return date.fromordinal(days[0]) - margin, date.fromordinal(days[-1]) + margin


class NegativeIndex:
    """Negative reports by day, with the party whose voice each is."""

    def __init__(self, negatives: Iterable[NegativeReport], documents: Mapping[str, Document],
                 lex: FusionLexicon) -> None:
        self.by_day: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for n in negatives:
            doc = documents.get(n.doc_id)
            if doc is None:
                continue
            side = lex.side(doc.outlet) or lex.side(doc.author)
            d0 = day_number(n.date.start)
            d1 = day_number(n.date.end) or d0
            if side is None or d0 is None or d1 is None or d1 - d0 > 31:
                continue
            item = {"doc_id": n.doc_id, "speaker": doc.outlet or doc.author, "side": side,
                    "country": n.country, "country_name": COUNTRY_NAMES.get(n.country or "", n.country),
                    "date": n.date.start if d0 == d1 else f"{n.date.start}..{n.date.end}",
                    "sentence": n.evidence.sentence, "start": n.evidence.start, "end": n.evidence.end}
            for day in range(d0, d1 + 1):
                self.by_day[day].append(item)

    def against(self, d0: int | None, d1: int | None, country: str | None, sides: set[str],
                remote: bool) -> list[dict[str, Any]]:
        """The negatives of one of ``sides`` covering every day d0..d1 in ``country`` (strikes only)."""
        if not self.by_day or d0 is None or d1 is None or not sides or not remote or d1 - d0 > 1:
            return []
        out = []
        for item in self.by_day.get(d0, []):
            fits = item["side"] in sides and (item["country"] is None or item["country"] == country)
            every_day = all(item in self.by_day.get(day, []) for day in range(d0, d1 + 1))
            if fits and every_day and item not in out:
                out.append(item)
        return out
