"""Web pages: the article's text (never its markup), title, author and own publication date, and each
reader comment as a Document of its own.

Comments are other speakers with their own timestamps, so they are cut out of the page before the
article is extracted (trafilatura) and read one by one with the markup rules in
``lexicon/html_comments.yaml``; spam comments are dropped by the rules in ``lexicon/spam.yaml``.
Pages nested deeper than ``MAX_DEPTH`` are refused: libxml2 silently truncates them, so their text would
be incomplete.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lhtml

from strikewatch import fastyaml as yaml
from strikewatch.errors import DocumentError
from strikewatch.ingest.documents import clean_text, make_document
from strikewatch.records import Document

MAX_DEPTH = 200
FALLBACK_WORDS = 25
_SPACE = re.compile(r"\s+")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")
_REPLY_LISTS = {"children", "replies", "comment-replies"}

_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|div|p|br|span|a\s|table|meta|title)\b", re.I)
_TAGS = re.compile(r"</?[a-zA-Z][^>]{0,200}>")
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-:.]+)", re.I)

# Meta tags that state when a page was first published, most specific first.
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "publishdate", "publish-date", "pubdate", "date", "dc.date", "dc.date.issued", "dcterms.created",
    "dcterms.date", "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime", "article.published",
)
_PAGE_TYPES = ("BlogPosting", "Report", "WebPage", "SocialMediaPosting", "LiveBlogPosting")
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_BLOCK = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
          "article", "header", "footer", "pre", "dd", "dt", "ul", "ol", "table", "figcaption"}


def looks_like_html(text: str) -> bool:
    """True when a string is markup rather than prose: an HTML opening or several tags early on."""
    head = text[:4096].lstrip()
    if head[:1] != "<" and len(_TAGS.findall(head)) < 3:
        return False
    return bool(_HTML_HINT.search(head)) and len(_TAGS.findall(head)) >= 2


def sniff_charset(data: bytes) -> str | None:
    """The charset a page declares in its own <meta> tag."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


@dataclass(frozen=True)
class _Rules:
    thread_ids: frozenset[str]
    thread_classes: frozenset[str]
    comment_classes: frozenset[str]
    comment_ids: tuple[re.Pattern[str], ...]
    weak_comment_ids: tuple[re.Pattern[str], ...]
    comment_itemtypes: tuple[str, ...]
    text_props: tuple[str, ...]
    text_classes: tuple[str, ...]
    author_props: tuple[str, ...]
    author_classes: tuple[str, ...]
    time_props: tuple[str, ...]
    time_classes: tuple[str, ...]
    noise_classes: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    path = resources.files("strikewatch.lexicon").joinpath("html_comments.yaml")
    raw = yaml.safe_load(path.read_text("utf-8"))

    def low(items: list[str]) -> tuple[str, ...]:
        return tuple(str(i).lower() for i in items or [])

    return _Rules(
        thread_ids=frozenset(low(raw["thread"]["ids"])),
        thread_classes=frozenset(low(raw["thread"]["classes"])),
        comment_classes=frozenset(low(raw["comment"]["classes"])),
        comment_ids=tuple(re.compile(p, re.I) for p in raw["comment"]["id_patterns"]),
        weak_comment_ids=tuple(re.compile(p, re.I) for p in raw["comment"].get("weak_id_patterns", [])),
        comment_itemtypes=low(raw["comment"]["itemtypes"]),
        text_props=low(raw["text"]["itemprops"]),
        text_classes=low(raw["text"]["classes"]),
        author_props=low(raw["author"]["itemprops"]),
        author_classes=low(raw["author"]["classes"]),
        time_props=low(raw["time"]["itemprops"]),
        time_classes=low(raw["time"]["classes"]),
        noise_classes=frozenset(low(raw["noise"]["classes"])),
    )


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").lower().split())


