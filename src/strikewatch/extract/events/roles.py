"""Who did it to whom, and where: agent, target and place of a trigger, from the parse or the surface."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from spacy.tokens import Span

from strikewatch.extract import timex
from strikewatch.extract.attribution import Speaker
from strikewatch.extract.events.state import _CIVILIAN, _PASSIVE, _TARGET_TAIL, _ActorMention, _State
from strikewatch.extract.frames import Frame, frame_at
from strikewatch.extract.lexicon import lexicon
from strikewatch.extract.places import (
    PlaceMention,
    find_anaphor,
    find_places,
    is_anaphor,
    place_at,
)
from strikewatch.records import (
    Target,
)

_SUPPORT = re.compile(
    r"\b(?:supported|backed|assisted|aided|helped|covered|accompanied)\s+by\s+(?:the\s+)?$|"
    r"\bwith\s+(?:the\s+)?(?:support|help|backing|cover)\s+of\s+(?:the\s+)?$",
    re.I,
)


_INFINITIVE = re.compile(r"\b(?:to|not)\s+$", re.I)


_AGENT_TARGET = re.compile(
    r"^\s*(?:weapons?\s+)?(?:facilit|plant|program|stockpile|depot|site|production|storage|arsenal|"
    r"inspector|investigat|convention|watchdog)",
    re.I,
)


_AGENT_ELSEWHERE = re.compile(
    r"(?:retaliation\s+for|response\s+to|accused\s+of|accusing|blamed\s+for|"
    r"previous|earlier|suspected\s+of|responsible\s+for)\s+(?:[\w-]+\s+){0,5}$",
    re.I,
)


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


_TAKER = re.compile(r"\b(?:to|by|for|hands\s+of)\s+(?:the\s+)?$", re.I)


def _redeploys(text: str, e: int, actors: list[_ActorMention]) -> bool:
    """A withdrawal from a base, an airport or positions with nobody named after it taking over."""
    after = text[e : e + 60]
    cut = re.search(r"[.;]|\b(?:and|after|as|while|when)\b", after)
    after = after[: cut.start()] if cut else after
    if not lexicon().regex["redeployment_place"].search(after):
        return False
    # somebody taking it over: "handed over to X", "leaving it to X", "X moved in"
    taker = any(
        a.entry is not None and a.start >= e and _TAKER.search(text[max(e, a.start - 16) : a.start])
        for a in actors
    )
    return not taker and not re.search(
        r"\b(?:handed|handing|hand)\s+(?:it\s+|them\s+)?over\b|\btaken\s+over\b|\bmoved\s+in", text[e:], re.I
    )


_SUSPECTED = re.compile(
    r"^\S+(?:\s+\S+){0,4}?\s+(?:are|is|were|was)\s+(?:\w+\s+)?(?:suspected|believed|thought|said|alleged|"
    r"accused)\s+(?:to\s+(?:be|have\s+been)\s+)?(?:behind|responsible|of\s+carrying)",
    re.I,
)


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


def _frame(state: _State, start: int, end: int) -> Frame | None:
    """The grammar around the trigger at ``start:end`` of the sentence, when it was parsed."""
    return frame_at(state.pdoc, start, end) if state.pdoc is not None else None


def _within(a: _ActorMention, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= a.start and a.end <= span[1]


def _frame_agent(
    frame: Frame | None, actors: list[_ActorMention], speaker: Speaker | None
) -> _ActorMention | None:
    """The known party the parse names as the agent (the longest actor mention inside its phrase, or one
    that opens with it: the possessor "Turkey's" of the alias "Turkey's strikes")."""
    if frame is None or frame.agent is None:
        return None
    s, e = frame.agent
    inside = [
        a for a in actors if a.entry is not None and (_within(a, frame.agent) or s == a.start < e < a.end)
        and _outside_speaker(a, speaker)
    ]
    return max(inside, key=lambda a: a.end - a.start, default=None)


def _frame_target(
    frame: Frame | None,
    actors: list[_ActorMention],
    text: str,
    agent: _ActorMention | None,
    speaker: Speaker | None,
) -> Target | None:
    """The party the parse names as the patient ("struck ISIS positions", "the capture of X by Y")."""
    if frame is None or frame.patient is None:
        return None
    inside = [
        a
        for a in actors
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


def _event_place(places: list[PlaceMention], trig: int) -> PlaceMention | None:
    """The place of an event: the first below country level, preferring one written after the trigger."""
    local = [p for p in places if p.country is None]
    after = [p for p in local if p.start >= trig]
    if after:
        return after[0]
    if local:
        return local[-1]
    return places[0] if places else None


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
