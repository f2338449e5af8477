"""Reader-comment spam, judged by the scored rules in ``lexicon/spam.yaml`` (data, not code)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

from strikewatch import fastyaml as yaml

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


def _pattern(phrases: list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    parts = []
    for phrase in sorted({str(p).lower() for p in phrases}, key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        left = r"(?<!\w)" if phrase[0].isalnum() else ""
        right = r"(?!\w)" if phrase[-1].isalnum() else ""
        parts.append(left + body + right)
    return re.compile("|".join(parts), re.I)


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    raw = yaml.safe_load(resources.files("strikewatch.lexicon").joinpath("spam.yaml").read_text("utf-8"))
    raw["_strong"] = _pattern(raw.get("strong", {}).get("phrases", []))
    raw["_praise"] = _pattern(raw.get("praise", {}).get("phrases", []))
    raw["_author"] = _pattern(raw.get("author", {}).get("phrases", []))
    return raw


def spam_score(text: str, *, author: str | None = None, links: int = 0) -> float:
    """How spam-like a comment is; ``links`` counts the hyperlinks in its markup (plain-text URLs are
    counted here as well)."""
    rules = _rules()
    score = 0.0
    links = max(links, len(_URL.findall(text)))
    if rules["_strong"] is not None:
        hits = {m.group(0).lower() for m in rules["_strong"].finditer(text)}
        score += rules["strong"]["weight"] * len(hits)
    praised = rules["_praise"] is not None and rules["_praise"].search(text) is not None
    if praised:
        score += rules["praise"]["with_link"] if links else rules["praise"]["weight"]
    link_rule = rules.get("links", {})
    score += max(0, links - int(link_rule.get("free", 1))) * float(link_rule.get("each", 0.5))
    if author:
        author_rule = rules.get("author", {})
        if _URL.search(author) or re.search(r"\.(?:com|net|org|info|biz|ru|xyz)\b", author, re.I):
            score += float(author_rule.get("url", 1.0))
        if rules["_author"] is not None and rules["_author"].search(author):
            score += float(author_rule.get("weight", 1.0))
    shout = rules.get("shouting", {})
    letters = [c for c in text if c.isalpha() and c.isascii()]
    if len(letters) >= int(shout.get("min_letters", 30)) and (
            sum(c.isupper() for c in letters) / len(letters) >= float(shout.get("share", 0.7))):
        score += float(shout.get("weight", 0.5))
    return score


def is_spam(text: str, *, author: str | None = None, links: int = 0) -> bool:
    """True when a comment's score reaches the threshold in ``spam.yaml``."""
    return spam_score(text, author=author, links=links) >= float(_rules().get("threshold", 1.0))