def _is_comment(el: etree._Element, rules: _Rules) -> bool:
    """Marked as a comment for certain, or by a weaker sign confirmed by where it is or what it holds."""
    if not isinstance(el.tag, str):
        return False
    itemtype = (el.get("itemtype") or "").lower()
    if itemtype and any(itemtype.endswith(t) for t in rules.comment_itemtypes):
        return True
    el_id = el.get("id") or ""
    if el_id and any(p.match(el_id) for p in rules.comment_ids):
        return True
    weak = bool(_classes(el) & rules.comment_classes) or bool(
        el_id and any(p.match(el_id) for p in rules.weak_comment_ids))
    if not weak:
        return False
    if any(_is_thread(a, rules) for a in el.iterancestors()):
        return True
    return _has_comment_parts(el, rules)


def _has_comment_parts(el: etree._Element, rules: _Rules) -> bool:
    """True when an element holds what a comment has: an author, a time, or a comment-text block."""
    parts = set(rules.author_classes + rules.time_classes + rules.text_classes)
    props = set(rules.author_props + rules.time_props + rules.text_props)
    for child in el.iterdescendants():
        if not isinstance(child.tag, str):
            continue
        if child.tag == "time" or _classes(child) & parts or (child.get("itemprop") or "").lower() in props:
            return True
    return False


def _is_thread(el: etree._Element, rules: _Rules) -> bool:
    if not isinstance(el.tag, str):
        return False
    return (el.get("id") or "").lower() in rules.thread_ids or bool(_classes(el) & rules.thread_classes)


def _depth(root: etree._Element) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in el)
    return deepest


def element_text(el: etree._Element) -> str:
    """Readable text of an element: source line breaks are spaces, block elements make the line breaks,
    scripts and styles are dropped."""
    el = copy.deepcopy(el)
    for bad in el.xpath(".//script|.//style|.//noscript|.//template"):
        bad.drop_tree()
    for node in el.iter():
        in_pre = node.tag == "pre" or any(a.tag == "pre" for a in node.iterancestors())
        if node.text and not in_pre:
            node.text = _SPACE.sub(" ", node.text)
        if node.tail:
            node.tail = _SPACE.sub(" ", node.tail)
    for block in el.iter():
        if isinstance(block.tag, str) and block.tag.lower() in _BLOCK:
            block.tail = "\n" + (block.tail or "")
            if block.tag.lower() != "br":
                block.text = "\n" + (block.text or "")
    text = el.text_content() if hasattr(el, "text_content") else "".join(el.itertext())
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return clean_text("\n".join(lines))


def _parse_when(value: str | None) -> date | None:
    """A date from an ISO timestamp or a written date ("April 7, 2018 at 9:14 am"); None when unclear."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    from strikewatch.ingest.dateline import find_dateline

    dl = find_dateline(value.replace("\n", " "))
    if dl is not None:
        return dl.date
    if len(value) > 80 or _NUMERIC_DATE.search(value):
        return None  # an all-numeric date the dateline rules could not settle stays unknown
    import dateparser

    parsed = dateparser.parse(value, languages=["en", "ar", "fr"],
                              settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
                                        "PARSERS": ["absolute-time"],
                                        "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if isinstance(parsed, datetime) else None


def _meta(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if key and content and key not in found:
            found[key] = content
    return found


def _jsonld(root: etree._Element) -> list[dict]:
    items: list[dict] = []
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                items.append(node)
                if "@graph" in node:
                    stack.append(node["@graph"])
    return items


def _page_date(root: etree._Element, meta: dict[str, str], ld: list[dict]) -> date | None:
    """The page's own first-publication date from its metadata (not "updated", not a date in the text)."""
    for node in ld:
        t = node.get("@type")
        types = t if isinstance(t, list) else [t]
        if any(isinstance(x, str) and ("Article" in x or x in _PAGE_TYPES) for x in types):
            when = _parse_when(str(node.get("datePublished") or node.get("dateCreated") or ""))
            if when:
                return when
    for key in _DATE_META:
        if key in meta:
            when = _parse_when(meta[key])
            if when:
                return when
    for t in root.xpath("//time[@pubdate] | //*[@itemprop='datePublished']"):
        when = _parse_when(t.get("datetime") or t.get("content") or t.text_content())
        if when:
            return when
    return None


