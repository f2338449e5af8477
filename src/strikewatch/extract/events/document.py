"""Document context: the header, the lead and its news day, the reference date, the issuer, the country."""

from __future__ import annotations

import bisect
import re
from datetime import date, timedelta
from functools import cache

from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from strikewatch.extract import story, timex
from strikewatch.extract.attribution import speaker_actor
from strikewatch.extract.events.build import _location
from strikewatch.extract.events.state import _State
from strikewatch.extract.lexicon import ActorEntry, lexicon, load_data
from strikewatch.extract.strikes import find_strike_clauses
from strikewatch.ingest.dateline import find_dateline
from strikewatch.records import (
    DateSpan,
    Document,
)


def _story_opening(state: _State, sents: list[Span], lead: int | None) -> None:
    """The opening paragraph's news day and the headline's place (extract/story.py)."""
    if lead is None:
        return
    body = [s for s in sents[lead:] if s.text.strip()][: story.opening_sentences()]
    if not body:
        return
    opening = (body[0].start_char, body[-1].end_char)
    story.date_opening(
        state.events,
        opening,
        state.reference,
        lambda sentence: _other_occasion().search(sentence) is not None,
    )
    if state.geocode and (state.headline_end > 0 or state.doc.title):
        # the headline as the text runs it, else the document's own title (no offsets in the text then)
        headline = state.doc.text[: state.headline_end] if state.headline_end > 0 else state.doc.title or ""
        place = story.headline_place(headline, 0, lambda pm: _location(state, pm, None, headline))
        if place is not None and state.headline_end == 0:
            place = (place[0], None)
        story.place_opening(state.events, opening, place)


@cache
def _other_occasion() -> re.Pattern[str]:
    words = load_data("grammar.yaml")["other_occasion"]
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)


def _date_from_lead(state: _State) -> None:
    """A news story's later sentences elaborate its lead ("Jets killed 12 in northern Syria on Monday. The
    strikes hit a market in the town of X"): an event below the lead that nothing dates, of the same kind as
    a dated event of the lead, is that event's detail and takes its date, with the lead as its context."""
    if state.lead_span is None:
        return
    lo, hi = state.lead_span
    dated = {}
    for ev in state.events:
        if lo <= ev.evidence.start < hi and ev.date.start:
            dated.setdefault(ev.type, ev.date)
    if not dated:
        return
    other = _other_occasion()
    for ev in state.events:
        if (
            ev.evidence.start >= hi
            and not ev.date.start
            and ev.type in dated
            and not other.search(ev.evidence.sentence)
        ):
            ev.date = DateSpan(**dated[ev.type].to_dict())
            if ev.evidence.context_start is None:
                ev.evidence.context_start, ev.evidence.context_end = lo, hi


def parse_plan(sdoc: Doc, headline_end: int = 0) -> list[int]:
    """The sentences worth a parse: a prose trigger with a known party or a change of control in it.
    A strike release's lines read by their own grammar (``strikes``) and sentences without a trigger are
    left out, so the parser's cost falls on the few sentences whose reading depends on it."""
    split_header(sdoc, headline_end)
    sents = list(sdoc.sents)
    starts = [s.start for s in sents]
    actors = _group(sdoc.spans["actors"], starts)
    out = []
    for i, trigs in sorted(_group(sdoc.spans["triggers"], starts).items()):
        sent = sents[i]
        if sent.end_char <= headline_end:
            continue
        if not (i in actors or any(t.label_.startswith("territory:") for t in trigs)):
            continue
        if any(c.place is not None and c.strikes for c in find_strike_clauses(sent.text.strip())):
            continue
        out.append(i)
    return out


def _issuer(doc: Document) -> tuple[str, ActorEntry | None] | None:
    """Who issues the document: a short header line naming a party ("Ministry of Defence of the Russian
    Federation"), else a social account or the outlet that speaks for one ("@SDF_Press_EN")."""
    lex = lexicon()
    header = (
        [] if doc.title else doc.text.lstrip().splitlines()[:6]
    )  # a titled page's first line is its headline
    for line in header:
        line = line.strip()
        if (
            not line
            or line.endswith(".")
            or len(line.split()) > 14
            or not lex.regex["institution"].search(line)
        ):
            continue
        if lex.regex["trigger"].search(line) or lex.regex["effect_verb"].search(line):
            continue  # a headline ("Coalition strikes hit ISIL command nodes") names events, not a speaker
        name = speaker_actor(line)
        if name:
            return line, lex.actors.get(name)
    for who in (doc.outlet, doc.author):
        if who:
            name = speaker_actor(who)
            if name:
                return who, lex.actors.get(name)
    return None


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _reference_date(doc: Document) -> date | None:
    """The day relative dates count back from: the story's own dateline ("1 November 2016" in its byline)
    when it is a few days before the metadata's date (a page updated or crawled later), else published."""
    pub = doc.published
    if pub is None:
        return None
    head = doc.text[:400]
    for t in timex.find_times(head, pub):
        if t.span.precision != "day" or not t.span.start or not _YEAR.search(t.text):
            continue
        try:
            day = date.fromisoformat(str(t.span.start))
        except ValueError:
            continue
        if 0 < (pub - day).days <= 7:
            return day
        break
    return pub


