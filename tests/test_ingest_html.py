"""Web pages: article text without markup or comments, the page's own metadata, comments as Documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from strikewatch.errors import DocumentError
from strikewatch.ingest import is_spam, read_paths, read_text
from strikewatch.records import Document

BLOG = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>A night of shelling in the old quarter | Hillside Notes</title>
<meta property="og:site_name" content="Hillside Notes">
<meta property="article:published_time" content="2017-03-14T08:30:00+00:00">
<meta property="article:modified_time" content="2017-03-20T08:30:00+00:00">
<meta name="author" content="Rana Haddad">
<link rel="canonical" href="https://hillside-notes.example.org/2017/03/night-of-shelling">
</head><body>
<nav><a href="/">Home</a> <a href="/about">About this blog</a></nav>
<article class="post">
<h1>A night of shelling in the old quarter</h1>
<p>Artillery fire fell on the old quarter of the town for most of Monday night, according to two residents
who spoke to this blog by phone.</p>
<p>One of them said a mortar round hit a bakery near the main square and that at least three people were
wounded. Neither account could be confirmed independently.</p>
<p>The local council later said the fire came from positions held by government forces south of the town.</p>
</article>
<div id="comments" class="comments-area">
<h2 class="comments-title">4 thoughts on this post</h2>
<ol class="comment-list">
<li id="comment-101" class="comment even depth-1">
 <article id="div-comment-101" class="comment-body">
  <footer class="comment-meta"><div class="comment-author vcard"><img class="avatar" src="a.png" alt="">
   <b class="fn">Omar K.</b> <span class="says">says:</span></div>
  <div class="comment-metadata"><a href="#comment-101">
   <time datetime="2017-03-15T10:12:00+00:00">March 15, 2017 at 10:12 am</time></a></div></footer>
  <div class="comment-content"><p>My cousin lives two streets from the square. He says the bakery was hit
   twice, not once.</p></div>
  <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>
 </article>
 <ol class="children">
  <li id="comment-102" class="comment odd depth-2">
   <article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">
    <b class="fn">Lena</b> <span class="says">says:</span></div>
    <div class="comment-metadata"><time datetime="2017-03-16T07:00:00+00:00">March 16, 2017</time></div>
    </footer>
   <div class="comment-content"><p>Was anyone killed? The council statement mentions only wounded.</p></div>
   </article>
  </li>
 </ol>
</li>
<li id="comment-103" class="comment">
 <article class="comment-body">
 <div class="comment-author vcard"><b class="fn">quick-cash-loans.example</b></div>
 <div class="comment-content"><p>Great post! Visit <a href="https://spam.example/x">my site</a> for payday
  loans.</p></div></article>
</li>
<li id="comment-104" class="comment">
 <article class="comment-body"><div class="comment-author vcard"><b class="fn">Sami</b></div>
 <div class="comment-content"><p>The council has said nothing about who fired, only where from.</p></div>
 </article>
</li>
</ol>
<div id="respond" class="comment-respond"><h3>Leave a Reply</h3>
<form id="commentform"><textarea name="comment">Write here</textarea></form></div>
</div>
<footer>Copyright Hillside Notes</footer>
</body></html>
"""


def _docs(items) -> list[Document]:
    out = list(items)
    assert all(isinstance(d, Document) for d in out), out
    return out


def test_blog_article_and_comments_are_kept_apart(tmp_path: Path) -> None:
    (tmp_path / "post.html").write_text(BLOG, encoding="utf-8")
    article, *comments = _docs(read_paths([tmp_path / "post.html"]))
    # the article: body text only, no markup, no navigation, no comments, no reply form
    assert "mortar round hit a bakery" in article.text
    assert "<" not in article.text and ">" not in article.text
    for leaked in ("cousin", "Was anyone killed", "payday", "Leave a Reply", "About this blog", "Copyright"):
        assert leaked not in article.text
    assert article.title.startswith("A night of shelling")
    assert article.author == "Rana Haddad" and article.outlet == "Hillside Notes"
    assert article.published == date(2017, 3, 14) and article.published_from == "metadata"
    assert article.url == "https://hillside-notes.example.org/2017/03/night-of-shelling"
    assert article.kind is None and article.parent_id is None
    # the comments: their own speakers and times; the spam one is dropped; the nested reply is its own
    assert [c.author for c in comments] == ["Omar K.", "Lena", "Sami"]
    assert all(c.kind == "comment" and c.parent_id == article.id for c in comments)
    omar, lena, sami = comments
    assert omar.text == ("My cousin lives two streets from the square. "
                         "He says the bakery was hit twice, not once.")
    assert omar.published == date(2017, 3, 15) and omar.published_from == "metadata"
    assert lena.text == "Was anyone killed? The council statement mentions only wounded."
    assert lena.published == date(2017, 3, 16)
    assert sami.published is None  # no timestamp: unknown, not the article's date
    assert omar.url == article.url + "#comment-101"
    assert len({article.id, *(c.id for c in comments)}) == 4