def _page_author(meta: dict[str, str], ld: list[dict]) -> str | None:
    for node in ld:
        author = node.get("author")
        if isinstance(author, list) and author:
            author = author[0]
        if isinstance(author, dict):
            author = author.get("name")
        if isinstance(author, str) and author.strip() and "://" not in author:
            return author.strip()
    for key in _AUTHOR_META:
        value = meta.get(key)
        if value and "://" not in value:
            return value
    return None


def _canonical(root: etree._Element, meta: dict[str, str], fetched: str | None) -> str | None:
    """The page's canonical URL, unless it is a bare site root standing for a deeper page (a CMS that
    points every article at its home page would otherwise merge them all)."""
    found = _declared_canonical(root, meta)
    if found and fetched:
        if not _same_site(found, fetched):  # a page cannot claim another site's identity or outlet
            return None
        if urlsplit(found).path.strip("/") == "" and urlsplit(fetched).path.strip("/") != "":
            return None
    elif found and urlsplit(found).path.strip("/") == "":
        return None
    return found


def _site(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def _same_site(a: str, b: str) -> bool:
    """Same host, give or take www./m./amp., or one a subdomain of the other (news.x.org and x.org)."""
    ha, hb = _site(a), _site(b)
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))


def _declared_canonical(root: etree._Element, meta: dict[str, str]) -> str | None:
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and (link.get("href") or "").startswith("http"):
            return link.get("href").strip()
    og = meta.get("og:url", "")
    return og if og.startswith("http") else None


def _first(scope: etree._Element, props: tuple[str, ...], classes: tuple[str, ...],
           skip: set[etree._Element]) -> etree._Element | None:
    """The first element under ``scope`` (not inside a nested comment) with one of the props or classes."""
    candidates = [el for el in scope.iter() if isinstance(el.tag, str) and el is not scope]
    own = [el for el in candidates if not any(anc in skip for anc in el.iterancestors())]
    for prop in props:
        for el in own:
            if (el.get("itemprop") or "").lower() == prop:
                return el
    for cls in classes:
        for el in own:
            if cls in _classes(el):
                return el
    return None


@dataclass
class _Comment:
    text: str
    author: str | None
    when: date | None
    anchor: str | None
    links: int


def _read_comment(el: etree._Element, rules: _Rules) -> _Comment:
    own = copy.deepcopy(el)
    # Drop nested replies (marked by _find_comments; they are read on their own).
    for child in own.xpath(".//*[@data-sw-comment]"):
        if child.getparent() is not None:
            child.drop_tree()
    author_el = _first(own, rules.author_props, rules.author_classes, set())
    author = None
    if author_el is not None:
        name_el = author_el.xpath(".//*[@itemprop='name']")
        author = element_text(name_el[0] if name_el else author_el)
        first_line = author.split("\n")[0]
        author = re.sub(r"\s*(?:says|said|wrote)\s*:?\s*$", "", first_line, flags=re.I).strip() or None
    time_el = _first(own, rules.time_props, (), set())
    if time_el is None:
        times = own.xpath(".//time[@datetime]")
        time_el = times[0] if times else _first(own, (), rules.time_classes, set())
    when = None
    if time_el is not None:
        when = _parse_when(time_el.get("datetime") or time_el.get("content") or element_text(time_el))
    body = _first(own, rules.text_props, rules.text_classes, set())
    body = copy.deepcopy(own if body is None else body)
    for junk in [x for x in body.iter() if isinstance(x.tag, str) and x is not body and (
            _classes(x) & rules.noise_classes
            or (x.get("itemprop") or "").lower() in rules.author_props + rules.time_props
            or _classes(x) & set(rules.author_classes + rules.time_classes)
            or x.tag in ("time", "img", "form", "button"))]:
        if junk.getparent() is not None:
            junk.drop_tree()
    links = sum(1 for a in body.iter("a") if (a.get("href") or "").startswith(("http", "www")))
    return _Comment(text=element_text(body), author=author, when=when, anchor=el.get("id"), links=links)


