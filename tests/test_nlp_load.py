"""The default parser is loaded without its tokenizer file: only sound while that file holds exactly the
tokenizer its config builds (spaCy's English defaults)."""

from __future__ import annotations

import importlib.util

import pytest
import srsly

from strikewatch.extract.nlp import DEFAULT_MODEL, get_parser

pytestmark = pytest.mark.skipif(importlib.util.find_spec(DEFAULT_MODEL) is None,
                                reason="the default model is not installed")


def test_default_model_tokenizer_file_is_the_default_tokenizer():
    import spacy

    loaded = get_parser.__wrapped__(DEFAULT_MODEL)  # a fresh load, as the process-wide one is made
    full = spacy.load(DEFAULT_MODEL, exclude=["lemmatizer", "ner", "attribute_ruler"])
    ours, theirs = (srsly.msgpack_loads(n.tokenizer.to_bytes()) for n in (loaded, full))
    assert set(ours) == set(theirs) and "exceptions" in ours
    for field in theirs:
        if field != "vocab":  # the vocabulary is read from the model's files either way
            assert ours[field] == theirs[field], field
    text = "Jets struck the Qarnabi mosque's minaret at 3:15pm (local time), U.S. officials said; ISIS-held."

    def read(nlp):
        return [(t.text, t.tag_, t.dep_, t.head.i) for t in nlp(text)]

    assert read(loaded) == read(full)
