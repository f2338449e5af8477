"""Compiled regular expressions from the cache file are the patterns ``re.compile`` makes."""

from __future__ import annotations

import re

from strikewatch.extract import rxcache

_PATTERNS = [
    (r"(?<![\w-])(?:air\s+strikes?|shelling|raid)(?![\w])", re.I),
    (r"(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]+)", 0),
    (r"^(?:[\s-]+(?:north|south))?(?:\s+(?:camp|base)\b)*", re.I | re.M),
    (r"(?!x)x", 0),
]


def _fresh(monkeypatch, folder) -> None:
    monkeypatch.setenv("STRIKEWATCH_CACHE", str(folder))
    monkeypatch.setattr(rxcache, "_table", None)
    monkeypatch.setattr(rxcache, "_used", {})
    monkeypatch.setattr(rxcache, "_dirty", False)


def test_stored_programs_give_the_same_patterns(tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path)
    first = [rxcache.compile(p, f) for p, f in _PATTERNS]
    rxcache.save()
    assert list(tmp_path.glob("regex-*.marshal"))
    _fresh(monkeypatch, tmp_path)  # a new process: the programs come from the file
    again = [rxcache.compile(p, f) for p, f in _PATTERNS]
    assert rxcache._dirty is False  # nothing compiled anew
    for (p, f), a, b in zip(_PATTERNS, first, again, strict=True):
        want = re.compile(p, f)
        assert a == want and b == want  # same pattern, flags and program
        assert b.groupindex == want.groupindex and b.groups == want.groups
    assert again[1].match("12 March").group("month") == "March"
    assert again[0].findall("Air strikes and shelling, no raider") == ["Air strikes", "shelling"]


def test_a_damaged_file_is_compiled_again(tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path)
    rxcache.compile(*_PATTERNS[0])
    rxcache.save()
    for f in tmp_path.glob("regex-*.marshal"):
        f.write_bytes(b"\x00garbage")
    _fresh(monkeypatch, tmp_path)
    assert rxcache.compile(*_PATTERNS[0]) == re.compile(*_PATTERNS[0])


def test_lexicon_patterns_are_those_of_re():
    from strikewatch.extract.lexicon import lexicon

    for name, pat in lexicon().regex.items():
        assert pat == re.compile(pat.pattern, pat.flags & ~re.UNICODE), name


def test_grouped_alternation_matches_as_the_plain_one():
    import random

    from strikewatch.extract.lexicon import alternation, lexicon

    lex = lexicon()
    rng = random.Random(5)
    cases = [(list(lex.alias_to_actor) + list(lex.contextual), re.I), (list(lex.exact_to_actor), 0),
             (list(lex.trigger_nouns) + list(lex.trigger_verbs), re.I),
             (["İzmir", "izmir", "Ivory", "ſtrike", "strike", "Éclair", "éclat", "-led", "#tag"]
              + [f"w{i}x" for i in range(20)], re.I)]
    for words, flags in cases:
        parts = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
        alts = [re.escape(p).replace(r"\ ", r"\s+") for p in parts]
        plain = re.compile(rf"(?<![\w-])(?:{'|'.join(alts)})(?![\w])", flags)
        body = alternation(alts, ignore_case=bool(flags & re.I))
        grouped = re.compile(rf"(?<![\w-])(?:{body})(?![\w])", flags)
        for _ in range(300):
            picked = rng.sample(parts, min(6, len(parts)))
            text = " ".join(rng.choice([w, w.upper(), w.title(), w + "s", "x" + w, w.replace(" ", "\n ")])
                            for w in picked)
            got = [m.span() for m in grouped.finditer(text)]
            assert got == [m.span() for m in plain.finditer(text)], text
