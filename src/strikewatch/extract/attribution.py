"""Who says it and how: the speaker of a sentence and the modality of its claim.

Speakers come from reporting frames ("X said", "said X", "X told Reuters", "according to X", "X claimed");
the modality from cue words in ``lexicon/modality.yaml``: a denial ("denied", "did not carry out"), a
dispute ("groundless", "misleading", "very dubious"), a claim ("claimed", "allegedly"), a report by a third
party ("said", "according to"), else the author's own assertion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from strikewatch.extract.lexicon import lexicon

_DETERMINERS = re.compile(r"^(?:the|a|an|this|that)\s+", re.I)
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "officials", "sources", "a source", "the source"}
_BOUNDARY = re.compile(r"[,;:()\"“”]|\b(?:that|and|but|while|who|which|after|before|when)\b", re.I)
# The last determiner and up to six words, no number or other determiner, right before the speech verb.
_TAIL_NP = re.compile(r"(?<!\S)(?:the|a|an)\s+(?:(?!(?:the|a|an)\s)[A-Za-z][\w'-]*\s+){1,6}$", re.I)
_SAY_AFTER = re.compile(r",?\s*(?:he|she|it|they)?\s*$", re.I)


@dataclass(frozen=True)
class Speaker:
    """A speaker as written, its span in the sentence, the verb that introduced it, and its side."""

    text: str
    start: int
    end: int
    verb: str
    actor: str | None = None  # canonical actor the speaker speaks for, when known


def _clean(text: str) -> str:
    text = text.strip(" ,.;:\"'“”‘’\n\t-")
    text = _DETERMINERS.sub("", text)
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def speaker_actor(text: str) -> str | None:
    """The canonical actor a speaker speaks for ("the Russian Defence Ministry" -> Russia)."""
    lex = lexicon()
    text = text.lstrip("@#").replace("_", " ")  # social handles: "@SDF_Press_EN"
    low = text.lower()
    for alias, name in lex.speaker_aliases.items():
        if alias in low:
            return name
    m = lex.regex["actor"].search(text) or lex.regex["actor_exact"].search(text)
    if m:
        entry = lex.actor_for(m.group(0))
        return entry.name if entry else None
    return None


@lru_cache(maxsize=1)
def _comma_less_words() -> tuple[re.Pattern[str], frozenset[str], re.Pattern[str]]:
    lex = lexicon()
    spec = lex.modality.get("comma_less_speaker") or {}
    drop = "|".join(map(re.escape, spec.get("drop_after") or ["has"]))
    kinds = "|".join(re.escape(str(k)).replace(r"\ ", r"\s+") for k in lex.places.get("kinds") or ["town"])
    return (
        re.compile(rf"(?:\s+(?:{drop}))+\s*$", re.I),
        frozenset(str(w).lower() for w in spec.get("pronouns") or []),
        re.compile(rf"\b(?:{kinds})\s+of\b", re.I),
    )


def _comma_less_tail(raw: str) -> tuple[int, int] | None:
    """Where the speaker lies in the words before a speech verb of a sentence without commas: the last
    determiner's noun phrase (its trailing auxiliaries dropped), or a pronoun right before the verb."""
    drop, pronouns, place_kind = _comma_less_words()
    words = raw.split()
    if words and words[-1].lower() in pronouns:
        end = raw.rstrip().rfind(words[-1])
        return end, end + len(words[-1])
    tail = _TAIL_NP.search(raw)
    if tail is None or place_kind.search(raw, tail.start()):
        return None
    cut = drop.search(raw, tail.start())
    end = cut.start() if cut else len(raw)
    return (tail.start(), end) if raw[tail.start() : end].split()[1:] else None


_POSTMODIFIER = re.compile(r"\s+(?:at|of|in|from|with|for|on|near|inside)\s+", re.I)


@lru_cache(maxsize=1)
def _not_speaker_heads() -> frozenset[str]:
    lex = lexicon()
    words = {str(w).lower() for w in lex.modality.get("not_speaker_heads") or []}
    words |= {str(w).lower() for w in (lex.modality.get("comma_less_speaker") or {}).get("drop_after") or []}
    words |= {w for w in lex.trigger_nouns if " " not in w}
    words |= {str(k).lower() for k in lex.places.get("kinds") or [] if " " not in str(k)}
    return frozenset(words)


def _speaks(text: str) -> bool:
    """A noun phrase that can be a speaker: not one whose head (its last word before a prepositional
    phrase) is a time, a place's kind, a toll or an event ("the start of the war", "the Idlib
    countryside", "Sunday")."""
    words = _POSTMODIFIER.split(text, maxsplit=1)[0].split()  # "a doctor at the hospital": the doctor
    return bool(words) and words[-1].lower().strip(".,'’") not in _not_speaker_heads()


