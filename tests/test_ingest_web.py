"""URLs and feeds, served by a real HTTP server on 127.0.0.1 (tests/httpserver.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from httpserver import LoopbackServer

from strikewatch.errors import DocumentError
from strikewatch.ingest import USER_AGENT, check_url, fetch_url, poll_feed, read_paths
from strikewatch.ingest.outlets import load_table, lookup
from strikewatch.records import Document

PAGE = """<html><head><title>Clashes on the ring road</title>
<meta property="article:published_time" content="2018-02-20T06:00:00Z"></head>
<body><article><p>Fighting broke out on the ring road north of the city on Monday, when opposition fighters
attacked a checkpoint held by government forces, a monitoring group said.</p>
<p>The group said at least seven fighters were killed on both sides.</p></article>
<div class="comments"><div class="comment" id="comment-7"><span class="comment-author">Yusuf</span>
<time datetime="2018-02-21T09:00:00Z">Feb 21</time><div class="comment-content">The checkpoint was
reopened on Tuesday morning.</div></div></div></body></html>"""

@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as started:
        yield started


LONG_BODY = " ".join(["The convoy was hit on the desert road east of the oasis, a local council said."] * 8)


def rss(items: list[str], *, title: str = "Valley Monitor", generator: str = "") -> bytes:
    gen = f"<generator>{generator}</generator>" if generator else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>{title}</title><link>https://valley-monitor.example/</link><description>reports</description>{gen}
{''.join(items)}</channel></rss>""".encode()