def _find_comments(root: etree._Element, rules: _Rules) -> list[etree._Element]:
    """Comment elements, one per comment: a reply nested in a list inside another comment counts; the
    same comment marked twice (a <li class=comment> around an <article itemtype=Comment>) counts once."""
    found = [el for el in root.iter() if _is_comment(el, rules)]
    marked = set(found)
    kept = []
    for el in found:
        path = []
        for anc in el.iterancestors():
            if anc in marked:
                break
            path.append(anc)
        else:
            kept.append(el)  # no comment above it
            continue
        if any(a.tag in ("ul", "ol") or _classes(a) & _REPLY_LISTS for a in path):
            kept.append(el)  # a reply
    for number, el in enumerate(kept):
        el.set("data-sw-comment", str(number))
    return kept


def read_html(
    html: str,
    *,
    source: str,
    published: date | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    url: str | None = None,
    metadata_date: date | None = None,
) -> list[Document]:
    """The article Document followed by one Document per non-spam reader comment.

    ``url`` is where the page came from; the page's canonical URL, when it states one, is used instead so
    that a saved copy and a fetched copy get the same id. Raises ``DocumentError`` when no text is found.
    """
    import trafilatura

    html = html.lstrip("\ufeff")
    if not html.strip():
        raise DocumentError(source, "is empty.")
    try:
        root = lhtml.document_fromstring(html.encode("utf-8"), parser=lhtml.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(source, f"is not a readable HTML page ({exc}).") from None
    if _depth(root) >= MAX_DEPTH:
        raise DocumentError(source, f"is nested more than {MAX_DEPTH} elements deep; it is not a page that "
                                    "can be read safely.")
    rules = _rules()
    meta = _meta(root)
    ld = _jsonld(root)
    page_url = _canonical(root, meta, url) or url
    meta_date = metadata_date or _page_date(root, meta, ld)
    title_el = root.find(".//title")
    title = meta.get("og:title") or (title_el.text_content().strip() if title_el is not None else None)
    author = _page_author(meta, ld)
    site = meta.get("og:site_name")

    comment_els = _find_comments(root, rules)
    comment_set = set(comment_els)
    comments = [_read_comment(el, rules) for el in comment_els]

    # Cut the comment thread (and reply forms) out before extracting the article.
    for el in [e for e in root.iter() if _is_thread(e, rules) or e in comment_set]:
        if el.getparent() is not None and not any(a in comment_set for a in el.iterancestors()):
            el.drop_tree()
    cleaned = etree.tostring(root, encoding="unicode", method="html")
    extracted = trafilatura.bare_extraction(
        cleaned, url=page_url, with_metadata=True, include_comments=False, include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or len(text.split()) < FALLBACK_WORDS:
        # trafilatura gives up on very short pages; then the body without its page furniture is the text
        body = root.find("body")
        fallback = copy.deepcopy(body if body is not None else root)
        for junk in fallback.xpath(".//nav|.//header|.//footer|.//aside|.//form|.//script|.//style"):
            junk.drop_tree()
        alt = element_text(fallback)
        if len(alt) > len(text or ""):
            text = alt
    if not text or not text.strip():
        raise DocumentError(source, "has no readable text in its HTML.")
    if extracted is not None:
        title = title or extracted.title
        author = author or extracted.author
        site = site or (extracted.sitename if extracted.sitename and "." not in extracted.sitename else None)
        if meta_date is None and extracted.date:
            meta_date = _parse_when(extracted.date)
    article = make_document(text, source=source, given=published, metadata_date=meta_date, url=page_url,
                            outlet=outlet or site, title=title, author=author, kind=kind)
    docs = [article]
    from strikewatch.ingest.spam import is_spam

    base = page_url or article.id
    for number, c in enumerate(comments, 1):
        if not c.text or is_spam(c.text, author=c.author, links=c.links):
            continue
        anchor = c.anchor or f"{c.author or ''}|{c.when or ''}|{number}"
        docs.append(make_document(
            c.text, source=f"{source}#{c.anchor or number}", given=None if c.when else published,
            metadata_date=c.when, url=f"{page_url}#{c.anchor}" if page_url and c.anchor else None,
            outlet=outlet or site, author=c.author, kind="comment",
            parent_id=article.id, id_url=f"{base}#comment:{anchor}", use_dateline=False,
        ))
    return docs