def find_speaker(sentence: str) -> Speaker | None:
    """The speaker a sentence names, or ``None`` when it reports in the author's own voice."""
    lex = lexicon()
    m = lex.regex["according_to"].search(sentence)
    if m:
        rest = sentence[m.end() :]
        stop = re.search(r"[,;.]\s|[,;]|\.$|$", rest)
        raw = rest[: stop.start()] if stop else rest
        text = _clean(raw)
        if text:
            start = m.end() + rest.find(raw.strip())
            return Speaker(text, start, start + len(raw.strip()), m.group(0).lower(), speaker_actor(text))
    for m in lex.regex["speech_verb"].finditer(sentence):
        verb = m.group(0).lower()
        before = sentence[: m.start()]
        after = sentence[m.end() :]
        # "..., said Col. John Dorrian, a coalition spokesman." (inverted, after a comma or quote)
        if re.search(r"[,\"”]\s*$", before) and verb in (
            "said",
            "says",
            "added",
            "wrote",
            "claimed",
            "stated",
        ):
            stop = re.search(r"[.;]\s|[.;]$|$", after)
            raw = after[: stop.start()] if stop else after
            text = _clean(raw)
            if (
                text
                and text.split()[0].lower() not in ("that", "in", "on", "the")
                or text.lower().startswith("the ")
            ) and _speaks(text):
                start = m.end() + after.find(raw.strip())
                return Speaker(text, start, start + len(raw.strip()), verb, speaker_actor(text))
        # "X said ..." / "X told Reuters": the noun phrase right before the verb, back to a boundary.
        seg_start = 0
        for b in _BOUNDARY.finditer(before):
            seg_start = b.end()
        raw = before[seg_start:]
        seg_end = m.start()
        if len(raw.split()) > 10:
            # commas lost ("... 19 of them children a monitoring group said"): the noun phrase that a
            # determiner opens right before the verb, with no count or clause word inside it
            tail = _comma_less_tail(raw)
            if tail is None:
                continue
            seg_start, seg_end, raw = seg_start + tail[0], seg_start + tail[1], raw[tail[0] : tail[1]]
        text = _clean(raw)
        if not text or len(text.split()) > 10 or not _speaks(text):
            continue
        if text.lower() in _PRONOUNS:
            return Speaker(text, seg_start, seg_end, verb, None)
        start = seg_start + (len(raw) - len(raw.lstrip()))
        return Speaker(text, start, seg_end - (len(raw) - len(raw.rstrip())), verb, speaker_actor(text))
    return None


# A post's byline: a name of one to four capitalised words and the account's handle. As a header line of
# its own ("Mira Haddad @mirahaddad - 3h", "Mira Haddad @mirahaddad · Mar 3") it opens the post below it;
# as an embedded post's footer ("— Mira Haddad (@mirahaddad) March 3, 2016") it closes the post above it.
_NAME = r"[A-Z][\w'.-]*(?:[ \t]+[A-Z][\w'.-]*){0,3}"
_HANDLE = r"@[A-Za-z0-9_]{1,15}\b"
_POST_HEADER = re.compile(
    rf"^[ \t]*(?P<name>{_NAME})?[ \t]*(?P<handle>{_HANDLE})[ \t]*"
    r"(?:[-–—·•|][ \t]*)?(?:\d{1,2}[smhd]|(?P<stamp>[A-Z][a-z]{2}\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?))?[ \t]*$",
    re.M,
)
_POST_FOOTER = re.compile(
    rf"(?:[—–]|--?)[ \t]*(?P<name>{_NAME})?[ \t]*\((?P<handle>{_HANDLE})\)"
    r"(?:[ \t]+(?P<stamp>[A-Z][a-z]+\.?[ \t]+\d{1,2},[ \t]*\d{4}))?[ \t]*$",
    re.M,
)


@dataclass(frozen=True)
class Post:
    """A social post a document copies: its text's span in the document, its account, and the date its
    byline gives as written ("March 3, 2016"; ``None`` for "3h" or none), which its own "this morning"
    counts from."""

    start: int
    end: int
    speaker: Speaker
    stamp: str | None = None


def _account(handle: str) -> Speaker:
    """An account as a speaker: outside any sentence (no span), the party it speaks for when known."""
    return Speaker(handle, 0, 0, "posted", speaker_actor(handle))


def post_speakers(text: str) -> list[Post]:
    """The social posts a document copies, with the text each account wrote. The
    handle is the speaker (an account's stable id; the display name is not); a party's own account
    ("@SDF_Press_EN") speaks for it. A header opens a post that runs to the next header or the end; a
    footer closes the post of its own line, or of the line above it when it stands alone."""
    if "@" not in text:
        return []
    out: list[Post] = []
    headers: list[re.Match[str]] = []
    for m in _POST_HEADER.finditer(text):
        # the document's first line, or (a timeline) a header after a blank line below the first post's
        if not text[: m.start()].strip() or (headers and text[: m.start()].rstrip(" \t").endswith("\n\n")):
            headers.append(m)
    for i, m in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        if text[m.end() : end].strip():
            out.append(Post(m.end(), end, _account(m.group("handle")), m.group("stamp")))
    for m in _POST_FOOTER.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if not text[start : m.start()].strip():  # the footer alone on its line: the post is the line above
            start = text.rfind("\n", 0, max(0, start - 1)) + 1
        out.append(Post(start, m.start(), _account(m.group("handle")), m.group("stamp")))
    return out


def modality(sentence: str, speaker: Speaker | None, actor: str | None) -> str:
    """asserted | claimed | reported | denied | disputed, from the sentence's cue words and speaker.

    asserted: the document's own voice; claimed: a party to the conflict relayed ("the ministry said");
    reported: anyone else relayed; denied / disputed: the speaker rejects the event or another account."""
    r = lexicon().regex
    sentence = r["not_modality"].sub(" ", sentence)  # "denied ISIL access to terrain" is an effect
    if r["modality_denied"].search(sentence):
        return "denied"
    if r["modality_disputed"].search(sentence):
        return "disputed"
    if r["modality_claimed"].search(sentence) and speaker is not None:
        return "claimed"
    if speaker is None:
        return "asserted"  # the document's own voice
    if speaker.actor is not None:
        return "claimed"  # a party to the conflict, relayed
    return "reported"  # anyone else relayed: residents, monitors, rescuers, a council