def item(guid: str, *, title: str, link: str | None = None, date_: str = "Tue, 20 Feb 2018 08:00:00 GMT",
         summary: str = "", content: str = "") -> str:
    parts = [f"<title>{title}</title>", f"<guid>{guid}</guid>", f"<pubDate>{date_}</pubDate>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if summary:
        parts.append(f"<description><![CDATA[{summary}]]></description>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


# -- fetch_url ------------------------------------------------------------------------------------------

def test_fetch_page_with_comment(server: LoopbackServer) -> None:
    url = server.add("/story", PAGE)
    article, comment = fetch_url(url, allow_private=True)
    assert "attacked a checkpoint" in article.text and "reopened" not in article.text
    assert article.url == url and article.source == url
    assert article.published == date(2018, 2, 20) and article.published_from == "metadata"
    assert comment.kind == "comment" and comment.parent_id == article.id and comment.author == "Yusuf"
    assert comment.text == "The checkpoint was reopened on Tuesday morning."
    request = server.requests[-1]
    assert request.headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("strikewatch/")


def test_private_addresses_are_refused_by_default(server: LoopbackServer) -> None:
    url = server.add("/story", PAGE)
    with pytest.raises(DocumentError, match="private, loopback or link-local"):
        fetch_url(url)
    assert server.hits("/story") == 0  # refused before any request was made
    for address in ("http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x",
                    "http://192.168.0.10/x", "http://[::ffff:127.0.0.1]/x", "http://0.0.0.0/x"):
        with pytest.raises(DocumentError, match="private"):
            check_url(address)
    with pytest.raises(DocumentError, match="http or https"):
        check_url("file:///etc/passwd")


def test_redirects_are_followed_and_capped(server: LoopbackServer) -> None:
    server.add("/final", PAGE)
    server.redirect("/r1", "/r2")
    server.redirect("/r2", "/final", status=301)
    [article, _] = fetch_url(server.url("/r1"), allow_private=True)
    assert article.url == server.url("/final")
    for n in range(8):
        server.redirect(f"/loop{n}", f"/loop{n + 1}")
    with pytest.raises(DocumentError, match="redirected more than 3 times"):
        fetch_url(server.url("/loop0"), allow_private=True, max_redirects=3)


def test_allowed_private_networks_and_redirect_rechecks(server: LoopbackServer) -> None:
    url = server.add("/story", PAGE)
    assert len(fetch_url(url, allow_private=["127.0.0.0/8"])) == 2  # this network only
    # every hop is checked: a redirect from the allowed host to the cloud metadata address is refused
    server.redirect("/go", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(DocumentError, match="link-local"):
        fetch_url(server.url("/go"), allow_private=["127.0.0.1"])
    with pytest.raises(DocumentError, match="private"):
        fetch_url(url, allow_private=["10.0.0.0/8"])
    from strikewatch.errors import UserError

    with pytest.raises(UserError, match="networks"):
        check_url(url, allow_private=["not-an-address"])


def test_size_limit_timeout_and_http_errors(server: LoopbackServer) -> None:
    server.add("/big", b"x" * 50_000, content_type="text/plain")
    server.add("/big-undeclared", b"y " * 50_000, content_type="text/plain", declare_length=False)
    server.add("/slow", PAGE, delay=2.0)
    with pytest.raises(DocumentError, match="limit"):
        fetch_url(server.url("/big"), allow_private=True, max_bytes=10_000)
    with pytest.raises(DocumentError, match="limit"):
        fetch_url(server.url("/big-undeclared"), allow_private=True, max_bytes=10_000)
    with pytest.raises(DocumentError, match="did not answer within 0.5 seconds"):
        fetch_url(server.url("/slow"), allow_private=True, timeout=0.5)
    with pytest.raises(DocumentError, match="HTTP 404"):
        fetch_url(server.url("/missing"), allow_private=True)
    # a server that sends a little at a time, each piece within the timeout, is cut off in the end
    server.add("/drip", b"z " * 10240, content_type="text/plain", drip=0.2)
    with pytest.raises(DocumentError, match="took more than 1.5 seconds"):
        fetch_url(server.url("/drip"), allow_private=True, timeout=0.5)


def test_text_pdf_and_gzip_bodies(server: LoopbackServer) -> None:
    from test_ingest_files import make_pdf

    server.add("/note.txt", "3 May 2016\nA strike hit a ferry landing on the river.\n",
                    content_type="text/plain; charset=utf-8", gzip=True)
    server.add("/r.pdf", make_pdf(["Two strikes destroyed a bridge."]), content_type="application/pdf")
    [note] = fetch_url(server.url("/note.txt"), allow_private=True)
    assert note.published == date(2016, 5, 3) and "ferry landing" in note.text
    [pdf] = fetch_url(server.url("/r.pdf"), allow_private=True)
    assert "destroyed a bridge" in pdf.text


def test_read_paths_mixes_files_and_urls(server: LoopbackServer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Shelling hit the port district.\n", encoding="utf-8")
    url = server.add("/story", PAGE)
    items = list(read_paths([tmp_path / "a.txt", url, server.url("/gone")], allow_private=True))
    assert [type(i).__name__ for i in items] == ["Document", "Document", "Document", "DocumentError"]
    refused = list(read_paths([url]))  # private addresses need allow_private
    assert len(refused) == 1 and isinstance(refused[0], DocumentError)


# -- feeds -----------------------------------------------------------------------------------------------

def test_poll_feed_conditional_requests(server: LoopbackServer) -> None:
    feed = rss([item("a1", title="Convoy hit", link="https://valley-monitor.example/a1", content=LONG_BODY),
                item("a2", title="Short", summary="<p>Mortar fire on the <b>market</b> at noon.</p>")])
    url = server.add("/feed.xml", feed, content_type="application/rss+xml", etag='"v1"',
                          last_modified="Tue, 20 Feb 2018 09:00:00 GMT")
    first = poll_feed(url, allow_private=True, fetch_pages=False)
    assert not first.not_modified and first.etag == '"v1"'
    assert first.modified == "Tue, 20 Feb 2018 09:00:00 GMT"
    assert [d.title for d in first.documents] == ["Convoy hit", "Short"]
    convoy, short = first.documents
    assert convoy.text.startswith("The convoy was hit") and convoy.url == "https://valley-monitor.example/a1"
    assert convoy.published == date(2018, 2, 20) and convoy.published_from == "metadata"
    assert convoy.outlet == "Valley Monitor"
    assert short.text == "Mortar fire on the market at noon."
    assert first.keys == ["a1", "a2"] and first.title == "Valley Monitor"
    # the next poll sends the validators and gets 304: nothing new
    again = poll_feed(url, etag=first.etag, modified=first.modified, allow_private=True)
    assert again.not_modified and again.documents == [] and again.etag == '"v1"'
    assert server.requests[-1].headers.get("If-None-Match") == '"v1"'
    by_date = poll_feed(url, modified=first.modified, allow_private=True)
    assert by_date.not_modified
    # the feed changes: a new ETag, one new entry; seen= skips what was read before
    server.add("/feed.xml", rss([item("a3", title="New", content=LONG_BODY.replace("convoy", "bus"))])
                    + b"", content_type="application/rss+xml", etag='"v2"')
    server.routes["/feed.xml"].body = rss([
        item("a3", title="New", content=LONG_BODY.replace("convoy", "bus")),
        item("a1", title="Convoy hit", content=LONG_BODY)])
    changed = poll_feed(url, etag=first.etag, allow_private=True, seen=set(first.keys))
    assert not changed.not_modified and changed.etag == '"v2"'
    assert [d.title for d in changed.documents] == ["New"]


def test_feed_entries_without_content_fetch_their_pages(server: LoopbackServer) -> None:
    server.add("/story", PAGE)
    entries = [item("s1", title="Ring road", link=server.url("/story"), summary="Teaser only."),
               item("s2", title="Broken link", link=server.url("/nowhere"),
                    summary="A teaser that stays."),
               item("s3", title="Gone", link=server.url("/nowhere2"))]
    url = server.add("/feed", rss(entries, generator="Blogger"),
                          content_type="application/xml")
    result = poll_feed(url, allow_private=True)
    article, comment, teaser = result.documents
    assert "attacked a checkpoint" in article.text and article.kind == "blog"  # from the feed's generator
    assert comment.kind == "comment" and comment.parent_id == article.id
    assert teaser.text == "A teaser that stays." and teaser.title == "Broken link"
    assert len(result.errors) == 2  # s2 fell back to its summary (noted); s3 has nothing at all
    assert any("HTTP 404" in e.message for e in result.errors)


def test_fetch_url_of_a_feed_gives_its_entries(server: LoopbackServer) -> None:
    url = server.add("/atom", b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ministry press releases</title>
<id>urn:x</id><updated>2019-06-01T00:00:00Z</updated>
<entry><title>Statement</title><id>urn:x:1</id><published>2019-05-31T12:00:00Z</published>
<updated>2019-05-31T12:00:00Z</updated><content type="html">&lt;p&gt;Air force jets destroyed a weapons store
west of the town on Thursday, the ministry said.&lt;/p&gt;</content></entry></feed>""",
                          content_type="application/atom+xml")
    [doc] = fetch_url(url, allow_private=True)
    assert doc.published == date(2019, 5, 31) and doc.kind == "military"  # from the feed title rules
    assert doc.outlet == "Ministry press releases" and "weapons store" in doc.text


def test_not_a_feed(server: LoopbackServer) -> None:
    url = server.add("/page", PAGE)
    with pytest.raises(DocumentError, match="not an RSS or Atom feed"):
        poll_feed(url, allow_private=True)


# -- the outlet table ------------------------------------------------------------------------------------

def test_outlet_table_and_user_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lookup("https://www.centcom.mil/MEDIA/PRESS-RELEASES/x").kind == "military"
    # a blog platform names no outlet, only the kind
    assert lookup("https://someone.blogspot.com/2016/12/post.html").outlet is None
    assert lookup("https://someone.blogspot.com/2016/12/post.html").kind == "blog"
    table = tmp_path / "mine.csv"
    table.write_text("outlet,domain,kind\nValley Monitor,valley-monitor.example,ngo\n", encoding="utf-8")
    monkeypatch.setenv("STRIKEWATCH_OUTLETS", str(table))
    try:
        found = lookup("https://news.valley-monitor.example/a/1")
        assert found.outlet == "Valley Monitor" and found.kind == "ngo"
        from strikewatch.ingest import read_text

        [doc] = read_text("Shelling hit the port.", source="x", url="https://valley-monitor.example/p")
        assert doc.outlet == "Valley Monitor" and doc.kind == "ngo"
        [mine] = read_text("Shelling hit the port.", source="x", url="https://valley-monitor.example/p",
                           kind="news", outlet="Someone")
        assert mine.outlet == "Someone" and mine.kind == "news"  # what the caller gives wins
        assert lookup("https://www.valley-monitor.example/x").outlet == "Valley Monitor"
    finally:
        monkeypatch.delenv("STRIKEWATCH_OUTLETS")
    assert lookup("https://news.valley-monitor.example/a/1") is None


def test_bad_outlet_table_is_a_user_error(tmp_path: Path) -> None:
    from strikewatch.errors import UserError

    bad = tmp_path / "bad.csv"
    bad.write_text("name,site\nA,b.example\n", encoding="utf-8")
    with pytest.raises(UserError, match="outlet,domain,kind"):
        load_table(str(bad))
    bad.write_text("outlet,domain,kind\nA,b.example,tabloid\n", encoding="utf-8")
    with pytest.raises(UserError, match="kind must be one of"):
        load_table(str(bad))


def test_documents_are_documents(server: LoopbackServer) -> None:
    url = server.add("/story", PAGE)
    for doc in fetch_url(url, allow_private=True):
        assert isinstance(doc, Document) and Document.from_dict(doc.to_dict()) == doc