def test_given_date_dates_the_article_but_comments_keep_their_own(tmp_path: Path) -> None:
    (tmp_path / "post.html").write_text(BLOG, encoding="utf-8")
    items = read_paths([tmp_path / "post.html"], published="2017-03-13", kind="blog")
    article, omar, _lena, sami = _docs(items)
    assert article.published == date(2017, 3, 13) and article.published_from == "given"
    assert article.kind == "blog"
    assert omar.published == date(2017, 3, 15) and omar.kind == "comment"
    assert sami.published == date(2017, 3, 13) and sami.published_from == "given"


def test_saved_and_fetched_copies_share_an_id() -> None:
    saved = read_text(BLOG, source="saved.html", content_type="text/html")
    fetched = read_text(BLOG, source="x", content_type="text/html",
                        url="https://hillside-notes.example.org/2017/03/night-of-shelling?utm_source=feed")
    assert [d.id for d in saved] == [d.id for d in fetched]


def test_schema_org_microdata_comments() -> None:
    page = """<html><head><title>Update</title></head><body><main><article>
    <p>Government forces said they had taken the hill overlooking the road after two days of clashes,
    a claim the opposition fighters in the area denied on their channels on Thursday evening.</p></article>
    <section class="user-comments">
      <div itemscope itemtype="https://schema.org/Comment" id="c20011">
        <span itemprop="author" itemscope><span itemprop="name">Farah</span></span>
        <meta itemprop="dateCreated" content="2019-08-02T11:00:00Z">
        <div itemprop="text">The hill changed hands twice last year as well.</div>
      </div>
    </section></main></body></html>"""
    article, comment = read_text(page, source="p", content_type="text/html")
    assert "changed hands" not in article.text
    assert comment.author == "Farah" and comment.published == date(2019, 8, 2)
    assert comment.text == "The hill changed hands twice last year as well."