def split_header(sdoc: Doc, headline_end: int = 0) -> Doc:
    """Start a sentence where the headline ends and after an opening date stamp, on text whose line breaks
    were lost ("<headline> AFP Sunday 3 May 2015 Jets struck ... on Sunday"): the story's first sentence is
    then read as a sentence, not as part of the headline, and the stamp is no event's date. Idempotent,
    and done once per document: the batch path calls it in ``parse_plan`` and again in
    ``extract_from_spacy`` (``sdoc.text`` alone walks every token)."""
    if sdoc.user_data.get("split_header") == headline_end:
        return sdoc
    sdoc.user_data["split_header"] = headline_end
    cuts = []
    if headline_end > 0:
        cuts.append(headline_end)
    text = _head_text(sdoc, 1300)
    first = next(iter(sdoc.sents), None)
    stamp = find_dateline(text[:1200]) if first is not None else None
    if stamp is not None and stamp.line == 0:
        at = text.find(stamp.text)
        end = at + len(stamp.text)
        after = text[end:].lstrip()
        if not after and len(text) < len(sdoc.text):  # only blanks in the head read: look further
            after = sdoc.text[end:].lstrip()
        if at >= 0 and end < first.end_char and not after.startswith((",", "،")):
            cuts.append(end)
    if not cuts:
        return sdoc
    starts = None
    for cut in cuts:
        i = next((t.i for t in sdoc if t.idx >= cut and not t.is_space), None)
        if i is None or i == 0 or sdoc[i].is_sent_start or sdoc[i].text[:1].islower():
            continue
        if starts is None:
            starts = sdoc.to_array([SENT_START])
        starts[i] = 1
    if starts is not None:
        sdoc.from_array([SENT_START], starts)
    return sdoc


def _head_text(sdoc: Doc, chars: int) -> str:
    """The document's text from its start to at least ``chars`` characters (all of it when shorter):
    ``sdoc.text`` joins every token of the document."""
    n = 400
    while True:
        head = sdoc[:n].text_with_ws
        if n >= len(sdoc) or len(head) >= chars:
            return head
        n *= 2


def _lead(sents: list[Span], headline_end: int) -> int | None:
    """The index of the story's first sentence: after the headline, past a date stamp on its own."""
    for i, sent in enumerate(sents):
        text = sent.text.strip()
        if not text or sent.end_char <= headline_end:
            continue
        if len(text.split()) <= 8 and find_dateline(text) is not None:
            continue  # "Saturday 16 Jul 2016" split off by split_header
        return i
    return None


def _news_day(reference: date | None) -> DateSpan | None:
    """A dated story's lead reports the news of its day: an event there that no time expression dates is
    given the day of the story and the day before it (a range, with no words behind it), not left
    undated; events further down the story are dated only by what they say."""
    if reference is None:
        return None
    return DateSpan(
        start=(reference - timedelta(days=1)).isoformat(),
        end=reference.isoformat(),
        precision="range",
        text=None,
    )


def headline_end(doc: Document) -> int:
    """End offset of a first line that repeats the document's title (a headline), else 0."""
    if not doc.title:
        return 0
    text = doc.text
    lead = len(text) - len(text.lstrip())
    first = text[lead:].split("\n", 1)[0].strip()
    title = doc.title.strip()
    if first and title.startswith(first):
        return lead + len(first)
    head = title.split(" - ")[0].split(" | ")[0]
    if first.startswith(head):
        # the title opens the first line; when the whole story is one line (line breaks lost), only the
        # title's own words are the headline, not the story after it
        return lead + (len(first) if len(first) <= len(title) + 3 else len(head))
    return 0


@cache
def _country_words() -> tuple[re.Pattern[str], dict[str, str]]:
    table = lexicon().places["theatre_countries"]
    word_to = {str(w): code for code, words in table.items() for w in words}
    alt = "|".join(sorted(map(re.escape, word_to), key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})\b"), word_to


def _main_country(text: str) -> str | None:
    """The theatre country (places.yaml theatre_countries) the document names clearly more than the others."""
    pattern, word_to = _country_words()
    counts: dict[str, int] = {}
    for m in pattern.finditer(text):
        code = word_to[m.group(0)]
        counts[code] = counts.get(code, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _group(spans, starts: list[int]) -> dict[int, list[Span]]:
    """Spans by the index of their sentence (``starts``: each sentence's first token)."""
    out: dict[int, list[Span]] = {}
    for span in spans:
        i = bisect.bisect_right(starts, span.start) - 1
        out.setdefault(i, []).append(span)
    return out


def published_or_none(doc: Document) -> date | None:
    return doc.published
