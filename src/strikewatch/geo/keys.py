"""Match keys that survive transliteration.

Reports spell one place a dozen ways (Abu Kamal, Albu Kamal, Al Bukamal, البوكمال). Rather than
enumerate spellings we reduce every name to keys that those spellings share:

- ``fold``: lower case, diacritics and apostrophes removed, punctuation to spaces;
- ``key``: folded tokens without Arabic articles (al-, ash-, ez- ...), "abu"/"albu" unified, joined
  without spaces, so "Deir ez-Zor" and "Deir Ezzor" differ only where the article was glued on;
- ``skeleton``: the consonants of ``key`` after the usual transliteration pairs are merged (q/k/g/j,
  dh/z/th, kh/h, ei/ay/ai, ou/u/o, ee/i/y), doubled letters collapsed, a trailing -h dropped;
- Arabic script is normalised (alef forms, hamza carriers, ta marbuta, alif maqsura, Persian letters,
  harakat and tatweel) and gets the same two keys.

Exact ``key`` matches are trusted most, ``skeleton`` matches are scored by string similarity, and
anything else goes to the fuzzy fallback.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Letters NFKD does not decompose into ASCII.
_CHARMAP = str.maketrans(
    {
        "ı": "i", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "đ": "d", "Đ": "d", "ł": "l",
        "Ł": "l", "ŀ": "l", "þ": "th", "ð": "dh", "ə": "a", "Ə": "a", "ħ": "h", "Ħ": "h",
        "ʿ": "", "ʾ": "", "ʼ": "", "ʻ": "", "'": "", "’": "", "‘": "", "`": "", "´": "", "′": "",
        "ʹ": "", "\u02bd": "",
    }
)
# Articles and particles that come and go between spellings (al-Bab, Bab; ash-Shaddadi, Shaddadi).
_ARTICLES = frozenset([
    "al", "el", "il", "ul", "ad", "ed", "ash", "esh", "as", "es", "at", "et", "az", "ez", "an", "en",
    "ar", "er", "adh", "edh", "ath", "eth", "l",
])
_ABU = frozenset(["abu", "abou", "abo", "albu", "al-bu", "albou", "bu", "bou"])
_GLUED = re.compile(r"^([ae](sh|dh|th|[dnrstz]))(?=\2)")
_NON_ALNUM = re.compile(r"[^0-9a-z\u0600-\u06ff]+")

# Arabic script: harakat, tatweel and Quranic marks go; letter variants fold to one form.
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ؤ": "و", "ئ": "ي", "ء": "", "ة": "ه", "ى": "ي", "ی": "ي", "ې": "ي", "ێ": "ي",
        "ک": "ك", "گ": "ك", "ڤ": "ف", "پ": "ب", "چ": "ج", "ژ": "ز", "ۆ": "و", "ۇ": "و", "ە": "ه",
        "ھ": "ه", "ہ": "ه", "ڕ": "ر", "ڵ": "ل", "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
        "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9", "،": " ", "؛": " ",
    }
)
_ARABIC_RE = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")  # with presentation forms

# Transliteration pairs for the skeleton, applied in order (digraphs before single letters).
# (Vowel pairs such as ou/u, ee/i, ei/ay/ai, aw/o need no rule: vowels, y and a non-initial w are
# dropped from the skeleton anyway.)
_DIGRAPHS = {"kh": "h", "gh": "k", "sh": "$", "ch": "$", "dh": "z", "th": "z", "ph": "f"}
_DIGRAPH_RE = re.compile("kh|gh|sh|ch|dh|th|ph")


def _digraph(m: re.Match[str]) -> str:
    return _DIGRAPHS[m.group(0)]

_SKEL_MAP = str.maketrans({"q": "k", "g": "k", "j": "k", "c": "k", "x": "h", "p": "b", "v": "f"})
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLES = re.compile(r"(.)\1+")


def is_arabic(text: str) -> bool:
    """True when the text contains Arabic-script letters (Arabic, Persian, Kurdish)."""
    return bool(_ARABIC_RE.search(text))


def normalise_arabic(text: str) -> str:
    """Arabic script with the spelling variants that differ between sources folded to one form."""
    return _AR_MARKS.sub("", text).translate(_AR_MAP)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, no diacritics or apostrophes, punctuation as single spaces."""
    if text.isascii():  # the common case: nothing to decompose
        return _NON_ALNUM.sub(" ", text.lower().translate(_CHARMAP)).strip()
    if is_arabic(text):  # presentation forms ("ﻣﻨﻄﻘﺔ", as some PDFs give it) to plain letters first
        text = normalise_arabic(unicodedata.normalize("NFKC", text))
    text = text.translate(_CHARMAP)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().translate(_CHARMAP)
    return _NON_ALNUM.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Folded tokens with articles removed and abu/albu forms unified (never returns an empty list
    for a non-empty name: a name made only of particles keeps them)."""
    toks = fold(text).split()
    if not toks:
        return []
    if is_arabic(text):
        out = []
        for t in toks:
            if t.startswith("البو") and len(t) > 5:
                t = "بو" + t[4:]
            elif t.startswith("ابو") and len(t) == 3:
                t = "بو"
            elif t.startswith("ال") and len(t) > 3:
                t = t[2:]
            out.append(t)
        return out
    out = []
    for i, t in enumerate(toks):
        if t in _ARTICLES and i < len(toks) - 1:
            continue
        if t in _ABU and i < len(toks) - 1:
            t = "bu"
        elif t.startswith("albu") and len(t) > 6:
            t = "bu" + t[4:]
        else:
            m = _GLUED.match(t) if i > 0 else None
            if m and len(t) - len(m.group(1)) >= 3:
                t = t[len(m.group(1)):]  # "ezzor", "arraqqa": an assimilated article glued on
        out.append(t)
    return out or toks


@lru_cache(maxsize=200_000)
def key(text: str) -> str:
    """The exact-match key: article-free folded tokens, a final -h after a vowel dropped (Raqqah =
    Raqqa), joined without spaces, doubled letters single (Tall = Tal, Assadiya = Asadiya)."""
    return _key_of(tokens(text))


def _key_of(toks: Sequence[str]) -> str:
    joined = "".join(t[:-1] if len(t) > 3 and t[-1] == "h" and t[-2] in "aeiou" else t for t in toks)
    return _DOUBLES.sub(r"\1", joined)


def _skel_token(tok: str) -> str:
    if _ARABIC_RE.search(tok):
        # Long vowels and the ta marbuta come and go between Arabic spellings.
        if len(tok) > 2 and tok.endswith("ه"):
            tok = tok[:-1]
        head, rest = tok[:1], tok[1:]
        if head == "ا" and len(tok) > 2:  # a word-initial alef only carries a hamza: اعزاز = عزاز
            head = ""
        return head + re.sub("[اوي]", "", rest)
    if len(tok) > 3 and tok.endswith("h") and tok[-2] in "aeiou":
        tok = tok[:-1]
    tok = _DIGRAPH_RE.sub(_digraph, tok).translate(_SKEL_MAP)
    head, rest = tok[:1], tok[1:]
    if head in "aeiouy":
        head = ""
    rest = _VOWELS.sub("", rest).replace("w", "")
    return head + rest


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """The consonant skeleton shared by transliteration variants (Shadaddi = Ash Shaddadah)."""
    return _skel_of(tokens(text))


def _skel_of(toks: Sequence[str]) -> str:
    return _DOUBLES.sub(r"\1", "".join(_skel_token(t) for t in toks))


def forms(text: str) -> tuple[str, str, str]:
    """(key, skeleton, spaced) of a name in one pass: what the gazetteer indexes for every name."""
    toks = tokens(text)
    return _key_of(toks), _skel_of(toks), " ".join(toks)


_SOFT_RE = re.compile("ou|oo|ee|ie|ei|ey|ai|ay|aw|ow|q")
_SOFT = {"ou": "u", "oo": "u", "ee": "i", "ie": "i", "ei": "e", "ey": "e", "ai": "e", "ay": "e", "aw": "o",
         "ow": "o", "q": "k"}


def soft_of(k: str) -> str:
    """A key with vowel spellings unified (ou/u, ee/i, ei/ay/ai, aw/o) and q as k: the string that
    skeleton matches are compared on (Kafrouma is nearer Kafr Ruma than Kafr Omeim)."""
    return _DOUBLES.sub(r"\1", _SOFT_RE.sub(lambda m: _SOFT[m.group(0)], k))


# Arabic letters as the Latin skeleton writes them (consonants only: ayn, hamza and the long vowels go,
# as the vowels do in a Latin skeleton; the pairs follow _DIGRAPHS and _SKEL_MAP).
_AR_TO_SKEL = str.maketrans({
    "ب": "b", "ت": "t", "ث": "z", "ج": "k", "ح": "h", "خ": "h", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
    "س": "s", "ش": "$", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "k", "ف": "f", "ق": "k",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "", "ي": "", "ا": "",
})


@lru_cache(maxsize=50_000)
def latin_skeleton(text: str) -> str:
    """The Latin ``skeleton`` an Arabic-script name would have in transliteration ("معرة النعسان" ->
    "mrtnsn", as "Maaret Naasan"): for places a source gives in Latin letters only. "" for Latin text."""
    if not is_arabic(text):
        return ""
    toks = tokens(text)
    out = []
    for i, t in enumerate(toks):
        if len(t) > 2 and t.endswith("ه"):  # ta marbuta: "-a" at the end, "-at" before another word
            t = t[:-1] + ("ت" if i < len(toks) - 1 else "")
        out.append(("w" if t.startswith("و") else "") + t.translate(_AR_TO_SKEL))
    return _DOUBLES.sub(r"\1", "".join(out))


@lru_cache(maxsize=200_000)
def soft(text: str) -> str:
    """``soft_of(key(text))``."""
    return soft_of(key(text))


def spaced(text: str) -> str:
    """Article-free folded tokens joined with spaces: the string the fuzzy matcher compares."""
    return " ".join(tokens(text))


@lru_cache(maxsize=1)
def phrase_data() -> dict:
    """``geo/data/phrases.yaml`` as read (one reader for the keys here and the parser in resolve)."""
    from pathlib import Path

    from strikewatch import fastyaml as yaml

    data = Path(__file__).resolve().parent / "data" / "phrases.yaml"
    return yaml.safe_load(data.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    return frozenset(fold(w) for w in phrase_data().get("generic_name_words", []))


@lru_cache(maxsize=1)
def _qualifier_words() -> dict[str, str]:
    qualifiers = phrase_data().get("qualifiers") or {}
    return {fold(w): meaning for meaning, words in qualifiers.items() for w in words}


@lru_cache(maxsize=200_000)
def qualified_keys(name: str) -> tuple[str, str] | None:
    """The key and the skeleton of a name's other words, each with the meanings of its qualifiers,
    whatever their language and place ("Zaqrun Fawqani" = "Upper Zaqrun": "zaqrun|upper", "~zkrn|upper";
    "Zuqroun Tahtani" ~ "Lower Zaqrun": "~zkrn|lower"); None for a name without a qualifier or with
    nothing else."""
    words = _qualifier_words()
    toks = tokens(name)
    meanings = "+".join(sorted({words[t] for t in toks if t in words}))
    core = [t for t in toks if t not in words]
    if not meanings or not core:
        return None
    return f"{_key_of(core)}|{meanings}", f"~{_skel_of(core)}|{meanings}"


def loose_variants(name: str) -> list[str]:
    """Weaker spellings of a name: without generic words ("Tall Dardarah" -> "Dardarah") and with an
    article glued to a word taken off ("Rasm Eljahsh" -> "Rasm jahsh")."""
    toks = fold(name).split()
    out = []
    generic = _generic_words()
    core = [t for t in toks if t not in generic]
    if core and len(core) < len(toks):
        out.append(" ".join(core))
    unglued = [t[2:] if len(t) >= 5 and t[:2] in ("el", "al") and t not in generic else t for t in toks]
    if unglued != toks:
        out.append(" ".join(unglued))
        core2 = [t for t in unglued if t not in generic]
        if core2 and core2 != unglued:
            out.append(" ".join(core2))
    return out