def test_json_ld_date_and_author() -> None:
    page = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2016-12-12T09:00:00+02:00",
     "author": {"@type": "Person", "name": "Karim Saleh"}, "headline": "Siege lifted"}</script></head>
    <body><article><p>Aid trucks reached the besieged district for the first time in months on Monday, a
    relief agency said, after an agreement between the parties to pause the fighting.</p></article>
    </body></html>"""
    [doc] = read_text(page, source="p", content_type="text/html")
    assert doc.published == date(2016, 12, 12) and doc.author == "Karim Saleh"


def test_html_without_metadata_falls_back_to_dateline() -> None:
    page = ("<html><body><p>Posted on 6th April 2018</p><p>Warplanes struck the outskirts of the town this "
            "morning, residents said.</p></body></html>")
    [doc] = read_text(page, source="p", content_type="text/html")
    assert doc.published == date(2018, 4, 6) and doc.published_from == "dateline"


def test_html_with_no_text_is_an_error() -> None:
    try:
        read_text("<html><body><script>var x = 1;</script></body></html>", source="p",
                  content_type="text/html")
    except DocumentError as exc:
        assert "no readable text" in exc.message
    else:
        raise AssertionError("expected a DocumentError")


def test_spam_rules() -> None:
    assert is_spam("Great article, thanks for sharing! https://cheap.example")
    assert is_spam("Buy cheap replica watches here")
    assert is_spam("Interesting.", author="best-casino-bonus.example")
    assert is_spam("Visit www.a.example and www.b.example and www.c.example")
    assert not is_spam("Great post.")  # empty praise alone is not spam
    assert not is_spam("The strike hit the school annex, see the council's list: https://council.example/list")
    assert not is_spam("I was there on Friday and heard three jets before the blasts near the mill.")


def test_blogger_and_drupal_comment_markup() -> None:
    blogger = """<html><body><div class="post-body"><p>A reader sent photographs of the damaged water tower
    on the northern edge of the village after the overnight shelling, and we publish them here.</p></div>
    <div class="comments" id="comments"><ol id="top-ra">
    <li class="comment" id="c5550001"><div class="comment-block"><div class="comment-header">
      <cite class="user"><a href="https://profile.example/1">Nadia</a></cite><span class="icon user"></span>
      <span class="datetime secondary-text"><a href="#c5550001">April 7, 2018 at 9:14 AM</a></span></div>
      <p class="comment-content">The tower was already cracked from last winter.</p>
      <span class="comment-actions secondary-text"><a>Reply</a><a>Delete</a></span></div></li>
    </ol></div></body></html>"""
    article, comment = read_text(blogger, source="b", content_type="text/html")
    assert "water tower" in article.text and "cracked" not in article.text
    assert comment.author == "Nadia" and comment.published == date(2018, 4, 7)
    assert comment.text == "The tower was already cracked from last winter."
    drupal = """<html><body><article class="node"><p>Residents said the crossing was closed again on Friday
    after mortar fire hit the queue of cars waiting on the western side of the bridge.</p></article>
    <section class="comment-wrapper"><article class="comment js-comment" id="comment-88">
      <footer class="comment__meta"><p class="comment__author"><span>K. Aziz</span></p>
      <p class="comment__time">Sat, 04/07/2018 - 09:14</p></footer>
      <div class="comment__content"><div class="field--name-comment-body"><p>It reopened on Sunday.</p></div>
      </div></article></section></body></html>"""
    article, comment = read_text(drupal, source="d", content_type="text/html")
    assert "reopened" not in article.text and comment.author == "K. Aziz"
    assert comment.text == "It reopened on Sunday."
    assert comment.published is None  # 04/07/2018 could be April 7 or July 4: unknown, not a guess


def test_page_furniture_is_not_article_text() -> None:
    related = "".join(f"<li><a href='/n/{i}'>Unrelated headline number {i} about the markets</a></li>"
                      for i in range(30))
    page = f"""<html><head><title>Strikes on the dam road</title>
    <link rel="canonical" href="https://courier.example/"></head><body>
    <header><a href="/">The Valley Courier</a><ul class="menu"><li>World</li><li>Sport</li></ul></header>
    <div class="layout"><main><article>
    <h1>Strikes on the dam road</h1>
    <p>Two air strikes hit vehicles on the road to the dam early on Thursday, according to a statement from
    the regional military council, which said a fuel truck and a pickup were destroyed.</p>
    <p>The council did not say who carried out the strikes. Residents of a nearby village said they heard
    aircraft for about twenty minutes before the explosions.</p>
    <p>The road is the only route between the dam and the villages on the eastern bank of the lake.</p>
    </article></main>
    <aside class="sidebar"><h3>Most read</h3><ul>{related}</ul></aside></div>
    <footer>Subscribe to our newsletter. All rights reserved.</footer></body></html>"""
    [doc] = read_text(page, source="p", content_type="text/html", url="https://courier.example/2019/05/dam-road")
    assert "fuel truck and a pickup were destroyed" in doc.text and "eastern bank" in doc.text
    for furniture in ("Unrelated headline", "Most read", "newsletter", "Sport"):
        assert furniture not in doc.text
    # a canonical link to the bare home page does not stand for this article
    assert doc.url == "https://courier.example/2019/05/dam-road"


def test_a_comment_class_on_article_content_is_not_a_reader_comment() -> None:
    page = """<html><body><article><p>Government aircraft bombed the market in the town centre on Saturday,
    killing at least nine people, the civil defence said.</p>
    <div class="comment">The ministry did not reply to a request for comment on the strike.</div>
    <p>It was the third strike on the town this month, residents said, after two raids near the school.</p>
    </article></body></html>"""
    [doc] = read_text(page, source="p", content_type="text/html")  # no reader-comment Document
    assert doc.kind is None and "killing at least nine people" in doc.text
