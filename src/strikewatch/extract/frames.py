"""Event frames from a dependency parse: who acted, on what, in which voice, negated or not.

Surface order misleads in real prose ("36 fighters were killed in the strike", "the town was taken by
the army", "Russia's strikes on Idlib", "strikes by Turkish jets"). Given a sentence parsed by
``nlp.get_parser`` and the character span of a trigger, ``frame_at`` reads the grammar around it:

- a verb trigger: its subject (active), its ``by``-agent (passive), its object or passive subject
  (patient); a verb without a subject of its own takes the one of the verb it is conjoined to or
  governed by ("forces advanced and captured X", "went on to seize X");
- a noun trigger ("strike", "the capture of X"): its possessor ("Russia's strikes"), a ``by`` phrase
  ("strikes by Russian jets"), its ``of``/``on``/``against`` phrase (patient), else the subject of the
  verb it is the object of ("jets carried out strikes", "the army launched an assault").

Spans are character offsets in the parsed text. Nothing here knows the actors or places: extraction
maps the spans onto its own mentions; the few grammatical words needed are in ``lexicon/grammar.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Token

from strikewatch.extract.lexicon import load_data

__all__ = ["Frame", "frame_at"]

_SUBJ = ("nsubj", "csubj")
_PASS_SUBJ = ("nsubjpass", "csubjpass")
_OBJ = ("dobj", "obj", "attr")
_PATIENT_PREPS = ("of", "on", "against", "at", "upon", "targeting")


@cache
def _grammar() -> tuple[frozenset[str], frozenset[str]]:
    """(support verbs, time nouns) from ``lexicon/grammar.yaml``."""
    data = load_data("grammar.yaml")
    return frozenset(data["support_verbs"]), frozenset(data["time_nouns"])


@dataclass(frozen=True)
class Frame:
    """The grammar around one trigger; ``None`` where the sentence does not say."""

    agent: tuple[int, int] | None = None
    patient: tuple[int, int] | None = None
    passive: bool = False
    negated: bool = False
    verb: str | None = None  # the governing verb as written ("carried", "was taken")


def _span(tok: Token) -> tuple[int, int]:
    """The phrase a head token stands for, without relative clauses and appositions after it."""
    left = tok.left_edge
    right = tok
    for child in tok.rights:
        if child.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep"):
            break
        right = child.right_edge
    for child in tok.rights:  # "forces of the regime": keep an "of" phrase that names the party
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == right.i + 1:
            right = child.right_edge
            break
    return left.idx, right.idx + len(right.text)


def _agent_of_by(tok: Token) -> Token | None:
    """The object of a passive's "by", unless it is a time ("by Friday morning", "by the end of May")."""
    for child in tok.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and not _is_time(obj):
                return obj
    return None


def _is_time(tok: Token) -> bool:
    from strikewatch.extract.timex import find_times

    left, right = tok.left_edge, tok.right_edge
    phrase = tok.doc.text[left.idx : right.idx + len(right.text)]
    return tok.lower_ in _grammar()[1] or any(True for _ in find_times(phrase, None))



def _verb_frame(verb: Token) -> tuple[Token | None, Token | None, bool]:
    """(agent head, patient head, passive) of a verb, inheriting a missing subject from its governor."""
    passive = any(c.dep_ in _PASS_SUBJ or c.dep_ == "auxpass" for c in verb.children)
    agent = _agent_of_by(verb) if passive else next((c for c in verb.children if c.dep_ in _SUBJ), None)
    if passive:
        patient = next((c for c in verb.children if c.dep_ in _PASS_SUBJ), None)
    else:
        patient = next((c for c in verb.children if c.dep_ in _OBJ), None)
    gov = verb
    hops = 0
    while agent is None and not passive and gov.dep_ in ("conj", "xcomp", "advcl") and hops < 3:
        gov = gov.head  # "advanced and captured", "went on to seize", "after seizing"
        if gov.dep_ in _PASS_SUBJ or any(c.dep_ == "auxpass" for c in gov.children):
            break
        agent = next((c for c in gov.children if c.dep_ in _SUBJ), None)
        hops += 1
    return agent, patient, passive


def _noun_frame(noun: Token) -> tuple[Token | None, Token | None, Token | None]:
    """(agent head, patient head, support verb) of a nominal trigger."""
    agent = next((c for c in noun.children if c.dep_ == "poss"), None) or _agent_of_by(noun)
    patient = None
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _PATIENT_PREPS:
            patient = next((c for c in child.children if c.dep_ == "pobj"), None)
            if patient is not None:
                break
    if agent is not None and agent.tag_ == "PRP$":
        agent = None  # "their offensive": the subject of the clause below says whose
    verb = None
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.tag_.startswith("VB"):
        # "pressed on with their offensive", "continued with strikes": the clause's subject acts
        clause = head.head
        if agent is None and head.lower_ in ("with", "in"):
            agent = next((c for c in clause.children if c.dep_ in _SUBJ), None)
        return agent, patient, None
    if noun.dep_ in _OBJ and head.tag_.startswith("VB"):
        verb = head
        if agent is None and head.lower_ in _grammar()[0]:
            agent = next((c for c in head.children if c.dep_ in _SUBJ), None)
            if agent is None:
                agent = _agent_of_by(head)  # "strikes were carried out by Russian jets"
    elif noun.dep_ in _PASS_SUBJ and head.tag_.startswith("VB") and head.lower_ in _grammar()[0]:
        verb = head  # "strikes were carried out by Russian jets"
        agent = agent or _agent_of_by(head)
    elif noun.dep_ in _SUBJ and head.tag_.startswith("VB"):
        verb = head  # "Russian strikes hit the town": the patient is the verb's object
        if patient is None:
            patient = next((c for c in head.children if c.dep_ in _OBJ), None)
    return agent, patient, verb


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or any(
        c.dep_ == "neg" for c in tok.head.children if tok.dep_ in _OBJ and tok.head is not tok
    )


def frame_at(pdoc: Doc, start: int, end: int) -> Frame:
    """The frame of the trigger written at characters ``start:end`` of the parsed sentence."""
    toks = [t for t in pdoc if start <= t.idx < end and not t.is_punct]
    if not toks:
        return Frame()
    # The phrase's syntactic head: the token whose head lies outside the phrase ("took control of").
    inside = {t.i for t in toks}
    head = next((t for t in toks if t.head.i not in inside or t.head is t), toks[0])
    verbal = next((t for t in toks if t.tag_.startswith("VB")), None)
    nominal = head.tag_.startswith("NN") and head is not verbal
    if verbal is not None and (head.tag_.startswith("VB") or not nominal):
        agent, patient, passive = _verb_frame(verbal)
        aux = [c.text for c in verbal.children if c.dep_ in ("aux", "auxpass")]
        return Frame(
            agent=_span(agent) if agent is not None else None,
            patient=_span(patient) if patient is not None else None,
            passive=passive,
            negated=_negated(verbal),
            verb=" ".join([*aux, verbal.text]),
        )
    agent, patient, verb = _noun_frame(head)
    return Frame(
        agent=_span(agent) if agent is not None else None,
        patient=_span(patient) if patient is not None else None,
        passive=verb is not None and any(c.dep_ == "auxpass" for c in verb.children),
        negated=verb is not None and _negated(verb),
        verb=verb.text if verb is not None else None,
    )
